"""Fixtures for the reproductions tests: tiny simulated data (32x32) and tiny configs."""

from __future__ import annotations

import pytest

from reproductions.data import SimConfig, simulate, split_by_subject
from reproductions.methods import (CondDiffusionConfig, CycleGANConfig, DCGANConfig, DDPMConfig, FusionConfig,
                                   Pix2PixConfig, VAEConfig)

# the smallest configuration of every method (a single line each, STYLE.md section 5)
TINY = {
    "pix2pix": Pix2PixConfig(image_size=32, ngf=8, ndf=8, d_layers=2),
    "cyclegan": CycleGANConfig(image_size=32, ngf=8, ndf=8, n_blocks=1, d_layers=2),
    "fusion": FusionConfig(image_size=32, ngf=8, ndf=8, d_layers=2, n_down=3),
    "cond_diffusion": CondDiffusionConfig(image_size=32, ch=8, sample_steps=3),
    "dcgan": DCGANConfig(image_size=32, ngf=8, ndf=8, z_dim=16),
    "vae": VAEConfig(image_size=32, ch=8, z_dim=8),
    "ddpm": DDPMConfig(image_size=32, ch=8, sample_steps=3),
}


@pytest.fixture(scope="session")
def tiny_data():
    return simulate(SimConfig(n_subjects=6, slices_per_subject=3, image_size=32, lesion_prob=0.5, seed=0))


@pytest.fixture(scope="session")
def tiny_splits(tiny_data):
    return split_by_subject(tiny_data, seed=0)
