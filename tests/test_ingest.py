"""Loading the catalog: all or nothing, idempotent, and every problem located."""

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewdb import query as Q
from reviewdb.catalog.loader import load_catalog
from reviewdb.catalog.reader import Problems, parse_bibtex, read_catalog
from reviewdb.errors import CatalogError

from tests.helpers import MINI, snapshot


@pytest.fixture
def mini_copy(tmp_path) -> Path:
    dst = tmp_path / "catalog"
    shutil.copytree(MINI, dst)
    return dst


def _fails(path, url):
    before = snapshot(url)
    with pytest.raises(CatalogError) as exc:
        load_catalog(read_catalog(path), url)
    assert snapshot(url) == before, "a failed load must leave the database exactly as it was"
    return exc.value


def test_mini_catalog_loads_and_is_queryable(mini_url):
    assert Q.count_studies(url=mini_url) == 4
    frame = Q.find_studies(Q.StudyFilter(source="MRI", target="CT"), url=mini_url)
    assert frame["citekey"].tolist() == ["alpha2019mri"]
    assert frame.iloc[0]["pairs"] == "MRI:T1 -> CT"  # "T1w" and "sCT" were normalised at ingest


def test_loading_twice_changes_nothing(mini_url):
    before = snapshot(mini_url)
    report = load_catalog(read_catalog(MINI), mini_url)
    assert (report.added, report.updated, report.unchanged) == (0, 0, 4)
    assert snapshot(mini_url) == before


def test_a_changed_study_is_updated_in_place(mini_copy, mini_url):
    ann = mini_copy / "studies" / "mini.yaml"
    ann.write_text(ann.read_text().replace("anatomy: [pelvis]", "anatomy: [prostate]"))
    report = load_catalog(read_catalog(mini_copy), mini_url)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 3)
    assert Q.find_studies(Q.StudyFilter(anatomy="prostate"), url=mini_url)["citekey"].tolist() == ["alpha2019mri"]
    assert Q.count_studies(Q.StudyFilter(anatomy="pelvis"), url=mini_url) == 0


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


