"""A synthetic catalog of any size with the review's modality mix, for benchmarks.

The mix follows the scoping review's tallies (many MRI -> CT and multi-contrast MRI,
fewer PET / X-ray / US). Titles and identifiers are obviously synthetic
(``10.0000/synthetic.N``) so a synthetic catalog can never be mistaken for the real one.
"""

from __future__ import annotations

import numpy as np

from reviewdb.catalog.records import (
    Catalog,
    DatasetRecord,
    InclusionRecord,
    ResultRecord,
    ReviewRecord,
    StudyRecord,
    TranslationRecord,
)

# (weight, task, sources, targets, anatomy, metric)
MIX = [
    (59, "translation", ("MRI:T1",), ("CT",), "pelvis", "MAE"),
    (10, "translation", ("MRI",), ("CT",), "brain", "MAE"),
    (12, "translation", ("CBCT",), ("CT",), "head-neck", "MAE"),
    (13, "translation", ("CT",), ("MRI",), "brain", "PSNR"),
    (7, "translation", ("PET:NAC",), ("CT",), "whole-body", "MAE"),
    (17, "translation", ("MRI:T1",), ("MRI:T2",), "brain", "PSNR"),
    (13, "translation", ("MRI:T2",), ("MRI:T1",), "brain", "PSNR"),
    (10, "translation", ("MRI:T1",), ("MRI:FLAIR",), "brain", "SSIM"),
    (8, "translation", ("MRI:T1", "MRI:T2", "MRI:FLAIR"), ("MRI:T1ce",), "brain", "PSNR"),
    (10, "translation", ("CT:NCCT",), ("CT:CECT",), "abdomen", "PSNR"),
    (6, "translation", ("MRI",), ("PET",), "brain", "SSIM"),
    (5, "translation", ("CT",), ("X-ray",), "chest", "SSIM"),
    (1, "translation", ("CT",), ("US",), "abdomen", "FID"),
    (27, "creation.classification", ("noise",), ("X-ray",), "chest", "accuracy"),
    (26, "creation.segmentation", ("label-map",), ("CT",), "lung", "Dice"),
    (11, "creation.other", ("noise",), ("MRI",), "brain", "FID"),
]
FAMILIES = (("GAN", 0.70), ("diffusion", 0.10), ("VAE", 0.05), ("CNN", 0.10), ("transformer", 0.05))
ARCHITECTURES = {"GAN": ("pix2pix", "CycleGAN", "DCGAN", "pGAN"), "diffusion": ("DDPM", "SynDiff"),
                 "VAE": ("VAE",), "CNN": ("U-Net",), "transformer": ("ResViT",)}
DATASETS = ("IXI", "BraTS2020", "SynthRAD2023", "in-house")
YEARS = np.arange(2018, 2024)
YEAR_WEIGHTS = np.array([8, 12, 16, 20, 22, 22], dtype=float)


def make_catalog(n_studies: int, seed: int = 0, start: int = 0) -> Catalog:
    """``n_studies`` synthetic studies (10% with a second translation), deterministic by seed;
    numbered from ``start`` (a large catalog is made and loaded a slice at a time)."""
    rng = np.random.default_rng(seed)
    weights = np.array([m[0] for m in MIX], dtype=float)
    kinds = rng.choice(len(MIX), size=n_studies, p=weights / weights.sum())
    second = rng.choice(len(MIX), size=n_studies, p=weights / weights.sum())
    has_second = rng.random(n_studies) < 0.10
    years = rng.choice(YEARS, size=n_studies, p=YEAR_WEIGHTS / YEAR_WEIGHTS.sum())
    fam_names = [f for f, _ in FAMILIES]
    fams = rng.choice(len(FAMILIES), size=n_studies, p=[p for _, p in FAMILIES])
    values = rng.normal(size=n_studies)
    dsets = rng.choice(len(DATASETS), size=n_studies)
    studies = []
    for i in range(n_studies):
        _, task, src, tgt, anatomy, metric = MIX[kinds[i]]
        n = start + i  # the study's number: citekey, title, DOI
        trans = [TranslationRecord(src, tgt, bool(i % 3), "2D" if i % 4 else "3D")]
        if has_second[i] and MIX[second[i]][1] == task:
            extra = MIX[second[i]]
            if (extra[2], extra[3]) != (src, tgt):
                trans.append(TranslationRecord(extra[2], extra[3], True, "2D"))
        family = fam_names[fams[i]]
        arch = ARCHITECTURES[family][i % len(ARCHITECTURES[family])]
        value = {"MAE": 70 + 15 * values[i], "PSNR": 27 + 2 * values[i], "SSIM": 0.85 + 0.03 * values[i],
                 "accuracy": 85 + 4 * values[i], "Dice": 0.8 + 0.05 * values[i], "FID": 40 + 10 * values[i]}[metric]
        unit = {"MAE": "HU", "PSNR": "dB", "accuracy": "%"}.get(metric, "")
        studies.append(StudyRecord(
            citekey=f"synthetic{n:07d}", title=f"Synthetic study {n} on {anatomy}", task=task,
            authors="Synthetic, Author", year=int(years[i]), venue="Journal of Synthetic Benchmarks",
            doi=f"10.0000/synthetic.{n}", evidence_url=f"https://example.org/synthetic/{n}",
            families=[family], architectures=[(arch, "proposed")], anatomy=[anatomy],
            datasets=[DATASETS[dsets[i]]], translations=trans,
            results=[ResultRecord(metric, float(round(value, 3)), unit, f"https://example.org/synthetic/{n}", 0,
                                  DATASETS[dsets[i]])],
            inclusions=[InclusionRecord("pang2025", "candidate")],
        ))
    return Catalog(
        reviews=[ReviewRecord(key="pang2025", title="Synthetic review record", included_total=232)],
        datasets=[DatasetRecord(name=d) for d in DATASETS],
        studies=studies,
    )
