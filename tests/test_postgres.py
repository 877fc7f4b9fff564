"""The same catalog behaviour on a real PostgreSQL server (CI starts one; skipped elsewhere)."""

import shutil

import pytest

from reviewdb import coverage
from reviewdb import query as Q
from reviewdb.catalog import exporter
from reviewdb.catalog.loader import load_catalog
from reviewdb.catalog.reader import read_catalog
from reviewdb.errors import CatalogError
from tests.helpers import BUNDLED, MINI, snapshot

pytestmark = pytest.mark.postgres


def test_load_is_idempotent_and_queryable(pg_url):
    load_catalog(read_catalog(MINI), pg_url)
    before = snapshot(pg_url)
    report = load_catalog(read_catalog(MINI), pg_url)
    assert report.unchanged == 4 and snapshot(pg_url) == before
    assert Q.find_studies(Q.StudyFilter(source="MRI", target="CT"), url=pg_url)["citekey"].tolist() == ["alpha2019mri"]
    assert Q.find_studies(Q.StudyFilter(text="cyclegan"), url=pg_url)["citekey"].tolist() == ["delta2020cbct"]
    page, total = Q.study_page(url=pg_url, limit=2)
    assert total == 4 and page["citekey"].tolist() == ["eps2022cxr", "gamma2021t1"]
    assert Q.pair_matrix(url=pg_url).set_index(["source", "target"]).loc[("MRI", "CT"), "catalog"] == 1


def test_failed_load_rolls_back(pg_url, tmp_path):
    load_catalog(read_catalog(MINI), pg_url)
    bad = tmp_path / "bad"
    shutil.copytree(MINI, bad)
    ann = bad / "studies" / "mini.yaml"
    ann.write_text(ann.read_text().replace("anatomy: [chest]", "anatomy: [lung]").replace("targets: [sCT]", "targets: [sCTX]"))
    before = snapshot(pg_url)
    with pytest.raises(CatalogError):
        load_catalog(read_catalog(bad), pg_url)
    assert snapshot(pg_url) == before


def test_ids_keep_working_after_bulk_load(pg_url):
    """Ids are assigned by the loader; the server's sequences must still hand out free ones."""
    load_catalog(read_catalog(MINI), pg_url)
    from reviewdb.runs import record_run

    run_id = record_run(pg_url, method="pix2pix", architectures=["pix2pix"], config={}, metrics={"mae": 1.0},
                        device="cpu", wall_time_s=1.0, code_version="test", command="reviewdb reproduce pix2pix")
    assert run_id >= 1
    assert Q.reproduction_runs(pg_url, architecture="Pix2Pix")["id"].tolist() == [run_id]


def test_bundled_catalog_and_export_round_trip(pg_url, tmp_path):
    load_catalog(read_catalog(BUNDLED), pg_url)
    s = coverage.summary(pg_url)
    assert s["catalogued"] >= 200
    path = tmp_path / "export.json"
    path.write_text(exporter.export("json", pg_url))
    assert sorted(x.content_hash() for x in read_catalog(path).studies) == \
        sorted(x.content_hash() for x in read_catalog(BUNDLED).studies)
