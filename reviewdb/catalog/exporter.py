"""Export the database back to files: BibTeX, JSON, CSV or the catalog directory layout.

Every format is read back by :mod:`reviewdb.catalog.reader`, so an export loads into a
fresh database as the same catalog (tests/test_export.py checks the round trip).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from pathlib import Path
from typing import Iterable

import yaml
from sqlalchemy import select

from reviewdb.catalog.reader import BIB_TYPES, CSV_JSON_COLUMNS, CSV_LIST_COLUMNS
from reviewdb.catalog.records import (
    Catalog,
    DatasetRecord,
    InclusionRecord,
    ResultRecord,
    ReviewRecord,
    StudyRecord,
    TallyRecord,
    TranslationRecord,
)
from reviewdb.db import session_scope
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
    Translation,
    TranslationModality,
)

FORMATS = ("bibtex", "json", "csv", "catalog")


def read_database(url: str | None = None, citekeys: Iterable[str] | None = None) -> Catalog:
    """The database (or the studies ``citekeys``) as format-neutral records."""
    with session_scope(url) as s:
        q = select(Study).order_by(Study.citekey)
        if citekeys is not None:
            q = q.where(Study.citekey.in_(list(citekeys)))
        studies = s.scalars(q).all()
        ids = [st.id for st in studies]
        rel = _relations(s, ids)
        catalog = Catalog(
            reviews=[ReviewRecord(key=r.key, title=r.title, authors=r.authors, year=r.year, venue=r.venue,
                                  doi=r.doi, pmid=r.pmid, url=r.url, evidence=r.evidence_url,
                                  included_total=r.included_total, notes=r.notes)
                     for r in s.scalars(select(Review).order_by(Review.key))],
            datasets=[DatasetRecord(name=d.name, full_name=d.full_name, modalities=tuple(d.modalities or ()),
                                    anatomy=tuple(d.anatomy or ()), subjects=d.subjects, sites=d.sites,
                                    public=d.public, url=d.url, evidence=d.evidence_url, notes=d.notes)
                      for d in s.scalars(select(Dataset).order_by(Dataset.name))],
            tallies=[TallyRecord(review=key, location=t.location, dimension=t.dimension, key=t.key,
                                 count=t.count, note=t.note)
                     for t, key in s.execute(select(ReportedTally, Review.key).join(Review)
                                             .order_by(Review.key, ReportedTally.id))],
            studies=[_study_record(st, rel) for st in studies],
        )
    return catalog


def _relations(s, ids: list[int]) -> dict:
    """Everything hanging off the studies ``ids``, fetched once per table."""
    rel: dict = {k: {} for k in ("fam", "arch", "anat", "dset", "inc", "trans", "tm", "res")}
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        for sid, code in s.execute(select(StudyFamily.study_id, StudyFamily.family_code)
                                   .where(StudyFamily.study_id.in_(chunk))):
            rel["fam"].setdefault(sid, []).append(code)
        for sid, name, role in s.execute(select(StudyArchitecture.study_id, Architecture.name, StudyArchitecture.role)
                                         .join(Architecture).where(StudyArchitecture.study_id.in_(chunk))):
            rel["arch"].setdefault(sid, []).append((name, role))
        for sid, code in s.execute(select(StudyAnatomy.study_id, StudyAnatomy.anatomy_code)
                                   .where(StudyAnatomy.study_id.in_(chunk))):
            rel["anat"].setdefault(sid, []).append(code)
        for sid, name in s.execute(select(StudyDataset.study_id, Dataset.name).join(Dataset)
                                   .where(StudyDataset.study_id.in_(chunk))):
            rel["dset"].setdefault(sid, []).append(name)
        for inc, key in s.execute(select(Inclusion, Review.key).join(Review).where(Inclusion.study_id.in_(chunk))):
            rel["inc"].setdefault(inc.study_id, []).append(
                InclusionRecord(review=key, status=inc.status, ref=inc.ref_number, section=inc.section,
                                reason=inc.reason))
        for t in s.scalars(select(Translation).where(Translation.study_id.in_(chunk)).order_by(Translation.ordinal)):
            rel["trans"].setdefault(t.study_id, []).append(t)
        for tid, role, code in s.execute(select(TranslationModality.translation_id, TranslationModality.role,
                                                TranslationModality.modality_code)
                                         .join(Translation).where(Translation.study_id.in_(chunk))):
            rel["tm"].setdefault((tid, role), []).append(code)
        for r in s.scalars(select(ReportedResult).where(ReportedResult.study_id.in_(chunk))
                           .order_by(ReportedResult.id)):
            rel["res"].setdefault(r.study_id, []).append(r)
    return rel


def _study_record(st: Study, rel: dict) -> StudyRecord:
    translations = rel["trans"].get(st.id, [])
    ordinal = {t.id: t.ordinal for t in translations}
    from reviewdb.vocabulary import MODALITIES

    order = {c: i for i, c in enumerate(MODALITIES)}

    def side(tid, role):
        return tuple(sorted(rel["tm"].get((tid, role), []), key=order.get))

    return StudyRecord(
        citekey=st.citekey, title=st.title, task=st.task_code, entry_type=st.entry_type, authors=st.authors,
        year=st.year, venue=st.venue, doi=st.doi, arxiv_id=st.arxiv_id, pmid=st.pmid, url=st.url,
        evidence_url=st.evidence_url, peer_reviewed=st.peer_reviewed,
        families=sorted(rel["fam"].get(st.id, [])), architectures=sorted(rel["arch"].get(st.id, [])),
        anatomy=sorted(rel["anat"].get(st.id, [])), datasets=sorted(rel["dset"].get(st.id, [])),
        translations=[TranslationRecord(side(t.id, "source"), side(t.id, "target"), t.paired, t.dims)
                      for t in translations],
        results=[ResultRecord(metric=r.metric_code, value=r.value, unit=r.unit, evidence=r.evidence_url,
                              translation=ordinal.get(r.translation_id), dataset=r.dataset_name, note=r.note,
                              method=r.method, role=r.role)
                 for r in rel["res"].get(st.id, [])],
        inclusions=sorted(rel["inc"].get(st.id, []), key=lambda i: i.review),
        notes=st.notes, contrast_evidence=st.contrast_evidence,
    )


# --- formats ---------------------------------------------------------------------------------


def to_bibtex(catalog: Catalog) -> str:
    """The studies as BibTeX entries (with the ``evidence`` field that says where facts were read)."""
    out = []
    for st in catalog.studies:
        venue_field = BIB_TYPES.get(st.entry_type, "journal")
        fields = [("title", st.title), ("author", st.authors), (venue_field, st.venue),
                  ("year", st.year), ("doi", st.doi), ("eprint", st.arxiv_id), ("pmid", st.pmid),
                  ("url", st.url), ("evidence", st.evidence_url)]
        body = ",\n".join(f"  {k} = {{{_bib_escape(v)}}}" for k, v in fields if v not in (None, ""))
        out.append(f"@{st.entry_type}{{{st.citekey},\n{body}\n}}\n")
    return "\n".join(out)


def _bib_escape(value) -> str:
    text = str(value)
    return text.replace("{", "").replace("}", "")


def annotation_dict(st: StudyRecord) -> dict:
    """The YAML/JSON annotation of a study (the part that is not BibTeX)."""
    d: dict = {"citekey": st.citekey}
    d["inclusions"] = [{k: v for k, v in asdict(i).items() if v is not None} for i in st.inclusions]
    d["task"] = st.task
    d["families"] = list(st.families)
    d["architectures"] = [{"name": n, "role": r} for n, r in st.architectures]
    d["anatomy"] = list(st.anatomy)
    d["datasets"] = list(st.datasets)
    d["translations"] = [{k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(t).items()
                          if v is not None} for t in st.translations]
    d["results"] = [{k: v for k, v in asdict(r).items() if v is not None} for r in st.results]
    if st.notes:
        d["notes"] = st.notes
    if st.contrast_evidence:
        d["contrast_evidence"] = st.contrast_evidence
    return d


def bib_fields(st: StudyRecord) -> dict:
    venue_field = BIB_TYPES.get(st.entry_type, "journal")
    fields = {"ENTRYTYPE": st.entry_type, "title": st.title, "author": st.authors, venue_field: st.venue,
              "year": st.year, "doi": st.doi, "eprint": st.arxiv_id, "pmid": st.pmid, "url": st.url,
              "evidence": st.evidence_url}
    return {k: v for k, v in fields.items() if v not in (None, "")}


def to_json(catalog: Catalog) -> str:
    data = {
        "reviews": [_clean(asdict(r)) for r in catalog.reviews],
        "datasets": [_clean({**asdict(d), "modalities": list(d.modalities), "anatomy": list(d.anatomy)})
                     for d in catalog.datasets],
        "tallies": [_clean(asdict(t)) for t in catalog.tallies],
        "studies": [{**annotation_dict(st), "bibtex": bib_fields(st)} for st in catalog.studies],
    }
    return json.dumps(data, indent=1, ensure_ascii=False, default=str)


CSV_COLUMNS = ["citekey", "entry_type", "title", "author", "year", "venue", "doi", "eprint", "pmid",
               "url", "evidence", "task", *CSV_LIST_COLUMNS, *CSV_JSON_COLUMNS, "notes",
               "contrast_evidence"]


def to_csv(catalog: Catalog) -> str:
    """One row per study; list fields joined with '; ', nested fields as JSON cells."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for st in catalog.studies:
        ann = annotation_dict(st)
        row = {"citekey": st.citekey, "entry_type": st.entry_type, "title": st.title, "author": st.authors,
               "year": st.year, "venue": st.venue, "doi": st.doi, "eprint": st.arxiv_id, "pmid": st.pmid,
               "url": st.url, "evidence": st.evidence_url, "task": st.task, "notes": st.notes or "",
               "contrast_evidence": st.contrast_evidence or ""}
        for col in CSV_LIST_COLUMNS:
            row[col] = "; ".join(ann[col])
        for col in CSV_JSON_COLUMNS:
            row[col] = json.dumps(ann[col], ensure_ascii=False)
        writer.writerow(row)
    return buf.getvalue()


