"""The physics-based simulator: determinism, ranges, physics, lesions and splits."""

from __future__ import annotations

import torch

from reproductions.data import SimConfig, simulate, split_by_subject, unpaired_halves
from reproductions.data import physics
from reproductions.data.simulator import simulate_subject


def test_deterministic_by_seed():
    cfg = SimConfig(n_subjects=2, slices_per_subject=2, image_size=32, seed=3)
    a, b = simulate(cfg), simulate(cfg)
    for m in cfg.modalities:
        assert torch.equal(a.images[m], b.images[m])
    c = simulate(SimConfig(n_subjects=2, slices_per_subject=2, image_size=32, seed=4))
    assert not torch.equal(a.images["T1"], c.images["T1"])


def test_subject_is_reproducible_on_its_own():
    cfg = SimConfig(n_subjects=3, slices_per_subject=2, image_size=32, seed=1)
    full = simulate(cfg)
    one = simulate_subject(cfg, 2)
    assert torch.equal(physics.WINDOWS["T2"].to_net(one["T2"]), full.images["T2"][full.subject == 2])


def test_shapes_and_ranges(tiny_data):
    for m, x in tiny_data.images.items():
        assert x.shape == (len(tiny_data), 1, 32, 32), m
        assert x.min() >= -1 and x.max() <= 1
    assert tiny_data.body.dtype == torch.bool and tiny_data.body.float().mean() > 0.2


def test_signal_equations_follow_the_physics():
    t1, t2, pd = physics.T1_MS, physics.T2_MS, physics.PD
    csf, gm, wm = 1, 2, 3
    s = {n: q.signal(t1, t2, pd) for n, q in physics.SEQUENCES.items()}
    assert s["T1"][wm] > s["T1"][gm] > s["T1"][csf]  # T1w: WM bright, CSF dark
    assert s["T2"][csf] > s["T2"][gm] > s["T2"][wm]  # T2w: CSF bright
    assert s["FLAIR"][csf] < 0.25 * s["FLAIR"][gm]  # FLAIR nulls CSF
    assert s["FLAIR"][7] > s["FLAIR"][wm]  # lesions bright on FLAIR


def test_ct_in_hounsfield_units():
    cfg = SimConfig(n_subjects=1, slices_per_subject=2, image_size=64, seed=0, modalities=("CT", "CBCT", "PET"))
    r = simulate_subject(cfg, 0)
    ct, body = r["CT"], r["body"]
    assert -1100 < float(ct[~body].mean()) < -900  # air
    inner = ct[body]
    assert float(inner.max()) > 500  # skull
    assert -50 < float(inner.median()) < 80  # soft tissue / brain
    assert (r["PET"] >= 0).all()  # Poisson counts


def test_lesions_come_with_masks():
    data = simulate(SimConfig(n_subjects=2, slices_per_subject=4, image_size=32, lesion_prob=1.0, seed=0))
    assert data.lesion.any() and data.label.sum() > 0
    flair = data.images["FLAIR"]
    assert flair[data.lesion].mean() > flair[data.body & ~data.lesion].mean()


def test_splits_are_by_subject(tiny_data):
    sp = split_by_subject(tiny_data, seed=0)
    sets = [set(s.subjects) for s in (sp.train, sp.val, sp.test)]
    assert sets[0].isdisjoint(sets[1]) and sets[0].isdisjoint(sets[2]) and sets[1].isdisjoint(sets[2])
    assert sum(len(s) for s in sets) == 6
    a, b = unpaired_halves(sp.train, seed=0)
    assert set(a.subjects).isdisjoint(b.subjects)
