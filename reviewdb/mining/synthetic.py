"""Test material made from real titles: perturbed duplicates and large BibTeX files.

Used by the benchmark (threshold measurement, 50,000-entry timing) and the tests. The
perturbations are the ways one paper's title differs between two exports.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Iterable

import numpy as np
from rapidfuzz import fuzz, process

from reviewdb.catalog.records import normalise_title
from reviewdb.mining.dedup import blocking_keys

SPELLING = {"tumor": "tumour", "normalization": "normalisation", "color": "colour",
            "synthesize": "synthesise", "synthesizing": "synthesising", "modeling": "modelling",
            "generalization": "generalisation", "optimization": "optimisation"}
ACCENTS = {"e": r"{\'e}", "a": r"{\`a}", "o": r'{\"o}', "u": r'{\"u}', "c": r"{\c{c}}"}


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(("swap", "drop", "sub"))
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if op == "drop":
        return word[:i] + word[i + 1:]
    return word[:i] + rng.choice("aeiounrst") + word[i + 1:]


def perturb(title: str, rng: random.Random) -> tuple[str, str]:
    """(kind, perturbed title): one realistic difference between two exports of a paper."""
    words = title.split()
    kind = rng.choice(("case", "braces", "punct", "drop-word", "add-word", "typo", "two-typos",
                       "period", "spelling", "latex-accent", "drop-word+typo"))
    if kind == "case":
        out = title.upper() if rng.random() < 0.5 else title.lower()
    elif kind == "braces":
        out = " ".join("{" + w + "}" if any(c.isupper() for c in w[1:]) else w for w in words)
    elif kind == "punct":
        out = title.replace("-", " ").replace(":", " -").replace(",", "")
    elif kind == "drop-word" and len(words) > 4:
        i = rng.randrange(len(words))
        out = " ".join(words[:i] + words[i + 1:])
    elif kind == "add-word":
        i = rng.randrange(len(words) + 1)
        out = " ".join(words[:i] + [rng.choice(("a", "the", "novel", "deep", "using"))] + words[i:])
    elif kind in ("typo", "two-typos"):
        ws = list(words)
        for _ in range(1 if kind == "typo" else 2):
            i = rng.randrange(len(ws))
            ws[i] = _typo(ws[i], rng)
        out = " ".join(ws)
    elif kind == "drop-word+typo" and len(words) > 4:
        ws = list(words)
        ws.pop(rng.randrange(len(ws)))
        i = rng.randrange(len(ws))
        ws[i] = _typo(ws[i], rng)
        out = " ".join(ws)
    elif kind == "period":
        out = title + "."
    elif kind == "spelling":
        out = " ".join(SPELLING.get(w.lower(), w) for w in words)
    elif kind == "latex-accent":
        out = "".join(ACCENTS.get(c, c) if rng.random() < 0.05 else c for c in title)
    else:
        out = title.lower()
    return kind, out


def measure_threshold(titles: list[str], per_title: int = 6, seed: int = 0) -> dict:
    """Score distributions of perturbed duplicates vs distinct titles (``fuzz.ratio``)."""
    rng = random.Random(seed)
    norms = list(dict.fromkeys(normalise_title(t) for t in titles if t))
    dup_scores, blocked = [], 0
    for t in titles:
        n = normalise_title(t)
        for _ in range(per_title):
            _, p = perturb(t, rng)
            pn = normalise_title(p)
            dup_scores.append(fuzz.ratio(n, pn))
            blocked += bool(set(blocking_keys(n)) & set(blocking_keys(pn)))
    if len(norms) > 1:
        m = process.cdist(norms, norms, scorer=fuzz.ratio, dtype=np.float32)
        iu = np.triu_indices(len(norms), k=1)
        distinct = m[iu]
        nearest = [(float(m[i, j]), norms[i], norms[j]) for i, j in zip(*iu) if m[i, j] >= np.max(distinct) - 1e-6]
    else:
        distinct, nearest = np.array([0.0]), []
    dup = np.array(dup_scores) if dup_scores else np.array([100.0])
    return dict(
        n_titles=len(norms), n_duplicate_pairs=len(dup), n_distinct_pairs=int(distinct.size),
        dup_min=float(dup.min()), dup_p1=float(np.percentile(dup, 1)), dup_p5=float(np.percentile(dup, 5)),
        dup_median=float(np.median(dup)), distinct_max=float(distinct.max()),
        distinct_p999=float(np.percentile(distinct, 99.9)), distinct_p99=float(np.percentile(distinct, 99)),
        blocking_recall=blocked / max(1, len(dup_scores)), nearest_distinct=nearest[:1],
        dup_scores=dup, distinct_scores=distinct,
    )


def recall_at(scores: np.ndarray, threshold: float) -> float:
    return float((scores >= threshold).mean()) if scores.size else float("nan")


ABSTRACT = ("We propose a {fam} that translates {src} into {tgt} images of the {anat}. Trained on "
            "{n} patients, it reached an MAE of {mae} HU and an SSIM of 0.9{k} against the acquired "
            "images. Paired, 3D, evaluated with PSNR and Dice on the {ds} data set. " * 2)


def write_large_bib(path: str | Path, titles: Iterable[str], n: int = 50_000, seed: int = 0,
                    dup_rate: float = 0.05) -> int:
    """A BibTeX file of ``n`` entries with keywords and abstracts, about ``dup_rate`` of them
    perturbed repeats of earlier ones (some with the same DOI), the rest distinct titles
    drawn from the words of real ``titles``. Returns the number of planted duplicates."""
    rng = random.Random(seed)
    base = [t for t in titles if t] or ["Synthetic CT generation from MRI using a conditional GAN"]
    words = sorted({w for t in base for w in t.split() if len(w) > 3 and w.isalpha()}) or ["imaging"]
    fams = ["conditional GAN", "CycleGAN", "denoising diffusion model", "U-Net", "variational autoencoder"]
    mods = ["MRI", "CT", "CBCT", "PET", "T1-weighted", "T2-weighted", "ultrasound", "chest X-ray"]
    anats = ["brain", "pelvis", "head and neck", "lung", "liver", "prostate", "heart"]
    dss = ["IXI", "BraTS", "SynthRAD", "ADNI", "in-house"]
    made: list[tuple[str, str | None]] = []
    planted = 0
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            src, tgt = rng.sample(mods, 2)
            if made and rng.random() < dup_rate:
                t, doi = made[rng.randrange(len(made))]
                t = perturb(t, rng)[1]
                doi = doi if rng.random() < 0.5 else None
                planted += 1
            else:
                t = (f"{' '.join(rng.sample(words, 4))} {src}-to-{tgt} synthesis with "
                     f"{rng.choice(fams)} {' '.join(rng.sample(words, 3))}")
                doi = f"10.5555/bench.{i}" if rng.random() < 0.7 else None
                made.append((t, doi))
            ab = ABSTRACT.format(fam=rng.choice(fams), src=src, tgt=tgt, anat=rng.choice(anats),
                                 n=rng.randint(10, 500), mae=rng.randint(30, 90), k=rng.randint(0, 9),
                                 ds=rng.choice(dss))
            fields = [f"  title = {{{t}}}", f"  author = {{Author, A{i % 97} and Writer, B}}",
                      "  journal = {Journal of Benchmarks}", f"  year = {{{2015 + i % 10}}}",
                      f"  keywords = {{deep learning; image synthesis; {src}; {tgt}}}",
                      f"  abstract = {{{ab}}}"]
            if doi:
                fields.append(f"  doi = {{{doi}}}")
            fh.write(f"@article{{bench{i},\n" + ",\n".join(fields) + "\n}\n\n")
    return planted
