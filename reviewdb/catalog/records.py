"""Plain records of a catalog, independent of file format and database.

Readers (BibTeX + YAML, JSON, CSV) produce these; the loader writes them; the exporter
reads them back. One shape in the middle keeps the three formats round-tripping.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class TranslationRecord:
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    paired: bool | None = None
    dims: str | None = None


@dataclass(frozen=True)
class ResultRecord:
    metric: str
    value: float
    unit: str
    evidence: str
    translation: int | None = None
    dataset: str | None = None
    note: str | None = None
    method: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class InclusionRecord:
    review: str
    status: str
    ref: int | None = None
    section: str | None = None
    reason: str | None = None


@dataclass
class StudyRecord:
    """One study: its bibliography (from BibTeX) and its annotations (from YAML)."""

    citekey: str
    title: str
    task: str
    entry_type: str = "article"
    authors: str | None = None
    year: int | None = None
    venue: str | None = None
    doi: str | None = None
    arxiv_id: str | None = None
    pmid: str | None = None
    url: str | None = None
    evidence_url: str | None = None
    peer_reviewed: bool = True
    families: list[str] = field(default_factory=list)
    architectures: list[tuple[str, str]] = field(default_factory=list)
    anatomy: list[str] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)
    translations: list[TranslationRecord] = field(default_factory=list)
    results: list[ResultRecord] = field(default_factory=list)
    inclusions: list[InclusionRecord] = field(default_factory=list)
    notes: str | None = None
    contrast_evidence: str | None = None

    @property
    def excluded(self) -> bool:
        """Every review that considered the study excluded it."""
        return bool(self.inclusions) and all(i.status == "excluded" for i in self.inclusions)

    @cached_property
    def title_norm(self) -> str:
        return normalise_title(self.title)

    def content_hash(self) -> str:
        """A stable digest of everything in the record: unchanged records are skipped on reload."""
        # plain tuples repr fast and deterministically; list order carries no meaning
        # except for translations and results (results index translations)
        key = (self.citekey, self.title, self.task, self.entry_type, self.authors, self.year, self.venue,
               self.doi, self.arxiv_id, self.pmid, self.url, self.evidence_url, self.peer_reviewed,
               sorted(self.families), sorted(self.architectures), sorted(self.anatomy),
               sorted(self.datasets),
               [(t.sources, t.targets, t.paired, t.dims) for t in self.translations],
               [(r.metric, r.value, r.unit, r.evidence, r.translation, r.dataset, r.note, r.method, r.role)
                for r in self.results],
               sorted((i.review, i.status, i.ref or 0, i.section or "", i.reason or "") for i in self.inclusions),
               self.notes, self.contrast_evidence)
        return hashlib.sha256(repr(key).encode()).hexdigest()


@dataclass(frozen=True)
class ReviewRecord:
    key: str
    title: str
    authors: str | None = None
    year: int | None = None
    venue: str | None = None
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    evidence: str | None = None
    included_total: int | None = None
    notes: str | None = None


@dataclass(frozen=True)
class DatasetRecord:
    name: str
    full_name: str | None = None
    modalities: tuple[str, ...] = ()
    anatomy: tuple[str, ...] = ()
    subjects: int | None = None
    sites: int | None = None
    public: bool | None = None
    url: str | None = None
    evidence: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class TallyRecord:
    review: str
    location: str
    dimension: str
    key: str
    count: int
    note: str | None = None


@dataclass
class Catalog:
    reviews: list[ReviewRecord] = field(default_factory=list)
    datasets: list[DatasetRecord] = field(default_factory=list)
    tallies: list[TallyRecord] = field(default_factory=list)
    studies: list[StudyRecord] = field(default_factory=list)
    #: reproduction runs and claim verdicts measured by the project's runner, shipped as data
    reference_runs: list[dict] = field(default_factory=list)
    reference_claims: list[dict] = field(default_factory=list)


_LATEX_CMD = re.compile(r"\\[a-zA-Z]+\s*")


def normalise_title(title: str) -> str:
    """Lower-case ASCII words of a title: braces, LaTeX, accents and punctuation removed.

    Used to detect the same paper entered twice under different citekeys.
    """
    t = _LATEX_CMD.sub("", title)
    t = unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode()
    t = re.sub(r"[^a-z0-9]+", " ", t.lower())
    return t.strip()[:400]
