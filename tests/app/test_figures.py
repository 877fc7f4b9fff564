"""Figures are plain functions: checked on hand-made frames, without Streamlit or a database."""

from __future__ import annotations

import pandas as pd
import pytest

from app import figures


def matrix(rows):
    m = pd.DataFrame(rows, columns=["source", "target", "catalog", "reported"])
    m["reported"] = m["reported"].astype("Int64")
    m["difference"] = m["catalog"] - m["reported"]
    return m


PAIRS = matrix([("MRI", "CT", 12, 59), ("CT", "MRI", 13, 13), ("CBCT", "CT", 5, None), ("PET", "CT", 0, 9)])


def _markers(fig):
    return next(t for t in fig.data if t.name == "pairs")


def test_chord_draws_every_modality_label_and_one_ribbon_per_pair():
    fig = figures.chord(PAIRS, "catalog")
    labels = next(t for t in fig.data if t.name == "labels")
    assert list(labels.text) == ["MRI", "CT", "CBCT", "PET", "X-ray", "US"]
    ribbons = [t.name for t in fig.data if t.fill == "toself" and "→" in (t.name or "")]
    assert sorted(ribbons) == ["CBCT → CT", "CT → MRI", "MRI → CT"]  # PET -> CT has no catalog study
    cd = {(c[0], c[1]): c[2] for c in _markers(fig).customdata}
    assert cd == {("MRI", "CT"): 12, ("CT", "MRI"): 13, ("CBCT", "CT"): 5}


def test_chord_reported_and_difference_views():
    reported = {(c[0], c[1]): c[2] for c in _markers(figures.chord(PAIRS, "reported")).customdata}
    assert reported == {("MRI", "CT"): 59, ("CT", "MRI"): 13, ("PET", "CT"): 9}
    diff = figures.chord(PAIRS, "difference")
    assert {(c[0], c[1]): c[2] for c in _markers(diff).customdata} == {("MRI", "CT"): -47, ("PET", "CT"): -9}
    assert set(_markers(diff).marker.color) == {figures.LESS}  # catalog short of the review: red


def test_chord_ribbon_widths_follow_counts():
    fig = figures.chord(matrix([("MRI", "CT", 30, None), ("CT", "PET", 10, None)]), "catalog")
    ct = next(t for t in fig.data if t.name == "CT" and t.fill == "toself")
    pet = next(t for t in fig.data if t.name == "PET" and t.fill == "toself")
    assert "40 out" not in ct.text and ct.text == "CT: 10 out, 30 in" and pet.text == "PET: 0 out, 10 in"


def test_chord_without_pairs_says_so_and_child_level_uses_short_labels():
    fig = figures.chord(PAIRS.iloc[0:0], "catalog", ["MRI:T1", "MRI:T2", "MRI:FLAIR"])
    assert fig.layout.annotations[0].text == "No modality pairs to draw"
    assert list(next(t for t in fig.data if t.name == "labels").text) == ["T1", "T2", "FLAIR"]
    with pytest.raises(ValueError, match="value must be one of"):
        figures.chord(PAIRS, "bogus")


def test_pair_heatmap_holds_the_numbers():
    fig = figures.pair_heatmap(PAIRS, "reported")
    z = pd.DataFrame(fig.data[0].z, index=fig.data[0].y, columns=fig.data[0].x)
    assert z.loc["MRI", "CT"] == 59 and z.loc["PET", "CT"] == 9 and pd.isna(z.loc["CBCT", "CT"])


def test_trends_stacks_by_family_per_year():
    frame = pd.DataFrame({"year": [2019, 2019, 2021], "family": ["GAN", "VAE", "GAN"], "studies": [3, 1, 2]})
    fig = figures.trends(frame, "family")
    assert fig.layout.barmode == "stack"
    bars = {t.name: (list(t.x), list(t.y)) for t in fig.data}
    assert bars == {"GAN": ([2019, 2021], [3, 2]), "VAE": ([2019], [1])}
    assert figures.trends(frame.iloc[0:0], "family").layout.annotations[0].text == "No studies match these filters"


def test_metric_strip_links_every_point_to_its_study():
    results = pd.DataFrame({
        "citekey": ["a", "b", "c"], "title": ["A", "B", "C"], "year": [2019, 2020, 2021],
        "pair": ["MRI:T1 -> CT", "MRI:T1 -> CT", "CBCT -> CT"], "metric": "MAE", "value": [60.5, 70.0, 40.0],
        "unit": ["HU", "HU", "HU"], "direction": "lower", "link": ["https://doi.org/1", "https://doi.org/2",
                                                                   "https://arxiv.org/abs/3"]})
    fig = figures.metric_strip(results, "MAE")
    boxes = {t.name: t for t in fig.data}
    assert set(boxes) == {"MRI:T1 -> CT [HU]", "CBCT -> CT [HU]"}
    first = boxes["MRI:T1 -> CT [HU]"]
    assert first.boxpoints == "all" and list(first.y) == [60.5, 70.0]
    assert [list(r) for r in first.customdata] == [["a", "A", "2019", "https://doi.org/1"],
                                                   ["b", "B", "2020", "https://doi.org/2"]]
    assert "%{customdata[3]}" in first.hovertemplate
    assert fig.layout.yaxis.title.text == "MAE (lower is better)"


def test_dataset_pairs_reads_the_overview():
    frame = pd.DataFrame({"name": ["SynthRAD2023", "in-house"], "public": [True, False],
                          "pairs": ["MRI -> CT (2); CBCT -> CT (1)", "MRI -> CT (1)"]})
    fig = figures.dataset_pairs(frame)
    z = pd.DataFrame(fig.data[0].z, index=fig.data[0].y, columns=fig.data[0].x)
    assert z.loc["SynthRAD2023", "MRI → CT"] == 2 and z.loc["in-house (private)", "MRI → CT"] == 1


def test_contrast_groups_and_runs_and_coverage():
    g = pd.DataFrame({"group": ["(MRI:T1, MRI:T2) -> MRI:PD"], "sources": ["MRI:T1, MRI:T2"],
                      "targets": ["MRI:PD"], "studies": [1]})
    assert list(figures.contrast_groups(g).data[0].y) == ["(MRI:T1, MRI:T2) -> MRI:PD"]
    runs = pd.DataFrame({"method": ["pix2pix", "pix2pix"], "metrics": [{"MAE": 50.0}, {"MAE": 70.0}]})
    assert list(figures.run_metrics(runs).data[0].y) == [50.0]  # newest first: the latest only
    cov = pd.DataFrame({"key": ["MRI -> CT"], "reported": [59], "catalog": [12]})
    assert [list(t.x) for t in figures.reported_vs_catalog(cov).data] == [[59], [12]]
