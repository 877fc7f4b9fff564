"""Losses shared by the methods."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def gan_loss(logits: torch.Tensor, real: bool, mode: str = "lsgan") -> torch.Tensor:
    """Adversarial loss for discriminator logits against a constant target.

    ``vanilla``: BCE with logits (Goodfellow et al. 2014); ``lsgan``: least squares
    (Mao et al. 2017, used by CycleGAN); ``hinge`` (discriminator form; for the generator
    pass ``real=True`` to get ``-mean(logits)``)."""
    if mode == "vanilla":
        target = torch.ones_like(logits) if real else torch.zeros_like(logits)
        return F.binary_cross_entropy_with_logits(logits, target)
    if mode == "lsgan":
        return ((logits - (1.0 if real else 0.0)) ** 2).mean()
    if mode == "hinge":
        return F.relu(1 - logits).mean() if real else F.relu(1 + logits).mean()
    raise ValueError(f"unknown gan mode {mode!r}; choices: ['hinge', 'lsgan', 'vanilla']")


def kl_normal(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, exp(logvar)) || N(0, I)), summed over latent dims, mean over batch."""
    return (-0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(1)).mean()
