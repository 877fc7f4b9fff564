"""Data-quality rules that look across records: duplicates and implausible years.

The reader checks each field; these rules need the whole catalog. They run on every
load, so the bundled catalog can never ship a duplicate or a year its venue contradicts.
"""

from __future__ import annotations

import re

from reviewdb.catalog.records import Catalog
from reviewdb.errors import Problem
from reviewdb.vocabulary import architecture_norm

#: The scoping review's inclusion window (Section 3: peer-reviewed, 2018-2023).
REVIEW_WINDOWS = {"pang2025": (2018, 2023)}
_VENUE_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


def check_catalog(catalog: Catalog, file: str = "catalog") -> list[Problem]:
    """Every cross-record problem in ``catalog`` (empty list when it is clean)."""
    problems: list[Problem] = []
    by_doi: dict[str, str] = {}
    by_title: dict[str, str] = {}
    for s in catalog.studies:
        if s.doi:
            if s.doi in by_doi:
                problems.append(Problem(file, s.citekey, "doi", f"same DOI as {by_doi[s.doi]}"))
            by_doi.setdefault(s.doi, s.citekey)
        if s.title_norm in by_title:
            problems.append(Problem(file, s.citekey, "title", f"same title as {by_title[s.title_norm]}"))
        by_title.setdefault(s.title_norm, s.citekey)
        problems.extend(_year_problems(s, file))
    problems.extend(_architecture_spellings(catalog, file))
    datasets = [d.name for d in catalog.datasets]
    for name in {n for n in datasets if datasets.count(n) > 1}:
        problems.append(Problem(file, name, "name", "data set defined twice"))
    return problems


def _year_problems(s, file: str) -> list[Problem]:
    out = []
    venue_years = {int(y) for y in _VENUE_YEAR.findall(s.venue or "")}
    if venue_years and s.year not in venue_years:
        out.append(Problem(file, s.citekey, "year",
                           f"{s.year} does not match the year in its venue {s.venue!r}"))
    for inc in s.inclusions:
        window = REVIEW_WINDOWS.get(inc.review)
        if window and inc.status == "candidate" and not window[0] <= (s.year or 0) <= window[1]:
            out.append(Problem(file, s.citekey, "year",
                               f"candidate for {inc.review} must be published {window[0]}-{window[1]}, got {s.year}"))
        if window and inc.status == "candidate" and not s.peer_reviewed:
            out.append(Problem(file, s.citekey, "venue",
                               f"candidate for {inc.review} must be peer-reviewed, venue is {s.venue!r}"))
    return out


def _architecture_spellings(catalog: Catalog, file: str) -> list[Problem]:
    """One architecture, one spelling: ``NiceGAN`` beside ``NICE-GAN`` would merge silently."""

    first: dict[str, tuple[str, str]] = {}
    out = []
    for s in catalog.studies:
        for name, _ in s.architectures:
            norm = architecture_norm(name)
            seen = first.setdefault(norm, (name, s.citekey))
            if seen[0] != name:
                out.append(Problem(file, s.citekey, "architectures",
                                   f"{name!r} is spelled {seen[0]!r} in {seen[1]}; use one spelling"))
    return out
