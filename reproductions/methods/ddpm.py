"""DDPM for image creation (Ho et al., NeurIPS 2020) sampled with DDIM (Song et al., ICLR
2021): a time-conditioned U-Net trained to predict the noise; optional class label."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from reproductions.diffusion import GaussianDiffusion
from reproductions.methods.base import CreationMethod, MethodConfig
from reproductions.networks import DiffusionUNet


@dataclass(frozen=True)
class DDPMConfig(MethodConfig):
    modality: str = "T1"
    ch: int = 32
    mults: tuple[int, ...] = (1, 2, 2)
    timesteps: int = 1000
    sample_steps: int = 50  # DDIM steps
    eta: float = 0.0
    conditional: bool = False
    lr: float = 2e-4
    beta1: float = 0.9


class DDPM(CreationMethod):
    """eps_theta: (B, 1, S, S), t (B,) -> (B, 1, S, S)."""

    name = "ddpm"
    architectures = ["DDPM", "DDIM"]
    config_cls = DDPMConfig
    ema_net = "net"

    def __init__(self, cfg: DDPMConfig, device="cpu"):
        super().__init__(cfg, device)
        self.nets["net"] = DiffusionUNet(1, 1, ch=cfg.ch, mults=cfg.mults, n_classes=2 if cfg.conditional else 0)
        self.diffusion = GaussianDiffusion(cfg.timesteps, "eps")
        self.finalize()
        self.optimizers = {"net": self.adam("net")}

    def train_step(self, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        x = self.prep(batch["x"])
        y = batch["y"].to(self.device) if self.cfg.conditional else None
        with self.autocast():
            loss = self.diffusion.loss(self.nets["net"], x, y=y)
        self.optimize(loss, "net")
        return {"mse": loss.detach()}

    def _sample(self, n: int, g: torch.Generator, y: torch.Tensor | None) -> torch.Tensor:
        net = self.eval_net("net")
        s = self.cfg.image_size
        return self.diffusion.ddim_sample(net, (n, 1, s, s), steps=self.cfg.sample_steps, eta=self.cfg.eta,
                                          y=y, g=g, device=self.device)
