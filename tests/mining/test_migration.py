"""Migration 0002: the screening tables agree with the ORM, and stepping back keeps the catalog."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from reviewdb.db import current_revision, downgrade, get_engine, upgrade
from reviewdb.mining import models as M
from reviewdb.mining import screening as S
from tests.helpers import snapshot
from tests.mining.conftest import NEW_BIB


def test_orm_and_migration_agree_on_the_screening_tables(db_url):
    with get_engine(db_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), M.ScreeningRecord.metadata)
    assert [d for d in diff if "screening" in repr(d)] == []


def test_upgrade_downgrade_upgrade_keeps_the_catalog(mini_url, write_bib):
    S.mine_file(write_bib(NEW_BIB), mini_url)
    from alembic.script import ScriptDirectory

    from reviewdb.db import alembic_config

    assert current_revision(mini_url) == ScriptDirectory.from_config(alembic_config(mini_url)).get_current_head()
    downgrade(mini_url, "0002")  # 0003 adds catalog columns; from here on the catalog's rows are fixed
    catalog = {k: v for k, v in snapshot(mini_url).items() if not k.startswith("screening")}
    downgrade(mini_url, "0001")
    assert current_revision(mini_url) == "0001"
    assert not {"screening_batch", "screening_record"} & set(inspect(get_engine(mini_url)).get_table_names())
    assert snapshot(mini_url) == catalog
    upgrade(mini_url, "0002")
    after = snapshot(mini_url)
    assert after["screening_record"] == [] and {k: v for k, v in after.items() if not k.startswith("screening")} == catalog
    upgrade(mini_url)
    assert S.mine_file(write_bib(NEW_BIB, name="again.bib"), mini_url).identified == 6
