"""Metrics against scikit-image / scikit-learn / scipy where they have them."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from skimage.metrics import mean_squared_error, peak_signal_noise_ratio, structural_similarity

from reproductions import metrics as M


@pytest.fixture
def pair():
    g = torch.Generator().manual_seed(0)
    x = torch.rand(1, 1, 40, 36, generator=g)
    y = (x + 0.1 * torch.randn(1, 1, 40, 36, generator=g)).clamp(0, 1)
    return x, y


def test_mse_psnr_mae_match_skimage(pair):
    x, y = pair
    a, b = x[0, 0].double().numpy(), y[0, 0].double().numpy()
    assert M.mse(x, y) == pytest.approx(mean_squared_error(a, b), rel=1e-5)
    assert M.psnr(x, y, 1.0) == pytest.approx(peak_signal_noise_ratio(a, b, data_range=1.0), rel=1e-5)
    assert M.mae(x, y) == pytest.approx(np.abs(a - b).mean(), rel=1e-5)


def test_ssim_matches_skimage(pair):
    x, y = pair
    ref = structural_similarity(x[0, 0].double().numpy(), y[0, 0].double().numpy(), data_range=1.0)
    assert M.ssim(x, y, 1.0) == pytest.approx(ref, abs=1e-6)
    assert M.ssim(x, x, 1.0) == pytest.approx(1.0)


def test_masked_metrics_use_only_the_mask():
    x = torch.zeros(1, 1, 8, 8)
    y = torch.zeros(1, 1, 8, 8)
    y[..., :4] = 100.0  # error outside the mask only
    mask = torch.zeros(1, 1, 8, 8, dtype=torch.bool)
    mask[..., 4:] = True
    assert M.mae(x, y, mask) == 0.0
    assert M.mae(x, y) == 50.0


def test_auc_matches_sklearn():
    from sklearn.metrics import roc_auc_score

    g = torch.Generator().manual_seed(1)
    s = torch.randn(200, generator=g).round(decimals=1)  # ties
    y = (torch.rand(200, generator=g) < 0.4).long()
    assert M.auc(s, y) == pytest.approx(roc_auc_score(y.numpy(), s.numpy()), abs=1e-9)


def test_frechet_matches_scipy_formula():
    from scipy import linalg

    g = torch.Generator().manual_seed(2)
    a, b = torch.randn(300, 5, generator=g), 0.5 + 1.3 * torch.randn(300, 5, generator=g)
    A, B = a.double().numpy(), b.double().numpy()
    s1, s2 = np.cov(A, rowvar=False), np.cov(B, rowvar=False)
    ref = ((A.mean(0) - B.mean(0)) ** 2).sum() + np.trace(s1 + s2 - 2 * linalg.sqrtm(s1 @ s2).real)
    assert M.frechet_distance(a, b) == pytest.approx(ref, rel=1e-6)


def test_distribution_distances_order():
    g = torch.Generator().manual_seed(3)
    a, b = torch.randn(128, 16, generator=g), torch.randn(128, 16, generator=g)
    c = torch.randn(128, 16, generator=g) + 1.0
    assert M.mmd(a, b) < M.mmd(a, c)
    assert M.sliced_wasserstein(a, b) < M.sliced_wasserstein(a, c)
    assert M.sliced_wasserstein(a, a) == 0.0


def test_diversity_sharpness_dice_accuracy():
    g = torch.Generator().manual_seed(4)
    x = torch.rand(16, 1, 16, 16, generator=g)
    assert M.diversity(x.repeat(1, 1, 1, 1)[:1].repeat(16, 1, 1, 1)) == 0.0 < M.diversity(x)
    blurred = torch.nn.functional.avg_pool2d(x, 3, 1, 1)
    assert M.sharpness(blurred) < M.sharpness(x)
    m = torch.zeros(10, dtype=torch.bool)
    m[:4] = True
    assert M.dice(m, m) == pytest.approx(1.0)
    assert M.accuracy(torch.tensor([[2.0, 1.0], [0.0, 3.0]]), torch.tensor([0, 1])) == 1.0
