"""Screening: mine a BibTeX file into records, decide on them, accept them into the catalog.

Flow (and the PRISMA boxes it feeds):

1. :func:`mine_file` reads the whole file (streaming), mines every entry, checks it for
   duplicates against the catalog, earlier screening records and earlier entries of the
   same file, and only then writes one batch in one transaction -- *identified*;
   duplicates get status ``duplicate`` -- *duplicates removed*.
2. :func:`include` / :func:`exclude` (with a reason) -- *screened*, *excluded (reasons)*,
   *included*; :func:`reset` puts a record back to pending.
3. :func:`complete` stores what a reviewer fills in or corrects (an evidence URL, a
   missing identifier, a different task ...); :func:`accept` turns an included record into
   a catalog study through :func:`~reviewdb.catalog.reader.study_from_parts` and
   :func:`~reviewdb.catalog.loader.load_catalog`, so the catalog's validation applies and
   an incomplete record fails with the fields it still needs.
4. :func:`prisma_counts` computes the PRISMA numbers from the records.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import re
import tempfile
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

import pandas as pd
from sqlalchemy import insert, select, update
from tqdm import tqdm

from reviewdb.catalog.loader import load_into
from reviewdb.catalog.reader import CITEKEY_RE, Problems, study_from_parts
from reviewdb.catalog.records import Catalog, StudyRecord, normalise_title
from reviewdb.db import ensure_schema, session_scope
from reviewdb.errors import CatalogError, Problem
from reviewdb.mining import decisions as D
from reviewdb.mining import formats
from reviewdb.mining.bibfile import CitekeyCheck, Entry, FileContext, chunks, parse_chunk, scan
from reviewdb.mining.dedup import THRESHOLD, DuplicateIndex
from reviewdb.mining.models import STATUSES, ScreeningBatch, ScreeningRecord
from reviewdb.mining.rules import Annotation, mine
from reviewdb.models import Dataset, Review, Study

INSERT_CHUNK = 1000
SMALL_FILE = 2_000_000  # bytes; smaller files are mined in this process


ScreeningError = D.DecisionError  # one error for every screening action that cannot be done


@dataclass
class MineReport:
    batch_id: int
    source: str
    identified: int
    duplicates: int
    pending: int
    by_kind: dict[str, int] = field(default_factory=dict)
    format: str = "bibtex"
    skipped: list[Problem] = field(default_factory=list)
    containers: int = 0

    def __str__(self) -> str:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.by_kind.items())) or "none"
        text = (f"batch {self.batch_id} from {self.source} ({self.format}): {self.identified} entries identified, "
                f"{self.duplicates} duplicates ({kinds}), {self.pending} pending screening")
        if self.containers:
            text += f"; {self.containers} proceedings/book containers used for crossref, not screened"
        if self.skipped:
            text += f"; {len(self.skipped)} entries skipped:\n" + "\n".join(f"  - {p}" for p in self.skipped)
        return text


# --- mining a file -----------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _known_index(s, threshold: float) -> DuplicateIndex:
    index = DuplicateIndex(threshold)
    for key, doi, arxiv, tnorm in s.execute(select(Study.citekey, Study.doi, Study.arxiv_id, Study.title_norm)):
        index.add(f"study:{key}", doi, arxiv, tnorm, normalised=True)
    q = select(ScreeningRecord.id, ScreeningRecord.doi, ScreeningRecord.arxiv_id, ScreeningRecord.title_norm) \
        .where(ScreeningRecord.status != "duplicate")
    for rid, doi, arxiv, tnorm in s.execute(q):
        index.add(f"record:{rid}", doi, arxiv, tnorm, normalised=True)
    return index


def _fit(value: str | None, n: int) -> str | None:
    """An identifier longer than its column cannot be a real one: treated as absent."""
    return value if value is None or len(value) <= n else None


_STORED_APART = ("title", "abstract", "keywords")  # columns of their own; not repeated in ``fields``


def _row(e: Entry, ann: Annotation) -> dict[str, Any]:
    f = e.fields
    return dict(citekey=e.citekey[:200], entry_type=e.entry_type[:40], title=e.title,
                title_norm=normalise_title(e.title), authors=f.get("author"), year=e.year,
                venue=e.venue, doi=_fit(e.doi, 200), arxiv_id=_fit(e.arxiv_id, 40), pmid=e.pmid, url=f.get("url"),
                keywords=e.keywords, abstract=e.abstract,
                fields={k: v for k, v in f.items() if k not in _STORED_APART}, proposals=ann.to_list(),
                status="pending")


def _mined_rows(entries: Iterable[Entry], datasets: tuple[str, ...]) -> list[dict]:
    return [_row(e, mine(e.title, e.keywords, e.abstract, datasets=datasets)) | {"_line": e.line}
            for e in entries]


def _mine_chunk(args: tuple[str, int, str, tuple[str, ...], FileContext]
                ) -> tuple[list[dict], list[Problem], list[Problem]]:
    """Parse and mine one chunk of a BibTeX file (runs in a worker process for large files)."""
    text, first_line, file, datasets, ctx = args
    entries, problems, fatal = parse_chunk(text, first_line, file, ctx)
    return _mined_rows(entries, datasets), problems, fatal


def _mined_chunks(p: Path, problems: Problems, encoding: str, datasets: tuple[str, ...],
                  workers: int, ctx: FileContext) -> Iterator[tuple[list[dict], list[Problem], list[Problem]]]:
    """Mined chunks in file order; with ``workers`` > 1, at most 2 x workers chunks in flight."""
    jobs = ((text, line, str(p), datasets, ctx) for text, line in chunks(p, problems, encoding, ctx))
    if workers <= 1:
        yield from map(_mine_chunk, jobs)
        return
    start = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    with start.Pool(workers) as pool:
        pending: deque = deque()
        for job in jobs:
            pending.append(pool.apply_async(_mine_chunk, (job,)))
            if len(pending) >= 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def default_workers() -> int:
    """Worker processes for mining: the CPUs this process may use, at most 4."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        n = os.cpu_count() or 1
    return max(1, min(4, n))


