"""Every export format researchers bring, read into one record shape and mined.

The fixtures in tests/fixtures/exports are written the way the exporters write them:
PubMed MEDLINE (.nbib, CRLF, 6-space continuation lines, repeated FAU), Scopus RIS (BOM,
CRLF, repeated AU/A1, multi-line AB, ER), Zotero CSL-JSON, PubMed CSV, and a JabRef
BibTeX file in declared Latin-1 with @string, crossref, @proceedings, @comment, @preamble.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewdb.catalog.reader import Problems
from reviewdb.mining import formats as F
from reviewdb.mining import screening as S
from reviewdb.mining.bibfile import iter_entries
from reviewdb.mining.rules import Annotation

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"


@pytest.mark.parametrize("name, fmt", [("pubmed.nbib", "medline"), ("scopus.ris", "ris"), ("zotero.json", "csljson"),
                                       ("pubmed.csv", "csv"), ("jabref-latin1.bib", "bibtex")])
def test_format_is_detected_from_the_content(name, fmt, tmp_path):
    assert F.detect_format(EXPORTS / name) == fmt
    renamed = tmp_path / "export.txt"  # the suffix is not what decides
    renamed.write_bytes((EXPORTS / name).read_bytes())
    assert F.detect_format(renamed) == fmt


def _read(name):
    problems = Problems()
    return F.read_whole(EXPORTS / name, F.detect_format(EXPORTS / name), problems), problems.items


def test_medline_multiline_fields_repeated_authors_and_doi():
    entries, problems = _read("pubmed.nbib")
    first = entries[0]
    assert first.citekey == "pmid90000001" and first.pmid == "90000001" and first.doi == "10.1000/example.2020.1"
    assert first.title.startswith("Example synthesis of T1-weighted to FLAIR images with a conditional generative adversarial")
    assert "\r" not in first.abstract and "paired 2D slices of the BraTS" in first.abstract
    assert first.fields["author"] == "Example, Alice and Sample, Bob"
    assert (first.year, first.venue) == (2020, "Example Journal of Imaging")
    assert [(p.entry, p.field) for p in problems] == [("pmid90000003", "title")]


def test_ris_bom_crlf_repeated_authors_and_er():
    entries, problems = _read("scopus.ris")
    assert not problems and len(entries) == 2
    a, b = entries
    assert a.fields["author"] == "Example, A. and Sample, B. and Müller, C."
    assert a.abstract == ("Example abstract on two lines: synthetic CT from T2-weighted MRI, unpaired training, "
                          "MAE in HU on an in-house cohort.")
    assert (a.doi, a.year, a.venue, a.entry_type) == ("10.1000/example.2019.2", 2019, "Example Physics in Medicine", "article")
    assert b.entry_type == "inproceedings" and b.fields["booktitle"] == "Example Conference on Imaging"


def test_csl_json_and_pubmed_csv():
    entries, problems = _read("zotero.json")
    assert [e.title for e in entries] == ["Example diffusion model for CBCT-to-CT translation"]
    assert entries[0].fields["author"] == "Example, Alice and Sample, Bob" and entries[0].year == 2023
    assert [p.entry for p in problems] == ["item-2"]
    entries, problems = _read("pubmed.csv")
    assert not problems and [e.citekey for e in entries] == ["pmid90000004", "pmid90000005"]
    assert entries[0].fields["author"] == "Example A and Sample B and Müller C"
    assert entries[0].doi == "10.1000/example.2021.4" and entries[1].doi is None


def test_bibtex_as_people_have_it():
    path = EXPORTS / "jabref-latin1.bib"
    problems = Problems()
    entries = list(iter_entries(path, problems, F.sniff_encoding(path)))
    assert not problems.items
    by_key = {e.citekey: e for e in entries}
    assert set(by_key) == {"2019", "10.1000/example.2018.6"}  # the @proceedings container is not a paper
    a = by_key["2019"]
    assert a.title == "Deep MR to CT Synthesis Using Paired and Unpaired Data"
    assert a.fields["author"].startswith("Özbey, M.") and a.venue == "IEEE Transactions on Medical Imaging"
    b = by_key["10.1000/example.2018.6"]
    assert b.title == "Example: T1-to-T2 synthesis with α-weighted losses"
    assert b.fields["booktitle"] == "Simulation and Synthesis in Medical Imaging (SASHIMI 2018)"
    assert b.year == 2018 and b.fields["author"] == "Sample, B. and Müller, C."


def test_macros_reach_every_chunk(write_bib, monkeypatch):
    from reviewdb.mining import bibfile
    monkeypatch.setattr(bibfile, "CHUNK_ENTRIES", 2)
    text = '@string{j = "Example Journal"}\n' + "".join(
        f"@article{{k{i}, title = {{Title {i}}}, journal = j}}\n" for i in range(5))
    problems = Problems()
    entries = list(iter_entries(write_bib(text), problems))
    assert not problems.items and [e.venue for e in entries] == ["Example Journal"] * 5
    assert [e.line for e in entries] == [2, 3, 4, 5, 6]


@pytest.mark.parametrize("name", ["pubmed.nbib", "scopus.ris", "zotero.json", "pubmed.csv", "jabref-latin1.bib"])
def test_every_format_is_mined_in_one_transaction(db_url, name):
    report = S.mine_file(EXPORTS / name, db_url)
    assert report.format == F.detect_format(EXPORTS / name)
    records = S.list_records(db_url, batch=report.batch_id)
    assert len(records) == report.identified >= 1


def test_abstract_proposals_name_their_field(db_url):
    report = S.mine_file(EXPORTS / "pubmed.nbib", db_url)
    rec = S.list_records(db_url, batch=report.batch_id).set_index("citekey").loc["pmid90000001"]
    d = S.record_detail(int(rec["id"]), db_url)
    ann = Annotation.from_list(d["proposals"])
    assert ("MRI:T1",) in [s for s, _ in ann.translations] or "MRI:T1" in ann.modalities("sources", top=False)
    assert any(str(p.value).lower().startswith("brats") for p in ann.get("dataset"))
    metrics = {p.value: p.where for p in ann.get("metric")}
    assert metrics == {"PSNR": "abstract", "SSIM": "abstract"}  # named only in the abstract
    assert {p.value: p.where for p in ann.get("paired")} == {True: "abstract"}


def test_out_of_scope_flag_is_proposed_and_taken_in_one_step(db_url):
    report = S.mine_file(EXPORTS / "pubmed.nbib", db_url)
    recs = S.list_records(db_url, batch=report.batch_id).set_index("citekey")
    assert recs.loc["pmid90000002", "out_of_scope"] == "wrong-task: segmentation"
    assert recs.loc["pmid90000001", "out_of_scope"] == ""
    S.exclude(int(recs.loc["pmid90000002", "id"]), None, db_url)
    after = S.list_records(db_url, batch=report.batch_id).set_index("citekey")
    assert (after.loc["pmid90000002", "status"], after.loc["pmid90000002", "reason"]) == \
        ("excluded", "wrong-task: segmentation")
    with pytest.raises(S.ScreeningError):
        S.exclude(int(recs.loc["pmid90000001", "id"]), None, db_url)


@pytest.mark.parametrize("title, flag", [
    ("Brain tumour segmentation with a 3D U-Net in MRI", "wrong-task: segmentation"),
    ("Low-dose CT denoising with a residual GAN", "wrong-task: denoising"),
    ("Stain normalisation of histopathology slides with CycleGAN", "wrong-modality"),
    ("Denoising diffusion models for 3D medical image generation", None),  # a model's name, not the task
    ("Synthetic data augmentation with GANs for liver lesion classification in CT", None),
    ("MR-to-CT synthesis with a conditional GAN for radiotherapy", None),
])
def test_out_of_scope_flags(title, flag):
    from reviewdb.mining.rules import mine

    got = mine(title).values("out_of_scope")
    assert (got[0].startswith(flag) if flag else got == []), got
