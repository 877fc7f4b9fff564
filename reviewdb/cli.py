"""The ``reviewdb`` command line: thin over the library.

Each command parses its options, calls one library function and prints the result;
library errors (reviewdb.errors.ReviewDBError) become a message and exit status 1.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from reviewdb.console import console, err, fail, print_frame
from reviewdb.errors import CatalogError, ReviewDBError
from reviewdb.vocabulary import COUNT_DIMENSIONS

app = typer.Typer(help=__doc__.splitlines()[0] + "\n\nA literature database of generative models for "
                  "medical image creation and translation.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False, rich_markup_mode="markdown")

BUNDLED = Path(__file__).parent / "data"
DbOption = Annotated[Optional[str], typer.Option("--db", help="SQLAlchemy URL (default: $REVIEWDB_URL or "
                                                  "the embedded SQLite file).", show_default=False)]


class OutFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    bibtex = "bibtex"


@app.command()
def init(db: DbOption = None) -> None:
    """Create or upgrade the database schema to the newest migration.

    Example: reviewdb init --db postgresql+psycopg://user@localhost/reviewdb
    """
    try:
        from reviewdb.db import upgrade

        upgrade(db)
    except ReviewDBError as exc:
        fail(exc)
    console.print(f"schema at head: {_where(db)}")


@app.command()
def load(
    path: Annotated[Path, typer.Argument(help="Catalog directory, .json or .csv export.")] = BUNDLED,
    db: DbOption = None,
) -> None:
    """Load a catalog (default: the bundled one) in one transaction; loading twice changes nothing.

    Examples:

    - `reviewdb load            # the bundled catalog`
    - `reviewdb load export.json --db sqlite:///other.sqlite`
    """
    from reviewdb.catalog.loader import load_catalog
    from reviewdb.catalog.reader import read_catalog

    try:
        report = load_catalog(read_catalog(path), db, source=str(path), progress=True)
    except CatalogError as exc:
        fail(exc)
    console.print(f"{report} -> {_where(db)}")


@app.command()
def query(
    source: Annotated[Optional[str], typer.Option(help="Source modality, e.g. MRI, T1w, CBCT.")] = None,
    target: Annotated[Optional[str], typer.Option(help="Target modality, e.g. CT, sCT, MRI:T1ce.")] = None,
    family: Annotated[Optional[str], typer.Option(help="Model family: GAN, VAE, diffusion ...")] = None,
    architecture: Annotated[Optional[str], typer.Option(help="Architecture, e.g. CycleGAN.")] = None,
    task: Annotated[Optional[str], typer.Option(help="translation, classification, segmentation, other.")] = None,
    anatomy: Annotated[Optional[str], typer.Option(help="brain, pelvis, head-neck, chest ...")] = None,
    dataset: Annotated[Optional[str], typer.Option(help="Data set name, e.g. IXI, SynthRAD2023.")] = None,
    year_min: Annotated[Optional[int], typer.Option("--from", help="First year.")] = None,
    year_max: Annotated[Optional[int], typer.Option("--to", help="Last year.")] = None,
    paired: Annotated[Optional[bool], typer.Option("--paired/--unpaired", help="Paired or unpaired data.",
                                                   show_default=False)] = None,
    status: Annotated[Optional[str], typer.Option(help="confirmed, candidate or excluded.")] = None,
    text: Annotated[Optional[str], typer.Option("--search", help="Words in title, authors or venue.")] = None,
    metric: Annotated[Optional[str], typer.Option(help="Show reported values of this metric (MAE, PSNR ...) "
                                                  "instead of the studies.")] = None,
    limit: Annotated[int, typer.Option(help="Rows to show in a table (0 = all).")] = 50,
    format: Annotated[OutFormat, typer.Option("--format", "-f")] = OutFormat.table,
    db: DbOption = None,
) -> None:
    """Find studies by modality pair, model, anatomy, data set, year ...

    Examples:

    - `reviewdb query --source MRI --target CT --family GAN --unpaired`
    - `reviewdb query --source MRI --target CT --metric MAE`
    """
    from reviewdb import query as Q

    f = Q.StudyFilter(source=source, target=target, family=family, architecture=architecture, task=task,
                      anatomy=anatomy, dataset=dataset, year_min=year_min, year_max=year_max, paired=paired,
                      status=status, text=text)
    try:
        from reviewdb.db import open_for_reading

        open_for_reading(db)
        if metric:
            frame = Q.reported_results(f, metric=metric, url=db)
            print_frame(frame[["citekey", "year", "pair", "metric", "value", "unit", "dataset", "note"]]
                         if format == OutFormat.table else frame, format, f"reported {metric}")
            return
        if format == OutFormat.bibtex:
            from reviewdb.catalog.exporter import export

            keys = Q.find_studies(f, url=db)["citekey"].tolist()
            sys.stdout.write(export("bibtex", db, keys))
            return
        if format == OutFormat.table:
            frame, total = Q.study_page(f, url=db, limit=limit or 10**9)
            cols = ["citekey", "year", "title", "pairs", "families", "architectures", "anatomy", "status"]
            print_frame(frame[cols], format, f"{total} studies" + (f" (first {len(frame)})" if total > len(frame) else ""),
                         max_width=48)
            return
        print_frame(Q.find_studies(f, url=db), format)
    except ReviewDBError as exc:
        fail(exc)


@app.command()
def stats(
    by: Annotated[Optional[str], typer.Option(help=f"Count studies by one of: {', '.join(COUNT_DIMENSIONS)}.")] = None,
    format: Annotated[OutFormat, typer.Option("--format", "-f")] = OutFormat.table,
    db: DbOption = None,
) -> None:
    """Coverage against the review, its internal inconsistencies, and counts by any dimension.

    Examples:

    - `reviewdb stats`
    - `reviewdb stats --by year --format csv`
    """
    import pandas as pd

    from reviewdb import coverage
    from reviewdb import query as Q

    try:
        from reviewdb.db import open_for_reading

        open_for_reading(db)
        if by:
            print_frame(Q.counts_by(by, url=db), format, f"studies by {by}")
            return
        s = coverage.summary(db)
        if format != OutFormat.table:
            print_frame(pd.DataFrame([s]), format)
            return
        console.print(f"database: {_where(db)}")
        total = s["review_total"] or "?"
        console.print(f"studies catalogued: {s['catalogued']} (review includes {total}); "
                      f"confirmed {s['confirmed']}, candidate {s['candidate']}, excluded {s['excluded']}; "
                      f"reported values: {s['results']} from {s['with_results']} studies")
        print_frame(Q.counts_by("task", url=db), format, "by task")
        print_frame(Q.counts_by("family", url=db), format, "by model family")
        table = coverage.coverage_table(db)
        print_frame(table.drop(columns=["note"]), format,
                    "catalog vs the review's tallies (excluded: catalogued, failing the review's criteria)")
        console.print(f"shape: {coverage.shape_summary(table)}", highlight=False)
        print_frame(coverage.inconsistencies(db), format, "the review's internal consistency", max_width=70)
    except ReviewDBError as exc:
        fail(exc)


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="bibtex, json, csv, or catalog (a directory).")],
    out: Annotated[Optional[Path], typer.Option(help="File (or directory for catalog); default stdout.")] = None,
    db: DbOption = None,
) -> None:
    """Export the database; every format loads back with `reviewdb load`.

    Examples:

    - `reviewdb export --format bibtex --out catalog.bib`
    - `reviewdb export --format catalog --out my-catalog/`
    """
    from reviewdb.catalog import exporter

    if format not in exporter.FORMATS:
        fail(ValueError(f"unknown format {format!r}; choose from {', '.join(exporter.FORMATS)}"))
    try:
        from reviewdb.db import open_for_reading

        open_for_reading(db)
    except ReviewDBError as exc:
        fail(exc)
    if format == "catalog":
        if out is None:
            fail(ValueError("--format catalog needs --out DIRECTORY"))
        exporter.write_catalog_dir(exporter.read_database(db), out)
        console.print(f"catalog written to {out}")
        return
    text = exporter.export(format, db)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        err.print(f"wrote {out}")


@app.command()
def backup(
    out: Annotated[Path, typer.Argument(help="Backup file: an SQLite file, or .json (any database).")],
    db: DbOption = None,
) -> None:
    """Copy the database while it is in use: studies, screening log, runs, everything.

    SQLite is copied with its online backup API; other databases (PostgreSQL) are written
    as one JSON document read in a single consistent transaction.

    Example: reviewdb backup reviewdb-2026-12-01.sqlite
    """
    from reviewdb.backup import backup as do_backup

    try:
        counts = do_backup(db, out)
    except ReviewDBError as exc:
        fail(exc)
    console.print(f"backed up {_where(db)} to {out}: {_count_text(counts)}", highlight=False)


@app.command()
def restore(
    src: Annotated[Path, typer.Argument(help="A file written by `reviewdb backup`.")],
    db: DbOption = None,
) -> None:
    """Put a backup into an empty database (SQLite or PostgreSQL), at the backup's schema
    revision, then upgrade it to this version's schema.

    Example: reviewdb restore reviewdb-2026-12-01.sqlite --db postgresql+psycopg://me@localhost/reviewdb
    """
    from reviewdb.backup import restore as do_restore

    try:
        counts = do_restore(src, db)
    except ReviewDBError as exc:
        fail(exc)
    console.print(f"restored {src} into {_where(db)}: {_count_text(counts)}", highlight=False)


def _count_text(counts: dict[str, int]) -> str:
    keep = ("study", "screening_record", "screening_decision", "reproduction_run", "claim_verdict")
    return ", ".join(f"{counts.get(k, 0)} {k}" for k in keep)


def _where(db: str | None) -> str:
    from reviewdb.db import resolve_url, sqlite_path

    path = sqlite_path(db)
    return f"SQLite file {path}" if path else resolve_url(db).split("@")[-1]


def main() -> None:  # pragma: no cover
    app()


#: Entry-point group through which the faces (dashboard, reproductions) add their commands.
PLUGIN_GROUP = "reviewdb.commands"


def _mount_subcommands() -> None:
    """Mining commands are the library's own; the dashboard and the reproductions register
    theirs through the ``reviewdb.commands`` entry points (pyproject.toml), as datasette and
    pytest plugins do, so the library never imports them and a catalog-only install (no
    torch, no streamlit) still runs. A plugin whose imports fail is left out, said once."""
    from importlib.metadata import entry_points

    from reviewdb.mining.cli import mine, prisma, screen

    for fn in (mine, screen, prisma):
        app.command()(fn)
    for ep in sorted(entry_points(group=PLUGIN_GROUP), key=lambda e: e.name):
        try:
            fn = ep.load()
        except ImportError as exc:  # an optional face whose dependencies are not installed
            _UNAVAILABLE[ep.name] = f"{ep.value}: {exc}"
            continue
        app.command(name=ep.name)(fn)


_UNAVAILABLE: dict[str, str] = {}
_mount_subcommands()


if __name__ == "__main__":  # python -m reviewdb.cli ...
    app()