def mine_file(path: str | Path, url: str | None = None, encoding: str | None = None, progress: bool = False,
              threshold: float = THRESHOLD, workers: int | None = None, fmt: str | None = None,
              strict: bool = False) -> MineReport:
    """Mine every entry of an export into screening records (one batch, one transaction).

    The format (BibTeX, RIS, MEDLINE, CSV, CSL-JSON) and the encoding are read from the
    content unless given. The whole file is read, mined and checked first -- BibTeX chunks
    are parsed and mined in ``workers`` processes (default: the usable CPUs, at most 4; a
    small file stays in this process) and staged in a temporary file, so memory stays
    bounded -- and rows are written only then, in one transaction.

    An entry that cannot be screened (no title, malformed, a repeated citekey) is skipped
    and listed in the report; with ``strict`` it refuses the whole file instead.

    :raises CatalogError: a file that cannot be read, or with ``strict`` any entry problem;
        nothing is written.
    """
    p = Path(path)
    problems = Problems()
    if not p.is_file():
        problems.add(str(p), "-", "-", "no such file")
        problems.raise_if_any()
    try:
        encoding = formats.sniff_encoding(p, encoding)
        fmt = fmt or formats.detect_format(p, encoding)
        if fmt not in formats.FORMATS:
            raise formats.FormatError(f"unknown format {fmt!r}; choose from {', '.join(formats.FORMATS)}")
    except formats.FormatError as exc:
        problems.add(str(p), "-", "-", str(exc))
        problems.raise_if_any()
    ensure_schema(url)
    with session_scope(url) as s:
        index = _known_index(s, threshold)
        known_datasets = tuple(sorted(s.scalars(select(Dataset.name))))
    skipped: list[Problem] = []
    ctx = FileContext()
    if fmt == "bibtex":
        ctx = scan(p, problems, encoding)
        problems.raise_if_any()  # not readable as text: nothing more to say about its entries
        if workers is None:
            workers = default_workers() if p.stat().st_size > SMALL_FILE else 1
        total = count_entries(p) - len(ctx.container_keys) if progress else None
        mined = _mined_chunks(p, problems, encoding, known_datasets, workers, ctx)
    else:
        try:
            entries = formats.read_whole(p, fmt, (whole := Problems()), encoding)
        except formats.FormatError as exc:
            problems.add(str(p), "-", "-", str(exc))
            problems.raise_if_any()
        total = len(entries)
        mined = iter([(_mined_rows(entries, known_datasets), whole.items, [])])
    bar = tqdm(total=total, unit="entry", desc=f"mining {p.name}", disable=not progress)
    keys = CitekeyCheck(str(p))
    by_kind: dict[str, int] = {}
    n = dup = 0
    fd, spill = tempfile.mkstemp(prefix="reviewdb-mine-", suffix=".jsonl")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for rows, probs, fatal in mined:
                problems.items.extend(fatal)
                skipped.extend(probs)
                for row in rows:
                    line = row.pop("_line")
                    bar.update(1)
                    if not keys.ok(_KeyLine(row["citekey"], line), skipped):
                        continue
                    m = index.match(row["doi"], row["arxiv_id"], row["title_norm"], normalised=True)
                    if m is not None:
                        row.update(status="duplicate", duplicate_of=m.ref, duplicate_kind=m.kind,
                                   duplicate_score=m.score)
                        by_kind[m.kind] = by_kind.get(m.kind, 0) + 1
                        dup += 1
                    else:
                        index.add(f"entry:{row['citekey']}", row["doi"], row["arxiv_id"], row["title_norm"],
                                  normalised=True)
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
                    n += 1
        bar.close()
        if strict:
            problems.items.extend(skipped)
        if n == 0 and not problems.items:
            problems.add(str(p), "-", "-", f"no {fmt} entries that can be screened"
                         + (f" ({len(skipped)} skipped)" if skipped else ""))
            problems.items.extend(skipped)
        problems.raise_if_any()
        with session_scope(url, write=True) as s:
            batch = ScreeningBatch(source=str(p), sha256=_sha256(p), n_entries=n, n_duplicates=dup)
            s.add(batch)
            s.flush()
            with open(spill, encoding="utf-8") as fh:
                chunk: list[dict] = []
                for line in fh:
                    row = json.loads(line)
                    row["batch_id"] = batch.id
                    chunk.append(row)
                    if len(chunk) >= INSERT_CHUNK:
                        s.execute(insert(ScreeningRecord), chunk)
                        chunk = []
                if chunk:
                    s.execute(insert(ScreeningRecord), chunk)
            _link_duplicates_within(s, batch.id)
            batch_id = batch.id
    finally:
        bar.close()
        os.unlink(spill)
    return MineReport(batch_id, str(p), n, dup, n - dup, by_kind, fmt, skipped, len(ctx.container_keys))


