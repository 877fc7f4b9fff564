"""The query API: every read of the catalog goes through here and returns a DataFrame.

The CLI, the dashboard and the reproductions call these functions; none of them writes
SQL. Every user input is a bound parameter (or a vocabulary code checked first), and
the per-study details of a page are fetched in one query per kind, never per study.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import Any

import pandas as pd
from sqlalchemy import Integer, and_, cast, exists, func, literal, or_, select

from reviewdb import listing as L
from reviewdb import vocabulary as V
from reviewdb.db import read_scope, session_scope
from reviewdb.listing import translation_label  # noqa: F401  (re-exported: Q.translation_label)
from reviewdb.errors import QueryError
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

ANY = "*"
DEFAULT_REVIEW = "pang2025"


@dataclass(frozen=True)
class StudyFilter:
    """What a user can narrow the catalog by. Empty fields do not filter.

    Modalities match their children: ``source="MRI"`` includes ``MRI:T1``.
    """

    source: str | None = None
    target: str | None = None
    family: str | None = None
    architecture: str | None = None
    task: str | None = None
    anatomy: str | None = None
    dataset: str | None = None
    year_min: int | None = None
    year_max: int | None = None
    paired: bool | None = None
    status: str | None = None
    text: str | None = None

    def normalised(self) -> StudyFilter:
        """Vocabulary terms to canonical codes; raises UnknownTerm for unknown ones."""
        changes: dict[str, Any] = {}
        for name, vocab in (("source", V.MODALITY), ("target", V.MODALITY), ("family", V.FAMILY),
                            ("task", V.TASK), ("anatomy", V.ANATOMY_VOCAB)):
            value = getattr(self, name)
            if value not in (None, ""):
                changes[name] = vocab.normalise(value)
            elif value == "":
                changes[name] = None
        if self.status not in (None, "") and self.status not in V.INCLUSION_STATUSES:
            raise QueryError(f"status must be one of {V.INCLUSION_STATUSES}, got {self.status!r}")
        if self.year_min is not None and self.year_max is not None and self.year_min > self.year_max:
            raise QueryError(f"year range is empty: {self.year_min} > {self.year_max}")
        for name in ("architecture", "dataset", "text", "status"):
            if getattr(self, name) == "":
                changes[name] = None
        return replace(self, **changes)

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))


# --- filtering ----------------------------------------------------------------------------


_ST_FILTER = Study.__table__.alias("st_filter")


def _pair_conditions(f: StudyFilter) -> list:
    """Filters answered by the study_pair row itself: bit tests on its copied masks."""
    conds = []
    if f.family:
        conds.append(StudyPair.family_mask.op("&")(L.FAMILY_BIT[f.family]) != 0)
    if f.anatomy:
        conds.append(StudyPair.anatomy_mask.op("&")(L.ANATOMY_BIT[f.anatomy]) != 0)
    if f.paired is not None:  # the translations of this pair, not any of the study's
        conds.append(StudyPair.paired_mask.op("&")(L.PAIRED_BIT[f.paired]) != 0)
    return conds


def _conditions(f: StudyFilter, study_id, on_pairs: bool = False) -> list:
    """SQL conditions on ``study_id`` (a column) for every filter except the pair; with
    ``on_pairs``, family, anatomy and paired are left to :func:`_pair_conditions`."""
    conds = []
    if f.family and not on_pairs:
        conds.append(exists().where(StudyFamily.study_id == study_id, StudyFamily.family_code == f.family))
    if f.architecture:
        conds.append(exists().where(StudyArchitecture.study_id == study_id,
                                    StudyArchitecture.architecture_id == Architecture.id,
                                    Architecture.name_norm == V.architecture_norm(f.architecture)))
    if f.anatomy and not on_pairs:
        conds.append(exists().where(StudyAnatomy.study_id == study_id, StudyAnatomy.anatomy_code == f.anatomy))
    if f.dataset:
        conds.append(exists().where(StudyDataset.study_id == study_id, StudyDataset.dataset_id == Dataset.id,
                                    func.lower(Dataset.name) == f.dataset.lower()))
    if f.paired is not None and not on_pairs:
        conds.append(exists().where(Translation.study_id == study_id, Translation.paired == f.paired))
    if f.status:
        conds.append(exists().where(Inclusion.study_id == study_id, Inclusion.status == f.status))
    if f.task or f.text:
        st = _ST_FILTER  # an alias, so the subquery never correlates with an outer study table
        sub = select(st.c.id).where(st.c.id == study_id)
        if f.task:
            sub = sub.where(st.c.task_code == f.task)
        if f.text:
            pattern = "%" + _escape_like(f.text.strip()) + "%"
            sub = sub.where(or_(*(col.ilike(pattern, escape="\\") for col in
                                  (st.c.title, st.c.authors, st.c.venue, st.c.citekey, st.c.doi))))
        conds.append(exists(sub))
    return conds


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(f: StudyFilter):
    """(id column, year column, FROM-able select) for the studies matching ``f``.

    With a modality filter the rows come from the study_pair index, already one per
    study and ordered by year; otherwise from the study table.
    """
    on_pairs = bool(f.source or f.target)
    if on_pairs:
        q = select(StudyPair.study_id.label("sid"), StudyPair.year.label("year")).where(
            StudyPair.source == (f.source or ANY), StudyPair.target == (f.target or ANY), *_pair_conditions(f))
        sid, year, excluded = StudyPair.study_id, StudyPair.year, StudyPair.excluded
    else:
        q = select(Study.id.label("sid"), Study.year.label("year"))
        sid, year, excluded = Study.id, Study.year, Study.excluded
    if f.status != "excluded":  # studies every review excluded are shown only when asked for
        q = q.where(excluded.is_(False))
    if f.year_min is not None:
        q = q.where(year >= f.year_min)
    if f.year_max is not None:
        q = q.where(year <= f.year_max)
    conds = _conditions(f, sid, on_pairs)
    if conds:
        q = q.where(and_(*conds))
    return sid, year, q


def _single_facet(f: StudyFilter) -> str | None:
    """The ``pair_total`` facet answering ``f`` (``''`` for none), or None when ``f`` needs
    counting row by row: more than a pair, a year range and one family, anatomy or paired."""
    if not replace(f, source=None, target=None, year_min=None, year_max=None, family=None, anatomy=None,
                   paired=None).is_empty():
        return None
    given = [(k, v) for k, v in (("family", f.family), ("anatomy", f.anatomy), ("paired", f.paired)) if v is not None]
    if len(given) > 1 or (given and given[0][0] == "paired" and not (f.source or f.target)):
        return None  # paired without a pair is a study-level test, not stored
    return L.facet(*given[0]) if given else ""


def _pair_total(f: StudyFilter):
    """The stored total (a select) when :func:`_single_facet` finds one, else None."""
    facet = _single_facet(f)
    if facet is None:
        return None
    q = select(cast(func.coalesce(func.sum(PairTotal.studies), 0), Integer)).where(
        PairTotal.source == (f.source or ANY), PairTotal.target == (f.target or ANY), PairTotal.facet == facet)
    if f.year_min is not None:
        q = q.where(PairTotal.year >= f.year_min)
    if f.year_max is not None:
        q = q.where(PairTotal.year <= f.year_max)
    return q


def restrict(q, study_col, f: StudyFilter):
    """``q`` limited to the studies matching ``f``; with no filter, only the excluded studies
    are left out, by the cheap test (a NOT IN over the few excluded ids, no subquery of all)."""
    if f.is_empty():
        if study_col is Study.id:  # the study table is already in the query: a column test
            return q.where(Study.excluded.is_(False))
        return q.where(study_col.not_in(select(Study.id).where(Study.excluded.is_(True))))
    return q.where(study_col.in_(matching_ids(f)))


def matching_ids(f: StudyFilter):
    """A subquery of the ids of the studies matching ``f`` (for use inside other queries)."""
    _, _, q = _filtered(f.normalised())
    return q.with_only_columns(q.selected_columns[0])


# --- studies ---------------------------------------------------------------------------------

STUDY_COLUMNS = ["citekey", "title", "authors", "year", "venue", "doi", "arxiv_id", "pmid",
                 "url", "evidence_url", "task", "status", "pairs", "families", "architectures",
                 "anatomy", "datasets", "reason", "link"]


def count_studies(f: StudyFilter = StudyFilter(), url: str | None = None) -> int:
    f = f.normalised()
    with read_scope(url) as conn:
        return conn.execute(_count_query(f)).scalar()


def _count_query(f: StudyFilter):
    """A pair alone reads its stored total; any other filter counts the matching rows."""
    stored = _pair_total(f)
    if stored is not None:
        return stored
    _, _, q = _filtered(f)
    return select(func.count()).select_from(q.subquery())


def study_page(f: StudyFilter = StudyFilter(), url: str | None = None, limit: int = 100,
               offset: int = 0) -> tuple[pd.DataFrame, int]:
    """One page of matching studies, newest first, and the total count."""
    if limit < 0 or offset < 0:
        raise QueryError("limit and offset must not be negative")
    count, page = _page_statements(f.normalised(), limit, offset)
    with read_scope(url) as conn:
        rows = conn.execute(page).all()
        # the total rides on every row of the page: one round trip, unless the page is empty
        total = rows[0][-1] if rows else conn.execute(count).scalar()
        return _frame_of(rows), total


@lru_cache(maxsize=256)
def _page_statements(f: StudyFilter, limit: int, offset: int):
    """(total, page) statements of a normalised filter, built once per filter: building a
    statement costs more than SQLite answering it (a page is about 0.6 ms of SQL). The page
    carries the total as its last column."""
    sid, year, q = _filtered(f)
    page = q.order_by(year.desc(), sid.desc()).limit(limit).offset(offset).subquery()
    count = _count_query(f)
    return count, (_study_select().add_columns(count.scalar_subquery().label("total"))
                   .where(Study.id.in_(select(page.c.sid))))


def find_studies(f: StudyFilter = StudyFilter(), url: str | None = None) -> pd.DataFrame:
    """All matching studies, newest first, with their annotations as text columns."""
    f = f.normalised()
    _, _, q = _filtered(f)
    with read_scope(url) as conn:
        return _study_frame(conn, q.with_only_columns(q.selected_columns[0]))


@lru_cache(maxsize=1)
def _study_select():
    """The study row with its listing, as stored at load (:mod:`reviewdb.listing`)."""
    return select(
        Study.citekey, Study.title, Study.authors, Study.year, Study.venue, Study.doi,
        Study.arxiv_id, Study.pmid, Study.url, Study.evidence_url, Study.task_code.label("task"), Study.listing,
    ).order_by(Study.year.desc(), Study.id.desc())


def _study_frame(conn, ids) -> pd.DataFrame:
    """The studies whose ids ``ids`` (a select) yields, newest first, as one row each.

    One statement over the study table: the per-study details were joined into
    ``study.listing`` when the study was written, so a page costs one index lookup per
    study and no N+1 queries. Rows are shaped in plain Python and become a DataFrame once.
    """
    return _frame(conn, _study_select().where(Study.id.in_(ids)))


def _frame(conn, statement) -> pd.DataFrame:
    """Rows of :func:`_study_select` (narrowed by ``statement``) as the listing's DataFrame."""
    return _frame_of(conn.execute(statement))


