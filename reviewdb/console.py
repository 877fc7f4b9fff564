"""Terminal output shared by every ``reviewdb`` command: tables, CSV/JSON, errors."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

console = Console(soft_wrap=False)
err = Console(stderr=True)

if TYPE_CHECKING:  # pandas is imported by the commands that print frames, not by every start
    import pandas as pd


def fail(exc: Exception) -> None:
    """Print a library error as one readable line and exit with status 1 (no traceback)."""
    err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(1)


def print_frame(frame: pd.DataFrame, fmt: str = "table", title: str | None = None, max_width: int = 60) -> None:
    """A DataFrame as a rich table in a terminal, or as CSV / JSON for scripts."""
    fmt = getattr(fmt, "value", fmt)
    if fmt == "csv":
        sys.stdout.write(frame.to_csv(index=False))
        return
    if fmt == "json":
        sys.stdout.write(frame.to_json(orient="records", indent=1, force_ascii=False, default_handler=str) + "\n")
        return
    table = Table(title=title, header_style="bold")
    for col in frame.columns:
        table.add_column(str(col), overflow="fold", max_width=max_width)
    for row in frame.itertuples(index=False):
        table.add_row(*["" if _missing(v) else str(v) for v in row])
    console.print(table)


def _missing(value) -> bool:
    import pandas as pd

    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):  # lists, arrays: present
        return False
