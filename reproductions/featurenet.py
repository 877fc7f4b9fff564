"""The feature encoder behind ``sim_encoder_frechet_distance``: a small CNN trained in this
repository (no downloaded weights) to tell the simulated modalities apart and to detect
lesions. Its penultimate features play the role Inception features play in FID."""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F

from reproductions.data.sliceset import SliceSet
from reproductions.networks import ConvEncoder


@torch.enable_grad()
def train_feature_encoder(data: SliceSet, *, seed: int = 0, steps: int = 150, batch: int = 32,
                          cache: str | Path | None = None) -> ConvEncoder:
    """Train (or load from ``cache``) a ConvEncoder on ``data``: logits = modality classes
    followed by a lesion/no-lesion pair. Deterministic for a fixed seed."""
    size = data.images[data.modalities[0]].shape[-1]
    mods = data.modalities
    if cache is not None and Path(cache).exists():
        enc = ConvEncoder(1, len(mods) + 2, size=size, ch=16)
        enc.load_state_dict(torch.load(cache, map_location="cpu"))
        return enc.eval()
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    enc = ConvEncoder(1, len(mods) + 2, size=size, ch=16)
    opt = torch.optim.Adam(enc.parameters(), lr=2e-3)
    x = torch.cat([data.images[m] for m in mods])  # (M * N, 1, S, S)
    ym = torch.arange(len(mods)).repeat_interleave(len(data))
    yl = data.label.repeat(len(mods))
    for _ in range(steps):
        i = torch.randint(len(x), (batch,), generator=g)
        out = enc(x[i])
        loss = F.cross_entropy(out[:, :len(mods)], ym[i]) + F.cross_entropy(out[:, len(mods):], yl[i])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    enc.eval()
    if cache is not None:
        Path(cache).parent.mkdir(parents=True, exist_ok=True)
        torch.save(enc.state_dict(), cache)
    return enc