def _frame_of(rows) -> pd.DataFrame:
    """Rows that begin as :func:`_study_select`'s as the listing's DataFrame (extra columns
    after the listing are ignored)."""
    records = []
    keys = L.LISTING_KEYS
    for row in rows:
        listing = row[11] or {}
        rec = list(row[:11])
        rec.extend(listing.get(k, "") for k in keys)
        rec.append(study_link(rec[5], rec[6], rec[7], rec[8]))
        records.append(rec)
    # object columns: pandas' default string inference costs more than the query itself
    frame = pd.DataFrame(records, columns=STUDY_COLUMNS, dtype=object)
    year = STUDY_COLUMNS.index("year")
    frame.isetitem(year, pd.array([r[year] for r in records], dtype="Int64"))  # in place: half the cost of frame["year"] =
    return frame


def study_link(doi: str | None, arxiv_id: str | None, pmid: str | None, url: str | None) -> str:
    """The best link to a study: DOI, else arXiv, else PubMed, else its URL."""
    if doi:
        return f"https://doi.org/{doi}"
    if arxiv_id:
        return f"https://arxiv.org/abs/{arxiv_id}"
    if pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
    return url or ""


def study_detail(citekey: str, url: str | None = None) -> dict[str, Any] | None:
    """Everything about one study: its row, translations, results and inclusions."""
    with session_scope(url) as s:
        sid = s.scalar(select(Study.id).where(Study.citekey == citekey))
        if sid is None:
            return None
        frame = _study_frame(s.connection(), select(literal(sid)))
        detail = frame.iloc[0].to_dict()
        detail["notes"], detail["contrast_evidence"] = s.execute(
            select(Study.notes, Study.contrast_evidence).where(Study.id == sid)).one()
        detail["inclusions"] = [dict(r._mapping) for r in s.execute(
            select(Review.key.label("review"), Inclusion.status, Inclusion.ref_number, Inclusion.section,
                   Inclusion.reason).join(Review).where(Inclusion.study_id == sid))]
        detail["results"] = _results_frame(s, select(ReportedResult.id).where(ReportedResult.study_id == sid))
        return detail


