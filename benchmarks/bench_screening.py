"""Screening benchmark: reviewdb's relevance ranking against ASReview LAB, on real records.

    python benchmarks/bench_screening.py                 # 5 seeds, ASReview too if installed
    python benchmarks/bench_screening.py --seeds 10 --plot recall.png
    python benchmarks/bench_screening.py --asreview /path/to/venv/bin/asreview

Data: every entry of the MIDL 2019-2023 proceedings files (PMLR volumes 102, 121, 143, 172,
227; benchmarks/screening/SOURCES.md), labelled include/exclude by the review's criteria
from title and abstract before any model ran on them (benchmarks/screening/RULES.md).

Both tools screen the same records with the same prior knowledge: the bundled catalog's
studies (included ones as relevant, excluded ones as irrelevant). Each step the model is
retrained and the most likely relevant unscreened record is read next; the benchmark
prints, per tool and over the seeds, recall after 10 % and 25 % of the records, WSS@95 and
the records read to reach 95 % and 100 % recall, and draws both recall curves.

ASReview runs through its own command line (``asreview simulate``, its default model),
installed only for this benchmark (``pip install asreview`` in a separate environment);
reviewdb never imports it. Its simulation order is read back from the project file.

Also printed: the time of one retraining step on 10,000 records.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from reviewdb.catalog.reader import Problems, read_catalog  # noqa: E402
from reviewdb.mining.bibfile import iter_entries  # noqa: E402
from reviewdb.mining.formats import sniff_encoding  # noqa: E402
from reviewdb.mining.ranking import Ranker, document  # noqa: E402

DATA = ROOT / "benchmarks" / "screening"


def load_records() -> pd.DataFrame:
    """The labelled MIDL records with their title, abstract and keywords."""
    labels = pd.read_csv(DATA / "labels.csv", dtype=str, keep_default_na=False)
    texts = {}
    for name in sorted(set(labels["file"])):
        path = DATA / "sources" / name
        for e in iter_entries(path, Problems(), sniff_encoding(path)):
            abstract = e.abstract or e.fields.get("abtract")  # three 2021 entries spell it so
            texts[(name, e.citekey)] = (e.title, e.keywords or "", abstract or "")
    rows = [dict(file=r.file, key=r.key, label=int(r.label), title=texts[(r.file, r.key)][0],
                 keywords=texts[(r.file, r.key)][1], abstract=texts[(r.file, r.key)][2])
            for r in labels.itertuples() if (r.file, r.key) in texts]
    return pd.DataFrame(rows)


def catalog_prior(records: pd.DataFrame | None = None) -> tuple[list[str], list[str], pd.DataFrame]:
    """The catalog as prior knowledge, less any study that is itself one of the screened records
    (two MIDL papers are in the catalog: leaving them in would hand both tools the answer)."""
    from reviewdb.catalog.records import normalise_title

    cat = read_catalog(ROOT / "reviewdb" / "data")
    screened = {normalise_title(t) for t in records["title"]} if records is not None else set()
    studies = [s for s in cat.studies if s.title_norm not in screened]
    pos = [s for s in studies if not s.excluded]
    neg = [s for s in studies if s.excluded]
    frame = pd.DataFrame([dict(title=s.title, abstract=s.notes or "", label=int(not s.excluded))
                          for s in pos + neg])
    return ([document(s.title, None, s.notes) for s in pos], [document(s.title, None, s.notes) for s in neg], frame)


def simulate_reviewdb(records: pd.DataFrame, pos: list[str], neg: list[str], seed: int) -> list[int]:
    """The order in which reviewdb's ranking reads the records (indices into ``records``)."""
    rng = np.random.default_rng(seed)
    perm = rng.permutation(len(records))  # the seed decides the file order, hence ties
    docs = [document(t, k, a) for t, k, a in zip(records["title"], records["keywords"], records["abstract"])]
    ranker = Ranker([docs[i] for i in perm], pos, neg, seed=seed)
    y = records["label"].to_numpy()[perm]
    labels: dict[int, int] = {}
    order: list[int] = []
    left = set(range(len(perm)))
    while left:
        s = ranker.scores(labels)
        cand = np.fromiter(left, dtype=int)
        nxt = int(cand[np.argmax(s[cand])])
        labels[nxt] = int(y[nxt])
        order.append(int(perm[nxt]))
        left.remove(nxt)
    return order


def simulate_asreview(exe: str, records: pd.DataFrame, prior: pd.DataFrame, seed: int, tmp: Path) -> list[int]:
    """ASReview LAB's own simulation (default model), the catalog as labelled prior records."""
    data = pd.concat([prior.assign(keywords=""), records[["title", "abstract", "keywords", "label"]]],
                     ignore_index=True)
    data = data.rename(columns={"label": "label_included"})
    csv = tmp / f"data_{seed}.csv"
    data[["title", "abstract", "keywords", "label_included"]].to_csv(csv, index=False)
    out = tmp / f"sim_{seed}.asreview"
    prior_idx = [str(i) for i in range(len(prior))]
    cmd = [exe, "simulate", str(csv), "-o", str(out), "--seed", str(seed), "--prior-idx", *prior_idx]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"asreview simulate failed: {proc.stderr[-1500:]}")
    order = _asreview_order(out, len(prior))
    # ASReview stops once the last relevant record is found: the rest follow in file order
    seen = set(order)
    return order + [i for i in range(len(records)) if i not in seen]


