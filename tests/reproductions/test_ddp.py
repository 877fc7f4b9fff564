"""Data-parallel training through torch.distributed: torchrun, gloo backend, 2 CPU processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).parents[2]


@pytest.mark.slow
def test_two_process_gloo_training_keeps_ranks_in_sync(tmp_path):
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
           str(Path(__file__).parent / "ddp_worker.py"), str(tmp_path)]
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    r0, r1 = (torch.load(tmp_path / f"rank{r}.pt") for r in (0, 1))
    assert r0["world"] == 2
    assert torch.equal(r0["flat"], r1["flat"])  # averaged gradients -> identical weights
    assert all(torch.isfinite(torch.tensor(v)) for v in r0["losses"].values())
    assert r0["losses"] != r1["losses"]  # each rank saw its own shard of the batch
