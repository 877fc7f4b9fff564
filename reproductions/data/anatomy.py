"""Real anatomy from files nilearn ships inside its package (no download).

nilearn >= 0.10 ships the ICBM 2009a nonlinear symmetric MNI152 template (T1, skull
stripped) and its grey- and white-matter probability maps at 1 mm in
``nilearn/datasets/data/`` (``MNI152_FILE_PATH``, ``GM_MNI152_FILE_PATH``,
``WM_MNI152_FILE_PATH``). We read only those three files with nibabel.

CSF is what remains of the brain mask after GM and WM. The template has no skull or
scalp, so those layers are grown outwards from the brain by a distance map in the
simulator (``simulator.head_layers``).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

Z_RANGE = (45, 140)  # axial slices used (MNI voxel index), ventricles to upper cortex
FOV = 240  # mm, square in-plane field of view around the brain centre


@dataclass(frozen=True)
class Anatomy:
    """Axial slabs at 1 mm: ``brain`` tissue fractions (Z, 3, FOV, FOV) for CSF/GM/WM and
    ``dist`` (Z, FOV, FOV) the distance in mm from the brain (0 inside)."""

    brain: torch.Tensor
    dist: torch.Tensor

    @property
    def n_slices(self) -> int:
        return self.brain.shape[0]


def _cache_dir() -> Path:
    root = os.environ.get("REVIEWDB_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "reviewdb"


def _build() -> tuple[np.ndarray, np.ndarray]:
    import nibabel as nib
    from nilearn import datasets
    from scipy import ndimage

    def load(p) -> np.ndarray:
        return np.asarray(nib.load(str(p)).dataobj, dtype=np.float32)

    t1 = load(datasets.MNI152_FILE_PATH)
    gm = load(datasets.GM_MNI152_FILE_PATH) / 255.0
    wm = load(datasets.WM_MNI152_FILE_PATH) / 255.0
    z0, z1 = Z_RANGE
    brain_mask = t1 > 0
    # centre the FOV on the brain's in-plane bounding box
    xs, ys = np.nonzero(brain_mask.any(axis=2))
    cx, cy = (xs.min() + xs.max()) // 2, (ys.min() + ys.max()) // 2
    brains, dists = [], []
    for z in range(z0, z1):
        m = brain_mask[:, :, z]
        g, w = gm[:, :, z] * m, wm[:, :, z] * m
        tot = np.maximum(g + w, 1.0)
        g, w = g / tot, w / tot
        c = np.clip(m - g - w, 0, 1)
        stack = np.stack([c, g, w])  # (3, X, Y)
        out = np.zeros((3, FOV, FOV), np.float32)
        mo = np.zeros((FOV, FOV), bool)
        x0, y0 = cx - FOV // 2, cy - FOV // 2
        sx = slice(max(0, x0), min(t1.shape[0], x0 + FOV))
        sy = slice(max(0, y0), min(t1.shape[1], y0 + FOV))
        ox, oy = sx.start - x0, sy.start - y0
        out[:, ox:ox + sx.stop - sx.start, oy:oy + sy.stop - sy.start] = stack[:, sx, sy]
        mo[ox:ox + sx.stop - sx.start, oy:oy + sy.stop - sy.start] = m[sx, sy]
        d = ndimage.distance_transform_edt(~mo).astype(np.float32)
        # radiological display: rows anterior->posterior, columns right->left
        brains.append(np.flip(out.transpose(0, 2, 1), axis=1).copy())
        dists.append(np.flip(d.T, axis=0).copy())
    return np.stack(brains), np.stack(dists)


@functools.lru_cache(maxsize=1)
def load_anatomy() -> Anatomy:
    """Load (and cache on disk under ``$REVIEWDB_CACHE`` or ``~/.cache/reviewdb``) the slabs."""
    path = _cache_dir() / f"mni152_slabs_{Z_RANGE[0]}_{Z_RANGE[1]}_{FOV}.npz"
    try:
        with np.load(path) as f:
            brain, dist = f["brain"].astype(np.float32) / 255.0, f["dist"].astype(np.float32)
    except (OSError, KeyError, ValueError):
        brain, dist = _build()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npz")
            np.savez(tmp, brain=np.round(brain * 255).astype(np.uint8),
                     dist=np.minimum(dist, 250).astype(np.uint8))
            os.replace(tmp, path)
        except OSError:
            pass
        brain = np.round(brain * 255) / 255.0
        dist = np.minimum(dist, 250).astype(np.uint8).astype(np.float32)
    return Anatomy(torch.from_numpy(brain.astype(np.float32)), torch.from_numpy(dist))
