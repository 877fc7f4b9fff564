"""Measure the miner against curated annotations: precision, recall and F1 per field.

Fields: ``source`` / ``target`` are the Figure 8 top-level imaging modalities (MRI, CT,
CBCT, PET, X-ray, US) on each side of a study's translations; ``creation_input`` the
pseudo-modalities creation starts from (noise, label-map, text); ``*_child`` the child
codes (MRI:T1, CT:CECT ...) where the curated annotation has them.

A *truth* is the curated annotation of one study reduced to sets of values per field
(:class:`Truth`); a prediction is the same reduction of an :class:`~reviewdb.mining.rules.Annotation`.
Scores are micro-averaged over (study, value) pairs; the task is scored as accuracy.
Truths come from the query API (``query.find_studies`` on a loaded database) or straight
from catalog records (which also carry paired/unpaired and 2D/3D).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd

from reviewdb import vocabulary as V
from reviewdb.vocabulary import architecture_norm
from reviewdb.catalog.records import StudyRecord
from reviewdb.mining.rules import Annotation, mine

SET_FIELDS = ("source", "target", "creation_input", "source_child", "target_child", "family", "architecture",
              "anatomy", "dataset", "paired", "dims")


@dataclass
class Truth:
    citekey: str
    title: str
    task: str
    values: dict[str, set] = field(default_factory=dict)


def _sides(pairs: Iterable[tuple[Iterable[str], Iterable[str]]]) -> dict[str, set]:
    out = {k: set() for k in ("source", "target", "creation_input", "source_child", "target_child")}
    for sources, targets in pairs:
        for side, codes in (("source", sources), ("target", targets)):
            for c in codes:
                if not V.is_imaging(c):  # noise / label-map / text: what creation starts from
                    out["creation_input"].add(c)
                    continue
                out[side].add(V.top_level(c))
                if ":" in c:
                    out[f"{side}_child"].add(c)
    return out


def truth_from_record(rec: StudyRecord) -> Truth:
    vals = _sides((t.sources, t.targets) for t in rec.translations)
    vals["family"] = set(rec.families)
    vals["architecture"] = {architecture_norm(a) for a, role in rec.architectures if role == "proposed"}
    vals["anatomy"] = set(rec.anatomy)
    vals["dataset"] = {d.lower() for d in rec.datasets}
    vals["paired"] = {t.paired for t in rec.translations if t.paired is not None}
    vals["dims"] = {t.dims for t in rec.translations if t.dims}
    return Truth(rec.citekey, rec.title, rec.task, vals)


def _parse_label(label: str) -> tuple[list[str], list[str]]:
    left, _, right = label.partition(" -> ")
    def side(s):
        return [c.strip() for c in s.strip().strip("()").split(",") if c.strip()]
    return side(left), side(right)


def truths_from_frame(frame: pd.DataFrame) -> list[Truth]:
    """Truths from ``query.find_studies`` (its text columns; no paired/dims there)."""
    out = []
    for row in frame.itertuples(index=False):
        def split(cell):
            return [x.strip() for x in str(cell or "").split(";") if x.strip()]
        vals = _sides(_parse_label(p) for p in split(row.pairs))
        vals["family"] = set(split(row.families))
        vals["architecture"] = {architecture_norm(a) for a in split(row.architectures)
                                if not a.endswith("(baseline)")}
        vals["anatomy"] = set(split(row.anatomy))
        vals["dataset"] = {d.lower() for d in split(row.datasets)}
        out.append(Truth(row.citekey, row.title, row.task, vals))
    return out


def predicted(ann: Annotation) -> tuple[str | None, dict[str, set]]:
    vals = _sides(ann.translations)
    vals["family"] = set(ann.values("family"))
    vals["architecture"] = {architecture_norm(a) for a in ann.values("architecture")}
    vals["anatomy"] = set(ann.values("anatomy"))
    vals["dataset"] = {d.lower() for d in ann.values("dataset")}
    vals["paired"] = set(ann.values("paired"))
    vals["dims"] = set(ann.values("dims"))
    return ann.task, vals


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r and p == p and r == r else float("nan")


@dataclass
class Evaluation:
    n: int
    scores: dict[str, Score]
    task_correct: int
    misses: list[dict]
    has_pairing: bool

    @property
    def task_accuracy(self) -> float:
        return self.task_correct / self.n if self.n else float("nan")

    def table(self) -> pd.DataFrame:
        rows = [dict(field=f, precision=s.precision, recall=s.recall, f1=s.f1, tp=s.tp, fp=s.fp, fn=s.fn)
                for f, s in self.scores.items()]
        rows.append(dict(field="task (accuracy)", precision=self.task_accuracy, recall=self.task_accuracy,
                         f1=self.task_accuracy, tp=self.task_correct, fp=self.n - self.task_correct, fn=0))
        return pd.DataFrame(rows)

    def worst(self, name: str, k: int = 8) -> list[dict]:
        """The studies with the most errors in field ``name`` (task: the wrong ones)."""
        rows = [m for m in self.misses if m["field"] == name]
        return sorted(rows, key=lambda m: -(len(m.get("missed", ())) + len(m.get("extra", ()))))[:k]


def evaluate(truths: list[Truth], datasets: Iterable[str] = (), stated_only: bool = False) -> Evaluation:
    """Mine every truth's title and score the proposals field by field.

    :param stated_only: ignore proposals made by ``assumed: ...`` rules (priors used when a
        title names no modality or no model family), i.e. score only what titles state.
    """
    known = tuple(datasets)
    has_pairing = any(t.values.get("paired") or t.values.get("dims") for t in truths)
    fields = SET_FIELDS if has_pairing else tuple(f for f in SET_FIELDS if f not in ("paired", "dims"))
    scores = {f: Score() for f in fields}
    correct = 0
    misses: list[dict] = []
    for t in truths:
        ann = mine(t.title, datasets=known)
        if stated_only:
            ann = Annotation([p for p in ann.proposals if not p.rule.startswith("assumed")])
        task, vals = predicted(ann)
        if task == t.task:
            correct += 1
        else:
            misses.append(dict(field="task", citekey=t.citekey, title=t.title, truth=t.task, got=task))
        for f in fields:
            truth, got = t.values.get(f, set()), vals.get(f, set())
            s = scores[f]
            s.tp += len(truth & got)
            s.fp += len(got - truth)
            s.fn += len(truth - got)
            if truth != got:
                misses.append(dict(field=f, citekey=t.citekey, title=t.title,
                                   missed=sorted(map(str, truth - got)), extra=sorted(map(str, got - truth)),
                                   why=[str(p) for p in ann.proposals if p.field in (f.split("_")[0], "translation")]))
    return Evaluation(len(truths), scores, correct, misses, has_pairing)


def lenient_records(root: str | Path) -> tuple[list[StudyRecord], list[str]]:
    """Studies of a catalog directory that validate on their own, and the keys that do not.

    For measuring while the catalog is being edited: a problem in one study (or a
    duplicate citekey) leaves that study out instead of failing the whole read.
    """
    import yaml

    from reviewdb.catalog.reader import Problems, parse_bibtex, study_from_parts

    root = Path(root)
    bib: dict[str, tuple[str, dict]] = {}
    for f in sorted((root / "references").glob("*.bib")):
        for key, (etype, fields) in parse_bibtex(f.read_text(encoding="utf-8"), str(f), Problems()).items():
            bib.setdefault(key, (etype, fields))
    out, skipped, seen = [], [], set()
    for f in sorted((root / "studies").glob("*.yaml")):
        for item in yaml.load(f.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or []:
            key = item.get("citekey") if isinstance(item, dict) else None
            if not key or key in seen or key not in bib:
                skipped.append(str(key))
                continue
            seen.add(key)
            etype, fields = bib[key]
            rec = study_from_parts({"ENTRYTYPE": etype, **fields}, item, str(f), str(f), Problems())
            (out.append(rec) if rec else skipped.append(key))
    return out, skipped


# --- an external, hand-labelled set ------------------------------------------------------------


@dataclass
class Labelled:
    """One labelled entry of an external bibliography (benchmarks/mining_eval/labels.csv)."""

    file: str
    key: str
    on_topic: bool
    task: str | None
    source: set[str]
    target: set[str]
    family: set[str]
    title: str = ""
    keywords: str | None = None
    abstract: str | None = None


def read_labels(labels_csv: str | Path, sources: str | Path) -> tuple[list[Labelled], list[str]]:
    """The labelled entries with their text from the source files; keys not found are returned apart."""
    from reviewdb.catalog.reader import Problems
    from reviewdb.mining.bibfile import iter_entries
    from reviewdb.mining.formats import sniff_encoding

    frame = pd.read_csv(labels_csv, dtype=str, keep_default_na=False)
    texts: dict[tuple[str, str], object] = {}
    for name in sorted(set(frame["file"])):
        path = Path(sources) / name
        for e in iter_entries(path, Problems(), sniff_encoding(path)):
            texts[(name, e.citekey)] = e
    out, missing = [], []
    split = lambda cell: {x.strip() for x in str(cell).split(";") if x.strip()}  # noqa: E731
    for row in frame.itertuples(index=False):
        e = texts.get((row.file, row.key))
        if e is None:
            missing.append(f"{row.file}:{row.key}")
            continue
        out.append(Labelled(row.file, row.key, row.on_topic.strip() == "1", row.task or None, split(row.source),
                            split(row.target), split(row.family), e.title, e.keywords, e.abstract))
    return out, missing


@dataclass
class ExternalScores:
    n_on: int
    n_off: int
    scores: dict[str, Score]
    task_correct: int
    kind_correct: int
    family_exact: int
    flag: Score
    misses: list[dict]

    def table(self) -> pd.DataFrame:
        rows = [dict(field=f, precision=s.precision, recall=s.recall, f1=s.f1, tp=s.tp, fp=s.fp, fn=s.fn)
                for f, s in self.scores.items()]
        rows += [dict(field="task (accuracy)", f1=self.task_correct / self.n_on),
                 dict(field="translation vs creation (accuracy)", f1=self.kind_correct / self.n_on),
                 dict(field="family (exact-set accuracy)", f1=self.family_exact / self.n_on),
                 dict(field="out-of-scope flag", precision=self.flag.precision, recall=self.flag.recall,
                      f1=self.flag.f1, tp=self.flag.tp, fp=self.flag.fp, fn=self.flag.fn)]
        return pd.DataFrame(rows)


def evaluate_external(items: list[Labelled], datasets: Iterable[str] = ()) -> ExternalScores:
    """Mine title, keywords and abstract of each labelled entry and score it.

    On-topic entries: top-level source/target modality sets (micro P/R/F1), the task, the
    translation-vs-creation split and the model-family set. Every entry: the out-of-scope
    flag against the label (a flag on an on-topic entry is a false positive).
    """
    known = tuple(datasets)
    scores = {f: Score() for f in ("source", "target", "family")}
    task = kind = fam = 0
    flag = Score()
    misses: list[dict] = []
    on = [i for i in items if i.on_topic]
    for it in items:
        ann = mine(it.title, it.keywords, it.abstract, datasets=known)
        flagged = bool(ann.values("out_of_scope"))
        if flagged and not it.on_topic:
            flag.tp += 1
        elif flagged:
            flag.fp += 1
            misses.append(dict(field="flag", key=it.key, title=it.title, got=ann.values("out_of_scope")))
        elif not it.on_topic:
            flag.fn += 1
        if not it.on_topic:
            continue
        got_task, vals = predicted(ann)
        task += got_task == it.task
        kind += (got_task == "translation") == (it.task == "translation")
        if got_task != it.task:
            misses.append(dict(field="task", key=it.key, title=it.title, truth=it.task, got=got_task))
        for f, truth in (("source", it.source), ("target", it.target), ("family", it.family)):
            got = vals[f]
            s = scores[f]
            s.tp, s.fp, s.fn = s.tp + len(truth & got), s.fp + len(got - truth), s.fn + len(truth - got)
            if truth != got:
                misses.append(dict(field=f, key=it.key, title=it.title, missed=sorted(truth - got),
                                   extra=sorted(got - truth)))
        fam += vals["family"] == it.family
    return ExternalScores(len(on), len(items) - len(on), scores, task, kind, fam, flag, misses)
