"""Write a catalog into SQL: one transaction, idempotent, bulk.

A study is matched by citekey. An unchanged study (same content hash) is skipped, a
changed one has its rows replaced, a new one is inserted; studies the files do not
mention are left alone (they may have come from screening). Everything happens in one
transaction, so a problem found half-way leaves the database exactly as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from sqlalchemy import and_, bindparam, delete, func, insert, or_, select
from sqlalchemy.orm import Session
from tqdm import tqdm

from reviewdb import listing as L
from reviewdb.catalog.checks import check_catalog
from reviewdb.catalog.records import Catalog, StudyRecord
from reviewdb.db import ensure_schema, session_scope
from reviewdb.errors import CatalogError, Problem
from reviewdb.vocabulary import ancestors_and_self, architecture_norm
from reviewdb.models import (
    Architecture,
    ClaimVerdict,
    Dataset,
    Inclusion,
    PairTotal,
    ReportedResult,
    ReportedTally,
    ReproductionRun,
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
    ensure_schema(url)
    with session_scope(url, write=True) as session:
        return load_into(session, catalog, source, progress)


def load_into(session: Session, catalog: Catalog, source: str = "catalog", progress: bool = False) -> LoadReport:
    """:func:`load_catalog` inside a caller's transaction (screening acceptance uses it, so the
    new study and the record's acceptance commit together or not at all)."""
    problems = check_catalog(catalog, source)
    if problems:
        raise CatalogError(problems)
    return _load(session, catalog, source, progress)


def _load(s: Session, catalog: Catalog, source: str, progress: bool) -> LoadReport:
    report = LoadReport()
    review_ids = _upsert_reviews(s, catalog, report)
    dataset_ids = _upsert_datasets(s, catalog, report)
    _replace_tallies(s, catalog, review_ids, source, report)
    _replace_reference(s, catalog)

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

    arch_ids, arch_names = _architecture_ids(s, (a for rec in new + changed for a, _ in rec.architectures))
    changed_ids = [existing[r.citekey][0] for r in changed]
    touched = _pair_keys(s.connection(), changed_ids)
    _delete_children(s, changed_ids)
    _update_studies(s, changed, existing, arch_names)

    bar = tqdm(total=len(new) + len(changed), desc="loading studies", unit="study",
               disable=not progress)
    id_of = {r.citekey: existing[r.citekey][0] for r in changed}
    conn = s.connection()
    _insert_all(s, conn, new, changed, id_of, arch_names, review_ids, dataset_ids, arch_ids, bar)
    bar.close()
    loaded = sorted(id_of.values())
    if loaded:
        touched |= _pair_keys(conn, loaded)
    refresh_pair_totals(conn, touched)
    _analyze(conn, len(loaded))
    return report


def _insert_all(s: Session, conn, new, changed, id_of, arch_names, review_ids, dataset_ids, arch_ids, bar) -> None:
    """Study rows of the new studies, then every child row of the new and changed ones."""
    next_id = _next_id(conn, Study.__table__)
    columns = ("id", "citekey") + STUDY_COLUMNS
    for chunk in _chunks(new, CHUNK):
        rows = []
        for r in chunk:
            id_of[r.citekey] = next_id
            values = _study_values(r, arch_names)
            rows.append((next_id, r.citekey) + values[:LISTING_AT] + (json.dumps(values[LISTING_AT]),)
                        + values[LISTING_AT + 1:])
            next_id += 1
        bulk_insert(conn, Study.__table__, columns, rows)
    _sync_sequence(conn, Study.__table__)
    for chunk in _chunks(new + changed, CHUNK):
        _insert_children(s, chunk, id_of, review_ids, dataset_ids, arch_ids)
        bar.update(len(chunk))


# --- reviews, data sets, tallies -----------------------------------------------------------


def _upsert_reviews(s: Session, catalog: Catalog, report: LoadReport) -> dict[str, int]:
    wanted = {rec.key: dict(title=rec.title, authors=rec.authors, year=rec.year, venue=rec.venue,
                            doi=rec.doi, pmid=rec.pmid, url=rec.url, evidence_url=rec.evidence,
                            included_total=rec.included_total, notes=rec.notes)
              for rec in catalog.reviews}
    report.reviews += len(catalog.reviews)
    return _upsert_by_key(s, Review, "key", wanted)


