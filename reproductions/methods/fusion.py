"""Multi-input fusion translator (several MRI contrasts -> one target), after Hi-Net
(Zhou et al., "Hi-Net: Hybrid-fusion Network for Multi-modal MR Image Synthesis",
IEEE TMI 2020) and MM-GAN (Sharma & Hamarneh, "Missing MRI Pulse Sequence Synthesis Using
Multi-Modal Generative Adversarial Network", IEEE TMI 2019): modality-specific encoders,
a fusion block per level, a U-Net decoder, and the pix2pix objective (PatchGAN + L1).
With one source it is the single-source ablation used by the multi-source claim."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from reproductions.methods.pix2pix import Pix2Pix, Pix2PixConfig
from reproductions.networks import FusionGenerator


@dataclass(frozen=True)
class FusionConfig(Pix2PixConfig):
    sources: tuple[str, ...] = ("T1", "T2", "PD")
    target: str = "FLAIR"
    ngf: int = 32
    n_down: int | None = 4


class Fusion(Pix2Pix):
    """G: (B, n_src, H, W) -> (B, 1, H, W) with one encoder per source."""

    name = "fusion"
    architectures = ["Hi-Net", "MM-GAN"]
    config_cls = FusionConfig

    def build_generator(self, n_down: int) -> torch.nn.Module:
        cfg = self.cfg
        return FusionGenerator(len(cfg.sources), 1, ngf=cfg.ngf, n_down=n_down, norm=cfg.norm)
