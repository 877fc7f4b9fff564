"""What the loader derives for fast reads (listing text, filter masks, pair totals) always
equals what the stored rows say, by both ways it is built, and after any reload."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest
from sqlalchemy import func, select, update

from reviewdb import listing as L
from reviewdb import query as Q
from reviewdb.catalog.loader import load_catalog, refresh_derived
from reviewdb.catalog.reader import read_catalog
from reviewdb.db import read_scope, session_scope
from reviewdb.models import PairTotal, Study, StudyPair
from tests.helpers import MINI, snapshot


def test_bit_positions_are_append_only():
    """Stored masks use these positions: a new code goes at the end, never in between."""
    assert list(L.FAMILY_BIT)[:9] == ["VAE", "GAN", "diffusion", "flow", "autoregressive", "hybrid", "CNN",
                                      "transformer", "SSM"]
    assert list(L.ANATOMY_BIT)[:6] == ["brain", "head-neck", "chest", "lung", "heart", "breast"]
    assert L.FAMILY_BIT["GAN"] == 2 and L.ANATOMY_BIT["brain"] == 1
    assert len(L.ANATOMY_BIT) <= 63  # a BIGINT holds them


@pytest.fixture
def catalog_copy(catalog_url, tmp_path) -> str:
    """A private copy of the bundled catalog's database (a test may write to it)."""
    import sqlite3

    dest = tmp_path / "catalog.sqlite"
    with sqlite3.connect(catalog_url.removeprefix("sqlite:///")) as src, sqlite3.connect(dest) as dst:
        src.backup(dst)  # the WAL's pages too
    return f"sqlite:///{dest}"


def _counted_totals(url: str) -> tuple[dict, dict]:
    """pair_total as it must be, counted from the rows (families and anatomy from their own
    tables, not from the masks), beside what is stored."""
    from reviewdb.models import StudyAnatomy, StudyFamily

    sp, st = StudyPair, Study
    want: dict[tuple, int] = {}
    with read_scope(url) as conn:
        for a, b, y, n in conn.execute(select(sp.source, sp.target, sp.year, func.count())
                                       .where(sp.excluded.is_(False)).group_by(sp.source, sp.target, sp.year)):
            want[(a, b, "", y)] = n
        for child, code in ((StudyFamily, StudyFamily.family_code), (StudyAnatomy, StudyAnatomy.anatomy_code)):
            kind = "family" if child is StudyFamily else "anatomy"
            q = (select(sp.source, sp.target, code, sp.year, func.count()).join(child, child.study_id == sp.study_id)
                 .where(sp.excluded.is_(False)).group_by(sp.source, sp.target, code, sp.year))
            want.update({(a, b, f"{kind}:{c}", y): n for a, b, c, y, n in conn.execute(q)})
            year = func.coalesce(st.year, 0)
            q = (select(code, year, func.count()).join(child, child.study_id == st.id)
                 .where(st.excluded.is_(False)).group_by(code, year))
            want.update({("*", "*", f"{kind}:{c}", y): n for c, y, n in conn.execute(q)})
        for bit, name in ((1, "paired:yes"), (2, "paired:no")):
            q = (select(sp.source, sp.target, sp.year, func.count())
                 .where(sp.excluded.is_(False), sp.paired_mask.op("&")(bit) != 0)
                 .group_by(sp.source, sp.target, sp.year))
            want.update({(a, b, name, y): n for a, b, y, n in conn.execute(q)})
        year = func.coalesce(st.year, 0)
        want.update({("*", "*", "", y): n for y, n in conn.execute(
            select(year, func.count()).where(st.excluded.is_(False)).group_by(year))})
        stored = {(a, b, f, y): n for a, b, f, y, n in conn.execute(
            select(PairTotal.source, PairTotal.target, PairTotal.facet, PairTotal.year, PairTotal.studies))}
    return want, stored


def test_stored_totals_equal_the_counted_ones(catalog_url):
    want, stored = _counted_totals(catalog_url)
    assert stored == want and len(stored) > 100