def _chunks(items: list, n: int):
    for i in range(0, len(items), n):
        yield items[i:i + n]


# --- counts ---------------------------------------------------------------------------------

DIMENSIONS = V.COUNT_DIMENSIONS


def counts_by(dimension: str, f: StudyFilter = StudyFilter(), url: str | None = None,
              by: str | None = None) -> pd.DataFrame:
    """Number of distinct studies per value of ``dimension`` (and of ``by``, if given).

    Columns: the dimension(s) and ``studies``. A study with two families counts once
    under each.
    """
    dims = [dimension] + ([by] if by else [])
    for d in dims:
        if d not in DIMENSIONS:
            raise QueryError(f"unknown dimension {d!r}; choose from {', '.join(DIMENSIONS)}")
    if dims == ["year"] and f.normalised().is_empty():  # the trend line: stored per year
        return _stored_year_counts(url)
    sid = Study.id
    q = select(*[_dimension_column(d, sid).label(d) for d in dims],
               func.count(func.distinct(sid)).label("studies")).select_from(Study)
    for d in dims:
        q = _dimension_join(q, d, sid)
    q = restrict(q, sid, f)
    q = q.group_by(*[_dimension_column(d, sid) for d in dims])
    with read_scope(url) as conn:
        frame = pd.DataFrame(conn.execute(q).all(), columns=dims + ["studies"])
    return frame.sort_values(dims).reset_index(drop=True)


