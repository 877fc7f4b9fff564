"""Write a catalog into SQL: one transaction, idempotent, bulk.

A study is matched by citekey. An unchanged study (same content hash) is skipped, a
changed one has its rows replaced, a new one is inserted; studies the files do not
mention are left alone (they may have come from screening). Everything happens in one
transaction, so a problem found half-way leaves the database exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session
from tqdm import tqdm

from reviewdb import vocabulary as V
from reviewdb.catalog.checks import check_catalog
from reviewdb.catalog.records import Catalog, StudyRecord
from reviewdb.db import ensure_schema, session_scope
from reviewdb.errors import CatalogError, Problem
from reviewdb.models import (
    Architecture,
    Dataset,
    Inclusion,
    ReportedResult,
    ReportedTally,
    Review,
    Study,
    StudyAnatomy,
    StudyArchitecture,
    StudyDataset,
    StudyFamily,
    StudyPair,
    Translation,
    TranslationModality,
)

CHUNK = 2000
ANY = "*"


@dataclass
class LoadReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    reviews: int = 0
    datasets: int = 0
    tallies: int = 0

    def __str__(self) -> str:
        return (f"{self.added} studies added, {self.updated} updated, {self.unchanged} unchanged; "
                f"{self.reviews} reviews, {self.datasets} data sets, {self.tallies} tallies")


def load_catalog(catalog: Catalog, url: str | None = None, source: str = "catalog",
                 progress: bool = False) -> LoadReport:
    """Load ``catalog`` into the database at ``url`` in one transaction.

    :raises CatalogError: listing every problem; the database is then left untouched.
    """
    problems = check_catalog(catalog, source)
    if problems:
        raise CatalogError(problems)
    ensure_schema(url)
    with session_scope(url) as session:
        return _load(session, catalog, source, progress)


def _load(s: Session, catalog: Catalog, source: str, progress: bool) -> LoadReport:
    report = LoadReport()
    review_ids = _upsert_reviews(s, catalog, report)
    dataset_ids = _upsert_datasets(s, catalog, report)
    _replace_tallies(s, catalog, review_ids, source, report)

    existing = {row.citekey: (row.id, row.content_hash)
                for row in s.execute(select(Study.citekey, Study.id, Study.content_hash))}
    _check_against_database(s, catalog.studies, existing, source)
    _check_references(catalog.studies, review_ids, dataset_ids, source)

    changed, new = [], []
    for rec in catalog.studies:
        if rec.citekey not in existing:
            new.append(rec)
        elif existing[rec.citekey][1] != rec.content_hash():
            changed.append(rec)
        else:
            report.unchanged += 1
    report.added, report.updated = len(new), len(changed)

    arch_ids = _architecture_ids(s, (a for rec in new + changed for a, _ in rec.architectures))
    changed_ids = [existing[r.citekey][0] for r in changed]
    _delete_children(s, changed_ids)
    _update_studies(s, changed, existing)

    bar = tqdm(total=len(new) + len(changed), desc="loading studies", unit="study",
               disable=not progress)
    id_of = {r.citekey: existing[r.citekey][0] for r in changed}
    conn = s.connection()
    next_id = _next_id(conn, Study.__table__)
    for chunk in _chunks(new, CHUNK):
        rows = []
        for r in chunk:
            id_of[r.citekey] = next_id
            rows.append(dict(_study_columns(r), citekey=r.citekey, id=next_id))
            next_id += 1
        bulk_insert(conn, Study.__table__, rows)
    _sync_sequence(conn, Study.__table__)
    for chunk in _chunks(new + changed, CHUNK):
        _insert_children(s, chunk, id_of, review_ids, dataset_ids, arch_ids)
        bar.update(len(chunk))
    bar.close()
    return report


# --- reviews, data sets, tallies -----------------------------------------------------------


def _upsert_reviews(s: Session, catalog: Catalog, report: LoadReport) -> dict[str, int]:
    rows = {r.key: r for r in s.scalars(select(Review))}
    for rec in catalog.reviews:
        values = dict(title=rec.title, authors=rec.authors, year=rec.year, venue=rec.venue,
                      doi=rec.doi, pmid=rec.pmid, url=rec.url, evidence_url=rec.evidence,
                      included_total=rec.included_total, notes=rec.notes)
        row = rows.get(rec.key)
        if row is None:
            row = Review(key=rec.key, **values)
            s.add(row)
            rows[rec.key] = row
        else:
            for k, v in values.items():
                setattr(row, k, v)
        report.reviews += 1
    s.flush()
    return {k: r.id for k, r in rows.items()}


def _upsert_datasets(s: Session, catalog: Catalog, report: LoadReport) -> dict[str, int]:
    rows = {d.name: d for d in s.scalars(select(Dataset))}
    for rec in catalog.datasets:
        values = dict(full_name=rec.full_name, modalities=list(rec.modalities) or None,
                      anatomy=list(rec.anatomy) or None, subjects=rec.subjects, sites=rec.sites,
                      public=rec.public, url=rec.url, evidence_url=rec.evidence, notes=rec.notes)
        row = rows.get(rec.name)
        if row is None:
            row = Dataset(name=rec.name, **values)
            s.add(row)
            rows[rec.name] = row
        else:
            for k, v in values.items():
                if getattr(row, k) != v:
                    setattr(row, k, v)
        report.datasets += 1
    s.flush()
    return {k: d.id for k, d in rows.items()}


def _replace_tallies(s: Session, catalog: Catalog, review_ids: dict[str, int], source: str,
                     report: LoadReport) -> None:
    """Tallies of a review are replaced as a set, and only when the set changed."""
    problems = [Problem(source, t.review, "review", "tally names an unknown review")
                for t in catalog.tallies if t.review not in review_ids]
    if problems:
        raise CatalogError(problems)
    by_review: dict[str, set[tuple]] = {}
    for t in catalog.tallies:
        by_review.setdefault(t.review, set()).add((t.location, t.dimension, t.key, t.count, t.note))
    for key, wanted in by_review.items():
        rid = review_ids[key]
        have = {(t.location, t.dimension, t.key, t.count, t.note)
                for t in s.scalars(select(ReportedTally).where(ReportedTally.review_id == rid))}
        if have != wanted:
            s.execute(delete(ReportedTally).where(ReportedTally.review_id == rid))
            s.execute(insert(ReportedTally), [
                dict(review_id=rid, location=l, dimension=d, key=k, count=c, note=n)
                for l, d, k, c, n in sorted(wanted, key=lambda x: x[:3])])
        report.tallies += len(wanted)


# --- consistency with what is already stored -------------------------------------------


def _check_against_database(s: Session, studies: Sequence[StudyRecord],
                            existing: dict[str, tuple[int, str]], source: str) -> None:
    """A new citekey must not repeat the DOI or normalised title of another stored study."""
    problems = []
    dois = {r.doi: r for r in studies if r.doi}
    titles = {r.title_norm: r for r in studies}
    for chunk in _chunks(list(dois), 500):
        for key, doi in s.execute(select(Study.citekey, Study.doi).where(Study.doi.in_(chunk))):
            rec = dois[doi]
            if key != rec.citekey and key not in {r.citekey for r in studies}:
                problems.append(Problem(source, rec.citekey, "doi", f"same DOI as stored study {key}"))
    for chunk in _chunks(list(titles), 500):
        for key, tn in s.execute(select(Study.citekey, Study.title_norm).where(Study.title_norm.in_(chunk))):
            rec = titles[tn]
            if key != rec.citekey and key not in {r.citekey for r in studies}:
                problems.append(Problem(source, rec.citekey, "title", f"same title as stored study {key}"))
    if problems:
        raise CatalogError(problems)


def _check_references(studies: Sequence[StudyRecord], review_ids: dict[str, int],
                      dataset_ids: dict[str, int], source: str) -> None:
    problems = []
    for r in studies:
        for i, inc in enumerate(r.inclusions):
            if inc.review not in review_ids:
                problems.append(Problem(source, r.citekey, f"inclusions[{i}].review",
                                        f"unknown review {inc.review!r}; known: {sorted(review_ids)}"))
        for d in r.datasets:
            if d not in dataset_ids:
                problems.append(Problem(source, r.citekey, "datasets",
                                        f"unknown data set {d!r}: add it to datasets.yaml"))
    if problems:
        raise CatalogError(problems)


# --- studies and their rows ----------------------------------------------------------------


def _study_columns(r: StudyRecord) -> dict:
    return dict(entry_type=r.entry_type, title=r.title, title_norm=r.title_norm, authors=r.authors,
                year=r.year, venue=r.venue, doi=r.doi, arxiv_id=r.arxiv_id, pmid=r.pmid, url=r.url,
                evidence_url=r.evidence_url, peer_reviewed=r.peer_reviewed, task_code=r.task,
                notes=r.notes, content_hash=r.content_hash())


def _update_studies(s: Session, changed: Sequence[StudyRecord], existing: dict) -> None:
    for r in changed:
        s.execute(Study.__table__.update().where(Study.id == existing[r.citekey][0])
                  .values(**_study_columns(r)))


def _delete_children(s: Session, study_ids: list[int]) -> None:
    for chunk in _chunks(study_ids, 500):
        tids = select(Translation.id).where(Translation.study_id.in_(chunk))
        s.execute(delete(ReportedResult).where(ReportedResult.study_id.in_(chunk)))
        s.execute(delete(TranslationModality).where(TranslationModality.translation_id.in_(tids)))
        for model in (Translation, StudyPair, StudyFamily, StudyArchitecture, StudyAnatomy,
                      StudyDataset, Inclusion):
            s.execute(delete(model).where(model.study_id.in_(chunk)))


def _architecture_ids(s: Session, names: Iterable[str]) -> dict[str, int]:
    """Ids of architectures by name, creating the missing ones (matched case-insensitively)."""
    known = {norm: (aid, name) for aid, name, norm in
             s.execute(select(Architecture.id, Architecture.name, Architecture.name_norm))}
    out: dict[str, int] = {}
    for name in dict.fromkeys(names):
        norm = architecture_norm(name)
        if norm not in known:
            aid = s.execute(insert(Architecture).values(name=name, name_norm=norm)
                            .returning(Architecture.id)).scalar_one()
            known[norm] = (aid, name)
        out[name] = known[norm][0]
    return out


def architecture_norm(name: str) -> str:
    """``Pix2Pix``, ``pix2pix`` and ``pix-2-pix`` are one architecture."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


