"""The query API: filters users rely on, counts, the pair matrix, and bound parameters."""

import pytest

from reviewdb import query as Q
from reviewdb.errors import QueryError, UnknownTerm
from tests.helpers import snapshot


def keys(frame):
    return sorted(frame["citekey"])


@pytest.mark.parametrize("f, expected", [
    (Q.StudyFilter(source="MRI"), ["alpha2019mri", "gamma2021t1"]),          # parent includes children
    (Q.StudyFilter(source="T1w"), ["alpha2019mri", "gamma2021t1"]),          # synonyms at query time
    (Q.StudyFilter(source="MRI:T2"), ["gamma2021t1"]),
    (Q.StudyFilter(target="CT"), ["alpha2019mri", "delta2020cbct"]),
    (Q.StudyFilter(source="CBCT", target="CT"), ["delta2020cbct"]),
    (Q.StudyFilter(target="X-ray"), ["eps2022cxr"]),
    (Q.StudyFilter(family="GAN"), ["alpha2019mri", "delta2020cbct", "eps2022cxr"]),
    (Q.StudyFilter(architecture="cyclegan"), ["delta2020cbct"]),
    (Q.StudyFilter(architecture="U-Net"), ["alpha2019mri"]),                  # baselines count too
    (Q.StudyFilter(task="classification"), ["eps2022cxr"]),
    (Q.StudyFilter(anatomy="head and neck"), ["delta2020cbct"]),
    (Q.StudyFilter(dataset="ixi"), ["gamma2021t1"]),
    (Q.StudyFilter(year_min=2020, year_max=2021), ["delta2020cbct", "gamma2021t1"]),
    (Q.StudyFilter(paired=False), ["delta2020cbct", "eps2022cxr"]),
    (Q.StudyFilter(status="confirmed"), ["alpha2019mri"]),
    (Q.StudyFilter(text="cyclegan"), ["delta2020cbct"]),
    (Q.StudyFilter(source="MRI", target="CT", family="GAN", paired=True), ["alpha2019mri"]),
    (Q.StudyFilter(source="MRI", target="CT", family="diffusion"), []),
])
def test_filters(mini_url, f, expected):
    assert keys(Q.find_studies(f, url=mini_url)) == expected
    assert Q.count_studies(f, url=mini_url) == len(expected)


def test_page_is_newest_first_with_total(mini_url):
    page, total = Q.study_page(url=mini_url, limit=2)
    assert total == 4
    assert page["citekey"].tolist() == ["eps2022cxr", "gamma2021t1"]
    page2, total2 = Q.study_page(url=mini_url, limit=2, offset=2)
    assert page2["citekey"].tolist() == ["delta2020cbct", "alpha2019mri"] and total2 == 4
    past, total3 = Q.study_page(url=mini_url, limit=2, offset=10)  # an empty page still knows the total
    assert past.empty and total3 == 4
    _, pair_total = Q.study_page(Q.StudyFilter(source="MRI", target="CT", family="GAN"), url=mini_url, limit=1)
    assert pair_total == Q.count_studies(Q.StudyFilter(source="MRI", target="CT", family="GAN"), url=mini_url)


def test_study_rows_carry_annotations_and_link(mini_url):
    row = Q.find_studies(Q.StudyFilter(text="Gamma"), url=mini_url).iloc[0]
    assert row["pairs"] == "(MRI:T1, MRI:T2) -> MRI:PD; MRI:T1 -> MRI:T2"
    assert row["link"] == "https://arxiv.org/abs/2101.00001"
    assert row["datasets"] == "IXI" and row["status"] == "candidate"


def test_unknown_terms_and_bad_ranges_are_errors(mini_url):
    with pytest.raises(UnknownTerm):
        Q.find_studies(Q.StudyFilter(source="MRX"), url=mini_url)
    with pytest.raises(QueryError):
        Q.find_studies(Q.StudyFilter(year_min=2022, year_max=2019), url=mini_url)
    with pytest.raises(QueryError):
        Q.counts_by("colour", url=mini_url)


INJECTIONS = ["' OR 1=1 --", "x'; DROP TABLE study; --", "%", "_", "\\", "\" OR \"\"=\"", "1; DELETE FROM study"]


@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_strings_in_every_filter_are_just_values(mini_url, attack):
    before = snapshot(mini_url)
    for field in ("architecture", "dataset", "text"):
        assert Q.find_studies(Q.StudyFilter(**{field: attack}), url=mini_url).empty
    for field in ("source", "target", "family", "task", "anatomy", "status"):
        with pytest.raises((UnknownTerm, QueryError)):
            Q.find_studies(Q.StudyFilter(**{field: attack}), url=mini_url)
    assert snapshot(mini_url) == before


def test_counts_by_dimension(mini_url):
    years = Q.counts_by("year", url=mini_url)
    assert years.to_dict("records") == [{"year": y, "studies": 1} for y in (2019, 2020, 2021, 2022)]
    fam = Q.counts_by("family", Q.StudyFilter(target="CT"), url=mini_url)
    assert fam.to_dict("records") == [{"family": "GAN", "studies": 2}]
    src = Q.counts_by("source", url=mini_url)
    assert dict(zip(src["source"], src["studies"])) == {"CBCT": 1, "MRI": 2, "noise": 1}
    both = Q.counts_by("task", url=mini_url, by="family")
    assert len(both) == 3 and both["studies"].sum() == 4


def test_pair_matrix_counts_once_per_pair_and_shows_reported(mini_url):
    m = Q.pair_matrix(url=mini_url)
    rows = {(r.source, r.target): (r.catalog, r.reported) for r in m.itertuples()}
    assert rows[("MRI", "CT")] == (1, 59)
    assert rows[("CBCT", "CT")][0] == 1
    assert rows[("CT", "MRI")] == (0, 13)
    assert ("MRI", "MRI") not in rows  # within-modality pairs are not drawn at the top level


def test_contrast_level_counts_single_pairs_and_groups_apart(mini_url):
    m = Q.pair_matrix(url=mini_url, level="MRI")
    assert list(zip(m["source"], m["target"], m["catalog"])) == [("MRI:T1", "MRI:T2", 1)]
    g = Q.contrast_groups(url=mini_url)
    assert g.to_dict("records") == [{"group": "(MRI:T1, MRI:T2) -> MRI:PD", "sources": "MRI:T1, MRI:T2",
                                     "targets": "MRI:PD", "studies": 1}]


def test_reported_results_per_pair_and_metric(mini_url):
    mae = Q.reported_results(Q.StudyFilter(source="MRI", target="CT"), metric="MAE", url=mini_url)
    assert mae[["citekey", "pair", "value", "unit", "direction"]].to_dict("records") == [
        {"citekey": "alpha2019mri", "pair": "MRI:T1 -> CT", "value": 60.5, "unit": "HU", "direction": "lower"}]
    psnr = Q.reported_results(Q.StudyFilter(source="MRI", target="CT"), metric="PSNR", url=mini_url)
    assert psnr.empty


def test_study_detail(mini_url):
    d = Q.study_detail("alpha2019mri", url=mini_url)
    assert d["inclusions"] == [{"review": "pang2025", "status": "confirmed", "ref_number": 101,
                                "section": "6.3", "reason": None}]
    assert d["results"]["value"].tolist() == [60.5]
    assert Q.study_detail("nope", url=mini_url) is None


def test_datasets_overview_links_sets_to_pairs(mini_url):
    d = Q.datasets_overview(mini_url).set_index("name")
    assert d.loc["SynthRAD2023", "studies"] == 1
    assert d.loc["SynthRAD2023", "pairs"] == "CBCT -> CT (1)"
