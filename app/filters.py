"""The filter bar shared by every page; its state lives in the URL query string.

A view is shared as a link: ``?source=MRI&target=CT&family=GAN&year_min=2018``. The
parameter names are the :class:`reviewdb.query.StudyFilter` fields (``q`` is its
``text``). Parsing is plain Python (tested without Streamlit): every value is checked
against the vocabulary, and an unknown one becomes a message for the user, never a
query. Values reach SQL only as bound parameters, through :mod:`reviewdb.query`.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any, Mapping

from reviewdb import vocabulary as V
from reviewdb.errors import ReviewDBError, UnknownTerm
from reviewdb.query import StudyFilter

#: query-string parameter -> StudyFilter field
PARAMS: dict[str, str] = {
    "source": "source", "target": "target", "family": "family", "architecture": "architecture",
    "task": "task", "anatomy": "anatomy", "year_min": "year_min", "year_max": "year_max",
    "paired": "paired", "status": "status", "q": "text",
}
_VOCABS = {"source": V.MODALITY, "target": V.MODALITY, "family": V.FAMILY, "task": V.TASK,
           "anatomy": V.ANATOMY_VOCAB}
_PAIRED = {"paired": True, "true": True, "yes": True, "1": True,
           "unpaired": False, "false": False, "no": False, "0": False}
YEAR_BOUNDS = (1950, 2100)
MAX_TEXT = 200


def _first(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else ""
    return str(value).strip()


def parse_params(params: Mapping[str, Any]) -> tuple[StudyFilter, list[str]]:
    """A StudyFilter from query-string parameters, and a message per value it ignored.

    ``{"source": "MR", "year_min": "2019"}`` gives ``StudyFilter(source="MRI",
    year_min=2019)``; ``{"source": "zzz"}`` gives an empty filter and one message.
    """
    values: dict[str, Any] = {}
    errors: list[str] = []
    for name, field in PARAMS.items():
        if name not in params:
            continue
        raw = _first(params[name])
        if raw == "":
            continue
        try:
            values[field] = _parse_one(name, raw)
        except (UnknownTerm, ValueError) as exc:
            errors.append(f"Ignored `{name}={raw[:60]}` from the link: {exc}.")
    f = StudyFilter(**values)
    if f.year_min is not None and f.year_max is not None and f.year_min > f.year_max:
        errors.append(f"Ignored the year range {f.year_min}-{f.year_max} from the link: "
                      "it is empty (first year after last year).")
        f = replace(f, year_min=None, year_max=None)
    return f, errors


def _parse_one(name: str, raw: str) -> Any:
    if name in _VOCABS:
        return _VOCABS[name].normalise(raw)
    if name in ("year_min", "year_max"):
        if not raw.isdigit() or not YEAR_BOUNDS[0] <= int(raw) <= YEAR_BOUNDS[1]:
            raise ValueError(f"a year must be a number between {YEAR_BOUNDS[0]} and {YEAR_BOUNDS[1]}")
        return int(raw)
    if name == "paired":
        if raw.lower() not in _PAIRED:
            raise ValueError("paired must be 'paired' or 'unpaired'")
        return _PAIRED[raw.lower()]
    if name == "status":
        if raw not in V.INCLUSION_STATUSES:
            raise ValueError(f"status must be one of {', '.join(V.INCLUSION_STATUSES)}")
        return raw
    if name == "architecture":
        if len(raw) > 100:
            raise ValueError("an architecture name is at most 100 characters")
        return raw
    return raw[:MAX_TEXT]  # q: free text, bound as a LIKE parameter by the query API


def to_params(f: StudyFilter) -> dict[str, str]:
    """The query-string parameters of ``f`` (empty fields left out)."""
    fields = {v: k for k, v in PARAMS.items()}
    out: dict[str, str] = {}
    for field, value in asdict(f).items():
        if value is None or value == "":
            continue
        if field == "paired":
            out[fields[field]] = "paired" if value else "unpaired"
        else:
            out[fields[field]] = str(value)
    return out


def describe(f: StudyFilter) -> str:
    """A one-line human description of the active filters ("" when none)."""
    parts = []
    if f.source or f.target:
        parts.append(f"{f.source or 'any'} -> {f.target or 'any'}")
    for name in ("family", "architecture", "task", "anatomy", "status"):
        if getattr(f, name):
            parts.append(f"{name} {getattr(f, name)}")
    if f.year_min is not None or f.year_max is not None:
        parts.append(f"years {f.year_min or '...'}-{f.year_max or '...'}")
    if f.paired is not None:
        parts.append("paired" if f.paired else "unpaired")
    if f.text:
        parts.append(f"text '{f.text}'")
    return ", ".join(parts)


def check(f: StudyFilter) -> tuple[StudyFilter | None, str | None]:
    """``f`` normalised, or None and a message when the query API refuses it."""
    try:
        return f.normalised(), None
    except ReviewDBError as exc:
        return None, str(exc)
