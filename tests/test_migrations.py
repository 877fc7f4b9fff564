"""The migrations are the schema: they must agree with the ORM and keep data across a
downgrade and upgrade."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from reviewdb.db import alembic_config, current_revision, downgrade, get_engine, upgrade
from reviewdb.schema import metadata

from tests.helpers import snapshot


def _diff(url):
    with get_engine(url).connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), metadata)


def test_orm_and_migrations_agree_on_sqlite(db_url):
    assert _diff(db_url) == []


@pytest.mark.postgres
def test_orm_and_migrations_agree_on_postgres(pg_url):
    assert _diff(pg_url) == []


def _roundtrip(url):
    before = snapshot(url)
    heads = ScriptDirectory.from_config(alembic_config(url))
    revisions = list(heads.walk_revisions())
    assert len(revisions) >= 2, "needs at least two migrations to step back over one"
    downgrade(url, "-1")
    assert current_revision(url) == revisions[1].revision
    upgrade(url)
    assert snapshot(url) == before


def test_downgrade_then_upgrade_keeps_the_data(mini_url):
    _roundtrip(mini_url)


@pytest.mark.postgres
def test_downgrade_then_upgrade_keeps_the_data_on_postgres(pg_url):
    from reviewdb.catalog.loader import load_catalog
    from reviewdb.catalog.reader import read_catalog

    from tests.helpers import MINI

    load_catalog(read_catalog(MINI), pg_url)
    _roundtrip(pg_url)
