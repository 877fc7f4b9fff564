"""Conditional diffusion translator: the source image is concatenated to x_t and the
network predicts the target (conditional DDPM as in Palette, Saharia et al., SIGGRAPH
2022; the diffusion half of SynDiff, Özbey et al., IEEE TMI 2023, without its adversarial
and cycle parts). Sampling uses DDIM. Needs paired data."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from reproductions.diffusion import GaussianDiffusion
from reproductions.methods.base import MethodConfig, TranslationMethod
from reproductions.networks import DiffusionUNet


@dataclass(frozen=True)
class CondDiffusionConfig(MethodConfig):
    sources: tuple[str, ...] = ("T1",)
    target: str = "CT"
    ch: int = 32
    mults: tuple[int, ...] = (1, 2, 2)
    timesteps: int = 1000
    sample_steps: int = 10
    objective: str = "x0"
    lr: float = 2e-4
    beta1: float = 0.9


class CondDiffusion(TranslationMethod):
    """net: (B, 1 + n_src, H, W), t -> (B, 1, H, W)."""

    name = "cond_diffusion"
    architectures = ["SynDiff", "conditional DDPM"]
    paired = True
    config_cls = CondDiffusionConfig
    ema_net = "net"

    def __init__(self, cfg: CondDiffusionConfig, device="cpu"):
        super().__init__(cfg, device)
        self.nets["net"] = DiffusionUNet(1, 1, ch=cfg.ch, mults=cfg.mults, cond_ch=len(cfg.sources))
        self.diffusion = GaussianDiffusion(cfg.timesteps, cfg.objective)
        self.finalize()
        self.optimizers = {"net": self.adam("net")}

    def train_step(self, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        src, tgt = self.prep(batch["src"]), self.prep(batch["tgt"])
        with self.autocast():
            loss = self.diffusion.loss(self.nets["net"], tgt, cond=src)
        self.optimize(loss, "net")
        return {"mse": loss.detach()}

    def _translate(self, src: torch.Tensor) -> torch.Tensor:
        g = torch.Generator().manual_seed(0)
        s = src.shape
        return self.diffusion.ddim_sample(self.eval_net("net"), (s[0], 1, s[2], s[3]), steps=self.cfg.sample_steps,
                                          cond=src, g=g, device=self.device)
