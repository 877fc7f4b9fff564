"""Read a BibTeX export (Zotero, PubMed, a database) into entries, streaming.

The file is read line by line and parsed in chunks of entries with the catalog's own
:func:`~reviewdb.catalog.reader.parse_bibtex` (LaTeX accents decoded, braces removed),
so memory stays bounded by one chunk however large the file. Every problem -- broken
encoding, an entry without a title, a duplicate citekey, a malformed block -- is
collected with its file, entry and field; :func:`read_entries` raises one
:class:`~reviewdb.errors.CatalogError` listing all of them, after the whole file is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from reviewdb.catalog.reader import ARXIV_RE, DOI_RE, PMID_RE, URL_RE, Problems, parse_bibtex
from reviewdb.errors import Problem

CHUNK_ENTRIES = 500
_ENTRY_START = re.compile(r"^\s*@\s*([A-Za-z]+)\s*[{(]")
_LINE_NO = re.compile(r"\(line (\d+)\)")
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([^\s/?#]+?)(?:\.pdf)?(?:[?#]|$)", re.I)
_DOI_URL = re.compile(r"doi\.org/(10\.\d{4,9}/\S+)", re.I)


@dataclass
class Entry:
    """One BibTeX entry, cleaned: identifiers normalised, the rest kept as given."""

    citekey: str
    entry_type: str
    title: str
    fields: dict[str, str] = field(default_factory=dict)
    line: int = 0

    @property
    def doi(self) -> str | None:
        return normalise_doi(self.fields.get("doi") or _first(_DOI_URL, self.fields.get("url")))

    @property
    def arxiv_id(self) -> str | None:
        raw = self.fields.get("eprint") or self.fields.get("arxivid") or self.fields.get("arxiv")
        if not raw and "arxiv" in (self.fields.get("archiveprefix", "") + self.fields.get("journal", "")).lower():
            raw = _first(re.compile(r"(\d{4}\.\d{4,5})"), self.fields.get("journal"))
        raw = raw or _first(_ARXIV_URL, self.fields.get("url"))
        return normalise_arxiv(raw)

    @property
    def pmid(self) -> str | None:
        v = (self.fields.get("pmid") or "").strip()
        return v if PMID_RE.match(v) else None

    @property
    def keywords(self) -> str | None:
        return self.fields.get("keywords") or self.fields.get("mesh") or None

    @property
    def abstract(self) -> str | None:
        return self.fields.get("abstract") or None

    @property
    def year(self) -> int | None:
        m = re.search(r"\b(1[89]\d\d|20\d\d)\b", self.fields.get("year", "") or self.fields.get("date", ""))
        return int(m.group(1)) if m else None

    @property
    def venue(self) -> str | None:
        for k in ("journal", "booktitle", "journaltitle", "howpublished", "publisher"):
            if self.fields.get(k):
                return self.fields[k]
        return None


def _first(rx: re.Pattern, text: str | None) -> str | None:
    m = rx.search(text or "")
    return m.group(1) if m else None


def normalise_doi(doi: str | None) -> str | None:
    """``https://doi.org/10.1/ABC`` and ``doi:10.1/abc`` -> ``10.1/abc`` (DOIs are case-insensitive)."""
    if not doi:
        return None
    d = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi.strip(), flags=re.I).rstrip(".").lower()
    return d if DOI_RE.match(d) else None


def normalise_arxiv(raw: str | None) -> str | None:
    """``arXiv:2207.08208v2`` -> ``2207.08208`` (versions are the same paper)."""
    if not raw:
        return None
    a = re.sub(r"^(?:arxiv:|https?://arxiv\.org/(?:abs|pdf)/)", "", raw.strip(), flags=re.I)
    a = re.sub(r"(?:\.pdf)?$", "", a)
    a = re.sub(r"v\d+$", "", a)
    return a if ARXIV_RE.match(a) else None


