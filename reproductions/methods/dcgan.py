"""DCGAN (Radford et al., "Unsupervised Representation Learning with Deep Convolutional
GANs", ICLR 2016) for image creation: z ~ N(0, I) -> image, non-saturating BCE loss."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from reproductions.losses import gan_loss
from reproductions.methods.base import CreationMethod, MethodConfig
from reproductions.networks import DCGANDiscriminator, DCGANGenerator


@dataclass(frozen=True)
class DCGANConfig(MethodConfig):
    modality: str = "T1"
    z_dim: int = 100
    ngf: int = 64
    ndf: int = 64
    conditional: bool = False  # label embedding added to z (lesion / no lesion)


class DCGAN(CreationMethod):
    """G: z (B, z_dim) -> (B, 1, S, S); D: (B, 1, S, S) -> (B,) logits."""

    name = "dcgan"
    architectures = ["DCGAN"]
    config_cls = DCGANConfig
    ema_net = "G"

    def __init__(self, cfg: DCGANConfig, device="cpu"):
        super().__init__(cfg, device)
        self.nets["G"] = DCGANGenerator(cfg.z_dim, 1, size=cfg.image_size, ngf=cfg.ngf,
                                        n_classes=2 if cfg.conditional else 0)
        self.nets["D"] = DCGANDiscriminator(1, size=cfg.image_size, ndf=cfg.ndf)
        self.finalize()
        self.optimizers = {"G": self.adam("G"), "D": self.adam("D")}

    def train_step(self, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        G, D = self.nets["G"], self.nets["D"]
        x = self.prep(batch["x"])
        y = batch["y"].to(self.device) if self.cfg.conditional else None
        z = torch.randn(x.shape[0], self.cfg.z_dim, device=self.device)
        with self.autocast():
            fake = G(z, y)
        self.requires_grad(D, True)
        with self.autocast():
            loss_d = gan_loss(D(x), True, "vanilla") + gan_loss(D(fake.detach()), False, "vanilla")
        self.optimize(loss_d, "D")
        self.requires_grad(D, False)
        with self.autocast():
            loss_g = gan_loss(D(fake), True, "vanilla")
        self.optimize(loss_g, "G")
        return {"G": loss_g.detach(), "D": loss_d.detach()}

    def _sample(self, n: int, g: torch.Generator, y: torch.Tensor | None) -> torch.Tensor:
        G = self.eval_net("G")
        G.eval()
        out = G(self.randn(n, self.cfg.z_dim, g=g), y)
        G.train()
        return out
