"""Evaluation protocols of public challenges, so a run can be compared with the values
studies report on the same data.

``synthrad2023``: the SynthRAD2023 challenge (MRI -> CT task 1, CBCT -> CT task 2) computes
its image metrics on each patient's volume, in HU, inside the patient's body mask, as its
published evaluation code (github.com/SynthRAD2023/metrics, ``functions/image_metrics.py``)
defines them:

- MAE: mean absolute HU difference over the mask voxels, no clipping;
- PSNR: both volumes clipped to the fixed range [-1024, 3000] HU, computed over the mask
  voxels with a data range of 4024 HU;
- SSIM: both volumes clipped to that range, voxels outside the mask set to -1024, shifted by
  +1024 so they are non-negative, the SSIM map computed with a data range of 4024 (scikit-image's
  default 7-voxel window), and averaged over the mask voxels after cropping 3 voxels from
  every border (as scikit-image averages its own map).

Implemented here from that description; the metric functions are scikit-image's.
"""

from __future__ import annotations

import numpy as np
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

SYNTHRAD_RANGE = (-1024.0, 3000.0)
SSIM_CROP = 3


def synthrad2023(ct: np.ndarray, sct: np.ndarray, mask: np.ndarray) -> dict[str, float]:
    """MAE (HU), PSNR (dB) and SSIM of one patient's synthetic CT ``sct`` against ``ct``."""
    if ct.shape != sct.shape or ct.shape != mask.shape:
        raise ValueError(f"ct, sct and mask must have one shape, got {ct.shape}, {sct.shape}, {mask.shape}")
    inside = mask > 0
    if not inside.any():
        raise ValueError("the mask holds no voxel")
    ct, sct = ct.astype(np.float64), sct.astype(np.float64)
    lo, hi = SYNTHRAD_RANGE
    span = hi - lo
    mae = float(np.abs(ct[inside] - sct[inside]).mean())
    ct_c, sct_c = np.clip(ct, lo, hi), np.clip(sct, lo, hi)
    psnr = float(peak_signal_noise_ratio(ct_c[inside], sct_c[inside], data_range=span))
    ct_s = np.where(inside, ct_c, lo) - lo
    sct_s = np.where(inside, sct_c, lo) - lo
    _, smap = structural_similarity(ct_s, sct_s, data_range=span, full=True)
    c = tuple(slice(SSIM_CROP, -SSIM_CROP) for _ in smap.shape)
    ssim = float(smap[c][inside[c]].mean(dtype=np.float64))
    return {"mae": mae, "psnr": psnr, "ssim": ssim}


PROTOCOLS = {"synthrad2023": synthrad2023}

__all__ = ["synthrad2023", "PROTOCOLS", "SYNTHRAD_RANGE"]
