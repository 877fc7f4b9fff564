"""Tissue parameters and imaging physics: MRI signal equations, CT/CBCT in HU, FDG-PET.

Tissue classes (channel order of every tissue-fraction tensor ``F`` of shape (K, H, W)):
``background, CSF, GM, WM, fat, soft (skin/muscle), bone, lesion``. A pixel's signal is
the fraction-weighted sum of the tissue signals (partial-volume mixing).

Sources of the parameter values
-------------------------------
- MRI T1/T2/PD at 1.5 T: the BrainWeb simulator's tissue table (Collins et al., "Design
  and construction of a realistic digital brain phantom", IEEE TMI 17(3):463-468, 1998;
  Kwan, Evans & Pike, "MRI simulation-based evaluation of image-processing and
  classification methods", IEEE TMI 18(11):1085-1097, 1999): CSF 2569/329 ms PD 1.0,
  GM 833/83 ms PD 0.86, WM 500/70 ms PD 0.77, fat 350/70 ms PD 1.0, muscle/skin
  900/47 ms PD 1.0.
- Cortical bone: ultrashort T2 (~0.4-0.5 ms) and low visible proton density (Du & Bydder,
  "Qualitative and quantitative ultrashort-TE MRI of cortical bone", NMR Biomed 26:489,
  2013); we use T2 = 0.5 ms, PD = 0.05, T1 = 300 ms (BrainWeb sets skull PD to 0).
- Lesion (MS-like white-matter lesion): prolonged T1 and T2 relative to WM; T1 = 1100 ms,
  T2 = 200 ms, PD = 0.9 are approximate values chosen inside the ranges that MS
  relaxometry studies report for chronic lesions at 1.5 T (not taken from one source).
- CT Hounsfield units: textbook values (e.g. Bushberg et al., *The Essential Physics of
  Medical Imaging*, 3rd ed., 2012, table of CT numbers): air -1000, fat about -90,
  CSF about 8, white matter about 28, grey matter about 40, soft tissue/muscle about 50,
  skull bone about 1000 (cortical bone reaches 1000-2000; diploe is lower).
- FDG-PET relative uptake: grey/white-matter ratio of about 3 at rest (e.g. Phelps et al.,
  Ann Neurol 6:371-388, 1979, report CMRglc GM ~ 3x WM), CSF near zero, extracerebral tissue
  low. Scanner resolution about 4-6 mm FWHM for clinical PET/CT (we use 5 mm).

Sequence parameters (stated, IXI/clinical-like): T1w spin echo TR=500 ms, TE=15 ms;
T2w spin echo TR=4000 ms, TE=100 ms; PD spin echo TR=3000 ms, TE=15 ms; FLAIR inversion
recovery TR=9000 ms, TE=120 ms, TI=1700 ms (close to the CSF null TI = T1 ln(2/(1+e^-TR/T1))).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

TISSUES = ("background", "csf", "gm", "wm", "fat", "soft", "bone", "lesion")
K = len(TISSUES)

# T1 [ms], T2 [ms], PD [a.u.] at 1.5 T (sources in the module docstring)
T1_MS = torch.tensor([1.0, 2569.0, 833.0, 500.0, 350.0, 900.0, 300.0, 1100.0])
T2_MS = torch.tensor([1.0, 329.0, 83.0, 70.0, 70.0, 47.0, 0.5, 200.0])
PD = torch.tensor([0.0, 1.0, 0.86, 0.77, 1.0, 1.0, 0.05, 0.9])
HU = torch.tensor([-1000.0, 8.0, 40.0, 28.0, -90.0, 50.0, 1000.0, 20.0])
FDG_UPTAKE = torch.tensor([0.0, 0.05, 1.0, 0.33, 0.08, 0.15, 0.10, 0.5])


@dataclass(frozen=True)
class Sequence:
    """An MRI pulse sequence. ``ti_ms`` set -> inversion recovery, else spin echo."""

    name: str
    tr_ms: float
    te_ms: float
    ti_ms: float | None = None

    def signal(self, t1: torch.Tensor, t2: torch.Tensor, pd: torch.Tensor) -> torch.Tensor:
        """Steady-state magnitude signal per tissue.

        Spin echo (TE << TR): ``S = PD (1 - exp(-TR/T1)) exp(-TE/T2)``.
        Inversion recovery:   ``S = PD |1 - 2 exp(-TI/T1) + exp(-TR/T1)| exp(-TE/T2)``.
        """
        e2 = torch.exp(-self.te_ms / t2)
        if self.ti_ms is None:
            return pd * (1 - torch.exp(-self.tr_ms / t1)) * e2
        return pd * (1 - 2 * torch.exp(-self.ti_ms / t1) + torch.exp(-self.tr_ms / t1)).abs() * e2


SEQUENCES = {
    "T1": Sequence("T1", tr_ms=500.0, te_ms=15.0),
    "T2": Sequence("T2", tr_ms=4000.0, te_ms=100.0),
    "PD": Sequence("PD", tr_ms=3000.0, te_ms=15.0),
    "FLAIR": Sequence("FLAIR", tr_ms=9000.0, te_ms=120.0, ti_ms=1700.0),
}


@dataclass(frozen=True)
class Window:
    """Maps a modality's physical values ``[lo, hi]`` (``unit``) to the network range [-1, 1]."""

    lo: float
    hi: float
    unit: str

    def to_net(self, x: torch.Tensor) -> torch.Tensor:
        return ((x - self.lo) / (self.hi - self.lo) * 2 - 1).clamp(-1, 1)

    def to_physical(self, x: torch.Tensor) -> torch.Tensor:
        return (x.clamp(-1, 1) + 1) / 2 * (self.hi - self.lo) + self.lo


