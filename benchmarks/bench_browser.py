"""The dashboard as a person sees it: page times in headless chromium (issue 13).

A real Streamlit server, a real headless Debian chromium driven over the DevTools protocol,
and for every page the time from navigation until the page has finished running, its
figures are drawn and it stays so (``benchmarks/browser.py``: SETTLED). Each page is opened
twice: "first" (the server's data cache is cold for that page) and "warm" (opened again).

1. first open on a fresh machine: `reviewdb dashboard` on an empty database (it loads the
   bundled catalog), time to health and to the first settled Overview;
2. the shipped catalog;
3. a synthetic catalog of N studies (default 100,000).

Targets: every page <= 1.5 s warm on the shipped catalog and <= 3 s at 100,000; first open
<= 6 s. At 1,000,000 (``N=1000000``): Overview and Modality pairs <= 5 s.

    python benchmarks/bench_browser.py [N] [--skip-shipped] [--skip-first-open] [--synthetic-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from browser import ROOT, DevTools, chromium, free_port, stop, streamlit_server, wait_http  # noqa: E402

PAGES = {"Overview": "", "Trends": "trends", "Modality pairs": "chord", "MRI contrasts": "contrasts",
         "Study explorer": "explorer", "Reported metrics": "metrics", "Datasets": "datasets",
         "Reproductions & claims": "reproductions", "Screening": "screening"}
FILTERED = ("Modality pairs", "?source=MRI&target=CT&family=GAN")


async def time_pages(ws_url: str, base: str, pages: dict[str, str], repeats: int = 3) -> dict[str, tuple]:
    """page -> (first link, warm link median, warm switch median) seconds. A link is a full
    navigation (a shared URL, a reload); a switch is a click in the sidebar."""
    import websockets

    out = {}
    async with websockets.connect(ws_url, max_size=50_000_000) as ws:
        dt = DevTools(ws)
        await dt.call("Page.enable")
        await dt.call("Emulation.setDeviceMetricsOverride", width=1400, height=1000, deviceScaleFactor=1,
                      mobile=False)
        await dt.open_settled(f"{base}/")  # the session and the browser's caches of the app's JS
        for name, path in pages.items():
            first = await dt.open_settled(f"{base}/{path}")
            warm = [await dt.open_settled(f"{base}/{path}") for _ in range(repeats)]
            switch = []
            if "?" not in path:  # from the Overview (or to it from Trends) by the sidebar link
                for _ in range(repeats):
                    away = "trends" if path == "" else ""
                    await dt.open_settled(f"{base}/{away}")
                    switch.append(await dt.switch_settled(path))
            out[name] = (first, statistics.median(warm), statistics.median(switch) if switch else float("nan"))
    return out


def report(title: str, times: dict[str, tuple], target: float) -> None:
    print(f"\n{title}")
    print(f"{'page':32s} {'first link s':>12s} {'warm link s':>12s} {'warm switch s':>14s}")
    worst = 0.0
    for name, (first, warm, switch) in times.items():
        worst = max(worst, warm)
        print(f"{name:32s} {first:12.2f} {warm:12.2f} {switch:14.2f}{'' if warm <= target else f'  > {target} s'}")
    print(f"slowest warm page by link {worst:.2f} s (target <= {target} s: {'met' if worst <= target else 'MISSED'})")


def measure_catalog(title: str, url: str, tmp: Path, target: float, only: list[str] | None = None) -> None:
    slug = "".join(c for c in title if c.isalnum())[:20]
    with streamlit_server(url, tmp / f"{slug}.log") as base:
        wait_http(f"{base}/_stcore/health")
        with chromium(tmp / f"profile-{slug}") as ws:
            pages = dict(PAGES)
            pages[f"{FILTERED[0]} (MRI->CT, GAN)"] = PAGES[FILTERED[0]] + FILTERED[1]
            pages = {k: v for k, v in pages.items() if not only or k in only}
            times = asyncio.run(time_pages(ws, base, pages))
    report(title, times, target)


def first_open(tmp: Path) -> None:
    """`reviewdb dashboard` on an empty database, as a new user's first `make dashboard`."""
    import subprocess

    port = free_port()
    cmd = [sys.executable, "-m", "reviewdb.cli", "dashboard", "--db", f"sqlite:///{tmp}/fresh.sqlite",
           "--port", str(port), "--address", "127.0.0.1"]
    with chromium(tmp / "profile-first") as ws:  # the browser is already open, as a person's is
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=open(tmp / "first.log", "w"), stderr=subprocess.STDOUT,
                                env=dict(os.environ, PYTHONPATH=str(ROOT)))
        try:
            health = wait_http(f"http://127.0.0.1:{port}/_stcore/health", timeout=120)

            async def go():
                import websockets

                async with websockets.connect(ws, max_size=50_000_000) as sock:
                    return await DevTools(sock).open_settled(f"http://127.0.0.1:{port}/")
            overview = asyncio.run(go())
            total = time.perf_counter() - t0
        finally:
            stop(proc)
    print(f"\nfirst open on an empty database (`reviewdb dashboard`, which loads the bundled catalog): "
          f"server healthy after {health:.2f} s, Overview settled {overview:.2f} s after navigation, "
          f"{total:.2f} s in all (target <= 6 s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=100_000)
    ap.add_argument("--skip-shipped", action="store_true")
    ap.add_argument("--skip-first-open", action="store_true")
    ap.add_argument("--synthetic-url")
    ap.add_argument("--pages", nargs="+", help="only these pages (names as printed)")
    args = ap.parse_args()
    from reviewdb.catalog.loader import load_catalog
    from reviewdb.catalog.reader import read_catalog
    from reviewdb.db import upgrade

    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as d:  # chromium may still be writing
        tmp = Path(d)
        if not args.skip_first_open:
            first_open(tmp)
        if not args.skip_shipped:
            url = f"sqlite:///{tmp}/shipped.sqlite"
            upgrade(url)
            load_catalog(read_catalog(ROOT / "reviewdb" / "data"), url)
            measure_catalog("shipped catalog", url, tmp, 1.5, args.pages)
        if args.n:
            url = args.synthetic_url
            if not url:
                from synthetic import make_catalog

                url = f"sqlite:///{tmp}/synthetic.sqlite"
                upgrade(url)
                t0 = time.perf_counter()
                load_catalog(make_catalog(args.n, seed=0), url, progress=True)
                print(f"\nloaded {args.n:,} synthetic studies in {time.perf_counter() - t0:.1f} s")
            measure_catalog(f"synthetic catalog ({args.n:,} studies)", url, tmp, 3.0 if args.n <= 100_000 else 5.0,
                            args.pages)


if __name__ == "__main__":
    main()
