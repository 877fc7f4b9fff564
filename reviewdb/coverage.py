"""The catalog against the review: coverage of each reported tally, and the review's own
inconsistencies.

The review's counts live in ``reported_tally`` (from ``data/tallies.yaml``); here the
catalog is counted by the same rules so the two can stand side by side. The rules are
code, written once:

- ``total``: studies the review includes (confirmed + candidate).
- ``task``: included studies of that task.
- ``anatomy`` ``task/region``: included studies of that task on that region.
- ``source`` / ``target`` / ``pair`` at Figure 8: a study counts once per top-level
  modality it translates from / into / per (from, into) pair, across modalities only.
- ``target`` at Section 7: studies translating into that modality (also within it),
  except contrast-enhancement translations, which Section 7 counts apart.
- ``subset`` intra-MRI / other -> MRI / contrast-enhanced: see :func:`_subset_matches`.
- ``pair`` at Figure 9a: single-contrast MRI pairs; ``group`` at Figure 9b:
  multi-contrast (sources) -> (targets) groups.
"""

from __future__ import annotations

import pandas as pd

from reviewdb import query as Q
from reviewdb import vocabulary as V

CONTRAST_ENHANCED = {"CT:CECT", "MRI:T1ce"}

#: Tallies that report the same quantity under different names, in different places.
EQUIVALENT = [
    ("Studies translating other modalities into MRI",
     ("Figure 8", "target", "MRI"), ("Section 7", "subset", "other -> MRI")),
    ("Studies translating into CT", ("Figure 8", "target", "CT"), ("Section 7", "target", "CT")),
    ("Studies translating into X-ray", ("Figure 8", "target", "X-ray"), ("Section 7", "target", "X-ray")),
    ("Studies translating into PET", ("Figure 8", "target", "PET"), ("Section 7", "target", "PET")),
    ("Studies translating into US", ("Figure 8", "target", "US"), ("Section 7", "target", "US")),
]

#: (name, parts that should add up, the whole they should give)
SUM_CHECKS = [
    ("Section 7 categories add up to the included total",
     [("Section 7", "task", t) for t in ("creation.classification", "creation.segmentation", "creation.other")]
     + [("Section 7", "target", m) for m in ("MRI", "CT", "X-ray", "PET", "US")]
     + [("Section 7", "subset", "contrast-enhanced")],
     ("Section 3", "total", "included")),
    ("MRI studies = intra-MRI + from other modalities",
     [("Section 7", "subset", "intra-MRI"), ("Section 7", "subset", "other -> MRI")],
     ("Section 7", "target", "MRI")),
    ("Figure 8 sources and targets count the same studies",
     [("Figure 8", "source", m) for m in V.TOP_MODALITIES],
     [("Figure 8", "target", m) for m in ("CT", "MRI", "PET", "X-ray", "US")]),
]


def summary(url: str | None = None, review: str = Q.DEFAULT_REVIEW) -> dict:
    """Headline numbers: catalogued studies vs the review's total, by inclusion status."""
    included = Q.included_studies(url, review)
    statuses = Q.counts_by("status", url=url)
    results = Q.reported_results(url=url)
    reviews = Q.reviews(url)
    total = reviews.loc[reviews["key"] == review, "included_total"]
    by_status = dict(zip(statuses["status"], statuses["studies"]))
    return dict(
        catalogued=Q.count_studies(url=url),
        included=len(included),
        review_total=int(total.iloc[0]) if len(total) and pd.notna(total.iloc[0]) else None,
        confirmed=int(by_status.get("confirmed", 0)),
        candidate=int(by_status.get("candidate", 0)),
        excluded=int(by_status.get("excluded", 0)),
        with_results=int(results["citekey"].nunique()) if len(results) else 0,
        results=len(results),
    )


def coverage_table(url: str | None = None, review: str = Q.DEFAULT_REVIEW) -> pd.DataFrame:
    """Each tally the review reports beside the catalog's count by the same rule."""
    tallies = Q.reported_tallies(url, review)
    trans = Q.translation_table(url, review)
    trans = trans[trans["task"] == "translation"]
    studies = Q.included_studies(url, review)
    top = Q.pair_matrix(url=url, review=review)
    mri = Q.pair_matrix(url=url, level="MRI", review=review)
    groups = Q.contrast_groups(url=url)
    rows = []
    for t in tallies.itertuples():
        catalog = _catalog_count(t.location, t.dimension, t.key, trans, studies, top, mri, groups)
        rows.append(dict(location=t.location, dimension=t.dimension, key=t.key, reported=t.count,
                         catalog=catalog, difference=None if catalog is None else catalog - t.count,
                         note=t.note))
    return pd.DataFrame(rows, columns=["location", "dimension", "key", "reported", "catalog",
                                       "difference", "note"])


