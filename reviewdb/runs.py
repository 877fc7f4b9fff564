"""Reproduction runs and claim verdicts: how reproductions write back into the catalog.

The reproductions package calls only these two functions, so its runs land in the same
database as the studies, where the dashboard shows them beside the reported values.
"""

from __future__ import annotations

from reviewdb.db import ensure_schema, session_scope
from reviewdb.models import ClaimVerdict, ReproductionRun

VERDICTS = ("supported", "not supported", "inconclusive")


def record_run(
    db_url: str | None,
    *,
    method: str,
    architectures: list[str],
    config: dict,
    metrics: dict,
    device: str,
    wall_time_s: float,
    code_version: str,
    command: str,
    artifacts_dir: str | None = None,
) -> int:
    """Store one finished reproduction run and return its id.

    :param architectures: the catalog architecture names the method reproduces; the
        dashboard links the run to every study that uses one of them.
    """
    ensure_schema(db_url)
    with session_scope(db_url, write=True) as s:
        run = ReproductionRun(
            method=method, architectures=list(architectures), config=dict(config),
            metrics={k: float(v) for k, v in metrics.items()}, device=device,
            wall_time_s=float(wall_time_s), code_version=code_version, command=command,
            artifacts_dir=artifacts_dir,
        )
        s.add(run)
        s.flush()
        return run.id


def record_claim(
    db_url: str | None,
    *,
    code: str,
    statement: str,
    verdict: str,
    numbers: dict,
    ci_low: float | None,
    ci_high: float | None,
    n_seeds: int,
    command: str,
) -> int:
    """Store one claim verdict with the numbers behind it and return its id."""
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {VERDICTS}, got {verdict!r}")
    ensure_schema(db_url)
    with session_scope(db_url, write=True) as s:
        row = ClaimVerdict(
            code=code, statement=statement, verdict=verdict, numbers=dict(numbers),
            ci_low=ci_low, ci_high=ci_high, n_seeds=int(n_seeds), command=command,
        )
        s.add(row)
        s.flush()
        return row.id
