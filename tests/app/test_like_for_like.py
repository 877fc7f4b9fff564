"""A reproduction run is put beside a study's values only on the same pair, and the page
says plainly whether the data are the same."""

from __future__ import annotations

import pandas as pd

from app.views.explorer import beside

RESULTS = pd.DataFrame([
    dict(pair="MRI:T1 -> CT", metric="MAE", value=47.2, unit="HU", dataset="SynthRAD2023"),
    dict(pair="CBCT -> CT", metric="MAE", value=30.0, unit="HU", dataset="in-house"),
    dict(pair="MRI:T1 -> CT", metric="FID", value=10.0, unit="", dataset="SynthRAD2023"),
])
SIM = {"data": "simulated", "method_config": {"sources": ["T1"], "target": "CT"}}


def test_only_the_same_pair_is_compared_and_different_data_is_said():
    table, verdict = beside(RESULTS, {"MAE": 95.0, "SSIM": 0.8}, SIM)
    assert list(table["metric"]) == ["MAE"] and "SynthRAD2023" in table["study (pair, data set)"].iloc[0]
    assert list(table["same data"]) == ["no"] and "not a like-for-like" in verdict


def test_same_public_data_set_is_side_by_side():
    cfg = {"data": "/data/Task1/pelvis", "dataset": "SynthRAD2023", "method_config": {"sources": ["MR"], "target": "CT"}}
    table, verdict = beside(RESULTS, {"MAE": 80.0}, cfg)
    assert list(table["same data"]) == ["yes"] and "side by side" in verdict


def test_other_pairs_and_creation_runs_are_not_compared():
    assert beside(RESULTS, {"MAE": 1.0}, {"data": "simulated", "method_config": {"sources": ["T1"], "target": "T2"}})[0].empty
    table, verdict = beside(RESULTS, {"mmd": 0.1}, {"data": "simulated", "method_config": {"modality": "T1"}})
    assert table.empty and "creation" in verdict
