"""Real data from a local path, returned as the same ``SliceSet`` the simulator produces.

- NIfTI folders (nibabel), in the layouts of
  IXI (``IXI002-Guys-0828-T1.nii.gz`` flat files), BraTS (``<case>/<case>_t1.nii.gz``,
  ``_t1ce``, ``_t2``, ``_flair``, ``_seg``) and SynthRAD (``<case>/mr.nii.gz``, ``ct``,
  ``cbct``, ``mask``): a subject is a sub-folder, or the file-name part before the last
  ``-``/``_``; the modality is the rest, normalised through ``MODALITY_ALIASES``.
- DICOM series (pydicom): one folder per series (sub-folders = subjects), slices sorted by
  ``ImagePositionPatient``/``InstanceNumber``, HU through RescaleSlope/Intercept; the
  modality comes from the Modality tag (CT, MR -> ``MR``, PT -> PET).
- MedMNIST ``.npz`` (``train_images``/``train_labels`` ...): one image per "subject",
  modality ``image``, labels kept for creation/downstream tasks.

Nothing is downloaded; every loader reads only the path it is given.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from reproductions.data.physics import WINDOWS, Window
from reproductions.data.sliceset import SliceSet

MODALITY_ALIASES = {
    "t1": "T1", "t1w": "T1", "mprage": "T1", "t2": "T2", "t2w": "T2", "pd": "PD", "pdw": "PD",
    "flair": "FLAIR", "t2flair": "FLAIR", "t1ce": "T1ce", "t1gd": "T1ce", "t1c": "T1ce",
    "mr": "MR", "mri": "MR", "ct": "CT", "cbct": "CBCT", "pet": "PET", "pt": "PET",
    "mra": "MRA", "dwi": "DWI", "adc": "ADC",
}
MASK_NAMES = {"seg", "label"}  # lesion / tumour labels (BraTS)
BODY_NAMES = {"mask", "brainmask"}  # the body or brain mask a challenge scores inside (SynthRAD: mask.nii.gz)


def _window_for(modality: str, volume: np.ndarray) -> Window:
    """CT/CBCT keep the fixed HU window; other modalities are scaled per volume to the
    99.5th percentile of their non-zero voxels (unit 'a.u.')."""
    if modality in ("CT", "CBCT"):
        return WINDOWS[modality]
    nz = volume[volume > 0]
    hi = float(np.percentile(nz, 99.5)) if nz.size else 1.0
    return Window(0.0, max(hi, 1e-6), "a.u.")


def _resize(x: torch.Tensor, size: int, mode: str = "bilinear") -> torch.Tensor:
    """(N, 1, h, w) -> (N, 1, size, size): pad to square, then resize."""
    h, w = x.shape[-2:]
    s = max(h, w)
    pad_val = float(x.min()) if x.numel() else 0.0
    x = F.pad(x, ((s - w) // 2, s - w - (s - w) // 2, (s - h) // 2, s - h - (s - h) // 2), value=pad_val)
    if mode == "nearest":
        return F.interpolate(x, size=(size, size), mode="nearest")
    return F.interpolate(x, size=(size, size), mode=mode, align_corners=False, antialias=True)


def _slices(vol: np.ndarray, n: int) -> np.ndarray:
    """n axial slices evenly spread over the middle 60 % of the volume: (n, H, W)."""
    Z = vol.shape[2]
    zs = np.unique(np.linspace(int(0.2 * Z), int(0.8 * Z) - 1, n).round().astype(int)) if Z > 1 else np.array([0])
    return np.stack([np.rot90(vol[:, :, z]) for z in zs])


def _assemble(subjects: dict[str, dict[str, np.ndarray]], masks: dict[str, np.ndarray], size: int,
              slices_per_subject: int, bodies: dict[str, np.ndarray] | None = None) -> SliceSet:
    # keep modalities most subjects have, then only subjects that have all of them
    counts: dict[str, int] = {}
    for v in subjects.values():
        for m in v:
            counts[m] = counts.get(m, 0) + 1
    top = max(counts.values(), default=0)
    mods = sorted(m for m, c in counts.items() if 2 * c >= top)
    subjects = {k: v for k, v in subjects.items() if all(m in v for m in mods)}
    if not mods or not subjects:
        raise ValueError("no subject has the modalities the data set mostly has")
    images: dict[str, list[torch.Tensor]] = {m: [] for m in mods}
    windows: dict[str, Window] = {}
    subj, body, lesion = [], [], []
    for i, (name, vols) in enumerate(sorted(subjects.items())):
        ref = None
        for m in mods:
            vol = vols[m].astype(np.float32)
            win = _window_for(m, vol)
            windows.setdefault(m, win if m in ("CT", "CBCT") else Window(0.0, 1.0, "a.u. (scaled per volume)"))
            sl = torch.from_numpy(_slices(vol, slices_per_subject).copy())[:, None]
            sl = win.to_net(sl)
            images[m].append(_resize(sl, size))
            ref = sl if ref is None else ref
        n = images[mods[0]][-1].shape[0]
        subj.append(torch.full((n,), i, dtype=torch.long))
        if bodies and name in bodies:  # the data set's own body mask, as its challenge scores inside it
            bm = torch.from_numpy(_slices(bodies[name].astype(np.float32), slices_per_subject).copy())[:, None]
            b = _resize(bm, size, "nearest") > 0
        else:
            b = _resize(ref, size) > -0.95
        body.append(b)
        if name in masks:
            seg = torch.from_numpy(_slices(masks[name].astype(np.float32), slices_per_subject).copy())[:, None]
            lesion.append(_resize(seg, size, "nearest") > 0)
        else:
            lesion.append(torch.zeros_like(b))
    lesion_t = torch.cat(lesion)
    out = SliceSet({m: torch.cat(v).contiguous() for m, v in images.items()}, torch.cat(subj), torch.cat(body),
                   lesion_t, lesion_t.flatten(1).any(1).long())
    out.windows = windows
    return out


def _split_name(stem: str) -> tuple[str, str]:
    parts = re.split(r"[-_]", stem)
    return "-".join(parts[:-1]), parts[-1]


def load_nifti_folder(path: str | Path, *, size: int = 64, slices_per_subject: int = 8) -> SliceSet:
    """IXI / BraTS / SynthRAD-style NIfTI folder -> ``SliceSet`` (subjects with every modality)."""
    import nibabel as nib

    path = Path(path)
    files = sorted(p for p in path.rglob("*") if p.name.endswith((".nii", ".nii.gz")))
    if not files:
        raise ValueError(f"no NIfTI files under {path}")
    subjects: dict[str, dict[str, np.ndarray]] = {}
    masks: dict[str, np.ndarray] = {}
    bodies: dict[str, np.ndarray] = {}
    for f in files:
        stem = f.name.removesuffix(".gz").removesuffix(".nii")
        if f.parent != path:  # BraTS / SynthRAD: folder per subject
            subject = f.parent.name
            key = stem[len(subject):].lstrip("-_") if stem.startswith(subject) else stem
        else:  # IXI: flat files
            subject, key = _split_name(stem)
        key = key.lower()
        vol = np.asarray(nib.load(str(f)).dataobj, dtype=np.float32)
        if vol.ndim == 4:
            vol = vol[..., 0]
        if key in MASK_NAMES:
            masks[subject] = vol
        elif key in BODY_NAMES:
            bodies[subject] = vol
        elif key in MODALITY_ALIASES:
            subjects.setdefault(subject, {})[MODALITY_ALIASES[key]] = vol
    return _assemble(subjects, masks, size, slices_per_subject, bodies)


def load_dicom_folder(path: str | Path, *, size: int = 64, slices_per_subject: int = 8) -> SliceSet:
    """Folder(s) of DICOM series -> ``SliceSet``; a series' folder name is its subject."""
    import pydicom

    path = Path(path)
    series: dict[tuple[str, str], list] = {}
    for f in sorted(path.rglob("*")):
        if not f.is_file():
            continue
        try:
            ds = pydicom.dcmread(str(f))
        except Exception:  # not a DICOM file
            continue
        if "PixelData" not in ds:
            continue
        mod = {"MR": "MR", "CT": "CT", "PT": "PET"}.get(str(getattr(ds, "Modality", "")), str(getattr(ds, "Modality", "OT")))
        subject = str(getattr(ds, "PatientID", "") or f.parent.name)
        series.setdefault((subject, mod), []).append(ds)
    if not series:
        raise ValueError(f"no DICOM images under {path}")
    subjects: dict[str, dict[str, np.ndarray]] = {}
    for (subject, mod), dss in series.items():
        dss.sort(key=lambda d: (float(d.ImagePositionPatient[2]) if "ImagePositionPatient" in d
                                else float(getattr(d, "InstanceNumber", 0))))
        vol = np.stack([d.pixel_array.astype(np.float32) * float(getattr(d, "RescaleSlope", 1))
                        + float(getattr(d, "RescaleIntercept", 0)) for d in dss], axis=-1)
        subjects.setdefault(subject, {})[mod] = np.rot90(vol, k=-1, axes=(0, 1))
    return _assemble(subjects, {}, size, slices_per_subject)


