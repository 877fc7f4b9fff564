"""Relevance ranking for screening: the record most likely to be included, next.

Active learning as ASReview does it (a TF-IDF text model and a linear classifier,
retrained after every decision, certainty-based sampling), with what reviewdb knows of
the field added:

- features: TF-IDF over title, keywords and abstract (word uni- and bigrams, sublinear tf),
  plus the miner's proposals as tokens (``__task_translation``, ``__family_GAN``,
  ``__src_MRI``, ``__tgt_CT``, ``__oos_wrong-task``), so "MR-to-CT synthesis" and
  "synthetic CT from MR" meet in the same features;
- prior knowledge: the catalog's included studies are positive examples and its excluded
  ones negative from the first step, so a cold start (no decision yet) already ranks;
  records the screeners decided are added as they come;
- the classifier: scikit-learn's logistic regression with balanced class weights; the
  unlabelled records act as weak negatives (weight :data:`UNLABELLED_WEIGHT`) while fewer
  than :data:`MIN_NEGATIVES` real exclusions exist, the usual cure for one-class starts.

The vectoriser is fitted once per ranking session over every text (catalog + records);
each step refits only the classifier, so a step on 10,000 records takes well under a
second (``benchmarks/bench_screening.py`` prints it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from reviewdb.mining.rules import Annotation, mine

UNLABELLED_WEIGHT = 0.1
MIN_NEGATIVES = 10


def proposal_tokens(ann: Annotation) -> str:
    """The miner's proposals as tokens the text model can weigh."""
    toks = []
    if ann.task:
        toks.append(f"__task_{ann.task}")
    toks += [f"__family_{f}" for f in ann.values("family")]
    toks += [f"__src_{m}" for m in ann.modalities("sources")] + [f"__tgt_{m}" for m in ann.modalities("targets")]
    toks += [f"__oos_{v.split(':')[0]}" for v in ann.values("out_of_scope")]
    toks += ["__translation"] if ann.translations and ann.task == "translation" else []
    return " ".join(t.replace(" ", "_").replace(".", "_") for t in toks)


def document(title: str, keywords: str | None = None, abstract: str | None = None,
             proposals: list[dict] | None = None) -> str:
    """The text a record is ranked by: its words and the miner's proposals for them."""
    ann = Annotation.from_list(proposals) if proposals is not None else mine(title, keywords, abstract)
    return " ".join(x for x in (title, title, keywords or "", abstract or "", proposal_tokens(ann)) if x)


@dataclass
class Ranker:
    """A ranking session over a fixed set of records (plus the prior texts)."""

    docs: Sequence[str]
    prior_pos: Sequence[str] = ()
    prior_neg: Sequence[str] = ()
    seed: int = 0
    vectorizer: TfidfVectorizer = field(init=False)
    X: sparse.csr_matrix = field(init=False)
    P: sparse.csr_matrix = field(init=False)
    N: sparse.csr_matrix = field(init=False)

    def __post_init__(self) -> None:
        self.vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_df=0.9,
                                          stop_words="english", token_pattern=r"(?u)\b[\w_][\w\-_]+\b",
                                          lowercase=True)
        every = list(self.docs) + list(self.prior_pos) + list(self.prior_neg)
        M = self.vectorizer.fit_transform(every).tocsr()
        n, p = len(self.docs), len(self.prior_pos)
        self.X, self.P, self.N = M[:n], M[n:n + p], M[n + p:]

    def scores(self, labels: dict[int, int]) -> np.ndarray:
        """P(include) for every record, from a classifier fitted on the prior and ``labels``
        (record index -> 1 include / 0 exclude)."""
        idx = np.fromiter(labels, dtype=int, count=len(labels))
        y_lab = np.fromiter((labels[i] for i in idx), dtype=int, count=len(idx))
        parts = [self.P, self.N, self.X[idx]]
        y = [np.ones(self.P.shape[0], int), np.zeros(self.N.shape[0], int), y_lab]
        w = [np.ones(self.P.shape[0]), np.ones(self.N.shape[0]), np.ones(len(idx))]
        if self.N.shape[0] + int((y_lab == 0).sum()) < MIN_NEGATIVES:
            rest = np.setdiff1d(np.arange(self.X.shape[0]), idx)
            parts.append(self.X[rest])
            y.append(np.zeros(len(rest), int))
            w.append(np.full(len(rest), UNLABELLED_WEIGHT))
        y_all = np.concatenate(y)
        if len(set(y_all)) < 2:  # nothing to tell apart yet: keep the file's order
            return np.zeros(self.X.shape[0])
        clf = LogisticRegression(C=2.0, class_weight="balanced", max_iter=300, random_state=self.seed)
        clf.fit(sparse.vstack(parts).tocsr(), y_all, sample_weight=np.concatenate(w))
        self.model = clf
        return clf.predict_proba(self.X)[:, 1]

    def why(self, i: int, k: int = 6) -> list[str]:
        """The terms of record ``i`` that raised its score most (after :meth:`scores`)."""
        row = self.X[i]
        contrib = row.multiply(self.model.coef_[0]).tocsr()
        order = np.argsort(contrib.data)[::-1][:k]
        names = self.vectorizer.get_feature_names_out()
        return [_readable(names[contrib.indices[j]]) for j in order if contrib.data[j] > 0]


_TOKEN_LABELS = {"__task_": "task ", "__family_": "family ", "__src_": "from ", "__tgt_": "to ",
                 "__oos_": "out of scope: ", "__translation": "translation"}


def _readable(term: str) -> str:
    """``__family_gan`` -> ``family gan``: the proposal tokens as a reviewer reads them."""
    for prefix, label in _TOKEN_LABELS.items():
        term = term.replace(prefix, label)
    return term


def next_records(ranker: Ranker, labels: dict[int, int], candidates: Iterable[int], n: int = 1
                 ) -> list[tuple[int, float, list[str]]]:
    """The ``n`` undecided candidates most likely to be included: (index, score, top terms)."""
    s = ranker.scores(labels)
    cand = np.fromiter(candidates, dtype=int)
    if not len(cand):
        return []
    top = cand[np.argsort(-s[cand], kind="stable")[:n]]
    explain = hasattr(ranker, "model")
    return [(int(i), float(s[i]), ranker.why(int(i)) if explain else []) for i in top]


__all__ = ["Ranker", "document", "proposal_tokens", "next_records"]
