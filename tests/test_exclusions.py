"""Studies excluded as failing the review's criteria: validated reasons, hidden by default,
counted apart on the coverage report; and the facts added with them (where the MRI
contrasts were read, which method a reported value belongs to)."""

from __future__ import annotations

import shutil

import pytest
import yaml

from reviewdb import coverage as C
from reviewdb import query as Q
from reviewdb.catalog import exporter
from reviewdb.catalog.loader import load_catalog
from reviewdb.catalog.reader import read_catalog
from reviewdb.errors import CatalogError
from reviewdb.query import StudyFilter
from tests.helpers import MINI


def _mini_with(tmp_path, edit):
    """A copy of the mini catalog whose annotations ``edit`` changes in place."""
    root = tmp_path / "cat"
    shutil.copytree(MINI, root)
    path = root / "studies" / "mini.yaml"
    studies = yaml.safe_load(path.read_text())
    edit({s["citekey"]: s for s in studies})
    path.write_text(yaml.safe_dump(studies, sort_keys=False))
    return root


def _exclude_delta(studies):
    studies["delta2020cbct"]["inclusions"] = [
        {"review": "pang2025", "status": "excluded", "reason": "not-peer-reviewed: arXiv preprint only"}]


def test_an_exclusion_reason_must_name_a_criterion(tmp_path):
    def bad(studies):
        studies["delta2020cbct"]["inclusions"] = [
            {"review": "pang2025", "status": "excluded", "reason": "looks off"}]
    with pytest.raises(CatalogError) as exc:
        read_catalog(_mini_with(tmp_path, bad))
    (p,) = exc.value.problems
    assert (p.entry, p.field) == ("delta2020cbct", "inclusions[0].reason")
    assert "not-peer-reviewed" in p.message


def test_excluded_studies_are_hidden_unless_asked_for(tmp_path, db_url):
    load_catalog(read_catalog(_mini_with(tmp_path, _exclude_delta)), db_url)
    shown = set(Q.find_studies(StudyFilter(), db_url)["citekey"])
    assert "delta2020cbct" not in shown and "alpha2019mri" in shown
    assert "delta2020cbct" not in set(Q.find_studies(StudyFilter(target="CT"), db_url)["citekey"])
    assert "delta2020cbct" not in set(Q.find_studies(StudyFilter(source="CBCT"), db_url)["citekey"])
    excluded = Q.find_studies(StudyFilter(status="excluded"), db_url)
    assert list(excluded["citekey"]) == ["delta2020cbct"]
    assert excluded["reason"].iloc[0] == "not-peer-reviewed: arXiv preprint only"
    matrix = Q.pair_matrix(url=db_url).set_index(["source", "target"])["catalog"]
    assert ("CBCT", "CT") not in matrix.index or matrix[("CBCT", "CT")] == 0


def test_coverage_counts_excluded_studies_apart(tmp_path, db_url, mini_url):
    before = C.coverage_table(mini_url).set_index(["location", "dimension", "key"])
    load_catalog(read_catalog(_mini_with(tmp_path, _exclude_delta)), db_url)
    after = C.coverage_table(db_url).set_index(["location", "dimension", "key"])
    row = ("Section 3", "total", "included")
    assert after.loc[row, "catalog"] == before.loc[row, "catalog"] - 1
    assert after.loc[row, "excluded"] == 1 and before.loc[row, "excluded"] == 0
    assert C.summary(db_url)["excluded"] == 1


def test_contrast_evidence_and_result_method_round_trip(tmp_path, db_url):
    def add(studies):
        g = studies["gamma2021t1"]
        g["contrast_evidence"] = "https://example.org/gamma-methods"
        g["results"][0].update(method="DDPM", role="proposed")
    load_catalog(read_catalog(_mini_with(tmp_path, add)), db_url)
    detail = Q.study_detail("gamma2021t1", db_url)
    assert detail["contrast_evidence"] == "https://example.org/gamma-methods"
    res = detail["results"].iloc[0]
    assert (res["method"], res["role"]) == ("DDPM", "proposed")
    out = tmp_path / "exported"
    exporter.write_catalog_dir(exporter.read_database(db_url), out)
    again = {s.citekey: s for s in read_catalog(out).studies}["gamma2021t1"]
    assert again.contrast_evidence == "https://example.org/gamma-methods"
    assert (again.results[0].method, again.results[0].role) == ("DDPM", "proposed")


def test_a_result_role_outside_the_vocabulary_is_refused(tmp_path):
    def bad(studies):
        studies["gamma2021t1"]["results"][0]["role"] = "winner"
    with pytest.raises(CatalogError) as exc:
        read_catalog(_mini_with(tmp_path, bad))
    assert [(p.entry, p.field) for p in exc.value.problems] == [("gamma2021t1", "results[0].role")]


def test_shape_summary_names_thin_and_thick_tallies(mini_url):
    line = C.shape_summary(C.coverage_table(mini_url))
    assert line.startswith("thin: ") and " | thick: " in line
