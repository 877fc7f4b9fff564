"""Duplicates by DOI, arXiv id and fuzzy normalised title, and the threshold's measurement."""

from __future__ import annotations

import random

from reviewdb.mining.bibfile import normalise_arxiv, normalise_doi
from reviewdb.mining.dedup import THRESHOLD, DuplicateIndex, similarity
from reviewdb.mining.synthetic import measure_threshold, perturb

TITLES = [
    "Image Synthesis in Multi-Contrast MRI With Conditional Generative Adversarial Networks",
    "Synthetic CT generation from MRI using 3D transformer-based denoising diffusion model",
    "Synthetic CT generation from weakly paired MR images using cycle-consistent GAN for MR-guided radiotherapy",
    "Automated pulmonary nodule classification in computed tomography images using a deep convolutional "
    "neural network trained by generative adversarial networks",
    "Multiplanar analysis for pulmonary nodule classification in CT images using deep convolutional neural "
    "network and generative adversarial networks",
]


def test_identifiers_are_normalised():
    assert normalise_doi("https://doi.org/10.1109/TMI.2019.2901750") == "10.1109/tmi.2019.2901750"
    assert normalise_doi("doi:10.1109/TMI.2019.2901750.") == "10.1109/tmi.2019.2901750"
    assert normalise_doi("not a doi") is None
    assert normalise_arxiv("arXiv:1802.01221v3") == "1802.01221"
    assert normalise_arxiv("https://arxiv.org/abs/2207.08208v1") == "2207.08208"


def test_doi_and_arxiv_win_over_titles():
    idx = DuplicateIndex()
    idx.add("study:a", "10.1/x", "1802.01221", TITLES[0])
    assert idx.match("10.1/X", None, "another title").kind == "doi"
    assert idx.match(None, "1802.01221", "another title").kind == "arxiv"
    assert idx.match(None, None, "another title") is None


def test_fuzzy_titles():
    idx = DuplicateIndex()
    for i, t in enumerate(TITLES):
        idx.add(f"study:{i}", None, None, t)
    m = idx.match(None, None, r"Image synthesis in multi-contrast {MRI} with conditional generative adversarial network.")
    assert m is not None and m.ref == "study:0" and m.kind == "fuzzy-title" and m.score >= THRESHOLD
    assert idx.match(None, None, TITLES[0].upper()).kind == "title"
    # near-identical but different papers stay apart
    assert similarity(TITLES[1], TITLES[2]) < THRESHOLD
    assert similarity(TITLES[3], TITLES[4]) < THRESHOLD


def test_threshold_separates_perturbed_duplicates_from_distinct_titles():
    r = measure_threshold(TITLES, per_title=20)
    assert r["distinct_max"] < THRESHOLD
    assert r["dup_p5"] >= THRESHOLD
    assert r["blocking_recall"] >= 0.95


def test_perturbations_keep_most_titles_findable():
    rng = random.Random(1)
    idx = DuplicateIndex()
    for i, t in enumerate(TITLES):
        idx.add(f"s{i}", None, None, t)
    found = sum(idx.match(None, None, perturb(t, rng)[1]) is not None for t in TITLES for _ in range(20))
    assert found >= 0.95 * len(TITLES) * 20