def _stored_year_counts(url: str | None) -> pd.DataFrame:
    q = (select(PairTotal.year, PairTotal.studies)
         .where(PairTotal.source == ANY, PairTotal.target == ANY, PairTotal.facet == "")
         .order_by(PairTotal.year))
    with read_scope(url) as conn:
        rows = [(y or None, n) for y, n in conn.execute(q)]  # year 0: unknown
    rows.sort(key=lambda r: (r[0] is None, r[0] or 0))  # unknown last, as sort_values puts NaN
    return pd.DataFrame(rows, columns=["year", "studies"])


_SRC = TranslationModality.__table__.alias("src")
_TGT = TranslationModality.__table__.alias("tgt")
_TR = Translation.__table__.alias("tr")
_MOD_SRC = StudyPair.__table__.alias("mod_src")
_MOD_TGT = StudyPair.__table__.alias("mod_tgt")


def _dimension_column(d: str, sid):
    return {
        "year": Study.year, "task": Study.task_code, "venue": Study.venue,
        "family": StudyFamily.family_code, "architecture": Architecture.name,
        "anatomy": StudyAnatomy.anatomy_code, "dataset": Dataset.name, "status": Inclusion.status,
        "source": _MOD_SRC.c.source, "target": _MOD_TGT.c.target,
        "paired": _TR.c.paired, "dims": _TR.c.dims,
    }[d]


def _dimension_join(q, d: str, sid):
    if d in ("year", "task", "venue"):
        return q
    if d == "family":
        return q.join(StudyFamily, StudyFamily.study_id == sid)
    if d == "architecture":
        return q.join(StudyArchitecture, StudyArchitecture.study_id == sid).join(Architecture)
    if d == "anatomy":
        return q.join(StudyAnatomy, StudyAnatomy.study_id == sid)
    if d == "dataset":
        return q.join(StudyDataset, StudyDataset.study_id == sid).join(Dataset)
    if d == "status":
        return q.join(Inclusion, Inclusion.study_id == sid)
    if d == "source":  # top-level sources, one row per study and source
        return q.join(_MOD_SRC, and_(_MOD_SRC.c.study_id == sid, _MOD_SRC.c.target == ANY,
                                     _MOD_SRC.c.source.in_(V.TOP_MODALITIES + V.PSEUDO_MODALITIES)))
    if d == "target":
        return q.join(_MOD_TGT, and_(_MOD_TGT.c.study_id == sid, _MOD_TGT.c.source == ANY,
                                     _MOD_TGT.c.target.in_(V.TOP_MODALITIES)))
    return q.join(_TR, _TR.c.study_id == sid)


# --- modality pairs ---------------------------------------------------------------------------


def pair_codes(level: str = "top") -> tuple[str, ...]:
    """The modality codes of a chord diagram: the six top levels, or one modality's children."""
    if level == "top":
        return V.TOP_MODALITIES
    parent = V.MODALITY.normalise(level)
    children = tuple(c for c in V.descendants_and_self(parent) if c != parent)
    if not children:
        raise QueryError(f"{parent} has no child modalities to draw")
    return children


