"""Mining, screening and acceptance on a real PostgreSQL server (CI starts one)."""

from __future__ import annotations

import pytest

from reviewdb import query
from reviewdb.catalog.loader import load_catalog
from reviewdb.catalog.reader import read_catalog
from reviewdb.errors import CatalogError
from reviewdb.mining import screening as S
from tests.helpers import MINI, snapshot
from tests.mining.conftest import NEW_BIB

pytestmark = pytest.mark.postgres


def test_mine_screen_accept_on_postgres(pg_url, write_bib):
    load_catalog(read_catalog(MINI), pg_url)
    report = S.mine_file(write_bib(NEW_BIB), pg_url)
    assert (report.identified, report.duplicates) == (6, 3)
    frame = S.list_records(pg_url, limit=None, text="synthetic ct")
    assert list(frame["citekey"]) == ["smith2024sct", "alpha2019again"]
    rid = int(frame["id"].iloc[0])
    before = snapshot(pg_url)
    with pytest.raises(CatalogError):
        S.accept(rid, pg_url)
    with pytest.raises(CatalogError):
        S.mine_file(write_bib("@article{k, author = {X}}\n", name="bad.bib"), pg_url)
    assert snapshot(pg_url) == before
    S.accept(rid, pg_url, values={"evidence": "https://doi.org/10.1088/1361-6560/abc123"})
    assert "smith2024sct" in set(query.find_studies(query.StudyFilter(source="MRI", target="CT"), url=pg_url)["citekey"])
    assert S.prisma_counts(pg_url)["included"] == 1
