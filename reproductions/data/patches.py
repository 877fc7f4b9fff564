"""Lesion regions of interest: fixed-size patches centred on lesions (label 1) or on lesion-free
brain tissue (label 0). Classifying ROIs rather than whole slices is the setting of the
generative-augmentation studies the review cites (e.g. Frid-Adar et al. 2018, GAN-synthesised
liver-lesion ROIs); on whole 64x64 slices a 3-9 mm lesion is one or two pixels and a
small-data classifier stays at chance, so the experiment could not test anything."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from reproductions.data.sliceset import SliceSet


def _centres(mask: torch.Tensor, n: int, g: torch.Generator) -> torch.Tensor:
    """``n`` (slice, y, x) indices drawn uniformly from the True pixels of ``mask`` (N, H, W)."""
    idx = torch.nonzero(mask)
    if len(idx) == 0:
        raise ValueError("no pixel to centre a patch on")
    return idx[torch.randint(len(idx), (n,), generator=g)]


def _crop(images: torch.Tensor, centres: torch.Tensor, size: int) -> torch.Tensor:
    """Patches (n, C, size, size) around ``centres`` (n, 3), zero-padded at the borders; one
    gather, no Python loop over patches."""
    h = size // 2
    padded = F.pad(images, (h, h, h, h), value=-1.0)
    off = torch.arange(size)
    rows = (centres[:, 1, None] + off)[:, :, None]  # (n, size, 1), already shifted by the pad
    cols = (centres[:, 2, None] + off)[:, None, :]  # (n, 1, size)
    return padded[centres[:, 0, None, None], :, rows, cols].permute(0, 3, 1, 2).contiguous()


def lesion_patches(data: SliceSet, modality: str, *, size: int, n_per_class: int, seed: int,
                   jitter: int = 3) -> tuple[torch.Tensor, torch.Tensor]:
    """``n_per_class`` lesion ROIs and as many lesion-free ROIs of ``modality``.

    Positives are centred on a lesion pixel moved by up to ``jitter`` pixels; negatives on a
    pixel deep inside the head (its neighbourhood all body, so no skull in view) whose whole
    patch holds no lesion.
    Returns images (2n, 1, size, size) in [-1, 1] and labels (2n,) (0 = no lesion, 1 = lesion).
    """
    data.require([modality])
    g = torch.Generator().manual_seed(seed)
    lesion = data.lesion[:, 0]
    if not lesion.any():
        raise ValueError("the data has no lesion to crop")
    pos = _centres(lesion, n_per_class, g)
    shift = torch.randint(-jitter, jitter + 1, (n_per_class, 2), generator=g)
    H, W = lesion.shape[-2:]
    pos[:, 1] = (pos[:, 1] + shift[:, 0]).clamp(0, H - 1)
    pos[:, 2] = (pos[:, 2] + shift[:, 1]).clamp(0, W - 1)
    near_lesion = F.max_pool2d(lesion[:, None].float(), size + 1, stride=1, padding=size // 2)[:, 0, :H, :W] > 0
    img = data.images[modality]
    deep = size + 2 * jitter + 1  # negatives sit as deep in the head as lesions do (no skull in view)
    interior = F.avg_pool2d(data.body.float(), deep, stride=1, padding=deep // 2,
                            count_include_pad=True)[:, 0, :H, :W] > 0.99
    neg = _centres(interior & ~near_lesion, n_per_class, g)
    x = torch.cat([_crop(img, pos, size), _crop(img, neg, size)])
    y = torch.cat([torch.ones(n_per_class, dtype=torch.long), torch.zeros(n_per_class, dtype=torch.long)])
    return x, y
