"""Training throughput and hardware efficiency of pix2pix and CycleGAN (prints numbers only).

- pix2pix: U-Net 128 (7 downsamplings, ngf 64, batch norm) + 70x70 PatchGAN, 128x128, batch 4
- CycleGAN: ResNet generator with 6 blocks (ngf 64, instance norm) x2 + two PatchGANs, 128x128, batch 1

For each: FLOPs of one full training step (forward + backward + optimizer, counted with
``torch.utils.flop_counter.FlopCounterMode``), steady-state images/s (warm-up steps
excluded, median step time), achieved FLOP/s, and that as a fraction of this machine's float32
matmul rate (2048x2048, median of repeated calls, all threads), measured right before and
after each model so that a shared machine's changing speed cancels out of the fraction.

    python benchmarks/bench_training.py [--steps 10] [--warmup 3] [--channels-last] [--threads N]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
from torch.utils.flop_counter import FlopCounterMode

from reproductions.methods import CycleGAN, CycleGANConfig, Pix2Pix, Pix2PixConfig


def matmul_rate(n: int = 2048, repeats: int = 10) -> float:
    """Median float32 FLOP/s of an n x n matmul (2 n^3 FLOPs per call)."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(2):
        a @ b
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t)
    return 2 * n**3 / statistics.median(times)


def step_flops(method, batch) -> int:
    with FlopCounterMode(display=False) as fc:
        method.train_step(batch)
    return fc.get_total_flops()


def throughput(method, batch, n_images: int, steps: int, warmup: int) -> float:
    """Images/s from the median step time (a shared VM's stalls hit single steps, not the median)."""
    for _ in range(warmup):
        method.train_step(batch)
    times = []
    for _ in range(steps):
        t = time.perf_counter()
        method.train_step(batch)
        times.append(time.perf_counter() - t)
    return n_images / statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--channels-last", action="store_true")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--only", choices=["pix2pix", "cyclegan"], default=None)
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    peak = matmul_rate()
    print(f"threads={torch.get_num_threads()}  float32 matmul 2048x2048: {peak / 1e9:.1f} GFLOP/s (median)")
    S = 128
    setups = {
        "pix2pix": (Pix2Pix(Pix2PixConfig(image_size=S, ngf=64, ndf=64, n_down=7, norm="batch")), 4,
                    lambda b: {"src": torch.randn(b, 1, S, S), "tgt": torch.randn(b, 1, S, S)}),
        "cyclegan": (CycleGAN(CycleGANConfig(image_size=S, ngf=64, ndf=64, n_blocks=6)), 1,
                     lambda b: {"A": torch.randn(b, 1, S, S), "B": torch.randn(b, 1, S, S)}),
    }
    for name, (m, b, make) in setups.items():
        if args.only and name != args.only:
            continue
        if args.channels_last:
            m.channels_last = True
            m.nets.to(memory_format=torch.channels_last)
        batch = make(b)
        flops = step_flops(m, batch)
        before = matmul_rate()
        ips = throughput(m, batch, b, args.steps, args.warmup)
        local_peak = (before + matmul_rate()) / 2  # the machine's rate around this measurement
        achieved = flops * ips / b
        print(f"{name:9s} batch {b}: {flops / 1e9:.2f} GFLOP/step  {ips:.3f} img/s  "
              f"{achieved / 1e9:.1f} GFLOP/s  matmul around it {local_peak / 1e9:.1f} GFLOP/s  "
              f"fraction of matmul rate {achieved / local_peak:.2f}")


if __name__ == "__main__":
    main()