def pair_matrix(f: StudyFilter = StudyFilter(), url: str | None = None, level: str = "top",
                review: str = DEFAULT_REVIEW) -> pd.DataFrame:
    """The directed modality-pair table behind the chord diagrams.

    Counting rules (the review's Figures 8 and 9a):
    - top level: a study counts once per distinct (source top level, target top level)
      pair over all its translations; pairs within one modality (MRI -> MRI, NCCT ->
      CECT) and pseudo-modalities (noise, label maps) are not drawn.
    - a modality's children (``level="MRI"``): a study counts once per distinct
      single-source, single-target contrast pair (T1 -> T2); multi-contrast
      translations are Figure 9b's groups (:func:`contrast_groups`). Columns: source, target, catalog, reported, difference.
    ``reported`` is the review's own tally for the pair (Figure 8 / 9a) where it gives one.
    """
    codes = pair_codes(level)
    f = f.normalised()
    facet = _single_facet(f) if not (f.source or f.target) else None
    if level == "top" and facet is not None:  # stored totals, summed over the years asked for
        q = (select(PairTotal.source, PairTotal.target, cast(func.sum(PairTotal.studies), Integer))
             .where(PairTotal.source.in_(codes), PairTotal.target.in_(codes), PairTotal.source != PairTotal.target,
                    PairTotal.facet == facet)
             .group_by(PairTotal.source, PairTotal.target))
        if f.year_min is not None:
            q = q.where(PairTotal.year >= f.year_min)
        if f.year_max is not None:
            q = q.where(PairTotal.year <= f.year_max)
        study_col = None
    elif level == "top":
        q = (select(StudyPair.source, StudyPair.target, func.count().label("catalog"))
             .where(StudyPair.source.in_(codes), StudyPair.target.in_(codes),
                    StudyPair.source != StudyPair.target, StudyPair.excluded.is_(False))
             .group_by(StudyPair.source, StudyPair.target))
        study_col = StudyPair.study_id
    else:
        q = (select(_SRC.c.modality_code, _TGT.c.modality_code,
                    func.count(func.distinct(Translation.study_id)).label("catalog"))
             .join(_SRC, and_(_SRC.c.translation_id == Translation.id, _SRC.c.role == "source"))
             .join(_TGT, and_(_TGT.c.translation_id == Translation.id, _TGT.c.role == "target"))
             .where(Translation.n_sources == 1, Translation.n_targets == 1,
                    _SRC.c.modality_code.in_(codes), _TGT.c.modality_code.in_(codes),
                    _SRC.c.modality_code != _TGT.c.modality_code)
             .group_by(_SRC.c.modality_code, _TGT.c.modality_code))
        study_col = Translation.study_id
    if study_col is not None and (not f.is_empty() or level != "top"):  # the top level hid excluded studies
        q = restrict(q, study_col, f)
    with read_scope(url) as conn:
        catalog = {(a, b): int(n) for a, b, n in conn.execute(q)}
        reported = _reported_pair_counts(conn, review, set(codes))
    order = {c: i for i, c in enumerate(codes)}
    keys = sorted(catalog.keys() | reported.keys(), key=lambda k: (order[k[0]], order[k[1]]))
    counts = [catalog.get(k, 0) for k in keys]
    told = [reported.get(k) for k in keys]
    # assembled in Python: pandas' merge and keyed sort cost more than the query (about 5 ms)
    return pd.DataFrame({
        "source": [k[0] for k in keys], "target": [k[1] for k in keys], "catalog": counts,
        "reported": pd.array(told, dtype="Int64"),
        "difference": pd.array([None if r is None else c - r for c, r in zip(counts, told)], dtype="Int64"),
    })


def _reported_pair_counts(conn, review: str, codes: set[str]) -> dict[tuple[str, str], int]:
    """The review's tallies of directed pairs ``SRC -> TGT`` between ``codes`` (the largest
    where a pair is tallied in several places)."""
    q = (select(ReportedTally.key, ReportedTally.count).join(Review)
         .where(Review.key == review, ReportedTally.dimension == "pair"))
    out: dict[tuple[str, str], int] = {}
    for key, count in conn.execute(q):
        src, _, tgt = key.partition("->")
        k = (src.strip(), tgt.strip())
        if k[0] in codes and k[1] in codes and count is not None:
            out[k] = max(count, out.get(k, count))
    return out


def reported_pairs(url: str | None = None, review: str = DEFAULT_REVIEW, level: str = "top") -> pd.DataFrame:
    """The review's tallies of directed pairs (dimension ``pair``) at this level."""
    with read_scope(url) as conn:
        pairs = _reported_pair_counts(conn, review, set(pair_codes(level)))
    keys = sorted(pairs)
    return pd.DataFrame({"source": [k[0] for k in keys], "target": [k[1] for k in keys],
                         "reported": pd.array([pairs[k] for k in keys], dtype="Int64")})


def contrast_groups(f: StudyFilter = StudyFilter(), url: str | None = None) -> pd.DataFrame:
    """Multi-contrast MRI translations (Figure 9b): studies per (source set -> target set).

    Only translations whose every source and target is an MRI contrast and that have
    more than one source or target. Columns: group, sources, targets, studies.
    """
    mri = set(pair_codes("MRI"))
    q = (select(Translation.study_id, Translation.id, TranslationModality.role, TranslationModality.modality_code)
         .join(TranslationModality)
         .where(or_(Translation.n_sources > 1, Translation.n_targets > 1)))  # single pairs are 9a's
    q = restrict(q, Translation.study_id, f)
    with read_scope(url) as conn:
        rows = conn.execute(q).all()
    sides: dict[tuple[int, int], dict[str, list[str]]] = {}
    for sid, tid, role, code in rows:
        sides.setdefault((sid, tid), {"source": [], "target": []})[role].append(code)
    groups: dict[tuple, set[int]] = {}
    for (sid, _), v in sides.items():
        codes = set(v["source"]) | set(v["target"])
        if codes <= mri and (len(v["source"]) > 1 or len(v["target"]) > 1):
            key = (tuple(sorted(v["source"])), tuple(sorted(v["target"])))
            groups.setdefault(key, set()).add(sid)
    out = [dict(group=translation_label(src, tgt), sources=", ".join(src), targets=", ".join(tgt),
                studies=len(ids)) for (src, tgt), ids in groups.items()]
    frame = pd.DataFrame(out, columns=["group", "sources", "targets", "studies"])
    return frame.sort_values(["studies", "group"], ascending=[False, True]).reset_index(drop=True)


