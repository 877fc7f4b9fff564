"""Where the database is and how to open it.

The embedded default is an SQLite file in WAL mode; any SQLAlchemy URL can be given with
``--db`` or ``REVIEWDB_URL`` (PostgreSQL is the supported multi-user server). The schema
only ever reaches a database through the Alembic migrations (:func:`upgrade`).
"""

from __future__ import annotations

import importlib.util
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from reviewdb import vocabulary as V
from reviewdb.location import ENV_URL, default_sqlite_path, resolve_url  # noqa: F401  (re-exported)
from reviewdb.models import Anatomy, Metric, Modality, ModelFamily, Task

#: How long a writer waits for another writer's lock before SQLite gives up (ms).
SQLITE_BUSY_MS = 30_000


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")  # several reviewers, a load beside the dashboard
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA cache_size=-65536")  # 64 MiB: bulk loads keep the indexes in memory
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


@lru_cache(maxsize=16)
def get_engine(url: str | None = None) -> Engine:
    """One engine per URL for the life of the process (connection pools are reused)."""
    resolved = resolve_url(url)
    engine = create_engine(resolved, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "connect", _no_pysqlite_transactions)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_begin(conn: Connection) -> None:
    """Writers take SQLite's write lock when they begin (``BEGIN IMMEDIATE``), so two
    writers queue on the busy timeout instead of failing with "database is locked" when a
    read transaction tries to become a write one; readers begin deferred and, in WAL mode,
    are never blocked by a writer."""
    immediate = conn.get_execution_options().get(WRITE_OPTION)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


WRITE_OPTION = "reviewdb_write"


def _no_pysqlite_transactions(dbapi_conn, _record) -> None:
    """Let SQLAlchemy's ``begin`` event emit BEGIN (pysqlite's own would be deferred)."""
    dbapi_conn.isolation_level = None


def sqlite_path(url: str | None = None) -> str | None:
    """The file behind an SQLite URL, or None for a server database."""
    engine = get_engine(url)
    return engine.url.database if engine.dialect.name == "sqlite" else None


@contextmanager
def session_scope(url: str | None = None, write: bool = False) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error: all or nothing.

    Writers pass ``write=True``: on SQLite the transaction then takes the write lock at its
    start (see :func:`_sqlite_begin`); reads never wait for a writer.
    """
    engine = get_engine(url)
    bind = engine.execution_options(**{WRITE_OPTION: True}) if write else engine
    session = sessionmaker(bind, expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def read_scope(url: str | None = None) -> Iterator[Connection]:
    """A plain connection for reads: the query API's hot paths skip the ORM session."""
    with get_engine(url).connect() as conn:
        yield conn


def migrations_dir() -> Path:
    """Where the Alembic scripts are installed (the top-level ``migrations`` package).

    Found, not imported: the scripts are data to the library, and ``migrations/env.py``
    imports the library, never the other way round.
    """
    spec = importlib.util.find_spec("migrations")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the reviewdb migrations are not installed (reinstall the package)")
    return Path(next(iter(spec.submodule_search_locations)))


def alembic_config(url: str | None = None):
    """An Alembic config pointing at the packaged ``migrations`` directory and ``url``."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", resolve_url(url).replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the schema to ``revision`` through the migrations, then sync the vocabulary and
    fill in rows derived at load for studies written before (``loader.refresh_derived``)."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)
    if revision == "head":
        sync_vocabulary(url)
        from reviewdb.catalog.loader import refresh_derived  # the loader builds on this module

        refresh_derived(url)


def downgrade(url: str | None, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(url), revision)


def current_revision(url: str | None = None) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with get_engine(url).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def ensure_schema(url: str | None = None) -> None:
    """Upgrade to head unless the database is already there (cheap check first)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    if current_revision(url) != head:
        upgrade(url)


def open_for_reading(url: str | None = None) -> None:
    """Before a command reads: an older schema is upgraded (as the dashboard does), a
    database without one is a :class:`~reviewdb.errors.NoCatalog` naming the fix."""
    if current_revision(url) is None:
        from reviewdb.errors import NoCatalog

        path = sqlite_path(url)
        raise NoCatalog(f"the SQLite file {path}" if path else "the database")
    ensure_schema(url)


def sync_vocabulary(url: str | None = None) -> None:
    """Insert or update the vocabulary tables from :mod:`reviewdb.vocabulary`."""
    rows = {
        Task: [dict(code=c, label=label) for c, label in V.TASKS.items()],
        Modality: [
            dict(code=c, parent_code=p, label=label, is_imaging=V.is_imaging(c))
            for c, (p, label) in V.MODALITIES.items()
        ],
        ModelFamily: [dict(code=c, label=label) for c, label in V.FAMILIES.items()],
        Anatomy: [dict(code=c, label=label) for c, label in V.ANATOMY.items()],
        Metric: [
            dict(code=c, label=label, direction=d, unit=u)
            for c, (label, d, u) in V.METRICS.items()
        ],
    }
    with session_scope(url, write=True) as s:
        for model, items in rows.items():
            existing = {r.code: r for r in s.scalars(select(model))}
            # parents first, so the modality self-reference is satisfied
            for item in sorted(items, key=lambda i: i.get("parent_code") is not None):
                row = existing.get(item["code"])
                if row is None:
                    s.add(model(**item))
                    s.flush()
                else:
                    for k, v in item.items():
                        setattr(row, k, v)
