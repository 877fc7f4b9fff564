"""The CLI functions: thin, with exit status 1 and the message for domain errors."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from reviewdb.mining import cli
from reviewdb.mining import screening as S
from tests.mining.conftest import NEW_BIB

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("mine")(cli.mine)
    app.command("screen")(cli.screen)
    app.command("prisma")(cli.prisma)
    return app


def test_every_command_has_help_with_an_example():
    for name in ("mine", "screen", "prisma"):
        result = runner.invoke(_app(), [name, "--help"])
        assert result.exit_code == 0
        assert "Example" in result.output


def test_mine_screen_accept_prisma(mini_url, write_bib):
    app = _app()
    r = runner.invoke(app, ["mine", str(write_bib(NEW_BIB)), "--db", mini_url, "--no-progress", "-f", "csv"])
    assert r.exit_code == 0, r.output
    assert "smith2024sct" in r.output and "study:alpha2019mri" in r.output
    frame = S.list_records(mini_url, limit=None)
    rid = {k: i for k, i in zip(frame["citekey"], frame["id"])}
    r = runner.invoke(app, ["screen", "list", "--status", "duplicate", "--db", mini_url, "-f", "json"])
    assert r.exit_code == 0 and len(json.loads(r.output)) == 3
    r = runner.invoke(app, ["screen", "exclude", str(rid["wong2022cxr"]), "--db", mini_url])
    assert r.exit_code == 1 and "needs a reason" in r.output
    r = runner.invoke(app, ["screen", "exclude", str(rid["wong2022cxr"]), "--reason", "wrong-modality: no medical images",
                            "--db", mini_url])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["screen", "accept", str(rid["smith2024sct"]), "--db", mini_url])
    assert r.exit_code == 1 and "evidence" in r.output
    r = runner.invoke(app, ["screen", "accept", str(rid["smith2024sct"]), "--db", mini_url,
                            "--set", "evidence=https://doi.org/10.1088/1361-6560/abc123"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["screen", "show", str(rid["smith2024sct"]), "--db", mini_url, "-f", "json"])
    assert json.loads(r.output)["study"] == "smith2024sct"
    r = runner.invoke(app, ["prisma", "--db", mini_url, "-f", "json"])
    counts = json.loads(r.output)
    assert (counts["identified"], counts["duplicates"], counts["excluded"], counts["included"]) == (6, 3, 1, 1)


def test_bad_input_exits_1_with_the_problem(db_url, write_bib):
    r = runner.invoke(_app(), ["mine", str(write_bib("@article{k, author = {X}}\n")), "--db", db_url,
                               "--no-progress"])
    assert r.exit_code == 1
    assert "entry 'k', field 'title'" in r.output
    r = runner.invoke(_app(), ["screen", "include", "--db", db_url])
    assert r.exit_code == 1 and "needs a record id" in r.output
    r = runner.invoke(_app(), ["screen", "complete", "1", "--set", "nonsense", "--db", db_url])
    assert r.exit_code == 1 and "FIELD=VALUE" in r.output
