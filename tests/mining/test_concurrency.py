"""Several reviewers at once on one SQLite file: every decision lands, nobody sees
"database is locked", and a reader is never blocked by the writers (WAL)."""

from __future__ import annotations

import multiprocessing as mp

import pytest

from reviewdb.db import get_engine
from reviewdb.mining import screening as S

WRITERS, DECISIONS = 4, 50


def _decide(args: tuple[str, list[int]]) -> int:
    url, ids = args
    for i, rid in enumerate(ids):
        if i % 2:
            S.exclude(rid, "wrong-task: segmentation", url)
        else:
            S.include(rid, url)
    get_engine(url).dispose()
    return len(ids)


def test_four_writers_fifty_decisions_each_lose_nothing(db_url, write_bib):
    _four_writers(db_url, write_bib)


@pytest.mark.postgres
def test_four_writers_on_postgresql_lose_nothing(pg_url, write_bib):
    _four_writers(pg_url, write_bib)


def _four_writers(db_url, write_bib):
    bib = "".join(f"@article{{k{i}, title = {{Entry {i} MRI to CT synthesis with a GAN}}, year = {{2020}}}}\n"
                  for i in range(WRITERS * DECISIONS))
    S.mine_file(write_bib(bib), db_url)
    ids = [int(i) for i in S.list_records(db_url, limit=None)["id"]]
    shares = [(db_url, ids[w::WRITERS]) for w in range(WRITERS)]
    get_engine(db_url).dispose()  # no connection crosses the fork
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    with ctx.Pool(WRITERS) as pool:
        pending = pool.map_async(_decide, shares)
        reads = 0
        while not pending.ready():  # a reader beside the writers is never blocked
            reads += len(S.list_records(db_url, limit=5))
        done = pending.get(timeout=120)
    assert sum(done) == WRITERS * DECISIONS
    records = S.list_records(db_url, limit=None)
    assert (records["status"] == "pending").sum() == 0
    assert (records["status"] == "included").sum() == (records["status"] == "excluded").sum() == len(ids) // 2
    assert reads > 0
