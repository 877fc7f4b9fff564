"""Command-line functions for mining and screening, mounted by ``reviewdb.cli``.

Each function parses its options, calls one function of :mod:`reviewdb.mining.screening`
and prints the result; a ``ReviewDBError`` becomes its message and exit status 1.
Mount with ``app.command("mine")(mine)``, ``app.command("screen")(screen)``,
``app.command("prisma")(prisma)``.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from reviewdb.console import console, err, fail, print_frame
from reviewdb.errors import ReviewDBError

TABLE_ROWS = 50  # rows a table shows after mining; csv/json print every record

DbOption = Annotated[Optional[str], typer.Option("--db", help="SQLAlchemy URL (default: $REVIEWDB_URL or "
                                                  "the embedded SQLite file).", show_default=False)]


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class Action(str, Enum):
    list = "list"
    show = "show"
    include = "include"
    exclude = "exclude"
    reset = "reset"
    complete = "complete"
    accept = "accept"
    next = "next"
    conflicts = "conflicts"
    agreement = "agreement"
    config = "config"


class Stage(str, Enum):
    title_abstract = "title-abstract"
    full_text = "full-text"


class InFormat(str, Enum):
    bibtex = "bibtex"
    ris = "ris"
    medline = "medline"
    csv = "csv"
    csljson = "csljson"


def mine(
    file: Annotated[Path, typer.Argument(help="An export: BibTeX, RIS, PubMed MEDLINE/.nbib, PubMed or Scopus "
                                              "CSV, or CSL-JSON.")],
    db: DbOption = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="How to print the mined records.")] = Format.table,
    format_in: Annotated[Optional[InFormat], typer.Option("--format-in", help="The file's format (default: read "
                                                          "from its content).", show_default=False)] = None,
    encoding: Annotated[Optional[str], typer.Option(help="Text encoding (default: a byte-order mark, a declared "
                                                    "encoding, UTF-8, else Windows-1252).",
                                                    show_default=False)] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Refuse the whole file if any entry cannot be "
                                                          "screened (default: skip and list such entries).")] = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")] = True,
) -> None:
    """Mine an export into screening records: proposed annotations, duplicates flagged.

    Every entry gets proposals (modalities, contrasts, task, model family, architectures,
    anatomy, data sets, metrics, paired/unpaired, 2D/3D, and an out-of-scope flag for
    segmentation, denoising, reconstruction and similar work) with the words and the
    field (title, keywords or abstract) that triggered each, and is checked for
    duplicates (DOI, arXiv id, fuzzy title) against the catalog, earlier screening
    records and the rest of the file. Entries that cannot be screened are listed and
    skipped; everything else is written in one transaction.

    Example: reviewdb mine pubmed-export.nbib --db sqlite:///review.sqlite
    """
    from reviewdb.mining import screening as S  # here, not at start: `reviewdb --help` stays quick

    try:
        report = S.mine_file(file, db, encoding=encoding, progress=progress,
                             fmt=format_in.value if format_in else None, strict=strict)
        shown = None if format != Format.table else TABLE_ROWS
        frame = S.list_records(db, batch=report.batch_id, limit=shown)
    except ReviewDBError as exc:
        fail(exc)
        return
    more = f" (first {TABLE_ROWS}; `reviewdb screen list --batch {report.batch_id}` for more)" \
        if shown and report.identified > shown else ""
    print_frame(frame[["id", "status", "citekey", "title", "task", "translations", "families", "out_of_scope",
                       "duplicate_of"]],
                format, title=f"batch {report.batch_id}{more}")
    err.print(str(report), highlight=False)


def screen(
    action: Annotated[Action, typer.Argument(help="next | list | show ID | include ID | exclude ID --reason R | "
                                                  "reset ID | complete ID --set F=V | accept ID | conflicts | "
                                                  "agreement | config --reviewers N")] = Action.list,
    record: Annotated[Optional[int], typer.Argument(help="Screening record id (see `screen list`).",
                                                    show_default=False)] = None,
    reason: Annotated[Optional[str], typer.Option("--reason", "-r", help="Why the record is excluded (default: "
                                                  "the miner's proposed out-of-scope reason, if any).")] = None,
    set_: Annotated[Optional[list[str]], typer.Option("--set", "-s", help="FIELD=VALUE completion, repeatable "
                                                      "(evidence, doi, task, families, translations, ...).")] = None,
    status: Annotated[Optional[str], typer.Option(help="list: only this status (pending, included, "
                                                       "excluded, duplicate).")] = None,
    batch: Annotated[Optional[int], typer.Option(help="list: only this batch.")] = None,
    review: Annotated[Optional[str], typer.Option(help="accept: also add the study as a candidate of "
                                                       "this review key.")] = None,
    limit: Annotated[int, typer.Option(help="list / next: at most this many rows.")] = 200,
    reviewer: Annotated[Optional[str], typer.Option(help="Who decides (default: $REVIEWDB_REVIEWER or the login "
                                                         "name).", show_default=False)] = None,
    stage: Annotated[Stage, typer.Option(help="Screening stage of the decision.")] = Stage.title_abstract,
    resolve: Annotated[bool, typer.Option("--resolve", help="include/exclude: settle a conflict between "
                                                             "two other reviewers.")] = False,
    reviewers: Annotated[Optional[int], typer.Option(help="config: independent decisions a record needs "
                                                          "(1 single, 2 dual screening).")] = None,
    db: DbOption = None,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """Screen mined records: the next most relevant one, decisions by reviewer and stage, accept.

    `next` shows the undecided records most likely to be included (a relevance model
    retrained on every decision, with the catalog as prior knowledge), each with its score
    and the terms behind it. Decisions are appended to a log with the reviewer and the time;
    an exclusion names a criterion (wrong-task, wrong-modality, not-generative,
    not-peer-reviewed, out-of-years, duplicate, not-primary, other: words). With dual
    screening (`config --reviewers 2`) a record is settled when two reviewers agree;
    disagreements are listed by `conflicts` and settled with `--resolve` by a third.

    Accepting turns a record into a catalog study with its proposed annotations, through
    the catalog's validation: a record lacking a required field (an evidence URL, an
    identifier, a model family ...) fails with the field named until it is completed.

    Examples:

    - `reviewdb screen next --reviewer ana --limit 5`
    - `reviewdb screen exclude 12 --reason "wrong-task: segmentation only" --reviewer ana`
    - `reviewdb screen include 12 --stage full-text --reviewer ben`
    - `reviewdb screen accept 7 --set evidence=https://doi.org/10.1002/mp.13047`
    """
    import pandas as pd

    from reviewdb.mining import screening as S

    from reviewdb.mining import decisions as D

    try:
        if action == Action.list:
            print_frame(S.list_records(db, status=status, batch=batch, limit=limit), format, title="screening records")
            return
        if action == Action.next:
            from reviewdb.mining.queue import next_for

            rows = next_for(reviewer, db, stage.value, n=min(limit, 50), batch=batch)
            frame = pd.DataFrame(rows, columns=["id", "score", "title", "why", "remaining"])
            print_frame(frame, format, title=f"next for {reviewer or D.default_reviewer()} at {stage.value}")
            return
        if action == Action.conflicts:
            rows = [dict(id=c["id"], votes=", ".join(f"{r}: {v}" for r, v in c["votes"].items()))
                    for c in D.conflicts(db, stage.value)]
            print_frame(pd.DataFrame(rows, columns=["id", "votes"]), format, title=f"conflicts at {stage.value}")
            return
        if action == Action.agreement:
            print_frame(pd.DataFrame(D.agreement(db, stage.value), columns=["reviewers", "records", "agreement",
                                                                            "kappa"]),
                        format, title=f"agreement between reviewers at {stage.value} (Cohen's kappa)")
            return
        if action == Action.config:
            if reviewers is not None:
                D.set_reviewers_required(reviewers, db)
            console.print(f"reviewers required per record: {D.reviewers_required(db)}")
            return
        if record is None:
            raise S.ScreeningError(f"`screen {action.value}` needs a record id")
        values = S.parse_assignments(set_ or [])
        if action == Action.show:
            d = S.record_detail(record, db)
            if format == Format.json:
                sys.stdout.write(json.dumps(d, indent=1, default=str, ensure_ascii=False) + "\n")
                return
            for k in ("id", "status", "reason", "citekey", "title", "authors", "year", "venue", "doi",
                      "arxiv_id", "pmid", "duplicate_of", "duplicate_kind", "duplicate_score", "study"):
                if d.get(k) not in (None, ""):
                    console.print(f"[bold]{k}[/]: {d[k]}", highlight=False)
            print_frame(pd.DataFrame(d["proposals"], columns=["field", "value", "trigger", "where", "rule"]),
                  Format.table if format == Format.table else format, title="proposals and their triggers")
            if d["completions"]:
                console.print(f"[bold]completions[/]: {d['completions']}", highlight=False)
            return
        if action == Action.include:
            out = S.include(record, db, reviewer=reviewer, stage=stage.value, resolve=resolve)
        elif action == Action.exclude:
            out = S.exclude(record, reason, db, reviewer=reviewer, stage=stage.value, resolve=resolve)
        elif action == Action.reset:
            out = S.reset(record, db, reviewer=reviewer, stage=stage.value)
        elif action == Action.complete:
            if not values:
                raise S.ScreeningError("`screen complete` needs at least one --set FIELD=VALUE")
            out = {"id": record, "completions": S.complete(record, values, db)}
        else:
            rep = S.accept(record, db, values=values, review=review)
            console.print(str(rep), highlight=False)
            return
    except ReviewDBError as exc:
        fail(exc)
        return
    console.print(", ".join(f"{k}: {v}" for k, v in out.items() if v is not None), highlight=False)


def prisma(
    db: DbOption = None,
    batch: Annotated[Optional[int], typer.Option(help="Only this mined batch.")] = None,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    csv_out: Annotated[Optional[Path], typer.Option("--csv", help="Also write the counts in the PRISMA2020 "
                                                    "Shiny app's CSV layout to this file.", show_default=False)] = None,
) -> None:
    """Print the PRISMA 2020 flow counts derived from the screening log.

    Identification (per mined file) -> duplicates removed -> records screened at
    title/abstract -> excluded (per criterion) -> reports sought and assessed at full text
    -> excluded (per criterion) -> new studies included, and the total with the catalog.
    The diagram itself: `reviewdb figure prisma --out prisma.svg`.

    Example: reviewdb prisma --csv prisma.csv
    """
    import pandas as pd

    from reviewdb.mining import screening as S

    from reviewdb.mining.prisma import prisma_csv

    try:
        counts = S.prisma_counts(db, batch=batch)
    except ReviewDBError as exc:
        fail(exc)
        return
    if csv_out is not None:
        csv_out.write_text(prisma_csv(counts), encoding="utf-8")
        err.print(f"wrote {csv_out} (PRISMA2020 template layout)")
    if format == Format.json:
        sys.stdout.write(json.dumps(counts, indent=1) + "\n")
        return
    nested = ("sources", "excluded_reasons", "fulltext_excluded_reasons")
    rows = [(k, v) for k, v in counts.items() if k not in nested]
    rows += [(f"  identified from {name}", n) for name, n in counts["sources"].items()]
    rows += [(f"  excluded (title/abstract): {r}", n) for r, n in counts["excluded_reasons"].items()]
    rows += [(f"  excluded (full text): {r}", n) for r, n in counts["fulltext_excluded_reasons"].items()]
    print_frame(pd.DataFrame(rows, columns=["box", "records"]), format, title="PRISMA 2020 flow")
