"""Lesion ROIs for the augmentation claim: positives hold a lesion, negatives none, crops are
exact windows of the slice."""

from __future__ import annotations

import pytest
import torch

from reproductions.data import SimConfig, simulate
from reproductions.data.patches import _crop, lesion_patches


@pytest.fixture(scope="module")
def lesioned():
    return simulate(SimConfig(n_subjects=3, slices_per_subject=3, image_size=64, lesion_prob=1.0, seed=2,
                              modalities=("FLAIR",)))


def test_crop_is_the_window_around_the_centre():
    img = torch.arange(2 * 10 * 10, dtype=torch.float32).view(2, 1, 10, 10)
    out = _crop(img, torch.tensor([[1, 5, 4], [0, 0, 0]]), 4)
    assert out.shape == (2, 1, 4, 4)
    assert torch.equal(out[0, 0], img[1, 0, 3:7, 2:6])
    assert torch.equal(out[1, 0, 2:, 2:], img[0, 0, :2, :2]) and (out[1, 0, :2] == -1).all()  # padded border


def test_positives_hold_a_lesion_and_negatives_none(lesioned):
    x, y = lesion_patches(lesioned, "FLAIR", size=16, n_per_class=20, seed=0)
    assert x.shape == (40, 1, 16, 16) and y.tolist() == [1] * 20 + [0] * 20
    # the same crops of the lesion mask: every positive shows lesion, no negative does
    masks, _ = lesion_patches(_as_image(lesioned), "FLAIR", size=16, n_per_class=20, seed=0)
    assert (masks[:20].flatten(1).amax(1) > 0).all()
    assert (masks[20:].flatten(1).amax(1) <= -1).all()


def test_same_seed_same_patches_and_errors(lesioned):
    a, _ = lesion_patches(lesioned, "FLAIR", size=8, n_per_class=5, seed=3)
    b, _ = lesion_patches(lesioned, "FLAIR", size=8, n_per_class=5, seed=3)
    assert torch.equal(a, b)
    with pytest.raises(ValueError, match="no modality"):
        lesion_patches(lesioned, "CT", size=8, n_per_class=5, seed=0)
    healthy = simulate(SimConfig(n_subjects=1, slices_per_subject=2, image_size=32, lesion_prob=0.0,
                                 modalities=("FLAIR",)))
    with pytest.raises(ValueError, match="no lesion"):
        lesion_patches(healthy, "FLAIR", size=8, n_per_class=5, seed=0)


def _as_image(data):
    """The lesion mask as the FLAIR image (1 inside lesions, -1 elsewhere): cropping it with the
    same seed shows what each patch contains."""
    from dataclasses import replace

    return replace(data, images={"FLAIR": data.lesion.float() * 2 - 1})
