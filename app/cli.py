"""``reviewdb dashboard`` and ``reviewdb figure``: plain functions with Typer annotations.

The lead mounts them on the main CLI (``app.command()(dashboard)``); each calls the
library and maps its errors to a message and exit status 1.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from reviewdb.errors import ReviewDBError

APP_MAIN = Path(__file__).resolve().parent / "main.py"
BUNDLED = Path(__file__).resolve().parents[1] / "reviewdb" / "data"

DbOption = Annotated[Optional[str], typer.Option("--db", help="SQLAlchemy URL (default: $REVIEWDB_URL or "
                                                  "the embedded SQLite file).", show_default=False)]


READ_ONLY_ENV = "REVIEWDB_READ_ONLY"


def prepare_database(url: str | None = None, catalog: Path = BUNDLED, load: bool = True) -> tuple[str, int | None]:
    """The resolved URL, with the schema at head and the bundled catalog loaded if empty.

    Returns the URL and the number of studies loaded (None when the database already
    held studies and nothing was loaded).
    """
    from sqlalchemy import func, select

    from reviewdb.catalog.loader import load_catalog
    from reviewdb.catalog.reader import read_catalog
    from reviewdb.db import ensure_schema, read_scope, resolve_url
    from reviewdb.models import Study

    resolved = resolve_url(url)
    ensure_schema(resolved)  # creates the tables of a new database; a database it cannot open raises
    with read_scope(resolved) as conn:  # not the query layer: pandas would cost this child 0.4 s
        empty = not conn.execute(select(func.count()).select_from(Study)).scalar()
    if not empty or not load:
        return resolved, None
    report = load_catalog(read_catalog(catalog), resolved)
    return resolved, report.added


def prepare_main(mode: str) -> int:
    """``python -m app.serve --prepare MODE``'s child: the database at ``$REVIEWDB_URL`` made
    ready (``load``: with the bundled catalog if it holds no studies); 1 on a library error."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    url = os.environ.get("REVIEWDB_URL")
    try:
        _, loaded = prepare_database(url, load=mode == "load")
    except ReviewDBError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OperationalError as exc:  # no server there, wrong password, unwritable file ...
        where = make_url(url).render_as_string(hide_password=True) if url else "the embedded database"
        print(f"error: cannot open {where}: {str(exc.orig).strip()}", file=sys.stderr)
        return 1
    if loaded is not None:
        print(f"The database had no studies: loaded the bundled catalog ({loaded} studies).", flush=True)
    return 0


def dashboard(
    db: DbOption = None,
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8501,
    address: Annotated[str, typer.Option(help="Address to bind (0.0.0.0 to share on the network).")] = "localhost",
    headless: Annotated[bool, typer.Option("--headless/--open-browser",
                                           help="Serve without opening a browser window (the default: "
                                                "no first-run prompt; open the printed link).")] = True,
    read_only: Annotated[bool, typer.Option("--read-only", help="Serve for the public: no screening decisions, "
                                                                "no acceptance, no catalog load.")] = False,
) -> None:
    """Start the Streamlit dashboard on the database (loading the bundled catalog if it is empty).

    Examples:

    - `reviewdb dashboard`
    - `reviewdb dashboard --db postgresql+psycopg://me@localhost/reviewdb --port 8600`

    Views are shared as links: the filters live in the URL, e.g.
    http://localhost:8501/?source=MRI&target=CT&family=GAN
    """
    from reviewdb.location import resolve_url

    url = resolve_url(db)
    typer.echo(f"reviewdb dashboard on {url.split('@')[-1]}: open http://{address}:{port}/  (Ctrl+C stops it)")
    env = dict(os.environ, REVIEWDB_URL=url)
    if read_only:
        env[READ_ONLY_ENV] = "1"
        typer.echo("read-only: screening decisions, acceptance and catalog loads are disabled")
    root = str(APP_MAIN.parents[1])
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    # The server process prepares the database (schema, bundled catalog) in a child while
    # it imports its own modules, and serves once both are done: about a second sooner
    # than preparing first (see app.serve).
    cmd = [sys.executable, "-m", "app.serve", "--prepare", "no-load" if read_only else "load",
           "run", str(APP_MAIN), "--server.port", str(port),
           "--server.address", address, "--server.headless", "true" if headless else "false",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    sys.stdout.flush()
    sys.stderr.flush()
    # Become the server (exec): SIGTERM/SIGINT from a supervisor or a closing terminal reach
    # Streamlit itself, so no orphan keeps the port after `reviewdb dashboard` is stopped.
    os.execvpe(cmd[0], cmd, env)


class FigureName(str, Enum):
    chord = "chord"
    contrasts = "contrasts"
    groups = "groups"
    trends_family = "trends-family"
    trends_task = "trends-task"
    tasks = "tasks"
    families = "families"
    coverage = "coverage"
    metrics = "metrics"
    datasets = "datasets"
    runs = "runs"
    prisma = "prisma"


class ChordValue(str, Enum):
    catalog = "catalog"
    reported = "reported"
    difference = "difference"


def figure(
    name: Annotated[FigureName, typer.Argument(help="Which figure.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file: .svg, .png, .pdf, .html or .json.")],
    db: DbOption = None,
    value: Annotated[ChordValue, typer.Option(help="chord/contrasts: catalog counts, the review's "
                                                   "tallies, or their difference.")] = ChordValue.catalog,
    metric: Annotated[str, typer.Option(help="metrics: which reported metric.")] = "MAE",
    source: Annotated[Optional[str], typer.Option(help="Only studies translating from this modality.")] = None,
    target: Annotated[Optional[str], typer.Option(help="Only studies translating to this modality.")] = None,
    family: Annotated[Optional[str], typer.Option(help="Only this model family.")] = None,
    task: Annotated[Optional[str], typer.Option(help="Only this task.")] = None,
    year_min: Annotated[Optional[int], typer.Option(help="First year.")] = None,
    year_max: Annotated[Optional[int], typer.Option(help="Last year.")] = None,
    width: Annotated[int, typer.Option(help="Image width in pixels.")] = 900,
) -> None:
    """Export a dashboard figure as a static image (svg/png/pdf via kaleido + Chromium) or html/json.

    Examples::

        reviewdb figure chord --out chord.svg
        reviewdb figure chord --value difference --out chord-diff.png
        reviewdb figure contrasts --out mri-contrasts.svg
        reviewdb figure metrics --metric MAE --source MRI --target CT --out mae.svg
        reviewdb figure trends-family --out trends.html
    """
    from app import export
    from reviewdb.query import StudyFilter

    f = StudyFilter(source=source, target=target, family=family, task=task, year_min=year_min, year_max=year_max)
    try:
        fig = export.build(name.value, db, f, value=value.value, metric=metric)
        path = export.write(fig, out, width=width)
    except (ReviewDBError, ValueError, RuntimeError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1)
    typer.echo(f"wrote {path}")


def mount(app: typer.Typer) -> None:
    """Register both commands on the main ``reviewdb`` Typer app."""
    app.command()(dashboard)
    app.command()(figure)


if __name__ == "__main__":  # python -m app.cli figure chord --out chord.svg
    cli = typer.Typer(add_completion=False)
    mount(cli)
    cli()