def _link_duplicates_within(s, batch_id: int) -> None:
    """``entry:KEY`` (an earlier entry of the same file) -> ``record:ID`` once the ids exist."""
    rows = s.execute(select(ScreeningRecord.id, ScreeningRecord.duplicate_of)
                     .where(ScreeningRecord.batch_id == batch_id, ScreeningRecord.duplicate_of.like("entry:%"))).all()
    if not rows:
        return
    ids = dict(s.execute(select(ScreeningRecord.citekey, ScreeningRecord.id)
                         .where(ScreeningRecord.batch_id == batch_id)).all())
    s.execute(update(ScreeningRecord), [dict(id=rid, duplicate_of=f"record:{ids[ref[6:]]}")
                                        for rid, ref in rows if ref[6:] in ids])


@dataclass
class _KeyLine:
    citekey: str
    line: int


def count_entries(path: Path) -> int:
    """Entries in a BibTeX file, counted fast (lines starting with ``@``) for the progress bar."""
    n = 0
    with open(path, "rb") as fh:
        for line in fh:
            if line.lstrip()[:1] == b"@" and not line.lstrip().lower().startswith((b"@comment", b"@string", b"@preamble")):
                n += 1
    return n


# --- looking at records ------------------------------------------------------------------------

RECORD_COLUMNS = ["id", "batch", "status", "citekey", "title", "year", "venue", "doi", "arxiv_id",
                  "task", "translations", "families", "anatomy", "out_of_scope", "duplicate_of", "reason", "study"]


def _summary(proposals: list[dict]) -> dict[str, str]:
    ann = Annotation.from_list(proposals)
    pairs = [f"{', '.join(s) or '?'} -> {', '.join(t) or '?'}" for s, t in ann.translations]
    return dict(task=ann.task or "", translations="; ".join(pairs),
                families=", ".join(ann.values("family")), anatomy=", ".join(ann.values("anatomy")),
                out_of_scope="; ".join(ann.values("out_of_scope")))


