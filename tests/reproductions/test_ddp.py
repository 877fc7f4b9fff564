"""Data-parallel training through torch.distributed with the gloo backend, 2 CPU processes."""

from __future__ import annotations

import os

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp


def _worker(rank: int, world: int, init_file: str, out_dir: str) -> None:
    os.environ["OMP_NUM_THREADS"] = "1"
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"file://{init_file}", rank=rank, world_size=world)
    try:
        from reproductions.data import SimConfig, simulate
        from reproductions.methods import Pix2Pix
        from reproductions.trainer import Trainer, TrainConfig
        from tests.reproductions.conftest import TINY

        data = simulate(SimConfig(n_subjects=3, slices_per_subject=4, image_size=32, seed=0, modalities=("T1", "CT")))
        torch.manual_seed(rank)  # different init per rank: the trainer must broadcast rank 0's weights
        m = Pix2Pix(TINY["pix2pix"])
        tr = Trainer(m, m.source(data, 0), TrainConfig(steps=3, batch_size=2, progress=False))
        losses = tr.fit()
        flat = torch.cat([p.detach().flatten() for p in m.nets.parameters()])
        torch.save({"flat": flat, "losses": losses, "world": dist.get_world_size()}, f"{out_dir}/rank{rank}.pt")
    finally:
        dist.destroy_process_group()


@pytest.mark.slow
def test_two_process_gloo_training_keeps_ranks_in_sync(tmp_path):
    mp.spawn(_worker, args=(2, str(tmp_path / "init"), str(tmp_path)), nprocs=2, join=True)
    r0, r1 = (torch.load(tmp_path / f"rank{r}.pt") for r in (0, 1))
    assert r0["world"] == 2
    assert torch.equal(r0["flat"], r1["flat"])  # averaged gradients -> identical weights
    assert all(torch.isfinite(torch.tensor(v)) for v in r0["losses"].values())
    assert r0["losses"] != r1["losses"]  # each rank saw its own shard of the batch
