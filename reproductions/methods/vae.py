"""(Conditional) variational autoencoder (Kingma & Welling, ICLR 2014; conditional VAE:
Sohn et al., NeurIPS 2015). Gaussian encoder q(z|x, y), decoder p(x|z, y) with an L1
reconstruction term (a Laplace likelihood) and beta-weighted KL. ``conditional`` feeds the
class label (lesion / no lesion) to encoder and decoder."""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from reproductions.losses import kl_normal
from reproductions.methods.base import CreationMethod, MethodConfig
from reproductions.networks import ConvDecoder, ConvEncoder


@dataclass(frozen=True)
class VAEConfig(MethodConfig):
    modality: str = "T1"
    z_dim: int = 64
    ch: int = 32
    beta: float = 1.0
    conditional: bool = True
    lr: float = 1e-3
    beta1: float = 0.9


class VAE(CreationMethod):
    """Enc: (B, 1 + n_cls, S, S) -> (mu, logvar) (B, z_dim) each; Dec: (B, z_dim + n_cls) -> (B, 1, S, S)."""

    name = "vae"
    architectures = ["VAE", "cVAE"]
    config_cls = VAEConfig
    ema_net = None

    def __init__(self, cfg: VAEConfig, device="cpu"):
        super().__init__(cfg, device)
        self.n_cls = 2 if cfg.conditional else 0
        self.nets["enc"] = ConvEncoder(1 + self.n_cls, 2 * cfg.z_dim, size=cfg.image_size, ch=cfg.ch)
        self.nets["dec"] = ConvDecoder(cfg.z_dim + self.n_cls, 1, size=cfg.image_size, ch=cfg.ch)
        self.finalize()
        self.optimizers = {"vae": self.adam("enc", "dec")}

    def _onehot(self, y: torch.Tensor | None, n: int) -> torch.Tensor | None:
        if not self.n_cls:
            return None
        if y is None:
            y = torch.zeros(n, dtype=torch.long, device=self.device)
        return F.one_hot(y.long(), self.n_cls).float()

    def train_step(self, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        x = self.prep(batch["x"])
        oh = self._onehot(batch["y"].to(self.device), x.shape[0])
        with self.autocast():
            xin = x if oh is None else torch.cat([x, oh[:, :, None, None].expand(-1, -1, *x.shape[-2:])], 1)
            mu, logvar = self.nets["enc"](xin).float().chunk(2, 1)
            z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()
            rec = self.nets["dec"](z if oh is None else torch.cat([z, oh], 1))
            loss_rec = F.l1_loss(rec.float(), x.float(), reduction="sum") / x.shape[0]
            loss_kl = kl_normal(mu, logvar)
            loss = loss_rec + self.cfg.beta * loss_kl
        self.optimize(loss, "vae")
        return {"rec": loss_rec.detach(), "kl": loss_kl.detach()}

    def _sample(self, n: int, g: torch.Generator, y: torch.Tensor | None) -> torch.Tensor:
        dec: nn.Module = self.nets["dec"]
        dec.eval()
        z = self.randn(n, self.cfg.z_dim, g=g)
        oh = self._onehot(y, n)
        out = dec(z if oh is None else torch.cat([z, oh], 1))
        dec.train()
        return out
