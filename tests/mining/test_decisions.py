"""Screening as review teams do it: a decision log, single or dual screening, blind until
settled, conflicts resolved by a third reviewer, kappa, two stages, clear refusals."""

from __future__ import annotations

import pytest

from reviewdb.mining import decisions as D
from reviewdb.mining import screening as S
from reviewdb.mining.models import ScreeningDecision
from reviewdb.db import session_scope
from sqlalchemy import func, select
from tests.helpers import snapshot
from tests.mining.conftest import NEW_BIB


@pytest.fixture
def recs(mini_url, write_bib):
    S.mine_file(write_bib(NEW_BIB), mini_url)
    frame = S.list_records(mini_url)
    return {k: int(i) for k, i in zip(frame["citekey"], frame["id"])}


def _log(url) -> int:
    with session_scope(url) as s:
        return s.execute(select(func.count()).select_from(ScreeningDecision)).scalar()


def test_dual_screening_settles_on_agreement_and_lists_conflicts(mini_url, recs):
    D.set_reviewers_required(2, mini_url)
    a, b = recs["wong2022cxr"], recs["lee2023t1t2"]
    assert S.include(a, mini_url, reviewer="ana")["state"] == "pending"  # one of two decisions
    assert S.include(a, mini_url, reviewer="ben")["state"] == "included"
    S.include(b, mini_url, reviewer="ana")
    assert S.exclude(b, "wrong-task: segmentation only", mini_url, reviewer="ben")["state"] == "conflict"
    assert [c["id"] for c in D.conflicts(mini_url)] == [b]
    with pytest.raises(D.DecisionError, match="third reviewer"):
        S.exclude(b, "wrong-task: segmentation only", mini_url, reviewer="ana", resolve=True)
    out = S.exclude(b, "wrong-task: segmentation only", mini_url, reviewer="cem", resolve=True)
    assert (out["state"], out["status"]) == ("excluded", "excluded")
    assert D.conflicts(mini_url) == []
    [pair] = D.agreement(mini_url)
    assert (pair["reviewers"], pair["records"], pair["agreement"]) == ("ana / ben", 2, 0.5)


def test_decisions_are_appended_never_overwritten(mini_url, recs):
    r = recs["wong2022cxr"]
    S.include(r, mini_url, reviewer="ana")
    with pytest.raises(D.DecisionError, match="already decided"):
        S.exclude(r, "other: changed my mind", mini_url, reviewer="ana")
    S.reset(r, mini_url, reviewer="ana")
    S.exclude(r, "other: changed my mind", mini_url, reviewer="ana")
    assert _log(mini_url) == 3  # include, withdraw, exclude: all kept
    assert D.states(mini_url)[r].state == "excluded"


def test_blind_until_both_have_decided(mini_url, recs):
    D.set_reviewers_required(2, mini_url)
    r = recs["wong2022cxr"]
    S.include(r, mini_url, reviewer="ana")
    st = D.states(mini_url)[r]
    assert D.visible_votes(st, "ben") == {} and D.visible_votes(st, "ana") == {"ana": ("include", None)}
    S.include(r, mini_url, reviewer="ben")
    assert set(D.visible_votes(D.states(mini_url)[r], "ben")) == {"ana", "ben"}


@pytest.mark.parametrize("action, match", [
    (lambda url, r: S.include(99999, url, reviewer="ana"), "no screening record"),
    (lambda url, r: S.include(r, url, reviewer="ana", stage="full-text"), "only records it included"),
    (lambda url, r: S.exclude(r, "looks wrong", url, reviewer="ana"), "criterion|starts with"),
    (lambda url, r: S.exclude(r, "other", url, reviewer="ana"), "needs words"),
    (lambda url, r: S.include(r, url, reviewer="ana", resolve=True), "no conflict"),
    (lambda url, r: S.include(r, url, reviewer="  "), "reviewer"),
])
def test_bad_decisions_are_refused_and_change_nothing(mini_url, recs, action, match):
    r = recs["wong2022cxr"]
    before = snapshot(mini_url)
    with pytest.raises(D.DecisionError, match=match):
        action(mini_url, r)
    assert snapshot(mini_url) == before


def test_full_text_stage_and_prisma_2020_counts(mini_url, recs):
    from reviewdb.mining.prisma import counts, prisma_csv

    a, b, c = recs["wong2022cxr"], recs["lee2023t1t2"], recs["smith2024sct"]
    S.include(a, mini_url, reviewer="ana")
    S.include(b, mini_url, reviewer="ana")
    S.exclude(c, "not-peer-reviewed: preprint", mini_url, reviewer="ana")
    S.include(a, mini_url, reviewer="ana", stage="full-text")
    S.exclude(b, "wrong-modality: histology", mini_url, reviewer="ana", stage="full-text")
    k = counts(mini_url)
    assert (k["identified"], k["duplicates"], k["screened"], k["excluded"], k["included"]) == (6, 3, 3, 1, 2)
    assert (k["fulltext_sought"], k["fulltext_assessed"], k["fulltext_excluded"], k["studies_included"]) == (2, 2, 1, 1)
    assert k["excluded_reasons"] == {"not-peer-reviewed": 1}
    assert k["fulltext_excluded_reasons"] == {"wrong-modality": 1}
    assert k["total_studies"] == k["previous_studies"] + 1
    rows = dict(line.split(",")[0::7] for line in prisma_csv(k).splitlines()[1:] if line.count(",") == 7)
    assert rows["database_results"] == "6" and rows["records_excluded"] == "1" and rows["new_studies"] == "1"


def test_cohen_kappa():
    assert D.cohen_kappa([("include", "include"), ("exclude", "exclude")]) == 1.0
    assert D.cohen_kappa([("include", "exclude"), ("exclude", "include")]) == -1.0
    assert D.cohen_kappa([("include", "include")] * 3 + [("include", "exclude")]) == 0.0
