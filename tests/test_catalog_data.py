"""The bundled catalog (reviewdb/data): loads cleanly, and its tallies are the seed's numbers."""

import re

import pytest

from reviewdb import coverage
from reviewdb import query as Q
from reviewdb.catalog.checks import check_catalog
from reviewdb.catalog.reader import read_catalog
from tests.helpers import BUNDLED, SEEDS

SEED = SEEDS / "000_1e7bee48c7e85075.txt"


@pytest.fixture(scope="module")
def catalog():
    return read_catalog(BUNDLED)


def test_bundled_catalog_has_no_validation_problems(catalog):
    assert check_catalog(catalog) == []
    assert len(catalog.studies) >= 200


def test_every_study_has_an_identifier_and_evidence(catalog):
    for s in catalog.studies:
        assert s.doi or s.arxiv_id or s.pmid, s.citekey
        assert s.evidence_url and s.evidence_url.startswith("http"), s.citekey
        for r in s.results:
            assert r.evidence.startswith("http"), s.citekey


def test_named_studies_carry_the_reviews_reference_numbers(catalog):
    confirmed = [i for s in catalog.studies for i in s.inclusions if i.status == "confirmed"]
    assert len(confirmed) >= 20
    refs = [i.ref for i in confirmed]
    assert all(isinstance(r, int) for r in refs) and len(set(refs)) == len(refs)


def test_catalog_loads_and_coverage_is_reported(catalog_url):
    s = coverage.summary(catalog_url)
    assert s["review_total"] == 232
    assert s["catalogued"] == s["confirmed"] + s["candidate"] + s["excluded"]
    assert s["with_results"] >= 50
    table = coverage.coverage_table(catalog_url)
    mri_ct = table[(table["location"] == "Figure 8") & (table["key"] == "MRI -> CT")].iloc[0]
    assert mri_ct["reported"] == 59
    assert mri_ct["catalog"] == Q.pair_matrix(url=catalog_url).set_index(["source", "target"]).loc[("MRI", "CT"), "catalog"]


@pytest.fixture(scope="module")
def seed_text():
    if not SEED.exists():
        pytest.skip("shared/seeds is not beside this checkout")
    return SEED.read_text(encoding="utf-8")


def _tallies(catalog):
    return {(t.location, t.dimension, t.key): t.count for t in catalog.tallies}


def test_figure_8_tallies_equal_the_seed_text(catalog, seed_text):
    t = _tallies(catalog)
    src = re.search(r"six source modalities is in the order of (.+?)\. ", seed_text).group(1)
    tgt = re.search(r"six targeted modalities is in the order of (.+?)\. ", seed_text).group(1)
    for text, dim in ((src, "source"), (tgt, "target")):
        pairs = re.findall(r"(MRI|CT|CBCT|PET|X-ray|US) \((\d+)\)", text)
        assert pairs
        for key, n in pairs:
            assert t[("Figure 8", dim, key)] == int(n)
    assert t[("Figure 8", "pair", "MRI -> CT")] == int(re.search(r"from MRI to CT \((\d+) studies\)", seed_text).group(1))
    assert t[("Figure 8", "pair", "CT -> MRI")] == int(re.search(r"from CT to MRI \((\d+) studies\)", seed_text).group(1))
    assert t[("Figure 8", "pair", "CBCT -> CT")] == int(re.search(r"CBCT to CT, with the main objective of (\d+)", seed_text).group(1))


def test_figure_9_tallies_equal_the_seed_text(catalog, seed_text):
    t = _tallies(catalog)
    fig9a = re.search(r"In Figure 9a,(.+?)In Figure 9b", seed_text, re.S).group(1)
    pairs = re.findall(r"(T1|T2|PD|FLAIR|DWI)-to-(T1|T2|PD|FLAIR|DWI) \((\d+)\)", fig9a)
    assert len(pairs) == 12
    for a, b, n in pairs:
        assert t[("Figure 9a", "pair", f"MRI:{a} -> MRI:{b}")] == int(n)
    fig9b = re.search(r"In Figure 9b,(.+?)The fundamental", seed_text, re.S).group(1)
    groups = re.findall(r"\(([\w, ]+)\)-to-\(([\w, ]+)\) \((\d+)\)", fig9b)
    assert len(groups) == 6
    for src, tgt, n in groups:
        def key(side):
            return "(" + ", ".join(sorted(f"MRI:{c.strip()}" for c in side.split(","))) + ")"
        assert t[("Figure 9b", "group", f"{key(src)} -> {key(tgt)}")] == int(n)


def test_section_tallies_equal_the_seed_text(catalog, seed_text):
    t = _tallies(catalog)
    assert t[("Section 3", "total", "included")] == int(re.search(r"identified a total of (\d+) articles", seed_text).group(1))
    assert t[("Section 5.2 (Table 2)", "task", "creation.classification")] == int(
        re.search(r"Table 2 provides a comprehensive overview of (\d+)", seed_text).group(1))
    assert t[("Section 5.3 (Table 3)", "task", "creation.segmentation")] == int(
        re.search(r"Table 3 offers a comprehensive overview of (\d+)", seed_text).group(1))
    m = re.search(r"Among these, (\d+) studies focus on classification tasks, (\d+) studies on segmentation, "
                  r"and (\d+) studies on various other tasks", seed_text)
    assert [t[("Section 7", "task", k)] for k in ("creation.classification", "creation.segmentation",
                                                  "creation.other")] == [int(x) for x in m.groups()]
    m = re.search(r"we identify (\d+) studies, with (\d+) studies .+? while (\d+) studies encompass", seed_text)
    assert (t[("Section 7", "target", "MRI")], t[("Section 7", "subset", "intra-MRI")],
            t[("Section 7", "subset", "other -> MRI")]) == tuple(int(x) for x in m.groups())
    m = re.search(r"there are (\d+) studies for CT, (\d+) for X-ray, (\d+) for PET, and (\d+) for US", seed_text)
    assert [t[("Section 7", "target", k)] for k in ("CT", "X-ray", "PET", "US")] == [int(x) for x in m.groups()]
    assert t[("Section 7", "subset", "contrast-enhanced")] == int(
        re.search(r"separate analysis of (\d+) studies involving non-contrast", seed_text).group(1))


def test_the_reviews_inconsistencies_are_reported(catalog_url):
    inc = coverage.inconsistencies(catalog_url)
    bad = inc[~inc["consistent"]]
    assert "233 vs 232" in bad["values"].tolist()          # Section 7 categories vs the included total
    assert "78 vs 77" in bad["values"].tolist()            # CT as target: Figure 8 vs Section 7
    assert inc[inc["consistent"]]["values"].tolist() == ["61 vs 61", "107 vs 107"]