def _upsert_datasets(s: Session, catalog: Catalog, report: LoadReport) -> dict[str, int]:
    wanted = {rec.name: dict(full_name=rec.full_name, modalities=list(rec.modalities) or None,
                             anatomy=list(rec.anatomy) or None, subjects=rec.subjects, sites=rec.sites,
                             public=rec.public, url=rec.url, evidence_url=rec.evidence, notes=rec.notes)
              for rec in catalog.datasets}
    report.datasets += len(catalog.datasets)
    return _upsert_by_key(s, Dataset, "name", wanted)


def _upsert_by_key(s: Session, model, key: str, wanted: dict[str, dict]) -> dict[str, int]:
    """Insert or update rows of ``model`` by their natural key; return every key's id.

    Only changed attributes are set, so an unchanged reload writes nothing.
    """
    rows = {getattr(r, key): r for r in s.scalars(select(model))}
    for k, values in wanted.items():
        row = rows.get(k)
        if row is None:
            rows[k] = row = model(**{key: k}, **values)
            s.add(row)
            continue
        for attr, v in values.items():
            if getattr(row, attr) != v:
                setattr(row, attr, v)
    s.flush()
    return {k: r.id for k, r in rows.items()}


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


def _replace_reference(s: Session, catalog: Catalog) -> None:
    """The shipped reference runs and verdicts, replaced as a set when they changed; a
    user's own runs are never touched. A catalog without reference data leaves them be."""
    if not catalog.reference_runs and not catalog.reference_claims:
        return
    run_cols = ("method", "architectures", "config", "metrics", "device", "wall_time_s", "code_version",
                "command", "artifacts_dir")
    claim_cols = ("code", "statement", "verdict", "numbers", "ci_low", "ci_high", "n_seeds", "command")
    for model, cols, wanted in ((ReproductionRun, run_cols, catalog.reference_runs),
                                (ClaimVerdict, claim_cols, catalog.reference_claims)):
        key = lambda d: json.dumps([d.get(c) for c in cols], sort_keys=True, default=str)  # noqa: E731
        have = sorted(key({c: getattr(r, c) for c in cols})
                      for r in s.scalars(select(model).where(model.reference.is_(True))))
        if have == sorted(key(w) for w in wanted):
            continue
        s.execute(delete(model).where(model.reference.is_(True)))
        s.add_all(model(**{c: w.get(c) for c in cols}, reference=True) for w in wanted)
    s.flush()


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


STUDY_COLUMNS = ("entry_type", "title", "title_norm", "authors", "year", "venue", "doi", "arxiv_id", "pmid",
                 "url", "evidence_url", "peer_reviewed", "task_code", "notes", "contrast_evidence", "excluded",
                 "content_hash", "listing", "family_mask", "anatomy_mask")
LISTING_AT = STUDY_COLUMNS.index("listing")


def _study_values(r: StudyRecord, arch_names: dict[str, str]) -> tuple:
    """The study row's values, in STUDY_COLUMNS order (the listing as a dict)."""
    listing = L.listing(statuses=(i.status for i in r.inclusions), translations=((t.sources, t.targets)
                        for t in r.translations), families=r.families,
                        architectures=((arch_names[a], role) for a, role in r.architectures), anatomy=r.anatomy,
                        datasets=r.datasets, reasons=(i.reason for i in r.inclusions))
    return (r.entry_type, r.title, r.title_norm, r.authors, r.year, r.venue, r.doi, r.arxiv_id, r.pmid,
            r.url, r.evidence_url, r.peer_reviewed, r.task, r.notes, r.contrast_evidence, r.excluded,
            r.content_hash(), listing, L.mask(r.families, L.FAMILY_BIT), L.mask(r.anatomy, L.ANATOMY_BIT))


def _update_studies(s: Session, changed: Sequence[StudyRecord], existing: dict, arch_names: dict[str, str]) -> None:
    for r in changed:
        s.execute(Study.__table__.update().where(Study.id == existing[r.citekey][0])
                  .values(**dict(zip(STUDY_COLUMNS, _study_values(r, arch_names)))))


def _delete_children(s: Session, study_ids: list[int]) -> None:
    for chunk in _chunks(study_ids, 500):
        tids = select(Translation.id).where(Translation.study_id.in_(chunk))
        s.execute(delete(ReportedResult).where(ReportedResult.study_id.in_(chunk)))
        s.execute(delete(TranslationModality).where(TranslationModality.translation_id.in_(tids)))
        for model in (Translation, StudyPair, StudyFamily, StudyArchitecture, StudyAnatomy,
                      StudyDataset, Inclusion):
            s.execute(delete(model).where(model.study_id.in_(chunk)))


