"""CycleGAN (Zhu et al., "Unpaired Image-to-Image Translation using Cycle-Consistent
Adversarial Networks", ICCV 2017): two ResNet generators, two PatchGANs, LSGAN loss,
cycle-consistency (lambda 10), optional identity loss, and the paper's history pool of
generated images for the discriminators (Shrivastava et al. 2017). Trained on unpaired
data: domain A and domain B come from disjoint subjects."""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from reproductions.losses import gan_loss
from reproductions.methods.base import MethodConfig, TranslationMethod
from reproductions.networks import PatchDiscriminator, ResnetGenerator


@dataclass(frozen=True)
class CycleGANConfig(MethodConfig):
    sources: tuple[str, ...] = ("T1",)
    target: str = "CT"
    ngf: int = 64
    ndf: int = 64
    n_blocks: int = 6
    n_down: int = 2
    d_layers: int = 3
    norm: str = "instance"
    lambda_cycle: float = 10.0
    lambda_idt: float = 0.0  # 0.5 in the paper's photo tasks; 0 suits contrast inversion
    gan_mode: str = "lsgan"
    pool_size: int = 50  # 0 = discriminators see only the newest fakes


class ImagePool:
    """History of generated images (CycleGAN's ``ImagePool``): each query returns, per image,
    either the new fake or, with probability 1/2 once the pool is full, a stored older one
    (which the new fake replaces). Its contents are part of the checkpoint so a resumed run
    continues exactly. Randomness comes from torch's global generator (also checkpointed)."""

    def __init__(self, size: int):
        self.size = size
        self.images: list[torch.Tensor] = []

    def query(self, fakes: torch.Tensor) -> torch.Tensor:
        fakes = fakes.detach()
        if self.size == 0:
            return fakes
        out = []
        for img in fakes.unbind(0):
            img = img.clone()
            if len(self.images) < self.size:
                self.images.append(img)
                out.append(img)
            elif torch.rand(()) < 0.5:
                k = int(torch.randint(self.size, ()))
                out.append(self.images[k])
                self.images[k] = img
            else:
                out.append(img)
        return torch.stack(out)

    def state_dict(self) -> list[torch.Tensor]:
        return [t.cpu() for t in self.images]

    def load_state_dict(self, images: list[torch.Tensor], device: torch.device) -> None:
        self.images = [t.to(device) for t in images]


class CycleGAN(TranslationMethod):
    """G_AB, G_BA: (B, 1, H, W) -> (B, 1, H, W); D_A, D_B: (B, 1, H, W) -> patch logits."""

    name = "cyclegan"
    architectures = ["CycleGAN"]
    paired = False
    config_cls = CycleGANConfig
    ema_net = "G_AB"

    def __init__(self, cfg: CycleGANConfig, device="cpu"):
        super().__init__(cfg, device)
        if len(cfg.sources) != 1:
            raise ValueError("CycleGAN maps one source contrast to one target contrast")
        kw = dict(ngf=cfg.ngf, n_blocks=cfg.n_blocks, n_down=cfg.n_down, norm=cfg.norm)
        self.nets["G_AB"] = ResnetGenerator(1, 1, **kw)
        self.nets["G_BA"] = ResnetGenerator(1, 1, **kw)
        self.nets["D_A"] = PatchDiscriminator(1, ndf=cfg.ndf, n_layers=cfg.d_layers, norm=cfg.norm)
        self.nets["D_B"] = PatchDiscriminator(1, ndf=cfg.ndf, n_layers=cfg.d_layers, norm=cfg.norm)
        self.finalize()
        self.optimizers = {"G": self.adam("G_AB", "G_BA"), "D": self.adam("D_A", "D_B")}
        self.pools = {"A": ImagePool(cfg.pool_size), "B": ImagePool(cfg.pool_size)}

    def train_step(self, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        n = self.nets
        a, b = self.prep(batch["A"]), self.prep(batch["B"])
        mode, cfg = self.cfg.gan_mode, self.cfg
        # With per-sample (instance) normalisation a batched call equals separate calls, so
        # each network runs once per phase on the concatenated inputs: fewer, larger kernels.
        fuse = cfg.norm != "batch"
        self.requires_grad(n["D_A"], False)
        self.requires_grad(n["D_B"], False)
        with self.autocast():
            fake_a = n["G_BA"](b)
            if fuse:
                fake_b, rec_b = n["G_AB"](torch.cat([a, fake_a])).split([len(a), len(b)])
            else:
                fake_b, rec_b = n["G_AB"](a), n["G_AB"](fake_a)
            rec_a = n["G_BA"](fake_b)
            loss_gan = gan_loss(n["D_B"](fake_b), True, mode) + gan_loss(n["D_A"](fake_a), True, mode)
            loss_cyc = F.l1_loss(rec_a.float(), a.float()) + F.l1_loss(rec_b.float(), b.float())
            loss_g = loss_gan + cfg.lambda_cycle * loss_cyc
            if cfg.lambda_idt > 0:
                idt = F.l1_loss(n["G_AB"](b).float(), b.float()) + F.l1_loss(n["G_BA"](a).float(), a.float())
                loss_g = loss_g + cfg.lambda_idt * cfg.lambda_cycle * idt
        self.optimize(loss_g, "G")
        self.requires_grad(n["D_A"], True)
        self.requires_grad(n["D_B"], True)
        old_b, old_a = self.pools["B"].query(fake_b), self.pools["A"].query(fake_a)
        with self.autocast():
            loss_d = 0.5 * (self._d_loss(n["D_B"], b, old_b, fuse) + self._d_loss(n["D_A"], a, old_a, fuse))
        self.optimize(loss_d, "D")
        return {"G_gan": loss_gan.detach(), "cycle": loss_cyc.detach(), "D": loss_d.detach()}

    def _d_loss(self, D: torch.nn.Module, real: torch.Tensor, fake: torch.Tensor, fuse: bool) -> torch.Tensor:
        """Loss of one discriminator on real and (pooled) fake images."""
        mode = self.cfg.gan_mode
        if fuse:
            d_real, d_fake = D(torch.cat([real, fake])).split([len(real), len(fake)])
        else:
            d_real, d_fake = D(real), D(fake)
        return gan_loss(d_real, True, mode) + gan_loss(d_fake, False, mode)

    def state_dict(self) -> dict:
        return dict(super().state_dict(), pools={k: p.state_dict() for k, p in self.pools.items()})

    def load_state_dict(self, state: dict) -> None:
        super().load_state_dict(state)
        for k, p in self.pools.items():
            p.load_state_dict(state.get("pools", {}).get(k, []), self.device)

    def _translate(self, src: torch.Tensor) -> torch.Tensor:
        G = self.eval_net("G_AB")
        G.eval()
        out = G(src)
        G.train()
        return out
