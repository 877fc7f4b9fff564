"""Every export format loads back as the same catalog."""

import pytest

from reviewdb.catalog import exporter
from reviewdb.catalog.loader import load_catalog
from reviewdb.catalog.reader import Problems, parse_bibtex, read_catalog
from tests.helpers import snapshot


def _hashes(catalog):
    return sorted(s.content_hash() for s in catalog.studies)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_file_formats_round_trip(mini_url, tmp_path, fmt):
    path = tmp_path / f"export.{fmt}"
    path.write_text(exporter.export(fmt, mini_url))
    assert _hashes(read_catalog(path)) == _hashes(exporter.read_database(mini_url))


def test_catalog_directory_round_trips_into_a_fresh_database(mini_url, tmp_path, db_url):
    exporter.write_catalog_dir(exporter.read_database(mini_url), tmp_path / "cat")
    load_catalog(read_catalog(tmp_path / "cat"), db_url)
    assert _hashes(exporter.read_database(db_url)) == _hashes(exporter.read_database(mini_url))
    before = snapshot(db_url)
    report = load_catalog(read_catalog(tmp_path / "cat"), db_url)
    assert report.added == report.updated == 0
    assert snapshot(db_url) == before


def test_bibtex_export_parses_back_with_the_same_facts(mini_url):
    text = exporter.export("bibtex", mini_url)
    entries = parse_bibtex(text, "export.bib", problems := Problems())
    assert not problems.items
    assert set(entries) == {"alpha2019mri", "gamma2021t1", "delta2020cbct", "eps2022cxr"}
    kind, fields = entries["gamma2021t1"]
    assert kind == "inproceedings"
    assert fields["eprint"] == "2101.00001" and fields["evidence"] == "https://example.org/gamma"
    assert fields["booktitle"] == "Test Conference on Imaging 2021"
