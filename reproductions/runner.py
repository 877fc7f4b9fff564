"""What ``reviewdb reproduce METHOD`` runs: data -> method -> Trainer -> evaluation ->
sample grid (PNG) + metrics (JSON) + a reproduction_run row through ``reviewdb.runs``."""

from __future__ import annotations

import functools
import json
import os
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import torch
import torch.distributed as dist

from reproductions import metrics as M
from reproductions.baselines import BASELINES
from reproductions.data import SimConfig, SliceSet, load_path, simulate, split_by_subject
from reproductions.featurenet import train_feature_encoder
from reproductions.methods import CreationMethod, Method, TranslationMethod, get_method
from reproductions.methods.base import stack_modalities
from reproductions.presets import Preset, preset
from reproductions.trainer import Trainer, dist_info
from reproductions.utils import code_version, device_description, resolve_device, save_grid, seed_everything


@functools.lru_cache(maxsize=4)
def simulated(cfg: SimConfig) -> SliceSet:
    """The simulator's output for ``cfg``, kept for the next run in this process (the claims
    and the tests train several methods on the same seeds). Callers never modify a SliceSet."""
    return simulate(cfg)


def load_data(data: str, p: Preset) -> SliceSet:
    """``simulated`` -> the simulator with the preset's SimConfig, else a local path."""
    if data == "simulated":
        return simulated(p.sim)
    return load_path(data, size=p.method.image_size, slices_per_subject=p.sim.slices_per_subject)


def adapt_config(cfg, data: SliceSet):
    """A creation method on single-modality data (e.g. MedMNIST) uses that modality."""
    if hasattr(cfg, "modality") and cfg.modality not in data.images and len(data.modalities) == 1:
        return replace(cfg, modality=data.modalities[0])
    return cfg


def protocol_metrics(protocol: str, pred: torch.Tensor, tgt: torch.Tensor, test: SliceSet, win) -> dict:
    """A challenge's metrics per subject volume (its slices stacked), in physical units,
    averaged over the test subjects: ``<protocol>_mae`` etc."""
    from reproductions.protocols import PROTOCOLS

    if protocol not in PROTOCOLS:
        raise ValueError(f"unknown protocol {protocol!r}; choose from {', '.join(PROTOCOLS)}")
    if win.unit != "HU":
        raise ValueError(f"the {protocol} protocol scores CT in HU; this target is in {win.unit or 'a.u.'}")
    p, t = win.to_physical(pred.float()), win.to_physical(tgt.float())
    per = [PROTOCOLS[protocol](t[idx, 0].numpy(), p[idx, 0].numpy(), test.body[idx, 0].numpy())
           for s in torch.unique(test.subject) for idx in [test.subject == s]]
    return {f"{protocol}_{k}": float(sum(d[k] for d in per) / len(per)) for k in per[0]} | \
        {f"{protocol}_subjects": float(len(per))}


@torch.no_grad()
def evaluate_translation(method: TranslationMethod, train: SliceSet, test: SliceSet,
                         protocol: str | None = None) -> tuple[dict, list]:
    cfg = method.cfg
    src_tr, tgt_tr = stack_modalities(train, list(cfg.sources)), stack_modalities(train, [cfg.target])
    src, tgt = stack_modalities(test, list(cfg.sources)), stack_modalities(test, [cfg.target])
    win = test.windows[cfg.target]
    pred = method.translate(src)
    out = {f"{k}": v for k, v in M.translation_metrics(pred, tgt, test.body, win).items()}
    if protocol:
        out.update(protocol_metrics(protocol, pred, tgt, test, win))
    preds = {}
    for name, cls in BASELINES.items():
        b = cls().fit(src_tr, tgt_tr, train.body)
        preds[name] = b(src)
        for k, v in M.translation_metrics(preds[name], tgt, test.body, win).items():
            out[f"baseline_{name}_{k}"] = v
    # "best baseline": over all baselines, and over those a method's data regime allows
    # (linear regression needs pairs, so an unpaired method is also compared without it)
    applicable = [n for n, c in BASELINES.items() if method.paired or not c.needs_pairs]
    out["best_baseline_mae"] = min(out[f"baseline_{n}_mae"] for n in BASELINES)
    out["best_baseline_ssim"] = max(out[f"baseline_{n}_ssim"] for n in BASELINES)
    out["best_applicable_baseline_mae"] = min(out[f"baseline_{n}_mae"] for n in applicable)
    out["beats_best_baseline_mae"] = float(out["mae"] < out["best_baseline_mae"])
    out["beats_best_baseline_ssim"] = float(out["ssim"] > out["best_baseline_ssim"])
    out["beats_best_applicable_baseline_mae"] = float(out["mae"] < out["best_applicable_baseline_mae"])
    out["beats_best_baseline"] = float(out["beats_best_baseline_mae"] and out["beats_best_baseline_ssim"])
    n = min(8, len(src))
    idx = torch.linspace(0, len(src) - 1, n).long()
    rows = [src[idx, :1], preds["linear"][idx], pred[idx], tgt[idx]]
    return out, rows


