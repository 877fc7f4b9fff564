"""Shared fixtures: databases built through the real migrations and the real loader.

- ``db_url``: an empty SQLite file at head (a fresh one per test),
- ``mini_url``: that file with the small invented catalog in tests/fixtures/mini,
- ``catalog_url``: a session-wide SQLite file with the bundled catalog (read-only use),
- ``pg_url``: the same on PostgreSQL when REVIEWDB_TEST_PG_URL is set (CI sets it).
"""

from __future__ import annotations

import os
import uuid
import pytest

from reviewdb.catalog.loader import load_catalog
from reviewdb.catalog.reader import read_catalog
from reviewdb.db import upgrade

from tests.helpers import BUNDLED, MINI


@pytest.fixture
def db_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    upgrade(url)
    return url


@pytest.fixture
def mini_url(db_url) -> str:
    load_catalog(read_catalog(MINI), db_url)
    return db_url


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