def list_records(url: str | None = None, status: str | None = None, batch: int | None = None,
                 limit: int | None = 200, offset: int = 0, text: str | None = None) -> pd.DataFrame:
    """Screening records, oldest first, with their proposals summarised in text columns."""
    if status is not None and status not in STATUSES:
        raise ScreeningError(f"status must be one of {', '.join(STATUSES)}, got {status!r}")
    q = select(ScreeningRecord).order_by(ScreeningRecord.id)
    if status:
        q = q.where(ScreeningRecord.status == status)
    if batch is not None:
        q = q.where(ScreeningRecord.batch_id == batch)
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        q = q.where(ScreeningRecord.title.ilike(pattern, escape="\\"))
    q = q.offset(offset)
    if limit is not None:
        q = q.limit(limit)
    with session_scope(url) as s:
        rows = [dict(id=r.id, batch=r.batch_id, status=r.status, citekey=r.citekey, title=r.title,
                     year=r.year, venue=r.venue, doi=r.doi, arxiv_id=r.arxiv_id, **_summary(r.proposals),
                     duplicate_of=r.duplicate_of, reason=r.reason, study=r.study_citekey)
                for r in s.scalars(q)]
    return pd.DataFrame(rows, columns=RECORD_COLUMNS)


def record_detail(record_id: int, url: str | None = None) -> dict[str, Any]:
    """One record with every proposal and its trigger words."""
    with session_scope(url) as s:
        r = _get(s, record_id)
        return dict(id=r.id, batch=r.batch_id, status=r.status, reason=r.reason, citekey=r.citekey,
                    title=r.title, authors=r.authors, year=r.year, venue=r.venue, doi=r.doi,
                    arxiv_id=r.arxiv_id, pmid=r.pmid, url=r.url, keywords=r.keywords, abstract=r.abstract,
                    proposals=[dict(p) for p in r.proposals], completions=dict(r.completions or {}),
                    duplicate_of=r.duplicate_of, duplicate_kind=r.duplicate_kind,
                    duplicate_score=r.duplicate_score, study=r.study_citekey)


def _get(s, record_id: int) -> ScreeningRecord:
    r = s.get(ScreeningRecord, int(record_id))
    if r is None:
        raise ScreeningError(f"no screening record with id {record_id}")
    return r


# --- decisions ---------------------------------------------------------------------------------


def include(record_id: int, url: str | None = None, reviewer: str | None = None,
            stage: str = D.TITLE_ABSTRACT, resolve: bool = False) -> dict[str, Any]:
    """Record ``reviewer``'s decision to include (a duplicate can be included: the reviewer
    overrides the match). Appended to the decision log; see :mod:`reviewdb.mining.decisions`."""
    return D.decide(record_id, "include", reviewer, None, stage, resolve, url)


def exclude(record_id: int, reason: str | None, url: str | None = None, reviewer: str | None = None,
            stage: str = D.TITLE_ABSTRACT, resolve: bool = False) -> dict[str, Any]:
    """Record ``reviewer``'s decision to exclude, with a criterion; without a reason the miner's
    proposed exclusion (``wrong-task: segmentation`` ...) is taken, so a flagged record is
    excluded in one step."""
    if not reason or not reason.strip():
        with session_scope(url) as s:
            proposed = Annotation.from_list(_get(s, record_id).proposals).values("out_of_scope")
        if not proposed:
            raise ScreeningError("an exclusion needs a reason (e.g. --reason 'not-generative: no image synthesis'); "
                                 "the miner proposed none for this record")
        reason = proposed[0]
    return D.decide(record_id, "exclude", reviewer, reason.strip(), stage, resolve, url)


def reset(record_id: int, url: str | None = None, reviewer: str | None = None,
          stage: str = D.TITLE_ABSTRACT) -> dict[str, Any]:
    """Withdraw ``reviewer``'s decision (a new row in the log; the old one stays)."""
    return D.decide(record_id, "withdraw", reviewer, None, stage, False, url)


BIB_KEYS = {"citekey", "title", "author", "year", "journal", "booktitle", "doi", "eprint", "pmid", "url",
            "evidence", "entry_type"}
