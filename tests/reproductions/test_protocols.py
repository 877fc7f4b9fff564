"""The SynthRAD2023 protocol gives the numbers its definitions give, computed here another way."""

from __future__ import annotations

import numpy as np
import pytest

from reproductions.protocols import synthrad2023


@pytest.fixture
def volumes():
    rng = np.random.default_rng(7)
    z, y, x = np.mgrid[:12, :24, :24]
    body = ((y - 12) ** 2 + (x - 12) ** 2) < 90
    ct = np.where(body, 40 + 900 * (((y - 12) ** 2 + (x - 12) ** 2) < 12), -1000).astype(np.float32)
    ct[2, 10, 10] = 3400  # beyond the protocol's range: clipped for PSNR/SSIM, not for MAE
    sct = ct + rng.normal(0, 60, ct.shape).astype(np.float32)
    return ct, sct, body.astype(np.uint8)


def test_mae_and_psnr_follow_their_definitions(volumes):
    ct, sct, mask = volumes
    got = synthrad2023(ct, sct, mask)
    m = mask > 0
    assert got["mae"] == pytest.approx(np.mean(np.abs(ct[m].astype(float) - sct[m])), rel=1e-9)
    a, b = np.clip(ct[m], -1024, 3000).astype(float), np.clip(sct[m], -1024, 3000).astype(float)
    assert got["psnr"] == pytest.approx(10 * np.log10(4024.0 ** 2 / np.mean((a - b) ** 2)), rel=1e-9)


def test_ssim_is_the_masked_mean_of_the_cropped_map(volumes):
    ct, sct, mask = volumes
    # independent SSIM: Wang et al.'s formula with a 7x7x7 uniform window and sample covariance
    from scipy.ndimage import uniform_filter

    def prep(v):
        return np.where(mask > 0, np.clip(v, -1024, 3000), -1024).astype(np.float64) + 1024

    x, y = prep(ct), prep(sct)
    w, n = 7, 7 ** 3
    cov = n / (n - 1)
    ux, uy = uniform_filter(x, w), uniform_filter(y, w)
    vx = cov * (uniform_filter(x * x, w) - ux * ux)
    vy = cov * (uniform_filter(y * y, w) - uy * uy)
    vxy = cov * (uniform_filter(x * y, w) - ux * uy)
    c1, c2 = (0.01 * 4024) ** 2, (0.03 * 4024) ** 2
    smap = ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux ** 2 + uy ** 2 + c1) * (vx + vy + c2))
    crop = (slice(3, -3),) * 3
    want = smap[crop][(mask > 0)[crop]].mean()
    assert synthrad2023(ct, sct, mask)["ssim"] == pytest.approx(want, abs=1e-6)


def test_a_perfect_prediction_and_bad_input(volumes):
    ct, _, mask = volumes
    perfect = synthrad2023(ct, ct.copy(), mask)
    assert perfect["mae"] == 0 and perfect["ssim"] == pytest.approx(1.0) and perfect["psnr"] == np.inf
    with pytest.raises(ValueError, match="one shape"):
        synthrad2023(ct, ct[:-1], mask)
    with pytest.raises(ValueError, match="no voxel"):
        synthrad2023(ct, ct, np.zeros_like(mask))


def test_reproduce_on_a_synthrad2023_folder_scores_with_the_protocol(tmp_path):
    """A tiny folder in SynthRAD2023's task-1 layout (Task1/pelvis/<patient>/mr, ct, mask)."""
    import nibabel as nib

    from reproductions.runner import run

    rng = np.random.default_rng(0)
    root = tmp_path / "Task1" / "pelvis"
    z, y, x = np.mgrid[:20, :32, :12]
    for i in range(4):
        body = (((y - 16) / 12.0) ** 2 + ((z - 10) / 8.0) ** 2) < 1
        bone = (((y - 16) / 4.0) ** 2 + ((z - 10) / 3.0) ** 2) < 1
        ct = np.where(body, np.where(bone, 700.0, 30.0), -1000.0) + rng.normal(0, 10, body.shape)
        mr = np.where(body, np.where(bone, 200.0, 600.0), 0.0) + rng.normal(0, 10, body.shape)
        for name, vol in (("mr", mr), ("ct", ct), ("mask", body.astype(np.float32))):
            (root / f"1PA00{i}").mkdir(parents=True, exist_ok=True)
            nib.save(nib.Nifti1Image(vol.astype(np.float32), np.eye(4)), str(root / f"1PA00{i}" / f"{name}.nii.gz"))
    m = run("pix2pix", quick=True, device="cpu", epochs=1, data=str(root), out=tmp_path / "runs", seed=0,
            record_db=False, progress=False, overrides={"sources": ("MR",), "target": "CT"},
            protocol="synthrad2023")
    assert m["synthrad2023_subjects"] >= 1 and m["synthrad2023_mae"] > 0 and 0 < m["synthrad2023_ssim"] <= 1
    import json

    config = json.loads((tmp_path / "runs" / "pix2pix" / "config.json").read_text())
    assert (config["dataset"], config["protocol"]) == ("SynthRAD2023", "synthrad2023")
