"""`reviewdb dashboard` and `reviewdb figure` as plain functions on a Typer app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from app import cli
from tests.app.conftest import MINI

runner = CliRunner()


@pytest.fixture
def cli_app() -> typer.Typer:
    app = typer.Typer()
    cli.mount(app)
    return app


def test_figure_writes_html_and_json_without_a_browser(cli_app, shared_mini_url, tmp_path):
    out = tmp_path / "chord.json"
    res = runner.invoke(cli_app, ["figure", "chord", "--out", str(out), "--db", shared_mini_url])
    assert res.exit_code == 0, res.output
    fig = json.loads(out.read_text())
    labels = next(t for t in fig["data"] if t.get("name") == "labels")
    assert labels["text"] == ["MRI", "CT", "CBCT", "PET", "X-ray", "US"]
    pairs = next(t for t in fig["data"] if t.get("name") == "pairs")
    assert sorted(tuple(c) for c in pairs["customdata"]) == [("CBCT", "CT", 1), ("MRI", "CT", 1)]
    html = tmp_path / "trends.html"
    res = runner.invoke(cli_app, ["figure", "trends-family", "-o", str(html), "--db", shared_mini_url,
                                  "--family", "GAN"])
    assert res.exit_code == 0 and html.read_text().count("<html") == 1


def test_figure_difference_view_and_filters(cli_app, shared_mini_url, tmp_path):
    out = tmp_path / "d.json"
    res = runner.invoke(cli_app, ["figure", "chord", "--value", "difference", "-o", str(out),
                                  "--db", shared_mini_url])
    assert res.exit_code == 0, res.output
    pairs = next(t for t in json.loads(out.read_text())["data"] if t.get("name") == "pairs")
    assert sorted(tuple(c) for c in pairs["customdata"]) == [("CT", "MRI", -13), ("MRI", "CT", -58)]


def test_figure_errors_are_messages(cli_app, shared_mini_url, tmp_path):
    res = runner.invoke(cli_app, ["figure", "chord", "-o", str(tmp_path / "x.txt"), "--db", shared_mini_url])
    assert res.exit_code == 1 and "unsupported suffix" in res.output
    res = runner.invoke(cli_app, ["figure", "metrics", "--metric", "nonsense", "-o", str(tmp_path / "m.json"),
                                  "--db", shared_mini_url])
    assert res.exit_code == 1 and "unknown metric 'nonsense'" in res.output
    res = runner.invoke(cli_app, ["figure", "chord", "--source", "zzz", "-o", str(tmp_path / "m.json"),
                                  "--db", shared_mini_url])
    assert res.exit_code == 1 and "unknown modality 'zzz'" in res.output


@pytest.mark.skipif(not Path("/usr/bin/chromium").is_file(), reason="static images need Debian's chromium")
def test_figure_svg_through_kaleido(cli_app, shared_mini_url, tmp_path):
    out = tmp_path / "chord.svg"
    res = runner.invoke(cli_app, ["figure", "chord", "--out", str(out), "--db", shared_mini_url])
    assert res.exit_code == 0, res.output
    svg = out.read_text()
    assert svg.startswith("<svg") and all(f">{m}<" in svg for m in ("MRI", "CT", "CBCT", "PET", "X-ray", "US"))


def test_dashboard_loads_the_catalog_once_and_passes_the_url(db_url, monkeypatch, cli_app):
    url, loaded = cli.prepare_database(db_url, catalog=MINI)
    assert (url, loaded) == (db_url, 4)
    assert cli.prepare_database(db_url, catalog=MINI) == (db_url, None)  # not again
    calls = []
    monkeypatch.setattr(cli.os, "execvpe", lambda file, cmd, env: calls.append((cmd, env)))
    res = runner.invoke(cli_app, ["dashboard", "--db", db_url, "--port", "8765", "--headless"])
    assert res.exit_code == 0, res.output
    cmd, env = calls[0]
    assert cmd[1:6] == ["-m", "app.serve", "--prepare", "load", "run"] and cmd[6].endswith("app/main.py")
    assert cmd[cmd.index("--server.port") + 1] == "8765" and env["REVIEWDB_URL"] == db_url


def _serve(monkeypatch, url: str, *prepare: str) -> list:
    """``python -m app.serve [--prepare MODE] run ...`` on ``url`` with Streamlit's start
    replaced: the argv Streamlit would have been given."""
    import sys

    from streamlit.web import cli as st_cli

    from app import serve

    seen = []
    monkeypatch.setenv("REVIEWDB_URL", url)
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parents[2]))
    monkeypatch.setattr(st_cli, "main", lambda: seen.append(list(sys.argv)))
    monkeypatch.setattr(sys, "argv", ["serve.py", *prepare, "run", "app/main.py", "--server.port", "8765"])
    serve.main()
    return seen


def test_the_server_loads_the_bundled_catalog_into_an_empty_database_before_serving(tmp_path, monkeypatch,
                                                                                      capfd):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"  # no schema at all
    assert _serve(monkeypatch, url, "--prepare", "load") == [["streamlit", "run", "app/main.py",
                                                              "--server.port", "8765"]]
    from reviewdb import query as Q
    from reviewdb.catalog.reader import read_catalog

    n = len(read_catalog(cli.BUNDLED).studies)
    assert f"loaded the bundled catalog ({n} studies)" in capfd.readouterr().out
    shown = Q.count_studies(Q.StudyFilter(), url)
    assert shown > 200
    _serve(monkeypatch, url, "--prepare", "load")  # not again
    assert "loaded" not in capfd.readouterr().out and Q.count_studies(Q.StudyFilter(), url) == shown


def test_the_server_does_not_start_when_the_database_cannot_be_prepared(tmp_path, monkeypatch, capfd):
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none"  # nothing listens on port 1
    with pytest.raises(SystemExit) as exit_:
        _serve(monkeypatch, url, "--prepare", "load")
    err = capfd.readouterr().err
    assert exit_.value.code == 1 and "error: cannot open postgresql+psycopg://nobody@127.0.0.1:1/none" in err
    assert "Traceback" not in err


def test_read_only_dashboard_disables_writes_and_loads_nothing(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(cli.os, "execvpe", lambda file, cmd, env: calls.append((cmd, env)))
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    app = typer.Typer()
    cli.mount(app)
    res = runner.invoke(app, ["dashboard", "--db", url, "--read-only"])
    assert res.exit_code == 0, res.output
    cmd, env = calls[0]
    assert env[cli.READ_ONLY_ENV] == "1" and "read-only" in res.output
    assert cmd[cmd.index("--prepare") + 1] == "no-load"
    _serve(monkeypatch, url, "--prepare", "no-load")
    from reviewdb import query as Q

    assert Q.count_studies(Q.StudyFilter(), url) == 0  # nothing was loaded


def test_the_server_process_preloads_the_pages_imports_then_runs_streamlit(monkeypatch):
    """`python -m app.serve run app/main.py ...` is `streamlit run ...` with the imports paid first."""
    import sys

    from streamlit.web import cli as st_cli

    from app import serve

    seen = []
    monkeypatch.setattr(st_cli, "main", lambda: seen.append(list(sys.argv)))
    monkeypatch.setattr(sys, "argv", ["serve.py", "run", "app/main.py", "--server.port", "8765"])
    serve.main()
    assert seen == [["streamlit", "run", "app/main.py", "--server.port", "8765"]]
    assert "plotly.graph_objects" in sys.modules and "app.figures" in sys.modules


def test_preloading_touches_no_streamlit_cache_before_its_runtime():
    """A cache made before Streamlit's runtime exists falls back to a private store (and warns)."""
    import subprocess
    import sys

    res = subprocess.run([sys.executable, "-c", "import sys, app.serve; app.serve.preload(); "
                          "print('app.data' in sys.modules, 'plotly' in sys.modules)"],
                         capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2], timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["False", "True"] and "No runtime found" not in res.stderr
