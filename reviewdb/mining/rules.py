"""Rules that propose annotations from a title, keywords and abstract.

Every proposal carries the words that triggered it (and the rule that read them), so a
reviewer sees *why* "MRI -> CT" was proposed. The surface forms come from
:mod:`reviewdb.vocabulary` (the synonyms the ingest normalises) plus a few spellings
that only occur in running text ("MR images", "cone-beam computed tomography",
"echocardiography"); every code a rule emits is checked against the vocabulary at import.

How a translation's direction is read, in order (the first rule that fires wins,
and each rule consumes the modality mentions it used):

1. ``X-to-Y`` / ``X to Y`` / ``X2Y`` / ``X -> Y``           ("MR-to-CT", "T1w to T2w", "CT2CXR")
2. ``Y ... from X``                                          ("synthetic CT generation from MRI")
3. attenuation correction                                   (MR-based AC -> MRI -> CT; NAC PET -> CT)
4. contrast synthesis                                       ("non-contrast to contrast-enhanced")
5. ``X-based / -guided / -derived / -only ... Y``            ("CBCT-based synthetic CT", "CT-based T1-weighted MR")
6. a synthetic target (``sCT``, ``pseudo-PET``, "synthesizing Y") with the other modalities as sources
7. CBCT alone -> CT (CBCT correction is CBCT -> CT in the review)
8. one modality with translation words ("multi-contrast MRI synthesis") -> within that modality
9. two modalities with translation words, no direction words -> in the order written

"bidirectional" adds the reverse of every direction found; "MR-only radiotherapy" implies
MRI -> CT. Without a direction the entry is a creation study: its source is a label map,
text or an image (infilling, CycleGAN) where the text says so, else noise; its task
follows "segmentation" / "classification" words (else creation.other).

Two *assumed* rules fill gaps with the review's priors and say so in their rule name
(``assumed: ...``), so a reviewer -- and the benchmark, which scores with and without
them -- can tell them from what the text states: an entry that names no modality gets the
modality its anatomy is usually imaged with in the review (brain -> MRI, lung nodule ->
CT, chest -> X-ray, breast/fetal -> US), and a generative entry that names no model
family gets GAN, the review's most common family.

:func:`mine` is pure (no database, no network) and fast: one compiled alternation per
vocabulary, a few ``re`` passes per text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from reviewdb import vocabulary as V

WHERE = ("title", "keywords", "abstract")
FIELDS = ("task", "translation", "family", "architecture", "anatomy", "dataset", "metric",
          "paired", "dims", "out_of_scope")


@dataclass(frozen=True)
class Proposal:
    """One proposed annotation and the words that triggered it.

    ``value`` is a vocabulary code (task, family, anatomy, metric, dims), a name
    (architecture, dataset), a bool (paired) or, for ``translation``, a dict
    ``{"sources": [...], "targets": [...]}``.
    """

    field: str
    value: Any
    trigger: str
    where: str = "title"
    rule: str = ""

    def to_dict(self) -> dict:
        value = dict(self.value, sources=list(self.value["sources"]), targets=list(self.value["targets"])) \
            if isinstance(self.value, dict) else self.value
        return {"field": self.field, "value": value, "trigger": self.trigger, "where": self.where, "rule": self.rule}

    @classmethod
    def from_dict(cls, d: dict) -> Proposal:
        return cls(field=d["field"], value=d["value"], trigger=d.get("trigger", ""),
                   where=d.get("where", "title"), rule=d.get("rule", ""))

    def __str__(self) -> str:
        return f"{self.field}={_show(self.value)}  <- {self.trigger!r} ({self.where}, {self.rule})"


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return f"{', '.join(value['sources']) or '?'} -> {', '.join(value['targets']) or '?'}"
    return str(value)


@dataclass
class Annotation:
    """All proposals for one entry, in the order they were made."""

    proposals: list[Proposal] = field(default_factory=list)

    def add(self, p: Proposal) -> None:
        key = (p.field, repr(p.value))
        seen = self.__dict__.get("_seen")
        if seen is None or len(seen) != len(self.proposals):
            seen = self.__dict__["_seen"] = {(q.field, repr(q.value)) for q in self.proposals}
        if key not in seen:
            seen.add(key)
            self.proposals.append(p)

    def get(self, name: str) -> list[Proposal]:
        return [p for p in self.proposals if p.field == name]

    def values(self, name: str) -> list[Any]:
        return [p.value for p in self.get(name)]

    @property
    def task(self) -> str | None:
        tasks = self.values("task")
        return tasks[0] if tasks else None

    @property
    def translations(self) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        return [(tuple(v["sources"]), tuple(v["targets"])) for v in self.values("translation")]

    def modalities(self, side: str, top: bool = True) -> set[str]:
        """Codes on one side ("sources"/"targets") of all translations; ``top`` maps to Figure 8 level."""
        out: set[str] = set()
        for v in self.values("translation"):
            for c in v[side]:
                out.add(V.top_level(c) if top else c)
        return out

    def to_list(self) -> list[dict]:
        return [p.to_dict() for p in self.proposals]

    @classmethod
    def from_list(cls, items: Iterable[dict]) -> Annotation:
        return cls([Proposal.from_dict(d) for d in items or []])

    def annotation_dict(self) -> dict[str, Any]:
        """The proposals in the shape of a ``studies/*.yaml`` annotation (what the reader checks)."""
        paired = self.values("paired")
        dims = self.values("dims")
        translations = [dict(sources=list(s), targets=list(t),
                             paired=paired[0] if len(paired) == 1 else None,
                             dims=dims[0] if dims else None) for s, t in self.translations]
        return dict(task=self.task, families=self.values("family"),
                    architectures=[dict(name=n, role="proposed") for n in self.values("architecture")],
                    anatomy=self.values("anatomy"), datasets=self.values("dataset"),
                    translations=translations)

    def explain(self) -> list[str]:
        return [str(p) for p in self.proposals]


# --- lexicons built on the vocabulary -------------------------------------------------------

#: Running-text spellings the vocabulary does not list (it lists what annotators write).
MODALITY_TEXT_TERMS: dict[str, str] = {
    "mr image": "MRI", "mr images": "MRI", "mris": "MRI", "cmr": "MRI", "fmri": "MRI",
    "t1wi": "MRI:T1", "t2wi": "MRI:T2", "t1-w": "MRI:T1", "t2-w": "MRI:T2",
    "t1-weighted mri": "MRI:T1", "t2-weighted mri": "MRI:T2",
    "gd-enhanced": "MRI:T1ce", "gadolinium-enhanced": "MRI:T1ce", "post-contrast t1": "MRI:T1ce",
    "t1-ce": "MRI:T1ce", "contrast-enhanced t1-weighted": "MRI:T1ce", "contrast-enhanced mr": "MRI:T1ce",
    "contrast-enhanced magnetic resonance": "MRI:T1ce",
    "fluid-attenuated inversion recovery": "MRI:FLAIR", "dti": "MRI:DWI",
    "diffusion tensor imaging": "MRI:DWI", "diffusion-weighted imaging": "MRI:DWI",
    "diffusion mr": "MRI:DWI", "time-of-flight": "MRI:MRA", "mr angiography": "MRI:MRA",
    "magnetic resonance angiography": "MRI:MRA",
    "ct scan": "CT", "ct scans": "CT", "ct image": "CT", "ct images": "CT", "low-dose ct": "CT",
    "cta": "CT:CECT", "ct angiography": "CT:CECT", "contrast ct": "CT:CECT",
    "contrast-enhanced computed tomography": "CT:CECT", "contrast enhanced ct": "CT:CECT",
    "non-contrast computed tomography": "CT:NCCT", "noncontrast computed tomography": "CT:NCCT",
    "unenhanced ct": "CT:NCCT", "non-enhanced ct": "CT:NCCT", "nonenhanced ct": "CT:NCCT",
    "cone-beam computed tomography": "CBCT", "cone beam computed tomography": "CBCT",
    "icbct": "CBCT", "cone-beam ct": "CBCT",
    "positron emission tomography": "PET", "amyloid pet": "PET", "tau pet": "PET",
    "18f-fdg pet": "PET", "[18f]fdg-pet": "PET", "[18f]fdg pet": "PET", "fdg-pet": "PET",
    "non-attenuation corrected pet": "PET:NAC", "non-attenuation-corrected pet": "PET:NAC",
    "non attenuation corrected pet": "PET:NAC",
    "x-rays": "X-ray", "radiographs": "X-ray", "radiographic": "X-ray", "chest radiograph": "X-ray",
    "chest radiographs": "X-ray", "chest x-rays": "X-ray", "cxrs": "X-ray", "mammograms": "X-ray",
    "mammographic": "X-ray", "digital mammography": "X-ray", "digital mammograms": "X-ray",
    "digitally reconstructed radiograph": "X-ray", "digitally reconstructed radiographs": "X-ray",
    "drrs": "X-ray", "cephalogram": "X-ray", "cephalograms": "X-ray", "fluoroscopy": "X-ray",
    "fluoroscopic": "X-ray", "x-ray projection": "X-ray",
    "ultrasonography": "US", "sonographic": "US", "echocardiography": "US",
    "echocardiographic": "US", "echocardiogram": "US", "echocardiograms": "US",
    "ultrasound images": "US", "ultrasound image": "US",
}
#: Vocabulary synonyms that mean something else in running text (or are pseudo-modalities,
#: which the creation rules read separately).
MODALITY_SKIP = {"latent", "mask", "labels", "text", "prompt", "noise", "random noise", "label map",
                 "label-map", "segmentation mask", "class label", "synthetic mri", "smri"}
#: Prefixes that mark a mention as the synthetic (target) side.
SYNTHETIC_PREFIX = re.compile(
    r"(?:synthetic|synthesi[sz]ed|pseudo|virtual|simulated|generated|artificial|fake|predicted|"
    r"estimated)[\s-]*(?:[A-Za-z-]+[\s-]+)?$", re.I)
SYNTHETIC_TERMS = {"sct", "pct", "synthetic ct", "synthetic-ct", "pseudo-ct", "pseudo ct",
                   "pseudo-pet", "synthetic pet", "pseudo-mri", "pseudo mri"}

FAMILY_TEXT_TERMS: dict[str, str] = {
    "generative adversarial networks": "GAN", "generative adversarial": "GAN",
    "adversarial network": "GAN", "adversarial networks": "GAN", "adversarial learning": "GAN",
    "adversarial training": "GAN", "pix2pix": "GAN", "cycle-consistent": "GAN",
    "cycle consistent": "GAN", "cycle-consistency": "GAN",
    "diffusion models": "diffusion", "denoising diffusion": "diffusion",
    "diffusion probabilistic": "diffusion", "latent diffusion": "diffusion",
    "stable diffusion": "diffusion", "adversarial diffusion": "diffusion",
    "conditional diffusion": "diffusion", "score-based generative": "diffusion", "ddim": "diffusion",
    "diffusion-based": "diffusion", "diffusion model-based": "diffusion",
    "variational autoencoders": "VAE", "variational auto-encoder": "VAE",
    "variational auto-encoders": "VAE", "vaes": "VAE", "vq-gan": "VAE",
    "normalizing flows": "flow", "normalising flows": "flow", "flow-based generative": "flow",
    "invertible neural network": "flow", "auto-regressive": "autoregressive",
    "autoregressive": "autoregressive", "pixelcnn": "autoregressive",
    "transformer": "transformer", "vision transformer": "transformer", "swin": "transformer",
    "cnns": "CNN", "convolutional neural network": "CNN", "convolutional neural networks": "CNN",
    "convnet": "CNN", "convnets": "CNN", "fully convolutional": "CNN", "u-nets": "CNN",
    "resnet": "CNN", "state-space": "SSM", "state space": "SSM",
}
FAMILY_SKIP = {"dm", "ar", "diffusion model", "transformers", "normalizing flow",
               "normalising flow"}
#: Family cues only believed when no other family is named (a CNN is often the
#: downstream classifier of a GAN study, not its generator).
WEAK_FAMILIES = {"CNN"}
STRONG_CNN = {"u-net", "unet", "u-nets", "unet++"}

# architecture name -> families it implies; matched case-insensitively on letters/digits
ARCHITECTURES: dict[str, tuple[str, ...]] = {
    "pix2pix": ("GAN",), "CycleGAN": ("GAN",), "DCGAN": ("GAN",), "WGAN": ("GAN",),
    "WGAN-GP": ("GAN",), "ProGAN": ("GAN",), "StyleGAN": ("GAN",), "StyleGAN2": ("GAN",),
    "StyleGAN2-ADA": ("GAN",), "StyleGAN3": ("GAN",), "BigGAN": ("GAN",), "ACGAN": ("GAN",),
    "InfoGAN": ("GAN",), "cGAN": ("GAN",), "pGAN": ("GAN",), "MUNIT": ("GAN",), "UNIT": ("GAN",),
    "StarGAN": ("GAN",), "SPADE": ("GAN",), "GauGAN": ("GAN",), "DualGAN": ("GAN",),
    "DiscoGAN": ("GAN",), "NICE-GAN": ("GAN",), "RegGAN": ("GAN",), "MedGAN": ("GAN",),
    "SRGAN": ("GAN",), "ESRGAN": ("GAN",), "LSGAN": ("GAN",), "SAGAN": ("GAN",),
    "SynDiff": ("diffusion", "GAN"), "DDPM": ("diffusion",), "DDIM": ("diffusion",),
    "LDM": ("diffusion",), "Stable Diffusion": ("diffusion",), "DALL-E 2": ("diffusion",),
    "VQ-VAE": ("VAE",), "VQ-GAN": ("VAE", "GAN"), "U-Net": ("CNN",), "UNet++": ("CNN",),
    "TransUNet": ("transformer",), "ResViT": ("transformer", "GAN"), "Swin-UNet": ("transformer",),
    "Glow": ("flow",), "PixelCNN": ("autoregressive",), "Mamba": ("SSM",),
}
ARCHITECTURE_ALIASES = {
    "cycle-gan": "CycleGAN", "cycle gan": "CycleGAN", "cycle-consistent adversarial": "CycleGAN",
    "cycle-consistent generative adversarial": "CycleGAN",
    "pggan": "ProGAN", "progressive growing": "ProGAN", "progressive growing gan": "ProGAN",
    "pg-gan": "ProGAN", "ac-gan": "ACGAN", "conditional gan": "cGAN", "conditional gans": "cGAN",
    "conditional generative adversarial network": "cGAN",
    "conditional generative adversarial networks": "cGAN", "unet": "U-Net", "u-net": "U-Net",
    "latent diffusion model": "LDM", "latent diffusion models": "LDM", "stable diffusion": "Stable Diffusion",
    "denoising diffusion probabilistic model": "DDPM", "denoising diffusion probabilistic models": "DDPM",
    "wgan-gp": "WGAN-GP", "dall-e 2": "DALL-E 2", "dalle 2": "DALL-E 2",
}

ANATOMY_TEXT_TERMS: dict[str, str] = {
    "brains": "brain", "neuroimaging": "brain", "intracranial": "brain", "alzheimer": "brain",
    "alzheimer's": "brain", "glioma": "brain", "gliomas": "brain", "glioblastoma": "brain",
    "brain tumor": "brain", "brain tumour": "brain", "multiple sclerosis": "brain", "stroke": "brain",
    "head-and-neck": "head-neck", "lung nodule": "lung", "lung nodules": "lung",
    "pulmonary nodule": "lung", "pulmonary nodules": "lung", "covid-19": "lung", "pneumonia": "lung",
    "cardiovascular": "heart", "myocardial": "heart", "echocardiography": "heart",
    "congenital heart": "heart", "mammogram": "breast", "mammograms": "breast",
    "mammography": "breast", "mammographic": "breast", "hepatocellular": "liver",
    "pancreatic": "pancreas", "knees": "knee", "vertebrae": "spine", "vertebral": "spine",
    "lumbar": "spine", "tooth": "dental", "cephalogram": "dental", "cephalometric": "dental",
    "total-body": "whole-body", "fetus": "fetal", "foetal": "fetal", "retina": "eye",
    "retinal": "eye", "fundus": "eye", "ocular": "eye", "ophthalmic": "eye",
    "cervical cancer": "cervix", "rectal": "rectum", "aortic": "vessels", "aorta": "vessels",
    "carotid": "vessels", "vascular": "vessels", "bones": "bone", "skeletal": "bone",
    "nasopharyngeal": "nasopharynx", "esophageal": "esophagus", "oesophageal": "esophagus",
    "colorectal": "colon", "colonoscopy": "colon", "uterine": "uterus", "kidneys": "kidney",
    "abdomen": "abdomen", "prostate cancer": "prostate",
}
ANATOMY_SKIP = {"hn", "oral", "head", "neck"}
#: A part implies the region the review files it under as well.
ANATOMY_IMPLIES = {"prostate": "pelvis", "cervix": "pelvis", "rectum": "pelvis",
                   "bladder": "pelvis", "nasopharynx": "head-neck"}

DATASET_TERMS: dict[str, str] = {
    "ixi": "IXI", "brats": "BraTS", "isles": "ISLES", "synthrad": "SynthRAD", "synthrad2023": "SynthRAD2023",
    "adni": "ADNI", "oasis": "OASIS", "fastmri": "fastMRI", "lidc-idri": "LIDC-IDRI", "lidc": "LIDC-IDRI",
    "chexpert": "CheXpert", "mimic-cxr": "MIMIC-CXR", "chestx-ray14": "ChestX-ray14",
    "chestx-ray8": "ChestX-ray14", "nih chest x-ray": "ChestX-ray14", "hcp": "HCP",
    "human connectome project": "HCP", "abide": "ABIDE", "uk biobank": "UK-Biobank",
    "uk-biobank": "UK-Biobank", "ddsm": "DDSM", "cbis-ddsm": "CBIS-DDSM", "inbreast": "INbreast",
    "acdc": "ACDC", "kits19": "KiTS19", "lits": "LiTS", "chaos": "CHAOS", "busi": "BUSI",
    "mrnet": "MRNet", "tcia": "TCIA", "gold atlas": "Gold-Atlas", "camus": "CAMUS",
    "in-house": "in-house", "in house": "in-house", "institutional": "in-house",
    "private dataset": "in-house", "private data": "in-house",
}
METRIC_SKIP = {"is", "me", "ms", "wd", "acc", "gamma", "recall", "accuracy", "sensitivity",
               "specificity", "dice", "f1", "mae", "mse"}  # the last ones re-added case-sensitively below
METRIC_TEXT_TERMS: dict[str, str] = {
    "MAE": "MAE", "MSE": "MSE", "Dice": "Dice", "dice coefficient": "Dice",
    "dice similarity coefficient": "Dice", "peak signal-to-noise ratio": "PSNR",
    "structural similarity": "SSIM", "frechet inception distance": "FID",
    "fréchet inception distance": "FID", "inception score": "IS", "gamma pass rate": "gamma",
    "gamma passing rate": "gamma", "gamma index": "gamma", "accuracy": "accuracy",
    "sensitivity": "sensitivity", "specificity": "specificity", "F1-score": "F1", "F1 score": "F1",
    "hausdorff distance": "HD95", "dose difference": "dose-diff", "mean absolute error": "MAE",
    "mean squared error": "MSE", "root mean squared error": "RMSE", "root-mean-square error": "RMSE",
}


def _norm(term: str) -> str:
    return " ".join(term.lower().replace("-", " ").replace("_", " ").split())


def _pattern(term: str) -> str:
    parts = [re.escape(p) for p in re.split(r"[\s\-_]+", term.strip()) if p]
    return r"[\s\-_]*".join(parts)


class Lexicon:
    """Surface forms -> codes, matched with one compiled alternation, longest first.

    Short alphabetic terms (``us``, ``pet``, ``pd``) only match when written with a
    capital letter, so "let us" and "pet owners" are not modalities.
    """

    def __init__(self, terms: dict[str, str], plural: bool = True, case_sensitive: Iterable[str] = ()):
        self.lookup: dict[str, str] = {}
        exact = set(case_sensitive)
        self.exact: dict[str, str] = {}
        for term, code in terms.items():
            if term in exact:
                self.exact[term] = code
            else:
                self.lookup.setdefault(_norm(term), code)
        body = _trie_regex(self.lookup) or r"(?!x)x"
        tail = r"(?:s|es)?" if plural else ""
        self.regex = re.compile(rf"(?<![A-Za-z0-9])(?:{body}){tail}(?![A-Za-z0-9+])", re.I)
        self.exact_keys = {_sep(t): t for t in self.exact}
        ex = _trie_regex({_sep(t): c for t, c in self.exact.items()})
        self.exact_regex = re.compile(rf"(?<![A-Za-z0-9])(?:{ex})(?![A-Za-z0-9])") if ex else None

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, code, matched text) of every mention, left to right, no overlaps."""
        out = []
        for m in self.regex.finditer(text):
            raw = m.group(0)
            key = _norm(raw)
            code = self.lookup.get(key)
            if code is None and key.endswith("es"):
                code = self.lookup.get(key[:-2])
            if code is None and key.endswith("s"):
                code = self.lookup.get(key[:-1])
            if code is None:
                continue
            letters = re.sub(r"[^A-Za-z]", "", raw)
            if len(key.replace(" ", "")) <= 3 and letters.isalpha() and letters.islower():
                continue  # "us", "pet", "ct" written in lower case are English words
            out.append((m.start(), m.end(), code, raw))
        if self.exact_regex is not None:
            taken = [(a, b) for a, b, _, _ in out]
            for m in self.exact_regex.finditer(text):
                if not any(a < m.end() and m.start() < b for a, b in taken):
                    term = self.exact_keys.get(_sep(m.group(0)))
                    if term is not None:
                        out.append((m.start(), m.end(), self.exact[term], m.group(0)))
            out.sort()
        return out


def _sep(term: str) -> str:
    return re.sub(r"[\s\-_]+", " ", term.strip())


def _trie_regex(terms: Iterable[str]) -> str:
    """One regex matching any of ``terms`` (longest first), factored as a prefix trie.

    Python's ``re`` tries alternatives one by one; a trie makes a 300-term lexicon scan a
    text in one pass of shared prefixes (about 10x faster than a flat alternation). A
    space in a term matches any run of spaces, hyphens and underscores ("T1-weighted",
    "t1 weighted").
    """
    trie: dict = {}
    for t in terms:
        node = trie
        for ch in t:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict) -> str:
        end = "" in node
        alts = []
        for ch in sorted(k for k in node if k):
            piece = r"[\s\-_]*" if ch == " " else (re.escape(ch.lower()) if ch.isalpha() else re.escape(ch))
            alts.append(piece + emit(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return emit(trie)


def _checked(terms: dict[str, str], vocab: V.Vocabulary) -> dict[str, str]:
    """Normalise every code through the vocabulary: a typo here fails at import, not silently."""
    return {t: vocab.normalise(c) for t, c in terms.items()}


@lru_cache(maxsize=1)
def lexicons() -> dict[str, Lexicon]:
    mod = {k: v for k, v in V.MODALITY_SYNONYMS.items() if k not in MODALITY_SKIP and V.is_imaging(v)}
    for code in V.MODALITIES:
        if V.is_imaging(code) and ":" not in code:
            mod.setdefault(code.lower(), code)
    mod.update(_checked(MODALITY_TEXT_TERMS, V.MODALITY))
    fam = {k: v for k, v in V.FAMILY_SYNONYMS.items() if k not in FAMILY_SKIP}
    fam.update(_checked(FAMILY_TEXT_TERMS, V.FAMILY))
    anat = {k: v for k, v in V.ANATOMY_SYNONYMS.items() if k not in ANATOMY_SKIP}
    anat.update({c: c for c in V.ANATOMY})
    anat.update({c.replace("-", " "): c for c in V.ANATOMY})
    anat.update(_checked(ANATOMY_TEXT_TERMS, V.ANATOMY_VOCAB))
    met = {k: v for k, v in V.METRIC_SYNONYMS.items() if k not in METRIC_SKIP and len(k) > 3}
    short = {k.upper(): v for k, v in V.METRIC_SYNONYMS.items() if k not in METRIC_SKIP and len(k) <= 3}
    met_exact = {**short, **{k: v for k, v in METRIC_TEXT_TERMS.items() if k.isupper() or k[0].isupper()}}
    met.update({k: v for k, v in METRIC_TEXT_TERMS.items() if k not in met_exact})
    met.update(met_exact)
    _checked(met, V.METRIC)
    arch = {n: n for n in ARCHITECTURES}
    arch.update(ARCHITECTURE_ALIASES)
    return {
        "modality": Lexicon(mod),
        "family": Lexicon(fam, plural=True),
        "anatomy": Lexicon(anat),
        "metric": Lexicon(met, plural=False, case_sensitive=met_exact),
        "architecture": Lexicon(arch),
    }


@lru_cache(maxsize=64)
def dataset_lexicon(extra: tuple[str, ...] = ()) -> Lexicon:
    """Data-set names: the built-in list plus ``extra`` (the catalog's data-set names)."""
    terms = dict(DATASET_TERMS)
    for name in extra:
        terms.setdefault(name.lower(), name)
    return Lexicon(terms, plural=False)


class Scanner:
    """Every lexicon in one pass over a text (one trie regex), results per kind.

    A longer term of one kind hides a shorter one of another ("chest X-ray" is a
    modality), so the words of every match are also looked up as anatomy.
    """

    def __init__(self, lexs: dict[str, Lexicon]):
        self.lookup: dict[str, dict[str, str]] = {}
        self.singular_only: set[str] = {k for k, lx in lexs.items() if lx.regex.pattern.endswith(
            "(?![A-Za-z0-9+])") and "(?:s|es)?" not in lx.regex.pattern}
        for kind, lx in lexs.items():
            for key, code in lx.lookup.items():
                self.lookup.setdefault(key, {})[kind] = code
        body = _trie_regex(self.lookup) or r"(?!x)x"
        self.regex = re.compile(rf"(?<![A-Za-z0-9])(?:{body})(?:s|es)?(?![A-Za-z0-9+])", re.I)
        self.exact = [(k, lx) for k, lx in lexs.items() if lx.exact_regex is not None]
        self.anatomy = lexs["anatomy"].lookup if "anatomy" in lexs else {}

    def scan(self, text: str) -> dict[str, list[tuple[int, int, str, str]]]:
        out: dict[str, list] = {}
        for m in self.regex.finditer(text):
            raw = m.group(0)
            key = _norm(raw)
            kinds = self.lookup.get(key)
            plural = False
            if kinds is None and key.endswith("es"):
                kinds, plural = self.lookup.get(key[:-2]), True
            if kinds is None and key.endswith("s"):
                kinds, plural = self.lookup.get(key[:-1]), True
            if kinds is None:
                continue
            if len(key) <= 3 and raw.isalpha() and raw.islower():
                continue  # "us", "pet", "ct" written in lower case are English words
            start, end = m.start(), m.end()
            for kind, code in kinds.items():
                if not (plural and kind in self.singular_only):
                    out.setdefault(kind, []).append((start, end, code, raw))
            if "anatomy" not in kinds and " " in key:
                for w in key.split():
                    if w in self.anatomy:
                        out.setdefault("anatomy", []).append((start, end, self.anatomy[w], raw))
        for kind, lx in self.exact:
            taken = [(a, b) for a, b, _, _ in out.get(kind, ())]
            for m in lx.exact_regex.finditer(text):
                if not any(a < m.end() and m.start() < b for a, b in taken):
                    term = lx.exact_keys.get(_sep(m.group(0)))
                    if term is not None:
                        out.setdefault(kind, []).append((m.start(), m.end(), lx.exact[term], m.group(0)))
            out.get(kind, []).sort()
        return out


@lru_cache(maxsize=16)
def scanner(datasets: tuple[str, ...] = ()) -> Scanner:
    """The merged lexicons (modality, family, anatomy, metric, architecture, data set)."""
    return Scanner({**lexicons(), "dataset": dataset_lexicon(datasets)})


# --- cues -------------------------------------------------------------------------------------

def _rx(p: str) -> re.Pattern:
    return re.compile(p, re.I)


TRANSLATION_CUE = _rx(r"\b(?:translat\w*|cross[\s-]?modal\w*|cross[\s-]contrast|inter[\s-]?modal\w*|"
                      r"multi[\s-]?contrast|multi[\s-]?modal(?:ity)?|multi[\s-]?sequence|missing|imputation|"
                      r"image[\s-]to[\s-]image|modality[\s-]conversion|style transfer|domain adaptation|"
                      r"mr[\s-]only|mri[\s-]only|attenuation correction|contrast synthesis|"
                      r"pulse sequence|synthetic ct|pseudo[\s-]ct|sct|novel[\s-]view|view synthesis|"
                      r"projection[\s-]to[\s-]projection|cycle[\s-]?consisten\w*|cycle[\s-]?gans?|pix2pix)\b")
#: Words that make an entry creation even when it names translation-like methods.
CREATION_ONLY = _rx(r"\b(?:augment\w*|classif\w*|segment\w*|detect\w*|diagnos\w*|privacy|anonymi[sz]\w*|"
                    r"visual turing|fake|artificial)\b")
#: Translation words strong enough to decide the task when no modality is named.
TRANSLATION_STRONG = _rx(r"\b(?:translat\w*|cross[\s-]?modal\w*|image[\s-]to[\s-]image|synthetic ct|pseudo[\s-]ct|"
                         r"modality[\s-](?:conversion|transfer)|attenuation correction|mr[\s-]only|mri[\s-]only|"
                         r"cross[\s-]domain|domain adaptation|domain transfer|image completion|imputation|"
                         r"missing (?:modalit\w+|input|data|sequences?|contrasts?|image)|incomplete multi[\s-]?modal\w*|"
                         r"(?!noise|label|labels|mask|text|sketch)[a-z]+[\s-]to[\s-](?!image)[a-z]+ (?:mri?|ct|pet|image) synthesis)\b")
BETWEEN = re.compile(r"\bbetween\s+(?:[A-Za-z][\w-]*\s+){0,2}?⟦(\d+)⟧", re.I)
SYNTH_VERB = _rx(r"\b(?:synthesi[sz]\w*|generat\w*|translat\w*|convert\w*|conversion|mapping|estimat\w*|"
                 r"predict\w*|reconstruct\w*|transform\w*|simulat\w*|creat\w*)\b")
BIDIRECTIONAL = _rx(r"\b(?:bi[\s-]?directional|two[\s-]way|mutual|reversible|vice versa)\b")
RADIOTHERAPY = _rx(r"\b(?:mr[\s-]only|mri[\s-]only|mr[\s-]guided|mri[\s-]guided|radiotherapy|"
                   r"radiation therapy|treatment planning|dose calculation|mr[\s-]linac)\b")
ATTENUATION = _rx(r"\battenuation[\s-]correct\w*|\bAC\b(?=[^.]*\bPET\b)")
CONTRAST_SYN = _rx(r"\b(?:non|no|un|without)[\s-]*(?:contrast|enhanced)\b|\bvirtual contrast|"
                   r"\bsynthetic contrast|\bcontrast[\s-](?:enhancement|agent|free|synthesis)\b|"
                   r"\bwithout (?:the use of )?(?:intravenous |iodinated |gadolinium )?contrast")
CE_BEFORE = _rx(r"contrast[\s-]enhanced\s+(?:[A-Za-z][\w-]*\s+){0,2}$")
CONTRAST_TARGET = _rx(r"\bcontrast[\s-]enhanced\b|\bcontrast[\s-]enhancement\b|\bcontrast\b")
INFILL = _rx(r"\b(?:infill\w*|cycle[\s-]?gans?|pix2pix|inpaint\w*|lesion[\s-](?:insertion|simulation|synthesis)|"
             r"nodule[\s-]simulation|abnormalit\w+ generation|pathology synthesis|"
             r"image[\s-]to[\s-]image|realistic abnormalities|simulate pathological)\b")
LABEL_SOURCE = _rx(r"\b(?:label[\s-]?maps?|segmentation[\s-](?:masks?|maps?|labels?)|masks?|"
                   r"semantic[\s-](?:maps?|layouts?|labels?)|labels?[\s-]to[\s-]image|with segmentation labels|"
                   r"labeled data|annotations?|sketch\w*|anatomical models?|mask[\s-]generation)\b")
TEXT_SOURCE = _rx(r"\b(?:text[\s-]to[\s-]image|text[\s-](?:guided|conditioned|conditional|driven)|"
                  r"prompts?|radiology reports?|free[\s-]text|language|text|stable diffusion|dall[\s-]?e\s*2?|"
                  r"sequence[\s-]conditioned)\b")
CREATION_CUE = _rx(r"\b(?:augment\w*|data augmentation|synthetic data|synthesi[sz]\w*|generat\w*|"
                   r"artificial|realistic|fake|privacy|anonymi[sz]\w*|sharing|visual turing)\b")
SEGMENTATION_CUE = _rx(r"\bsegment\w*|\bsegmentor\b")
CLASSIFICATION_CUE = _rx(r"\b(?:classif\w*|diagnos\w*|detect\w*|recogni\w*|screening|grading|"
                         r"prognos\w*|radiomics)\b")
#: (code, words that must occur in the lower-cased text, pattern); the pattern's match must
#: not follow a letter, digit or "." (so "V2D" or "1.3D" are not dimensions).
DIMS_CUE = [("3D", ("3d", "3-d", "3 d", "three", "volum"),
             _rx(r"3[\s-]?D\b|\bthree[\s-]dimensional\b|\bvolumetric\b|\bvolume[\s-]to[\s-]volume\b")),
            ("2.5D", ("2.5",), _rx(r"2\.5[\s-]?D\b")),
            ("2D", ("2d", "2-d", "2 d", "two", "slice"),
             _rx(r"2[\s-]?D\b|\btwo[\s-]dimensional\b|\bslice[\s-](?:based|wise|by[\s-]slice)\b"))]
UNPAIRED_CUE = _rx(r"\b(?:unpaired|non[\s-]?paired|unaligned|unregistered|weakly[\s-]paired|"
                   r"unsupervised|self[\s-]supervised|cycle[\s-]?consisten\w*|cycle[\s-]?gans?|"
                   r"registration[\s-]free|misaligned)\b")
PAIRED_CUE = _rx(r"(?<![\w-])(?:paired|pix2pix|supervised|co[\s-]?registered|aligned)\b")
ARCH_NAME_PREFIX = re.compile(r"^\s*([A-Z][A-Za-z0-9]*(?:[-+][A-Za-z0-9]+)*|[a-z]+[A-Z][A-Za-z0-9-]*)\s*:\s")
ARCH_TOKEN = re.compile(r"(?<![A-Za-z0-9-])((?:[A-Za-z0-9]+-)*[A-Za-z0-9]*(?:GAN|Diff|ViT|Net|Former|former)\+*)"
                        r"(?:s)?(?![A-Za-z0-9])")
ARCH_TOKEN_STOP = {"gan", "gans", "net", "nets", "diff", "vit", "former", "unet", "u-net",
                   "convnet", "resnet", "densenet", "internet", "subnet", "magnet"}

GROUP_JOIN = re.compile(r"^\s*(?:,|and|or|/|\+|&|,\s*and|,\s*or)\s*$", re.I)
DIRECTION_TO = re.compile(
    r"⟦(\d+)⟧(?:\s*(?:images?|scans?|volumes?|data|slices?|sequences?|domain|modality|modalities))?"
    r"\s*(?:-\s*to\s*-|\s+to\s+|-to\s+|\s+to-|→|->|=>|⇒|–>|\s+into\s+|2)\s*"
    r"(?:(?:synthetic|pseudo|virtual)[\s-]*)?⟦(\d+)⟧", re.I)
DIRECTION_FROM = re.compile(r"⟦(\d+)⟧([^⟦⟧]{0,60}?)\bfrom\s+(?:[A-Za-z][\w-]*\s+){0,3}?⟦(\d+)⟧", re.I)
DIRECTION_BASED = re.compile(r"⟦(\d+)⟧\s*-?\s*(based|guided|derived|driven|only|aided)\b([^⟦⟧]{0,60}?)⟦(\d+)⟧",
                             re.I)
VERB_TARGET = re.compile(r"\b(?:synthesi[sz]ing|synthesis of|generating|generation of|predicting|"
                         r"estimating|creating|translating into)\s+(?:[A-Za-z][\w-]*\s+){0,3}?⟦(\d+)⟧", re.I)
TARGET_NOUN = re.compile(r"⟦(\d+)⟧\s*(?:[A-Za-z][\w-]*\s+){0,2}?(?:image\s+|images\s+)?"
                         r"(?:synthesis|generation|prediction|estimation)\b", re.I)


@dataclass
class _Mention:
    start: int
    end: int
    code: str
    text: str
    synthetic: bool = False


@dataclass
class _Group:
    members: list[_Mention]
    start: int
    end: int

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.code for m in self.members))

    @property
    def text(self) -> str:
        return " / ".join(m.text for m in self.members)

    @property
    def synthetic(self) -> bool:
        return any(m.synthetic for m in self.members)

    @property
    def tops(self) -> set[str]:
        return {V.top_level(c) for c in self.codes}


_SYNTHETIC_KEYS = frozenset(_norm(t) for t in SYNTHETIC_TERMS)


def _mentions(text: str, scan: dict | None = None) -> list[_Mention]:
    found = (scan if scan is not None else scanner().scan(text)).get("modality", [])
    out: list[_Mention] = []
    for start, end, code, raw in found:
        before = text[max(0, start - 40):start]
        synthetic = _norm(raw) in _SYNTHETIC_KEYS or bool(SYNTHETIC_PREFIX.search(before))
        # "computed tomography (CT)": a parenthesised repeat is the same mention
        if out and out[-1].code == code and re.fullmatch(r"\s*\(\s*", text[out[-1].end:start]) \
                and re.match(r"\s*\)", text[end:]):
            continue
        out.append(_Mention(start, end, code, raw, synthetic))
    return out


def _groups(text: str, mentions: list[_Mention]) -> list[_Group]:
    groups: list[_Group] = []
    for m in mentions:
        if groups and GROUP_JOIN.match(text[groups[-1].end:m.start]) and not re.search(
                r"\bto\b", text[groups[-1].end:m.start], re.I):
            g = groups[-1]
            g.members.append(m)
            g.end = m.end
        else:
            groups.append(_Group([m], m.start, m.end))
    return groups


def _placeholder(text: str, groups: list[_Group]) -> str:
    out, pos = [], 0
    for i, g in enumerate(groups):
        out.append(text[pos:g.start])
        out.append(f"⟦{i}⟧")
        pos = g.end
    out.append(text[pos:])
    return "".join(out)


# --- the miner --------------------------------------------------------------------------------


def mine(title: str, keywords: str | None = None, abstract: str | None = None,
         datasets: Iterable[str] = ()) -> Annotation:
    """Propose annotations for one entry from its title, keywords and abstract.

    The direction of translation and the task come from the first part that states them
    (title, then keywords, then abstract); families, architectures, anatomy, data sets,
    metrics, paired/unpaired and 2D/3D are collected from all parts.

    :param datasets: data-set names to recognise besides the built-in list (the catalog's).
    """
    ann = Annotation()
    parts = [(w, t) for w, t in zip(WHERE, (title, keywords, abstract)) if t and t.strip()]
    sc = scanner(tuple(sorted(set(datasets))))
    scans = {where: sc.scan(text) for where, text in parts}
    decided = False
    for where, text in parts:
        if not decided:
            decided = _direction_and_task(text, where, ann, scans[where])
    if not decided and parts:
        # nothing stated a modality anywhere: only a task from the words, if any
        where, text = parts[0]
        _task_without_modality(" ".join(t for _, t in parts), where, ann)
    for where, text in parts:
        found = scans[where]
        _families(text, where, ann, found)
        _architectures(text, where, ann, found)
        _terms(where, ann, found, "anatomy", "vocabulary")
        _terms(where, ann, found, "dataset", "data-set name")
        _terms(where, ann, found, "metric", "vocabulary")
        _dims(text, where, ann)
        _paired(text, where, ann)
    for p in list(ann.get("anatomy")):
        implied = ANATOMY_IMPLIES.get(p.value)
        if implied:
            ann.add(Proposal("anatomy", implied, p.trigger, p.where, f"implied by {p.value}"))
    if not ann.get("family") and parts:
        for where, text in parts:
            m = DEFAULT_FAMILY[1].search(text)
            if m:
                ann.add(Proposal("family", DEFAULT_FAMILY[0], m.group(0), where,
                                 "assumed: no family named; GAN is the review's most common"))
                break
    _creation_pairing(ann)
    _out_of_scope(parts, ann)
    return ann


# --- out of the review's scope ----------------------------------------------------------------

#: Tasks the review excludes even when a generative model does them (Section 3). "Denoising
#: diffusion" names a generative model, not the task.
EXCLUDED_TASK = _rx(r"\b(?:(?:denois|de-nois)\w*(?![\s-]+diffusion)|noise reduction|reconstruct\w*|super[\s-]?resolution|"
                    r"registration|anomaly detection|anomal\w+ (?:detection|segmentation)|outlier detection|"
                    r"artifact (?:reduction|removal|correction)|motion correction)\b")
#: Image kinds outside the review's modalities.
WRONG_MODALITY = _rx(r"\b(?:histolog\w*|histopatholog\w*|patholog\w+ (?:slides?|images?)|whole[\s-]slide|"
                     r"microscop\w*|cytolog\w*|fundus|retina\w*|optical coherence tomography|oct angiography|"
                     r"endoscop\w*|colonoscop\w*|dermoscop\w*|dermatolog\w*|skin lesions?|h&e|"
                     r"stain(?:ed|ing)? normali[sz]ation)\b")
#: Analysis tasks that are out of scope unless the entry also synthesises images.
ANALYSIS_TASK = _rx(r"\b(?:segment\w*|classif\w*|detect\w*|diagnos\w*|prognos\w*|survival|"
                    r"predict\w*|localis\w*|localiz\w*|quantif\w*)\b")
#: Words that say images are created or translated.
SYNTHESIS_CUE = _rx(r"\b(?:synthe\w*|generat\w*|translat\w*|augment\w*|pseudo[\s-]\w+|"
                    r"(?:s|p|v)CT\b|simulat\w*|image[\s-]to[\s-]image|cycle-?gan|pix2pix|gans?\b|"
                    r"diffusion models?|variational auto-?encoders?|counterfactual\w*|inpaint\w*|"
                    r"missing (?:modalit\w*|contrasts?|sequences?))")


def _out_of_scope(parts: list[tuple[str, str]], ann: Annotation) -> None:
    """Propose an exclusion, with the review's criterion, for medical-imaging entries that
    are not generative creation or translation (the screener accepts it with one command).

    Read from the title (the abstract of an in-scope paper mentions segmentation or
    denoising often enough); only the absence of any synthesis word looks at every part.
    """
    title = next((t for w, t in parts if w == "title"), "")
    if not title:
        return
    every = " ".join(t for _, t in parts)
    titled = SYNTHESIS_CUE.search(title)
    stated = {V.top_level(c) for p in ann.get("translation") if not p.rule.startswith("assumed")
              for side in ("sources", "targets") for c in p.value[side]}
    m = WRONG_MODALITY.search(title)
    if m and not stated & set(V.TOP_MODALITIES):
        ann.add(Proposal("out_of_scope", f"wrong-modality: {m.group(0).lower()}", m.group(0), "title",
                         "not one of the review's modalities"))
        return
    m = EXCLUDED_TASK.search(title)
    if m and not (titled and re.search(r"synthe|translat|generat", titled.group(0), re.I)):
        ann.add(Proposal("out_of_scope", f"wrong-task: {m.group(0).lower()}", m.group(0), "title",
                         "a task the review excludes"))
        return
    m = ANALYSIS_TASK.search(title)
    if m and not SYNTHESIS_CUE.search(every):
        ann.add(Proposal("out_of_scope", f"wrong-task: {m.group(0).lower()}", m.group(0), "title",
                         "analysis without image synthesis"))


def _direction_and_task(text: str, where: str, ann: Annotation, scan: dict | None = None) -> bool:
    """Read translations and the task from one text; False when it names no modality."""
    mentions = _mentions(text, scan)
    if not mentions:
        return False
    groups = _groups(text, mentions)
    ph = _placeholder(text, groups)
    found: list[tuple[tuple[str, ...], tuple[str, ...], str, str]] = []  # sources, targets, trigger, rule
    used: set[int] = set()

    def take(src: _Group | None, tgt: _Group, trigger: str, rule: str, src_codes=None, tgt_codes=None):
        s = tuple(src_codes) if src_codes is not None else (src.codes if src else ())
        t = tuple(tgt_codes) if tgt_codes is not None else tgt.codes
        if s == t and len(s) == 1 and rule not in ("within modality", "contrast synthesis"):
            return
        found.append((s, t, trigger, rule))
        if src is not None:
            used.add(groups.index(src))
        used.add(groups.index(tgt))

    def span(a: int, b: int) -> str:
        return text[min(groups[a].start, groups[b].start):max(groups[a].end, groups[b].end)]

    # 1. X-to-Y
    for m in DIRECTION_TO.finditer(ph):
        a, b = int(m.group(1)), int(m.group(2))
        take(groups[a], groups[b], span(a, b), "X-to-Y")
    # 2. Y from X
    for m in DIRECTION_FROM.finditer(ph):
        t, s = int(m.group(1)), int(m.group(3))
        if t in used and s in used:
            continue
        if groups[t].tops == groups[s].tops and groups[t].codes == groups[s].codes:
            continue
        take(groups[s], groups[t], span(t, s), "Y from X")
    # 3. attenuation correction
    ac = ATTENUATION.search(text)
    if ac and not found:
        mri = [g for g in groups if "MRI" in g.tops]
        pet = [g for g in groups if "PET" in g.tops]
        if mri:
            take(mri[0], mri[0], f"{mri[0].text} ... {ac.group(0)}", "attenuation correction",
                 src_codes=mri[0].codes, tgt_codes=("CT",))
        elif pet:
            take(pet[0], pet[0], f"{pet[0].text} ... {ac.group(0)}", "attenuation correction",
                 src_codes=("PET:NAC",), tgt_codes=("CT",))
    # 4. contrast synthesis
    cs = CONTRAST_SYN.search(text)
    if cs and not found:
        ct = [g for g in groups if "CT" in g.tops]
        mr = [g for g in groups if "MRI" in g.tops]
        if ct:
            take(ct[0], ct[-1], f"{cs.group(0)} ... {ct[0].text}", "contrast synthesis",
                 src_codes=("CT:NCCT",) if "dose" not in text.lower() else ("CT:CECT",),
                 tgt_codes=("CT:CECT",))
        elif mr:
            src = tuple(c for g in mr for c in g.codes if c != "MRI:T1ce") or ("MRI",)
            take(mr[0], mr[-1], f"{cs.group(0)} ... {mr[0].text}", "contrast synthesis",
                 src_codes=src, tgt_codes=("MRI:T1ce",))
    if not found and CONTRAST_TARGET.search(text):
        t1ce = [g for g in groups if "MRI:T1ce" in g.codes]
        if t1ce and (t1ce[0].synthetic or VERB_TARGET.search(ph) or SYNTH_VERB.search(text)):
            others = tuple(c for g in groups for c in g.codes if c not in ("MRI:T1ce",) and V.top_level(c) == "MRI")
            take(None, t1ce[0], t1ce[0].text, "contrast synthesis", src_codes=others or ("MRI",),
                 tgt_codes=("MRI:T1ce",))
    if not found and SYNTH_VERB.search(text):  # "simulate contrast-enhanced breast MRI"
        for g in groups:
            m = CE_BEFORE.search(text, max(0, g.start - 40), g.start)
            if m and g.tops & {"MRI", "CT"}:
                top = "CT" if "CT" in g.tops else "MRI"
                take(None, g, f"{m.group(0)}{g.text}", "contrast synthesis",
                     src_codes=("CT:NCCT",) if top == "CT" else ("MRI",),
                     tgt_codes=("CT:CECT",) if top == "CT" else ("MRI:T1ce",))
                break
    # 5. X-based Y
    for m in DIRECTION_BASED.finditer(ph):
        s, t = int(m.group(1)), int(m.group(4))
        if s in used or t in used or groups[s].codes == groups[t].codes:
            continue
        if m.group(2).lower() == "only" or groups[t].synthetic or SYNTH_VERB.search(m.group(3) + ph[m.end():m.end() + 40]):
            take(groups[s], groups[t], span(s, t), f"X-{m.group(2).lower()} Y")
    # 6. a synthetic target
    if not found:
        targets = [g for g in groups if g.synthetic]
        for m in VERB_TARGET.finditer(ph):
            g = groups[int(m.group(1))]
            if g not in targets:
                targets.append(g)
        for m in TARGET_NOUN.finditer(ph):
            g = groups[int(m.group(1))]
            if g not in targets and len({x.codes for x in groups}) > 1:
                targets.append(g)
        for tg in targets[:1]:
            sources = [g for g in groups if g is not tg and not (g.tops & tg.tops and g.codes == tg.codes)]
            sources = [g for g in sources if not g.synthetic]
            if sources:
                src_codes = tuple(dict.fromkeys(c for g in sources for c in g.codes if c not in tg.codes))
                if src_codes:
                    take(sources[0], tg, f"{tg.text} ... {sources[0].text}", "synthetic target",
                         src_codes=src_codes)
                    continue
            if tg.codes == ("CT",) and tg.synthetic:
                rt = RADIOTHERAPY.search(text)
                if rt:
                    take(None, tg, f"{tg.text} ... {rt.group(0)}", "synthetic CT for radiotherapy",
                         src_codes=("MRI",))
                elif (any(_norm(m.text) in _SYNTHETIC_KEYS for m in tg.members)
                      and not CREATION_ONLY.search(text) and not re.search(r"realistic|style-?gan|dcgan|progan|pggan",
                                                                          text, re.I)):
                    take(None, tg, tg.text, "synthetic CT (source not named; MRI is the usual one)",
                         src_codes=("MRI",))
            elif tg.synthetic and "MRI" in tg.tops and TRANSLATION_CUE.search(text):
                take(None, tg, tg.text, "synthetic MRI contrast", src_codes=("MRI",))
    # 7. CBCT alone -> CT
    if not found:
        cb = [g for g in groups if "CBCT" in g.codes]
        if cb:
            others = [g for g in groups if "CBCT" not in g.codes and not g.tops <= {"CT"}]
            if not others:
                take(cb[0], cb[0], cb[0].text, "CBCT correction", tgt_codes=("CT",))
    # MR-only radiotherapy needs a CT: MRI -> CT even when CT is not named
    if not found:
        rt = RADIOTHERAPY.search(text)
        mri = [g for g in groups if "MRI" in g.tops]
        if rt and mri and not any("CT" in g.tops for g in groups):
            take(mri[0], mri[0], f"{mri[0].text} ... {rt.group(0)}", "MR-only radiotherapy",
                 tgt_codes=("CT",))
    # 8. / 9. no direction words: by top level, in the order written
    clusters: dict[str, list[_Mention]] = {}
    for g in groups:
        for m in g.members:
            clusters.setdefault(V.top_level(m.code), []).append(m)
    tops = list(clusters)
    cue = TRANSLATION_CUE.search(text)
    strong = TRANSLATION_STRONG.search(text)
    creation = CREATION_ONLY.search(text)
    if strong and not re.search(r"augment", text, re.I):
        creation = None  # "cross-modality adaptation for MRI segmentation" is a translation
    between = BETWEEN.search(ph)
    bi = BIDIRECTIONAL.search(text)
    if not found and len(tops) >= 2 and (between or bi or (cue and not creation)):
        a, b = clusters[tops[0]], clusters[tops[1]]
        src = tuple(dict.fromkeys(m.code for m in a))
        tgt = tuple(dict.fromkeys(m.code for m in b))
        why = (between or bi or cue).group(0)
        found.append((src, tgt, f"{why} ... {a[0].text} ... {b[0].text}", "order written"))
        if between and not bi:
            found.append((tgt, src, f"{why} ... {a[0].text} ... {b[0].text}", "between X and Y, reversed"))
    elif not found and len(tops) == 1 and not creation:
        members = clusters[tops[0]]
        codes = tuple(dict.fromkeys(m.code for m in members))
        children = [c for c in codes if ":" in c]
        syn = tuple(dict.fromkeys(m.code for m in members if m.synthetic))
        verb = SYNTH_VERB.search(text)
        if cue or (len(children) >= 2 and verb) or (syn and verb and ":" in syn[0]):
            why = (cue or verb).group(0)
            if syn and set(syn) != set(codes):
                src, tgt = tuple(c for c in codes if c not in syn), syn
            elif len(children) >= 2:
                src, tgt = (children[0],), tuple(children[1:])
            elif syn:
                src, tgt = (tops[0],), syn
            else:
                src, tgt = (tops[0],), codes if children else (tops[0],)
            if tops[0] in ("US", "X-ray") and re.search(r"cycle|pix2pix", why, re.I) and not children:
                src = ()  # "ultrasound simulation using CycleGANs": translated from something unnamed
            found.append((src, tgt, f"{why} ... {members[0].text}", "within modality"))


    if found:
        for s, t, trig, rule in list(found):
            if bi and s and "reversed" not in rule and (t, s) not in [(x[0], x[1]) for x in found]:
                found.append((t, s, f"{bi.group(0)}: {trig}", f"{rule}, reversed"))
        for s, t, trig, rule in found:
            ann.add(Proposal("translation", {"sources": list(s), "targets": list(t)}, trig, where, rule))
        ann.add(Proposal("task", "translation", found[0][2], where, "a translation was found"))
        return True

    # creation: imaging modalities named, no translation between them
    imaging = list(dict.fromkeys(c for g in groups for c in g.codes))
    source, trig, rule = _creation_source(text, imaging)
    for code in imaging:
        src = source if source != "image" else code
        ann.add(Proposal("translation", {"sources": [src], "targets": [code]},
                         f"{trig} ... {next(g.text for g in groups if code in g.codes)}", where, rule))
    task = _creation_task(text, where)
    if task.value == "creation.other" and source == "label-map":
        task = Proposal("task", "creation.segmentation", trig, where,
                        "images made from label maps come with their masks: training data for segmentation")
    ann.add(task)
    return True


def _creation_source(text: str, imaging: list[str]) -> tuple[str, str, str]:
    for rx, code, rule in ((TEXT_SOURCE, "text", "creation from text"),
                           (INFILL, "image", "creation from an image (infilling / lesion insertion)"),
                           (LABEL_SOURCE, "label-map", "creation from a label map")):
        m = rx.search(text)
        if m:
            return code, m.group(0), rule
    m = CREATION_CUE.search(text)
    return "noise", (m.group(0) if m else "no source modality named"), "creation from noise"


LOCALISATION_CUE = _rx(r"\b(?:lesion|nodule|mass|object|metastas[ie]s|landmark)s?\s+detection\b")


def _creation_task(text: str, where: str) -> Proposal:
    seg = SEGMENTATION_CUE.search(text)
    cls = CLASSIFICATION_CUE.search(text)
    loc = LOCALISATION_CUE.search(text)
    if loc and not seg and not re.search(r"classif|diagnos", text, re.I):
        return Proposal("task", "creation.other", loc.group(0), where,
                        "lesion/object detection is localisation, not classification (creation.other)")
    if seg and (not cls or seg.start() <= cls.start()):
        return Proposal("task", "creation.segmentation", seg.group(0), where, "segmentation words")
    if cls:
        return Proposal("task", "creation.classification", cls.group(0), where, "classification words")
    m = CREATION_CUE.search(text)
    return Proposal("task", "creation.other", m.group(0) if m else "no downstream task named", where,
                    "creation without a classification or segmentation task")


#: Assumptions for entries that name no modality: the modality the review's studies of that
#: anatomy use. Marked ``assumed`` so the benchmark can score stated proposals alone.
ANATOMY_MODALITY = [
    (_rx(r"\b(?:brain|neuro\w*|alzheimer\w*|cerebral|cardiac|heart|prostate|knee)\b"), "MRI"),
    (_rx(r"\b(?:lung nodules?|pulmonary nodules?|nodules?|ground[\s-]glass|liver|hepatic|covid-19 ct)\b"), "CT"),
    (_rx(r"\b(?:chest|mammo\w*|thorax|thoracic)\b"), "X-ray"),
    (_rx(r"\b(?:breast|fetal|echocardio\w*|b-mode|speckle)\b"), "US"),
]
#: The review's most common family, assumed when an entry names none but is generative.
DEFAULT_FAMILY = ("GAN", _rx(r"\b(?:generat\w*|synthe\w*|deep learning|augment\w*|simulat\w*|translat\w*)\b"))


def _task_without_modality(text: str, where: str, ann: Annotation) -> None:
    cue = TRANSLATION_STRONG.search(text) or CONTRAST_SYN.search(text)
    if cue and not re.search(r"augment", text, re.I):
        ann.add(Proposal("task", "translation", cue.group(0), where, "translation words"))
        return
    ann.add(_creation_task(text, where))
    for rx, code in ANATOMY_MODALITY:
        m = rx.search(text)
        if m:
            source, trig, rule = _creation_source(text, [code])
            ann.add(Proposal("translation", {"sources": [code if source == "image" else source],
                                             "targets": [code]},
                             f"{trig} ... {m.group(0)}", where,
                             f"assumed: {rule}; no modality named, {m.group(0)!r} studies are mostly {code}"))
            return


def _families(text: str, where: str, ann: Annotation, scan: dict) -> None:
    found = scan.get("family", [])
    strong = [(raw, code) for _, _, code, raw in found if code not in WEAK_FAMILIES or _norm(raw) in STRONG_CNN]
    weak = [(raw, code) for _, _, code, raw in found if code in WEAK_FAMILIES and _norm(raw) not in STRONG_CNN]
    for m in ARCH_TOKEN.finditer(text):
        tok = m.group(1)
        low = tok.lower()
        if low.endswith("gan") and low not in ARCH_TOKEN_STOP:
            strong.append((tok, "GAN"))
        elif tok.endswith("Diff"):
            strong.append((tok, "diffusion"))
        elif tok.endswith(("ViT", "former")) and low not in ARCH_TOKEN_STOP:
            strong.append((tok, "transformer"))
    if re.search(r"\bGANs?\b", text):
        strong.append((re.search(r"\bGANs?\b", text).group(0), "GAN"))
    for m in scan.get("architecture", []):
        name = m[2]
        for fam in ARCHITECTURES.get(name, ()):
            strong.append((m[3], fam))
    diff = re.search(r"\b(?:diffusion)\b(?![\s-]*(?:weighted|tensor|mri|mr\b|imaging|images?|coefficient|kurtosis|maps?|data|scans?|analysis))",
                     text, re.I)
    if diff:
        strong.append((diff.group(0), "diffusion"))
    families = [c for _, c in strong]
    for raw, code in strong:
        ann.add(Proposal("family", code, raw, where, "family name" if code not in families[:0] else ""))
    if not ann.get("family"):
        for raw, code in weak:
            ann.add(Proposal("family", code, raw, where, "network named, no generative family"))


def _architectures(text: str, where: str, ann: Annotation, scan: dict) -> None:
    for _, _, name, raw in scan.get("architecture", []):
        ann.add(Proposal("architecture", name, raw, where, "known architecture"))
    if where == "title":
        m = ARCH_NAME_PREFIX.match(text)
        if m and len(m.group(1)) <= 30 and re.search(r"[A-Z].*[A-Z0-9]|[a-z][A-Z]", m.group(1)):
            name = re.sub(r"(GAN|Net)s$", r"\1", m.group(1))
            if not _known_arch(name):
                ann.add(Proposal("architecture", name, m.group(0).strip(), where, "name before the colon"))
    for m in ARCH_TOKEN.finditer(text):
        tok = re.sub(r"s$", "", m.group(1)) if m.group(1).endswith("GANs") else m.group(1)
        if tok.lower() in ARCH_TOKEN_STOP or len(tok) < 4 or _known_arch(tok):
            continue
        ann.add(Proposal("architecture", tok, m.group(0), where, "method-like name"))


def _known_arch(name: str) -> bool:
    key = re.sub(r"[^a-z0-9]", "", name.lower())
    return any(re.sub(r"[^a-z0-9]", "", n.lower()) == key for n in ARCHITECTURES) or any(
        re.sub(r"[^a-z0-9]", "", a) == key for a in ARCHITECTURE_ALIASES)


def _terms(where: str, ann: Annotation, scan: dict, name: str, rule: str) -> None:
    for _, _, code, raw in scan.get(name, []):
        ann.add(Proposal(name, code, raw, where, rule))


def _dims(text: str, where: str, ann: Annotation) -> None:
    low = text.lower()
    for code, hints, rx in DIMS_CUE:
        if not any(h in low for h in hints):  # cheap test first: most texts state no dimension
            continue
        for m in rx.finditer(text):
            before = text[m.start() - 1] if m.start() else " "
            if before.isalnum() or before == "." or (code == "2D" and text[max(0, m.start() - 2):m.start()] == ".5"):
                continue
            ann.add(Proposal("dims", code, m.group(0), where, "dimension words"))
            break


def _paired(text: str, where: str, ann: Annotation) -> None:
    un = UNPAIRED_CUE.search(text)
    pa = PAIRED_CUE.search(text)
    if pa and not (un and un.start() <= pa.start() <= un.end()):
        ann.add(Proposal("paired", True, pa.group(0), where, "paired words"))
    if un:
        ann.add(Proposal("paired", False, un.group(0), where, "unpaired words"))


def _creation_pairing(ann: Annotation) -> None:
    """Creation from noise or text has nothing to pair with; from a label map it is paired."""
    if ann.get("paired") or ann.task in (None, "translation"):
        return
    for p in ann.get("translation"):
        src = p.value["sources"]
        if src and src[0] in ("noise", "text"):
            ann.add(Proposal("paired", False, p.trigger, p.where, f"creation from {src[0]}"))
            return
        if src and src[0] == "label-map":
            ann.add(Proposal("paired", True, p.trigger, p.where, "creation from a label map"))
            return