# --- review tallies, results, data sets, runs ------------------------------------------------


def reported_tallies(url: str | None = None, review: str = DEFAULT_REVIEW) -> pd.DataFrame:
    """Counts the review itself reports, with where it reports them."""
    q = (select(ReportedTally.location, ReportedTally.dimension, ReportedTally.key, ReportedTally.count,
                ReportedTally.note).join(Review).where(Review.key == review)
         .order_by(ReportedTally.location, ReportedTally.dimension, ReportedTally.key))
    with session_scope(url) as s:
        return pd.DataFrame(s.execute(q).all(), columns=["location", "dimension", "key", "count", "note"])


RESULT_COLUMNS = ["citekey", "title", "year", "pair", "metric", "value", "unit", "direction",
                  "dataset", "method", "role", "note", "evidence_url", "link"]


def reported_results(f: StudyFilter = StudyFilter(), metric: str | None = None,
                     url: str | None = None) -> pd.DataFrame:
    """Values studies reported, per translation and metric (e.g. MAE in HU for MRI -> CT).

    With a source/target filter, only results of translations matching that pair (or
    results not tied to a translation) of the matching studies are returned.
    """
    f = f.normalised()
    code = V.METRIC.normalise(metric) if metric else None
    q = select(ReportedResult.id).where(ReportedResult.study_id.in_(matching_ids(f)))
    if code:
        q = q.where(ReportedResult.metric_code == code)
    with read_scope(url) as conn:  # Core rows: the ORM's row handling doubles the time at 300,000 values
        frame = _results_frame(conn, q)
    if (f.source or f.target) and not frame.empty:
        labels = frame["pair"].unique()  # a few hundred labels, whatever the number of values
        matches = {p: _pair_matches(p, f.source, f.target) for p in labels}
        keep = frame["pair"].map(matches)
        frame = frame[keep | (frame["pair"] == "")].reset_index(drop=True)
    return frame


def _pair_matches(label: str, source: str | None, target: str | None) -> bool:
    if not label:
        return False
    left, _, right = label.partition(" -> ")
    def codes(side):
        return [c.strip() for c in side.strip("()").split(",")]
    def hit(side, want):
        return want is None or any(want in V.ancestors_and_self(c) for c in codes(side))
    return hit(left, source) and hit(right, target)


def _results_frame(s, id_query) -> pd.DataFrame:
    """Reported values of ``id_query``'s results with their study and pair (``s``: a Session or Connection)."""
    rows = s.execute(select(ReportedResult.translation_id, Study.citekey, Study.title,
                            Study.year, Study.doi, Study.arxiv_id, Study.pmid, Study.url,
                            ReportedResult.metric_code, ReportedResult.value, ReportedResult.unit,
                            ReportedResult.dataset_name, ReportedResult.method, ReportedResult.role,
                            ReportedResult.note, ReportedResult.evidence_url)
                     .join(Study, Study.id == ReportedResult.study_id)
                     .where(ReportedResult.id.in_(id_query))
                     .order_by(ReportedResult.metric_code, Study.year.desc(), Study.citekey)).all()
    if not rows:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    labels = {}
    rows = [tuple(r) for r in rows]  # plain tuples: pandas probes a Row's attributes one by one
    if any(r[0] is not None for r in rows):
        # the same id query as a subselect: a list of ids would pass one bound parameter per
        # translation, past SQLite's limit on a large catalog
        tids = select(ReportedResult.translation_id).where(ReportedResult.id.in_(id_query))
        tm = s.execute(select(TranslationModality.translation_id, TranslationModality.role,
                              TranslationModality.modality_code)
                       .where(TranslationModality.translation_id.in_(tids))
                       .order_by(TranslationModality.modality_code)).all()
        sides: dict[int, dict[str, list[str]]] = {}
        for tid, role, code in tm:
            sides.setdefault(tid, {"source": [], "target": []})[role].append(code)
        labels = {tid: translation_label(v["source"], v["target"]) for tid, v in sides.items()}
    raw = pd.DataFrame(rows, columns=["tid", "citekey", "title", "year", "doi", "arxiv_id", "pmid", "url", "metric",
                                      "value", "unit", "dataset", "method", "role", "note", "evidence_url"], dtype=object)
    # column-wise: a large catalog returns hundreds of thousands of values
    raw["pair"] = raw["tid"].map(labels).fillna("")
    raw["direction"] = raw["metric"].map({k: v[1] for k, v in V.METRICS.items()})
    raw["link"] = _links(raw)
    raw["value"] = raw["value"].astype(float)
    return raw[RESULT_COLUMNS]


