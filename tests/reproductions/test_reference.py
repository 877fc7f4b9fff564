"""The reference results shipped with the catalog match what the current code would run."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from reproductions.presets import preset
from reproductions.reference import QUICK_METHODS, REFERENCE_DIR


def _shipped() -> list[dict]:
    path = REFERENCE_DIR / "runs.json"
    if not path.is_file():
        pytest.skip("no reference runs shipped")
    return json.loads(path.read_text())


def test_every_method_has_a_shipped_quick_run_with_its_samples():
    shipped = _shipped()
    assert {r["method"] for r in shipped} == set(QUICK_METHODS)
    for r in shipped:
        assert r["config"]["quick"] is True and r["metrics"] and r["machine"]["cpus"] >= 1
        if r["artifacts_dir"]:
            assert (REFERENCE_DIR.parent / r["artifacts_dir"].removeprefix("bundled:")).is_file()
    assert all(any(r["artifacts_dir"] for r in shipped if r["method"] == m) for m in QUICK_METHODS)


@pytest.mark.parametrize("method", QUICK_METHODS)
def test_shipped_configuration_is_the_current_quick_preset(method):
    """A preset changed since the reference was measured: rerun `python -m reproductions.reference`."""
    for run in [r for r in _shipped() if r["method"] == method]:
        _check_against_preset(method, run)


def _check_against_preset(method, run):
    p = preset(method, quick=True, seed=run["config"]["seed"])
    assert run["config"]["epochs"] == p.epochs
    assert run["config"]["sim_config"] == json.loads(json.dumps(asdict(p.sim)))
    shipped = run["config"]["method_config"]
    for k, v in json.loads(json.dumps(asdict(p.method))).items():
        if v is not None and k in shipped:
            assert shipped[k] == v, f"{method}.{k}: shipped {shipped[k]!r}, current preset {v!r}"
    train = json.loads(json.dumps(asdict(p.train)))
    for k in ("batch_size", "decay_from", "seed"):
        assert run["config"]["train_config"][k] == train[k]


def test_a_rerun_is_told_whether_it_agrees_with_the_reference():
    from reproductions.reference import compare, reference_spread

    ref = reference_spread("pix2pix")
    inside = {"mae": sum(ref["mae"]) / len(ref["mae"]), "ssim": sum(ref["ssim"]) / len(ref["ssim"])}
    assert all("agrees" in line for line in compare("pix2pix", inside))
    far = {"mae": max(ref["mae"]) * 3, "ssim": 0.0}
    assert all("OUTSIDE" in line for line in compare("pix2pix", far))