def _asreview_order(project: Path, n_prior: int) -> list[int]:
    """Record ids in the order ASReview labelled them, prior records left out (0-based into ``records``)."""
    import sqlite3

    with tempfile.TemporaryDirectory() as d, zipfile.ZipFile(project) as z:
        name = next(n for n in z.namelist() if n.endswith("results.db"))
        z.extract(name, d)
        con = sqlite3.connect(Path(d) / name)
        rows = con.execute("SELECT record_id FROM results ORDER BY rowid").fetchall()
        con.close()
    return [int(r[0]) - n_prior for r in rows if int(r[0]) >= n_prior]


def curve_metrics(order: list[int], y: np.ndarray) -> dict[str, float]:
    found = np.cumsum(y[order])
    total, n = int(y.sum()), len(order)
    recall = found / total
    read_95 = int(np.argmax(recall >= 0.95)) + 1
    read_100 = int(np.argmax(recall >= 1.0)) + 1
    return {"recall@10%": float(recall[int(np.ceil(0.10 * n)) - 1]),
            "recall@25%": float(recall[int(np.ceil(0.25 * n)) - 1]),
            "WSS@95": float((n - read_95) / n - 0.05), "read to 95%": read_95, "read to 100%": read_100,
            "_curve": recall}


def step_time(n: int = 10_000) -> float:
    from reviewdb.mining.synthetic import write_large_bib

    with tempfile.TemporaryDirectory() as tmp:
        bib = Path(tmp) / "x.bib"
        titles = list(load_records()["title"])
        write_large_bib(bib, titles, n=n)
        docs = [document(e.title, e.keywords, e.abstract) for e in iter_entries(bib, Problems())]
    pos, neg, _ = catalog_prior()
    ranker = Ranker(docs, pos, neg)
    labels = {i: int(i % 7 == 0) for i in range(200)}
    ranker.scores(labels)
    t = time.perf_counter()
    for _ in range(3):
        ranker.scores(labels)
    return (time.perf_counter() - t) / 3


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--asreview", default=shutil.which("asreview"), help="the asreview executable")
    ap.add_argument("--plot", type=Path, default=ROOT / "benchmarks" / "screening" / "recall.png")
    ap.add_argument("--no-timing", action="store_true")
    args = ap.parse_args()
    records = load_records()
    y = records["label"].to_numpy()
    pos, neg, prior = catalog_prior(records)
    print(f"# Screening benchmark\n\n{len(records)} MIDL 2019-2023 records, {int(y.sum())} to include; "
          f"prior: {len(pos)} catalog studies as relevant, {len(neg)} excluded ones as irrelevant\n")
    tools = {"reviewdb": lambda seed, tmp: simulate_reviewdb(records, pos, neg, seed)}
    if args.asreview:
        tools["ASReview (default model)"] = lambda seed, tmp: simulate_asreview(args.asreview, records, prior, seed, tmp)
    else:
        print("ASReview not found (pip install asreview in a separate environment, pass --asreview PATH)\n")
    results: dict[str, list[dict]] = {t: [] for t in tools}
    with tempfile.TemporaryDirectory() as tmp:
        for name, run in tools.items():
            for seed in range(args.seeds):
                t = time.perf_counter()
                order = run(seed, Path(tmp))
                m = curve_metrics(order, y)
                m["seconds"] = time.perf_counter() - t
                results[name].append(m)
    rows = []
    for name, runs in results.items():
        row = {"tool": name}
        for k in ("recall@10%", "recall@25%", "WSS@95", "read to 95%", "read to 100%", "seconds"):
            vals = [r[k] for r in runs]
            row[k] = f"{statistics.mean(vals):.3f} ± {statistics.pstdev(vals):.3f}" if k.startswith(("recall", "WSS")) \
                else f"{statistics.mean(vals):.1f} [{min(vals):.0f}-{max(vals):.0f}]"
        rows.append(row)
    print(pd.DataFrame(rows).to_string(index=False))
    print(f"\n(over {args.seeds} seeds: mean ± sd; read-to: mean [min-max] of {len(records)} records)")
    _plot(results, len(records), args.plot)
    if not args.no_timing:
        print(f"\none retraining step on 10,000 records (+ the catalog prior): {step_time():.3f} s")


def _plot(results: dict[str, list[dict]], n: int, out: Path) -> None:
    """Both recall curves (mean, and the band over seeds) as a PNG, through plotly + kaleido."""
    import plotly.graph_objects as go

    from app.export import write

    x = np.arange(1, n + 1) / n
    fig = go.Figure()
    for (name, runs), colour in zip(results.items(), ("31,95,168", "217,130,43")):
        curves = np.stack([r["_curve"] for r in runs])
        fig.add_scatter(x=np.r_[x, x[::-1]], y=np.r_[curves.max(0), curves.min(0)[::-1]], fill="toself",
                        fillcolor=f"rgba({colour},0.2)", line=dict(width=0), hoverinfo="skip", showlegend=False)
        fig.add_scatter(x=x, y=curves.mean(0), line=dict(color=f"rgb({colour})", width=2),
                        name=f"{name} (mean of {len(runs)} seeds)")
    fig.add_scatter(x=x, y=x, line=dict(color="grey", dash="dash"), name="random order")
    fig.update_layout(title="Screening MIDL 2019-2023 with the catalog as prior", width=760, height=480,
                      xaxis_title="share of records screened", yaxis_title="recall (includes found)",
                      legend=dict(x=0.55, y=0.1), template="plotly_white")
    write(fig, out, width=760, height=480, scale=1)
    print(f"recall curves: {out}")


if __name__ == "__main__":
    main()
