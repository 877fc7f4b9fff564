"""Experiments behind the review's recorded claims, with verdicts from measured numbers.

Every claim is measured over ``seeds`` seeds (>= 3). For each seed we compute an effect
oriented so that a positive value means "the claim holds" (e.g. CycleGAN MAE minus
pix2pix MAE); the verdict comes from the 95 % Student-t confidence interval of the mean
effect: ``supported`` if the whole interval is above 0, ``not supported`` if it is below 0,
``inconclusive`` if it contains 0. Compound claims are supported only if every part is,
not supported if any part is, inconclusive otherwise. Nothing is hard-coded.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Callable

import torch
import torch.nn.functional as F
from tqdm.auto import tqdm

from reproductions import metrics as M
from reproductions.data import SimConfig, simulate, split_by_subject
from reproductions.data.patches import lesion_patches
from reproductions.methods import VAE, VAEConfig
from reproductions.methods.base import BatchSource
from reproductions.networks import ConvEncoder
from reproductions.runner import run
from reproductions.trainer import Trainer, TrainConfig
from reproductions.utils import resolve_device, seed_everything

SLOWER_FACTOR = 10.0  # "much slower" = at least 10x the time per sample


def mean_ci(x: list[float], level: float = 0.95) -> tuple[float, float, float]:
    """Mean and two-sided Student-t confidence interval of ``x`` (n >= 2)."""
    from scipy import stats

    t = torch.tensor(x, dtype=torch.float64)
    n = len(x)
    m = float(t.mean())
    if n < 2:
        return m, float("nan"), float("nan")
    h = float(stats.t.ppf(0.5 + level / 2, n - 1)) * float(t.std(unbiased=True)) / math.sqrt(n)
    return m, m - h, m + h


def verdict(lo: float, hi: float) -> str:
    if lo > 0:
        return "supported"
    if hi < 0:
        return "not supported"
    return "inconclusive"


def combine(verdicts: list[str]) -> str:
    if all(v == "supported" for v in verdicts):
        return "supported"
    if any(v == "not supported" for v in verdicts):
        return "not supported"
    return "inconclusive"


def _result(code: str, statement: str, effects: list[float], numbers: dict, effect_name: str,
            extra_parts: list[tuple[str, list[float]]] | None = None) -> dict:
    m, lo, hi = mean_ci(effects)
    parts = [verdict(lo, hi)]
    numbers = dict(numbers, effect=effect_name, effect_per_seed=effects, effect_mean=m, ci95=[lo, hi])
    for name, eff in extra_parts or []:
        pm, plo, phi = mean_ci(eff)
        parts.append(verdict(plo, phi))
        numbers[f"{name}_per_seed"], numbers[f"{name}_mean"], numbers[f"{name}_ci95"] = eff, pm, [plo, phi]
    return {"code": code, "statement": statement, "verdict": combine(parts), "effect": m, "ci_low": lo,
            "ci_high": hi, "n_seeds": len(effects), "numbers": numbers}


def _run(method: str, seed: int, ctx: dict, overrides: dict | None = None, tag: str = "") -> dict:
    key = (method, seed, tag)
    if key not in ctx["cache"]:
        ctx["cache"][key] = run(method, quick=ctx["quick"], device=ctx["device"], seed=seed,
                                out=Path(ctx["out"]) / f"seed{seed}{tag}", record_db=False, progress=False,
                                overrides=overrides)
    return ctx["cache"][key]


# ------------------------------------------------------------------ claims
#: the training runs behind each claim that trains reproduction methods: (method, config
#: overrides, tag). The claims below read these, and ``reproductions.plan`` sizes them.
CLAIM_RUNS: dict[str, list[tuple[str, dict | None, str]]] = {
    "paired_vs_unpaired": [("pix2pix", None, ""), ("cyclegan", None, "")],
    "multi_vs_single_source": [("fusion", None, ""), ("fusion", {"sources": ("T1",)}, "_single")],
    "diffusion_vs_gan": [("ddpm", None, ""), ("dcgan", None, "")],
    "vae_blur": [("vae", None, ""), ("dcgan", None, "")],
}


def _arms(code: str, seeds: list[int], ctx: dict) -> list[list[dict]]:
    """Per run of ``CLAIM_RUNS[code]``, its metrics on every seed."""
    return [[_run(m, s, ctx, overrides=o, tag=t) for s in seeds] for m, o, t in CLAIM_RUNS[code]]


def paired_vs_unpaired(seeds: list[int], ctx: dict) -> dict:
    p, c = _arms("paired_vs_unpaired", seeds, ctx)
    eff = [ci["mae"] - pi["mae"] for pi, ci in zip(p, c)]
    return _result("paired_vs_unpaired",
                  "Paired training (pix2pix) gives lower error than unpaired training (CycleGAN) on the same pair (T1 -> CT, MAE in HU inside the body).",
                  eff, {"pix2pix_mae": [r["mae"] for r in p], "cyclegan_mae": [r["mae"] for r in c],
                        **baseline_check(p, "pix2pix"), **baseline_check(c, "cyclegan")},
                  "MAE(CycleGAN) - MAE(pix2pix), HU, held-out subjects")


def baseline_check(runs: list[dict], name: str) -> dict:
    """Whether ``name`` beat the best non-learned baseline (lowest MAE of identity, linear
    regression, histogram matching, fitted on the same training slices) on each seed.

    A comparison of two learned methods only means something when both learned the
    mapping; a seed where one loses to a linear fit is reported, not hidden.
    """
    best = [r["best_baseline_mae"] for r in runs]
    beats = [int(r["mae"] < b) for r, b in zip(runs, best)]
    return {f"{name}_best_baseline_mae": best, f"{name}_beats_best_baseline": beats,
            f"{name}_beats_best_baseline_seeds": f"{sum(beats)}/{len(beats)}"}


def baseline_summary(numbers: dict) -> list[str]:
    """``cyclegan beat the best baseline on 5/5 seeds`` lines for a verdict's numbers."""
    return [f"{k.removesuffix('_beats_best_baseline_seeds')} beat the best baseline on {v} seeds"
            for k, v in numbers.items() if k.endswith("_beats_best_baseline_seeds")]


