"""pix2pix and CycleGAN training throughput, interleaved: ours, the baseline configuration,
and (given a checkout) the reference implementation, pytorch-CycleGAN-and-pix2pix.

    python benchmarks/bench_versus.py                                  # ours vs baseline
    python benchmarks/bench_versus.py --reference ~/src/pytorch-CycleGAN-and-pix2pix

Targets (issue 13, on the 2-core CPU, fp32): pix2pix >= 1.3x and CycleGAN >= 1.15x the
reference's images/s. Each round runs ``--steps`` steps of every contender in turn (reference,
ours, baseline, reference, ours ...), so a shared machine's changing speed falls on all of
them alike; the figure is the median step time over at least 40 steady steps each.

- **ours**: the reproductions as they train (fused Adam on the CPU too; the U-Net's
  convolutions at 8x8 and below as one matrix product, see ``reproductions.networks``).
- **baseline**: the same networks with torch's default CPU paths (foreach Adam, oneDNN
  convolutions at every size): the configuration issue 13 measured at 1.02-1.03x the
  reference, same torch binary, identical FLOPs per step.
- **reference**: the public repository's own model classes (``models.create_model``), set
  up with the options of its pix2pix / cycle_gan training scripts at this image size, stepped
  with its ``set_input`` + ``optimize_parameters``. Nothing of it is copied here: the
  checkout is imported from the path given.

FLOPs per step are counted for every contender (``FlopCounterMode``) and printed, so a
configuration mismatch shows; the machine's fp32 matmul rate is printed from the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from argparse import Namespace
from pathlib import Path
from typing import Callable

import torch
from torch.utils.flop_counter import FlopCounterMode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_training import matmul_rate  # noqa: E402
from reproductions import networks as N  # noqa: E402
from reproductions.methods import CycleGAN, CycleGANConfig, Pix2Pix, Pix2PixConfig  # noqa: E402
from reproductions.methods import base as B  # noqa: E402

BATCH = {"pix2pix": 4, "cyclegan": 1}
OURS = (N.GEMM_MAX_PIXELS, B.FUSED_ADAM_DEVICES)  # our switches as shipped
BASELINE = (0, ("cuda",))  # torch's default CPU paths: oneDNN at every size, foreach Adam
TARGET = {"pix2pix": 1.3, "cyclegan": 1.15}


class Contender:
    """One way of training: ``prepare()`` before its steps (module switches), ``step()``."""

    def __init__(self, name: str, step: Callable[[], None], prepare: Callable[[], None] = lambda: None):
        self.name, self._step, self.prepare, self.times = name, step, prepare, []

    def step(self) -> None:
        self.prepare()
        self._step()


def ours(method: str, size: int, baseline: bool = False) -> Contender:
    """Our method; ``baseline`` builds and steps it with torch's default CPU paths."""
    gemm, fused = BASELINE if baseline else OURS

    def switches() -> None:
        N.GEMM_MAX_PIXELS, B.FUSED_ADAM_DEVICES = gemm, fused

    switches()
    torch.manual_seed(0)
    cpu = torch.device("cpu")
    if method == "pix2pix":
        m = Pix2Pix(Pix2PixConfig(image_size=size, ngf=64, ndf=64, norm="batch"), cpu)
        batch = {"src": torch.randn(BATCH[method], 1, size, size), "tgt": torch.randn(BATCH[method], 1, size, size)}
    else:
        m = CycleGAN(CycleGANConfig(image_size=size, ngf=64, ndf=64, n_blocks=6), cpu)
        batch = {"A": torch.randn(1, 1, size, size), "B": torch.randn(1, 1, size, size)}
    return Contender("baseline" if baseline else "ours", lambda: m.step(batch), switches)


