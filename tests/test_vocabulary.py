import pytest

from reviewdb import vocabulary as V
from reviewdb.errors import UnknownTerm


@pytest.mark.parametrize("term, code", [
    ("MR", "MRI"), ("T1w", "MRI:T1"), ("t1-weighted", "MRI:T1"), ("sCT", "CT"), ("synthetic CT", "CT"),
    ("CXR", "X-ray"), ("NCCT", "CT:NCCT"), ("ultrasound", "US"), ("cone-beam CT", "CBCT"),
    ("FLAIR", "MRI:FLAIR"), ("T1Gd", "MRI:T1ce"), ("NAC PET", "PET:NAC"), ("mri:t2", "MRI:T2"),
])
def test_modality_synonyms_normalise(term, code):
    assert V.MODALITY.normalise(term) == code


@pytest.mark.parametrize("vocab, term, code", [
    (V.FAMILY, "diffusion model", "diffusion"), (V.FAMILY, "gan", "GAN"), (V.TASK, "segmentation",
    "creation.segmentation"), (V.METRIC, "DSC", "Dice"), (V.METRIC, "psnr", "PSNR"),
    (V.ANATOMY_VOCAB, "head and neck", "head-neck"),
])
def test_other_vocabularies_normalise(vocab, term, code):
    assert vocab.normalise(term) == code


def test_unknown_term_names_the_closest_known_ones():
    with pytest.raises(UnknownTerm) as exc:
        V.MODALITY.normalise("T1ww")
    assert exc.value.kind == "modality"
    assert any("MRI:T1" in c or "t1w" in c for c in exc.value.closest)
    assert "T1ww" in str(exc.value)


@pytest.mark.parametrize("term", ["", "   ", None, 3])
def test_empty_or_non_text_terms_are_errors(term):
    with pytest.raises(UnknownTerm):
        V.MODALITY.normalise(term)


def test_hierarchy():
    assert V.top_level("MRI:T1") == "MRI"
    assert V.ancestors_and_self("CT:CECT") == ("CT:CECT", "CT")
    assert "MRI:FLAIR" in V.descendants_and_self("MRI")
    assert not V.is_imaging("noise")
