"""Duplicates: the same paper by DOI, by arXiv id, or by a near-identical normalised title.

Titles are compared after :func:`~reviewdb.catalog.records.normalise_title` (lower-case
ASCII words; LaTeX, braces, accents and punctuation gone) with rapidfuzz's
``fuzz.ratio`` (normalised Indel similarity, 0-100).

Threshold, measured (``python benchmarks/bench_mining.py``, bundled catalog, the 242
titles that validated on 2026-11-23; the benchmark reprints these numbers on every run):

- true duplicates: each catalog title perturbed six times the ways exports differ (case,
  braces, LaTeX accents, punctuation/hyphens, a dropped or added word, one or two typos,
  a dropped word *and* a typo, a trailing period, British/American spelling): 1,452
  pairs; score min 84.1, 1st percentile 90.3, 5th percentile 93.2, median 99.7;
- distinct titles: every pair of different catalog studies (29,161 pairs): max 82.4,
  99.9th percentile 70.9, 99th 61.2. The nearest distinct pair is two method papers on
  pulmonary-nodule classification with GAN-trained CNNs (82.4).

Duplicate recall / distinct pairs matched: at 85: 99.93 % / 0; at **88**: 99.72 % / 0; at
90: 99.24 % / 0; at 92: 97.0 % / 0; at 80 two distinct pairs already match. 88 leaves a
margin of ~5.6 points above the closest distinct pair (a larger catalog will have closer
neighbours) and still finds 99.7 % of perturbed duplicates; the misses are a dropped word
*and* a typo in a short title, which the DOI / arXiv checks usually catch. Identifiers
always win: the same DOI or arXiv id is a duplicate whatever the titles say.

Within a large file every title is compared only with titles sharing a blocking key (its
first or last three words, its two longest words, or its first or last 14 letters), so a
50,000-entry file needs ~10^6 comparisons instead of 10^9. Measured: 99.3 % of perturbed
duplicates share a key with their original; in the benchmark's 50,000-entry file, 2,472
of 2,477 planted duplicates were flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from reviewdb.catalog.records import normalise_title

THRESHOLD = 88.0
BLOCK_CAP = 400


@dataclass(frozen=True)
class Match:
    """Why an entry is a duplicate: ``kind`` is doi, arxiv, title or fuzzy-title."""

    ref: str
    kind: str
    score: float

    def describe(self) -> str:
        if self.kind == "fuzzy-title":
            return f"title {self.score:.1f}% similar to {self.ref}"
        return f"same {self.kind} as {self.ref}"


def blocking_keys(norm: str) -> list[str]:
    words = norm.split()
    if not words:
        return []
    keys = ["p:" + " ".join(words[:3]), "s:" + " ".join(words[-3:])]
    longest = sorted(sorted(set(words)), key=len, reverse=True)[:2]
    keys.append("l:" + " ".join(sorted(longest)))
    flat = norm.replace(" ", "")
    keys += ["a:" + flat[:14], "z:" + flat[-14:]]
    return keys


class DuplicateIndex:
    """Known papers by DOI, arXiv id and title; :meth:`match` finds the one an entry repeats."""

    def __init__(self, threshold: float = THRESHOLD):
        self.threshold = threshold
        self.doi: dict[str, str] = {}
        self.arxiv: dict[str, str] = {}
        self.title: dict[str, str] = {}
        self.blocks: dict[str, list[str]] = {}

    def __len__(self) -> int:
        return len(self.title)

    def add(self, ref: str, doi: str | None, arxiv: str | None, title: str, normalised: bool = False) -> None:
        if doi:
            self.doi.setdefault(doi.lower(), ref)
        if arxiv:
            self.arxiv.setdefault(arxiv, ref)
        norm = title if normalised else normalise_title(title)
        if not norm or norm in self.title:
            return
        self.title[norm] = ref
        for k in blocking_keys(norm):
            block = self.blocks.setdefault(k, [])
            if len(block) < BLOCK_CAP:
                block.append(norm)

    def match(self, doi: str | None, arxiv: str | None, title: str, normalised: bool = False) -> Match | None:
        if doi and doi.lower() in self.doi:
            return Match(self.doi[doi.lower()], "doi", 100.0)
        if arxiv and arxiv in self.arxiv:
            return Match(self.arxiv[arxiv], "arxiv", 100.0)
        norm = title if normalised else normalise_title(title)
        if not norm:
            return None
        if norm in self.title:
            return Match(self.title[norm], "title", 100.0)
        candidates: dict[str, None] = {}
        for k in blocking_keys(norm):
            for c in self.blocks.get(k, ()):
                candidates[c] = None
        if not candidates:
            return None
        best = process.extractOne(norm, list(candidates), scorer=fuzz.ratio, score_cutoff=self.threshold)
        if best is None:
            return None
        return Match(self.title[best[0]], "fuzzy-title", round(float(best[1]), 1))


def similarity(a: str, b: str) -> float:
    """The score the threshold applies to, for two raw titles."""
    return float(fuzz.ratio(normalise_title(a), normalise_title(b)))
