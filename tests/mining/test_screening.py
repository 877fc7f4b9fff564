"""Mining into screening records, decisions, acceptance into the catalog, PRISMA counts."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from reviewdb import query
from reviewdb.db import session_scope
from reviewdb.errors import CatalogError
from reviewdb.mining import screening as S
from reviewdb.mining.models import ScreeningRecord
from tests.helpers import snapshot
from tests.mining.conftest import NEW_BIB

EVIDENCE = "https://doi.org/10.1088/1361-6560/abc123"


def _by_key(url):
    frame = S.list_records(url, limit=None)
    return {r.citekey: r for r in frame.itertuples(index=False)}


def test_mine_flags_duplicates_against_catalog_and_file(mini_url, write_bib):
    report = S.mine_file(write_bib(NEW_BIB), mini_url)
    assert (report.identified, report.duplicates, report.pending) == (6, 3, 3)
    rec = _by_key(mini_url)
    assert rec["alpha2019again"].duplicate_of == "study:alpha2019mri"       # fuzzy title vs the catalog
    assert rec["delta2020dup"].duplicate_of == "study:alpha2019mri"         # same DOI (as a URL, upper case)
    assert rec["lee2023again"].duplicate_of == f"record:{rec['lee2023t1t2'].id}"  # fuzzy title within the file
    assert rec["smith2024sct"].status == "pending"
    assert rec["smith2024sct"].translations == "MRI -> CT"
    detail = S.record_detail(int(rec["smith2024sct"].id), mini_url)
    assert detail["doi"] == "10.1088/1361-6560/abc123"
    assert {p["field"] for p in detail["proposals"]} >= {"translation", "task", "family", "anatomy", "dims"}
    assert all(p["trigger"] for p in detail["proposals"])


def test_mining_the_same_file_again_marks_everything_duplicate(mini_url, write_bib):
    p = write_bib(NEW_BIB)
    S.mine_file(p, mini_url)
    again = S.mine_file(p, mini_url)
    assert again.duplicates == again.identified == 6


def test_screening_decisions(mini_url, write_bib):
    S.mine_file(write_bib(NEW_BIB), mini_url)
    rid = int(_by_key(mini_url)["wong2022cxr"].id)
    assert S.include(rid, mini_url)["status"] == "included"
    with pytest.raises(S.ScreeningError, match="needs a reason"):
        S.exclude(rid, "  ", mini_url)
    with pytest.raises(S.ScreeningError, match="already decided"):  # one decision per reviewer and stage
        S.exclude(rid, "wrong-modality: no medical images", mini_url)
    assert S.reset(rid, mini_url)["status"] == "pending"  # withdrawn: a new row in the log
    assert S.exclude(rid, "wrong-modality: no medical images", mini_url)["reason"] == "wrong-modality: no medical images"
    with pytest.raises(S.ScreeningError, match="no screening record"):
        S.include(9999, mini_url)
    with pytest.raises(S.ScreeningError, match="status must be"):
        S.list_records(mini_url, status="maybe")


def test_accept_needs_the_evidence_url_and_changes_nothing_until_then(mini_url, write_bib):
    S.mine_file(write_bib(NEW_BIB), mini_url)
    rid = int(_by_key(mini_url)["smith2024sct"].id)
    before = snapshot(mini_url)
    with pytest.raises(CatalogError) as info:
        S.accept(rid, mini_url)
    [prob] = info.value.problems
    assert prob.field == "evidence" and "screen complete" in prob.message
    assert snapshot(mini_url) == before
    report = S.accept(rid, mini_url, values={"evidence": EVIDENCE})
    assert report.citekey == "smith2024sct"
    frame = query.find_studies(query.StudyFilter(source="MRI", target="CT"), url=mini_url)
    row = frame[frame["citekey"] == "smith2024sct"].iloc[0]
    assert row["pairs"] == "MRI -> CT" and row["families"] == "GAN" and row["task"] == "translation"
    assert "pelvis" in row["anatomy"] and row["doi"] == "10.1088/1361-6560/abc123"
    rec = S.record_detail(rid, mini_url)
    assert rec["status"] == "included" and rec["study"] == "smith2024sct"
    with pytest.raises(S.ScreeningError, match="already accepted"):
        S.accept(rid, mini_url)


def test_accept_uses_completions_and_refuses_excluded_and_duplicates(mini_url, write_bib):
    S.mine_file(write_bib(NEW_BIB), mini_url)
    rec = _by_key(mini_url)
    with pytest.raises(S.ScreeningError, match="duplicate"):
        S.accept(int(rec["alpha2019again"].id), mini_url)
    rid = int(rec["lee2023t1t2"].id)
    S.exclude(rid, "not-peer-reviewed: preprint only", mini_url)
    with pytest.raises(S.ScreeningError, match="excluded"):
        S.accept(rid, mini_url)
    S.reset(rid, mini_url)
    S.include(rid, mini_url)
    S.complete(rid, {"evidence": "https://arxiv.org/abs/2301.01234", "anatomy": "brain", "dims": "2D"}, mini_url)
    with pytest.raises(S.ScreeningError, match="unknown field"):
        S.complete(rid, {"colour": "blue"}, mini_url)
    S.accept(rid, mini_url)
    detail = query.study_detail("lee2023t1t2", mini_url)
    assert detail["pairs"] == "MRI:T1 -> MRI:T2" and detail["families"] == "diffusion"
    assert detail["arxiv_id"] == "2301.01234"


def test_accept_rejects_bad_completions_with_the_field(mini_url, write_bib):
    S.mine_file(write_bib(NEW_BIB), mini_url)
    rid = int(_by_key(mini_url)["wong2022cxr"].id)
    before = snapshot(mini_url)
    with pytest.raises(CatalogError) as info:
        S.accept(rid, mini_url, values={"evidence": "https://pubmed.ncbi.nlm.nih.gov/35000001/",
                                        "families": "GAN, telepathy"})
    assert [p.field for p in info.value.problems] == ["families"]
    assert snapshot(mini_url) == before


def test_prisma_counts(mini_url, write_bib):
    S.mine_file(write_bib(NEW_BIB), mini_url)
    rec = _by_key(mini_url)
    S.exclude(int(rec["wong2022cxr"].id), "wrong-modality: no medical images", mini_url)
    S.exclude(int(rec["lee2023t1t2"].id), "not-peer-reviewed: preprint only", mini_url)
    S.accept(int(rec["smith2024sct"].id), mini_url, values={"evidence": EVIDENCE})
    counts = S.prisma_counts(mini_url)
    assert {k: counts[k] for k in ("identified", "duplicates", "screened", "pending", "excluded", "included",
                                   "accepted", "excluded_reasons")} == \
        dict(identified=6, duplicates=3, screened=3, pending=0, excluded=2, included=1, accepted=1,
             excluded_reasons={"not-peer-reviewed": 1, "wrong-modality": 1})


BAD = {
    "no title": "@article{ok, title = {Fine MRI to CT}}\n@article{bad, author = {X}}\n",
    "duplicate citekey": "@article{k, title = {One}}\n@article{k, title = {Two}}\n",
    "malformed": "@article{k1, title = {Fine}}\n@article{k2, title = {Broken\n",
}


@pytest.mark.parametrize("kind", list(BAD))
def test_strict_refuses_a_file_with_a_bad_entry_and_changes_nothing(mini_url, write_bib, kind):
    S.mine_file(write_bib(NEW_BIB, name="first.bib"), mini_url)
    before = snapshot(mini_url)
    with pytest.raises(CatalogError) as info:
        S.mine_file(write_bib(BAD[kind]), mini_url, strict=True)
    assert info.value.problems and all(p.file.endswith("export.bib") for p in info.value.problems)
    assert snapshot(mini_url) == before


@pytest.mark.parametrize("kind", list(BAD))
def test_a_bad_entry_is_skipped_and_listed_the_rest_is_mined(mini_url, write_bib, kind):
    report = S.mine_file(write_bib(BAD[kind]), mini_url)
    assert report.identified == 1 and len(report.skipped) >= 1
    assert all(p.file.endswith("export.bib") for p in report.skipped)
    assert "skipped" in str(report)


def test_an_unreadable_file_changes_nothing(mini_url, write_bib):
    before = snapshot(mini_url)
    with pytest.raises(CatalogError) as info:
        S.mine_file(write_bib(b"\x00\x01\x02 not bibtex"), mini_url)
    assert info.value.problems[0].file.endswith("export.bib")
    assert snapshot(mini_url) == before


def test_latin1_export_is_detected_and_read(mini_url, write_bib):
    report = S.mine_file(write_bib("@article{k, title = {Caf\xe9 MRI to CT synthesis}}\n".encode("latin-1")), mini_url)
    assert report.identified == 1
    assert _by_key(mini_url)["k"].title == "Café MRI to CT synthesis"


def test_worker_processes_give_the_same_records(db_url, write_bib, monkeypatch):
    from reviewdb.mining import bibfile

    monkeypatch.setattr(bibfile, "CHUNK_ENTRIES", 2)
    text = NEW_BIB * 1
    p = write_bib(text)
    a = S.mine_file(p, db_url, workers=2)
    with session_scope(db_url) as s:
        rows = s.execute(select(ScreeningRecord.citekey, ScreeningRecord.status, ScreeningRecord.duplicate_of)
                         .order_by(ScreeningRecord.id)).all()
        assert s.scalar(select(func.count()).select_from(ScreeningRecord)) == 6
    assert (a.identified, a.duplicates) == (6, 1)
    assert [r.citekey for r in rows] == ["smith2024sct", "alpha2019again", "delta2020dup", "lee2023t1t2",
                                         "lee2023again", "wong2022cxr"]