def _links(frame: pd.DataFrame) -> pd.Series:
    """:func:`study_link` for every row at once: DOI, else arXiv, else PubMed, else the URL."""
    out = frame["url"].where(frame["url"].astype(bool) & frame["url"].notna(), "")
    for col, prefix, suffix in (("pmid", "https://pubmed.ncbi.nlm.nih.gov/", "/"),
                                ("arxiv_id", "https://arxiv.org/abs/", ""), ("doi", "https://doi.org/", "")):
        has = frame[col].notna() & frame[col].astype(bool)
        out = out.where(~has, prefix + frame[col].astype(str) + suffix)
    return out


def datasets_overview(url: str | None = None) -> pd.DataFrame:
    """Every data set with its facts, how many studies use it and which pairs they translate."""
    with session_scope(url) as s:
        sets = s.execute(select(Dataset).order_by(Dataset.name)).scalars().all()
        use = s.execute(select(StudyDataset.dataset_id, func.count())
                        .join(Study, Study.id == StudyDataset.study_id).where(Study.excluded.is_(False))
                        .group_by(StudyDataset.dataset_id)).all()
        pairs = s.execute(select(StudyDataset.dataset_id, StudyPair.source, StudyPair.target, func.count())
                          .join(StudyPair, StudyPair.study_id == StudyDataset.study_id)
                          .where(StudyPair.source.in_(V.TOP_MODALITIES + V.PSEUDO_MODALITIES),
                                 StudyPair.target.in_(V.TOP_MODALITIES), StudyPair.excluded.is_(False))
                          .group_by(StudyDataset.dataset_id, StudyPair.source, StudyPair.target)).all()
    used = dict(use)
    pair_text: dict[int, list[str]] = {}
    for did, src, tgt, n in sorted(pairs, key=lambda r: -r[3]):
        pair_text.setdefault(did, []).append(f"{src} -> {tgt} ({n})")
    rows = [dict(name=d.name, full_name=d.full_name, modalities=", ".join(d.modalities or []),
                 anatomy=", ".join(d.anatomy or []), subjects=d.subjects, sites=d.sites, public=d.public,
                 studies=used.get(d.id, 0), pairs="; ".join(pair_text.get(d.id, [])), url=d.url,
                 evidence_url=d.evidence_url, notes=d.notes) for d in sets]
    return pd.DataFrame(rows, columns=["name", "full_name", "modalities", "anatomy", "subjects", "sites",
                                       "public", "studies", "pairs", "url", "evidence_url", "notes"])


def reviews(url: str | None = None) -> pd.DataFrame:
    with session_scope(url) as s:
        rows = s.execute(select(Review.key, Review.title, Review.authors, Review.year, Review.venue,
                                Review.doi, Review.pmid, Review.included_total, Review.evidence_url)
                         .order_by(Review.key)).all()
    return pd.DataFrame(rows, columns=["key", "title", "authors", "year", "venue", "doi", "pmid",
                                       "included_total", "evidence_url"])


def reproduction_runs(url: str | None = None, architecture: str | None = None) -> pd.DataFrame:
    """Reproduction runs, newest first; with ``architecture``, only runs that reproduce it."""
    with session_scope(url) as s:
        rows = s.execute(select(ReproductionRun).order_by(ReproductionRun.created_at.desc(),
                                                          ReproductionRun.id.desc())).scalars().all()
        data = [dict(id=r.id, method=r.method, architectures=list(r.architectures), device=r.device,
                     wall_time_s=r.wall_time_s, code_version=r.code_version, command=r.command,
                     created_at=r.created_at, metrics=dict(r.metrics), config=dict(r.config),
                     reference=bool(r.reference), artifacts_dir=r.artifacts_dir)
                for r in rows]
    if architecture:
        want = V.architecture_norm(architecture)
        data = [d for d in data if want in {V.architecture_norm(a) for a in d["architectures"]}]
    return pd.DataFrame(data, columns=["id", "method", "architectures", "device", "wall_time_s",
                                       "code_version", "command", "created_at", "metrics", "config",
                                       "reference", "artifacts_dir"])