def _architecture_ids(s: Session, names: Iterable[str]) -> tuple[dict[str, int], dict[str, str]]:
    """Ids and stored spellings of architectures by name, creating the missing ones
    (matched case-insensitively: ``cycleGAN`` is the stored ``CycleGAN``)."""
    known = {norm: (aid, name) for aid, name, norm in
             s.execute(select(Architecture.id, Architecture.name, Architecture.name_norm))}
    ids: dict[str, int] = {}
    names_out: dict[str, str] = {}
    for name in dict.fromkeys(names):
        norm = architecture_norm(name)
        if norm not in known:
            aid = s.execute(insert(Architecture).values(name=name, name_norm=norm)
                            .returning(Architecture.id)).scalar_one()
            known[norm] = (aid, name)
        ids[name], names_out[name] = known[norm]
    return ids, names_out


@lru_cache(maxsize=None)
def _levels(code: str) -> tuple[str, ...]:
    """A modality, its top level, and the ``*`` wildcard: the sides a translation files under."""
    return ancestors_and_self(code) + (ANY,)


def pair_rows(sid: int, year: int | None, excluded: bool, family_mask: int, anatomy_mask: int,
              translations: Iterable[tuple[Iterable[str], Iterable[str], bool | None]]) -> list[tuple]:
    """The :class:`StudyPair` rows of one study (see its docstring), in PAIR_COLUMNS order.

    Every source level x target level of every translation, once per study, with the
    paired/unpaired bits of the translations behind it; ``(*, *)`` is left out.
    """
    paired: dict[tuple[str, str], int] = {}
    for sources, targets, is_paired in translations:
        bit = 0 if is_paired is None else L.PAIRED_BIT[bool(is_paired)]
        s_levels = {lv for c in sources for lv in _levels(c)}
        t_levels = {lv for c in targets for lv in _levels(c)}
        for a in s_levels:
            for b in t_levels:
                if a != ANY or b != ANY:
                    paired[(a, b)] = paired.get((a, b), 0) | bit
    y = year or 0
    return [(a, b, y, sid, excluded, family_mask, anatomy_mask, bits) for (a, b), bits in paired.items()]


PAIR_COLUMNS = ("source", "target", "year", "study_id", "excluded", "family_mask", "anatomy_mask", "paired_mask")


def _pair_keys(conn, study_ids: list[int]) -> set[tuple[str, str]]:
    """The (source, target) keys of these studies' study_pair rows."""
    keys: set[tuple[str, str]] = set()
    if not study_ids:
        return keys
    sp = StudyPair.__table__
    lo, hi = min(study_ids), max(study_ids)
    if hi - lo + 1 == len(study_ids):  # one id range (a load's new studies)
        keys.update(conn.execute(select(sp.c.source, sp.c.target).distinct().where(sp.c.study_id.between(lo, hi))))
        return keys
    for chunk in _chunks(study_ids, 500):
        keys.update(conn.execute(select(sp.c.source, sp.c.target).distinct().where(sp.c.study_id.in_(chunk))))
    return keys


def refresh_pair_totals(conn, keys: set[tuple[str, str]] | None = None) -> None:
    """Recount ``pair_total`` for the pairs ``keys`` (all pairs when None) from study_pair,
    and the ``('*', '*')`` rows (every study) from the study table.

    Each count is one GROUP BY per mask column; the few distinct masks per pair and year
    are then spread over their facets here, so a facet costs no pass of its own.
    """
    pt, sp, st = PairTotal.__table__, StudyPair.__table__, Study.__table__
    totals: dict[tuple, int] = {}

    def add(rows, kind: str | None) -> None:
        for a, b, y, mask_value, n in rows:
            for f in (L.facets_of(kind, mask_value) if kind else [""]):
                k = (a, b, f, y)
                totals[k] = totals.get(k, 0) + n

    year = func.coalesce(st.c.year, 0)
    for kind, col in ((None, None), ("family", st.c.family_mask), ("anatomy", st.c.anatomy_mask)):
        by = (year,) if col is None else (year, col)
        rows = conn.execute(select(*by, func.count()).where(st.c.excluded.is_(False)).group_by(*by))
        add(((ANY, ANY, y, 0, n) for y, n in rows) if col is None else ((ANY, ANY, *r) for r in rows), kind)
    conn.execute(delete(pt).where(pt.c.source == ANY, pt.c.target == ANY))
    if keys is None:
        conn.execute(delete(pt).where(or_(pt.c.source != ANY, pt.c.target != ANY)))
        chunks = [None]
    else:
        chunks = list(_chunks(sorted(keys), 200))
    for chunk in chunks:
        match = None if chunk is None else or_(*(and_(sp.c.source == a, sp.c.target == b) for a, b in chunk))
        if chunk is not None:
            conn.execute(delete(pt).where(or_(*(and_(pt.c.source == a, pt.c.target == b) for a, b in chunk))))
        for kind, col in ((None, None), ("family", sp.c.family_mask), ("anatomy", sp.c.anatomy_mask),
                          ("paired", sp.c.paired_mask)):
            by = (sp.c.source, sp.c.target, sp.c.year) + (() if col is None else (col,))
            q = select(*by, func.count()).where(sp.c.excluded.is_(False)).group_by(*by)
            rows = conn.execute(q if match is None else q.where(match))
            add(((a, b, y, 0, n) for a, b, y, n in rows) if col is None else rows, kind)
    if totals:
        bulk_insert(conn, pt, ("source", "target", "facet", "year", "studies"),
                    [k + (n,) for k, n in totals.items()])


