"""The controlled vocabulary: canonical codes and the synonyms users and papers write.

One place decides what "MR", "T1w", "sCT" or "CXR" means. Ingest, query, the miner and
the dashboard all normalise through :func:`normalise`, so a term that is unknown here is
an error everywhere (naming the closest known terms), never silently dropped.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from reviewdb.errors import UnknownTerm

# ---------------------------------------------------------------------------------------
# Modalities: top level as in the review's Figure 8, children for MRI contrasts and CT
# phases, pseudo-modalities for the inputs of creation.
# ---------------------------------------------------------------------------------------

#: Top-level imaging modalities, in the order the review's Figure 8 uses.
TOP_MODALITIES: tuple[str, ...] = ("MRI", "CT", "CBCT", "PET", "X-ray", "US")

#: Pseudo-modalities: what creation starts from.
PSEUDO_MODALITIES: tuple[str, ...] = ("noise", "label-map", "text")

#: code -> (parent, label)
MODALITIES: dict[str, tuple[str | None, str]] = {
    "MRI": (None, "Magnetic resonance imaging"),
    "MRI:T1": ("MRI", "T1-weighted MRI"),
    "MRI:T2": ("MRI", "T2-weighted MRI"),
    "MRI:PD": ("MRI", "Proton-density-weighted MRI"),
    "MRI:FLAIR": ("MRI", "Fluid-attenuated inversion recovery MRI"),
    "MRI:T1ce": ("MRI", "Contrast-enhanced T1-weighted MRI"),
    "MRI:DWI": ("MRI", "Diffusion-weighted MRI"),
    "MRI:ADC": ("MRI", "Apparent diffusion coefficient map"),
    "MRI:MRA": ("MRI", "Magnetic resonance angiography"),
    "CT": (None, "Computed tomography"),
    "CT:NCCT": ("CT", "Non-contrast CT"),
    "CT:CECT": ("CT", "Contrast-enhanced CT"),
    "CBCT": (None, "Cone-beam CT"),
    "PET": (None, "Positron emission tomography"),
    "PET:NAC": ("PET", "Non-attenuation-corrected PET"),
    "X-ray": (None, "Radiography (X-ray)"),
    "US": (None, "Ultrasound"),
    "noise": (None, "Random noise (creation input)"),
    "label-map": (None, "Label map / segmentation mask (creation input)"),
    "text": (None, "Text or class condition (creation input)"),
}

MODALITY_SYNONYMS: dict[str, str] = {
    "mr": "MRI", "mri": "MRI", "magnetic resonance": "MRI", "magnetic resonance imaging": "MRI",
    "smri": "MRI", "synthetic mri": "MRI", "pseudo-mri": "MRI", "pseudo mri": "MRI",
    "t1": "MRI:T1", "t1w": "MRI:T1", "t1-weighted": "MRI:T1", "t1 weighted": "MRI:T1",
    "mri:t1w": "MRI:T1",
    "t2": "MRI:T2", "t2w": "MRI:T2", "t2-weighted": "MRI:T2", "t2 weighted": "MRI:T2",
    "mri:t2w": "MRI:T2",
    "pd": "MRI:PD", "pdw": "MRI:PD", "proton density": "MRI:PD", "pd-weighted": "MRI:PD",
    "flair": "MRI:FLAIR", "t2-flair": "MRI:FLAIR", "t2 flair": "MRI:FLAIR",
    "t1ce": "MRI:T1ce", "t1c": "MRI:T1ce", "t1gd": "MRI:T1ce", "t1-gd": "MRI:T1ce",
    "t1+c": "MRI:T1ce", "cemri": "MRI:T1ce", "ce-mri": "MRI:T1ce",
    "contrast-enhanced t1": "MRI:T1ce", "contrast-enhanced mri": "MRI:T1ce",
    "dwi": "MRI:DWI", "diffusion-weighted": "MRI:DWI", "diffusion mri": "MRI:DWI",
    "dmri": "MRI:DWI", "adc": "MRI:ADC", "mra": "MRI:MRA", "tof-mra": "MRI:MRA",
    "ct": "CT", "computed tomography": "CT", "sct": "CT", "synthetic ct": "CT",
    "pseudo-ct": "CT", "pseudo ct": "CT", "pct": "CT", "synthetic-ct": "CT",
    "ncct": "CT:NCCT", "non-contrast ct": "CT:NCCT", "noncontrast ct": "CT:NCCT",
    "plain ct": "CT:NCCT", "cect": "CT:CECT", "contrast-enhanced ct": "CT:CECT",
    "cbct": "CBCT", "cone-beam ct": "CBCT", "cone beam ct": "CBCT", "cone-beam": "CBCT",
    "pet": "PET", "fdg-pet": "PET", "fdg pet": "PET", "pseudo-pet": "PET", "synthetic pet": "PET",
    "nac pet": "PET:NAC", "nac-pet": "PET:NAC", "pet nac": "PET:NAC",
    "non-attenuation-corrected pet": "PET:NAC",
    "x-ray": "X-ray", "xray": "X-ray", "x ray": "X-ray", "radiograph": "X-ray",
    "radiography": "X-ray", "cxr": "X-ray", "chest x-ray": "X-ray", "drr": "X-ray",
    "mammography": "X-ray", "mammogram": "X-ray",
    "us": "US", "ultrasound": "US", "sonography": "US", "eus": "US",
    "endoscopic ultrasound": "US",
    "noise": "noise", "random noise": "noise", "latent": "noise",
    "label-map": "label-map", "label map": "label-map", "mask": "label-map",
    "segmentation mask": "label-map", "labels": "label-map",
    "text": "text", "class label": "text", "prompt": "text",
}

TASKS: dict[str, str] = {
    "translation": "Cross-modality translation",
    "creation.classification": "Creation for classification",
    "creation.segmentation": "Creation for segmentation",
    "creation.other": "Creation for other tasks",
}
TASK_SYNONYMS = {
    "translation": "translation", "synthesis": "translation", "modality translation": "translation",
    "classification": "creation.classification", "creation-classification": "creation.classification",
    "segmentation": "creation.segmentation", "creation-segmentation": "creation.segmentation",
    "other": "creation.other", "creation": "creation.other", "creation-other": "creation.other",
}

FAMILIES: dict[str, str] = {
    "VAE": "Variational autoencoder",
    "GAN": "Generative adversarial network",
    "diffusion": "Diffusion model",
    "flow": "Normalising flow",
    "autoregressive": "Autoregressive model",
    "hybrid": "Hybrid generative model",
    "CNN": "Convolutional network (non-adversarial)",
    "transformer": "Transformer",
    "SSM": "State-space model",
}
FAMILY_SYNONYMS = {
    "vae": "VAE", "variational autoencoder": "VAE", "cvae": "VAE", "vq-vae": "VAE",
    "gan": "GAN", "gans": "GAN", "adversarial": "GAN", "generative adversarial network": "GAN",
    "cgan": "GAN", "dm": "diffusion", "ddpm": "diffusion", "diffusion model": "diffusion",
    "score-based": "diffusion", "ldm": "diffusion", "normalizing flow": "flow",
    "normalising flow": "flow", "ar": "autoregressive", "cnn": "CNN", "fcn": "CNN",
    "u-net": "CNN", "unet": "CNN", "vit": "transformer", "transformers": "transformer",
    "mamba": "SSM", "state space model": "SSM",
}

#: metric code -> (label, direction, default unit)
METRICS: dict[str, tuple[str, str, str]] = {
    "MAE": ("Mean absolute error", "lower", ""),
    "ME": ("Mean error", "lower", "HU"),
    "MSE": ("Mean squared error", "lower", ""),
    "NMSE": ("Normalised mean squared error", "lower", ""),
    "RMSE": ("Root mean squared error", "lower", ""),
    "PSNR": ("Peak signal-to-noise ratio", "higher", "dB"),
    "SSIM": ("Structural similarity", "higher", ""),
    "MS-SSIM": ("Multi-scale structural similarity", "higher", ""),
    "NCC": ("Normalised cross-correlation", "higher", ""),
    "FID": ("Frechet Inception distance", "lower", ""),
    "KID": ("Kernel Inception distance", "lower", ""),
    "IS": ("Inception score", "higher", ""),
    "MS": ("Mode score", "higher", ""),
    "MMD": ("Maximum mean discrepancy", "lower", ""),
    "WD": ("Wasserstein distance", "lower", ""),
    "LPIPS": ("Learned perceptual image patch similarity", "lower", ""),
    "Dice": ("Dice similarity coefficient", "higher", ""),
    "HD95": ("95th percentile Hausdorff distance", "lower", "mm"),
    "AUC": ("Area under the ROC curve", "higher", ""),
    "accuracy": ("Accuracy", "higher", "%"),
    "sensitivity": ("Sensitivity", "higher", "%"),
    "specificity": ("Specificity", "higher", "%"),
    "F1": ("F1 score", "higher", ""),
    "gamma": ("Dose gamma pass rate", "higher", "%"),
    "dose-diff": ("Dose difference", "lower", "%"),
}
METRIC_SYNONYMS = {
    "mean absolute error": "MAE", "mae": "MAE", "me": "ME", "mean error": "ME",
    "mse": "MSE", "nmse": "NMSE", "rmse": "RMSE", "psnr": "PSNR", "ssim": "SSIM",
    "ms-ssim": "MS-SSIM", "msssim": "MS-SSIM", "ncc": "NCC", "fid": "FID", "kid": "KID",
    "is": "IS", "inception score": "IS", "mode score": "MS", "mmd": "MMD",
    "wasserstein distance": "WD", "wd": "WD", "swd": "WD", "lpips": "LPIPS",
    "dice": "Dice", "dsc": "Dice", "dice score": "Dice", "hd95": "HD95", "auc": "AUC",
    "auroc": "AUC", "roc auc": "AUC", "acc": "accuracy", "accuracy": "accuracy",
    "sensitivity": "sensitivity", "recall": "sensitivity", "specificity": "specificity",
    "f1": "F1", "f1-score": "F1", "gamma pass rate": "gamma", "gamma": "gamma",
    "gpr": "gamma", "dose difference": "dose-diff", "dose-diff": "dose-diff",
}

ANATOMY: dict[str, str] = {
    code: code.replace("-", " ").capitalize()
    for code in (
        "brain", "head-neck", "chest", "lung", "heart", "breast", "abdomen", "liver",
        "kidney", "pancreas", "pelvis", "prostate", "spine", "knee", "bone", "dental",
        "whole-body", "fetal", "thyroid", "eye", "cervix", "rectum", "bladder", "skull",
        "vessels", "musculoskeletal", "nasopharynx", "esophagus", "colon", "uterus",
    )
}
ANATOMY_SYNONYMS = {
    "head and neck": "head-neck", "head & neck": "head-neck", "h&n": "head-neck",
    "hn": "head-neck", "head": "head-neck", "neck": "head-neck", "thorax": "chest",
    "thoracic": "chest", "lungs": "lung", "pulmonary": "lung", "cardiac": "heart",
    "abdominal": "abdomen", "hepatic": "liver", "renal": "kidney", "pelvic": "pelvis",
    "prostatic": "prostate", "spinal": "spine", "vertebra": "spine", "whole body": "whole-body",
    "teeth": "dental", "maxillofacial": "dental", "oral": "dental", "cranial": "skull",
    "neuro": "brain", "cerebral": "brain", "mammary": "breast", "craniofacial": "skull",
}

DIMS = ("2D", "2.5D", "3D")
INCLUSION_STATUSES = ("confirmed", "candidate", "excluded")
ROLES = ("proposed", "baseline")

#: Why a candidate fails the review's inclusion criteria. A catalog exclusion reason and a
#: screening exclusion start with one of these codes ("not-peer-reviewed: arXiv only").
EXCLUSION_REASONS = {
    "not-peer-reviewed": "not peer-reviewed (preprint, thesis, abstract only)",
    "out-of-years": "published outside the review's 2018-2023 window",
    "not-generative": "no generative or image-to-image model",
    "wrong-modality": "not one of the review's modalities (MRI, CT, CBCT, PET, X-ray, US)",
    "wrong-task": "an excluded task (denoising, reconstruction, super-resolution, registration, ...)",
    "not-primary": "not a primary study (review, survey, editorial)",
    "duplicate": "the same study as another record",
    "other": "another reason, given in words",
}


def exclusion_code(reason: str) -> str | None:
    """The controlled code a reason starts with (``"wrong-task: denoising"`` -> ``wrong-task``)."""
    head = reason.split(":", 1)[0].strip().lower()
    return head if head in EXCLUSION_REASONS else None


def architecture_norm(name: str) -> str:
    """``Pix2Pix``, ``pix2pix`` and ``pix-2-pix`` are one architecture; ``UNet++`` is not ``U-Net``."""
    return "".join(ch for ch in name.lower() if ch.isalnum() or ch == "+")


@dataclass(frozen=True)
class Vocabulary:
    """One controlled list: canonical codes plus the synonyms that map onto them."""

    kind: str
    codes: tuple[str, ...]
    synonyms: dict[str, str]

    def normalise(self, term: str) -> str:
        """Return the canonical code for ``term`` or raise :class:`UnknownTerm`.

        Matching ignores case, surrounding space and ``_``/``-`` variants, so "T1w",
        "t1-weighted" and "MRI:T1" all give "MRI:T1".
        """
        if not isinstance(term, str) or not term.strip():
            raise UnknownTerm(self.kind, repr(term), self.closest(str(term)))
        raw = term.strip()
        if raw in self.codes:
            return raw
        key = _fold(raw)
        for code in self.codes:
            if _fold(code) == key:
                return code
        if key in self.synonyms:
            return self.synonyms[key]
        spaced = key.replace("_", " ")
        if spaced in self.synonyms:
            return self.synonyms[spaced]
        raise UnknownTerm(self.kind, raw, self.closest(raw))

    def closest(self, term: str, n: int = 3) -> list[str]:
        """The known codes and synonyms nearest to ``term`` (for error messages)."""
        pool = list(self.codes) + list(self.synonyms)
        hits = difflib.get_close_matches(_fold(term), [_fold(p) for p in pool], n=n, cutoff=0.5)
        folded = {_fold(p): p for p in pool}
        out: list[str] = []
        for h in hits:
            name = folded[h]
            canon = self.synonyms.get(name, name)
            label = name if canon == name else f"{name} (= {canon})"
            if label not in out:
                out.append(label)
        return out


def _fold(term: str) -> str:
    return re.sub(r"\s+", " ", term.strip().lower())


MODALITY = Vocabulary("modality", tuple(MODALITIES), MODALITY_SYNONYMS)
TASK = Vocabulary("task", tuple(TASKS), TASK_SYNONYMS)
FAMILY = Vocabulary("model family", tuple(FAMILIES), FAMILY_SYNONYMS)
METRIC = Vocabulary("metric", tuple(METRICS), METRIC_SYNONYMS)
ANATOMY_VOCAB = Vocabulary("anatomy", tuple(ANATOMY), ANATOMY_SYNONYMS)
DIMS_VOCAB = Vocabulary("dims", DIMS, {"2d": "2D", "3d": "3D", "2.5d": "2.5D"})


def top_level(modality_code: str) -> str:
    """The Figure 8 level of a modality code: ``MRI:T1`` -> ``MRI``."""
    parent = MODALITIES[modality_code][0]
    return modality_code if parent is None else parent


def ancestors_and_self(modality_code: str) -> tuple[str, ...]:
    """``MRI:T1`` -> (``MRI:T1``, ``MRI``); a top-level code -> itself."""
    top = top_level(modality_code)
    return (modality_code,) if top == modality_code else (modality_code, top)


def descendants_and_self(modality_code: str) -> tuple[str, ...]:
    """``MRI`` -> (``MRI``, ``MRI:T1``, ``MRI:T2``, ...)."""
    return (modality_code,) + tuple(c for c, (p, _) in MODALITIES.items() if p == modality_code)


def is_imaging(modality_code: str) -> bool:
    """False for the pseudo-modalities (noise, label-map, text) that creation starts from."""
    return modality_code not in PSEUDO_MODALITIES


#: What studies can be counted by (``query.counts_by``, ``reviewdb stats --by``): the
#: command line lists them without importing the query layer.
COUNT_DIMENSIONS = ("year", "task", "family", "architecture", "anatomy", "dataset", "status", "venue",
                    "source", "target", "paired", "dims")
