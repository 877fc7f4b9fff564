"""``SliceSet``: the one in-memory data interface shared by the simulator and real loaders."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from reproductions.data.physics import WINDOWS, Window


@dataclass
class SliceSet:
    """2D slices of several subjects, every modality co-registered.

    :param images: modality name -> (N, 1, H, W) float tensor in [-1, 1]
    :param subject: (N,) subject index of each slice (splits are made by subject)
    :param body: (N, 1, H, W) bool body mask (metrics are computed inside it)
    :param lesion: (N, 1, H, W) bool lesion mask (all False when unknown)
    :param label: (N,) long class label (lesion present for the simulator; MedMNIST label)
    :param windows: modality -> physical window (HU for CT, so errors can be given in HU)
    """

    images: dict[str, torch.Tensor]
    subject: torch.Tensor
    body: torch.Tensor
    lesion: torch.Tensor
    label: torch.Tensor
    windows: dict[str, Window] = field(default_factory=lambda: dict(WINDOWS))

    def __len__(self) -> int:
        return int(self.subject.shape[0])

    @property
    def modalities(self) -> list[str]:
        return list(self.images)

    @property
    def subjects(self) -> list[int]:
        return sorted(set(self.subject.tolist()))

    def select(self, idx: torch.Tensor) -> "SliceSet":
        return SliceSet({k: v[idx] for k, v in self.images.items()}, self.subject[idx],
                        self.body[idx], self.lesion[idx], self.label[idx], dict(self.windows))

    def by_subjects(self, subjects: list[int]) -> "SliceSet":
        keep = torch.isin(self.subject, torch.tensor(sorted(subjects), dtype=self.subject.dtype))
        return self.select(torch.nonzero(keep).flatten())

    def require(self, modalities: list[str]) -> None:
        missing = [m for m in modalities if m not in self.images]
        if missing:
            raise ValueError(f"data has no modality {missing}; available: {self.modalities}")


@dataclass(frozen=True)
class Splits:
    train: SliceSet
    val: SliceSet
    test: SliceSet


def split_by_subject(data: SliceSet, seed: int, fractions: tuple[float, float] = (0.7, 0.15)) -> Splits:
    """Deterministic train/val/test split by subject (no subject in two splits)."""
    subs = np.array(data.subjects)
    rng = np.random.default_rng(seed)
    subs = subs[rng.permutation(len(subs))]
    n = len(subs)
    if n < 3:
        raise ValueError(f"need at least 3 subjects to split, got {n}")
    n_tr = max(1, int(round(fractions[0] * n)))
    n_va = max(1, int(round(fractions[1] * n)))
    n_tr = min(n_tr, n - 2)
    n_va = min(n_va, n - n_tr - 1)
    return Splits(data.by_subjects(subs[:n_tr].tolist()),
                  data.by_subjects(subs[n_tr:n_tr + n_va].tolist()),
                  data.by_subjects(subs[n_tr + n_va:].tolist()))


def unpaired_halves(data: SliceSet, seed: int) -> tuple[SliceSet, SliceSet]:
    """Split training subjects into two disjoint halves: domain A from one, B from the other,
    so an unpaired method never sees the same subject in both domains."""
    subs = np.array(data.subjects)
    rng = np.random.default_rng(seed + 1)
    subs = subs[rng.permutation(len(subs))]
    h = max(1, len(subs) // 2)
    return data.by_subjects(subs[:h].tolist()), data.by_subjects(subs[h:].tolist())
