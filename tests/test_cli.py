"""The CLI as a user runs it: exit codes, output, and what it leaves in the database."""

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reviewdb import query as Q
from reviewdb.cli import app
from tests.helpers import MINI, snapshot

runner = CliRunner()
README = Path(__file__).parent.parent / "README.md"


def run(*args, url=None):
    full = list(args) + (["--db", url] if url else [])
    return runner.invoke(app, full, catch_exceptions=False)


def test_init_load_query_stats(db_url):
    assert run("init", url=db_url).exit_code == 0
    res = run("load", str(MINI), url=db_url)
    assert res.exit_code == 0 and "4 studies added" in res.output
    res = run("query", "--source", "MR", "--target", "sCT", "--format", "json", url=db_url)
    assert res.exit_code == 0
    assert [r["citekey"] for r in json.loads(res.output)] == ["alpha2019mri"]
    res = run("query", "--source", "MRI", "--target", "CT", "--metric", "MAE", "--format", "csv", url=db_url)
    assert "alpha2019mri" in res.output and "60.5" in res.output
    res = run("stats", url=db_url)
    assert res.exit_code == 0 and "studies catalogued: 4" in res.output
    res = run("stats", "--by", "year", "--format", "csv", url=db_url)
    assert res.output.splitlines()[0] == "year,studies"


def test_unknown_term_is_a_clear_error_with_exit_1(mini_url):
    res = run("query", "--source", "MRX", url=mini_url)
    assert res.exit_code == 1
    assert "unknown modality 'MRX'" in res.output


@pytest.mark.parametrize("command", [["query", "--source", "MRI"], ["stats"], ["stats", "--by", "year"],
                                     ["export", "--format", "json"]])
def test_reading_a_database_never_initialised_says_what_to_run(command, tmp_path):
    res = run(*command, url=f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    assert res.exit_code == 1
    assert "holds no reviewdb catalog yet" in res.output and "reviewdb load" in res.output
    assert "Traceback" not in res.output


def test_bad_catalog_exits_1_and_changes_nothing(mini_url, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"studies": [{"citekey": "x", "task": "magic"}]}')
    before = snapshot(mini_url)
    res = run("load", str(bad), url=mini_url)
    assert res.exit_code == 1 and "bad.json" in res.output and "'task'" in res.output
    assert snapshot(mini_url) == before


def test_export_bibtex_and_reload_json(mini_url, tmp_path, db_url):
    out = tmp_path / "all.json"
    assert run("export", "--format", "json", "--out", str(out), url=mini_url).exit_code == 0
    assert run("load", str(out), url=db_url).exit_code == 0
    assert Q.count_studies(url=db_url) == 4
    res = run("query", "--family", "GAN", "--format", "bibtex", url=mini_url)
    assert res.output.count("@") == 3


def _commands():
    return sorted(c.name or c.callback.__name__ for c in app.registered_commands)


@pytest.mark.parametrize("name", _commands())
def test_every_command_has_help_and_is_documented(name):
    cmd = next(c for c in app.registered_commands if (c.name or c.callback.__name__) == name)
    assert (cmd.callback.__doc__ or "").strip(), f"{name} has no help text"
    assert re.search(rf"`reviewdb {name}[ `]", README.read_text()), f"{name} missing from README"