def claim_verdicts(url: str | None = None) -> pd.DataFrame:
    """Claim verdicts, newest first."""
    with session_scope(url) as s:
        rows = s.execute(select(ClaimVerdict).order_by(ClaimVerdict.created_at.desc(),
                                                       ClaimVerdict.id.desc())).scalars().all()
        data = [dict(id=r.id, code=r.code, statement=r.statement, verdict=r.verdict, numbers=dict(r.numbers),
                     ci_low=r.ci_low, ci_high=r.ci_high, n_seeds=r.n_seeds, command=r.command,
                     created_at=r.created_at, reference=bool(r.reference)) for r in rows]
    return pd.DataFrame(data, columns=["id", "code", "statement", "verdict", "numbers", "ci_low",
                                       "ci_high", "n_seeds", "command", "created_at", "reference"])


def study_architectures(citekey: str, url: str | None = None) -> list[str]:
    with session_scope(url) as s:
        return list(s.scalars(select(Architecture.name).join(StudyArchitecture)
                              .join(Study, Study.id == StudyArchitecture.study_id)
                              .where(Study.citekey == citekey)))



def translation_table(url: str | None = None, review: str | None = DEFAULT_REVIEW,
                      excluded: bool = False) -> pd.DataFrame:
    """Every translation of the studies a review includes (confirmed or candidate), or
    with ``excluded`` of the studies it was found to exclude.

    Columns: citekey, task, year, status, sources (tuple), targets (tuple). The coverage
    report counts the catalog the way the review counts from this one table.
    """
    q = (select(Study.id, Study.citekey, Study.task_code, Study.year, Translation.id,
                TranslationModality.role, TranslationModality.modality_code)
         .join(Translation, Translation.study_id == Study.id)
         .join(TranslationModality, TranslationModality.translation_id == Translation.id))
    status = select(Inclusion.study_id, Inclusion.status).join(Review)
    if review:
        status = status.where(Review.key == review)
    with session_scope(url) as s:
        rows = s.execute(q).all()
        which = Inclusion.status == "excluded" if excluded else Inclusion.status != "excluded"
        statuses = dict(s.execute(status.where(which)).all())
    sides: dict[int, dict] = {}
    for sid, key, task, year, tid, role, code in rows:
        if sid not in statuses:
            continue
        entry = sides.setdefault(tid, dict(citekey=key, task=task, year=year, status=statuses[sid],
                                           source=[], target=[]))
        entry[role].append(code)
    out = [dict(citekey=e["citekey"], task=e["task"], year=e["year"], status=e["status"],
                sources=tuple(sorted(e["source"])), targets=tuple(sorted(e["target"])))
           for e in sides.values()]
    return pd.DataFrame(out, columns=["citekey", "task", "year", "status", "sources", "targets"])


def included_studies(url: str | None = None, review: str = DEFAULT_REVIEW, excluded: bool = False) -> pd.DataFrame:
    """Studies a review includes (confirmed or candidate), with task, status and anatomy;
    with ``excluded``, the studies it was found to exclude."""
    which = Inclusion.status == "excluded" if excluded else Inclusion.status != "excluded"
    with session_scope(url) as s:
        rows = s.execute(select(Study.id, Study.citekey, Study.task_code, Study.year, Inclusion.status)
                         .join(Inclusion, Inclusion.study_id == Study.id).join(Review)
                         .where(Review.key == review, which)).all()
        anat = s.execute(select(StudyAnatomy.study_id, StudyAnatomy.anatomy_code)).all()
    by_study: dict[int, list[str]] = {}
    for sid, code in anat:
        by_study.setdefault(sid, []).append(code)
    return pd.DataFrame([dict(citekey=k, task=t, year=y, status=st, anatomy=tuple(sorted(by_study.get(i, []))))
                         for i, k, t, y, st in rows],
                        columns=["citekey", "task", "year", "status", "anatomy"])


def count_by_status(url: str | None = None) -> dict[str, int]:
    """Studies per inclusion status, excluded ones included (counted in SQL)."""
    with read_scope(url) as conn:
        return dict(conn.execute(select(Inclusion.status, func.count(func.distinct(Inclusion.study_id)))
                                 .group_by(Inclusion.status)).all())


def count_included(url: str | None = None, review: str = DEFAULT_REVIEW) -> int:
    """Studies a review includes (confirmed or candidate), counted in SQL."""
    with read_scope(url) as conn:
        return conn.execute(select(func.count()).select_from(Inclusion).join(Review)
                            .where(Review.key == review, Inclusion.status != "excluded")).scalar()


def count_results(url: str | None = None) -> tuple[int, int]:
    """(reported values, studies with at least one), counted in SQL."""
    with read_scope(url) as conn:
        row = conn.execute(select(func.count(), func.count(func.distinct(ReportedResult.study_id)))).one()
    return int(row[0]), int(row[1])
