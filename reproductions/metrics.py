"""Evaluation metrics, implemented once, vectorised in torch and run under ``no_grad``.

Image-quality metrics take batches (B, 1, H, W); ``data_range`` is the span of the
physical unit (e.g. 3000 HU for CT on the [-1000, 2000] window). Masked versions average
inside a body mask, so CT errors are reported in HU within the body.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def _masked_mean(x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
    if mask is None:
        return x.mean()
    m = mask.to(x.dtype).expand_as(x)
    return (x * m).sum() / m.sum().clamp_min(1)


@torch.no_grad()
def mae(pred: torch.Tensor, target: torch.Tensor, mask: torch.Tensor | None = None) -> float:
    """Mean absolute error (in the images' unit), inside ``mask`` if given."""
    return float(_masked_mean((pred - target).abs(), mask))


@torch.no_grad()
def mse(pred: torch.Tensor, target: torch.Tensor, mask: torch.Tensor | None = None) -> float:
    return float(_masked_mean((pred - target) ** 2, mask))


@torch.no_grad()
def psnr(pred: torch.Tensor, target: torch.Tensor, data_range: float, mask: torch.Tensor | None = None) -> float:
    """``10 log10(data_range^2 / MSE)`` over the whole set (as skimage for one image)."""
    m = mse(pred, target, mask)
    return float("inf") if m == 0 else 10 * math.log10(data_range**2 / m)


@torch.no_grad()
def ssim_map(x: torch.Tensor, y: torch.Tensor, data_range: float, win: int = 7) -> torch.Tensor:
    """Local SSIM (Wang et al. 2004) with a ``win`` x ``win`` uniform window and sample
    covariances, matching ``skimage.metrics.structural_similarity`` defaults
    (K1 = 0.01, K2 = 0.03). (B, 1, H, W) -> (B, 1, H - win + 1, W - win + 1)."""
    x, y = x.double(), y.double()
    k = torch.ones(1, 1, win, win, dtype=x.dtype, device=x.device) / win**2

    def f(z: torch.Tensor) -> torch.Tensor:
        return F.conv2d(z, k)

    n = win * win
    cov = n / (n - 1)
    ux, uy = f(x), f(y)
    vx = cov * (f(x * x) - ux * ux)
    vy = cov * (f(y * y) - uy * uy)
    vxy = cov * (f(x * y) - ux * uy)
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    return ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux**2 + uy**2 + c1) * (vx + vy + c2))


@torch.no_grad()
def ssim(x: torch.Tensor, y: torch.Tensor, data_range: float, mask: torch.Tensor | None = None,
         win: int = 7) -> float:
    """Mean SSIM; with ``mask``, averaged over windows centred inside the mask."""
    s = ssim_map(x, y, data_range, win)
    if mask is not None:
        p = (win - 1) // 2
        mask = mask[..., p:mask.shape[-2] - p, p:mask.shape[-1] - p]
    return float(_masked_mean(s, mask))


