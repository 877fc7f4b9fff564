"""The files researchers export, read into :class:`~reviewdb.mining.entry.Entry` records.

Formats and where they come from:

- ``bibtex``: Zotero, JabRef, Google Scholar, publishers, proceedings (:mod:`.bibfile`,
  streamed in chunks: the one format files of 50,000 entries come in);
- ``ris``: Scopus, Web of Science, EndNote, Zotero, Mendeley (read with rispy);
- ``medline``: PubMed's "PubMed" / ``.nbib`` export (``PMID- `` tagged lines);
- ``csv``: PubMed's CSV export and Scopus' CSV (columns matched by name);
- ``csljson``: CSL-JSON from Zotero, Mendeley and citation.js.

:func:`detect_format` reads the content, not the file name; ``--format-in`` overrides it.
:func:`decode` finds the text encoding: a byte-order mark, an encoding the file declares
(JabRef's ``% Encoding: ...``), UTF-8 when the bytes are valid UTF-8, else Windows-1252
(the Latin-1 superset that Western exporters write). Line endings are normalised.

Every reader returns entries plus *per-entry* problems (an entry without a title cannot
be screened): the caller decides whether those sink the file (``--strict``) or are
listed and skipped.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
from pathlib import Path
from typing import Any, Callable, Iterable

import rispy

from reviewdb.catalog.reader import Problems, URL_RE
from reviewdb.errors import Problem
from reviewdb.mining.entry import Entry

FORMATS = ("bibtex", "ris", "medline", "csv", "csljson")

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_DECLARED = re.compile(rb"^\s*%\s*encoding\s*[:=]\s*([A-Za-z0-9_.-]+)", re.I | re.M)


class FormatError(ValueError):
    """The file's format or encoding cannot be read."""


# --- bytes to text ------------------------------------------------------------------------------


def sniff_encoding(path: Path, encoding: str | None = None) -> str:
    """The encoding to read ``path`` with (see the module docstring for the order)."""
    if encoding:
        return encoding
    with open(path, "rb") as fh:
        head = fh.read(4096)
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    m = _DECLARED.search(head)
    if m:
        try:
            return codecs.lookup(m.group(1).decode("ascii")).name
        except LookupError:
            pass
    return "utf-8" if _is_utf8(path) else "cp1252"


def _is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def decode(path: Path, encoding: str | None = None) -> str:
    """The whole file as text with ``\\n`` line ends (for the formats read in one piece)."""
    enc = sniff_encoding(path, encoding)
    try:
        text = path.read_bytes().decode(enc)
    except (UnicodeDecodeError, LookupError) as exc:
        raise FormatError(f"{path}: cannot be read as {enc} ({exc}); pass --encoding") from exc
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


# --- which format ---------------------------------------------------------------------------------

_SUFFIX = {".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris", ".nbib": "medline", ".medline": "medline",
           ".csv": "csv", ".json": "csljson"}


def detect_format(path: Path, encoding: str | None = None) -> str:
    """The export format from the first lines of the content (the suffix breaks a tie)."""
    enc = sniff_encoding(path, encoding)
    with open(path, "rb") as fh:
        head = fh.read(16384).decode(enc, errors="replace").lstrip("\ufeff").replace("\r\n", "\n")
    stripped = head.lstrip()
    if stripped[:1] in "[{" and stripped[:1]:
        return "csljson"
    if re.search(r"^TY  - ", head, re.M):
        return "ris"
    if re.search(r"^PMID- ?\d", head, re.M):
        return "medline"
    if re.search(r"^\s*@\s*[A-Za-z]+\s*[{(]", head, re.M):
        return "bibtex"
    first = stripped.split("\n", 1)[0]
    if "," in first and re.search(r"\btitle\b", first, re.I):
        return "csv"
    if path.suffix.lower() in _SUFFIX:
        return _SUFFIX[path.suffix.lower()]
    raise FormatError(f"{path}: not a BibTeX, RIS, MEDLINE, CSV or CSL-JSON export "
                      f"(first line: {first[:60]!r}); pass --format-in")


# --- shared helpers ---------------------------------------------------------------------------------


def _authors(names: Iterable[str]) -> str | None:
    names = [n.strip() for n in names if n and n.strip()]
    return " and ".join(names) or None


def _year(*values: Any) -> str | None:
    for v in values:
        m = re.search(r"\b(1[89]\d\d|20\d\d)\b", str(v or ""))
        if m:
            return m.group(1)
    return None


def _ascii_word(text: str) -> str:
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", t)


class Keys:
    """Citekeys for formats that have none: ``lastname + year + first title word``, unique."""

    STOP = {"a", "an", "the", "on", "of", "for", "in", "to", "and", "with", "via", "using", "towards"}

    def __init__(self):
        self.used: set[str] = set()

    def make(self, preferred: str | None, author: str | None, year: str | None, title: str) -> str:
        key = (preferred or "").strip()
        if not key:
            last = _ascii_word((author or "anon").split(" and ")[0].split(",")[0]) or "anon"
            word = next((w for w in (_ascii_word(x) for x in title.split()) if w and w not in self.STOP), "x")
            key = f"{last}{year or ''}{word}"
        base, n = key, 1
        while key in self.used:
            n += 1
            key = f"{base}-{n}"
        self.used.add(key)
        return key


