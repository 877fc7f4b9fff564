"""Relevance ranking: the catalog is the prior at cold start, decisions retrain it, and
every score comes with the terms behind it."""

from __future__ import annotations

from reviewdb.mining import screening as S
from reviewdb.mining.queue import next_for

ON = ["Synthetic CT generation from MRI with a conditional GAN for pelvic radiotherapy",
      "Unpaired CBCT to CT translation with CycleGAN in head and neck",
      "T1 to T2 MRI contrast synthesis with a pix2pix network on IXI"]
OFF = ["Brain tumour segmentation with a 3D U-Net", "Deformable registration of lung CT with deep learning",
       "Low-dose CT denoising with residual networks", "Classification of chest X-rays with transformers",
       "Prostate segmentation in ultrasound with attention", "Reconstruction of undersampled k-space MRI",
       "Lesion detection in mammography with Faster R-CNN", "Survival prediction from histopathology slides",
       "Cardiac MRI segmentation with nnU-Net", "Knee cartilage segmentation from MRI",
       "Liver tumour detection in CT with YOLO", "Retinal vessel segmentation in fundus photographs"]


def _bib(titles):
    return "".join(f"@article{{k{i}, title = {{{t}}}, year = {{2021}}}}\n" for i, t in enumerate(titles))


def test_cold_start_puts_relevant_records_first(mini_url, write_bib):
    S.mine_file(write_bib(_bib(OFF[:6] + ON + OFF[6:])), mini_url)
    top = next_for("ana", mini_url, n=3)
    assert {r["title"] for r in top} == set(ON)
    assert all(0 <= r["score"] <= 1 and r["why"] for r in top)
    assert top[0]["remaining"] == len(ON) + len(OFF)


def test_decisions_retrain_and_leave_the_queue(mini_url, write_bib):
    S.mine_file(write_bib(_bib(ON + OFF)), mini_url)
    ids = dict(zip(S.list_records(mini_url)["title"], S.list_records(mini_url)["id"]))
    first = next_for("ana", mini_url, n=1)[0]
    S.include(first["id"], mini_url, reviewer="ana")
    for t in OFF[:5]:
        S.exclude(int(ids[t]), "wrong-task: not synthesis", mini_url, reviewer="ana")
    after = next_for("ana", mini_url, n=len(ON) + len(OFF))
    assert first["id"] not in {r["id"] for r in after}
    assert {r["title"] for r in after[:2]} == set(ON) - {first["title"]}
    assert next_for("ben", mini_url, n=1)[0]["remaining"] == len(ON) + len(OFF) - 6  # ana's settled records
