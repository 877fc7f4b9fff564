"""Read a catalog from files into records, collecting every problem with its location.

Formats:
- a directory in the bundled layout (``reviews.yaml``, ``datasets.yaml``, ``tallies.yaml``,
  ``references/*.bib``, ``studies/*.yaml``; see ``reviewdb/data/README.md``),
- a ``.json`` export (:mod:`reviewdb.catalog.exporter`),
- a ``.csv`` export (one row per study, nested fields as JSON cells).

Nothing here touches the database: a reader either returns a whole :class:`Catalog` or
raises :class:`CatalogError` listing file, entry and field of every problem at once.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import bibtexparser
import yaml
from pylatexenc.latex2text import LatexNodes2Text

from reviewdb import vocabulary as V
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
from reviewdb.errors import CatalogError, Problem, UnknownTerm

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
ARXIV_RE = re.compile(r"^(\d{4}\.\d{4,5}|[a-z\-]+(\.[A-Z]{2})?/\d{7})(v\d+)?$")
PMID_RE = re.compile(r"^\d{1,9}$")
URL_RE = re.compile(r"^https?://\S+$")
CITEKEY_RE = re.compile(r"^[A-Za-z0-9_:\-\.]+$")
BIB_TYPES = {"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle",
             "misc": "howpublished", "book": "publisher"}
PREPRINT_VENUES = ("arxiv", "biorxiv", "medrxiv", "preprint", "research square", "ssrn")


_MODALITY_ORDER = {code: i for i, code in enumerate(V.MODALITIES)}


class Problems:
    """Collects problems so a reader reports all of them, not just the first."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, file: str, entry: str, field: str, message: str) -> None:
        self.items.append(Problem(str(file), str(entry), field, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise CatalogError(self.items)


# --- entry points ------------------------------------------------------------------------


def read_catalog(path: str | Path) -> Catalog:
    """Read a catalog directory, ``.json`` or ``.csv`` file; raise CatalogError on problems."""
    p = Path(path)
    problems = Problems()
    if not p.exists():
        problems.add(str(p), "-", "-", "no such file or directory")
        problems.raise_if_any()
    if p.is_dir():
        catalog = _read_directory(p, problems)
    elif p.suffix.lower() == ".json":
        catalog = _read_json(p, problems)
    elif p.suffix.lower() == ".csv":
        catalog = _read_csv(p, problems)
    else:
        problems.add(str(p), "-", "-", "expected a catalog directory, a .json or a .csv file")
        catalog = Catalog()
    problems.raise_if_any()
    return catalog


def _read_directory(root: Path, problems: Problems) -> Catalog:
    catalog = Catalog()
    for item in _yaml_list(root / "reviews.yaml", problems, required=False):
        rec = _review_from_dict(item, str(root / "reviews.yaml"), problems)
        if rec:
            catalog.reviews.append(rec)
    for item in _yaml_list(root / "datasets.yaml", problems, required=False):
        rec = _dataset_from_dict(item, str(root / "datasets.yaml"), problems)
        if rec:
            catalog.datasets.append(rec)
    for item in _yaml_list(root / "tallies.yaml", problems, required=False):
        rec = _tally_from_dict(item, str(root / "tallies.yaml"), problems)
        if rec:
            catalog.tallies.append(rec)

    bib: dict[str, tuple[str, dict[str, str]]] = {}
    for bib_path in sorted((root / "references").glob("*.bib")):
        for key, (entry_type, fields) in _read_bib(bib_path, problems).items():
            if key in bib:
                problems.add(str(bib_path), key, "citekey", f"also defined in {bib[key][0]}")
                continue
            bib[key] = (str(bib_path), {"ENTRYTYPE": entry_type, **fields})

    seen: dict[str, str] = {}
    for ann_path in sorted((root / "studies").glob("*.yaml")):
        for i, item in enumerate(_yaml_list(ann_path, problems, required=True)):
            key = item.get("citekey") if isinstance(item, dict) else None
            if not isinstance(key, str) or not key:
                problems.add(str(ann_path), f"#{i + 1}", "citekey", "missing citekey")
                continue
            if key in seen:
                problems.add(str(ann_path), key, "citekey", f"annotated twice (also in {seen[key]})")
                continue
            seen[key] = str(ann_path)
            if key not in bib:
                problems.add(str(ann_path), key, "citekey", "no BibTeX entry with this citekey")
                continue
            bib_file, fields = bib[key]
            rec = study_from_parts(fields, item, bib_file, str(ann_path), problems)
            if rec:
                catalog.studies.append(rec)
    for key, (bib_file, _) in bib.items():
        if key not in seen:
            problems.add(bib_file, key, "citekey", "BibTeX entry has no annotation in studies/*.yaml")
    catalog.reference_runs, catalog.reference_claims = _read_reference(root / "reference", problems)
    return catalog


REFERENCE_RUN_FIELDS = ("method", "architectures", "config", "metrics", "device", "wall_time_s",
                        "code_version", "command")
REFERENCE_CLAIM_FIELDS = ("code", "statement", "verdict", "numbers", "n_seeds", "command")


def _read_reference(root: Path, problems: Problems) -> tuple[list[dict], list[dict]]:
    """``reference/runs.json`` and ``reference/claims.json``: what the project's runner measured."""
    out = []
    for name, needed in (("runs.json", REFERENCE_RUN_FIELDS), ("claims.json", REFERENCE_CLAIM_FIELDS)):
        path = root / name
        if not path.is_file():
            out.append([])
            continue
        try:
            items = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.add(str(path), "-", "-", f"not JSON: {exc}")
            out.append([])
            continue
        good = []
        for i, item in enumerate(items if isinstance(items, list) else []):
            missing = [f for f in needed if not isinstance(item, dict) or f not in item]
            if missing:
                problems.add(str(path), f"#{i + 1}", missing[0], "is required")
                continue
            good.append(item)
        out.append(good)
    return out[0], out[1]


def _read_json(path: Path, problems: Problems) -> Catalog:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        problems.add(str(path), "-", "-", f"not valid JSON: {exc}")
        return Catalog()
    if not isinstance(data, dict):
        problems.add(str(path), "-", "-", "expected a JSON object with a 'studies' list")
        return Catalog()
    f = str(path)
    catalog = Catalog()
    for name, reader, out in (
        ("reviews", _review_from_dict, catalog.reviews),
        ("datasets", _dataset_from_dict, catalog.datasets),
        ("tallies", _tally_from_dict, catalog.tallies),
    ):
        for item in _as_list(data.get(name, []), f, name, problems):
            rec = reader(item, f, problems)
            if rec:
                out.append(rec)
    for item in _as_list(data.get("studies", []), f, "studies", problems):
        if not isinstance(item, dict):
            problems.add(f, "-", "studies", "each study must be an object")
            continue
        rec = study_from_parts(item.get("bibtex") or {}, item, f, f, problems)
        if rec:
            catalog.studies.append(rec)
    _check_unique_citekeys(catalog.studies, f, problems)
    return catalog


CSV_JSON_COLUMNS = ("architectures", "translations", "results", "inclusions")
CSV_LIST_COLUMNS = ("families", "anatomy", "datasets")


def _read_csv(path: Path, problems: Problems) -> Catalog:
    f = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.add(f, "-", "-", f"not UTF-8 text: {exc}")
        return Catalog()
    catalog = Catalog()
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "citekey" not in reader.fieldnames:
        problems.add(f, "-", "citekey", "missing header row with a 'citekey' column")
        return catalog
    for line_no, row in enumerate(reader, start=2):
        key = (row.get("citekey") or "").strip() or f"line {line_no}"
        ann: dict[str, Any] = {"citekey": row.get("citekey"), "task": row.get("task"),
                               "notes": row.get("notes") or None,
                               "contrast_evidence": row.get("contrast_evidence") or None}
        for col in CSV_LIST_COLUMNS:
            ann[col] = [v.strip() for v in (row.get(col) or "").split(";") if v.strip()]
        for col in CSV_JSON_COLUMNS:
            cell = row.get(col) or "[]"
            try:
                ann[col] = json.loads(cell)
            except json.JSONDecodeError as exc:
                problems.add(f, key, col, f"not a JSON list: {exc}")
                ann[col] = []
        bibfields = {k: row[k] for k in ("title", "author", "year", "doi", "eprint", "pmid",
                                          "url", "evidence") if row.get(k)}
        bibfields["ENTRYTYPE"] = row.get("entry_type") or "article"
        venue_field = BIB_TYPES.get(bibfields["ENTRYTYPE"], "journal")
        if row.get("venue"):
            bibfields[venue_field] = row["venue"]
        rec = study_from_parts(bibfields, ann, f, f, problems)
        if rec:
            catalog.studies.append(rec)
    _check_unique_citekeys(catalog.studies, f, problems)
    return catalog


# --- BibTeX ---------------------------------------------------------------------------------


def parse_bibtex(text: str, file: str, problems: Problems) -> dict[str, tuple[str, dict[str, str]]]:
    """Parse BibTeX text into {citekey: (entry type, fields)}; malformed blocks are problems."""
    try:
        library = bibtexparser.parse_string(text)
    except Exception as exc:  # bibtexparser raises assorted errors on garbage input
        problems.add(file, "-", "-", f"BibTeX could not be parsed: {exc}")
        return {}
    for block in library.failed_blocks:
        kind = type(block).__name__
        key = getattr(block, "key", None) or "-"
        line = getattr(block, "start_line", None)
        where = f" (line {line + 1})" if isinstance(line, int) else ""
        if kind == "DuplicateBlockKeyBlock":
            problems.add(file, key, "citekey", f"duplicate citekey{where}")
        elif kind == "DuplicateFieldKeyBlock":
            problems.add(file, key, "-", f"a field is given twice{where}")
        else:
            problems.add(file, key, "-", f"malformed BibTeX entry{where}: {_short(block)}")
    out: dict[str, tuple[str, dict[str, str]]] = {}
    for entry in library.entries:
        fields = {}
        for k, v in entry.fields_dict.items():
            raw = str(v.value if hasattr(v, "value") else v)
            fields[k.lower()] = _clean_value(_decode_latex(raw) if k.lower() in LATEX_FIELDS else raw)
        out[entry.key] = (entry.entry_type.lower(), fields)
    return out


def _read_bib(path: Path, problems: Problems) -> dict[str, tuple[str, dict[str, str]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.add(str(path), "-", "-", f"not UTF-8 text: {exc}")
        return {}
    return parse_bibtex(text, str(path), problems)


#: Fields that hold prose and may carry LaTeX ({\\"u}, \\&); identifiers and URLs are kept verbatim.
LATEX_FIELDS = {"title", "author", "journal", "booktitle", "publisher", "keywords", "abstract", "note"}
_LATEX = LatexNodes2Text(math_mode="text", strict_latex_spaces=True)
_CASE_MACRO = re.compile(r"\\(MakeUppercase|uppercase|MakeLowercase|lowercase|textsc)\s*\{([^{}]*)\}")
_SUBSCRIPT = re.compile(r"(?<=\w)[_^]\{?(\w+)\}?")


def _case(m: re.Match) -> str:
    name, arg = m.group(1), m.group(2)
    return arg.lower() if "lower" in name.lower() else arg.upper()


def _decode_latex(text: str) -> str:
    """LaTeX to plain text: accents, ``\\uppercase{mr}`` -> ``MR``, ``$\\alpha$`` -> ``α``,
    ``T$_1$`` -> ``T1``; malformed LaTeX is kept as written."""
    if "\\" not in text and "$" not in text:
        return text
    text = _CASE_MACRO.sub(_case, text)
    try:
        out = _LATEX.latex_to_text(text)
    except Exception:  # malformed LaTeX: keep the text as written
        return text
    return _SUBSCRIPT.sub(r"\1", out) if "$" in text else out


def _clean_value(value: Any) -> str:
    text = str(value).strip()
    text = re.sub(r"(?<!\\)[{}]", "", text)
    return re.sub(r"\s+", " ", text)


def _short(block: Any) -> str:
    raw = getattr(block, "raw", "") or ""
    return raw.strip().splitlines()[0][:80] if raw.strip() else "empty block"


# --- YAML -----------------------------------------------------------------------------------


#: libyaml's parser when PyYAML was built with it (its wheels are): the same safe types,
#: about ten times faster than the pure-Python one (1.3 s of a first dashboard start)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml_list(path: Path, problems: Problems, required: bool) -> list[Any]:
    if not path.exists():
        if required:
            problems.add(str(path), "-", "-", "file is missing")
        return []
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except UnicodeDecodeError as exc:
        problems.add(str(path), "-", "-", f"not UTF-8 text: {exc}")
        return []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "-"
        problems.add(str(path), where, "-", f"YAML could not be parsed: {getattr(exc, 'problem', exc)}")
        return []
    if data is None:
        return []
    return _as_list(data, str(path), "-", problems)


def _as_list(data: Any, file: str, what: str, problems: Problems) -> list[Any]:
    if not isinstance(data, list):
        problems.add(file, "-", what, f"expected a list, got {type(data).__name__}")
        return []
    return data


# --- records from dicts -----------------------------------------------------------------


def study_from_parts(bib: dict[str, Any], ann: dict[str, Any], bib_file: str, ann_file: str,
                     problems: Problems) -> StudyRecord | None:
    """Build a study from its BibTeX fields and its annotation dict, checking every field."""
    key = ann.get("citekey")
    if not isinstance(key, str) or not CITEKEY_RE.match(key):
        problems.add(ann_file, str(key), "citekey", "citekey must be letters, digits, _ - : .")
        return None
    before = len(problems.items)
    bp = _FieldChecker(bib_file, key, problems)
    ap = _FieldChecker(ann_file, key, problems)

    entry_type = str(bib.get("ENTRYTYPE", bib.get("entry_type", "article"))).lower()
    venue_field = BIB_TYPES.get(entry_type)
    if venue_field is None:
        bp.fail("ENTRYTYPE", f"unsupported entry type {entry_type!r}; use one of {sorted(BIB_TYPES)}")
        venue_field = "journal"
    title = bp.text(bib, "title", required=True)
    authors = bp.text(bib, "author", required=True)
    year = bp.integer(bib, "year", required=True, lo=1950, hi=2100)
    venue = bp.text(bib, venue_field, required=True)
    doi = bp.pattern(bib, "doi", DOI_RE, "a DOI like 10.1109/TMI.2019.2901750")
    if doi:
        doi = doi.lower()
    arxiv = bp.pattern(bib, "eprint", ARXIV_RE, "an arXiv id like 2207.08208")
    pmid = bp.pattern(bib, "pmid", PMID_RE, "digits only")
    url = bp.pattern(bib, "url", URL_RE, "an http(s) URL")
    evidence = bp.pattern(bib, "evidence", URL_RE, "the http(s) URL where the facts were confirmed",
                          required=True)
    if not (doi or arxiv or pmid) and not any(bib.get(k) for k in ("doi", "eprint", "pmid")):
        bp.fail("doi", "needs at least one identifier: doi, eprint (arXiv id) or pmid")

    task = ap.term(ann, "task", V.TASK, required=True)
    families = ap.terms(ann, "families", V.FAMILY)
    anatomy = ap.terms(ann, "anatomy", V.ANATOMY_VOCAB)
    datasets = ap.strings(ann, "datasets")
    architectures = _architectures(ann.get("architectures", []), ap)
    translations = _translations(ann.get("translations", []), ap)
    results = _results(ann.get("results", []), ap, len(translations))
    inclusions = _inclusions(ann.get("inclusions", []), ap)
    notes = ann.get("notes")
    if notes is not None and not isinstance(notes, str):
        ap.fail("notes", "must be text")
        notes = None
    contrast_evidence = ap.pattern(ann, "contrast_evidence", URL_RE, "the http(s) URL where the MRI contrasts were read")
    if not families:
        ap.fail("families", "at least one model family is required")
    if len(problems.items) > before:
        return None
    peer_reviewed = not any(p in (venue or "").lower() for p in PREPRINT_VENUES)
    return StudyRecord(
        citekey=key, title=title, task=task, entry_type=entry_type, authors=authors, year=year,
        venue=venue, doi=doi, arxiv_id=arxiv, pmid=pmid, url=url, evidence_url=evidence,
        peer_reviewed=peer_reviewed, families=families, architectures=architectures,
        anatomy=anatomy, datasets=datasets, translations=translations, results=results,
        inclusions=inclusions, notes=notes, contrast_evidence=contrast_evidence,
    )


MAX_NAME = 100  # architecture and data-set names: the width of their columns


def _architectures(items: Any, ap: _FieldChecker) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for i, item in enumerate(ap.listish(items, "architectures")):
        where = f"architectures[{i}]"
        if isinstance(item, str):
            item = {"name": item, "role": "proposed"}
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            ap.fail(where, "expected {name: ..., role: proposed|baseline}")
            continue
        if len(item["name"].strip()) > MAX_NAME:
            ap.fail(f"{where}.name", f"longer than {MAX_NAME} characters: name the architecture, describe it in notes")
            continue
        role = item.get("role", "proposed")
        if role not in V.ROLES:
            ap.fail(f"{where}.role", f"must be one of {V.ROLES}, got {role!r}")
            continue
        pair = (item["name"].strip(), role)
        if pair not in out:
            out.append(pair)
    return out


def _translations(items: Any, ap: _FieldChecker) -> list[TranslationRecord]:
    out: list[TranslationRecord] = []
    for i, item in enumerate(ap.listish(items, "translations")):
        where = f"translations[{i}]"
        if not isinstance(item, dict):
            ap.fail(where, "expected {sources: [...], targets: [...], paired: bool, dims: 2D|3D}")
            continue
        sides = {}
        for side in ("sources", "targets"):
            vals = item.get(side)
            if isinstance(vals, str):
                vals = [vals]
            if not isinstance(vals, list) or not vals:
                ap.fail(f"{where}.{side}", "must be a non-empty list of modalities")
                continue
            codes = []
            for v in vals:
                try:
                    codes.append(V.MODALITY.normalise(v))
                except UnknownTerm as exc:
                    ap.fail(f"{where}.{side}", str(exc))
            # a side is a set: stored in vocabulary order so files and exports compare equal
            sides[side] = tuple(sorted(dict.fromkeys(codes), key=_MODALITY_ORDER.get))
        paired = item.get("paired")
        if paired is not None and not isinstance(paired, bool):
            ap.fail(f"{where}.paired", f"must be true, false or absent, got {paired!r}")
        dims = item.get("dims")
        if dims is not None:
            try:
                dims = V.DIMS_VOCAB.normalise(str(dims))
            except UnknownTerm as exc:
                ap.fail(f"{where}.dims", str(exc))
        if len(sides) == 2:
            out.append(TranslationRecord(sides["sources"], sides["targets"],
                                         paired if isinstance(paired, bool) else None, dims))
    return out


def _results(items: Any, ap: _FieldChecker, n_translations: int) -> list[ResultRecord]:
    out: list[ResultRecord] = []
    for i, item in enumerate(ap.listish(items, "results")):
        where = f"results[{i}]"
        if not isinstance(item, dict):
            ap.fail(where, "expected {metric, value, unit, evidence, ...}")
            continue
        try:
            metric = V.METRIC.normalise(item.get("metric"))
        except UnknownTerm as exc:
            ap.fail(f"{where}.metric", str(exc))
            continue
        value = item.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            ap.fail(f"{where}.value", f"must be a number, got {value!r}")
            continue
        evidence = item.get("evidence")
        if not isinstance(evidence, str) or not URL_RE.match(evidence):
            ap.fail(f"{where}.evidence", "must be the http(s) URL where the value was read")
            continue
        t = item.get("translation")
        if t is not None and (isinstance(t, bool) or not isinstance(t, int) or not 0 <= t < n_translations):
            ap.fail(f"{where}.translation", f"must index the study's translations (0..{n_translations - 1})")
            continue
        role = item.get("role")
        if role is not None and role not in V.ROLES:
            ap.fail(f"{where}.role", f"must be one of {V.ROLES}, got {role!r}")
            continue
        unit = item.get("unit", V.METRICS[metric][2])
        out.append(ResultRecord(metric=metric, value=float(value), unit=str(unit or ""),
                                evidence=evidence, translation=t,
                                dataset=_opt_str(item.get("dataset")), note=_opt_str(item.get("note")),
                                method=_opt_str(item.get("method")), role=role))
    return out


def _inclusions(items: Any, ap: _FieldChecker) -> list[InclusionRecord]:
    out: list[InclusionRecord] = []
    for i, item in enumerate(ap.listish(items, "inclusions")):
        where = f"inclusions[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("review"), str):
            ap.fail(where, "expected {review: key, status: confirmed|candidate|excluded, ref, section}")
            continue
        status = item.get("status")
        if status not in V.INCLUSION_STATUSES:
            ap.fail(f"{where}.status", f"must be one of {V.INCLUSION_STATUSES}, got {status!r}")
            continue
        ref = item.get("ref")
        if ref is not None and (isinstance(ref, bool) or not isinstance(ref, int)):
            ap.fail(f"{where}.ref", f"must be the review's reference number, got {ref!r}")
            continue
        if status == "excluded" and not item.get("reason"):
            ap.fail(f"{where}.reason", "an excluded study needs a reason")
            continue
        if status == "excluded" and V.exclusion_code(str(item["reason"])) is None:
            ap.fail(f"{where}.reason", "must start with a criterion code, one of "
                                       f"{sorted(V.EXCLUSION_REASONS)} (e.g. \"wrong-task: denoising\")")
            continue
        section = item.get("section")
        out.append(InclusionRecord(review=item["review"], status=status, ref=ref,
                                   section=None if section is None else str(section),
                                   reason=_opt_str(item.get("reason"))))
    return out


def _review_from_dict(item: Any, file: str, problems: Problems) -> ReviewRecord | None:
    if not isinstance(item, dict) or not isinstance(item.get("key"), str):
        problems.add(file, "-", "key", "each review needs a key")
        return None
    c = _FieldChecker(file, item["key"], problems)
    before = len(problems.items)
    rec = ReviewRecord(
        key=item["key"], title=c.text(item, "title", required=True),
        authors=c.text(item, "authors"), year=c.integer(item, "year", lo=1950, hi=2100),
        venue=c.text(item, "venue"), doi=c.pattern(item, "doi", DOI_RE, "a DOI"),
        pmid=c.pattern(item, "pmid", PMID_RE, "digits"), url=c.pattern(item, "url", URL_RE, "a URL"),
        evidence=c.pattern(item, "evidence", URL_RE, "a URL"),
        included_total=c.integer(item, "included_total", lo=0, hi=10**6),
        notes=c.text(item, "notes"),
    )
    return rec if len(problems.items) == before else None


def _dataset_from_dict(item: Any, file: str, problems: Problems) -> DatasetRecord | None:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        problems.add(file, "-", "name", "each dataset needs a name")
        return None
    c = _FieldChecker(file, item["name"], problems)
    before = len(problems.items)
    public = item.get("public")
    if public is not None and not isinstance(public, bool):
        c.fail("public", "must be true or false")
    evidence = item.get("evidence")
    if evidence is not None and not (isinstance(evidence, str) and (URL_RE.match(evidence) or evidence.startswith("seed:"))):
        c.fail("evidence", "must be an http(s) URL or seed:<file>")
    rec = DatasetRecord(
        name=item["name"], full_name=c.text(item, "full_name"),
        modalities=tuple(c.terms(item, "modalities", V.MODALITY)),
        anatomy=tuple(c.terms(item, "anatomy", V.ANATOMY_VOCAB)),
        subjects=c.integer(item, "subjects", lo=0, hi=10**8),
        sites=c.integer(item, "sites", lo=0, hi=10**5),
        public=public if isinstance(public, bool) else None,
        url=c.pattern(item, "url", URL_RE, "a URL"),
        evidence=evidence if isinstance(evidence, str) else None,
        notes=c.text(item, "notes"),
    )
    return rec if len(problems.items) == before else None


def _tally_from_dict(item: Any, file: str, problems: Problems) -> TallyRecord | None:
    if not isinstance(item, dict):
        problems.add(file, "-", "-", "each tally must be a mapping")
        return None
    entry = f"{item.get('location')}/{item.get('dimension')}/{item.get('key')}"
    c = _FieldChecker(file, entry, problems)
    before = len(problems.items)
    count = c.integer(item, "count", required=True, lo=0, hi=10**6)
    rec = TallyRecord(
        review=c.text(item, "review", required=True), location=c.text(item, "location", required=True),
        dimension=c.text(item, "dimension", required=True), key=c.text(item, "key", required=True),
        count=count if count is not None else 0, note=c.text(item, "note"),
    )
    return rec if len(problems.items) == before else None


def _check_unique_citekeys(studies: list[StudyRecord], file: str, problems: Problems) -> None:
    seen: set[str] = set()
    for s in studies:
        if s.citekey in seen:
            problems.add(file, s.citekey, "citekey", "duplicate citekey")
        seen.add(s.citekey)


def _opt_str(v: Any) -> str | None:
    return None if v is None else str(v)


class _FieldChecker:
    """Field readers that record a located problem instead of raising."""

    def __init__(self, file: str, entry: str, problems: Problems):
        self.file, self.entry, self.problems = file, entry, problems

    def fail(self, field: str, message: str) -> None:
        self.problems.add(self.file, self.entry, field, message)

    def text(self, d: dict, field: str, required: bool = False) -> str | None:
        v = d.get(field)
        if v is None or (isinstance(v, str) and not v.strip()):
            if required:
                self.fail(field, "is required")
            return None
        if not isinstance(v, (str, int, float)) or isinstance(v, bool):
            self.fail(field, f"must be text, got {type(v).__name__}")
            return None
        return str(v).strip()

    def integer(self, d: dict, field: str, required: bool = False, lo: int = 0, hi: int = 10**9) -> int | None:
        v = d.get(field)
        if v is None or v == "":
            if required:
                self.fail(field, "is required")
            return None
        try:
            if isinstance(v, bool) or (isinstance(v, float) and not v.is_integer()):
                raise ValueError
            n = int(str(v).strip())
        except ValueError:
            self.fail(field, f"must be a whole number, got {v!r}")
            return None
        if not lo <= n <= hi:
            self.fail(field, f"must be between {lo} and {hi}, got {n}")
            return None
        return n

    def pattern(self, d: dict, field: str, regex: re.Pattern, what: str, required: bool = False) -> str | None:
        v = self.text(d, field, required=required)
        if v is None:
            return None
        if not regex.match(v):
            self.fail(field, f"must be {what}, got {v!r}")
            return None
        return v

    def listish(self, v: Any, field: str) -> list[Any]:
        if v is None:
            return []
        if not isinstance(v, list):
            self.fail(field, f"must be a list, got {type(v).__name__}")
            return []
        return v

    def strings(self, d: dict, field: str) -> list[str]:
        out = []
        for v in self.listish(d.get(field), field):
            if not isinstance(v, str) or not v.strip():
                self.fail(field, f"entries must be non-empty text, got {v!r}")
                continue
            if v.strip() not in out:
                out.append(v.strip())
        return out

    def term(self, d: dict, field: str, vocab: V.Vocabulary, required: bool = False) -> str | None:
        v = d.get(field)
        if v is None:
            if required:
                self.fail(field, "is required")
            return None
        try:
            return vocab.normalise(v)
        except UnknownTerm as exc:
            self.fail(field, str(exc))
            return None

    def terms(self, d: dict, field: str, vocab: V.Vocabulary) -> list[str]:
        out: list[str] = []
        for v in self.listish(d.get(field), field):
            try:
                code = vocab.normalise(v)
            except UnknownTerm as exc:
                self.fail(field, str(exc))
                continue
            if code not in out:
                out.append(code)
        return out