def _entry(key: str, etype: str, fields: dict[str, Any], file: str, where: str, problems: list[Problem],
           ordinal: int) -> Entry | None:
    """An Entry from mapped fields, or a located problem when it cannot be screened."""
    clean = {k: re.sub(r"\s+", " ", str(v)).strip() for k, v in fields.items() if v not in (None, "", [])}
    title = clean.pop("title", "")
    if not title:
        problems.append(Problem(file, key, "title", f"is required: an entry without a title cannot be screened ({where})"))
        return None
    if clean.get("url") and not URL_RE.match(clean["url"]):
        clean.pop("url")
    return Entry(key, etype, title, {"title": title, **clean}, ordinal)


# --- RIS ------------------------------------------------------------------------------------------

_RIS_TYPES = {"JOUR": "article", "JFULL": "article", "EJOUR": "article", "CONF": "inproceedings",
              "CPAPER": "inproceedings", "CHAP": "incollection", "BOOK": "book", "THES": "phdthesis",
              "RPRT": "techreport", "UNPB": "unpublished", "GEN": "misc", "ELEC": "misc"}


def read_ris(text: str, file: str) -> tuple[list[Entry], list[Problem]]:
    """RIS (Scopus, Web of Science, EndNote, Zotero): repeated AU/A1 tags, multi-line AB, ER ends."""
    try:
        items = rispy.loads(text, skip_unknown_tags=True)
    except Exception as exc:  # rispy raises on a file that never starts a record
        raise FormatError(f"{file}: RIS could not be parsed: {exc}") from exc
    keys, out, problems = Keys(), [], []
    for i, it in enumerate(items, start=1):
        title = it.get("title") or it.get("primary_title") or it.get("translated_title")
        author = _authors((it.get("authors") or []) + (it.get("first_authors") or []))
        year = _year(it.get("year"), it.get("publication_year"), it.get("date"))
        venue = it.get("secondary_title") or it.get("journal_name") or it.get("alternate_title1") \
            or it.get("alternate_title3")
        urls = it.get("urls") or []
        etype = _RIS_TYPES.get(str(it.get("type_of_reference", "")).upper(), "article")
        fields = {"title": title, "author": author, "year": year,
                  ("booktitle" if etype == "inproceedings" else "journal"): venue,
                  "abstract": it.get("abstract") or it.get("notes_abstract"),
                  "keywords": "; ".join(it.get("keywords") or []), "doi": it.get("doi"),
                  "url": urls[0] if urls else None}
        key = keys.make(it.get("id"), author, year, title or "")
        e = _entry(key, etype, fields, file, f"record {i}", problems, i)
        if e:
            out.append(e)
    return out, problems


# --- PubMed MEDLINE / .nbib -------------------------------------------------------------------------

_TAG = re.compile(r"^([A-Z][A-Z0-9]{1,3})\s*- ?(.*)$")


def _medline_records(text: str) -> Iterable[tuple[int, dict[str, list[str]]]]:
    """(first line, tag -> values) per record; continuation lines (6 spaces) join their tag.

    Written here because the maintained readers are a whole toolkit (Biopython's
    Bio.Medline) or unmaintained since 2021 (nbib); the format is fixed by the NLM.
    """
    rec: dict[str, list[str]] = {}
    start, last = 0, None
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            if rec:
                yield start, rec
            rec, last = {}, None
            continue
        m = _TAG.match(line)
        if m and not line.startswith("      "):
            if not rec:
                start = n
            last = m.group(1)
            rec.setdefault(last, []).append(m.group(2).strip())
        elif last:
            rec[last][-1] += " " + line.strip()
    if rec:
        yield start, rec


def read_medline(text: str, file: str) -> tuple[list[Entry], list[Problem]]:
    """PubMed's MEDLINE export (``PMID-``, ``TI  -``, ``FAU -`` ... records split by blank lines)."""
    keys, out, problems = Keys(), [], []
    for line, r in _medline_records(text):
        one = lambda tag: (r.get(tag) or [None])[0]  # noqa: E731
        pmid = one("PMID")
        doi = next((v.split()[0] for v in r.get("AID", []) + r.get("LID", []) if v.endswith("[doi]")), None)
        author = _authors(r.get("FAU") or r.get("AU") or [])
        year = _year(one("DP"), one("DEP"))
        types = " ".join(r.get("PT", [])).lower()
        title = one("TI") or one("BTI")
        fields = {"title": title, "author": author, "year": year, "journal": one("JT") or one("TA"),
                  "abstract": " ".join(r.get("AB", [])) or None,
                  "keywords": "; ".join(r.get("OT", []) + r.get("MH", [])), "doi": doi, "pmid": pmid,
                  "pubtype": types}
        key = keys.make(f"pmid{pmid}" if pmid else None, author, year, title or "")
        e = _entry(key, "article", fields, file, f"line {line}", problems, line)
        if e:
            out.append(e)
    return out, problems


