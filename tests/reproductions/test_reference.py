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
    runs = {r["method"]: r for r in _shipped()}
    assert set(runs) == set(QUICK_METHODS)
    for r in runs.values():
        assert r["config"]["quick"] is True and r["metrics"] and r["machine"]["cpus"] >= 1
        assert (REFERENCE_DIR.parent / r["artifacts_dir"].removeprefix("bundled:")).is_file()


@pytest.mark.parametrize("method", QUICK_METHODS)
def test_shipped_configuration_is_the_current_quick_preset(method):
    """A preset changed since the reference was measured: rerun `python -m reproductions.reference`."""
    run = {r["method"]: r for r in _shipped()}[method]
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
