"""Explicit method registry: name -> class. ``get_method`` raises ValueError listing choices."""

from __future__ import annotations

from reproductions.methods.base import CreationMethod, Method, TranslationMethod
from reproductions.methods.cond_diffusion import CondDiffusion, CondDiffusionConfig
from reproductions.methods.cyclegan import CycleGAN, CycleGANConfig
from reproductions.methods.dcgan import DCGAN, DCGANConfig
from reproductions.methods.ddpm import DDPM, DDPMConfig
from reproductions.methods.fusion import Fusion, FusionConfig
from reproductions.methods.pix2pix import Pix2Pix, Pix2PixConfig
from reproductions.methods.vae import VAE, VAEConfig

METHODS: dict[str, type[Method]] = {
    "pix2pix": Pix2Pix,
    "cyclegan": CycleGAN,
    "dcgan": DCGAN,
    "vae": VAE,
    "ddpm": DDPM,
    "cond_diffusion": CondDiffusion,
    "fusion": Fusion,
}


def get_method(name: str) -> type[Method]:
    try:
        return METHODS[name]
    except KeyError:
        raise ValueError(f"unknown method {name!r}; choices: {sorted(METHODS)}") from None


__all__ = ["METHODS", "get_method", "Method", "TranslationMethod", "CreationMethod",
           "Pix2Pix", "Pix2PixConfig", "CycleGAN", "CycleGANConfig", "DCGAN", "DCGANConfig",
           "VAE", "VAEConfig", "DDPM", "DDPMConfig", "CondDiffusion", "CondDiffusionConfig",
           "Fusion", "FusionConfig"]
