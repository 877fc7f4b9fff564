"""Physics-based multi-modal brain simulator (MRI T1/T2/PD/FLAIR, CT, CBCT, PET).

Each synthetic subject takes real anatomy (MNI152 tissue maps shipped with nilearn,
``anatomy.py``), grows a skull and scalp of subject-specific thickness, adds optional
white-matter lesions (with masks), deforms the result smoothly (random affine plus a
coarse elastic field) and renders every modality with the physics in ``physics.py``
(independent bias fields and noise per acquisition). Everything is a function of
``(seed, subject index)``, so any subject is reproducible on its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from reproductions.data import physics
from reproductions.data.anatomy import FOV, load_anatomy
from reproductions.data.sliceset import SliceSet


@dataclass(frozen=True)
class SimConfig:
    """Simulator settings.

    :param n_subjects: synthetic subjects
    :param slices_per_subject: axial slices per subject (spaced ``slice_step`` mm apart)
    :param image_size: output H = W in pixels (field of view 240 mm)
    :param lesion_prob: probability that a subject has lesions
    :param modalities: which modalities to render
    """

    n_subjects: int = 24
    slices_per_subject: int = 8
    slice_step: int = 4
    image_size: int = 64
    lesion_prob: float = 0.5
    seed: int = 0
    modalities: tuple[str, ...] = ("T1", "T2", "PD", "FLAIR", "CT", "CBCT", "PET")

    def __post_init__(self) -> None:
        unknown = [m for m in self.modalities if m not in physics.MODALITIES]
        if unknown:
            raise ValueError(f"unknown modality {unknown}; choices: {list(physics.MODALITIES)}")
        if self.image_size < 16:
            raise ValueError("image_size must be >= 16")


def head_layers(dist: torch.Tensor, g: torch.Generator) -> torch.Tensor:
    """Extracerebral layers from the distance (mm) to the brain: CSF rim, skull, fat, skin.

    Returns fractions (4, H, W) for (csf, bone, fat, soft) with a 1 mm partial-volume ramp.
    Thicknesses are drawn per subject: CSF 1-3 mm, skull 5-8 mm, fat 2-5 mm, skin 1.5-3 mm.
    """
    u = torch.rand(4, generator=g)
    t = torch.stack([1 + 2 * u[0], 5 + 3 * u[1], 2 + 3 * u[2], 1.5 + 1.5 * u[3]])
    edges = torch.cumsum(t, 0)

    def ramp(e: torch.Tensor) -> torch.Tensor:
        return (e - dist + 0.5).clamp(0, 1)  # 1 inside edge e, 0 beyond

    inside = [ramp(e) for e in edges]
    outside_brain = (dist > 0).float()
    csf = inside[0] * outside_brain
    bone = (inside[1] - inside[0]) * outside_brain
    fat = inside[2] - inside[1]
    soft = inside[3] - inside[2]
    return torch.stack([csf, bone, fat, soft])


def _deformation_grid(n: int, g: torch.Generator, out: int) -> torch.Tensor:
    """Sampling grids (n, out, out, 2): random affine (rotation +-8 deg, scale 0.92-1.08,
    shift +-3 %) composed with a smooth elastic field (4x4 control points, ~2 mm)."""
    ang = (torch.rand(n, generator=g) * 2 - 1) * math.radians(8)
    sc = 0.92 + 0.16 * torch.rand(n, 2, generator=g)
    sh = (torch.rand(n, 2, generator=g) * 2 - 1) * 0.03
    cos, sin = torch.cos(ang), torch.sin(ang)
    theta = torch.stack([
        torch.stack([cos / sc[:, 0], -sin / sc[:, 0], sh[:, 0]], 1),
        torch.stack([sin / sc[:, 1], cos / sc[:, 1], sh[:, 1]], 1)], 1)  # (n, 2, 3)
    grid = F.affine_grid(theta, [n, 1, out, out], align_corners=False)
    coarse = torch.randn(n, 2, 4, 4, generator=g) * (2.0 / (FOV / 2))  # ~2 mm in grid units
    elastic = F.interpolate(coarse, size=(out, out), mode="bicubic", align_corners=True)
    return grid + elastic.permute(0, 2, 3, 1)


def _lesions(frac: torch.Tensor, g: torch.Generator, px_mm: float) -> torch.Tensor:
    """Add 1-3 ellipsoidal WM lesions (radius 3-9 mm) to fractions (K, H, W) in place of
    GM/WM; returns the updated fractions."""
    H, W = frac.shape[-2:]
    wm = frac[3]
    cand = torch.nonzero(wm > 0.6)
    if len(cand) == 0:
        return frac
    yy, xx = torch.meshgrid(torch.arange(H, dtype=torch.float32), torch.arange(W, dtype=torch.float32), indexing="ij")
    blob = torch.zeros(H, W)
    for _ in range(1 + int(torch.randint(3, (1,), generator=g))):
        c = cand[torch.randint(len(cand), (1,), generator=g)][0].float()
        r = (3 + 6 * torch.rand(2, generator=g)) / px_mm
        a = torch.rand((), generator=g) * math.pi
        dy, dx = yy - c[0], xx - c[1]
        u = (dx * torch.cos(a) + dy * torch.sin(a)) / r[0]
        v = (-dx * torch.sin(a) + dy * torch.cos(a)) / r[1]
        blob = torch.maximum(blob, torch.sigmoid((1 - torch.sqrt(u**2 + v**2)) * 4))
    blob = blob * (frac[2] + frac[3])
    tot = (frac[2] + frac[3]).clamp_min(1e-6)
    frac = frac.clone()
    frac[2] = frac[2] - blob * frac[2] / tot
    frac[3] = frac[3] - blob * frac[3] / tot
    frac[7] = blob
    return frac


def simulate_subject(cfg: SimConfig, subject: int) -> dict[str, torch.Tensor]:
    """Render one subject: ``{modality: (S, 1, H, W) physical units, 'frac', 'lesion', 'body'}``."""
    anat = load_anatomy()
    g = torch.Generator().manual_seed(cfg.seed * 1_000_003 + subject)
    S, out = cfg.slices_per_subject, cfg.image_size
    px_mm = FOV / out
    span = (S - 1) * cfg.slice_step
    z0 = int(torch.randint(0, max(1, anat.n_slices - span), (1,), generator=g))
    zs = [min(anat.n_slices - 1, z0 + i * cfg.slice_step) for i in range(S)]
    # work at twice the output resolution (at most 1 mm): area-averaged fractions keep partial volumes
    work = min(FOV, 2 * out)
    brain = F.interpolate(anat.brain[zs], size=(work, work), mode="area")  # (S, 3, work, work)
    dist = F.interpolate(anat.dist[zs][:, None], size=(work, work), mode="area")[:, 0]  # mm
    layers = head_layers(dist, g)  # (4, S, work, work)
    frac = torch.zeros(S, physics.K, work, work)
    frac[:, 1] = brain[:, 0] + layers[0]
    frac[:, 2], frac[:, 3] = brain[:, 1], brain[:, 2]
    frac[:, 6], frac[:, 4], frac[:, 5] = layers[1], layers[2], layers[3]
    frac[:, 0] = (1 - frac[:, 1:].sum(1)).clamp(0, 1)
    # one deformation per subject, shared by all its slices and modalities (co-registered)
    grid = _deformation_grid(1, g, out).expand(S, -1, -1, -1)
    frac = F.grid_sample(frac, grid, mode="bilinear", padding_mode="border", align_corners=False)
    has_lesion = bool(torch.rand((), generator=g) < cfg.lesion_prob)
    if has_lesion:
        frac = torch.stack([_lesions(f, g, px_mm) for f in frac])
    frac[:, 0] = (1 - frac[:, 1:].sum(1)).clamp(0, 1)
    lesion_uptake = float(0.2 + 1.2 * torch.rand((), generator=g))
    result: dict[str, torch.Tensor] = {}
    for m in cfg.modalities:
        if m in physics.SEQUENCES:
            img = [physics.render_mri(f, physics.SEQUENCES[m], g) for f in frac]
        elif m == "CT" or m == "CBCT":
            if "CT" not in result:
                result["CT"] = torch.stack([physics.render_ct(f, g, px_mm=px_mm) for f in frac])[:, None]
            if m == "CT":
                continue
            img = [physics.render_cbct(c[0], f, g) for c, f in zip(result["CT"], frac)]
        else:  # PET
            img = [physics.render_pet(f, g, lesion_uptake=lesion_uptake, px_mm=px_mm) for f in frac]
        result[m] = torch.stack(img)[:, None]
    if "CT" in result and "CT" not in cfg.modalities:
        del result["CT"]
    result["lesion"] = frac[:, 7:8] > 0.5
    result["body"] = frac[:, :1] < 0.5
    return result


def simulate(cfg: SimConfig) -> SliceSet:
    """Simulate ``cfg.n_subjects`` subjects into a ``SliceSet`` (network range [-1, 1]).

    >>> data = simulate(SimConfig(n_subjects=4, slices_per_subject=2, image_size=32))
    >>> data.images["T1"].shape
    torch.Size([8, 1, 32, 32])
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # many tiny ops: thread hand-offs cost more than they save
    try:
        parts = [simulate_subject(cfg, s) for s in range(cfg.n_subjects)]
    finally:
        torch.set_num_threads(threads)
    images = {m: torch.cat([p[m] for p in parts]) for m in cfg.modalities}
    images = {m: physics.WINDOWS[m].to_net(x).contiguous() for m, x in images.items()}
    lesion = torch.cat([p["lesion"] for p in parts])
    return SliceSet(
        images=images,
        subject=torch.arange(cfg.n_subjects).repeat_interleave(cfg.slices_per_subject),
        body=torch.cat([p["body"] for p in parts]),
        lesion=lesion,
        label=lesion.flatten(1).any(1).long(),
    )
