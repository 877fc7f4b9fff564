"""Read a BibTeX export (Zotero, JabRef, Google Scholar, proceedings files) into entries, streaming.

BibTeX as people have it, not only as the catalog writes it:

- ``@string`` macros are collected in a first pass and given to every chunk, so a macro
  defined on line 3 resolves in entry 40,000;
- ``crossref``: an entry inherits the fields it lacks from its parent (a parent's
  ``title`` becomes the child's ``booktitle``), wherever in the file the parent is;
- ``@proceedings`` / ``@periodical`` entries, and ``@book`` / ``@collection`` entries that
  other entries cross-reference, are containers, not papers: they feed crossref and are
  not screened; ``@comment`` and ``@preamble`` are skipped;
- LaTeX is decoded before any rule sees the text (:func:`~reviewdb.catalog.reader.parse_bibtex`);
- citekeys stay the strings they are (``2019``, ``10.1109/tmi.2019.1``).

The second pass reads line by line and parses chunks of :data:`CHUNK_ENTRIES` entries, so
memory stays bounded by one chunk however large the file. Problems are of two kinds:
*file* problems (not text, not decodable) make the file unreadable; *entry* problems (a
malformed block, an entry without a title, a duplicate citekey) concern one entry, which
the caller may skip (the default) or refuse the file for (``--strict``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from reviewdb.catalog.reader import URL_RE, Problems, parse_bibtex
from reviewdb.errors import Problem
from reviewdb.mining.entry import Entry, normalise_arxiv, normalise_doi

CHUNK_ENTRIES = 500
_ENTRY_START = re.compile(r"^\s*@\s*([A-Za-z]+)\s*[{(]\s*([^,\s]*)")
_CROSSREF = re.compile(r"\bcrossref\s*=\s*[{\"]\s*([^}\"\s,]+)", re.I)
_LINE_NO = re.compile(r"\(line (\d+)\)")
SKIPPED_TYPES = {"comment", "preamble", "string"}
#: entry types that hold papers rather than being one
CONTAINER_TYPES = {"proceedings", "mvproceedings", "periodical"}
#: entry types that are containers when another entry cross-references them
REFERENCED_CONTAINERS = {"book", "mvbook", "collection", "mvcollection", "reference", "mvreference"}
#: what a child does not inherit from its parent
_NOT_INHERITED = {"title", "crossref", "ids", "abstract", "keywords", "doi", "url", "eprint", "pmid", "pages"}


@dataclass
class FileContext:
    """What every chunk of a file needs from the rest of it (small: macros and containers)."""

    macros: str = ""
    macro_lines: int = 0
    parents: dict[str, dict[str, str]] = field(default_factory=dict)
    container_keys: set[str] = field(default_factory=set)


def _blocks(path: str | Path, problems: Problems, encoding: str) -> Iterator[tuple[str, str, int, list[str]]]:
    """(entry type, key, first line, lines) per ``@`` block, streaming; text before the first is dropped."""
    kind, key, start, lines = None, "", 0, []
    line_no = 0
    try:
        with open(path, encoding=encoding, newline="") as fh:
            for line_no, line in enumerate(fh, start=1):
                m = _ENTRY_START.match(line)
                if m:
                    if kind is not None:
                        yield kind, key, start, lines
                    kind, key, start, lines = m.group(1).lower(), m.group(2), line_no, []
                if kind is not None:
                    lines.append(line)
    except UnicodeDecodeError as exc:
        problems.add(str(path), f"line {line_no + 1}", "-",
                     f"not {encoding} text ({exc.reason} at byte {exc.start} of that line); "
                     f"re-export the file as UTF-8 or pass the encoding it was written in")
        return
    if kind is not None:
        yield kind, key, start, lines


def scan(path: str | Path, problems: Problems, encoding: str = "utf-8") -> FileContext:
    """First pass: the ``@string`` macros, the crossref targets and the container entries."""
    ctx = FileContext()
    macros: list[str] = []
    referenced: set[str] = set()
    candidates: dict[str, tuple[str, list[str]]] = {}
    for kind, key, _, lines in _blocks(path, problems, encoding):
        if kind == "string":
            macros.extend(lines)
            continue
        if kind in CONTAINER_TYPES or kind in REFERENCED_CONTAINERS:
            candidates[key.lower()] = (kind, lines)
        for line in lines:
            m = _CROSSREF.search(line)
            if m:
                referenced.add(m.group(1).lower())
    ctx.macros = "".join(macros)
    if ctx.macros and not ctx.macros.endswith("\n"):
        ctx.macros += "\n"
    ctx.macro_lines = ctx.macros.count("\n")
    keep = {k: v for k, v in candidates.items() if v[0] in CONTAINER_TYPES or k in referenced}
    ctx.container_keys = set(keep)
    if keep:
        text = ctx.macros + "".join("".join(lines) for _, lines in keep.values())
        parsed = parse_bibtex(text, str(path), Problems())  # a broken container only loses inheritance
        ctx.parents = {k.lower(): fields for k, (_, fields) in parsed.items()}
    return ctx


def chunks(path: str | Path, problems: Problems, encoding: str = "utf-8",
           ctx: FileContext | None = None) -> Iterator[tuple[str, int]]:
    """(text of up to CHUNK_ENTRIES screenable entries, line number of its first line), streaming.

    Macros, comments, preambles and containers are left out (the context carries them).
    """
    ctx = ctx or FileContext()
    buf: list[str] = []
    n_entries, start_line, n_lines = 0, 0, 0
    for kind, key, first, lines in _blocks(path, problems, encoding):
        if kind in SKIPPED_TYPES or key.lower() in ctx.container_keys:
            continue
        if n_entries >= CHUNK_ENTRIES:
            yield "".join(buf), start_line
            buf, n_entries = [], 0
        if not buf:
            start_line, n_lines = first, 0
        # blank lines stand in for skipped blocks, so line numbers within a chunk stay the file's
        pad = "\n" * max(0, first - start_line - n_lines)
        block = pad + "".join(lines)
        buf.append(block)
        n_lines += block.count("\n")
        n_entries += 1
    if buf:
        yield "".join(buf), start_line


def parse_chunk(text: str, first_line: int, file: str,
                ctx: FileContext | None = None) -> tuple[list[Entry], list[Problem], list[Problem]]:
    """Entries of one chunk, its entry problems and its file problems (lines are the file's).

    Pure (no shared state), so chunks can be parsed in worker processes; duplicate
    citekeys across chunks are checked by the caller.
    """
    ctx = ctx or FileContext()
    if "\x00" in text:
        return [], [], [Problem(file, f"line {first_line}", "-",
                                "binary data (NUL bytes): this is not a BibTeX text file")]
    local = Problems()
    parsed = parse_bibtex(ctx.macros + text, file, local)
    shift = first_line - 1 - ctx.macro_lines
    problems = [Problem(p.file, p.entry, p.field, _LINE_NO.sub(lambda m: f"(line {int(m.group(1)) + shift})", p.message))
                for p in local.items]
    lines = _entry_lines(text, first_line)
    out: list[Entry] = []
    for key, (etype, fields) in parsed.items():
        line = lines.get(key, first_line)
        if fields.get("crossref"):
            _inherit(fields, etype, ctx.parents.get(fields["crossref"].strip().lower()))
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
        out.append(Entry(str(key), etype, title, fields, line))
    return out, problems, []


def _inherit(fields: dict[str, str], etype: str, parent: dict[str, str] | None) -> None:
    """BibTeX/biblatex crossref: missing fields come from the parent; its title is the booktitle."""
    if not parent:
        return
    if parent.get("title") and not fields.get("booktitle") and etype in ("inproceedings", "incollection",
                                                                          "inbook", "conference"):
        fields["booktitle"] = parent["title"]
    for k, v in parent.items():
        if k not in _NOT_INHERITED and not fields.get(k):
            fields[k] = v


class CitekeyCheck:
    """Duplicate citekeys across the chunks of one file."""

    def __init__(self, file: str):
        self.file, self.seen = file, {}

    def ok(self, e: Entry, problems: Problems | list[Problem]) -> bool:
        if e.citekey in self.seen:
            p = Problem(self.file, e.citekey, "citekey",
                        f"duplicate citekey (line {e.line}; first at line {self.seen[e.citekey]})")
            (problems.items if isinstance(problems, Problems) else problems).append(p)
            return False
        self.seen[e.citekey] = e.line
        return True


def iter_entries(path: str | Path, problems: Problems, encoding: str = "utf-8") -> Iterator[Entry]:
    """Every screenable entry of the file, in order; every problem goes to ``problems``."""
    f = str(path)
    keys = CitekeyCheck(f)
    before = len(problems.items)
    ctx = scan(path, problems, encoding)
    if len(problems.items) > before:  # the file itself cannot be read: said once, by the first pass
        return
    for text, first_line in chunks(path, problems, encoding, ctx):
        entries, probs, fatal = parse_chunk(text, first_line, f, ctx)
        problems.items.extend(fatal + probs)
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


__all__ = ["Entry", "FileContext", "read_entries", "iter_entries", "scan", "chunks", "parse_chunk",
           "normalise_doi", "normalise_arxiv"]