def tissue_signals(seq: Sequence) -> torch.Tensor:
    return seq.signal(T1_MS, T2_MS, PD)  # (K,)


def _mri_window(seq: Sequence) -> Window:
    return Window(0.0, float(tissue_signals(seq).max()) * 1.15, "a.u.")


WINDOWS: dict[str, Window] = {name: _mri_window(s) for name, s in SEQUENCES.items()}
WINDOWS["CT"] = Window(-1000.0, 2000.0, "HU")
WINDOWS["CBCT"] = Window(-1000.0, 2000.0, "HU")
WINDOWS["PET"] = Window(0.0, 1.6, "SUVr")
MODALITIES = tuple(WINDOWS)


def _smooth_field(shape: tuple[int, int], coarse: int, g: torch.Generator) -> torch.Tensor:
    """A smooth random field in about [-1, 1]: coarse Gaussian noise, bicubic upsampled."""
    c = torch.randn(1, 1, coarse, coarse, generator=g)
    return F.interpolate(c, size=shape, mode="bicubic", align_corners=True)[0, 0]


def gaussian_blur(x: torch.Tensor, sigma_px: float) -> torch.Tensor:
    """Separable Gaussian blur of a (H, W) or (N, C, H, W) tensor; reflect padding."""
    if sigma_px <= 0:
        return x
    squeeze = x.dim() == 2
    if squeeze:
        x = x[None, None]
    r = max(1, int(math.ceil(3 * sigma_px)))
    t = torch.arange(-r, r + 1, dtype=x.dtype)
    k = torch.exp(-0.5 * (t / sigma_px) ** 2)
    k = k / k.sum()
    C = x.shape[1]
    x = F.pad(x, (r, r, r, r), mode="reflect" if min(x.shape[-2:]) > r else "replicate")
    x = F.conv2d(x, k.view(1, 1, 1, -1).repeat(C, 1, 1, 1), groups=C)
    x = F.conv2d(x, k.view(1, 1, -1, 1).repeat(C, 1, 1, 1), groups=C)
    return x[0, 0] if squeeze else x


