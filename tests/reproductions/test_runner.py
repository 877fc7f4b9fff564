"""The runner as a user runs it: CLI, artefacts, the database row, determinism, and
resume after a kill with nothing lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from typer.testing import CliRunner

from reproductions.cli import app
from reproductions.runner import run

ROOT = Path(__file__).resolve().parents[2]


def test_unknown_method_exits_non_zero_listing_choices():
    res = CliRunner().invoke(app(), ["reproduce", "pix3pix", "--quick"])
    assert res.exit_code != 0
    assert "pix2pix" in res.output and "cyclegan" in res.output


def test_help_has_an_example():
    res = CliRunner().invoke(app(), ["reproduce", "--help"])
    assert res.exit_code == 0 and "Example: reviewdb reproduce pix2pix --quick" in res.output
    res = CliRunner().invoke(app(), ["claims", "--help"])
    assert res.exit_code == 0 and "Example: reviewdb claims --quick" in res.output


def test_deterministic_on_cpu_for_a_fixed_seed(tmp_path):
    a = run("pix2pix", quick=True, device="cpu", epochs=1, out=tmp_path / "a", seed=5, record_db=False, progress=False)
    b = run("pix2pix", quick=True, device="cpu", epochs=1, out=tmp_path / "b", seed=5, record_db=False, progress=False)
    keys = ["mae", "mse", "psnr", "ssim", "steps"]
    assert {k: a[k] for k in keys} == {k: b[k] for k in keys}


def test_run_writes_artefacts_and_a_database_row(tmp_path):
    from sqlalchemy import select

    from reviewdb.db import session_scope
    from reviewdb.models import ReproductionRun

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    m = run("dcgan", quick=True, device="cpu", epochs=1, out=tmp_path, seed=0, db=url, progress=False)
    assert (tmp_path / "dcgan" / "samples.png").stat().st_size > 0
    saved = json.loads((tmp_path / "dcgan" / "metrics.json").read_text())
    assert saved["steps"] == m["steps"] and "sim_encoder_frechet" in saved
    with session_scope(url) as s:
        row = s.execute(select(ReproductionRun)).scalar_one()
        assert row.method == "dcgan" and row.architectures == ["DCGAN"]
        assert row.config["method_config"]["image_size"] == 32 and row.metrics["steps"] == m["steps"]
        assert row.device.startswith("cpu") and row.wall_time_s > 0 and row.code_version


def _cli(out: Path, db: str) -> list[str]:
    return [sys.executable, "-m", "reproductions", "reproduce", "pix2pix", "--quick", "--epochs", "2",
            "--device", "cpu", "--out", str(out), "--seed", "1", "--db", db]


@pytest.mark.slow
def test_kill_and_resume_loses_nothing(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1")
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    ckpt = tmp_path / "run" / "pix2pix" / "checkpoint.pt"
    proc = subprocess.Popen(_cli(tmp_path / "run", db), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    while not ckpt.exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
    assert ckpt.exists(), "no checkpoint written before the deadline"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = torch.load(ckpt, weights_only=False)["step"]
    res = subprocess.run(_cli(tmp_path / "run", db), cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "(resumed)" in res.stderr
    resumed = json.loads((tmp_path / "run" / "pix2pix" / "metrics.json").read_text())
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # same thread count as the subprocess: same float reductions
    try:
        straight = run("pix2pix", quick=True, device="cpu", epochs=2, out=tmp_path / "straight", seed=1,
                       record_db=False, progress=False)
    finally:
        torch.set_num_threads(threads)
    assert 0 < killed_at < straight["steps"]  # killed mid-run, after a checkpoint
    assert resumed["steps"] == straight["steps"]
    for k in ("mae", "psnr", "ssim"):
        assert resumed[k] == pytest.approx(straight[k], rel=1e-3), k


def test_reproduce_on_a_local_nifti_folder(tmp_path):
    import nibabel as nib
    import numpy as np

    rng = np.random.default_rng(0)
    for i in range(4):
        base = np.zeros((24, 24, 12), np.float32)
        base[4:20, 4:20] = rng.uniform(100, 1000, size=(16, 16, 12))
        nib.save(nib.Nifti1Image(base, np.eye(4)), str(tmp_path / f"IXI00{i}-Guys-0001-T1.nii.gz"))
        nib.save(nib.Nifti1Image(1100 - base * (base > 0), np.eye(4)), str(tmp_path / f"IXI00{i}-Guys-0001-T2.nii.gz"))
    res = CliRunner().invoke(app(), ["reproduce", "pix2pix", "--quick", "--epochs", "1", "--device", "cpu",
                                     "--data", str(tmp_path), "--source", "T1", "--target", "T2",
                                     "--out", str(tmp_path / "out"), "--db", f"sqlite:///{tmp_path / 'db.sqlite'}"])
    assert res.exit_code == 0, res.output
    metrics = json.loads((tmp_path / "out" / "pix2pix" / "metrics.json").read_text())
    assert metrics["steps"] >= 1 and "baseline_linear_mae" in metrics
    bad = CliRunner().invoke(app(), ["reproduce", "pix2pix", "--quick", "--device", "cpu", "--data", str(tmp_path),
                                     "--out", str(tmp_path / "out2")])
    assert bad.exit_code != 0 and "no modality" in bad.output
