"""The one training loop: AMP, channels_last, data-parallel (torch.distributed), EMA,
complete checkpoints with exact resume, tqdm progress.

Data parallelism: every rank builds the same method (same seed), rank 0's weights are
broadcast, each rank trains on its own slice of every global batch and gradients are
averaged with one flattened ``all_reduce`` per optimizer step before ``step()``. That is
DistributedDataParallel's semantics; we average explicitly instead of wrapping modules in
``nn.parallel.DistributedDataParallel`` because GAN steps back-propagate through frozen
discriminators and call networks several times per step, which DDP's reducer does not allow
without ``find_unused_parameters``. Launch with ``torchrun --nproc_per_node N``.
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
import torch.distributed as dist
from torch._utils import _flatten_dense_tensors, _unflatten_dense_tensors

from reproductions import __version__
from reproductions.methods.base import BatchSource, Method
from reproductions.utils import EMA, atomic_save, code_version, rng_state, set_rng_state


@dataclass(frozen=True)
class TrainConfig:
    """Loop settings (architecture settings live in the method's own config).

    :param steps: optimizer steps in total (the runner derives it from epochs)
    :param batch_size: per-rank batch size
    :param amp: autocast (bfloat16 on CPU and on GPUs that support it, else float16 + GradScaler)
    :param channels_last: NHWC memory format (``None`` = on for CUDA)
    :param ema_decay: EMA of the method's ``ema_net`` (``None`` = off)
    :param ckpt_every: save a checkpoint every this many steps (and at the end)
    :param decay_from: fraction of ``steps`` after which every learning rate decays linearly
        to zero (the ``linear`` policy of pytorch-CycleGAN-and-pix2pix: n_epochs constant,
        n_epochs_decay to zero); 1.0 = constant learning rate
    """

    steps: int = 100
    batch_size: int = 8
    seed: int = 0
    amp: bool = False
    channels_last: bool | None = None
    ema_decay: float | None = None
    decay_from: float = 1.0
    ckpt_every: int = 50
    log_every: int = 25
    progress: bool = True


def dist_info() -> tuple[int, int]:
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def allreduce_mean(grads: list[torch.Tensor]) -> None:
    """Average gradients over ranks in one collective (flattened bucket)."""
    if not grads:
        return
    world = dist.get_world_size()
    flat = _flatten_dense_tensors(grads)
    dist.all_reduce(flat)
    flat.div_(world)
    for g, f in zip(grads, _unflatten_dense_tensors(flat, grads)):
        g.copy_(f)


def set_precision(method: Method, amp: str = "fp32", channels_last: bool | None = None) -> None:
    """Autocast dtype and memory format of ``method``'s training and inference.

    ``amp``: ``fp32`` (none), ``bf16``, ``fp16`` (with a GradScaler, since fp16 gradients
    underflow) or ``auto`` (bf16 on CPU and on GPUs with bf16, else fp16). channels_last
    (NHWC) defaults to on for CUDA, where cuDNN's tensor-core convolutions want it.
    """
    dev = method.device
    if amp == "auto":
        amp = "bf16" if dev.type == "cpu" or torch.cuda.is_bf16_supported() else "fp16"
    if amp not in ("fp32", "bf16", "fp16"):
        raise ValueError(f"amp must be fp32, bf16, fp16 or auto, got {amp!r}")
    method.amp_dtype = {"fp32": None, "bf16": torch.bfloat16, "fp16": torch.float16}[amp]
    method.scaler = torch.amp.GradScaler(dev.type, enabled=amp == "fp16")
    cl = channels_last if channels_last is not None else dev.type == "cuda"
    method.channels_last = bool(cl)
    method.nets.to(memory_format=torch.channels_last if cl else torch.contiguous_format)


class Trainer:
    """Trains ``method`` on ``source`` for ``cfg.steps`` steps, checkpointing to
    ``ckpt_path``; ``fit`` resumes from that checkpoint if it exists.

    :param run_config: the full run configuration stored in every checkpoint
    """

    def __init__(self, method: Method, source: BatchSource, cfg: TrainConfig, *,
                 ckpt_path: str | os.PathLike | None = None, run_config: dict | None = None):
        self.method, self.source, self.cfg = method, source, cfg
        self.ckpt_path = Path(ckpt_path) if ckpt_path else None
        self.run_config = run_config or {}
        self.rank, self.world = dist_info()
        self.step = 0
        self.train_time_s = 0.0
        set_precision(method, "auto" if cfg.amp else "fp32", cfg.channels_last)
        if self.world > 1:
            for p in method.nets.state_dict().values():
                dist.broadcast(p, 0)
            method.grad_sync = allreduce_mean
        self.ema = EMA(method.nets[method.ema_net], cfg.ema_decay) if (cfg.ema_decay and method.ema_net) else None
        if self.ema is not None:
            method.ema[method.ema_net] = self.ema.shadow
        self.last_losses: dict[str, float] = {}

    # ------------------------------------------------------------ checkpoints
    def state_dict(self) -> dict:
        return {
            "step": self.step,
            "method": self.method.state_dict(),
            "ema": self.ema.state_dict() if self.ema else None,
            "rng": rng_state(),
            "config": self.run_config,
            "train_config": asdict(self.cfg),
            "train_time_s": self.train_time_s,
            "version": __version__,
            "code_version": code_version(),
        }

    def save(self) -> None:
        if self.ckpt_path is not None and self.rank == 0:
            atomic_save(self.state_dict(), self.ckpt_path)

    def load(self, state: dict) -> None:
        self.method.load_state_dict(state["method"])
        if self.ema is not None and state.get("ema"):
            self.ema.load_state_dict(state["ema"])
        set_rng_state(state["rng"])
        self.step = int(state["step"])
        self.train_time_s = float(state.get("train_time_s", 0.0))

    def maybe_resume(self) -> bool:
        if self.ckpt_path is None or not self.ckpt_path.exists():
            return False
        state = torch.load(self.ckpt_path, map_location=self.method.device, weights_only=False)
        self.load(state)
        return True

    # ------------------------------------------------------------ loop
    def lr_factor(self, step: int) -> float:
        """1 until ``decay_from * steps``, then linearly down to 1/(decay steps + 1) at the
        last step. A pure function of the step, so a resumed run uses the same rates."""
        start = int(self.cfg.decay_from * self.cfg.steps)
        if step < start:
            return 1.0
        return 1.0 - (step - start + 1) / (self.cfg.steps - start + 1)

    def set_lr(self, step: int) -> None:
        f = self.lr_factor(step)
        for o in self.method.optimizers.values():
            for g in o.param_groups:
                g.setdefault("initial_lr", g["lr"])
                g["lr"] = g["initial_lr"] * f

    def fit(self) -> dict[str, float]:
        """Run to ``cfg.steps``; returns the mean losses of the last logging window."""
        from tqdm.auto import tqdm

        cfg, m = self.cfg, self.method
        resumed = self.maybe_resume()
        bar = tqdm(total=cfg.steps, initial=self.step, disable=not cfg.progress or self.rank != 0,
                   desc=f"{m.name}{' (resumed)' if resumed else ''}", dynamic_ncols=True, leave=True)
        sums: dict[str, torch.Tensor] = {}
        n_acc = 0
        t0 = time.perf_counter()
        while self.step < cfg.steps:
            batch = self.source.batch(self.step, cfg.batch_size, self.rank, self.world)
            if cfg.decay_from < 1.0:
                self.set_lr(self.step)
            losses = m.step(batch)
            if self.ema is not None:
                self.ema.update(m.nets[m.ema_net])
            for k, v in losses.items():  # stays on device: no host sync per step
                sums[k] = sums[k] + v if k in sums else v.clone()
            n_acc += 1
            self.step += 1
            bar.update(1)
            if self.step % cfg.log_every == 0 or self.step == cfg.steps:
                self.last_losses = {k: float(v) / n_acc for k, v in sums.items()}
                bar.set_postfix({k: f"{v:.3g}" for k, v in self.last_losses.items()})
                sums, n_acc = {}, 0
            if self.step % cfg.ckpt_every == 0 or self.step == cfg.steps:
                self.train_time_s += time.perf_counter() - t0
                t0 = time.perf_counter()
                self.save()
        bar.close()
        return self.last_losses
