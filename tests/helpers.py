"""Test helpers: a whole-database snapshot to prove that a failed load changed nothing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import MetaData, select

from reviewdb.db import get_engine

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
BUNDLED = Path(__file__).parent.parent / "reviewdb" / "data"
SEEDS = Path(__file__).parent.parent.parent / "shared" / "seeds"


def snapshot(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, so two snapshots compare exactly."""
    engine = get_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    out = {}
    with engine.connect() as conn:
        for name, table in sorted(meta.tables.items()):
            if name == "alembic_version":
                continue
            out[name] = sorted((tuple(map(repr, row)) for row in conn.execute(select(table))))
    return out