def test_refresh_from_stored_rows_rebuilds_what_the_loader_wrote(catalog_copy):
    """An old database (rows from before the derived columns) reads the same after upgrade."""
    before = snapshot(catalog_copy)
    with session_scope(catalog_copy, write=True) as s:
        s.execute(update(Study).values(listing=None, family_mask=0, anatomy_mask=0))
        s.execute(StudyPair.__table__.delete())
        s.execute(PairTotal.__table__.delete())
    n = refresh_derived(catalog_copy)
    assert n == len(before["study"]) > 250
    assert snapshot(catalog_copy) == before


@pytest.mark.parametrize("extra", [dict(family="GAN"), dict(anatomy="pelvis"), dict(family="diffusion"),
                                   dict(anatomy="brain"), dict(year_min=2020, year_max=2021),
                                   dict(family="GAN", anatomy="pelvis"), dict(family="GAN", year_min=2021)])
def test_a_filter_on_the_pair_index_matches_the_filter_on_the_study(catalog_url, extra):
    """The mask test on study_pair rows selects exactly the studies the child tables name."""
    pair = set(Q.find_studies(Q.StudyFilter(source="MRI", target="CT"), url=catalog_url)["citekey"])
    alone = set(Q.find_studies(Q.StudyFilter(**extra), url=catalog_url)["citekey"])
    both = Q.find_studies(Q.StudyFilter(source="MRI", target="CT", **extra), url=catalog_url)
    assert set(both["citekey"]) == pair & alone and len(both) > 0
    _, total = Q.study_page(Q.StudyFilter(source="MRI", target="CT", **extra), url=catalog_url)
    assert total == len(both)


def test_paired_filters_the_translations_of_the_pair(db_url, tmp_path):
    """'MRI -> CT, unpaired' means that study's MRI -> CT translation is unpaired."""
    shutil.copytree(MINI, tmp_path / "cat")
    ann = tmp_path / "cat" / "studies" / "mini.yaml"
    text = ann.read_text()
    old = "    - {sources: [T1w], targets: [sCT], paired: true, dims: 2D}\n"
    assert old in text
    ann.write_text(text.replace(old, old + "    - {sources: [CT], targets: [MRI:T1], paired: false, dims: 2D}\n"))
    load_catalog(read_catalog(tmp_path / "cat"), db_url)
    mri_ct = Q.StudyFilter(source="MRI", target="CT")
    assert Q.count_studies(replace(mri_ct, paired=True), db_url) == 1
    assert Q.count_studies(replace(mri_ct, paired=False), db_url) == 0  # its unpaired one is CT -> MRI
    assert Q.count_studies(Q.StudyFilter(source="CT", target="MRI", paired=False), db_url) == 1


def test_reloads_keep_the_totals_and_listing_true(mini_url, tmp_path):
    """A changed pair moves the stored totals and the listing on reload."""
    mini_copy = tmp_path / "cat"
    shutil.copytree(MINI, mini_copy)
    ann = mini_copy / "studies" / "mini.yaml"
    text = ann.read_text()
    ann.write_text(text.replace("targets: [MRI:T2], paired: true", "targets: [MRI:FLAIR], paired: true"))
    load_catalog(read_catalog(mini_copy), mini_url)
    want, stored = _counted_totals(mini_url)
    assert stored == want
    row = Q.find_studies(Q.StudyFilter(source="MRI:T1", target="MRI:FLAIR"), url=mini_url)
    assert len(row) == 1 and "MRI:T1 -> MRI:FLAIR" in row["pairs"].iloc[0]
    assert Q.count_studies(Q.StudyFilter(source="MRI:T1", target="MRI:T2"), mini_url) == 0


@pytest.mark.parametrize("extra", [dict(), dict(family="GAN"), dict(anatomy="brain"), dict(year_min=2021),
                                   dict(family="GAN", year_max=2020)])
def test_the_stored_pair_matrix_equals_the_counted_one(catalog_url, extra):
    """The chord diagram read from pair_total equals counting the pair rows of the matching studies."""
    f = Q.StudyFilter(**extra)
    stored = Q.pair_matrix(f, url=catalog_url)
    ids = set(Q.find_studies(f, url=catalog_url)["citekey"])
    counted = {}
    for a, b in zip(stored["source"], stored["target"]):
        g = Q.StudyFilter(source=a, target=b)
        counted[(a, b)] = len(ids & set(Q.find_studies(g, url=catalog_url)["citekey"]))
    assert dict(zip(zip(stored["source"], stored["target"]), stored["catalog"])) == counted
    assert stored["catalog"].sum() > 0
