"""Typer-annotated entry points mounted by ``reviewdb`` as ``reviewdb reproduce`` and
``reviewdb claims``. They parse options, call one library function and map errors to a
non-zero exit; all logic lives in ``runner`` and ``claims``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

#: The method names, known without importing torch (``reviewdb --help`` stays fast);
#: tests/reproductions/test_methods.py checks them against ``reproductions.methods.METHODS``.
METHODS = ("cond_diffusion", "cyclegan", "dcgan", "ddpm", "fusion", "pix2pix", "vae")


def reproduce(
    method: Annotated[str, typer.Argument(help=f"Method to train: one of {', '.join(sorted(METHODS))}.")],
    quick: Annotated[bool, typer.Option("--quick", help="Small 32x32 configuration (minutes on a CPU).")] = False,
    device: Annotated[str, typer.Option(help="auto | cpu | cuda")] = "auto",
    amp: Annotated[bool, typer.Option("--amp", help="Mixed precision (bfloat16 on CPU, bf16/fp16 on CUDA).")] = False,
    epochs: Annotated[Optional[int], typer.Option(min=1, help="Override the preset's number of epochs.")] = None,
    data: Annotated[str, typer.Option(help="'simulated' or a local path (NIfTI folder, DICOM folder, MedMNIST .npz).")] = "simulated",
    out: Annotated[Path, typer.Option(help="Output directory (checkpoint, samples.png, metrics.json).")] = Path("runs"),
    seed: Annotated[int, typer.Option(help="Random seed (data, initialisation, batches).")] = 0,
    db: Annotated[Optional[str], typer.Option(help="SQLAlchemy URL; default: the embedded SQLite database.", envvar="REVIEWDB_URL")] = None,
    record: Annotated[bool, typer.Option("--record/--no-record", help="Record the run in the database (--no-record: only the files under --out).")] = True,
    source: Annotated[Optional[list[str]], typer.Option(help="Source modality of a translation (repeatable), e.g. T1; default from the preset.")] = None,
    target: Annotated[Optional[str], typer.Option(help="Target modality of a translation, e.g. CT; default from the preset.")] = None,
    protocol: Annotated[Optional[str], typer.Option(help="Also score with a challenge's evaluation protocol: "
                                                         "synthrad2023 (MRI/CBCT -> CT, per patient, in HU, "
                                                         "inside the body mask).")] = None,
) -> None:
    """Train a reproduction, evaluate it, save a sample grid and metrics, record the run.

    Real data: --data /path/to/IXI --source T1 --target T2 (NIfTI/DICOM folder or MedMNIST .npz).
    Re-running the same command after an interruption resumes from OUT/METHOD/checkpoint.pt.

    SynthRAD2023 (task 1 MRI -> CT, task 2 CBCT -> CT): point --data at a task's anatomy folder
    (e.g. Task1/pelvis, one folder per patient with mr.nii.gz or cbct.nii.gz, ct.nii.gz and
    mask.nii.gz) and add `--source MR --target CT --protocol synthrad2023` (task 2:
    `--source CBCT`); the run is then scored as the challenge scores it and linked to
    SynthRAD2023.

    Several GPUs: `torchrun --nproc_per_node 4 -m reproductions reproduce pix2pix`

    Example: reviewdb reproduce pix2pix --quick --device cpu --out runs
    """
    from reproductions.runner import run

    if method not in METHODS:
        raise typer.BadParameter(f"unknown method {method!r}; choices: {', '.join(sorted(METHODS))}",
                                 param_hint="METHOD")
    if device not in ("auto", "cpu", "cuda") and not device.startswith("cuda:"):
        raise typer.BadParameter("choose auto, cpu or cuda", param_hint="--device")
    try:
        overrides = {**({"sources": tuple(source)} if source else {}), **({"target": target} if target else {})}
        metrics = run(method, quick=quick, device=device, amp=amp, epochs=epochs, data=data, out=out,
                      seed=seed, db=db, record_db=record, overrides=overrides, protocol=protocol, command=" ".join(["reviewdb", "reproduce", *sys.argv[sys.argv.index("reproduce") + 1:]])
                      if "reproduce" in sys.argv else None)
    except ValueError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    if metrics:
        typer.echo(json.dumps(metrics, indent=2, sort_keys=True))
        if quick and data == "simulated" and epochs is None and not overrides:
            from reproductions.reference import compare

            lines = compare(method, metrics, seed)
            if lines:
                typer.echo("beside the shipped reference (reviewdb/data/reference/runs.json):")
                for line in lines:
                    typer.echo(f"  {line}")


def claims(
    quick: Annotated[bool, typer.Option("--quick", help="Small configurations (minutes, not hours, on 2 CPU cores).")] = False,
    full: Annotated[bool, typer.Option("--full", help="The configuration sized for a GPU: 128x128 images, the papers' schedules, 10 seeds unless --seeds says otherwise.")] = False,
    plan: Annotated[bool, typer.Option("--plan", help="Print every training run, its steps, FLOPs and the expected run time on this device; train nothing.")] = False,
    seeds: Annotated[Optional[int], typer.Option(min=3, help="Seeds per experiment (at least 3; default 5, 10 with --full).")] = None,
    only: Annotated[Optional[list[str]], typer.Option(help="Run only these claim codes (repeatable).")] = None,
    device: Annotated[str, typer.Option(help="auto | cpu | cuda")] = "auto",
    out: Annotated[Path, typer.Option(help="Output directory for per-claim JSON.")] = Path("runs/claims"),
    db: Annotated[Optional[str], typer.Option(help="SQLAlchemy URL; default: the embedded SQLite database.", envvar="REVIEWDB_URL")] = None,
) -> None:
    """Run the experiments behind the review's claims and store a verdict for each.

    Verdicts (supported / not supported / inconclusive) follow from the measured numbers
    and a 95 % confidence interval over the seeds.

    Example: reviewdb claims --quick --only paired_vs_unpaired
    """
    from reproductions.claims import CLAIMS, run_claims

    unknown = [c for c in (only or []) if c not in CLAIMS]
    if unknown:
        raise typer.BadParameter(f"unknown claim {unknown}; choices: {', '.join(CLAIMS)}", param_hint="--only")
    if quick and full:
        raise typer.BadParameter("--quick and --full exclude each other", param_hint="--full")
    from reproductions.plan import FULL_SEEDS

    seeds = seeds or (FULL_SEEDS if full else 5)
    if plan:
        from reproductions.plan import ASSUMED_GPU_FLOPS, describe
        from reproductions.plan import plan as make_plan
        from reproductions.utils import device_description, resolve_device

        runs = make_plan(quick=quick, seeds=seeds, only=only, device=device)
        for line in describe(runs, device_description(resolve_device(device)), ASSUMED_GPU_FLOPS):
            typer.echo(line)
        return
    results = run_claims(quick=quick, seeds=seeds, only=only, device=device, out=out, db=db)
    from reproductions.claims import baseline_summary

    for r in results:
        typer.echo(f"{r['code']}: {r['verdict']}  (effect {r['effect']:.4g}, 95% CI [{r['ci_low']:.4g}, {r['ci_high']:.4g}])")
        for line in baseline_summary(r["numbers"]):
            typer.echo(f"  {line}")


def app() -> typer.Typer:
    """A stand-alone Typer app with both commands (``python -m reproductions``)."""
    a = typer.Typer(add_completion=False, no_args_is_help=True)
    a.command()(reproduce)
    a.command()(claims)
    return a
