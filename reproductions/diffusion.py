"""Gaussian diffusion process (Ho et al., "Denoising Diffusion Probabilistic Models",
NeurIPS 2020) with the DDIM sampler (Song et al., "Denoising Diffusion Implicit Models",
ICLR 2021). The process wraps any network ``net(x_t_with_cond, t, y)``; it owns the noise
schedule, the training loss and the samplers, nothing else."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def cosine_betas(T: int, s: float = 0.008) -> torch.Tensor:
    """Cosine schedule (Nichol & Dhariwal, ICML 2021)."""
    t = torch.linspace(0, T, T + 1, dtype=torch.float64) / T
    f = torch.cos((t + s) / (1 + s) * math.pi / 2) ** 2
    return (1 - f[1:] / f[:-1]).clamp(0, 0.999).float()


class GaussianDiffusion:
    """``objective``: 'eps' (predict the noise, Ho et al.) or 'x0' (predict the clean image)."""

    def __init__(self, T: int = 1000, objective: str = "eps"):
        if objective not in ("eps", "x0"):
            raise ValueError(f"unknown objective {objective!r}; choices: ['eps', 'x0']")
        self.T, self.objective = T, objective
        betas = cosine_betas(T)
        self.alphas_cumprod = torch.cumprod(1 - betas, 0)  # (T,)

    def _abar(self, t: torch.Tensor, device) -> torch.Tensor:
        return self.alphas_cumprod.to(device)[t].view(-1, 1, 1, 1)

    def q_sample(self, x0: torch.Tensor, t: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        """x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps."""
        a = self._abar(t, x0.device)
        return a.sqrt() * x0 + (1 - a).sqrt() * noise

    def loss(self, net, x0: torch.Tensor, cond: torch.Tensor | None = None, y: torch.Tensor | None = None) -> torch.Tensor:
        B = x0.shape[0]
        t = torch.randint(0, self.T, (B,), device=x0.device)
        noise = torch.randn_like(x0)
        xt = self.q_sample(x0, t, noise)
        inp = xt if cond is None else torch.cat([xt, cond], 1)
        out = net(inp, t, y).float()
        return F.mse_loss(out, (noise if self.objective == "eps" else x0).float())

    def _predict(self, net, xt, t, cond, y) -> tuple[torch.Tensor, torch.Tensor]:
        """-> (x0_hat, eps_hat) from the network output."""
        inp = xt if cond is None else torch.cat([xt, cond.to(xt.dtype)], 1)
        out = net(inp, t, y).float()
        a = self._abar(t, xt.device)
        if self.objective == "eps":
            x0 = ((xt - (1 - a).sqrt() * out) / a.sqrt()).clamp(-1, 1)
        else:
            x0 = out.clamp(-1, 1)
        eps = (xt - a.sqrt() * x0) / (1 - a).sqrt()
        return x0, eps

    @torch.no_grad()
    def ddim_sample(self, net, shape, *, steps: int = 50, eta: float = 0.0, cond=None, y=None,
                    g: torch.Generator | None = None, device="cpu") -> torch.Tensor:
        """DDIM: deterministic for ``eta = 0``; ``steps = T`` with ``eta = 1`` is DDPM
        ancestral sampling."""
        ts = torch.linspace(self.T - 1, 0, steps).round().long().tolist()
        x = torch.randn(shape, generator=g).to(device)
        for i, t in enumerate(ts):
            tt = torch.full((shape[0],), t, device=device, dtype=torch.long)
            x0, eps = self._predict(net, x, tt, cond, y)
            a = float(self.alphas_cumprod[t])
            a_prev = float(self.alphas_cumprod[ts[i + 1]]) if i + 1 < len(ts) else 1.0
            sigma = eta * math.sqrt((1 - a_prev) / (1 - a) * (1 - a / a_prev))
            x = math.sqrt(a_prev) * x0 + math.sqrt(max(0.0, 1 - a_prev - sigma**2)) * eps
            if sigma > 0:
                x = x + sigma * torch.randn(shape, generator=g).to(device)
        return x