def write_catalog_dir(catalog: Catalog, out: Path) -> None:
    """The bundled-catalog layout (reviews/datasets/tallies YAML, references/, studies/)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "references").mkdir(exist_ok=True)
    (out / "studies").mkdir(exist_ok=True)
    dump = lambda obj: yaml.safe_dump(obj, sort_keys=False, allow_unicode=True, width=110)  # noqa: E731
    data = json.loads(to_json(catalog))
    (out / "reviews.yaml").write_text(dump(data["reviews"]), encoding="utf-8")
    (out / "datasets.yaml").write_text(dump(data["datasets"]), encoding="utf-8")
    (out / "tallies.yaml").write_text(dump(data["tallies"]), encoding="utf-8")
    (out / "references" / "catalog.bib").write_text(to_bibtex(catalog), encoding="utf-8")
    (out / "studies" / "catalog.yaml").write_text(dump([annotation_dict(st) for st in catalog.studies]),
                                                  encoding="utf-8")


def export(fmt: str, url: str | None = None, citekeys: Iterable[str] | None = None) -> str:
    """The database in ``fmt`` (bibtex, json or csv) as text."""
    catalog = read_database(url, citekeys)
    if fmt == "bibtex":
        return to_bibtex(catalog)
    if fmt == "json":
        return to_json(catalog)
    if fmt == "csv":
        return to_csv(catalog)
    raise ValueError(f"unknown format {fmt!r}; choose from bibtex, json, csv (or catalog with a directory)")


def _clean(d: dict) -> dict:
    return {k: v for k, v in d.items() if v not in (None, (), [])}
