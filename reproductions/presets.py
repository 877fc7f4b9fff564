"""Named configurations per method: ``quick`` (32x32, minutes on a laptop CPU, used by
``--quick``, the tests and the claims) and ``full`` (128x128, the papers' architectures)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from reproductions.data.simulator import SimConfig
from reproductions.methods import (CondDiffusionConfig, CycleGANConfig, DCGANConfig, DDPMConfig, FusionConfig,
                                   Pix2PixConfig, VAEConfig, get_method)
from reproductions.trainer import TrainConfig


@dataclass(frozen=True)
class Preset:
    method: object  # the method's config dataclass
    sim: SimConfig
    train: TrainConfig
    epochs: int


# 40 subjects x 12 slices: an unpaired method needs enough images per domain for its
# discriminators to pin down intensities (at 20 x 6 CycleGAN plateaued near 200 HU).
QUICK_SIM = SimConfig(n_subjects=40, slices_per_subject=12, image_size=32)
FULL_SIM = SimConfig(n_subjects=60, slices_per_subject=12, image_size=128)

# method -> (config, batch size, epochs, decay_from). decay_from 0.5 is the papers' schedule
# for pix2pix/CycleGAN (constant, then linear decay to zero over the second half).
# Quick: 32x32 and small widths, seconds to a minute per run on 2 CPU cores. CycleGAN's
# generator downsamples once at 32x32 (twice at 128 and up): with two, its receptive field
# spans the whole 32-pixel head and it redraws the skull one pixel out (on the scalp).
_QUICK = {
    "pix2pix": (Pix2PixConfig(image_size=32, ngf=16, ndf=16, d_layers=2, lr=2e-3), 8, 7, 0.5),
    "cyclegan": (CycleGANConfig(image_size=32, ngf=16, ndf=16, n_blocks=3, n_down=1, d_layers=2, lr=1e-3), 2, 5, 0.5),
    "fusion": (FusionConfig(image_size=32, ngf=16, ndf=16, d_layers=2, lr=2e-3), 8, 5, 0.5),
    "cond_diffusion": (CondDiffusionConfig(image_size=32, ch=16, lr=5e-4), 8, 5, 1.0),
    "dcgan": (DCGANConfig(image_size=32, ngf=32, ndf=32, z_dim=64), 16, 10, 1.0),
    "vae": (VAEConfig(image_size=32, ch=32, z_dim=32), 16, 10, 1.0),
    "ddpm": (DDPMConfig(image_size=32, ch=32, sample_steps=25), 16, 10, 1.0),
}
_FULL = {
    "pix2pix": (Pix2PixConfig(image_size=128), 4, 100, 0.5),
    "cyclegan": (CycleGANConfig(image_size=128), 1, 50, 0.5),
    "fusion": (FusionConfig(image_size=128, ngf=64, n_down=7), 4, 100, 0.5),
    "cond_diffusion": (CondDiffusionConfig(image_size=128, ch=64, mults=(1, 2, 2, 4)), 8, 200, 1.0),
    "dcgan": (DCGANConfig(image_size=128), 32, 100, 1.0),
    "vae": (VAEConfig(image_size=128, ch=64, z_dim=128), 32, 100, 1.0),
    "ddpm": (DDPMConfig(image_size=128, ch=64, mults=(1, 2, 2, 4)), 16, 300, 1.0),
}


def preset(method: str, *, quick: bool, seed: int = 0, epochs: int | None = None, amp: bool = False,
           progress: bool = True) -> Preset:
    """The preset for ``method``; ``epochs``/``seed``/``amp`` override it."""
    cls = get_method(method)  # ValueError listing choices for unknown names
    table = _QUICK if quick else _FULL
    cfg, batch, n_epochs, decay_from = table[cls.name]
    sim = replace(QUICK_SIM if quick else FULL_SIM, seed=seed)
    train = TrainConfig(batch_size=batch, seed=seed, amp=amp, ema_decay=None, decay_from=decay_from,
                        ckpt_every=25 if quick else 500, log_every=10 if quick else 50, progress=progress)
    return Preset(cfg, sim, train, epochs if epochs is not None else n_epochs)