@torch.no_grad()
def evaluate_creation(method: CreationMethod, train: SliceSet, test: SliceSet, *, seed: int,
                      encoder_cache: Path | None, n: int = 128) -> tuple[dict, list]:
    real = stack_modalities(test, [method.cfg.modality])
    n = min(n, max(16, len(real)))
    labels = None
    if getattr(method.cfg, "conditional", False):
        labels = test.label[torch.arange(n) % len(test)]
    t0 = time.perf_counter()
    fake = method.sample(n, seed=seed, labels=labels)
    dt = time.perf_counter() - t0
    enc = train_feature_encoder(train, seed=seed, cache=encoder_cache)
    fr, ff = M.encoder_features(enc, real), M.encoder_features(enc, fake)
    out = {
        "sim_encoder_frechet": M.frechet_distance(fr, ff),
        "mmd": M.mmd(real, fake), "swd": M.sliced_wasserstein(real, fake),
        "diversity": M.diversity(fake, ff), "real_diversity": M.diversity(real, fr),
        "sharpness": M.sharpness(fake), "real_sharpness": M.sharpness(real),
        "seconds_per_sample": dt / n,
    }
    weights = os.environ.get("REVIEWDB_INCEPTION_WEIGHTS")  # TorchScript Inception supplied by the user
    if weights:
        out["inception_fid"] = M.inception_fid(real, fake, weights)
    return out, [real[:8], fake[:8], fake[8:16]]


def init_distributed() -> None:
    """Join the process group when launched by torchrun (WORLD_SIZE > 1)."""
    if int(os.environ.get("WORLD_SIZE", "1")) > 1 and not dist.is_initialized():
        backend = "nccl" if torch.cuda.is_available() else "gloo"
        dist.init_process_group(backend)
        if torch.cuda.is_available():
            torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", 0)))


def record(db: str | None, *, method: type[Method], config: dict, metrics: dict, device: str,
           wall_time_s: float, command: str, artifacts_dir: str) -> int | None:
    """Write the reproduction_run row (the only place the runner touches the database)."""
    from reviewdb.runs import record_run

    return record_run(db, method=method.name, architectures=list(method.architectures), config=config,
                      metrics={k: v for k, v in metrics.items() if isinstance(v, (int, float))},
                      device=device, wall_time_s=wall_time_s, code_version=code_version(),
                      command=command, artifacts_dir=artifacts_dir)


@dataclass
class Job:
    """Everything a run trains, before training: the plan (``reproductions.plan``) sizes it."""
    cls: type[Method]
    preset: Preset
    splits: object
    method_config: object
    method: Method
    source: object
    train_config: object


