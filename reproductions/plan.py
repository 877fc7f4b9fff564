"""What a claims run will cost before it starts: every training run it makes, its steps,
the FLOPs of one step, and the step time measured on this device.

``reviewdb claims --full --plan`` prints it. The expected run time is the measured step
time times the steps (evaluation and sampling come on top and are small beside training);
for another device it is also projected from the FLOPs at a stated sustained rate, which
``benchmarks/gpu_check.sh`` measures on a real GPU.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils.flop_counter import FlopCounterMode

from reproductions.utils import resolve_device

#: the sustained rate the projection assumes when no GPU is at hand: a tenth of an H100/H200's
#: dense bf16 peak (about 990 TFLOP/s). Convolutions this small rarely reach more; replace it
#: with the fraction ``benchmarks/gpu_check.sh`` measures.
ASSUMED_GPU_FLOPS = 99e12
#: host time per operator in eager PyTorch (dispatch + kernel launch): a step of many small
#: kernels takes at least (operators x this), whatever the GPU's FLOP rate
EAGER_OP_S = 10e-6

#: seeds of ``reviewdb claims --full``: with 10 the 95 % interval is about 0.6x as wide as with 5
FULL_SEEDS = 10


@dataclass
class PlannedRun:
    claims: list[str]
    what: str  # method name, with the claim's variant (e.g. ``fusion (T1 only)``)
    seeds: int
    steps: int  # per seed
    batch: int
    image_size: int
    overrides: dict | None = None
    step_flops: int = 0
    step_ops: int = 0
    step_s: float = 0.0

    @property
    def seconds(self) -> float:
        return self.seeds * self.steps * self.step_s

    def projected_seconds(self, flops_per_s: float, op_s: float = EAGER_OP_S) -> float:
        """Steps x the larger of compute time at ``flops_per_s`` and the operators' host time."""
        return self.seeds * self.steps * max(self.step_flops / flops_per_s, self.step_ops * op_s)


class _OpCounter(TorchDispatchMode):
    """Counts the ATen operators a step dispatches (about one kernel launch each)."""

    def __init__(self):
        super().__init__()
        self.n = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.n += 1
        return func(*args, **(kwargs or {}))


def _time_steps(step, n: int, warmup: int, device: torch.device) -> tuple[int, int, float]:
    """(FLOPs of one step, operators of one step, median seconds per step) of ``step``."""
    for _ in range(warmup):
        step()
    with FlopCounterMode(display=False) as fc:
        step()
    with _OpCounter() as ops:
        step()
    times = []
    for _ in range(n):
        if device.type == "cuda":
            torch.cuda.synchronize()
        t = time.perf_counter()
        step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - t)
    return fc.get_total_flops(), ops.n, statistics.median(times)


def _method_runs(quick: bool, seeds: int, only: list[str] | None) -> dict[tuple, PlannedRun]:
    """The (method, variant) runs of the chosen claims, each once (claims share runs)."""
    from reproductions.claims import CLAIM_RUNS
    from reproductions.presets import preset

    runs: dict[tuple, PlannedRun] = {}
    for code, specs in CLAIM_RUNS.items():
        if only and code not in only:
            continue
        for method, overrides, tag in specs:
            key = (method, tag)
            if key in runs:
                runs[key].claims.append(code)
                continue
            p = preset(method, quick=quick, progress=False)
            runs[key] = PlannedRun([code], method + (f" ({tag.strip('_')})" if tag else ""), seeds, 0,
                                   p.train.batch_size, p.method.image_size, overrides)
    return runs


def plan(*, quick: bool, seeds: int, only: list[str] | None = None, device: str = "auto",
         n_steps: int = 3, warmup: int = 1) -> list[PlannedRun]:
    """Every run of the chosen claims with its steps, FLOPs per step and measured step time."""
    from reproductions.claims import augmentation_plan
    from reproductions.runner import prepare

    dev = resolve_device(device)
    out = []
    for (method, _), pr in _method_runs(quick, seeds, only).items():
        job = prepare(method, quick=quick, device=dev, seed=0, progress=False, overrides=pr.overrides)
        pr.steps = job.train_config.steps
        batch = job.source.batch(0, pr.batch)
        pr.step_flops, pr.step_ops, pr.step_s = _time_steps(lambda: job.method.step(batch), n_steps, warmup, dev)
        out.append(pr)
    if not only or "augmentation" in only:
        for what, steps, batch, size, step in augmentation_plan(quick, dev):
            pr = PlannedRun(["augmentation"], what, seeds, steps, batch, size)
            pr.step_flops, pr.step_ops, pr.step_s = _time_steps(step, n_steps, warmup, dev)
            out.append(pr)
    return out


def describe(runs: list[PlannedRun], device: str, assumed_flops_per_s: float) -> list[str]:
    """The plan as table lines, with the total on this device and the projection."""
    lines = [f"{'run':<22} {'claims':<34} {'seeds':>5} {'steps/seed':>10} {'batch':>5} {'size':>4} "
             f"{'GFLOP/step':>10} {'ops/step':>8} {'s/step':>8} {'hours here':>10}"]
    for r in runs:
        lines.append(f"{r.what:<22} {', '.join(r.claims):<34} {r.seeds:>5} {r.steps:>10,} {r.batch:>5} "
                     f"{r.image_size:>4} {r.step_flops / 1e9:>10.2f} {r.step_ops:>8,} {r.step_s:>8.4f} "
                     f"{r.seconds / 3600:>10.2f}")
    total = sum(r.seconds for r in runs)
    flops = sum(r.seeds * r.steps * r.step_flops for r in runs)
    projected = sum(r.projected_seconds(assumed_flops_per_s) for r in runs)
    lines.append(f"training total: {flops / 1e15:.1f} PFLOP; expected {total / 3600:.1f} h on this device ({device})")
    lines.append(f"projected for a GPU at a sustained {assumed_flops_per_s / 1e12:.0f} TFLOP/s and "
                 f"{EAGER_OP_S * 1e6:.0f} us of host time per operator: {projected / 3600:.1f} h "
                 "(training only; gpu_check.sh measures the real rate)")
    return lines
