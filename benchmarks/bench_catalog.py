"""Catalog database benchmark (issues 2 and 13): load throughput and query latency.

For a synthetic catalog of N studies (default 100,000) loaded through the real loader into a
fresh database, and read through the query API, prints:
- load throughput (studies/s) and the process's peak memory,
- p50/p95 of the modality-pair page: first 100 studies newest first plus the total, MRI (with
  its children) -> CT,
- p50 of that page with one filter added: family, anatomy, year range, paired,
- counts by year and the top-level pair matrix (medians),
- the machine's float32 matmul rate in the same run (to compare runs on other machines).

SQLite always; PostgreSQL beside it when ``--pg URL`` (an admin URL; a scratch database is
created and dropped) or ``REVIEWDB_TEST_PG_URL`` is given.
Targets (issue 13, at 100,000): load >= 20,000 studies/s; page p50 <= 2 ms, p95 <= 4 ms; one
filter added p50 <= 5 ms; counts by year <= 5 ms; matrix <= 10 ms. At 1,000,000: peak memory
< 2 GiB, page p50 <= 5 ms.

    python benchmarks/bench_catalog.py [N] [--pg URL] [--repeat 300] [--no-sqlite] [--slice 200000] [--keep URL]
    python benchmarks/bench_catalog.py 1000000 --slice 100000 --repeat 100   # the million (not run by CI)
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from synthetic import make_catalog  # noqa: E402

from reviewdb import query as Q  # noqa: E402
from reviewdb.catalog.loader import load_catalog  # noqa: E402
from reviewdb.db import upgrade  # noqa: E402

PAIR = dict(source="MRI", target="CT")
ONE_MORE = {"family": dict(family="GAN"), "anatomy": dict(anatomy="pelvis"),
            "year range": dict(year_min=2019, year_max=2021), "paired": dict(paired=False)}


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm: connection, statement cache
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def matmul_gflops(n: int = 2048) -> float:
    import numpy as np

    a, b = np.random.rand(n, n).astype(np.float32), np.random.rand(n, n).astype(np.float32)
    a @ b
    times = []
    for _ in range(5):
        t = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t)
    return 2 * n**3 / statistics.median(times) / 1e9


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load(name: str, url: str, n: int, slice_size: int, catalog=None) -> None:
    """Load ``n`` synthetic studies, in one transaction or (``slice_size`` < n) one per slice
    made just before it is loaded, so memory holds one slice at a time."""
    upgrade(url)
    load_s = 0.0
    for start in range(0, n, slice_size):
        part = catalog if catalog is not None and slice_size >= n else make_catalog(min(slice_size, n - start), 0, start)
        t0 = time.perf_counter()
        load_catalog(part, url, progress=True)
        load_s += time.perf_counter() - t0
        del part
    how = "one transaction" if slice_size >= n else f"{-(-n // slice_size)} transactions of {slice_size:,}"
    print(f"[{name}] load: {n:,} studies ({how}) in {load_s:.2f} s = {n / load_s:,.0f} studies/s "
          f"(target >= 20,000); peak RSS so far {peak_rss_mib():,.0f} MiB")


def measure(name: str, url: str, n: int, repeat: int, slice_size: int, catalog=None) -> None:
    load(name, url, n, slice_size, catalog)
    f = Q.StudyFilter(**PAIR)
    page, total = Q.study_page(f, url=url, limit=100)
    assert len(page) == 100 and total == Q.count_studies(f, url=url) > 0
    lat = timed(lambda: Q.study_page(f, url=url, limit=100), repeat)
    print(f"[{name}] pair page MRI->CT (first 100 of {total:,} + total): p50 {pct(lat, 50):.2f} ms, "
          f"p95 {pct(lat, 95):.2f} ms (target p50 <= 2, p95 <= 4)")
    for label, extra in ONE_MORE.items():
        g = Q.StudyFilter(**PAIR, **extra)
        _, sub = Q.study_page(g, url=url, limit=100)
        lat = timed(lambda: Q.study_page(g, url=url, limit=100), max(20, repeat // 3))
        print(f"[{name}]   + {label:10s} ({sub:,} studies): p50 {pct(lat, 50):.2f} ms, p95 {pct(lat, 95):.2f} ms "
              f"(target p50 <= 5)")
    years = timed(lambda: Q.counts_by("year", url=url), 30)
    print(f"[{name}] counts by year: median {statistics.median(years):.2f} ms (target <= 5)")
    matrix = timed(lambda: Q.pair_matrix(url=url), 30)
    print(f"[{name}] top-level pair matrix: median {statistics.median(matrix):.2f} ms (target <= 10)")


def pg_scratch(admin_url: str):
    """A fresh database on the server of ``admin_url`` (and a function dropping it)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        from reviewdb.db import get_engine

        get_engine.cache_clear()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), drop


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=100_000)
    ap.add_argument("--pg", default=os.environ.get("REVIEWDB_TEST_PG_URL"))
    ap.add_argument("--repeat", type=int, default=300)
    ap.add_argument("--no-sqlite", action="store_true")
    ap.add_argument("--slice", type=int, default=200_000,
                    help="load in transactions of this many studies, each made just before (memory)")
    ap.add_argument("--keep", help="SQLite URL to load into and keep (e.g. for bench_browser --synthetic-url)")
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, float32 matmul {matmul_gflops():.0f} GFLOP/s (numpy, 2048^2)")
    catalog = None
    if args.slice >= args.n:
        t = time.perf_counter()
        catalog = make_catalog(args.n, seed=0)
        print(f"synthetic catalog of {args.n:,} studies made in {time.perf_counter() - t:.1f} s "
              f"(not counted); peak RSS {peak_rss_mib():,.0f} MiB")
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            measure("sqlite", args.keep or f"sqlite:///{tmp}/bench.sqlite", args.n, args.repeat, args.slice, catalog)
    if args.pg:
        url, drop = pg_scratch(args.pg)
        try:
            measure("postgresql", url, args.n, args.repeat, args.slice, catalog)
        finally:
            drop()
    print(f"peak RSS of the whole run: {peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