def render_mri(frac: torch.Tensor, seq: Sequence, g: torch.Generator, *, noise: float = 0.02,
               bias: float = 0.10) -> torch.Tensor:
    """MRI magnitude image from tissue fractions ``frac`` (K, H, W) -> (H, W) in a.u.

    Multiplicative smooth bias field ``exp(bias * field)`` and Rician noise of standard
    deviation ``noise`` times the brightest tissue signal.
    """
    s = torch.einsum("k,khw->hw", tissue_signals(seq), frac)
    H, W = s.shape
    s = s * torch.exp(bias * _smooth_field((H, W), 4, g))
    sigma = noise * float(tissue_signals(seq).max())
    re = s + sigma * torch.randn(H, W, generator=g)
    im = sigma * torch.randn(H, W, generator=g)
    return torch.sqrt(re**2 + im**2)  # Rician magnitude


def render_ct(frac: torch.Tensor, g: torch.Generator, *, noise_hu: float = 8.0,
              px_mm: float = 1.0) -> torch.Tensor:
    """CT in HU: fraction-weighted HU, 0.6 mm-sigma system blur, Gaussian noise."""
    hu = torch.einsum("k,khw->hw", HU, frac)
    hu = gaussian_blur(hu, 0.6 / px_mm)
    body = 1 - frac[0]
    return hu + noise_hu * torch.randn(hu.shape, generator=g) * body


def render_cbct(ct_hu: torch.Tensor, frac: torch.Tensor, g: torch.Generator, *,
                noise_hu: float = 35.0, cupping_hu: float = 120.0, streak_hu: float = 60.0,
                n_streaks: int = 6) -> torch.Tensor:
    """CBCT in HU from the CT of the same anatomy.

    Scatter lowers the reconstructed attenuation towards the centre of the body (cupping,
    a radial quadratic deficit), the HU scale is miscalibrated (random gain/offset), streaks
    radiate from dense bone (lines at random angles through bone pixels), and the lower dose
    gives more noise.
    """
    H, W = ct_hu.shape
    body = (1 - frac[0]).clamp(0, 1)
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, H), torch.linspace(-1, 1, W), indexing="ij")
    m = body.sum().clamp_min(1)
    cy, cx = (yy * body).sum() / m, (xx * body).sum() / m
    r2 = ((yy - cy) ** 2 + (xx - cx) ** 2) / (((yy - cy) ** 2 + (xx - cx) ** 2) * body).max().clamp_min(1e-6)
    cupping = cupping_hu * (1 - r2).clamp_min(0) * body
    gain = 1 + 0.05 * torch.randn((), generator=g)
    offset = 30 * torch.randn((), generator=g)
    streaks = torch.zeros(H, W)
    bone = frac[6]
    idx = torch.nonzero(bone > 0.5)
    for _ in range(n_streaks if len(idx) else 0):
        p = idx[torch.randint(len(idx), (1,), generator=g)][0].float()
        ang = torch.rand((), generator=g) * math.pi
        # distance of each pixel to the line through p with direction ang
        d = ((xx + 1) * (W - 1) / 2 - p[1]) * torch.sin(ang) - ((yy + 1) * (H - 1) / 2 - p[0]) * torch.cos(ang)
        sign = 1.0 if torch.rand((), generator=g) > 0.5 else -1.0
        streaks += sign * streak_hu * torch.exp(-0.5 * d**2)
    hu = gain * ct_hu + offset - cupping + streaks * body
    hu = hu + noise_hu * gaussian_blur(torch.randn(H, W, generator=g), 0.7) * 1.8 * body
    return torch.where(body > 0.05, hu, torch.full_like(hu, -1000.0) + 5 * torch.randn(H, W, generator=g))


def render_pet(frac: torch.Tensor, g: torch.Generator, *, lesion_uptake: float = 0.5,
               fwhm_mm: float = 5.0, px_mm: float = 1.0, counts: float = 200.0) -> torch.Tensor:
    """FDG-PET (relative uptake, SUVr-like): uptake map -> PSF blur -> Poisson counts.

    ``counts`` is the expected count per pixel at uptake 1; the image is counts / ``counts``.
    """
    uptake = FDG_UPTAKE.clone()
    uptake[7] = lesion_uptake
    act = torch.einsum("k,khw->hw", uptake, frac)
    act = gaussian_blur(act, fwhm_mm / 2.3548 / px_mm)
    return torch.poisson(act.clamp_min(0) * counts, generator=g) / counts
