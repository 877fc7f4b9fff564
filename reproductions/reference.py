"""The reference results shipped with the catalog: the quick run of every method and a
``claims --quick`` run, measured with this project's own runner.

They live in ``reviewdb/data/reference/`` (``runs.json``, ``claims.json``, ``samples/*.png``)
so the dashboard's reproductions page is never empty on first open; ``reviewdb load``
loads them as *reference* rows, apart from a user's own runs.

Rebuild them (about 25 minutes on 2 CPU cores) with::

    python -m reproductions.reference                       # run everything, then write the files
    python -m reproductions.reference --from-db sqlite:///runs.sqlite   # write from runs already made
    reviewdb claims --quick --only paired_vs_unpaired --db sqlite:///c.sqlite && \
      python -m reproductions.reference --from-db sqlite:///c.sqlite --claims-only   # one claim re-measured

``tests/reproductions/test_reference.py`` fails when a shipped configuration no longer
matches what the current code's quick preset would run, so stale results do not ship.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "reviewdb" / "data" / "reference"
QUICK_METHODS = ("pix2pix", "cyclegan", "fusion", "cond_diffusion", "dcgan", "vae", "ddpm")


def machine() -> dict:
    """What the reference numbers were measured on."""
    import os

    import torch

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "python": platform.python_version(), "torch": torch.__version__, "platform": platform.platform()}


def export(db: str, out: Path = REFERENCE_DIR, claims_only: bool = False) -> tuple[int, int]:
    """Write the newest run per method and every claim verdict of ``db`` as reference data.

    ``claims_only``: replace just the verdicts ``db`` holds (one re-measured claim), keeping
    the shipped runs and the other verdicts, each with its own measured_at and command.
    """
    from reviewdb import query as Q

    if claims_only:
        return 0, _merge_claims(db, out)
    runs = Q.reproduction_runs(db)
    runs = runs[~runs["reference"].astype(bool)]
    runs = runs.assign(seed=runs["config"].map(lambda c: c.get("seed")),
                       quick=runs["config"].map(lambda c: bool(c.get("quick"))))
    runs = runs[runs["quick"]].drop_duplicates(["method", "seed"])  # newest first: latest per method and seed
    claims = Q.claim_verdicts(db)
    claims = claims[~claims["reference"].astype(bool)].drop_duplicates("code")
    (out / "samples").mkdir(parents=True, exist_ok=True)
    host = machine()
    items = []
    for r in runs.sort_values(["method", "seed"]).itertuples():
        sample = Path(r.artifacts_dir or "") / "samples.png"
        rel = None
        if sample.is_file() and r.seed == 0:  # one grid per method is enough to look at
            rel = f"reference/samples/{r.method}.png"
            shutil.copyfile(sample, out / "samples" / f"{r.method}.png")
        items.append(dict(method=r.method, architectures=list(r.architectures), config=r.config, metrics=r.metrics,
                          device=r.device, wall_time_s=round(float(r.wall_time_s), 1), code_version=r.code_version,
                          command=r.command, artifacts_dir=f"bundled:{rel}" if rel else None, machine=host,
                          measured_at=str(r.created_at)))
    verdicts = _verdicts(claims, host)
    (out / "runs.json").write_text(json.dumps(items, indent=1, sort_keys=True, default=str) + "\n")
    _write_claims(out, verdicts)
    return len(items), len(verdicts)


def _verdicts(claims, host: dict) -> list[dict]:
    return [dict(code=c.code, statement=c.statement, verdict=c.verdict, numbers=c.numbers, ci_low=c.ci_low,
                 ci_high=c.ci_high, n_seeds=int(c.n_seeds), command=c.command, machine=host,
                 measured_at=str(c.created_at)) for c in claims.sort_values("code").itertuples()]


def _write_claims(out: Path, verdicts: list[dict]) -> None:
    verdicts = sorted(verdicts, key=lambda v: v["code"])
    (out / "claims.json").write_text(json.dumps(verdicts, indent=1, sort_keys=True, default=str) + "\n")


def _merge_claims(db: str, out: Path) -> int:
    from reviewdb import query as Q

    claims = Q.claim_verdicts(db)
    claims = claims[~claims["reference"].astype(bool)].drop_duplicates("code")
    new = {v["code"]: v for v in _verdicts(claims, machine())}
    path = out / "claims.json"
    shipped = json.loads(path.read_text()) if path.is_file() else []
    _write_claims(out, [new.pop(v["code"], v) for v in shipped] + list(new.values()))
    return len(claims)


#: the metrics a rerun is compared on, per kind of method
HEADLINE = {"translation": ("mae", "ssim"), "creation": ("mmd", "sim_encoder_frechet")}
RUN_SEEDS = (0, 1, 2)


def reference_spread(method: str, path: Path = REFERENCE_DIR / "runs.json") -> dict[str, list[float]]:
    """Each metric's values over the shipped seeds of ``method`` (empty when none ship)."""
    if not path.is_file():
        return {}
    out: dict[str, list[float]] = {}
    for r in json.loads(path.read_text()):
        if r["method"] == method:
            for k, v in r["metrics"].items():
                out.setdefault(k, []).append(float(v))
    return out


def compare(method: str, metrics: dict, seed: int | None = None) -> list[str]:
    """Lines saying how a quick rerun's headline metrics sit against the shipped reference.

    "Agrees" means inside the range of the reference seeds widened by one standard
    deviation on each side (with 3 seeds the range alone is too narrow to be fair).
    """
    import statistics

    spread = reference_spread(method)
    keys = HEADLINE["translation"] if "mae" in metrics else HEADLINE["creation"]
    lines = []
    for k in keys:
        ref = spread.get(k)
        if not ref or k not in metrics:
            continue
        sd = statistics.pstdev(ref) if len(ref) > 1 else 0.0
        lo, hi = min(ref) - sd, max(ref) + sd
        ok = lo <= float(metrics[k]) <= hi
        lines.append(f"{k}: yours {float(metrics[k]):.4g}; reference {statistics.mean(ref):.4g} "
                     f"[{min(ref):.4g}, {max(ref):.4g}] over {len(ref)} seeds -> "
                     + ("agrees within the seed spread" if ok else "OUTSIDE the seed spread"))
    return lines


def regenerate(out: Path = REFERENCE_DIR, seeds: int = 5) -> tuple[int, int]:
    """Run every quick method (seeds 0-2) and the quick claims into a fresh database, then export."""
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{tmp}/reference.sqlite"
        exe = [sys.executable, "-m", "reviewdb.cli"]
        for seed in RUN_SEEDS:
            for m in QUICK_METHODS:
                subprocess.run([*exe, "reproduce", m, "--quick", "--device", "cpu", "--seed", str(seed), "--db", db,
                                "--out", f"{tmp}/runs_{seed}"], check=True)
        subprocess.run([*exe, "claims", "--quick", "--device", "cpu", "--seeds", str(seeds), "--db", db], check=True)
        return export(db, out)


def main() -> None:
    ap = argparse.ArgumentParser(description="Rebuild the reference results shipped with the catalog.")
    ap.add_argument("--from-db", help="export the runs and verdicts already in this database")
    ap.add_argument("--out", type=Path, default=REFERENCE_DIR)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--claims-only", action="store_true",
                    help="with --from-db: replace only the verdicts that database holds")
    args = ap.parse_args()
    n_runs, n_claims = (export(args.from_db, args.out, args.claims_only) if args.from_db
                        else regenerate(args.out, args.seeds))
    print(f"wrote {n_runs} reference runs and {n_claims} claim verdicts to {args.out}")


if __name__ == "__main__":
    main()
