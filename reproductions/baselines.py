"""Non-learned translation baselines, fitted on training slices only.

- identity: the (first) source image as the prediction,
- linear: per-pixel least-squares regression ``tgt ~ a + sum_c b_c src_c`` fitted inside
  the body masks of the training pairs,
- histogram matching: monotone map of the first source's intensity CDF onto the target
  training intensity distribution (unpaired; inside the body, background kept at -1).
"""

from __future__ import annotations

import torch


class Baseline:
    name: str
    needs_pairs: bool = False  # fitted on co-registered source/target pairs

    def fit(self, src: torch.Tensor, tgt: torch.Tensor, body: torch.Tensor) -> "Baseline":
        return self

    def __call__(self, src: torch.Tensor) -> torch.Tensor:  # (N, C, H, W) -> (N, 1, H, W)
        raise NotImplementedError


class Identity(Baseline):
    name = "identity"

    def __call__(self, src: torch.Tensor) -> torch.Tensor:
        return src[:, :1].clone()


class LinearRegression(Baseline):
    name = "linear"
    needs_pairs = True

    def fit(self, src, tgt, body):
        m = body.expand_as(tgt).flatten()
        X = src.permute(1, 0, 2, 3).flatten(1).T[m].double()  # (P, C)
        X = torch.cat([torch.ones(len(X), 1, dtype=X.dtype), X], 1)
        y = tgt.flatten()[m].double()[:, None]
        self.coef = torch.linalg.lstsq(X, y).solution.flatten().float()  # (1 + C,)
        return self

    def __call__(self, src):
        return (self.coef[0] + torch.einsum("c,nchw->nhw", self.coef[1:], src)[:, None]).clamp(-1, 1)


class HistogramMatching(Baseline):
    name = "histogram"

    def fit(self, src, tgt, body, n_q: int = 1024):
        q = torch.linspace(0, 1, n_q)
        m = body.flatten()
        self.src_q = torch.quantile(src[:, :1].flatten()[m][:2_000_000].float(), q)
        self.tgt_q = torch.quantile(tgt.flatten()[m][:2_000_000].float(), q)
        return self

    def __call__(self, src):
        x = src[:, :1].contiguous()
        idx = torch.searchsorted(self.src_q, x.flatten()).clamp(1, len(self.src_q) - 1)
        x0, x1 = self.src_q[idx - 1], self.src_q[idx]
        w = ((x.flatten() - x0) / (x1 - x0).clamp_min(1e-8)).clamp(0, 1)
        y = self.tgt_q[idx - 1] + w * (self.tgt_q[idx] - self.tgt_q[idx - 1])
        return y.view_as(x)


BASELINES: dict[str, type[Baseline]] = {"identity": Identity, "linear": LinearRegression,
                                        "histogram": HistogramMatching}