def prepare(method: str, *, quick: bool, device: torch.device, amp: bool = False, epochs: int | None = None,
            data: str = "simulated", seed: int = 0, progress: bool = True, overrides: dict | None = None,
            world: int = 1) -> Job:
    """Data, method and training config of one run, seeded, exactly as ``run`` trains them."""
    cls = get_method(method)
    seed_everything(seed)
    p = preset(cls.name, quick=quick, seed=seed, epochs=epochs, amp=amp, progress=progress)
    dataset = load_data(data, p)
    splits = split_by_subject(dataset, seed)
    overrides = dict(overrides or {})
    bad = [k for k in overrides if not hasattr(p.method, k)]
    if bad:
        raise ValueError(f"{cls.name} has no setting {bad}")
    mcfg = adapt_config(replace(p.method, **overrides), dataset)
    if cls.kind == "translation" and mcfg.image_size != dataset.images[dataset.modalities[0]].shape[-1]:
        raise ValueError("image size of the data and the method config differ")
    m = cls(mcfg, device)
    source = m.source(splits.train, seed)
    steps = p.epochs * source.steps_per_epoch(p.train.batch_size, world)
    return Job(cls, p, splits, mcfg, m, source, replace(p.train, steps=steps))


def run(method: str, *, quick: bool = True, device: str = "auto", amp: bool = False, epochs: int | None = None,
        data: str = "simulated", out: str | Path = "runs", seed: int = 0, db: str | None = None,
        record_db: bool = True, progress: bool = True, overrides: dict | None = None,
        command: str | None = None, protocol: str | None = None, dataset_name: str | None = None) -> dict:
    """Train, evaluate, save artefacts and record one run; returns the metrics dict.

    Resumes from ``OUT/METHOD/checkpoint.pt`` if present (same configuration required).
    ``overrides`` replaces fields of the method config (used by the claims).
    """
    t_start = time.perf_counter()
    init_distributed()
    rank, world = dist_info()
    dev = resolve_device(device)
    if dev.type == "cuda" and world > 1:
        dev = torch.device("cuda", int(os.environ.get("LOCAL_RANK", 0)))
    job = prepare(method, quick=quick, device=dev, amp=amp, epochs=epochs, data=data, seed=seed,
                  progress=progress, overrides=overrides, world=world)
    cls, p, splits, mcfg, m, source, tcfg = (job.cls, job.preset, job.splits, job.method_config, job.method,
                                             job.source, job.train_config)
    out_dir = Path(out) / cls.name
    if protocol == "synthrad2023" and dataset_name is None:
        dataset_name = "SynthRAD2023"  # the protocol is the challenge's: its data set is the one scored
    run_config = {"method": cls.name, "quick": quick, "data": data, "dataset": dataset_name, "protocol": protocol,
                  "seed": seed, "epochs": p.epochs,
                  "world_size": world, "method_config": asdict(mcfg), "train_config": asdict(tcfg),
                  "sim_config": asdict(p.sim) if data == "simulated" else None}
    ckpt = out_dir / "checkpoint.pt"
    if ckpt.exists():
        saved = torch.load(ckpt, map_location="cpu", weights_only=False)["config"]
        if saved.get("method_config") != json.loads(json.dumps(run_config["method_config"])) and \
                saved.get("method_config") != run_config["method_config"]:
            raise ValueError(f"{ckpt} was written with a different method configuration; use another --out")
    trainer = Trainer(m, source, tcfg, ckpt_path=ckpt, run_config=run_config)
    losses = trainer.fit()
    if rank != 0:
        return {}
    if isinstance(m, TranslationMethod):
        metrics, rows = evaluate_translation(m, splits.train, splits.test, protocol)
    else:
        metrics, rows = evaluate_creation(m, splits.train, splits.test, seed=seed,
                                          encoder_cache=out_dir / "feature_encoder.pt")
    metrics.update({f"final_loss_{k}": v for k, v in losses.items()})
    metrics["steps"] = trainer.step
    metrics["train_time_s"] = trainer.train_time_s
    wall = time.perf_counter() - t_start
    grid = save_grid(rows, out_dir / "samples.png")
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2, sort_keys=True))
    (out_dir / "config.json").write_text(json.dumps(run_config, indent=2, sort_keys=True, default=str))
    if record_db:
        run_id = record(db, method=cls, config=run_config, metrics=metrics, device=device_description(dev),
                        wall_time_s=wall, command=command or f"reviewdb reproduce {cls.name}{' --quick' if quick else ''}"
                        f" --seed {seed} --data {data}", artifacts_dir=str(out_dir))
        metrics["run_id"] = run_id
    metrics["wall_time_s"] = wall
    metrics["samples_png"] = str(grid)
    return metrics