def pair_rows(study_id: int, year: int | None, translations) -> set[tuple[str, str, int, int]]:
    """The :class:`StudyPair` rows of one study (see its docstring for the rule)."""
    rows: set[tuple[str, str, int, int]] = set()
    y = year or 0
    for t in translations:
        for src in t.sources:
            for tgt in t.targets:
                s_levels = V.ancestors_and_self(src) + (ANY,)
                t_levels = V.ancestors_and_self(tgt) + (ANY,)
                for a in s_levels:
                    for b in t_levels:
                        if not (a == ANY and b == ANY):
                            rows.add((a, b, y, study_id))
    return rows


def _insert_children(s: Session, chunk: Sequence[StudyRecord], id_of: dict[str, int],
                     review_ids: dict[str, int], dataset_ids: dict[str, int],
                     arch_ids: dict[str, int]) -> None:
    trans_rows, fam, arch, anat, dset, inc, pairs = [], [], [], [], [], [], set()
    for r in chunk:
        sid = id_of[r.citekey]
        trans_rows += [dict(study_id=sid, ordinal=i, paired=t.paired, dims=t.dims,
                             n_sources=len(t.sources), n_targets=len(t.targets))
                       for i, t in enumerate(r.translations)]
        fam += [dict(study_id=sid, family_code=f) for f in r.families]
        arch += [dict(study_id=sid, architecture_id=arch_ids[a], role=role) for a, role in r.architectures]
        anat += [dict(study_id=sid, anatomy_code=a) for a in r.anatomy]
        dset += [dict(study_id=sid, dataset_id=dataset_ids[d]) for d in r.datasets]
        inc += [dict(study_id=sid, review_id=review_ids[i.review], ref_number=i.ref, section=i.section,
                     status=i.status, reason=i.reason) for i in r.inclusions]
        pairs |= pair_rows(sid, r.year, r.translations)
    conn = s.connection()
    tid = {}
    if trans_rows:
        next_id = _next_id(conn, Translation.__table__)
        for row in trans_rows:
            row["id"] = next_id
            tid[(row["study_id"], row["ordinal"])] = next_id
            next_id += 1
        bulk_insert(conn, Translation.__table__, trans_rows)
        _sync_sequence(conn, Translation.__table__)
    tm, results = [], []
    for r in chunk:
        sid = id_of[r.citekey]
        for i, t in enumerate(r.translations):
            tm += [dict(translation_id=tid[(sid, i)], role="source", modality_code=m) for m in t.sources]
            tm += [dict(translation_id=tid[(sid, i)], role="target", modality_code=m) for m in t.targets]
        results += [dict(study_id=sid, translation_id=None if x.translation is None else tid[(sid, x.translation)],
                         metric_code=x.metric, value=x.value, unit=x.unit, dataset_name=x.dataset,
                         note=x.note, evidence_url=x.evidence) for x in r.results]
    for model, rows in ((TranslationModality, tm), (StudyFamily, fam), (StudyArchitecture, arch),
                        (StudyAnatomy, anat), (StudyDataset, dset), (Inclusion, inc),
                        (ReportedResult, results)):
        if rows:
            bulk_insert(conn, model.__table__, rows)
    if pairs:
        bulk_insert(conn, StudyPair.__table__,
                    [dict(source=a, target=b, year=y, study_id=i) for a, b, y, i in pairs])
    if results:
        _sync_sequence(conn, ReportedResult.__table__)
    if inc:
        _sync_sequence(conn, Inclusion.__table__)


def bulk_insert(conn, table, rows: list[dict]) -> None:
    """executemany straight through the DB-API: the bulk of a load's rows.

    SQLAlchemy's per-row parameter processing costs more than SQLite's insert itself;
    values here are plain str/int/float/bool/None, which every driver binds as is.
    Rows missing a column (an autoincrement id) get NULL/default via the column list.
    """
    columns = [c.name for c in table.columns if c.name in rows[0]]
    style = conn.dialect.paramstyle
    mark = "?" if style == "qmark" else "%s"
    quote = conn.dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join([mark] * len(columns))})")
    conn.exec_driver_sql(sql, [tuple(row.get(c) for c in columns) for row in rows])


def _next_id(conn, table) -> int:
    """Ids are assigned here so children can refer to them without a round trip per row."""
    return (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1


def _sync_sequence(conn, table) -> None:
    """After explicit ids, move PostgreSQL's serial sequence past them (SQLite needs nothing)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))")


def _chunks(items: Sequence, n: int):
    for i in range(0, len(items), n):
        yield items[i:i + n]
