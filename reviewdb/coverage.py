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
- ``subset`` intra-MRI (MRI -> MRI, not contrast enhancement) / other -> MRI (an MRI
  target from a non-MRI source) / contrast-enhanced (:func:`_is_contrast`).
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
    included = Q.count_included(url, review)
    by_status = Q.count_by_status(url)
    n_results, n_with_results = Q.count_results(url)
    reviews = Q.reviews(url)
    total = reviews.loc[reviews["key"] == review, "included_total"]
    return dict(
        catalogued=Q.count_studies(url=url) + int(by_status.get("excluded", 0)),
        included=included,
        review_total=int(total.iloc[0]) if len(total) and pd.notna(total.iloc[0]) else None,
        confirmed=int(by_status.get("confirmed", 0)),
        candidate=int(by_status.get("candidate", 0)),
        excluded=int(by_status.get("excluded", 0)),
        with_results=n_with_results,
        results=n_results,
    )


def coverage_table(url: str | None = None, review: str = Q.DEFAULT_REVIEW) -> pd.DataFrame:
    """Each tally the review reports beside the catalog's count by the same rule, and
    beside the count of catalogued studies excluded as failing the review's criteria."""
    tallies = Q.reported_tallies(url, review)
    counts = _catalog_counts(url, review)
    dropped = _catalog_counts(url, review, excluded=True)
    rows = []
    for t in tallies.itertuples():
        catalog = counts(t.location, t.dimension, t.key)
        rows.append(dict(location=t.location, dimension=t.dimension, key=t.key, reported=t.count,
                         catalog=catalog, difference=None if catalog is None else catalog - t.count,
                         excluded=dropped(t.location, t.dimension, t.key), note=t.note))
    return pd.DataFrame(rows, columns=["location", "dimension", "key", "reported", "catalog",
                                       "difference", "excluded", "note"])


def shape_summary(table: pd.DataFrame, n: int = 4) -> str:
    """One line: where the catalog is thinnest and thickest against the review's tallies.

    Relative shortfall/excess (catalog / reported), over tallies of at least 4 studies.
    """
    t = table.dropna(subset=["catalog"])
    t = t[(t["reported"] >= 4) & (t["dimension"] != "total")]
    if t.empty:
        return "no tally to compare"
    ratio = t["catalog"] / t["reported"]
    label = t["location"] + " " + t["key"] + " " + t["catalog"].astype(int).astype(str) + "/" + t["reported"].astype(str)
    thin = label[ratio < 0.8].loc[ratio[ratio < 0.8].sort_values().index][:n]
    thick = label[ratio > 1.25].loc[ratio[ratio > 1.25].sort_values(ascending=False).index][:n]
    parts = [f"thin: {'; '.join(thin)}" if len(thin) else "thin: none below 80 %",
             f"thick: {'; '.join(thick)}" if len(thick) else "thick: none above 125 %"]
    return " | ".join(parts)


def _catalog_counts(url: str | None, review: str, excluded: bool = False):
    """Count the catalog once per rule (grouped, not per tally) and answer tally by tally.

    Everything is counted from one translation table, so the included studies and the
    studies excluded as failing the criteria are counted by exactly the same rules.
    """
    studies = Q.included_studies(url, review, excluded=excluded)
    trans = Q.translation_table(url, review, excluded=excluded)
    every = trans
    trans = trans[trans["task"] == "translation"].copy()
    trans["src_tops"] = trans["sources"].map(_tops)
    trans["tgt_tops"] = trans["targets"].map(_tops)
    trans["cross"] = [{(a, b) for a in s for b in t if a != b} for s, t in zip(trans["src_tops"], trans["tgt_tops"])]
    trans["contrast"] = [_is_contrast(s, t) for s, t in zip(trans["sources"], trans["targets"])]

    def studies_per(column: pd.Series) -> dict:
        long = pd.DataFrame({"citekey": trans["citekey"], "key": column}).explode("key").dropna()
        return long.drop_duplicates().groupby("key")["citekey"].size().to_dict()

    fig8_src = studies_per(trans["cross"].map(lambda ps: [a for a, _ in ps]))
    fig8_tgt = studies_per(trans["cross"].map(lambda ps: [b for _, b in ps]))
    sec7_tgt = studies_per(trans["tgt_tops"].map(list).where(~trans["contrast"], None))
    mri_src, mri_tgt = trans["src_tops"] == {"MRI"}, trans["tgt_tops"] == {"MRI"}
    subsets = {
        "intra-MRI": trans.loc[mri_src & mri_tgt & ~trans["contrast"], "citekey"].nunique(),
        "other -> MRI": trans.loc[trans["tgt_tops"].map(lambda t: "MRI" in t)
                                  & trans["src_tops"].map(lambda s: bool(s - {"MRI"})), "citekey"].nunique(),
        "contrast-enhanced": trans.loc[trans["contrast"], "citekey"].nunique(),
    }
    top, mri, groups = _pair_counts(every)
    task_counts = studies["task"].value_counts().to_dict()

    def count(location: str, dimension: str, key: str) -> int | None:
        if dimension == "total":
            return len(studies)
        if dimension == "task":
            return int(task_counts.get(key, 0))
        if dimension == "anatomy":
            task, _, region = key.partition("/")
            return int(((studies["task"] == task) & studies["anatomy"].map(lambda a: region in a)).sum())
        if dimension == "pair":
            src, _, tgt = (p.strip() for p in key.partition("->"))
            return int((mri if ":" in src else top).get((src, tgt), 0))
        if dimension == "group":
            return int(groups.get(key, 0))
        if dimension in ("source", "target") and location.startswith("Figure 8"):
            return int((fig8_src if dimension == "source" else fig8_tgt).get(key, 0))
        if dimension == "target":
            return int(sec7_tgt.get(key, 0))
        if dimension == "subset":
            return int(subsets[key]) if key in subsets else None
        return None

    return count


def _pair_counts(trans: pd.DataFrame) -> tuple[dict, dict, dict]:
    """Studies per top-level pair (Figure 8), per MRI contrast pair (9a) and per
    multi-contrast group (9b), by the rules of :func:`reviewdb.query.pair_matrix` and
    :func:`reviewdb.query.contrast_groups`, over every task."""
    mri_codes = set(Q.pair_codes("MRI"))
    top, mri, groups = {}, {}, {}
    for key, sources, targets in zip(trans["citekey"], trans["sources"], trans["targets"]):
        for a in _tops(sources):
            for b in _tops(targets):
                if a != b:
                    top.setdefault((a, b), set()).add(key)
        if len(sources) == 1 and len(targets) == 1:
            if sources[0] in mri_codes and targets[0] in mri_codes and sources[0] != targets[0]:
                mri.setdefault((sources[0], targets[0]), set()).add(key)
        elif set(sources) | set(targets) <= mri_codes:
            groups.setdefault(Q.translation_label(sources, targets), set()).add(key)
    return tuple({k: len(v) for k, v in d.items()} for d in (top, mri, groups))


def _tops(codes) -> frozenset[str]:
    return frozenset(V.top_level(c) for c in codes if V.is_imaging(c))


def _is_contrast(sources, targets) -> bool:
    """Non-contrast <-> contrast-enhanced within one modality (NCCT -> CECT, T1 -> T1ce)."""
    src, tgt = set(sources), set(targets)
    if len(_tops(src) | _tops(tgt)) != 1:
        return False
    return (tgt <= CONTRAST_ENHANCED and not src & CONTRAST_ENHANCED) or \
           (src <= CONTRAST_ENHANCED and not tgt & CONTRAST_ENHANCED)


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