def _insert_children(s: Session, chunk: Sequence[StudyRecord], id_of: dict[str, int],
                     review_ids: dict[str, int], dataset_ids: dict[str, int],
                     arch_ids: dict[str, int]) -> None:
    """Every row hanging off the studies of ``chunk``, as column tuples (no dict per row)."""
    conn = s.connection()
    next_tid = _next_id(conn, Translation.__table__)
    trans, tm, fam, arch, anat, dset, inc, results, pairs = [], [], [], [], [], [], [], [], []
    for r in chunk:
        sid = id_of[r.citekey]
        pairs += pair_rows(sid, r.year, r.excluded, L.mask(r.families, L.FAMILY_BIT), L.mask(r.anatomy, L.ANATOMY_BIT),
                           ((t.sources, t.targets, t.paired) for t in r.translations))
        tids = []
        for i, t in enumerate(r.translations):
            trans.append((next_tid, sid, i, t.paired, t.dims, len(t.sources), len(t.targets)))
            tm += [(next_tid, "source", m) for m in t.sources]
            tm += [(next_tid, "target", m) for m in t.targets]
            tids.append(next_tid)
            next_tid += 1
        fam += [(f, sid) for f in r.families]
        arch += [(arch_ids[a], sid, role) for a, role in r.architectures]
        anat += [(a, sid) for a in r.anatomy]
        dset += [(dataset_ids[d], sid) for d in r.datasets]
        inc += [(sid, review_ids[i.review], i.ref, i.section, i.status, i.reason) for i in r.inclusions]
        results += [(sid, None if x.translation is None else tids[x.translation], x.metric, x.value, x.unit,
                     x.dataset, x.method, x.role, x.note, x.evidence) for x in r.results]
    for table, columns, rows in (
        (Translation, ("id", "study_id", "ordinal", "paired", "dims", "n_sources", "n_targets"), trans),
        (TranslationModality, ("translation_id", "role", "modality_code"), tm),
        (StudyFamily, ("family_code", "study_id"), fam),
        (StudyArchitecture, ("architecture_id", "study_id", "role"), arch),
        (StudyAnatomy, ("anatomy_code", "study_id"), anat),
        (StudyDataset, ("dataset_id", "study_id"), dset),
        (Inclusion, ("study_id", "review_id", "ref_number", "section", "status", "reason"), inc),
        (ReportedResult, ("study_id", "translation_id", "metric_code", "value", "unit", "dataset_name",
                          "method", "role", "note", "evidence_url"), results),
        (StudyPair, PAIR_COLUMNS, pairs),
    ):
        if rows:
            bulk_insert(conn, table.__table__, columns, rows)
            if table in (Translation, Inclusion, ReportedResult):
                _sync_sequence(conn, table.__table__)


def bulk_insert(conn, table, columns: Sequence[str], rows: list[tuple]) -> None:
    """The bulk of a load's rows, straight through the driver: executemany on SQLite,
    COPY on PostgreSQL (about ten times faster there than INSERTs).

    SQLAlchemy's per-row parameter processing costs more than SQLite's insert itself;
    values here are plain str/int/float/bool/None, which every driver binds as is.
    """
    quote = conn.dialect.identifier_preparer.quote
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        _copy_rows(conn, f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN", rows)
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join([mark] * len(columns))})")
    conn.exec_driver_sql(sql, rows)


