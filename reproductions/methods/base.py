"""What every method shares: batch sources, AMP/gradient plumbing and (de)serialisation.

A method owns its networks, losses and optimizers and one ``train_step(batch)`` that
returns its (detached) losses; the ``Trainer`` owns the loop. A method never reads a
global options namespace: it takes its own frozen config dataclass.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Callable, ClassVar

import torch
from torch import nn

from reproductions.data.sliceset import SliceSet, unpaired_halves


#: devices whose fused Adam kernel is used (torch's own list: cuda, cpu, mps, xpu)
FUSED_ADAM_DEVICES = ("cuda", "cpu")


# ---------------------------------------------------------------- batch sources
class BatchSource:
    """Deterministic, resumable batches: the permutation of epoch ``e`` is a function of
    ``(seed, e)`` only, so step ``s`` always yields the same batch (and a resumed run sees
    exactly the batches it would have seen). With ``world`` ranks each rank takes its own
    disjoint slice of every global batch."""

    def __init__(self, tensors: dict[str, torch.Tensor], seed: int):
        self.tensors = tensors
        self.seed = seed
        self.n = len(next(iter(tensors.values())))
        self._cache: tuple[int, torch.Tensor] | None = None

    def _perm(self, epoch: int, salt: int = 0) -> torch.Tensor:
        g = torch.Generator().manual_seed(self.seed * 100_003 + epoch * 7919 + salt)
        return torch.randperm(self.n, generator=g)

    def steps_per_epoch(self, batch_size: int, world: int = 1) -> int:
        return max(1, self.n // (batch_size * world))

    def batch(self, step: int, batch_size: int, rank: int = 0, world: int = 1) -> dict[str, torch.Tensor]:
        spe = self.steps_per_epoch(batch_size, world)
        epoch, k = divmod(step, spe)
        if self._cache is None or self._cache[0] != epoch:
            self._cache = (epoch, self._perm(epoch))
        perm = self._cache[1]
        start = (k * world + rank) * batch_size
        idx = perm[torch.arange(start, start + batch_size) % self.n]
        return {name: t[idx] for name, t in self.tensors.items()}


class UnpairedSource(BatchSource):
    """Two independent streams: domain A images and domain B images from different subjects."""

    def __init__(self, a: torch.Tensor, b: torch.Tensor, seed: int):
        super().__init__({"A": a}, seed)
        self.b = BatchSource({"B": b}, seed + 1)

    def batch(self, step: int, batch_size: int, rank: int = 0, world: int = 1) -> dict[str, torch.Tensor]:
        out = super().batch(step, batch_size, rank, world)
        out.update(self.b.batch(step, batch_size, rank, world))
        return out


def stack_modalities(data: SliceSet, names: list[str]) -> torch.Tensor:
    data.require(names)
    return torch.cat([data.images[m] for m in names], 1)  # (N, len(names), H, W)


# ---------------------------------------------------------------- methods
@dataclass(frozen=True)
class MethodConfig:
    """Fields every method config has; subclasses add their own."""

    image_size: int = 32
    lr: float = 2e-4
    beta1: float = 0.5


class Method:
    """Base class. Subclasses set ``name``, ``architectures`` (catalog names this method
    reproduces), ``kind`` ('translation' | 'creation'), ``config_cls`` and ``ema_net``."""

    name: ClassVar[str]
    architectures: ClassVar[list[str]]
    kind: ClassVar[str]
    paired: ClassVar[bool] = True
    config_cls: ClassVar[type]
    ema_net: ClassVar[str | None] = None

    def __init__(self, cfg, device: torch.device | str = "cpu"):
        if not isinstance(cfg, self.config_cls):
            raise TypeError(f"{self.name} takes a {self.config_cls.__name__}, got {type(cfg).__name__}")
        self.cfg = cfg
        self.device = torch.device(device)
        self.nets = nn.ModuleDict()
        self.optimizers: dict[str, torch.optim.Optimizer] = {}
        self.ema: dict[str, nn.Module] = {}
        self.amp_dtype: torch.dtype | None = None
        self.scaler = torch.amp.GradScaler(self.device.type, enabled=False)
        self.grad_sync: Callable[[list[torch.Tensor]], None] | None = None
        self.channels_last = False

    # -- construction helpers
    def adam(self, *names: str, lr: float | None = None, betas: tuple[float, float] | None = None) -> torch.optim.Optimizer:
        params = [p for n in names for p in self.nets[n].parameters()]
        # One fused kernel per step on CUDA and on the CPU (torch >= 2.4): the same update,
        # where foreach on the CPU loops over tensors op by op (5x slower; a fifth of a
        # pix2pix step with its 57 M parameters)
        fused = self.device.type in FUSED_ADAM_DEVICES
        return torch.optim.Adam(params, lr=lr or self.cfg.lr, betas=betas or (self.cfg.beta1, 0.999),
                                foreach=not fused, fused=fused or None)

    def finalize(self) -> None:
        self.nets.to(self.device)

    # -- training plumbing (used inside train_step)
    def autocast(self):
        if self.amp_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(self.device.type, dtype=self.amp_dtype)

    def prep(self, x: torch.Tensor) -> torch.Tensor:
        x = x.to(self.device, non_blocking=True)
        return x.contiguous(memory_format=torch.channels_last) if self.channels_last and x.dim() == 4 else x

    def optimize(self, loss: torch.Tensor, opt: str) -> None:
        """zero_grad(set_to_none) -> backward (scaled under fp16) -> gradient all-reduce
        across ranks when data-parallel -> step."""
        o = self.optimizers[opt]
        o.zero_grad(set_to_none=True)
        self.scaler.scale(loss).backward()
        if self.grad_sync is not None:
            self.grad_sync([p.grad for g in o.param_groups for p in g["params"] if p.grad is not None])
        self.scaler.step(o)

    def step(self, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        """One training iteration as the Trainer runs it: ``train_step`` (every optimizer
        steps once), then the fp16 loss scale is updated once for all of them."""
        losses = self.train_step(batch)
        self.scaler.update()
        return losses

    @staticmethod
    def requires_grad(net: nn.Module, flag: bool) -> None:
        for p in net.parameters():
            p.requires_grad_(flag)

    def eval_net(self, name: str) -> nn.Module:
        return self.ema.get(name, self.nets[name])

    # -- to override
    def source(self, train: SliceSet, seed: int) -> BatchSource:
        raise NotImplementedError

    def train_step(self, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        raise NotImplementedError

    # -- state
    def state_dict(self) -> dict:
        return {"nets": self.nets.state_dict(),
                "optimizers": {k: o.state_dict() for k, o in self.optimizers.items()},
                "scaler": self.scaler.state_dict()}

    def load_state_dict(self, state: dict) -> None:
        self.nets.load_state_dict(state["nets"])
        for k, o in self.optimizers.items():
            o.load_state_dict(state["optimizers"][k])
        if state.get("scaler"):
            self.scaler.load_state_dict(state["scaler"])


class TranslationMethod(Method):
    """Source contrasts -> one target contrast. Subclasses implement ``_translate``."""

    kind = "translation"

    def source(self, train: SliceSet, seed: int) -> BatchSource:
        src, tgt = stack_modalities(train, list(self.cfg.sources)), stack_modalities(train, [self.cfg.target])
        if self.paired:
            return BatchSource({"src": src, "tgt": tgt}, seed)
        a_half, b_half = unpaired_halves(train, seed)
        return UnpairedSource(stack_modalities(a_half, list(self.cfg.sources)),
                              stack_modalities(b_half, [self.cfg.target]), seed)

    @torch.no_grad()
    def translate(self, src: torch.Tensor, batch: int = 64) -> torch.Tensor:
        """(N, n_sources, H, W) in [-1, 1] -> (N, 1, H, W) in [-1, 1], on CPU."""
        outs = []
        for i in range(0, len(src), batch):
            with self.autocast():
                outs.append(self._translate(self.prep(src[i:i + batch])).float().cpu())
        return torch.cat(outs).clamp(-1, 1).contiguous()

    def _translate(self, src: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError


class CreationMethod(Method):
    """Noise (and optionally a class label) -> image. Subclasses implement ``_sample``."""

    kind = "creation"

    def source(self, train: SliceSet, seed: int) -> BatchSource:
        return BatchSource({"x": stack_modalities(train, [self.cfg.modality]), "y": train.label}, seed)

    @torch.no_grad()
    def sample(self, n: int, *, seed: int = 0, labels: torch.Tensor | None = None, batch: int = 64) -> torch.Tensor:
        """n images (n, 1, H, W) in [-1, 1] on CPU; ``labels`` (n,) for conditional models."""
        g = torch.Generator(device="cpu").manual_seed(seed)
        outs = []
        for i in range(0, n, batch):
            y = None if labels is None else labels[i:i + batch].to(self.device)
            with self.autocast():
                outs.append(self._sample(min(batch, n - i), g, y).float().cpu())
        return torch.cat(outs).clamp(-1, 1).contiguous()

    def _sample(self, n: int, g: torch.Generator, y: torch.Tensor | None) -> torch.Tensor:
        raise NotImplementedError

    def randn(self, *shape: int, g: torch.Generator) -> torch.Tensor:
        return torch.randn(*shape, generator=g).to(self.device)