def _catalog_count(location, dimension, key, trans, studies, top, mri, groups) -> int | None:
    if dimension == "total":
        return len(studies)
    if dimension == "task":
        return int((studies["task"] == key).sum())
    if dimension == "anatomy":
        task, _, region = key.partition("/")
        return int(((studies["task"] == task) & studies["anatomy"].map(lambda a: region in a)).sum())
    if dimension == "pair":
        src, _, tgt = (p.strip() for p in key.partition("->"))
        table = mri if ":" in src else top
        hit = table[(table["source"] == src) & (table["target"] == tgt)]
        return int(hit["catalog"].iloc[0]) if len(hit) else 0
    if dimension == "group":
        hit = groups[groups["group"] == key]
        return int(hit["studies"].iloc[0]) if len(hit) else 0
    if dimension in ("source", "target") and location.startswith("Figure 8"):
        col = "source" if dimension == "source" else "target"
        keep = trans.apply(lambda r: _crosses(r, key, col), axis=1) if len(trans) else []
        return int(trans.loc[keep, "citekey"].nunique()) if len(trans) else 0
    if dimension == "target":
        keep = trans.apply(lambda r: key in _tops(r.targets) and not _is_contrast(r), axis=1) if len(trans) else []
        return int(trans.loc[keep, "citekey"].nunique()) if len(trans) else 0
    if dimension == "subset":
        keep = trans.apply(lambda r: _subset_matches(key, r), axis=1) if len(trans) else []
        return int(trans.loc[keep, "citekey"].nunique()) if len(trans) else 0
    return None


def _tops(codes) -> set[str]:
    return {V.top_level(c) for c in codes if V.is_imaging(c)}


def _crosses(row, modality: str, side: str) -> bool:
    """Figure 8 rule: the translation goes between two different top-level modalities."""
    src, tgt = _tops(row.sources), _tops(row.targets)
    pairs = {(a, b) for a in src for b in tgt if a != b}
    return any((a if side == "source" else b) == modality for a, b in pairs)


def _is_contrast(row) -> bool:
    """Non-contrast <-> contrast-enhanced within one modality (NCCT -> CECT, T1 -> T1ce)."""
    src, tgt = set(row.sources), set(row.targets)
    if len(_tops(src) | _tops(tgt)) != 1:
        return False
    return (tgt <= CONTRAST_ENHANCED and not src & CONTRAST_ENHANCED) or \
           (src <= CONTRAST_ENHANCED and not tgt & CONTRAST_ENHANCED)


def _subset_matches(key: str, row) -> bool:
    src, tgt = _tops(row.sources), _tops(row.targets)
    if key == "intra-MRI":
        return src == {"MRI"} and tgt == {"MRI"} and not _is_contrast(row)
    if key == "other -> MRI":
        return "MRI" in tgt and bool(src - {"MRI"})
    if key == "contrast-enhanced":
        return _is_contrast(row)
    return False


def inconsistencies(url: str | None = None, review: str = Q.DEFAULT_REVIEW) -> pd.DataFrame:
    """Where the review contradicts itself: one quantity given two values, and sums that fail.

    Columns: topic, statement, values, consistent.
    """
    tallies = Q.reported_tallies(url, review)
    value = {(r.location, r.dimension, r.key): int(r.count) for r in tallies.itertuples()}
    rows = []
    by_key: dict[tuple, list] = {}
    for (loc, dim, key), n in value.items():
        by_key.setdefault((dim, key), []).append((loc, n))
    for (dim, key), found in sorted(by_key.items()):
        # a task or total means the same wherever it is given; source/target counts
        # differ in meaning between Figure 8 and Section 7 (see EQUIVALENT)
        if dim in ("task", "total") and len({n for _, n in found}) > 1:
            rows.append(_row(f"{dim} {key}", found))  # e.g. a task count given twice
    for topic, a, b in EQUIVALENT:
        if a in value and b in value and value[a] != value[b]:
            rows.append(_row(topic, [(a[0], value[a]), (b[0], value[b])]))
    for name, parts, whole in SUM_CHECKS:
        whole = whole if isinstance(whole, list) else [whole]
        if not all(p in value for p in parts + whole):
            continue
        got, want = sum(value[p] for p in parts), sum(value[w] for w in whole)
        rows.append(dict(topic=name, statement=" + ".join(str(value[p]) for p in parts) + f" = {got}",
                         values=f"{got} vs {want}", consistent=got == want))
    return pd.DataFrame(rows, columns=["topic", "statement", "values", "consistent"])


def _row(topic: str, found: list[tuple[str, int]]) -> dict:
    text = "; ".join(f"{loc}: {n}" for loc, n in found)
    return dict(topic=topic, statement=text, values=" vs ".join(str(n) for _, n in found), consistent=False)