def reference_options(method: str, size: int, checkpoints: str) -> Namespace:
    """The options the reference's train.py would parse for this run (its defaults, plus
    the flags of its pix2pix and cycle_gan scripts), one-channel images of ``size``."""
    n_down = size.bit_length() - 1  # unet_128: 7 downsamplings to 1x1
    common = dict(isTrain=True, gpu_ids=[], device=torch.device("cpu"), checkpoints_dir=checkpoints, name="bench",
                  input_nc=1, output_nc=1, ngf=64, ndf=64, netD="basic", n_layers_D=3, init_type="normal",
                  init_gain=0.02, lr=0.0002, beta1=0.5, direction="AtoB", preprocess="resize_and_crop",
                  load_size=size, crop_size=size, lr_policy="linear", epoch_count=1, n_epochs=100,
                  n_epochs_decay=100, niter=100, niter_decay=100, lr_decay_iters=50, continue_train=False,
                  load_iter=0, epoch="latest", verbose=False, batch_size=BATCH[method], serial_batches=False,
                  num_threads=0, max_dataset_size=float("inf"), no_flip=True, display_id=-1, use_wandb=False,
                  suffix="", phase="train")
    if method == "pix2pix":
        return Namespace(**common, model="pix2pix", netG=f"unet_{2 ** n_down}", norm="batch", no_dropout=False,
                         gan_mode="vanilla", lambda_L1=100.0, pool_size=0, dataset_mode="aligned")
    return Namespace(**common, model="cycle_gan", netG="resnet_6blocks", norm="instance", no_dropout=True,
                     gan_mode="lsgan", lambda_A=10.0, lambda_B=10.0, lambda_identity=0.5, pool_size=50,
                     dataset_mode="unaligned")


def reference(method: str, size: int, checkout: Path, checkpoints: str) -> Contender:
    """The reference's own model, imported from ``checkout``."""
    if not (checkout / "models" / "__init__.py").is_file():
        raise SystemExit(f"{checkout}: not a checkout of pytorch-CycleGAN-and-pix2pix (no models/__init__.py)")
    sys.path.insert(0, str(checkout))
    from models import create_model  # the reference's factory

    torch.manual_seed(0)
    model = create_model(reference_options(method, size, checkpoints))
    data = {"A": torch.randn(BATCH[method], 1, size, size), "B": torch.randn(BATCH[method], 1, size, size),
            "A_paths": ["a"] * BATCH[method], "B_paths": ["b"] * BATCH[method]}

    def step() -> None:
        model.set_input(data)
        model.optimize_parameters()
    return Contender("reference", step)


def flops_of(c: Contender) -> int:
    with FlopCounterMode(display=False) as fc:
        c.step()
    return fc.get_total_flops()


def matmul_gflops() -> float:
    return matmul_rate(torch.device("cpu")) / 1e9


def race(contenders: list[Contender], rounds: int, steps: int, warmup: int) -> None:
    for c in contenders:
        for _ in range(warmup):
            c.step()
    for _ in range(rounds):
        for c in contenders:
            for _ in range(steps):
                t = time.perf_counter()
                c.step()
                c.times.append(time.perf_counter() - t)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reference", type=Path, help="a checkout of junyanz/pytorch-CycleGAN-and-pix2pix")
    ap.add_argument("--methods", nargs="+", default=["pix2pix", "cyclegan"], choices=list(BATCH))
    ap.add_argument("--size", type=int, default=128)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--steps", type=int, default=2, help="steps of one contender per round")
    ap.add_argument("--warmup", type=int, default=3)
    args = ap.parse_args()
    print(f"torch {torch.__version__}, CPU, {torch.get_num_threads()} threads, {args.size}x{args.size}, fp32; "
          f"matmul {matmul_gflops():.0f} GFLOP/s")
    with tempfile.TemporaryDirectory() as checkpoints:
        for method in args.methods:
            contenders = [ours(method, args.size), ours(method, args.size, baseline=True)]
            if args.reference:
                contenders.insert(0, reference(method, args.size, args.reference, checkpoints))
            flops = {c.name: flops_of(c) for c in contenders}
            race(contenders, args.rounds, args.steps, args.warmup)
            ips = {c.name: BATCH[method] / statistics.median(c.times) for c in contenders}
            print(f"\n{method} (batch {BATCH[method]}; {len(contenders[0].times)} timed steps each, interleaved)")
            for c in contenders:
                print(f"  {c.name:9s} {ips[c.name]:6.2f} img/s  {flops[c.name] / 1e9:7.2f} GFLOP/step")
            print(f"  ours / baseline: {ips['ours'] / ips['baseline']:.2f}x")
            if "reference" in ips:
                ratio = ips["ours"] / ips["reference"]
                print(f"  ours / reference: {ratio:.2f}x (target >= {TARGET[method]}x: "
                      f"{'met' if ratio >= TARGET[method] else 'MISSED'})")
            print(f"  matmul now {matmul_gflops():.0f} GFLOP/s", flush=True)


if __name__ == "__main__":
    main()
