"""Catalog database benchmark (issue 2): load throughput and query latency on SQLite.

Prints, for a synthetic catalog of N studies (default 100,000) loaded through the real
loader into a fresh SQLite file, and read through the query API:
- load throughput (studies/s),
- p50/p95 of the modality-pair query: first page of 100 studies newest first plus the
  total count, source MRI (with its children) -> target CT,
- counts by year, and the full top-level pair matrix.
Targets (issue 2): load >= 10,000 studies/s; pair query p50 <= 5 ms; matrix <= 50 ms.

    python benchmarks/bench_catalog.py [N]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from synthetic import make_catalog  # noqa: E402

from reviewdb import query as Q  # noqa: E402
from reviewdb.catalog.loader import load_catalog  # noqa: E402
from reviewdb.db import upgrade  # noqa: E402


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main(n: int = 100_000) -> None:
    catalog = make_catalog(n, seed=0)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite"
        upgrade(url)
        t0 = time.perf_counter()
        load_catalog(catalog, url, progress=True)
        load_s = time.perf_counter() - t0
        print(f"load: {n} studies in {load_s:.2f} s = {n / load_s:,.0f} studies/s (target >= 10,000)")

        f = Q.StudyFilter(source="MRI", target="CT")
        page, total = Q.study_page(f, url=url, limit=100)
        assert len(page) == 100 and total > 0
        lat = timed(lambda: Q.study_page(f, url=url, limit=100), 200)
        print(f"pair query MRI->CT (first 100 of {total:,} + count): p50 {pct(lat, 50):.2f} ms, "
              f"p95 {pct(lat, 95):.2f} ms (target p50 <= 5 ms)")
        years = timed(lambda: Q.counts_by("year", url=url), 20)
        print(f"counts by year: median {statistics.median(years):.1f} ms")
        matrix = timed(lambda: Q.pair_matrix(url=url), 20)
        print(f"top-level pair matrix: median {statistics.median(matrix):.1f} ms (target <= 50 ms)")
        print(Q.pair_matrix(url=url).to_string(index=False))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