def _pairwise_sq(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return (a.pow(2).sum(1, keepdim=True) - 2 * a @ b.T + b.pow(2).sum(1)[None]).clamp_min(0)


@torch.no_grad()
def mmd(x: torch.Tensor, y: torch.Tensor, bandwidth: float | None = None) -> float:
    """Unbiased squared maximum mean discrepancy (Gretton et al., JMLR 2012) with a Gaussian
    kernel; ``x`` (n, d), ``y`` (m, d) (images are flattened); bandwidth = median heuristic."""
    x, y = x.flatten(1).double(), y.flatten(1).double()
    dxx, dyy, dxy = _pairwise_sq(x, x), _pairwise_sq(y, y), _pairwise_sq(x, y)
    if bandwidth is None:
        bandwidth = float(dxy.median().sqrt().clamp_min(1e-8))
    g = 1.0 / (2 * bandwidth**2)
    kxx, kyy, kxy = (-g * dxx).exp(), (-g * dyy).exp(), (-g * dxy).exp()
    n, m = x.shape[0], y.shape[0]
    sxx = (kxx.sum() - kxx.diagonal().sum()) / (n * (n - 1))
    syy = (kyy.sum() - kyy.diagonal().sum()) / (m * (m - 1))
    return float(sxx + syy - 2 * kxy.mean())


@torch.no_grad()
def sliced_wasserstein(x: torch.Tensor, y: torch.Tensor, n_proj: int = 128, seed: int = 0) -> float:
    """Sliced 1-Wasserstein distance (Rabin et al. 2011): mean over random unit directions of
    the 1D W1 between projections. Equal sample counts use sorted matching; otherwise both
    are compared on 256 quantiles."""
    x, y = x.flatten(1).double(), y.flatten(1).double()
    g = torch.Generator(device="cpu").manual_seed(seed)
    p = torch.randn(x.shape[1], n_proj, generator=g, dtype=torch.float64).to(x.device)
    p = p / p.norm(dim=0, keepdim=True)
    px, py = (x @ p).sort(0).values, (y @ p).sort(0).values
    if px.shape[0] != py.shape[0]:
        q = torch.linspace(0, 1, 256, dtype=torch.float64, device=x.device)
        px, py = torch.quantile(px, q, dim=0), torch.quantile(py, q, dim=0)
    return float((px - py).abs().mean())


def _sqrtm_psd(a: torch.Tensor) -> torch.Tensor:
    w, v = torch.linalg.eigh(a)
    return (v * w.clamp_min(0).sqrt()) @ v.T


@torch.no_grad()
def frechet_distance(fx: torch.Tensor, fy: torch.Tensor) -> float:
    """Fréchet distance between Gaussians fitted to two feature sets (n, d):
    ``|mu_x - mu_y|^2 + Tr(Sx + Sy - 2 (Sx^1/2 Sy Sx^1/2)^1/2)`` (Dowson & Landau 1982)."""
    fx, fy = fx.double(), fy.double()
    mx, my = fx.mean(0), fy.mean(0)
    sx, sy = torch.cov(fx.T), torch.cov(fy.T)
    r = _sqrtm_psd(sx)
    covmean = _sqrtm_psd(r @ sy @ r)
    return float((mx - my).pow(2).sum() + sx.trace() + sy.trace() - 2 * covmean.trace())


@torch.no_grad()
def encoder_features(encoder: torch.nn.Module, x: torch.Tensor, batch: int = 256) -> torch.Tensor:
    encoder.eval()
    return torch.cat([encoder.embed(x[i:i + batch]) for i in range(0, len(x), batch)])


@torch.no_grad()
def sim_encoder_frechet_distance(encoder: torch.nn.Module, real: torch.Tensor, fake: torch.Tensor) -> float:
    """Fréchet distance on the features of ``encoder``, a small CNN trained in this repo
    on simulated images (``reproductions.featurenet``) -- not the Inception FID."""
    return frechet_distance(encoder_features(encoder, real), encoder_features(encoder, fake))


@torch.no_grad()
def inception_fid(real: torch.Tensor, fake: torch.Tensor, weights: str) -> float:
    """FID (Heusel et al. 2017) with a user-supplied Inception feature extractor: a
    TorchScript file mapping (B, 3, 299, 299) images in [-1, 1] to (B, 2048) pool features.
    Nothing is downloaded; without ``weights`` this metric is not computed."""
    net = torch.jit.load(weights, map_location="cpu").eval()

    def feats(x: torch.Tensor) -> torch.Tensor:
        x = F.interpolate(x.float().repeat(1, 3 // x.shape[1], 1, 1), size=(299, 299), mode="bilinear", align_corners=False)
        return torch.cat([net(x[i:i + 32]).flatten(1) for i in range(0, len(x), 32)])

    return frechet_distance(feats(real), feats(fake))


@torch.no_grad()
def diversity(x: torch.Tensor, features: torch.Tensor | None = None, max_pairs: int = 4096, seed: int = 0) -> float:
    """Sample diversity: mean pairwise L2 distance between samples (or their ``features``),
    over up to ``max_pairs`` random pairs; higher = more diverse."""
    f = (features if features is not None else x).flatten(1).double()
    n = f.shape[0]
    g = torch.Generator().manual_seed(seed)
    i = torch.randint(n, (max_pairs,), generator=g)
    j = (i + 1 + torch.randint(n - 1, (max_pairs,), generator=g)) % n
    return float((f[i] - f[j]).norm(dim=1).mean())


@torch.no_grad()
def sharpness(x: torch.Tensor) -> float:
    """Variance of the Laplacian (Pech-Pacheco et al. 2000), mean over images; blurrier
    images score lower."""
    k = torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]], dtype=x.dtype, device=x.device)
    lap = F.conv2d(x[:, :1], k.view(1, 1, 3, 3))
    return float(lap.flatten(1).var(1).mean())


@torch.no_grad()
def accuracy(scores: torch.Tensor, labels: torch.Tensor) -> float:
    """Accuracy of logits (n, classes) or binary scores (n,) thresholded at 0."""
    pred = scores.argmax(1) if scores.dim() == 2 else (scores > 0).long()
    return float((pred == labels).float().mean())


@torch.no_grad()
def auc(scores: torch.Tensor, labels: torch.Tensor) -> float:
    """Binary ROC AUC via the Mann-Whitney U statistic with midranks for ties."""
    scores, labels = scores.flatten().double(), labels.flatten().bool()
    n_pos, n_neg = int(labels.sum()), int((~labels).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = scores.argsort()
    s = scores[order]
    ranks = torch.empty_like(s)
    ranks[order] = torch.arange(1, len(s) + 1, dtype=s.dtype)
    uniq, inv, counts = torch.unique(s, return_inverse=True, return_counts=True)
    if len(uniq) < len(s):  # midranks for ties
        sums = torch.zeros(len(uniq), dtype=s.dtype).index_add_(0, inv, ranks[order])
        ranks[order] = (sums / counts)[inv]
    u = ranks[labels].sum() - n_pos * (n_pos + 1) / 2
    return float(u / (n_pos * n_neg))


@torch.no_grad()
def dice(pred: torch.Tensor, target: torch.Tensor, eps: float = 1e-6) -> float:
    """Dice overlap of two binary masks (whole set)."""
    pred, target = pred.bool(), target.bool()
    inter = (pred & target).sum()
    return float((2 * inter + eps) / (pred.sum() + target.sum() + eps))


def translation_metrics(pred: torch.Tensor, target: torch.Tensor, body: torch.Tensor,
                        window) -> dict[str, float]:
    """MAE/MSE/PSNR/SSIM of network-range predictions in the target's physical unit
    (``window.unit``, HU for CT), inside the body mask."""
    p, t = window.to_physical(pred.float()), window.to_physical(target.float())
    dr = window.hi - window.lo
    return {"mae": mae(p, t, body), "mse": mse(p, t, body), "psnr": psnr(p, t, dr, body),
            "ssim": ssim(p, t, dr, body)}