ANN_KEYS = {"task", "families", "architectures", "anatomy", "datasets", "translations", "paired", "dims", "notes"}


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """``["evidence=https://...", "task=translation"]`` -> dict; unknown keys are an error."""
    out: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        key = key.strip().lower()
        if not sep or not key:
            raise ScreeningError(f"expected FIELD=VALUE, got {item!r}")
        if key not in BIB_KEYS | ANN_KEYS:
            raise ScreeningError(f"unknown field {key!r}; choose from {', '.join(sorted(BIB_KEYS | ANN_KEYS))}")
        out[key] = value.strip()
    return out


def complete(record_id: int, values: dict[str, str], url: str | None = None) -> dict[str, str]:
    """Store a reviewer's completions/corrections on a record (used by :func:`accept`)."""
    values = parse_assignments(f"{k}={v}" for k, v in values.items())
    with session_scope(url, write=True) as s:
        r = _get(s, record_id)
        merged = dict(r.completions or {})
        merged.update(values)
        r.completions = merged
        return merged


def _parse_translations(text: str) -> list[dict[str, Any]]:
    out = []
    for part in re.split(r"\s*;\s*", text.strip()):
        if not part:
            continue
        left, arrow, right = part.partition("->")
        if not arrow:
            raise ScreeningError(f"translations: expected 'SOURCE[,SOURCE]->TARGET[,TARGET]', got {part!r}")
        out.append(dict(sources=[x.strip() for x in left.split(",") if x.strip()],
                        targets=[x.strip() for x in right.split(",") if x.strip()]))
    return out


def _split(v: str) -> list[str]:
    return [x.strip() for x in re.split(r"[,;]", v) if x.strip()]


@dataclass
class AcceptReport:
    record_id: int
    citekey: str
    study: StudyRecord
    dropped_datasets: list[str]

    def __str__(self) -> str:
        extra = f"; data sets not in the catalog left out: {', '.join(self.dropped_datasets)}" \
            if self.dropped_datasets else ""
        return f"record {self.record_id} accepted as study {self.citekey}{extra}"


def build_study(r: ScreeningRecord, known_datasets: set[str], values: dict[str, str] | None = None,
                review: str | None = None) -> tuple[StudyRecord, list[str]]:
    """The catalog record an accepted screening record becomes; CatalogError if incomplete."""
    comp = dict(r.completions or {})
    comp.update(values or {})
    where = f"screening record {r.id}"
    ann_obj = Annotation.from_list(r.proposals)
    ann = ann_obj.annotation_dict()
    bib = {k: v for k, v in (r.fields or {}).items() if isinstance(v, str)}
    bib["ENTRYTYPE"] = comp.pop("entry_type", r.entry_type)
    bib["title"] = r.title
    for k in ("doi", "pmid"):
        if getattr(r, k):
            bib[k] = getattr(r, k)
    if r.arxiv_id:
        bib["eprint"] = r.arxiv_id
    elif bib.get("eprint"):
        bib.pop("eprint")  # not an arXiv id (e.g. a PubMed eprint field): leave it out
    if r.year:
        bib["year"] = str(r.year)
    if bib["ENTRYTYPE"] not in ("article", "inproceedings", "incollection", "misc", "book"):
        bib["ENTRYTYPE"] = "inproceedings" if bib.get("booktitle") else "article"
    citekey = comp.pop("citekey", r.citekey)
    for k in list(comp):
        if k in BIB_KEYS:
            bib[k] = comp.pop(k)
    try:
        for k, v in comp.items():
            if k in ("families", "anatomy", "datasets"):
                ann[k] = _split(v)
            elif k == "architectures":
                ann[k] = [dict(name=n, role="proposed") for n in _split(v)]
            elif k == "translations":
                ann[k] = _parse_translations(v)
            elif k in ("task", "notes"):
                ann[k] = v
    except ScreeningError as exc:
        raise CatalogError([Problem(where, r.citekey, "translations", str(exc))]) from None
    paired = comp.get("paired")
    dims = comp.get("dims")
    if paired is not None or dims is not None:
        pv = {"true": True, "yes": True, "paired": True, "false": False, "no": False, "unpaired": False,
              "": None, "unknown": None}.get(str(paired).lower(), paired) if paired is not None else None
        for t in ann["translations"]:
            if paired is not None:
                t["paired"] = pv
            if dims is not None:
                t["dims"] = dims or None
    dropped = [d for d in ann.get("datasets", []) if d not in known_datasets]
    ann["datasets"] = [d for d in ann.get("datasets", []) if d in known_datasets]
    ann["citekey"] = citekey
    if review:
        ann["inclusions"] = [dict(review=review, status="candidate")]
    problems = Problems()
    if not CITEKEY_RE.match(citekey or ""):
        problems.add(where, citekey, "citekey", "citekey must be letters, digits, _ - : . "
                     "(complete it with: reviewdb screen complete ID citekey=NEWKEY)")
    rec = study_from_parts(bib, ann, where, where, problems)
    if problems.items:
        hint = ("complete it with `reviewdb screen complete {id} FIELD=VALUE` "
                "(e.g. evidence=https://doi.org/..., task=translation, families=GAN)").format(id=r.id)
        raise CatalogError([Problem(p.file, p.entry, p.field, f"{p.message}; {hint}") for p in problems.items])
    return rec, dropped