def multi_vs_single_source(seeds: list[int], ctx: dict) -> dict:
    multi, single = _arms("multi_vs_single_source", seeds, ctx)
    eff = [si["mae"] - mu["mae"] for mu, si in zip(multi, single)]
    return _result("multi_vs_single_source",
                   "Multi-source synthesis (T1+T2+PD -> FLAIR) beats single-source synthesis (T1 -> FLAIR).",
                   eff, {"multi_mae": [r["mae"] for r in multi], "single_mae": [r["mae"] for r in single]},
                   "MAE(single) - MAE(multi), FLAIR a.u., same fusion network")


def _classifier_auc(x, y, xs, ys, share: float, test_x, test_y, seed: int, steps: int, batch: int = 32) -> float:
    """Train a small CNN on real (x, y) mixed with synthetic (xs, ys) at ``share`` of every
    batch; return the test AUC for 'lesion present'. Same seed, steps and flips in every arm."""
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    net, opt = _classifier(x.shape[-1])
    n_syn = int(round(share * batch))
    for _ in range(steps):
        i = torch.randint(len(x), (batch - n_syn,), generator=g)
        xb, yb = x[i], y[i]
        if n_syn:
            j = torch.randint(len(xs), (n_syn,), generator=g)
            xb, yb = torch.cat([xb, xs[j]]), torch.cat([yb, ys[j]])
        if torch.rand((), generator=g) < 0.5:  # light augmentation shared by all arms
            xb = xb.flip(-1)
        _classifier_step(net, opt, xb, yb)
    net.eval()
    with torch.no_grad():
        logits = net(test_x)
    return M.auc(logits[:, 1] - logits[:, 0], test_y)


def _classifier(size: int):
    net = ConvEncoder(1, 2, size=size, ch=16)
    return net, torch.optim.Adam(net.parameters(), lr=1e-3)


def _classifier_step(net, opt, xb, yb) -> None:
    loss = F.cross_entropy(net(xb), yb)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()


AUG_SHARES = (0.0, 0.5, 0.9, 1.0)  # 1.0: synthetic only, shows whether the samples carry the class
AUG_REAL_PER_CLASS = 12  # small data: 24 real ROIs
AUG_VAE_STEPS = 600
AUG_CLS_STEPS = 300


