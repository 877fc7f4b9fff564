"""The errors reviewdb raises on purpose. Every user-facing failure is one of these."""

from __future__ import annotations

from dataclasses import dataclass


class ReviewDBError(Exception):
    """Base class: the CLI turns these into a message and a non-zero exit, never a traceback."""


class UnknownTerm(ReviewDBError, ValueError):
    """A vocabulary term (modality, family, metric ...) that reviewdb does not know."""

    def __init__(self, kind: str, term: str, closest: list[str]):
        self.kind, self.term, self.closest = kind, term, closest
        hint = f"; closest known: {', '.join(closest)}" if closest else ""
        super().__init__(f"unknown {kind} {term!r}{hint}")


@dataclass(frozen=True)
class Problem:
    """One validation problem, located by file, entry and field."""

    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: entry {self.entry!r}, field {self.field!r}: {self.message}"


class CatalogError(ReviewDBError):
    """A catalog that failed validation. Holds every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems[:200])
        more = f"\n  ... and {len(self.problems) - 200} more" if len(self.problems) > 200 else ""
        super().__init__(f"{len(self.problems)} problem(s) in the catalog:\n{lines}{more}")


class QueryError(ReviewDBError, ValueError):
    """A query argument that cannot be answered (bad range, unknown dimension ...)."""


class NoCatalog(ReviewDBError):
    """A read on a database that was never initialised: say what to run, not a SQL traceback."""

    def __init__(self, where: str):
        super().__init__(f"{where} holds no reviewdb catalog yet: run `reviewdb load` to load the bundled "
                         f"catalog (or `reviewdb init` for an empty one)")
