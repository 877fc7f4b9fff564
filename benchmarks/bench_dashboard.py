"""Dashboard benchmark: time to first full render of each page, server side (AppTest).

For the shipped catalog and for a synthetic catalog of N studies (default 100,000,
benchmarks/synthetic.py), each page is opened in a fresh session with an empty data
cache ("cold": the queries run) and then rerun ("warm": answered from st.cache_data).
A page also runs with a filter (source MRI, target CT, family GAN). Imports are paid
once beforehand, so the numbers are the page's own work.
Targets: cold render <= 1.5 s (shipped catalog) and <= 5 s (100,000 studies).

    python benchmarks/bench_dashboard.py [N] [--skip-shipped] [--synthetic-url=URL]

(``--synthetic-url`` reuses a database already holding a synthetic catalog.)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from reviewdb.catalog.loader import load_catalog  # noqa: E402
from reviewdb.catalog.reader import read_catalog  # noqa: E402
from reviewdb.db import upgrade  # noqa: E402

MAIN = ROOT / "app" / "main.py"
PAGES = ["views/overview.py", "views/trends.py", "views/chord.py", "views/contrasts.py", "views/explorer.py",
         "views/metrics.py", "views/datasets.py", "views/reproductions.py"]
FILTER = {"source": "MRI", "target": "CT", "family": "GAN"}
TARGETS = {"shipped": 1.5, "synthetic": 5.0}


_COMPONENTS: list = []  # AppTest scans every installed package for components once per
# instance (a real server does it once at start-up); the scan is shared, not timed


def render(url: str, page: str, params: dict | None = None) -> tuple[float, float]:
    """(cold, warm) seconds to render ``page`` in a fresh session."""
    os.environ["REVIEWDB_URL"] = url
    st.cache_data.clear()
    at = AppTest.from_file(str(MAIN), default_timeout=300)
    if _COMPONENTS:
        at._bidi_component_manager = _COMPONENTS[0]
    at.query_params.update(params or {})
    at.switch_page(page)
    t0 = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t0
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    t0 = time.perf_counter()
    at.run()
    if not _COMPONENTS and getattr(at, "_bidi_component_manager", None) is not None:
        _COMPONENTS.append(at._bidi_component_manager)
    return cold, time.perf_counter() - t0


def report(name: str, url: str, target: float) -> bool:
    print(f"\n{name}: {url}")
    print(f"{'page':28s} {'cold s':>8s} {'warm s':>8s} {'filtered cold s':>16s}")
    ok = True
    for page in PAGES:
        cold, warm = render(url, page)
        fcold, _ = render(url, page, FILTER)
        worst = max(cold, fcold)
        ok &= worst <= target
        flag = "" if worst <= target else f"  > {target} s"
        print(f"{page:28s} {cold:8.3f} {warm:8.3f} {fcold:16.3f}{flag}")
    print(f"target {target} s: {'met' if ok else 'MISSED'}")
    return ok


def main(n: int = 100_000, shipped: bool = True, synthetic_url: str | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        warm_url = f"sqlite:///{tmp}/warmup.sqlite"
        upgrade(warm_url)
        load_catalog(read_catalog(ROOT / "tests" / "fixtures" / "mini"), warm_url)
        for page in PAGES:  # pay imports (plotly, pandas, pages) once
            render(warm_url, page)
        if shipped:
            url = f"sqlite:///{tmp}/shipped.sqlite"
            upgrade(url)
            try:
                load_catalog(read_catalog(ROOT / "reviewdb" / "data"), url)
            except Exception as exc:  # the catalog is being filled by other work
                print(f"\nshipped catalog: does not load ({str(exc).splitlines()[0]}); skipped")
            else:
                report("shipped catalog", url, TARGETS["shipped"])
        from synthetic import make_catalog

        url = synthetic_url or f"sqlite:///{tmp}/synthetic.sqlite"
        if not synthetic_url:
            upgrade(url)
            t0 = time.perf_counter()
            load_catalog(make_catalog(n, seed=0), url)
            print(f"\nloaded {n:,} synthetic studies in {time.perf_counter() - t0:.1f} s")
        report(f"synthetic catalog ({n:,} studies)", url, TARGETS["synthetic"])


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    reuse = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--synthetic-url=")), None)
    main(int(args[0]) if args else 100_000, shipped="--skip-shipped" not in sys.argv, synthetic_url=reuse)
