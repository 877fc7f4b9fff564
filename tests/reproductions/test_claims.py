"""Claim verdicts come from the measured numbers and their confidence interval."""

from __future__ import annotations

import pytest

from reproductions import claims as C


def test_confidence_interval_and_verdicts():
    m, lo, hi = C.mean_ci([1.0, 2.0, 3.0])
    assert m == 2.0 and lo == pytest.approx(2 - 4.302653 / 3**0.5, rel=1e-6) and hi > 3
    assert C.verdict(0.1, 0.5) == "supported"
    assert C.verdict(-0.5, -0.1) == "not supported"
    assert C.verdict(-0.1, 0.5) == "inconclusive"
    assert C.combine(["supported", "supported"]) == "supported"
    assert C.combine(["supported", "inconclusive"]) == "inconclusive"
    assert C.combine(["supported", "not supported"]) == "not supported"


def test_result_flips_with_the_numbers():
    up = C._result("x", "s", [0.3, 0.4, 0.5], {}, "e")
    down = C._result("x", "s", [-0.3, -0.4, -0.5], {}, "e")
    assert up["verdict"] == "supported" and down["verdict"] == "not supported"
    assert up["n_seeds"] == 3 and up["numbers"]["effect_per_seed"] == [0.3, 0.4, 0.5]


def test_run_claims_records_verdicts(tmp_path, monkeypatch):
    from sqlalchemy import select

    from reviewdb.db import session_scope
    from reviewdb.models import ClaimVerdict

    def fake(seeds, ctx):
        return C._result("fake", "A beats B", [1.0 + 0.1 * s for s in seeds], {"a": [1, 2, 3]}, "A - B")

    monkeypatch.setattr(C, "CLAIMS", {"fake": fake})
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    res = C.run_claims(quick=True, seeds=3, out=tmp_path, db=url)
    assert res[0]["verdict"] == "supported"
    with session_scope(url) as s:
        row = s.execute(select(ClaimVerdict)).scalar_one()
        assert (row.code, row.verdict, row.n_seeds) == ("fake", "supported", 3)
        assert row.ci_low > 0 and row.numbers["a"] == [1, 2, 3]
    with pytest.raises(ValueError, match="at least 3"):
        C.run_claims(seeds=2, out=tmp_path, db=url)


def test_paired_vs_unpaired_reports_each_seed_against_the_best_baseline(monkeypatch):
    """A seed where CycleGAN loses to a linear fit shows up in the verdict's numbers."""
    fake = {("pix2pix", 0): (90.0, 130.0), ("pix2pix", 1): (95.0, 120.0), ("pix2pix", 2): (99.0, 125.0),
            ("cyclegan", 0): (110.0, 130.0), ("cyclegan", 1): (125.0, 120.0), ("cyclegan", 2): (115.0, 125.0)}
    monkeypatch.setattr(C, "_run", lambda m, s, ctx, overrides=None, tag="": dict(
        zip(("mae", "best_baseline_mae"), fake[(m, s)])))
    res = C.paired_vs_unpaired([0, 1, 2], {})
    n = res["numbers"]
    assert n["cyclegan_beats_best_baseline"] == [1, 0, 1] and n["cyclegan_beats_best_baseline_seeds"] == "2/3"
    assert n["pix2pix_beats_best_baseline_seeds"] == "3/3" and n["cyclegan_best_baseline_mae"] == [130.0, 120.0, 125.0]
    assert C.baseline_summary(n) == ["pix2pix beat the best baseline on 3/3 seeds",
                                     "cyclegan beat the best baseline on 2/3 seeds"]


def test_shipped_claims_show_cyclegan_beating_the_best_baseline_on_every_seed():
    """The shipped paired-vs-unpaired verdict rests on two methods that both learned the mapping."""
    import json

    from reproductions.reference import REFERENCE_DIR

    shipped = {c["code"]: c for c in json.loads((REFERENCE_DIR / "claims.json").read_text())}
    n = shipped["paired_vs_unpaired"]["numbers"]
    assert len(n["cyclegan_beats_best_baseline"]) == shipped["paired_vs_unpaired"]["n_seeds"] == 5
    assert all(n["cyclegan_beats_best_baseline"]) and all(n["pix2pix_beats_best_baseline"])


def test_plan_sizes_every_run_of_a_claim_without_training(tmp_path):
    """``claims --plan`` lists the runs a claim trains, with the steps ``run`` would take."""
    from typer.testing import CliRunner

    from reproductions.cli import app
    from reproductions.plan import plan
    from reproductions.runner import prepare
    from reproductions.utils import resolve_device

    runs = plan(quick=True, seeds=3, only=["vae_blur"], device="cpu", n_steps=1, warmup=0)
    assert [r.what for r in runs] == ["vae", "dcgan"]
    job = prepare("vae", quick=True, device=resolve_device("cpu"), progress=False)
    assert runs[0].steps == job.train_config.steps > 0 and runs[0].step_flops > 0 and runs[0].step_s > 0
    assert runs[0].seconds == 3 * runs[0].steps * runs[0].step_s
    res = CliRunner().invoke(app(), ["claims", "--quick", "--plan", "--only", "vae_blur", "--seeds", "3",
                                     "--device", "cpu", "--out", str(tmp_path / "claims")])
    assert res.exit_code == 0, res.output
    assert "expected" in res.output and "vae" in res.output and not (tmp_path / "claims").exists()
    res = CliRunner().invoke(app(), ["claims", "--quick", "--full", "--plan"])
    assert res.exit_code != 0 and "exclude each other" in res.output
