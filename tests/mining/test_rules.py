"""The annotation rules on realistic titles: what they propose and which words triggered it."""

from __future__ import annotations

import pytest

from reviewdb import vocabulary as V
from reviewdb.catalog.reader import Problems, study_from_parts
from reviewdb.mining.rules import Annotation, mine

EXAMPLE = "Synthetic CT generation from MRI using 3D conditional GAN for MR-only radiotherapy of the pelvis"


def test_the_issue_example():
    ann = mine(EXAMPLE)
    assert ann.translations == [(("MRI",), ("CT",))]
    assert ann.task == "translation"
    assert ann.values("family") == ["GAN"]
    assert "cGAN" in ann.values("architecture")
    assert ann.values("anatomy") == ["pelvis"]
    assert ann.values("dims") == ["3D"]
    assert ann.values("paired") == []  # a conditional GAN does not say whether the data were paired


def test_every_trigger_is_text_of_the_title():
    ann = mine(EXAMPLE)
    low = EXAMPLE.lower()
    for p in ann.proposals:
        assert p.where == "title"
        for piece in p.trigger.split(" ... "):
            assert piece.lower() in low, (p, piece)
    assert [p for p in ann.get("translation")][0].trigger == "Synthetic CT generation from MRI"


@pytest.mark.parametrize("title, pairs", [
    ("Unpaired MR-to-CT synthesis with a cycle-consistent GAN", [(("MRI",), ("CT",))]),
    ("T1w to T2w translation of brain MRI", [(("MRI:T1",), ("MRI:T2",))]),
    ("CBCT-based synthetic CT for adaptive radiotherapy of head and neck cancer", [(("CBCT",), ("CT",))]),
    ("Generating pseudo-PET from MRI for Alzheimer's disease diagnosis", [(("MRI",), ("PET",))]),
    ("Non-contrast to contrast-enhanced CT translation with a conditional GAN", [(("CT:NCCT",), ("CT:CECT",))]),
    ("sCT generation for MR-only prostate radiotherapy", [(("MRI",), ("CT",))]),
    ("CT2CXR: CT-based CXR synthesis for pneumonia classification", [(("CT",), ("X-ray",))]),
    ("Brain PET synthesis from MRI using a 3D GAN", [(("MRI",), ("PET",))]),
    ("CT-based pelvic T1-weighted MR image synthesis using UNet", [(("CT",), ("MRI:T1",))]),
    ("Synthesizing FLAIR from T1 and T2 with multi-input GANs", [(("MRI:T1", "MRI:T2"), ("MRI:FLAIR",))]),
    ("Artifact correction of pelvis cone-beam CT with deep learning", [(("CBCT",), ("CT",))]),
    ("MR-based attenuation correction for brain PET using deep learning", [(("MRI",), ("CT",))]),
])
def test_translation_directions(title, pairs):
    ann = mine(title)
    assert ann.task == "translation", ann.explain()
    assert ann.translations[:len(pairs)] == pairs, ann.explain()


def test_bidirectional_adds_the_reverse():
    ann = mine("Bidirectional CT-to-MR synthesis from unpaired data")
    assert set(ann.translations) == {(("CT",), ("MRI",)), (("MRI",), ("CT",))}
    assert ann.values("paired") == [False]


@pytest.mark.parametrize("title, task, source, target", [
    ("DCGAN-based chest X-ray augmentation for COVID-19 classification", "creation.classification", "noise", "X-ray"),
    ("Label-map conditioned synthesis of brain MRI for tumour segmentation", "creation.segmentation", "label-map",
     "MRI"),
    ("Text-to-image latent diffusion for chest radiographs", "creation.other", "text", "X-ray"),
    ("Realistic synthetic liver CT with StyleGAN2", "creation.other", "noise", "CT"),
])
def test_creation(title, task, source, target):
    ann = mine(title)
    assert ann.task == task, ann.explain()
    assert ann.translations == [((source,), (target,))], ann.explain()


def test_families_and_architectures():
    ann = mine("SynDiff: unsupervised medical image translation with adversarial diffusion models")
    assert set(ann.values("family")) >= {"diffusion", "GAN"}
    assert "SynDiff" in ann.values("architecture")
    ann = mine("Deep Convolutional Neural Network trained on diffusion-weighted MRI for stroke")
    assert "diffusion" not in ann.values("family")  # diffusion-weighted is a contrast, not a model
    ann = mine("TumorGAN: a multi-modal data augmentation framework for brain tumor segmentation")
    assert "TumorGAN" in ann.values("architecture")


def test_short_modality_words_need_capitals():
    ann = mine("Let us generate images of pet owners with a GAN")
    assert ann.modalities("targets") == set()
    ann = mine("GAN synthesis of breast US images")
    assert ann.modalities("targets") == {"US"}


def test_abstract_and_keywords_are_read_and_located():
    ann = mine("A generative approach to radiotherapy planning",
               keywords="synthetic CT; MR-only",
               abstract="We translate T2-weighted MR images of the pelvis into CT with a pix2pix model; "
                        "PSNR and SSIM were computed on the SynthRAD2023 data set.",
               datasets=["SynthRAD2023"])
    tr = ann.get("translation")[0]
    assert tr.where == "keywords" or tr.where == "abstract"
    assert ann.values("metric") == ["PSNR", "SSIM"]
    assert "SynthRAD2023" in ann.values("dataset")
    assert "pix2pix" in ann.values("architecture")
    assert ann.values("paired") == [True]
    assert {p.where for p in ann.get("metric")} == {"abstract"}


def test_latex_and_odd_text_do_not_break_the_rules():
    for text in ("", "   ", "{}", r"\'e\"o {{}} $x^2$", "ＭＲＩ → ＣＴ", "MRI" * 1000, "\x00\x01"):
        ann = mine(text or "x", abstract=text)
        assert isinstance(ann, Annotation)


def test_every_code_is_in_the_vocabulary():
    titles = [EXAMPLE, "Non-contrast to contrast-enhanced CT translation",
              "NAC PET to CT for whole-body attenuation correction",
              "Unpaired CBCT-to-CT translation of the head and neck with CycleGAN (PSNR, MAE, Dice)"]
    for t in titles:
        ann = mine(t)
        for s, tg in ann.translations:
            assert all(c in V.MODALITIES for c in s + tg)
        assert all(f in V.FAMILIES for f in ann.values("family"))
        assert all(a in V.ANATOMY for a in ann.values("anatomy"))
        assert all(m in V.METRICS for m in ann.values("metric"))
        assert ann.task in V.TASKS


def test_proposals_round_trip_and_validate_as_an_annotation():
    ann = mine(EXAMPLE)
    again = Annotation.from_list(ann.to_list())
    assert again.to_list() == ann.to_list()
    d = ann.annotation_dict()
    d["citekey"] = "smith2024sct"
    bib = {"ENTRYTYPE": "article", "title": EXAMPLE, "author": "Smith, J", "year": "2024",
           "journal": "PMB", "doi": "10.1088/1361-6560/abc123", "evidence": "https://doi.org/10.1088/1361-6560/abc123"}
    problems = Problems()
    rec = study_from_parts(bib, d, "x.bib", "x.yaml", problems)
    assert problems.items == []
    assert rec.translations[0].sources == ("MRI",) and rec.translations[0].targets == ("CT",)
    assert rec.translations[0].dims == "3D" and rec.translations[0].paired is None
