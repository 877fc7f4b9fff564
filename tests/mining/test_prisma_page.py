"""The PRISMA figure (a plain function) and the dashboard's screening page."""

from __future__ import annotations

from pathlib import Path

from reviewdb.mining import screening as S
from reviewdb.mining.prisma import prisma_figure
from tests.mining.conftest import NEW_BIB

COUNTS = dict(identified=120, duplicates=20, screened=100, pending=10, excluded=60, included=30, accepted=12,
              excluded_reasons={"not a generative model": 40, "no medical images": 20})


def test_prisma_figure_shows_every_box():
    fig = prisma_figure(COUNTS)
    text = " ".join(a.text for a in fig.layout.annotations if a.text)
    for needle in ("identified from files: 120", "Duplicate records removed: 20", "Records screened: 100",
                   "Records excluded: 60", "not a generative model: 40", "Studies included: 30",
                   "Accepted into the catalog: 12", "awaiting a decision: 10"):
        assert needle in text
    assert len(fig.layout.shapes) == 6


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
    assert len(at.dataframe) >= 2
    at.button[1].click().run()  # "Exclude" with the first reason, on the first pending record
    assert not at.exception, at.exception
    assert S.prisma_counts(mini_url)["excluded"] == 1
