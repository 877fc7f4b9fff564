"""Benchmark the literature miner: accuracy on the catalog's titles, the dedup threshold,
and a 50,000-entry BibTeX file.

    python benchmarks/bench_mining.py                  # bundled catalog (reviewdb/data)
    python benchmarks/bench_mining.py PATH             # a catalog directory, .json or .csv
    python benchmarks/bench_mining.py --db URL         # a loaded database (query.find_studies)
    python benchmarks/bench_mining.py --n 50000        # size of the large file (0: skip it)

1. Accuracy: the miner reads each study's *title only* and its proposals are scored
   against the curated annotations: precision, recall and F1 per field (micro-averaged
   over (study, value) pairs), task accuracy, and the worst misses. Twice: with every
   rule, and with the ``assumed: ...`` rules (priors for titles that name no modality or
   family) switched off. Targets: source/target top-level modality F1 >= 0.90, model
   family F1 >= 0.85, task accuracy >= 0.85.
2. Dedup: score distributions of perturbed duplicates vs distinct catalog titles, and
   duplicate recall / false matches at candidate thresholds.
1b. External set: entries of public bibliographies nobody here wrote (MIDL proceedings,
   a group's publication list, reference lists; benchmarks/mining_eval/SOURCES.md), labelled
   by hand before the miner ran on them (benchmarks/mining_eval/RULES.md). The miner reads
   title, keywords and abstract. Targets: top-level modality F1 >= 0.85, task accuracy >=
   0.85, family accuracy >= 0.90, out-of-scope flag precision >= 0.80.
3. Scale: a generated 50,000-entry file (keywords + abstracts, 5 % planted duplicates)
   mined into a fresh SQLite database in a child process: wall time, peak RSS, planted
   duplicates found.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from reviewdb.errors import CatalogError  # noqa: E402
from reviewdb.mining.dedup import THRESHOLD  # noqa: E402
from reviewdb.mining.evaluate import (  # noqa: E402
    evaluate,
    lenient_records,
    truth_from_record,
    truths_from_frame,
)
from reviewdb.mining.synthetic import measure_threshold, recall_at, write_large_bib  # noqa: E402

BUNDLED = ROOT / "reviewdb" / "data"
TARGETS = {"source": 0.90, "target": 0.90, "family": 0.85}


def load_truths(path: Path | None, db: str | None):
    """Truths and titles: from a database (find_studies), else from catalog records."""
    if db:
        from reviewdb import query

        frame = query.find_studies(url=db)
        return truths_from_frame(frame), list(frame["title"]), f"database {db} (query.find_studies)", []
    path = path or BUNDLED
    from reviewdb.catalog.reader import read_catalog

    try:
        catalog = read_catalog(path)
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/bench.sqlite"
            from reviewdb import query
            from reviewdb.catalog.loader import load_catalog

            load_catalog(catalog, url)
            frame = query.find_studies(url=url)
            by_key = {r.citekey: r for r in catalog.studies}
            truths = truths_from_frame(frame)
            for t in truths:  # paired / 2D-3D are not columns of find_studies: take them from the records
                rec_truth = truth_from_record(by_key[t.citekey])
                t.values["paired"], t.values["dims"] = rec_truth.values["paired"], rec_truth.values["dims"]
            from reviewdb.db import get_engine

            get_engine(url).dispose()
        return truths, list(frame["title"]), f"{path} loaded into SQLite, read with query.find_studies", []
    except CatalogError as exc:
        if not path.is_dir():
            raise
        records, skipped = lenient_records(path)
        note = (f"{path}: the catalog does not load as a whole ({len(exc.problems)} problem(s), e.g. "
                f"{exc.problems[0]}); scored the {len(records)} studies that validate on their own")
        return [truth_from_record(r) for r in records], [r.title for r in records], note, skipped


def accuracy(truths, datasets=()) -> dict:
    out = {}
    for label, stated in (("all rules", False), ("stated only (no 'assumed' rules)", True)):
        ev = evaluate(truths, datasets, stated_only=stated)
        table = ev.table()
        print(f"\n## Accuracy on {ev.n} titles -- {label}\n")
        print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        out[label] = ev
    ev = out["all rules"]
    print("\nTargets (all rules):")
    for f, target in TARGETS.items():
        f1 = ev.scores[f].f1
        print(f"  {f:8s} F1 {f1:.3f}  target {target:.2f}  {'ok' if f1 >= target else 'MISSED'}")
    print(f"  task     accuracy {ev.task_accuracy:.3f}  target 0.85  {'ok' if ev.task_accuracy >= 0.85 else 'MISSED'}")
    from reviewdb.mining.rules import scanner

    named = [t for t in truths if scanner().scan(t.title).get("modality")]
    sub = evaluate(named, datasets)
    print(f"\nTitles that name at least one imaging modality: {len(named)} of {len(truths)}. On those alone: "
          f"source F1 {sub.scores['source'].f1:.3f}, target F1 {sub.scores['target'].f1:.3f}, "
          f"task accuracy {sub.task_accuracy:.3f} (the others cannot state a modality from the title).")
    print("\n## Worst misses (all rules)")
    for f in ("source", "target", "family", "task", "anatomy"):
        print(f"\n{f}:")
        for m in ev.worst(f, 6):
            if f == "task":
                print(f"  [{m['citekey']}] {m['title'][:100]}\n      truth {m['truth']}, got {m['got']}")
            else:
                print(f"  [{m['citekey']}] {m['title'][:100]}\n      missed {m['missed']}, extra {m['extra']}")
    return out


EXTERNAL = ROOT / "benchmarks" / "mining_eval"
EXTERNAL_TARGETS = {"source F1": 0.85, "target F1": 0.85, "task accuracy": 0.85, "family accuracy": 0.90,
                    "out-of-scope flag precision": 0.80}


def external(labels: Path = EXTERNAL / "labels.csv") -> None:
    from reviewdb.mining.evaluate import evaluate_external, read_labels

    items, missing = read_labels(labels, labels.parent / "sources")
    ev = evaluate_external(items)
    print(f"\n## External set: {ev.n_on} on-topic and {ev.n_off} off-topic labelled entries "
          f"({len(missing)} labelled keys not found in their files)\n")
    print(ev.table().to_string(index=False, float_format=lambda v: f"{v:.3f}", na_rep=""))
    got = {"source F1": ev.scores["source"].f1, "target F1": ev.scores["target"].f1,
           "task accuracy": ev.task_correct / ev.n_on, "family accuracy": ev.family_exact / ev.n_on,
           "out-of-scope flag precision": ev.flag.precision}
    print("\nTargets (external set):")
    for name, target in EXTERNAL_TARGETS.items():
        print(f"  {name:28s} {got[name]:.3f}  target {target:.2f}  {'ok' if got[name] >= target else 'MISSED'}")
    print("\nWorst misses (external set):")
    for field in ("source", "target", "task", "family", "flag"):
        rows = [m for m in ev.misses if m["field"] == field][:5]
        for m in rows:
            detail = (f"truth {m.get('truth')}, got {m.get('got')}" if field in ("task", "flag")
                      else f"missed {m['missed']}, extra {m['extra']}")
            print(f"  {field:6s} [{m['key']}] {m['title'][:90]}\n         {detail}")


def dedup(titles: list[str]) -> None:
    r = measure_threshold(titles)
    print(f"\n## Dedup threshold (fuzz.ratio on normalised titles; in use: {THRESHOLD})\n")
    print(f"perturbed duplicates: {r['n_duplicate_pairs']} pairs; min {r['dup_min']:.1f}, 1st pct "
          f"{r['dup_p1']:.1f}, 5th pct {r['dup_p5']:.1f}, median {r['dup_median']:.1f}")
    print(f"distinct titles: {r['n_distinct_pairs']} pairs of {r['n_titles']} titles; max {r['distinct_max']:.1f}, "
          f"99.9th pct {r['distinct_p999']:.1f}, 99th pct {r['distinct_p99']:.1f}")
    if r["nearest_distinct"]:
        s, a, b = r["nearest_distinct"][0]
        print(f"nearest distinct pair ({s:.1f}):\n  {a}\n  {b}")
    rows = [dict(threshold=t, duplicate_recall=recall_at(r["dup_scores"], t),
                 distinct_pairs_matched=int((r["distinct_scores"] >= t).sum())) for t in (80, 85, 88, 90, 92, 95)]
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    print(f"blocking recall (a perturbed duplicate shares a blocking key with its original): "
          f"{r['blocking_recall']:.4f}")


CHILD = """
import sys, time, resource
from reviewdb.db import upgrade
from reviewdb.mining.screening import mine_file
url, path, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
upgrade(url)
t = time.perf_counter()
rep = mine_file(path, url, progress=True, workers=workers or None)
dt = time.perf_counter() - t
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
print(f"RESULT {dt:.1f} {rep.identified} {rep.duplicates} {max(me.ru_maxrss, kids.ru_maxrss)} {cpu:.1f}")
"""


def large(titles: list[str], n: int, workers: int) -> None:
    print(f"\n## {n:,} entries")
    with tempfile.TemporaryDirectory() as tmp:
        bib = Path(tmp) / "large.bib"
        t = time.perf_counter()
        planted = write_large_bib(bib, titles, n=n)
        print(f"generated {bib.stat().st_size / 2**20:.0f} MiB with {planted} planted duplicates "
              f"in {time.perf_counter() - t:.1f} s")
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        proc = subprocess.run([sys.executable, "-c", CHILD, f"sqlite:///{tmp}/large.sqlite", str(bib), str(workers)],
                              capture_output=True, text=True, cwd=ROOT)
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT")), None)
        if proc.returncode or not line:
            print(proc.stdout[-2000:], proc.stderr[-4000:])
            raise SystemExit("the large-file run failed")
        _, dt, ident, dups, rss_kb, cpu = line.split()
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"mined {int(ident):,} entries in {float(dt):.1f} s wall ({int(ident) / float(dt):,.0f} entries/s), "
              f"{float(cpu):.1f} s CPU (all processes) on {cpus} usable CPU(s), workers={workers or 'auto'}, "
              f"load average {load:.1f}; peak RSS {int(rss_kb) / 1024:.0f} MiB (largest process); "
              f"duplicates flagged {dups} (planted {planted})")
        bar = [ln for ln in proc.stderr.replace("\r", "\n").splitlines() if "mining" in ln]
        if bar:
            print("progress bar (last line):", bar[-1].strip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", type=Path, help="catalog directory, .json or .csv (default: bundled)")
    ap.add_argument("--db", help="score against this loaded database instead (query.find_studies)")
    ap.add_argument("--n", type=int, default=50_000, help="entries in the large file (0: skip)")
    ap.add_argument("--workers", type=int, default=0, help="mining processes for the large file (0: auto)")
    args = ap.parse_args()
    truths, titles, note, skipped = load_truths(args.path, args.db)
    print(f"# Mining benchmark\n\ntruth: {note}")
    if skipped:
        print(f"left out: {', '.join(skipped[:12])}{' ...' if len(skipped) > 12 else ''}")
    accuracy(truths)
    if (EXTERNAL / "labels.csv").is_file():
        external()
    dedup(titles)
    if args.n:
        large(titles, args.n, args.workers)
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print(f"\nbenchmark process peak RSS {ru.ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