def augmentation_arms(seed: int, quick: bool, device: str) -> dict[float, float]:
    """One seed of the augmentation experiment: test AUC per synthetic share.

    Lesion ROIs (16 x 16 FLAIR patches) from a few training subjects, a conditional VAE
    trained on those same patches only, and a classifier per share of synthetic patches.
    """
    seed_everything(seed)
    z = _aug_sizes(quick)
    data = simulate(SimConfig(n_subjects=z["subjects"], slices_per_subject=6, image_size=z["image"],
                              lesion_prob=0.7, seed=seed, modalities=("FLAIR",)))
    sp = split_by_subject(data, seed, fractions=(0.4, 0.1))
    x, y = lesion_patches(sp.train, "FLAIR", size=z["patch"], n_per_class=AUG_REAL_PER_CLASS, seed=seed)
    tx, ty = lesion_patches(sp.test, "FLAIR", size=z["patch"], n_per_class=200, seed=seed + 1)
    vae = _aug_vae(z["patch"], resolve_device(device))
    Trainer(vae, BatchSource({"x": x, "y": y}, seed),
            TrainConfig(steps=z["vae_steps"], batch_size=AUG_VAE_BATCH, seed=seed, progress=False)).fit()
    ys = torch.arange(512) % 2
    xs = vae.sample(512, seed=seed, labels=ys)
    return {s: _classifier_auc(x, y, xs, ys, s, tx, ty, seed, steps=z["cls_steps"]) for s in AUG_SHARES}


AUG_VAE_BATCH, AUG_CLS_BATCH = 16, 32


def _aug_sizes(quick: bool) -> dict:
    """Quick: 64-pixel slices, 16-pixel ROIs; full: 128 and 32, four times the training."""
    k = 1 if quick else 4
    return {"subjects": 30 if quick else 80, "image": 64 if quick else 128, "patch": 16 if quick else 32,
            "vae_steps": k * AUG_VAE_STEPS, "cls_steps": k * AUG_CLS_STEPS}


def _aug_vae(size: int, device) -> VAE:
    return VAE(VAEConfig(image_size=size, modality="FLAIR", conditional=True, ch=32, z_dim=16), device)


def augmentation_plan(quick: bool, device) -> list[tuple[str, int, int, int, Callable]]:
    """(what, steps per seed, batch, size, one step) of the augmentation experiment's training:
    the cVAE, then one classifier per synthetic share. Used by ``reproductions.plan``."""
    z = _aug_sizes(quick)
    p = z["patch"]
    vae = _aug_vae(p, device)
    vb = {"x": torch.rand(AUG_VAE_BATCH, 1, p, p) * 2 - 1, "y": torch.arange(AUG_VAE_BATCH) % 2}
    net, opt = _classifier(p)
    xb, yb = torch.rand(AUG_CLS_BATCH, 1, p, p) * 2 - 1, torch.arange(AUG_CLS_BATCH) % 2
    return [("cVAE (ROIs)", z["vae_steps"], AUG_VAE_BATCH, p, lambda: vae.step(vb)),
            (f"classifier x{len(AUG_SHARES)}", z["cls_steps"] * len(AUG_SHARES), AUG_CLS_BATCH, p,
             lambda: _classifier_step(net, opt, xb, yb))]


def augmentation(seeds: list[int], ctx: dict) -> list[dict]:
    """Small-data lesion-ROI classifier on FLAIR, with cVAE-generated ROIs at several shares."""
    per_share: dict[float, list[float]] = {s: [] for s in AUG_SHARES}
    for seed in seeds:
        for s, a in augmentation_arms(seed, ctx["quick"], ctx["device"]).items():
            per_share[s].append(a)
    helps = [a - b for a, b in zip(per_share[0.5], per_share[0.0])]
    saturates = [a - b for a, b in zip(per_share[0.5], per_share[0.9])]
    numbers = {f"auc_share_{s}": v for s, v in per_share.items()}
    numbers["auc_synthetic_only"] = numbers.pop("auc_share_1.0")
    return [
        _result("augmentation_helps",
                f"Generative augmentation (cVAE ROIs, 50 % of each batch) improves a classifier trained on {2 * AUG_REAL_PER_CLASS} real lesion ROIs.",
                helps, numbers, "AUC(50 % synthetic) - AUC(real only), lesion vs no lesion, FLAIR ROIs"),
        _result("augmentation_saturates",
                "A too large synthetic share (90 %) stops helping: it is worse than a moderate share (50 %).",
                saturates, numbers, "AUC(50 % synthetic) - AUC(90 % synthetic)"),
    ]


