"""Fixtures for the mining tests: small BibTeX files (databases come from tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest



@pytest.fixture
def write_bib(tmp_path):
    """``write_bib(text, name="x.bib", encoding="utf-8")`` -> path of a new file."""

    def _write(text: str | bytes, name: str = "export.bib", encoding: str = "utf-8") -> Path:
        p = tmp_path / name
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(text, encoding=encoding)
        return p

    return _write


NEW_BIB = r"""
@article{smith2024sct,
  title = {Synthetic {CT} generation from {MRI} using 3D conditional {GAN} for {MR}-only radiotherapy of the pelvis},
  author = {Smith, Jane and M{\"u}ller, J{\"o}rg},
  journal = {Physics in Medicine and Biology},
  year = {2024},
  doi = {10.1088/1361-6560/ABC123},
  keywords = {MR-only; sCT; pelvis},
  abstract = {We trained a 3D cGAN on MR and CT of 40 prostate patients. The MAE was 45 HU.}
}
@article{alpha2019again,
  title = {Alpha: synthetic {CT} from {MRI} with a conditional {GAN}},
  author = {Alpha, Ann},
  journal = {Journal of Test Imaging},
  year = {2019}
}
@article{delta2020dup,
  title = {A completely different title},
  author = {Delta, Dee},
  journal = {Journal of Test Imaging},
  year = {2020},
  doi = {https://doi.org/10.9999/JTI.2019.001}
}
@misc{lee2023t1t2,
  title = {T1w to T2w translation of brain MRI with a denoising diffusion model},
  author = {Lee, Kim},
  year = {2023},
  eprint = {2301.01234v2},
  howpublished = {arXiv}
}
@misc{lee2023again,
  title = {T1w-to-T2w translation of brain {MRI} with a denoising diffusion model.},
  author = {Lee, Kim},
  year = {2023},
  howpublished = {arXiv}
}
@article{wong2022cxr,
  title = {{DCGAN}-based chest X-ray augmentation for {COVID-19} classification},
  author = {Wong, W},
  journal = {Computers in Biology and Medicine},
  year = {2022},
  pmid = {35000001}
}
"""