def _copy_rows(conn, sql: str, rows: list[tuple]) -> None:
    """COPY FROM STDIN on the connection's own transaction (psycopg 3)."""
    with conn.connection.driver_connection.cursor() as cur, cur.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _analyze(conn, n_loaded: int) -> None:
    """After a bulk load, fresh planner statistics: PostgreSQL would otherwise plan the
    pair page on the sizes of an empty catalog until autovacuum comes by."""
    if n_loaded >= 1000 and conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ANALYZE")


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


# --- derived rows of studies written before they existed -------------------------------------


def refresh_derived(url: str | None = None) -> int:
    """Fill the listing, the masks and the study_pair rows of studies written before
    migration 0006 (``listing`` empty), then recount every pair; returns how many.

    ``reviewdb.db.upgrade`` runs it after the migrations, so an old database reads the same
    through the new query paths without a reload.
    """
    with session_scope(url, write=True) as s:
        conn = s.connection()
        ids = [i for (i,) in conn.execute(select(Study.id).where(Study.listing.is_(None)).order_by(Study.id))]
        for chunk in _chunks(ids, 500):
            _refresh_chunk(conn, chunk)
        if ids or not conn.execute(select(func.count()).select_from(PairTotal)).scalar():
            refresh_pair_totals(conn)
        return len(ids)


def _refresh_chunk(conn, ids: list[int]) -> None:
    """Listing and masks of stored studies from their child rows, and their pair rows."""
    def grouped(q) -> dict[int, list]:
        out: dict[int, list] = {}
        for sid, *rest in conn.execute(q):
            out.setdefault(sid, []).append(rest[0] if len(rest) == 1 else tuple(rest))
        return out

    inc = grouped(select(Inclusion.study_id, Inclusion.status, Inclusion.reason).where(Inclusion.study_id.in_(ids)))
    fam = grouped(select(StudyFamily.study_id, StudyFamily.family_code).where(StudyFamily.study_id.in_(ids)))
    arch = grouped(select(StudyArchitecture.study_id, Architecture.name, StudyArchitecture.role)
                   .join(Architecture).where(StudyArchitecture.study_id.in_(ids)))
    anat = grouped(select(StudyAnatomy.study_id, StudyAnatomy.anatomy_code).where(StudyAnatomy.study_id.in_(ids)))
    dset = grouped(select(StudyDataset.study_id, Dataset.name).join(Dataset).where(StudyDataset.study_id.in_(ids)))
    sides: dict[int, dict[int, dict]] = {}
    for sid, tid, paired, role, code in conn.execute(
            select(Translation.study_id, Translation.id, Translation.paired, TranslationModality.role,
                   TranslationModality.modality_code)
            .join(TranslationModality).where(Translation.study_id.in_(ids))):
        sides.setdefault(sid, {}).setdefault(tid, {"source": [], "target": [], "paired": paired})[role].append(code)
    facts = dict((sid, (year, excluded)) for sid, year, excluded in
                 conn.execute(select(Study.id, Study.year, Study.excluded).where(Study.id.in_(ids))))
    rows, pairs = [], []
    for sid in ids:
        listing = L.listing(statuses=(st for st, _ in inc.get(sid, [])),
                            translations=((v["source"], v["target"]) for v in sides.get(sid, {}).values()),
                            families=fam.get(sid, []), architectures=arch.get(sid, []), anatomy=anat.get(sid, []),
                            datasets=dset.get(sid, []), reasons=(r for _, r in inc.get(sid, [])))
        fmask, amask = L.mask(fam.get(sid, []), L.FAMILY_BIT), L.mask(anat.get(sid, []), L.ANATOMY_BIT)
        rows.append({"sid": sid, "listing": listing, "family_mask": fmask, "anatomy_mask": amask})
        pairs += pair_rows(sid, *facts[sid], fmask, amask,
                           ((v["source"], v["target"], v["paired"]) for v in sides.get(sid, {}).values()))
    st = Study.__table__
    conn.execute(st.update().where(st.c.id == bindparam("sid")).values(
        listing=bindparam("listing", type_=st.c.listing.type), family_mask=bindparam("family_mask"),
        anatomy_mask=bindparam("anatomy_mask")), rows)
    conn.execute(delete(StudyPair).where(StudyPair.study_id.in_(ids)))
    if pairs:
        bulk_insert(conn, StudyPair.__table__, PAIR_COLUMNS, pairs)
