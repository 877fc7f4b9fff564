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
