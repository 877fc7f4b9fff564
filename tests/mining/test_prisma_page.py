"""The PRISMA figure (a plain function) and the dashboard's screening page."""

from __future__ import annotations

from pathlib import Path

from reviewdb.mining import screening as S
from reviewdb.mining.prisma import prisma_figure
from tests.mining.conftest import NEW_BIB

COUNTS = dict(identified=120, duplicates=20, screened=100, pending=10, conflicts=2, excluded=60, included=30,
              fulltext_sought=30, fulltext_assessed=25, fulltext_pending=5, fulltext_excluded=7,
              studies_included=18, previous_studies=271, total_studies=289, accepted=12,
              sources={"scopus.ris": 120}, excluded_reasons={"not-generative": 40, "wrong-modality": 20},
              fulltext_excluded_reasons={"not-peer-reviewed": 7})


def test_prisma_figure_shows_every_2020_box():
    fig = prisma_figure(COUNTS)
    text = " ".join(a.text for a in fig.layout.annotations if a.text)
    for needle in ("identified from files: 120", "scopus.ris: 120", "duplicate records: 20",
                   "Records screened (title/abstract): 100", "conflicts: 2", "Records excluded: 60",
                   "not-generative: 40", "Reports sought for retrieval: 30", "Reports assessed for eligibility: 25",
                   "Reports excluded: 7", "not-peer-reviewed: 7", "New studies included: 18",
                   "Total with the catalog (271): 289"):
        assert needle in text
    assert len(fig.layout.shapes) == 9


def test_prisma_figure_with_no_records():
    fig = prisma_figure({})
    assert "identified from files: 0" in " ".join(a.text for a in fig.layout.annotations if a.text)


def test_screening_page_lists_records_and_excludes(mini_url, write_bib, monkeypatch):
    from streamlit.testing.v1 import AppTest

    S.mine_file(write_bib(NEW_BIB), mini_url)
    monkeypatch.setenv("REVIEWDB_URL", mini_url)
    page = Path(__file__).resolve().parents[2] / "app" / "views" / "screening.py"
    at = AppTest.from_string(f"import runpy\nns = runpy.run_path({str(page)!r})\nns['render']()\n",
                             default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Screening"
    assert [m.value for m in at.metric][:2] == ["6", "3"]
    at.text_input(key="sc_reviewer").input("ana").run()  # no decision without a reviewer name
    assert not at.exception, at.exception
    at.button[1].click().run()  # "Exclude" with the proposed or first criterion, on the top-ranked record
    assert not at.exception, at.exception
    assert S.prisma_counts(mini_url)["excluded"] == 1


def test_read_only_screening_page_offers_no_decision(mini_url, write_bib, monkeypatch):
    from streamlit.testing.v1 import AppTest

    S.mine_file(write_bib(NEW_BIB), mini_url)
    monkeypatch.setenv("REVIEWDB_URL", mini_url)
    monkeypatch.setenv("REVIEWDB_READ_ONLY", "1")
    page = Path(__file__).resolve().parents[2] / "app" / "views" / "screening.py"
    at = AppTest.from_string(f"import runpy\nns = runpy.run_path({str(page)!r})\nns['render']()\n",
                             default_timeout=60)
    at.run()
    at.text_input(key="sc_reviewer").input("ana").run()
    assert not at.exception, at.exception
    assert not [b for b in at.button if b.label in ("Include", "Exclude", "Accept into the catalog")]