def chunks(path: str | Path, problems: Problems, encoding: str = "utf-8") -> Iterator[tuple[str, int]]:
    """(text of up to CHUNK_ENTRIES entries, line number of its first line), streaming."""
    buf: list[str] = []
    n_entries, start_line, line_no = 0, 1, 0
    try:
        with open(path, encoding=encoding, newline="") as fh:
            for line_no, line in enumerate(fh, start=1):
                m = _ENTRY_START.match(line)
                if m:
                    if n_entries >= CHUNK_ENTRIES:
                        yield "".join(buf), start_line
                        buf, n_entries, start_line = [], 0, line_no
                    if m.group(1).lower() not in ("comment", "preamble", "string"):
                        n_entries += 1
                buf.append(line)
    except UnicodeDecodeError as exc:
        problems.add(str(path), f"line {line_no + 1}", "-",
                     f"not {encoding} text ({exc.reason} at byte {exc.start} of that line); "
                     f"re-export the file as UTF-8 or pass the encoding it was written in")
        return
    if buf:
        yield "".join(buf), start_line


def parse_chunk(text: str, first_line: int, file: str) -> tuple[list[Entry], list[Problem]]:
    """Entries of one chunk and its problems (line numbers are the file's, not the chunk's).

    Pure (no shared state), so chunks can be parsed in worker processes; duplicate
    citekeys across chunks are checked by the caller.
    """
    local = Problems()
    if "\x00" in text:
        local.add(file, f"line {first_line}", "-", "binary data (NUL bytes): this is not a BibTeX text file")
        return [], local.items
    parsed = parse_bibtex(text, file, local)
    problems = [Problem(p.file, p.entry, p.field,
                        _LINE_NO.sub(lambda m: f"(line {int(m.group(1)) + first_line - 1})", p.message))
                for p in local.items]
    lines = _entry_lines(text, first_line)
    out: list[Entry] = []
    for key, (etype, fields) in parsed.items():
        line = lines.get(key, first_line)
        title = (fields.get("title") or "").strip()
        if not title:
            problems.append(Problem(file, key, "title",
                                    f"is required: an entry without a title cannot be screened (line {line})"))
            continue
        if "\ufffd" in title:
            problems.append(Problem(file, key, "title", "contains U+FFFD replacement characters: the export's "
                                                        f"encoding is broken (line {line})"))
            continue
        for k in ("url", "evidence"):
            if fields.get(k) and not URL_RE.match(fields[k]):
                fields.pop(k)  # an unusable URL is dropped; the record simply has none
        out.append(Entry(key, etype, title, fields, line))
    return out, problems


class CitekeyCheck:
    """Duplicate citekeys across the chunks of one file."""

    def __init__(self, file: str):
        self.file, self.seen = file, {}

    def ok(self, e: Entry, problems: Problems) -> bool:
        if e.citekey in self.seen:
            problems.add(self.file, e.citekey, "citekey",
                         f"duplicate citekey (line {e.line}; first at line {self.seen[e.citekey]})")
            return False
        self.seen[e.citekey] = e.line
        return True


def iter_entries(path: str | Path, problems: Problems, encoding: str = "utf-8") -> Iterator[Entry]:
    """Every entry of the file, in order; problems go to ``problems`` (nothing is raised)."""
    f = str(path)
    keys = CitekeyCheck(f)
    for text, first_line in chunks(path, problems, encoding):
        entries, probs = parse_chunk(text, first_line, f)
        problems.items.extend(probs)
        for e in entries:
            if keys.ok(e, problems):
                yield e


def _entry_lines(text: str, first_line: int) -> dict[str, int]:
    out = {}
    for i, line in enumerate(text.splitlines()):
        m = re.match(r"^\s*@\s*[A-Za-z]+\s*[{(]\s*([^,\s]+)\s*,", line)
        if m:
            out.setdefault(m.group(1), first_line + i)
    return out


def read_entries(path: str | Path, encoding: str = "utf-8") -> list[Entry]:
    """All entries of a BibTeX file, or :class:`~reviewdb.errors.CatalogError` listing every problem."""
    problems = Problems()
    p = Path(path)
    if not p.is_file():
        problems.add(str(p), "-", "-", "no such file")
        problems.raise_if_any()
    entries = list(iter_entries(p, problems, encoding))
    if not entries and not problems.items:
        problems.add(str(p), "-", "-", "no BibTeX entries found")
    problems.raise_if_any()
    return entries


__all__ = ["Entry", "read_entries", "iter_entries", "chunks", "parse_chunk", "normalise_doi", "normalise_arxiv"]