BAD_INPUTS = {
    "malformed bibtex": ("references/mini.bib", "@article{alpha2019mri,", "@article{alpha2019mri"),
    "unknown modality": ("studies/mini.yaml", "targets: [sCT]", "targets: [sCTX]"),
    "missing citekey": ("studies/mini.yaml", "- citekey: delta2020cbct", "- citekeyy: delta2020cbct"),
    "duplicate doi": ("references/mini.bib", "doi = {10.9999/jti.2022.005}", "doi = {10.9999/jti.2019.001}"),
    "wrong type": ("studies/mini.yaml", "value: 60.5", "value: sixty"),
    "year not a number": ("references/mini.bib", "year = {2020}", "year = {twenty}"),
    "no evidence url": ("references/mini.bib", "evidence = {https://example.org/delta}", "note = {x}"),
    "unknown review": ("studies/mini.yaml", "{review: pang2025, status: candidate}]\n  task: translation\n  families: [diffusion]",
                       "{review: nobody2020, status: candidate}]\n  task: translation\n  families: [diffusion]"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_located_and_leaves_the_database_unchanged(case, mini_copy, mini_url):
    # the study about to break is also edited harmlessly elsewhere, so a half-write would show
    _edit(mini_copy / "studies" / "mini.yaml", "anatomy: [chest]", "anatomy: [lung]")
    file, old, new = BAD_INPUTS[case]
    _edit(mini_copy / file, old, new)
    err = _fails(mini_copy, mini_url)
    assert err.problems, case
    assert all(p.file and p.entry and p.field for p in err.problems)
    assert Q.count_studies(Q.StudyFilter(anatomy="lung"), url=mini_url) == 0


def test_problem_names_file_entry_and_field(mini_copy, mini_url):
    _edit(mini_copy / "studies" / "mini.yaml", "targets: [sCT]", "targets: [sCTX]")
    err = _fails(mini_copy, mini_url)
    [p] = err.problems
    assert p.file.endswith("mini.yaml") and p.entry == "alpha2019mri" and p.field == "translations[0].targets"
    assert "sCTX" in p.message and "closest known" in p.message


def test_all_problems_are_reported_at_once(mini_copy, db_url):
    _edit(mini_copy / "studies" / "mini.yaml", "targets: [sCT]", "targets: [nope]")
    _edit(mini_copy / "studies" / "mini.yaml", "families: [diffusion]", "families: [magic]")
    _edit(mini_copy / "references" / "mini.bib", "year = {2020}", "year = {20x0}")
    err = _fails(mini_copy, db_url)
    assert {p.entry for p in err.problems} == {"alpha2019mri", "gamma2021t1", "delta2020cbct"}


def test_truncated_file_is_an_error(mini_copy, db_url):
    bib = mini_copy / "references" / "mini.bib"
    text = bib.read_text()
    bib.write_text(text[: len(text) // 2])
    err = _fails(mini_copy, db_url)
    assert any("mini.bib" in p.file for p in err.problems)


def test_truncated_yaml_is_an_error(mini_copy, db_url):
    ann = mini_copy / "studies" / "mini.yaml"
    ann.write_text(ann.read_text()[:700] + "\n  - {sources: [")
    err = _fails(mini_copy, db_url)
    assert any(p.file.endswith("mini.yaml") for p in err.problems)


def test_duplicate_citekey_in_bibtex(mini_copy, db_url):
    bib = mini_copy / "references" / "mini.bib"
    bib.write_text(bib.read_text() + "\n@article{alpha2019mri, title={X}, author={Y}, journal={Z}, year={2019}}\n")
    err = _fails(mini_copy, db_url)
    assert any(p.field == "citekey" and "duplicate" in p.message for p in err.problems)


def test_duplicate_title_under_another_citekey_is_found(mini_copy, db_url):
    bib = mini_copy / "references" / "mini.bib"
    _edit(bib, "title = {Epsilon: DCGAN chest radiographs for classifier augmentation}",
          "title = {{Delta}: unpaired {CBCT}-to-{CT} with {C}ycle{GAN}}")
    err = _fails(mini_copy, db_url)
    assert any(p.field == "title" and "delta2020cbct" in p.message for p in err.problems)


def test_new_study_repeating_a_stored_doi_is_refused(mini_url, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(MINI, other)
    _edit(other / "references" / "mini.bib", "@article{alpha2019mri,", "@article{alpha2019copy,")
    _edit(other / "studies" / "mini.yaml", "- citekey: alpha2019mri", "- citekey: alpha2019copy")
    _edit(other / "references" / "mini.bib", "Alpha: Synthetic", "Alpha again: Synthetic")
    err = _fails(other, mini_url)
    assert any(p.entry == "alpha2019copy" and p.field == "doi" for p in err.problems)


def test_candidate_outside_the_review_window_is_refused(mini_copy, db_url):
    _edit(mini_copy / "references" / "mini.bib", "year = {2021}", "year = {2024}")
    err = _fails(mini_copy, db_url)
    assert any(p.entry == "gamma2021t1" and p.field == "year" for p in err.problems)


def test_venue_year_must_match(mini_copy, db_url):
    _edit(mini_copy / "references" / "mini.bib", "booktitle = {Test Conference on Imaging 2021}",
          "booktitle = {Test Conference on Imaging 2019}")
    err = _fails(mini_copy, db_url)
    assert any(p.entry == "gamma2021t1" and "venue" in p.message for p in err.problems)


def test_latex_is_decoded_but_urls_are_kept():
    problems = Problems()
    entries = parse_bibtex(r"""@article{k, title={M{\"u}ller's {MRI} \& {CT}}, author={{\c{C}}ukur, T.},
        evidence={https://x.org/?a=1&b=2}}""", "t.bib", problems)
    fields = entries["k"][1]
    assert fields["title"] == "Müller's MRI & CT"
    assert fields["author"] == "Çukur, T."
    assert fields["evidence"] == "https://x.org/?a=1&b=2"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bib=st.text(alphabet=st.sampled_from(list("@{}=,\"\\ \nabcdeijklnortuvy0123456789-:/._")), max_size=300),
       ann=st.text(max_size=200))
def test_any_input_loads_or_fails_with_our_error(tmp_path, bib, ann):
    root = tmp_path / "fuzz"
    shutil.rmtree(root, ignore_errors=True)
    (root / "references").mkdir(parents=True)
    (root / "studies").mkdir()
    (root / "references" / "x.bib").write_text(bib)
    (root / "studies" / "x.yaml").write_text(ann)
    try:
        read_catalog(root)
    except CatalogError as exc:
        assert exc.problems


@settings(max_examples=60, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.sampled_from(
                        ["citekey", "task", "families", "translations", "sources", "targets", "results",
                         "metric", "value", "evidence", "inclusions", "review", "status", "paired", "dims"]),
                        c, max_size=5), max_leaves=12))
def test_any_annotation_structure_is_validated_not_crashed(value):
    from reviewdb.catalog.reader import study_from_parts

    bib = {"ENTRYTYPE": "article", "title": "T", "author": "A", "journal": "J", "year": "2020",
           "doi": "10.1000/x", "evidence": "https://e.org"}
    ann = value if isinstance(value, dict) else {"citekey": "k", "task": value}
    problems = Problems()
    rec = study_from_parts(bib, {"citekey": "k", **ann} if isinstance(ann, dict) else ann, "b", "a", problems)
    assert rec is not None or problems.items


def test_one_architecture_one_spelling(mini_copy, db_url):
    _edit(mini_copy / "studies" / "mini.yaml", "architectures: [DCGAN]", "architectures: [Pix-2-Pix]")
    err = _fails(mini_copy, db_url)
    assert any(p.entry == "eps2022cxr" and p.field == "architectures" and "pix2pix" in p.message
               for p in err.problems)


def test_a_translation_side_is_a_set_in_vocabulary_order():
    from reviewdb.catalog.reader import Problems, study_from_parts

    bib = {"ENTRYTYPE": "article", "title": "T", "author": "A", "journal": "J", "year": "2020",
           "doi": "10.1000/x", "evidence": "https://e.org"}
    ann = {"citekey": "k", "task": "translation", "families": ["GAN"],
           "translations": [{"sources": ["FLAIR", "T1w", "T1"], "targets": ["CT"]}]}
    rec = study_from_parts(bib, ann, "b", "a", Problems())
    assert rec.translations[0].sources == ("MRI:T1", "MRI:FLAIR")
