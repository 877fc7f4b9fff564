"""Online, consistent copies of a reviewdb database, and putting one back.

- SQLite: the SQLite backup API copies the live file page by page inside one read
  transaction, so readers and writers may go on; the copy is itself an SQLite file.
- Any other database (PostgreSQL): every table of the schema, read in one repeatable-read
  transaction, written as one JSON document (rows per table, in dependency order) with
  the schema revision; restoring inserts them into an empty database at the same revision.

Both kinds restore into either kind of database: an SQLite backup is read through the
same table-by-table path when the target is not SQLite.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, create_engine, func, insert, null, select, text

from reviewdb.db import current_revision, get_engine, resolve_url, sqlite_path, sync_vocabulary, upgrade
from reviewdb.errors import ReviewDBError
from reviewdb.schema import metadata

FORMAT = "reviewdb-backup/1"


class BackupError(ReviewDBError, ValueError):
    """A backup that cannot be written or restored (unknown file, non-empty target ...)."""


def backup(url: str | None, out: str | Path) -> dict[str, int]:
    """Copy the database at ``url`` to ``out`` while it stays in use; returns rows per table."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    path = sqlite_path(url)
    if path and out.suffix.lower() != ".json":
        src = sqlite3.connect(path)
        dst = sqlite3.connect(out)
        try:
            with dst:
                src.backup(dst)
        finally:
            src.close()
            dst.close()
        return _counts(f"sqlite:///{out}")
    tables, revision = _dump(url)
    doc = {"format": FORMAT, "revision": revision, "tables": tables}
    out.write_text(json.dumps(doc, default=_encode, ensure_ascii=False), encoding="utf-8")
    return {name: len(rows) for name, rows in tables.items()}


def restore(src: str | Path, url: str | None) -> dict[str, int]:
    """Put the backup ``src`` into the database at ``url``, which must hold no studies, records or runs.

    :raises BackupError: unknown backup file, a target that already holds data, or a backup
        from a newer schema than this reviewdb knows.
    """
    src = Path(src)
    if not src.is_file():
        raise BackupError(f"{src}: no such backup file")
    if _is_sqlite_file(src):
        tables, revision = _dump(f"sqlite:///{src}")
    else:
        try:
            doc = json.loads(src.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BackupError(f"{src}: not a reviewdb backup (neither SQLite nor JSON: {exc})") from exc
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise BackupError(f"{src}: not a reviewdb backup (format {doc.get('format') if isinstance(doc, dict) else None!r})")
        tables, revision = doc["tables"], doc.get("revision")
    upgrade(url, revision or "head")
    sync_vocabulary(url)  # the vocabulary tables the data refers to (upgrade fills them only at head)
    engine = get_engine(url)
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            rows = tables.get(table.name) or []
            if table.name in _VOCABULARY:  # filled by the migrations/vocabulary sync
                continue
            if conn.execute(select(func.count()).select_from(table)).scalar():
                raise BackupError(f"{resolve_url(url).split('@')[-1]}: table {table.name} is not empty; "
                                  "restore into an empty database")
            if rows:
                cols = {c.name: c for c in table.columns}
                conn.execute(insert(table), [{k: _decode(v, cols[k]) for k, v in r.items() if k in cols}
                                             for r in rows])
        if conn.dialect.name == "postgresql":
            for table in metadata.sorted_tables:
                if "id" in table.columns and table.c.id.autoincrement is not False and tables.get(table.name):
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                      f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"))
    if revision and revision != current_revision(url):
        upgrade(url)
    return _counts(url)


_VOCABULARY = {"task", "modality", "model_family", "anatomy", "metric"}


def _dump(url: str | None) -> tuple[dict[str, list[dict]], str | None]:
    """Every table's rows and the schema revision. An SQLite file is read through an engine of
    its own, without reviewdb's pragmas (WAL would write beside a backup file), then closed."""
    own = str(url).startswith("sqlite:///")
    engine = create_engine(url) if own else get_engine(url)
    try:
        return _read_all(engine)
    finally:
        if own:
            engine.dispose()


def _read_all(engine) -> tuple[dict[str, list[dict]], str | None]:
    tables: dict[str, list[dict]] = {}
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        existing = set(engine.dialect.get_table_names(conn))
        for table in metadata.sorted_tables:
            if table.name in existing:
                tables[table.name] = [dict(r._mapping) for r in conn.execute(select(table))]
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar() \
            if "alembic_version" in existing else None
    return tables, revision


def _counts(url: str | None) -> dict[str, int]:
    engine = get_engine(url)
    with engine.connect() as conn:
        existing = set(engine.dialect.get_table_names(conn))
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar()
                for t in metadata.sorted_tables if t.name in existing}


def _is_sqlite_file(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(16) == b"SQLite format 3\x00"


def _encode(v: Any) -> Any:
    if isinstance(v, (dt.datetime, dt.date)):
        return {"$dt": v.isoformat()}
    if isinstance(v, bytes):
        return {"$b64": base64.b64encode(v).decode()}
    raise TypeError(f"cannot back up a {type(v).__name__}")


def _decode(v: Any, column) -> Any:
    if v is None and isinstance(column.type, JSON):
        return null()  # SQL NULL, not the JSON text 'null'
    if isinstance(v, dict) and set(v) == {"$dt"}:
        return dt.datetime.fromisoformat(v["$dt"])
    if isinstance(v, dict) and set(v) == {"$b64"}:
        return base64.b64decode(v["$b64"])
    return v


__all__ = ["backup", "restore", "BackupError"]
