"""Training throughput and hardware efficiency of pix2pix, CycleGAN and the DDPM (prints numbers only).

- pix2pix: U-Net (ngf 64, batch norm, one downsampling per halving down to 1x1) + 70x70 PatchGAN, batch 4
- CycleGAN: ResNet generator with 6 blocks (ngf 64, instance norm) x2 + two PatchGANs, batch 1
- DDPM: U-Net (ch 64, mults 1-2-2-4), epsilon loss, batch 16

For each model and precision: FLOPs of one full training step (forward + backward + optimizer,
counted with ``torch.utils.flop_counter.FlopCounterMode``), steady-state images/s (warm-up steps
excluded, median step time), achieved FLOP/s, that as a fraction of this device's matmul rate in
the same dtype (measured right before and after each model, so a shared machine's changing
speed cancels out of the fraction), and on CUDA the peak memory allocated.

    python benchmarks/bench_training.py                      # CPU, 128x128, fp32, pix2pix + CycleGAN
    python benchmarks/bench_training.py --device cuda --size 256 --precision fp32 bf16 fp16 \\
        --methods pix2pix cyclegan ddpm --steps 40           # what benchmarks/gpu_check.sh runs
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
from torch.utils.flop_counter import FlopCounterMode

from reproductions.methods import (CycleGAN, CycleGANConfig, DDPM, DDPMConfig, Pix2Pix, Pix2PixConfig)
from reproductions.trainer import set_precision

DTYPES = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def matmul_rate(device: torch.device, dtype: torch.dtype = torch.float32, n: int | None = None,
                repeats: int = 10) -> float:
    """Median FLOP/s of an n x n matmul (2 n^3 FLOPs per call) in ``dtype`` on ``device``."""
    n = n or (8192 if device.type == "cuda" else 2048)
    a, b = torch.randn(n, n, device=device, dtype=dtype), torch.randn(n, n, device=device, dtype=dtype)
    for _ in range(3):
        a @ b
    times = []
    for _ in range(repeats):
        sync(device)
        t = time.perf_counter()
        a @ b
        sync(device)
        times.append(time.perf_counter() - t)
    return 2 * n**3 / statistics.median(times)


def step_flops(method, batch) -> int:
    with FlopCounterMode(display=False) as fc:
        method.step(batch)
    return fc.get_total_flops()


def throughput(method, batch, n_images: int, steps: int, warmup: int) -> float:
    """Images/s from the median step time (a shared VM's stalls hit single steps, not the median)."""
    dev = method.device
    for _ in range(warmup):
        method.step(batch)
    times = []
    for _ in range(steps):
        sync(dev)
        t = time.perf_counter()
        method.step(batch)
        sync(dev)
        times.append(time.perf_counter() - t)
    return n_images / statistics.median(times)


def setups(size: int, device: torch.device) -> dict:
    """name -> (method, batch size, batch maker)."""
    return {  # pix2pix's U-Net downsamples to 1x1 at any size (unet_128, unet_256)
        "pix2pix": (lambda: Pix2Pix(Pix2PixConfig(image_size=size, ngf=64, ndf=64, norm="batch"), device),
                    4, lambda b: {"src": torch.randn(b, 1, size, size), "tgt": torch.randn(b, 1, size, size)}),
        "cyclegan": (lambda: CycleGAN(CycleGANConfig(image_size=size, ngf=64, ndf=64, n_blocks=6), device), 1,
                     lambda b: {"A": torch.randn(b, 1, size, size), "B": torch.randn(b, 1, size, size)}),
        "ddpm": (lambda: DDPM(DDPMConfig(image_size=size, ch=64, mults=(1, 2, 2, 4)), device), 16,
                 lambda b: {"x": torch.randn(b, 1, size, size)}),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--size", type=int, default=128)
    ap.add_argument("--methods", nargs="+", default=["pix2pix", "cyclegan"], choices=["pix2pix", "cyclegan", "ddpm"])
    ap.add_argument("--precision", nargs="+", default=["fp32"], choices=list(DTYPES))
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--channels-last", choices=["auto", "on", "off"], default="auto",
                    help="auto: on for CUDA, off for CPU (as the trainer does)")
    ap.add_argument("--threads", type=int, default=None)
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    dev = torch.device(args.device)
    cl = {"auto": None, "on": True, "off": False}[args.channels_last]
    torch.manual_seed(0)
    where = torch.cuda.get_device_name(dev) if dev.type == "cuda" else f"CPU, {torch.get_num_threads()} threads"
    print(f"device: {where}; torch {torch.__version__}; {args.size}x{args.size}")
    for prec in args.precision:
        peak = matmul_rate(dev, DTYPES[prec])
        print(f"{prec} matmul: {peak / 1e12:.2f} TFLOP/s (median)")
    for name in args.methods:
        make_method, b, make_batch = setups(args.size, dev)[name]
        for prec in args.precision:
            torch.manual_seed(0)
            m = make_method()
            set_precision(m, prec, cl)
            batch = make_batch(b)
            if dev.type == "cuda":
                torch.cuda.reset_peak_memory_stats(dev)
            flops = step_flops(m, batch)
            before = matmul_rate(dev, DTYPES[prec])
            ips = throughput(m, batch, b, args.steps, args.warmup)
            local_peak = (before + matmul_rate(dev, DTYPES[prec])) / 2
            achieved = flops * ips / b
            mem = f"  peak memory {torch.cuda.max_memory_allocated(dev) / 2**30:.2f} GiB" if dev.type == "cuda" else ""
            print(f"{name:9s} {prec} batch {b}{' NHWC' if m.channels_last else ''}: {flops / 1e9:.2f} GFLOP/step  "
                  f"{ips:.2f} img/s  {achieved / 1e12:.3f} TFLOP/s  = {achieved / local_peak:.3f} of the "
                  f"{prec} matmul rate ({local_peak / 1e12:.2f} TFLOP/s around it){mem}", flush=True)
            del m
            if dev.type == "cuda":
                torch.cuda.empty_cache()


if __name__ == "__main__":
    main()
