"""`reviewdb backup` / `reviewdb restore`: an online copy that round-trips with nothing lost."""

from __future__ import annotations

import pytest

from reviewdb.backup import BackupError, backup, restore
from reviewdb.mining import screening as S
from reviewdb.runs import record_run
from tests.helpers import snapshot
from tests.mining.conftest import NEW_BIB


def _fill(url, write_bib):
    S.mine_file(write_bib(NEW_BIB), url)
    rid = int(S.list_records(url)["id"].iloc[0])
    S.include(rid, url, reviewer="ana")
    record_run(url, method="pix2pix", architectures=["pix2pix"], config={"quick": True}, metrics={"mae": 90.5},
               device="cpu", wall_time_s=12.0, code_version="t", command="reviewdb reproduce pix2pix --quick")


@pytest.mark.parametrize("suffix", [".sqlite", ".json"])
def test_backup_and_restore_round_trip(mini_url, write_bib, tmp_path, suffix):
    _fill(mini_url, write_bib)
    out = tmp_path / f"copy{suffix}"
    counts = backup(mini_url, out)
    assert counts["study"] == 4 and counts["screening_decision"] == 1 and counts["reproduction_run"] == 1
    target = f"sqlite:///{tmp_path / 'restored.sqlite'}"
    restore(out, target)
    assert snapshot(target) == snapshot(mini_url)


def test_restore_refuses_a_database_that_holds_data(mini_url, write_bib, tmp_path, db_url):
    out = tmp_path / "copy.sqlite"
    backup(mini_url, out)
    before = snapshot(mini_url)
    with pytest.raises(BackupError, match="not empty"):
        restore(out, mini_url)
    assert snapshot(mini_url) == before
    with pytest.raises(BackupError, match="not a reviewdb backup"):
        (tmp_path / "junk.json").write_text("[1, 2]")
        restore(tmp_path / "junk.json", db_url)


@pytest.mark.postgres
def test_sqlite_backup_restores_into_postgresql(mini_url, write_bib, tmp_path, pg_url):
    _fill(mini_url, write_bib)
    out = tmp_path / "copy.sqlite"
    backup(mini_url, out)
    counts = restore(out, pg_url)
    assert counts["study"] == 4 and counts["screening_decision"] == 1
    back = tmp_path / "back.json"
    backup(pg_url, back)
    target = f"sqlite:///{tmp_path / 'again.sqlite'}"
    restore(back, target)
    assert snapshot(target) == snapshot(mini_url)
