"""The benchmark's measuring code: scores against curated records, and the generated large file."""

from __future__ import annotations

from reviewdb import query
from reviewdb.catalog.reader import read_catalog
from reviewdb.mining import screening as S
from reviewdb.mining.evaluate import evaluate, lenient_records, truth_from_record, truths_from_frame
from reviewdb.mining.synthetic import write_large_bib
from tests.helpers import MINI


def test_scores_on_the_mini_catalog(mini_url):
    records = read_catalog(MINI).studies
    ev = evaluate([truth_from_record(r) for r in records])
    table = ev.table().set_index("field")
    assert ev.n == 4 and 0 <= ev.task_accuracy <= 1
    assert table.loc["source", "tp"] >= 3 and table.loc["family", "f1"] > 0.5
    from_db = truths_from_frame(query.find_studies(url=mini_url))
    assert sorted(t.citekey for t in from_db) == sorted(r.citekey for r in records)
    db_eval = evaluate(from_db)
    assert db_eval.scores["source"].tp == ev.scores["source"].tp  # same truth through the query API


def test_lenient_records_skip_only_the_broken_studies():
    records, skipped = lenient_records(MINI)
    assert len(records) == 4 and skipped == []


def test_generated_file_plants_findable_duplicates(db_url, tmp_path):
    titles = [r.title for r in read_catalog(MINI).studies] + [
        "Image synthesis in multi-contrast MRI with conditional generative adversarial networks",
        "Unpaired CBCT to CT translation for adaptive radiotherapy of the head and neck"]
    path = tmp_path / "gen.bib"
    planted = write_large_bib(path, titles, n=400, seed=3)
    report = S.mine_file(path, db_url)
    assert report.identified == 400
    assert planted * 0.9 <= report.duplicates <= planted