def load_medmnist(path: str | Path, *, size: int | None = None, split: str | None = None) -> SliceSet:
    """MedMNIST ``.npz`` -> ``SliceSet`` with modality ``image``; every image is its own
    subject. ``split`` picks train/val/test, else all splits are concatenated."""
    with np.load(path) as f:
        splits = [split] if split else [s for s in ("train", "val", "test") if f"{s}_images" in f]
        if not splits:
            raise ValueError(f"{path} has no <split>_images arrays (MedMNIST format)")
        imgs = np.concatenate([f[f"{s}_images"] for s in splits])
        labels = np.concatenate([f[f"{s}_labels"].reshape(len(f[f"{s}_images"]), -1)[:, 0] for s in splits])
    x = torch.from_numpy(imgs.astype(np.float32))
    if x.dim() == 4:  # RGB -> grey
        x = x.mean(-1)
    x = (x / 127.5 - 1)[:, None]
    if size and size != x.shape[-1]:
        x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False, antialias=True)
    n = len(x)
    out = SliceSet({"image": x.contiguous()}, torch.arange(n), torch.ones_like(x, dtype=torch.bool),
                   torch.zeros_like(x, dtype=torch.bool), torch.from_numpy(labels.astype(np.int64)))
    out.windows = {"image": Window(-1.0, 1.0, "a.u.")}
    return out


def load_path(path: str | Path, *, size: int = 64, slices_per_subject: int = 8) -> SliceSet:
    """Dispatch on what is at ``path``: ``.npz`` -> MedMNIST, DICOM files -> DICOM, else NIfTI."""
    path = Path(path)
    if not path.exists():
        raise ValueError(f"data path {path} does not exist")
    if path.suffix == ".npz":
        return load_medmnist(path, size=size)
    if any(p.suffix.lower() == ".dcm" for p in path.rglob("*")):
        return load_dicom_folder(path, size=size, slices_per_subject=slices_per_subject)
    return load_nifti_folder(path, size=size, slices_per_subject=slices_per_subject)