def diffusion_vs_gan(seeds: list[int], ctx: dict) -> dict:
    d, g = _arms("diffusion_vs_gan", seeds, ctx)
    div = [di["diversity"] / di["real_diversity"] - gi["diversity"] / gi["real_diversity"] for di, gi in zip(d, g)]
    slow = [math.log10(di["seconds_per_sample"] / gi["seconds_per_sample"]) - math.log10(SLOWER_FACTOR)
            for di, gi in zip(d, g)]
    return _result("diffusion_vs_gan",
                   f"Diffusion samples are more diverse than GAN samples, but at least {SLOWER_FACTOR:g}x slower to draw.",
                   div, {"ddpm_diversity_rel": [r["diversity"] / r["real_diversity"] for r in d],
                         "dcgan_diversity_rel": [r["diversity"] / r["real_diversity"] for r in g],
                         "ddpm_s_per_sample": [r["seconds_per_sample"] for r in d],
                         "dcgan_s_per_sample": [r["seconds_per_sample"] for r in g]},
                   "diversity(DDPM) - diversity(DCGAN), feature-space, relative to real data",
                   extra_parts=[("log10_slowdown_minus_log10_factor", slow)])


def vae_blur(seeds: list[int], ctx: dict) -> dict:
    v, g = _arms("vae_blur", seeds, ctx)
    eff = [(gi["sharpness"] - vi["sharpness"]) / gi["real_sharpness"] for vi, gi in zip(v, g)]
    return _result("vae_blur", "VAE samples are blurrier than GAN samples.", eff,
                   {"vae_sharpness": [r["sharpness"] for r in v], "dcgan_sharpness": [r["sharpness"] for r in g],
                    "real_sharpness": [r["real_sharpness"] for r in v]},
                   "(sharpness(DCGAN) - sharpness(VAE)) / sharpness(real); variance of Laplacian")


CLAIMS: dict[str, Callable] = {
    "paired_vs_unpaired": paired_vs_unpaired,
    "multi_vs_single_source": multi_vs_single_source,
    "augmentation": augmentation,
    "diffusion_vs_gan": diffusion_vs_gan,
    "vae_blur": vae_blur,
}


def run_claims(*, quick: bool = True, seeds: int = 5, only: list[str] | None = None, device: str = "auto",
               out: str | Path = "runs/claims", db: str | None = None, record_db: bool = True,
               progress: bool = True) -> list[dict]:
    """Run the selected claim experiments, write ``OUT/claims.json`` and one claim_verdict row each."""
    if seeds < 3:
        raise ValueError("claims need at least 3 seeds")
    unknown = [c for c in (only or []) if c not in CLAIMS]
    if unknown:
        raise ValueError(f"unknown claim {unknown}; choices: {list(CLAIMS)}")
    ctx = {"quick": quick, "device": device, "out": str(out), "cache": {}}
    seed_list = list(range(seeds))
    results: list[dict] = []
    chosen = [c for c in CLAIMS if not only or c in only]
    bar = tqdm(chosen, desc="claims", unit="experiment", disable=not progress, dynamic_ncols=True)
    for code in bar:
        bar.set_postfix_str(code)
        t0 = time.perf_counter()
        res = CLAIMS[code](seed_list, ctx)
        for r in res if isinstance(res, list) else [res]:
            r["numbers"]["runtime_s"] = time.perf_counter() - t0
            results.append(r)
            checks = "".join(f"; {line}" for line in baseline_summary(r["numbers"]))
            bar.write(f"{r['code']}: {r['verdict']} ({time.perf_counter() - t0:.0f} s){checks}")
    Path(out).mkdir(parents=True, exist_ok=True)
    (Path(out) / "claims.json").write_text(json.dumps(results, indent=2, default=float))
    if record_db:
        from reviewdb.runs import record_claim

        cmd = f"reviewdb claims{' --quick' if quick else ' --full'} --seeds {seeds}"
        for r in results:
            r["claim_id"] = record_claim(db, code=r["code"], statement=r["statement"], verdict=r["verdict"],
                                         numbers=r["numbers"], ci_low=r["ci_low"], ci_high=r["ci_high"],
                                         n_seeds=r["n_seeds"], command=cmd)
    return results
