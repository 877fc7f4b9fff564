"""One record shape for every export format: what the miner, the deduplicator and the
screening log read, whatever file the entry came from.

Readers (BibTeX, RIS, MEDLINE, CSV, CSL-JSON) map their fields onto BibTeX's names
(``title``, ``author`` as "Last, First and Last, First", ``year``, ``journal``,
``abstract``, ``keywords``, ``doi``, ``pmid``, ``eprint``, ``url``), so the properties
below work for all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reviewdb.catalog.reader import ARXIV_RE, DOI_RE, PMID_RE

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
