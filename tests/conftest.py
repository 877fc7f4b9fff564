"""Shared fixtures: databases built through the real migrations and the real loader.

- ``db_url``: an empty SQLite file at head (a fresh one per test),
- ``mini_url``: that file with the small invented catalog in tests/fixtures/mini,
- ``catalog_url``: a session-wide SQLite file with the bundled catalog (read-only use),
- ``pg_url``: the same on PostgreSQL when REVIEWDB_TEST_PG_URL is set (CI sets it).
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
import pytest

from reviewdb.catalog.loader import load_catalog
from reviewdb.catalog.reader import read_catalog
from reviewdb.db import get_engine, upgrade

from tests.helpers import BUNDLED, MINI


@pytest.fixture(scope="session")
def _templates(tmp_path_factory) -> dict[str, Path]:
    """Migrated (and mini-loaded) SQLite files made once; tests get copies, not re-migrations."""
    root = tmp_path_factory.mktemp("templates")
    empty, mini = root / "empty.sqlite", root / "mini.sqlite"
    upgrade(f"sqlite:///{empty}")
    upgrade(f"sqlite:///{mini}")
    load_catalog(read_catalog(MINI), f"sqlite:///{mini}")
    for url in (f"sqlite:///{empty}", f"sqlite:///{mini}"):
        get_engine(url).dispose()
    return {"empty": empty, "mini": mini}


def _copy(template: Path, tmp_path: Path) -> str:
    target = tmp_path / f"{template.stem}.sqlite"  # a test may use both kinds side by side
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def db_url(_templates, tmp_path) -> str:
    """An empty database at head (a copy of a migrated template file)."""
    return _copy(_templates["empty"], tmp_path)


@pytest.fixture
def mini_url(_templates, tmp_path) -> str:
    """A database holding the small invented catalog of tests/fixtures/mini."""
    return _copy(_templates["mini"], tmp_path)


@pytest.fixture(scope="session")
def catalog_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('catalog') / 'catalog.sqlite'}"
    load_catalog(read_catalog(BUNDLED), url)
    return url


@pytest.fixture
def pg_url() -> str:
    """A fresh, empty PostgreSQL database at head (skipped where no server is configured)."""
    base = os.environ.get("REVIEWDB_TEST_PG_URL")
    if not base:
        pytest.skip("REVIEWDB_TEST_PG_URL not set (CI starts a real PostgreSQL server)")
    from sqlalchemy import create_engine, text

    name = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + "/" + name
    upgrade(url)
    yield url
    from reviewdb.db import get_engine

    get_engine(url).dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
