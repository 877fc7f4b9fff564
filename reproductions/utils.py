"""Shared helpers for the reproductions: seeding, devices, EMA, versions, image grids.

Written once here so that methods, the trainer, the runner and the claims all use the
same definitions (STYLE.md section 11).
"""

from __future__ import annotations

import copy
import os
import random
import subprocess
from pathlib import Path

import numpy as np
import torch
from torch import nn

REPO_ROOT = Path(__file__).resolve().parent.parent


def seed_everything(seed: int) -> torch.Generator:
    """Seed python, numpy and torch; return a torch Generator seeded with ``seed``."""
    random.seed(seed)
    np.random.seed(seed % (2**32))
    torch.manual_seed(seed)
    g = torch.Generator()
    g.manual_seed(seed)
    return g


def resolve_device(device: str) -> torch.device:
    """Map ``auto|cpu|cuda|cuda:N`` to a torch device; ``auto`` picks CUDA when present."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError("device 'cuda' requested but torch.cuda.is_available() is False")
    if device != "cpu" and not device.startswith("cuda"):
        raise ValueError(f"unknown device {device!r}; choose auto, cpu or cuda")
    return torch.device(device)


def device_description(device: torch.device) -> str:
    """Human-readable device name stored with each run (e.g. ``cpu (2 threads)``)."""
    if device.type == "cuda":
        return f"cuda:{torch.cuda.get_device_name(device)}"
    return f"cpu ({torch.get_num_threads()} threads)"


def code_version() -> str:
    """The package version plus the git commit of the working tree (``+dirty`` if modified)."""
    from reproductions import __version__

    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True,
            text=True, timeout=5,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO_ROOT,
            capture_output=True, text=True, timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        sha, dirty = "", ""
    if not sha:
        return f"{__version__}+nogit"
    return f"{__version__}+g{sha}{'.dirty' if dirty else ''}"


class EMA:
    """Exponential moving average of a module's parameters and buffers.

    ``shadow`` is a frozen deep copy used for evaluation and sampling; the decay follows
    the usual warm-up ``min(decay, (1 + n) / (10 + n))`` so early averages are not stale.
    """

    def __init__(self, module: nn.Module, decay: float = 0.999):
        self.decay = decay
        self.num_updates = 0
        self.shadow = copy.deepcopy(module).eval().requires_grad_(False)

    @torch.no_grad()
    def update(self, module: nn.Module) -> None:
        self.num_updates += 1
        d = min(self.decay, (1 + self.num_updates) / (10 + self.num_updates))
        src = list(module.state_dict().values())
        dst = list(self.shadow.state_dict().values())
        floats = [(s, t) for s, t in zip(src, dst) if t.dtype.is_floating_point]
        if floats:
            torch._foreach_lerp_([t for _, t in floats], [s.detach() for s, _ in floats], 1 - d)
        for s, t in zip(src, dst):
            if not t.dtype.is_floating_point:
                t.copy_(s)

    def state_dict(self) -> dict:
        return {"decay": self.decay, "num_updates": self.num_updates,
                "shadow": self.shadow.state_dict()}

    def load_state_dict(self, state: dict) -> None:
        self.decay = state["decay"]
        self.num_updates = state["num_updates"]
        self.shadow.load_state_dict(state["shadow"])


def rng_state() -> dict:
    """Every random state a resumed run needs to continue bit-for-bit on CPU."""
    state = {"torch": torch.get_rng_state(), "numpy": np.random.get_state(),
             "python": random.getstate()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict) -> None:
    torch.set_rng_state(state["torch"])
    np.random.set_state(state["numpy"])
    random.setstate(state["python"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def to_uint8(x: torch.Tensor) -> np.ndarray:
    """Map images in [-1, 1] to uint8 (any leading shape)."""
    return ((x.detach().float().cpu().clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).numpy()


def save_grid(rows: list[torch.Tensor], path: str | os.PathLike, pad: int = 2) -> Path:
    """Save a PNG grid: each element of ``rows`` is a (N, 1, H, W) batch in [-1, 1]."""
    from PIL import Image

    n = max(r.shape[0] for r in rows)
    h, w = rows[0].shape[-2:]
    canvas = np.zeros((len(rows) * (h + pad) + pad, n * (w + pad) + pad), dtype=np.uint8)
    for i, r in enumerate(rows):
        imgs = to_uint8(r[:, :1])  # (N, 1, H, W)
        for j in range(imgs.shape[0]):
            y, x = pad + i * (h + pad), pad + j * (w + pad)
            canvas[y:y + h, x:x + w] = imgs[j, 0]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(canvas).save(path)
    return path


def atomic_save(obj: object, path: str | os.PathLike) -> None:
    """``torch.save`` to a temporary file then rename, so a kill never leaves half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)
