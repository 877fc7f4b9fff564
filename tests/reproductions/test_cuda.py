"""The GPU paths: AMP (bf16, fp16 with a GradScaler), channels_last, fused Adam, a whole run.

Each test runs on the CPU too (so its logic is checked everywhere) and on CUDA where there is
a GPU; ``benchmarks/gpu_check.sh`` runs the CUDA ones with ``-m cuda --noconftest`` (the GPU
image has torch but not the database stack), so nothing here uses a fixture.
"""

from __future__ import annotations

import math

import pytest
import torch

from reproductions.methods import (CycleGAN, CycleGANConfig, DDPM, DDPMConfig, Pix2Pix, Pix2PixConfig)
from reproductions.trainer import set_precision

CUDA = pytest.param("cuda", marks=[pytest.mark.cuda, pytest.mark.skipif(
    not torch.cuda.is_available(), reason="needs an NVIDIA GPU (CUDA)")])
DEVICES = pytest.mark.parametrize("device", ["cpu", CUDA])

S = 32
MAKERS = {
    "pix2pix": (lambda d: Pix2Pix(Pix2PixConfig(image_size=S, ngf=16, ndf=16, d_layers=2), d),
                lambda: {"src": torch.rand(4, 1, S, S) * 2 - 1, "tgt": torch.rand(4, 1, S, S) * 2 - 1}),
    "cyclegan": (lambda d: CycleGAN(CycleGANConfig(image_size=S, ngf=16, ndf=16, n_blocks=2, d_layers=2), d),
                 lambda: {"A": torch.rand(2, 1, S, S) * 2 - 1, "B": torch.rand(2, 1, S, S) * 2 - 1}),
    "ddpm": (lambda d: DDPM(DDPMConfig(image_size=S, ch=16, sample_steps=3), d),
             lambda: {"x": torch.rand(8, 1, S, S) * 2 - 1}),
}


@DEVICES
@pytest.mark.parametrize("amp", ["bf16", "fp16"])
@pytest.mark.parametrize("name", list(MAKERS))
def test_amp_channels_last_steps_train(name, amp, device):
    if device == "cuda" and amp == "bf16" and not torch.cuda.is_bf16_supported():
        pytest.skip("this GPU has no bf16")
    torch.manual_seed(0)
    make, batch = MAKERS[name]
    m = make(torch.device(device))
    set_precision(m, amp, channels_last=True)
    # one fused Adam kernel per step, on CUDA and on the CPU alike
    assert all(o.defaults.get("fused") for o in m.optimizers.values())
    before = {k: v.detach().clone() for k, v in m.nets.state_dict().items()}
    b = batch()
    for _ in range(3):
        losses = m.step(b)
    assert all(math.isfinite(float(v)) for v in losses.values())
    changed = [k for k, v in m.nets.state_dict().items() if v.is_floating_point() and not torch.equal(v, before[k])]
    assert changed, "no parameter moved"
    assert m.scaler.is_enabled() == (amp == "fp16")


@DEVICES
@pytest.mark.parametrize("name", ["pix2pix", "cyclegan"])
def test_mixed_precision_inference_matches_float32(name, device):
    """bf16 autocast + NHWC changes rounding, not the answer."""
    torch.manual_seed(0)
    make, batch = MAKERS[name]
    m = make(torch.device(device))
    src = next(iter(batch().values()))
    ref = m.translate(src)
    set_precision(m, "auto", channels_last=True)
    low = m.translate(src)
    assert ref.device.type == low.device.type == "cpu" and ref.shape == low.shape
    assert (ref - low).abs().mean() < 0.02


@pytest.mark.parametrize("device", [CUDA])  # on the CPU the quick runs are tested in test_runner.py
def test_quick_pix2pix_run_on_the_gpu_beats_the_identity_baseline(tmp_path, device):
    from reproductions.runner import run

    m = run("pix2pix", quick=True, device=device, amp=True, out=tmp_path, record_db=False, progress=False)
    assert math.isfinite(m["mae"]) and m["mae"] < m["baseline_identity_mae"]
    assert (tmp_path / "pix2pix" / "samples.png").is_file()
