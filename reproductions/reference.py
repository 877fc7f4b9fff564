"""The reference results shipped with the catalog: the quick run of every method and a
``claims --quick`` run, measured with this project's own runner.

They live in ``reviewdb/data/reference/`` (``runs.json``, ``claims.json``, ``samples/*.png``)
so the dashboard's reproductions page is never empty on first open; ``reviewdb load``
loads them as *reference* rows, apart from a user's own runs.

Rebuild them (about 25 minutes on 2 CPU cores) with::

    python -m reproductions.reference                       # run everything, then write the files
    python -m reproductions.reference --from-db sqlite:///runs.sqlite   # write from runs already made

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


def export(db: str, out: Path = REFERENCE_DIR) -> tuple[int, int]:
    """Write the newest run per method and every claim verdict of ``db`` as reference data."""
    from reviewdb import query as Q

    runs = Q.reproduction_runs(db)
    runs = runs[~runs["reference"].astype(bool)].drop_duplicates("method")  # newest first: latest per method
    claims = Q.claim_verdicts(db)
    claims = claims[~claims["reference"].astype(bool)].drop_duplicates("code")
    (out / "samples").mkdir(parents=True, exist_ok=True)
    host = machine()
    items = []
    for r in runs.sort_values("method").itertuples():
        sample = Path(r.artifacts_dir or "") / "samples.png"
        rel = None
        if sample.is_file():
            rel = f"reference/samples/{r.method}.png"
            shutil.copyfile(sample, out / "samples" / f"{r.method}.png")
        items.append(dict(method=r.method, architectures=list(r.architectures), config=r.config, metrics=r.metrics,
                          device=r.device, wall_time_s=round(float(r.wall_time_s), 1), code_version=r.code_version,
                          command=r.command, artifacts_dir=f"bundled:{rel}" if rel else None, machine=host,
                          measured_at=str(r.created_at)))
    verdicts = [dict(code=c.code, statement=c.statement, verdict=c.verdict, numbers=c.numbers, ci_low=c.ci_low,
                     ci_high=c.ci_high, n_seeds=int(c.n_seeds), command=c.command, machine=host,
                     measured_at=str(c.created_at)) for c in claims.sort_values("code").itertuples()] \
        if len(claims) else []
    (out / "runs.json").write_text(json.dumps(items, indent=1, sort_keys=True, default=str) + "\n")
    (out / "claims.json").write_text(json.dumps(verdicts, indent=1, sort_keys=True, default=str) + "\n")
    return len(items), len(verdicts)


def regenerate(out: Path = REFERENCE_DIR, seeds: int = 5) -> tuple[int, int]:
    """Run every quick method and the quick claims into a fresh database, then export."""
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{tmp}/reference.sqlite"
        exe = [sys.executable, "-m", "reviewdb.cli"]
        for m in QUICK_METHODS:
            subprocess.run([*exe, "reproduce", m, "--quick", "--device", "cpu", "--db", db, "--out", f"{tmp}/runs"],
                           check=True)
        subprocess.run([*exe, "claims", "--quick", "--device", "cpu", "--seeds", str(seeds), "--db", db], check=True)
        return export(db, out)


def main() -> None:
    ap = argparse.ArgumentParser(description="Rebuild the reference results shipped with the catalog.")
    ap.add_argument("--from-db", help="export the runs and verdicts already in this database")
    ap.add_argument("--out", type=Path, default=REFERENCE_DIR)
    ap.add_argument("--seeds", type=int, default=5)
    args = ap.parse_args()
    n_runs, n_claims = export(args.from_db, args.out) if args.from_db else regenerate(args.out, args.seeds)
    print(f"wrote {n_runs} reference runs and {n_claims} claim verdicts to {args.out}")


if __name__ == "__main__":
    main()
