"""One rank of the data-parallel test, started by torchrun (see test_ddp.py).

A script run in a fresh interpreter per rank, as torchrun does for users: a spawn from
inside pytest would re-import whatever ``__main__`` the session holds (AppTest leaves the
Streamlit script there).
"""

from __future__ import annotations

import os
import sys

import torch
import torch.distributed as dist


def main(out_dir: str) -> None:
    torch.set_num_threads(1)
    dist.init_process_group("gloo")  # rank and world size from torchrun's environment
    rank = dist.get_rank()
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
        torch.save({"flat": flat, "losses": losses, "world": dist.get_world_size()},
                   os.path.join(out_dir, f"rank{rank}.pt"))
    finally:
        dist.destroy_process_group()


if __name__ == "__main__":
    main(sys.argv[1])