def accept(record_id: int, url: str | None = None, values: dict[str, str] | None = None,
           review: str | None = None, reviewer: str | None = None) -> AcceptReport:
    """Turn a record into a catalog study with its (completed) annotations.

    The record must be included at title/abstract screening (and not excluded at full
    text); a record nobody has decided yet is included by ``reviewer`` in accepting it.
    ``values`` are completions for this acceptance (stored on the record if it succeeds).
    ``review``: also add the study as a ``candidate`` of that review.

    :raises CatalogError: the fields that are missing or invalid; nothing is written.
    """
    values = parse_assignments(f"{k}={v}" for k, v in (values or {}).items())
    with session_scope(url, write=True) as s:
        r = _get(s, record_id)
        if r.status == "excluded":
            raise ScreeningError(f"record {record_id} is excluded ({r.reason}); include it first")
        if r.status == "duplicate":
            raise ScreeningError(f"record {record_id} is a duplicate of {r.duplicate_of}; "
                                 f"include it first if it is not")
        if r.study_citekey:
            raise ScreeningError(f"record {record_id} was already accepted as {r.study_citekey}")
        ta = D.states(url, D.TITLE_ABSTRACT, [r.id]).get(r.id)
        if ta is not None and ta.state != "included":
            raise ScreeningError(f"record {record_id} is {ta.state} at title/abstract screening; "
                                 "only an included record is accepted")
        ft = D.states(url, D.FULL_TEXT, [r.id]).get(r.id)
        if ft is not None and ft.state != "included":
            raise ScreeningError(f"record {record_id} is {ft.state} at full-text screening")
        known = set(s.scalars(select(Dataset.name)))
        rec, dropped = build_study(r, known, values, review)
        if review and s.scalar(select(Review.id).where(Review.key == review)) is None:
            raise ScreeningError(f"unknown review {review!r}")
        clash = s.scalar(select(Study.title).where(Study.citekey == rec.citekey))
        if clash is not None:
            raise CatalogError([Problem(f"screening record {record_id}", rec.citekey, "citekey",
                                        f"already used by the study {clash!r}; choose another with "
                                        f"`reviewdb screen complete {record_id} citekey=NEWKEY`")])
        # one transaction: the study, the inclusion and the acceptance land together or not at all
        load_into(s, Catalog(studies=[rec]), source=f"screening record {record_id}")
        if ta is None:
            D.include_within(s, r, reviewer)
        r.study_citekey = rec.citekey
        r.decided_at = datetime.now(timezone.utc)
        if values:
            r.completions = {**(r.completions or {}), **values}
    return AcceptReport(record_id, rec.citekey, rec, dropped)


# --- PRISMA --------------------------------------------------------------------------------------


def prisma_counts(url: str | None = None, batch: int | None = None) -> dict[str, Any]:
    """The PRISMA 2020 numbers, derived from the records and the decision log
    (:func:`reviewdb.mining.prisma.counts`)."""
    from reviewdb.mining.prisma import counts

    return counts(url, batch)


__all__ = ["mine_file", "list_records", "record_detail", "include", "exclude", "reset", "complete",
           "accept", "prisma_counts", "MineReport", "AcceptReport", "ScreeningError"]