# --- CSV (PubMed, Scopus) ------------------------------------------------------------------------------

_CSV_COLUMNS = {  # our field: header names as exporters write them, lower-cased
    "title": ("title", "article title", "document title"),
    "author": ("authors", "author full names", "author"),
    "year": ("publication year", "year", "py"),
    "journal": ("journal/book", "source title", "journal", "publication title"),
    "abstract": ("abstract",),
    "keywords": ("author keywords", "keywords", "index keywords", "mesh terms"),
    "doi": ("doi",),
    "pmid": ("pmid", "pubmed id"),
    "url": ("link", "url"),
}


def read_csv(text: str, file: str) -> tuple[list[Entry], list[Problem]]:
    """CSV exports, columns found by name (PubMed: Title, Authors, Publication Year, DOI ...)."""
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise FormatError(f"{file}: the CSV file has no header row")
    lower = {h.strip().lower(): h for h in reader.fieldnames if h}
    column = {f: next((lower[n] for n in names if n in lower), None) for f, names in _CSV_COLUMNS.items()}
    if column["title"] is None:
        raise FormatError(f"{file}: no title column among {reader.fieldnames[:12]}")
    keys, out, problems = Keys(), [], []
    for line, row in enumerate(reader, start=2):
        get = lambda f: (row.get(column[f]) or "").strip() if column[f] else ""  # noqa: E731
        author = get("author")
        if author and " and " not in author:  # "Dar SU, Yurt M" / "Dar S.U.; Yurt M."
            author = _authors(re.split(r"\s*[;,]\s*(?=[^,;]+\s[A-Z.\-]+\.?(?:[;,]|$))|\s*;\s*", author))
        pmid = get("pmid")
        fields = {f: get(f) for f in _CSV_COLUMNS} | {"author": author, "year": _year(get("year"))}
        key = keys.make(f"pmid{pmid}" if pmid.isdigit() else None, author, fields["year"], get("title"))
        e = _entry(key, "article", fields, file, f"line {line}", problems, line)
        if e:
            out.append(e)
    return out, problems


# --- CSL-JSON --------------------------------------------------------------------------------------

_CSL_TYPES = {"article-journal": "article", "paper-conference": "inproceedings", "chapter": "incollection",
              "book": "book", "thesis": "phdthesis", "report": "techreport", "article": "misc"}


def read_csljson(text: str, file: str) -> tuple[list[Entry], list[Problem]]:
    """CSL-JSON (Zotero, Mendeley, citation.js): a list of items, or ``{"items": [...]}``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(f"{file}: not JSON (line {exc.lineno}: {exc.msg})") from exc
    items = data.get("items", [data]) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise FormatError(f"{file}: expected a list of CSL-JSON items")
    keys, out, problems = Keys(), [], []
    for i, it in enumerate(items, start=1):
        if not isinstance(it, dict):
            problems.append(Problem(file, f"item {i}", "-", "not a JSON object"))
            continue
        names = [", ".join(p for p in (a.get("family"), a.get("given")) if p) or a.get("literal", "")
                 for a in it.get("author", []) if isinstance(a, dict)]
        issued = it.get("issued") or {}
        parts = issued.get("date-parts") or [[None]] if isinstance(issued, dict) else [[None]]
        year = _year(parts[0][0] if parts and parts[0] else None, issued.get("raw") if isinstance(issued, dict) else None)
        etype = _CSL_TYPES.get(str(it.get("type", "")), "article")
        kw = it.get("keyword")
        fields = {"title": it.get("title"), "author": _authors(names), "year": year,
                  ("booktitle" if etype == "inproceedings" else "journal"): it.get("container-title"),
                  "abstract": it.get("abstract"), "keywords": "; ".join(kw) if isinstance(kw, list) else kw,
                  "doi": it.get("DOI"), "pmid": it.get("PMID"), "url": it.get("URL")}
        key = keys.make(str(it["id"]) if it.get("id") not in (None, "") else None, fields["author"], year,
                        str(it.get("title") or ""))
        e = _entry(key, etype, fields, file, f"item {i}", problems, i)
        if e:
            out.append(e)
    return out, problems


READERS: dict[str, Callable[[str, str], tuple[list[Entry], list[Problem]]]] = {
    "ris": read_ris, "medline": read_medline, "csv": read_csv, "csljson": read_csljson,
}


def read_whole(path: Path, fmt: str, problems: Problems, encoding: str | None = None) -> list[Entry]:
    """Entries of a non-BibTeX export; per-entry problems go to ``problems``."""
    if fmt not in READERS:
        raise FormatError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    entries, probs = READERS[fmt](decode(path, encoding), str(path))
    problems.items.extend(probs)
    return entries


__all__ = ["FORMATS", "FormatError", "detect_format", "decode", "sniff_encoding", "read_whole", "Keys"]
