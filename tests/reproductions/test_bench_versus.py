"""benchmarks/bench_versus.py drives a reference checkout through its public interface."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_versus as V  # noqa: E402

STAND_IN = '''
import torch
SEEN = []

class Model:
    def __init__(self, opt):
        self.opt, self.steps = opt, 0
    def set_input(self, data):
        self.real_A = data["A" if self.opt.direction == "AtoB" else "B"]
    def optimize_parameters(self):
        self.steps += 1
        (self.real_A * 2).sum()

def create_model(opt):
    model = Model(opt)
    SEEN.append(model)
    return model
'''


@pytest.fixture
def checkout(tmp_path, monkeypatch):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "__init__.py").write_text(STAND_IN)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.delitem(sys.modules, "models", raising=False)
    yield tmp_path
    sys.modules.pop("models", None)


@pytest.mark.parametrize("method,net,norm,gan", [("pix2pix", "unet_32", "batch", "vanilla"),
                                                 ("cyclegan", "resnet_6blocks", "instance", "lsgan")])
def test_the_reference_is_built_with_its_training_script_options_and_stepped(checkout, tmp_path, method, net, norm,
                                                                            gan):
    c = V.reference(method, 32, checkout, str(tmp_path))
    V.race([c], rounds=2, steps=2, warmup=1)
    import models

    model = models.SEEN[-1]
    assert model.steps == 5 and len(c.times) == 4
    opt = model.opt
    assert (opt.netG, opt.norm, opt.gan_mode, opt.input_nc, opt.isTrain) == (net, norm, gan, 1, True)
    assert model.real_A.shape == (V.BATCH[method], 1, 32, 32)


def test_a_path_that_is_no_checkout_is_a_clear_error(tmp_path):
    with pytest.raises(SystemExit, match="not a checkout"):
        V.reference("pix2pix", 32, tmp_path, str(tmp_path))


def test_ours_and_the_baseline_differ_only_in_the_cpu_switches(monkeypatch):
    from reproductions import networks as N
    from reproductions.methods import base as B

    monkeypatch.setattr(N, "GEMM_MAX_PIXELS", N.GEMM_MAX_PIXELS)  # restored afterwards
    monkeypatch.setattr(B, "FUSED_ADAM_DEVICES", B.FUSED_ADAM_DEVICES)
    ours, base = V.ours("pix2pix", 32), V.ours("pix2pix", 32, baseline=True)
    assert V.flops_of(ours) == V.flops_of(base) > 0
    base.prepare()
    assert (N.GEMM_MAX_PIXELS, B.FUSED_ADAM_DEVICES) == V.BASELINE
    ours.prepare()
    assert (N.GEMM_MAX_PIXELS, B.FUSED_ADAM_DEVICES) == V.OURS
