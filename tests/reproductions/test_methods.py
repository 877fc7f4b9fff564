"""Every method: 2-3 CPU training steps with finite losses, checkpoint save/resume, and
samples / translations of the right shape and range."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch

from reproductions.methods import METHODS, CycleGANConfig, Pix2Pix, Pix2PixConfig, get_method
from reproductions.trainer import Trainer, TrainConfig
from tests.reproductions.conftest import TINY


def _trainer(name, splits, tmp_path, steps, **kw):
    torch.manual_seed(0)
    m = get_method(name)(TINY[name])
    src = m.source(splits.train, seed=0)
    cfg = TrainConfig(steps=steps, batch_size=4, ckpt_every=2, progress=False, **kw)
    return m, Trainer(m, src, cfg, ckpt_path=tmp_path / "ckpt.pt", run_config={"m": name})


@pytest.mark.parametrize("name", sorted(METHODS))
def test_train_checkpoint_resume_and_sample(name, tiny_splits, tmp_path):
    m, tr = _trainer(name, tiny_splits, tmp_path, steps=2, ema_decay=0.9)
    losses = tr.fit()
    assert tr.step == 2 and losses and all(torch.isfinite(torch.tensor(v)) for v in losses.values())
    ckpt = torch.load(tmp_path / "ckpt.pt", weights_only=False)
    assert ckpt["step"] == 2 and ckpt["config"] == {"m": name} and "code_version" in ckpt
    # resume: a fresh method picks up at step 2 and runs one more step
    m2, tr2 = _trainer(name, tiny_splits, tmp_path, steps=3, ema_decay=0.9)
    tr2.fit()
    assert tr2.step == 3
    if m2.kind == "translation":
        src = torch.cat([tiny_splits.test.images[s] for s in m2.cfg.sources], 1)[:3]
        out = m2.translate(src)
    else:
        out = m2.sample(3, seed=0, labels=torch.tensor([0, 1, 0]))
    assert out.shape == (3, 1, 32, 32)
    assert torch.isfinite(out).all() and out.min() >= -1 and out.max() <= 1


def test_resume_continues_bit_for_bit(tiny_splits, tmp_path):
    _, straight = _trainer("pix2pix", tiny_splits, tmp_path / "a", steps=4)
    straight.fit()
    _, first = _trainer("pix2pix", tiny_splits, tmp_path / "b", steps=2)
    first.fit()
    m, second = _trainer("pix2pix", tiny_splits, tmp_path / "b", steps=4)
    second.fit()
    for p, q in zip(straight.method.nets.parameters(), m.nets.parameters()):
        assert torch.equal(p, q)


def test_amp_bfloat16_and_channels_last_on_cpu(tiny_splits, tmp_path):
    m, tr = _trainer("pix2pix", tiny_splits, tmp_path, steps=2, amp=True, channels_last=True)
    assert m.amp_dtype == torch.bfloat16 and m.channels_last
    assert m.nets["G"].down[0][0].weight.is_contiguous(memory_format=torch.channels_last)
    losses = tr.fit()
    assert all(torch.isfinite(torch.tensor(v)) for v in losses.values())
    out = m.translate(tiny_splits.test.images["T1"][:2])
    assert out.dtype == torch.float32 and out.shape == (2, 1, 32, 32)


def test_registry_lists_choices_and_catalog_architectures():
    with pytest.raises(ValueError, match="choices: .*pix2pix"):
        get_method("pix3pix")
    arch = {n: c.architectures for n, c in METHODS.items()}
    assert arch["pix2pix"] == ["pix2pix"] and arch["cyclegan"] == ["CycleGAN"] and arch["dcgan"] == ["DCGAN"]
    assert arch["vae"] == ["VAE", "cVAE"] and arch["ddpm"] == ["DDPM", "DDIM"]
    assert arch["fusion"] == ["Hi-Net", "MM-GAN"] and arch["cond_diffusion"] == ["SynDiff", "conditional DDPM"]


def test_fail_early_on_bad_settings(tiny_data):
    with pytest.raises(TypeError):
        Pix2Pix(CycleGANConfig())
    with pytest.raises(ValueError, match="one source"):
        get_method("cyclegan")(replace(TINY["cyclegan"], sources=("T1", "PD")))
    with pytest.raises(ValueError, match="no modality"):
        Pix2Pix(replace(TINY["pix2pix"], target="MRA")).source(tiny_data, 0)
    with pytest.raises(ValueError, match="divisible"):
        Pix2Pix(Pix2PixConfig(image_size=48, n_down=5))


def test_learning_rate_decays_linearly_over_the_second_half(tiny_splits, tmp_path):
    m, tr = _trainer("pix2pix", tiny_splits, tmp_path, steps=10, decay_from=0.5)
    assert [round(tr.lr_factor(s), 4) for s in range(10)] == [1.0] * 5 + [round(k / 6, 4) for k in (5, 4, 3, 2, 1)]
    tr.fit()
    lr0 = TINY["pix2pix"].lr
    assert m.optimizers["G"].param_groups[0]["lr"] == pytest.approx(lr0 / 6)


def test_cyclegan_resumes_bit_for_bit_with_its_image_pool_and_lr_decay(tiny_splits, tmp_path):
    """The history pool and the decayed learning rate are part of the state: a run killed
    after step 2 and resumed ends with exactly the weights of an uninterrupted run."""
    kw = dict(decay_from=0.5)
    _, straight = _trainer("cyclegan", tiny_splits, tmp_path / "a", steps=4, **kw)
    straight.fit()
    _, first = _trainer("cyclegan", tiny_splits, tmp_path / "b", steps=4, **kw)
    step, calls = first.method.train_step, []

    def killed_at_third_step(batch):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt  # the process dies after the step-2 checkpoint
        return step(batch)

    first.method.train_step = killed_at_third_step
    with pytest.raises(KeyboardInterrupt):
        first.fit()
    assert torch.load(tmp_path / "b" / "ckpt.pt", weights_only=False)["step"] == 2
    m, second = _trainer("cyclegan", tiny_splits, tmp_path / "b", steps=4, **kw)
    second.fit()
    assert second.step == 4 and len(m.pools["A"].images) == 4 * 4  # batch 4, pool (50) not yet full
    for p, q in zip(straight.method.nets.parameters(), m.nets.parameters()):
        assert torch.equal(p, q)


def test_the_cli_knows_every_method_without_importing_torch():
    from reproductions import cli
    from reproductions.methods import METHODS

    assert tuple(sorted(METHODS)) == cli.METHODS


def test_precision_settings_on_cpu():
    """The trainer's AMP and memory-format switch, as gpu_check.sh and the benchmarks use it."""
    import torch

    from reproductions.methods import Pix2Pix, Pix2PixConfig
    from reproductions.trainer import set_precision

    m = Pix2Pix(Pix2PixConfig(image_size=32, ngf=8, ndf=8, d_layers=2), torch.device("cpu"))
    set_precision(m, "bf16", channels_last=True)
    assert m.amp_dtype is torch.bfloat16 and m.channels_last and not m.scaler.is_enabled()
    conv = next(p for p in m.nets.parameters() if p.dim() == 4)
    assert conv.is_contiguous(memory_format=torch.channels_last)
    b = {"src": torch.rand(2, 1, 32, 32) * 2 - 1, "tgt": torch.rand(2, 1, 32, 32) * 2 - 1}
    assert all(torch.isfinite(v) for v in m.step(b).values())
    set_precision(m, "auto", channels_last=None)  # CPU: bf16, NCHW
    assert m.amp_dtype is torch.bfloat16 and not m.channels_last
    set_precision(m, "fp32")
    assert m.amp_dtype is None
    with pytest.raises(ValueError, match="fp32, bf16, fp16 or auto"):
        set_precision(m, "int8")
