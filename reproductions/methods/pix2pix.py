"""pix2pix (Isola et al., "Image-to-Image Translation with Conditional Adversarial
Networks", CVPR 2017): U-Net generator, conditional PatchGAN, loss GAN + lambda * L1.
Needs paired data."""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from reproductions.losses import gan_loss
from reproductions.methods.base import MethodConfig, TranslationMethod
from reproductions.networks import PatchDiscriminator, UNetGenerator


@dataclass(frozen=True)
class Pix2PixConfig(MethodConfig):
    sources: tuple[str, ...] = ("T1",)
    target: str = "CT"
    ngf: int = 64
    ndf: int = 64
    n_down: int | None = None  # None -> log2(image_size): bottleneck at 1x1 (unet_128 at 128)
    d_layers: int = 3
    norm: str = "batch"
    dropout: float = 0.5
    lambda_l1: float = 100.0
    gan_mode: str = "vanilla"


class Pix2Pix(TranslationMethod):
    """G: (B, n_src, H, W) -> (B, 1, H, W); D: (B, n_src + 1, H, W) -> patch logits."""

    name = "pix2pix"
    architectures = ["pix2pix"]
    paired = True
    config_cls = Pix2PixConfig
    ema_net = "G"

    def __init__(self, cfg: Pix2PixConfig, device="cpu"):
        super().__init__(cfg, device)
        n_down = cfg.n_down or max(1, cfg.image_size.bit_length() - 1)
        if cfg.image_size % 2**n_down:
            raise ValueError(f"image_size {cfg.image_size} not divisible by 2**n_down = {2**n_down}")
        c = len(cfg.sources)
        self.nets["G"] = self.build_generator(n_down)
        self.nets["D"] = PatchDiscriminator(c + 1, ndf=cfg.ndf, n_layers=cfg.d_layers, norm=cfg.norm)
        self.finalize()
        self.optimizers = {"G": self.adam("G"), "D": self.adam("D")}

    def build_generator(self, n_down: int) -> torch.nn.Module:
        cfg = self.cfg
        return UNetGenerator(len(cfg.sources), 1, ngf=cfg.ngf, n_down=n_down, norm=cfg.norm, dropout=cfg.dropout)

    def train_step(self, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        G, D = self.nets["G"], self.nets["D"]
        src, tgt = self.prep(batch["src"]), self.prep(batch["tgt"])
        with self.autocast():
            fake = G(src)
        # D: real pairs -> 1, fake pairs -> 0
        self.requires_grad(D, True)
        with self.autocast():
            d_fake = D(torch.cat([src, fake.detach()], 1))
            d_real = D(torch.cat([src, tgt], 1))
            loss_d = 0.5 * (gan_loss(d_fake, False, self.cfg.gan_mode) + gan_loss(d_real, True, self.cfg.gan_mode))
        self.optimize(loss_d, "D")
        # G: fool D + L1 to the target
        self.requires_grad(D, False)
        with self.autocast():
            loss_gan = gan_loss(D(torch.cat([src, fake], 1)), True, self.cfg.gan_mode)
            loss_l1 = F.l1_loss(fake.float(), tgt.float())
            loss_g = loss_gan + self.cfg.lambda_l1 * loss_l1
        self.optimize(loss_g, "G")
        return {"G_gan": loss_gan.detach(), "G_l1": loss_l1.detach(), "D": loss_d.detach()}

    def _translate(self, src: torch.Tensor) -> torch.Tensor:
        G = self.eval_net("G")
        G.eval()
        out = G(src)
        G.train()
        return out
