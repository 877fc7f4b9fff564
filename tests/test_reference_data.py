"""Reference runs and verdicts ship with the catalog: `reviewdb load` brings them, a reload
changes nothing, and a user's own runs are never touched."""

from __future__ import annotations

from reviewdb import query as Q
from reviewdb.catalog.loader import load_catalog
from reviewdb.catalog.reader import read_catalog
from reviewdb.runs import record_run
from tests.helpers import BUNDLED, snapshot


def test_reference_runs_load_apart_from_user_runs(db_url):
    catalog = read_catalog(BUNDLED)
    assert catalog.reference_runs, "the bundled catalog ships reference runs"
    load_catalog(catalog, db_url)
    runs = Q.reproduction_runs(db_url)
    assert len(runs) == len(catalog.reference_runs) and runs["reference"].all()
    record_run(db_url, method="pix2pix", architectures=["pix2pix"], config={"quick": True}, metrics={"mae": 1.0},
               device="cpu", wall_time_s=1.0, code_version="test", command="reviewdb reproduce pix2pix --quick")
    before = snapshot(db_url)
    load_catalog(read_catalog(BUNDLED), db_url)  # a reload changes nothing
    assert snapshot(db_url) == before
    runs = Q.reproduction_runs(db_url)
    assert (~runs["reference"]).sum() == 1 and runs["reference"].sum() == len(catalog.reference_runs)
