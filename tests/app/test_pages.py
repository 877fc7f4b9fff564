"""Every page through Streamlit's AppTest, with and without filters: what a user sees."""

from __future__ import annotations

import pytest

from tests.app.conftest import PAGES, texts

ALPHA = "Alpha: Synthetic CT from MRI with a conditional GAN"


KEYS = {  # a table's identifying columns
    "pairs_top": ("pair", "catalog", "reported", "difference"), "pairs_MRI": ("pair", "catalog", "reported"),
    "pair_studies": ("title", "pairs", "link"), "groups_table": ("group", "sources"),
    "studies_table": ("citekey", "datasets", "status"), "study_results": ("metric", "evidence_url", "direction"),
    "metric_table": ("pair", "value", "evidence_url", "note"), "datasets_table": ("name", "full_name"),
    "runs_table": ("method", "device"), "claims_table": ("code", "verdict"),
}


def frame(at, key):
    """The table shown for ``key`` (by its columns), or None when the page shows none."""
    cols = KEYS.get(key)
    for d in at.dataframe:
        v = d.value
        if cols is None and key.startswith("repro_") and "same data" in v.columns:
            return v
        if cols is not None and all(c in v.columns for c in cols):
            return v
    return None


def metrics(at):
    return {m.label: m.value for m in at.metric}


def test_no_pages_folder_beside_main():
    """A folder named `pages` next to app/main.py turns on Streamlit's old directory-based
    navigation: main.py then runs as one page among them and a link to /chord skips the
    filter bar. Pages live in app/views/."""
    from tests.app.conftest import MAIN

    assert not (MAIN.parent / "pages").exists(), "move app/pages/*.py to app/views/"


# --- every page, no filter and a filter that matches nothing ---------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_filters(open_app, shared_mini_url, page):
    at = open_app(shared_mini_url, page)
    assert at.title, "each page has a title"
    assert not at.error
    assert any(c.startswith("All studies (no filter).") for c in texts(at.caption))


@pytest.mark.parametrize("page", PAGES[:6])
def test_a_filter_matching_nothing_says_so(open_app, shared_mini_url, page):
    at = open_app(shared_mini_url, page, family="VAE")
    assert any("No studies match these filters (family VAE)" in i for i in texts(at.info))
    assert not at.error


def test_garbage_in_the_link_is_named_and_ignored(open_app, shared_mini_url):
    at = open_app(shared_mini_url, None, source="zzz", year_min="abc", status="'; DROP TABLE study; --",
                  family="GAN")
    warnings = texts(at.warning)
    assert any("source=zzz" in w and "unknown modality" in w for w in warnings)
    assert any("year_min=abc" in w for w in warnings)
    assert any("status=" in w and "must be one of" in w for w in warnings)
    assert at.query_params == {"family": "GAN"}  # the link now holds only what is applied
    assert "3 studies match the filters" in texts(at.subheader)


# --- overview ------------------------------------------------------------------------------------


def test_overview_counts_against_the_review(open_app, shared_mini_url):
    at = open_app(shared_mini_url)
    m = metrics(at)
    assert (m["Studies catalogued"], m["Studies the review includes"], m["Confirmed"], m["Candidates"]) == \
        ("4", "232", "1", "3")
    assert "**3** catalogued studies report results (**3** values in all)." in texts(at.markdown)
    cov = at.dataframe[0].value
    row = cov[cov["key"] == "MRI -> CT"].iloc[0]
    assert (row["reported"], row["catalog"], row["difference"]) == (59, 1, -58)


def test_overview_with_a_filter(open_app, shared_mini_url):
    at = open_app(shared_mini_url, None, task="translation", year_max="2020")
    assert "2 studies match the filters" in texts(at.subheader)
    assert any(c.startswith("Filtered: task translation, years ...-2020.") for c in texts(at.caption))


# --- trends --------------------------------------------------------------------------------------


def test_trends_counts_per_year(open_app, shared_mini_url):
    at = open_app(shared_mini_url, "views/trends.py")
    assert metrics(at)["Studies"] == "4"
    numbers = at.dataframe[0].value
    assert dict(zip(numbers["year"], numbers["all"])) == {2019: 1, 2020: 1, 2021: 1, 2022: 1}
    at = open_app(shared_mini_url, "views/trends.py", year_min="2021")
    assert metrics(at)["Studies"] == "2"


# --- modality pairs --------------------------------------------------------------------------------


def test_chord_page_lists_pairs_and_the_studies_of_a_selected_pair(open_app, shared_mini_url):
    at = open_app(shared_mini_url, "views/chord.py")
    pairs = frame(at, "pairs_top")
    row = pairs[pairs["pair"] == "MRI → CT"].iloc[0]
    assert (row["catalog"], row["reported"], row["difference"]) == (1, 59, -58)
    assert set(pairs["pair"]) == {"MRI → CT", "CT → MRI", "CBCT → CT"}
    select = at.selectbox(key="p_pair_top")
    assert set(select.options) >= {"MRI → CT (1 in catalog, 59 reported)", "CBCT → CT (1 in catalog, no tally)"}
    select.set_value("MRI->CT").run()
    assert at.query_params["pair"] == "MRI->CT"
    studies = frame(at, "pair_studies")
    assert list(studies["title"]) == [ALPHA]
    assert list(studies["link"]) == ["https://doi.org/10.9999/jti.2019.001"]
    assert list(studies["details"]) == ["./explorer?study=alpha2019mri"]


def test_chord_pair_and_view_from_the_link(open_app, shared_mini_url):
    at = open_app(shared_mini_url, "views/chord.py", pair="CBCT->CT", view="difference")
    assert list(frame(at, "pair_studies")["title"]) == ["Delta: Unpaired CBCT-to-CT with CycleGAN"]
    assert at.radio(key="p_view_top").value == "difference"


def test_chord_review_view_warns_that_tallies_are_not_filtered(open_app, shared_mini_url):
    at = open_app(shared_mini_url, "views/chord.py", family="GAN", view="reported")
    assert any("cannot be filtered" in w for w in texts(at.warning))
    pairs = frame(at, "pairs_top")
    assert dict(zip(pairs["pair"], pairs["catalog"])) == {"MRI → CT": 1, "CT → MRI": 0, "CBCT → CT": 1}


def test_mri_contrasts_page(open_app, shared_mini_url):
    at = open_app(shared_mini_url, "views/contrasts.py")
    pairs = frame(at, "pairs_MRI")
    assert pairs.to_dict("records") == [{"pair": "MRI:T1 → MRI:T2", "catalog": 1, "reported": 17,
                                         "difference": -16}]
    groups = frame(at, "groups_table")
    assert groups.to_dict("records") == [{"group": "(MRI:T1, MRI:T2) -> MRI:PD", "sources": "MRI:T1, MRI:T2",
                                          "targets": "MRI:PD", "studies": 1}]


# --- explorer -----------------------------------------------------------------------------------


def test_explorer_table_search_and_downloads(open_app, shared_mini_url):
    at = open_app(shared_mini_url, "views/explorer.py")
    table = frame(at, "studies_table")
    assert list(table["citekey"]) == ["eps2022cxr", "gamma2021t1", "delta2020cbct", "alpha2019mri"]
    assert table.set_index("citekey").loc["gamma2021t1", "link"] == "https://arxiv.org/abs/2101.00001"
    assert [b.label for b in at.get("download_button")] == ["CSV", "BibTeX"]
    at.text_input(key="f_q").set_value("cyclegan").run()
    assert at.query_params["q"] == "cyclegan"
    assert list(frame(at, "studies_table")["citekey"]) == ["delta2020cbct"]
    at.text_input(key="f_q").set_value("%' OR 1=1 --").run()
    assert frame(at, "studies_table") is None
    assert any("No studies match" in i for i in texts(at.info))


def test_downloads_hold_the_filtered_set(shared_mini_url):
    from app import data
    from reviewdb.query import StudyFilter

    fk = data.key(StudyFilter(family="GAN"))
    csv = data.studies_csv(shared_mini_url, fk).decode()
    assert csv.count("\n") == 4 and "alpha2019mri" in csv and "gamma2021t1" not in csv
    bib = data.studies_bibtex(shared_mini_url, fk)
    assert bib.count("@") == 3 and "delta2020cbct" in bib


def test_study_detail_without_reproductions(open_app, shared_mini_url):
    at = open_app(shared_mini_url, "views/explorer.py", study="alpha2019mri")
    assert ALPHA in texts(at.subheader)
    results = frame(at, "study_results")
    assert results[["metric", "value", "unit"]].to_dict("records") == [{"metric": "MAE", "value": 60.5, "unit": "HU"}]
    assert any("pix2pix**: no reproduction has been run yet" in m for m in texts(at.markdown))
    assert "reviewdb reproduce pix2pix --quick" in texts(at.code)


def test_study_detail_shows_the_latest_reproduction_beside_the_reported_values(open_app, mini_url):
    from reviewdb.runs import record_run

    for mae in (80.0, 55.0):  # the second one is the latest
        record_run(mini_url, method="pix2pix", architectures=["pix2pix"],
                   config={"data": "simulated", "method_config": {"sources": ["T1"], "target": "CT"}},
                   metrics={"mae": mae, "ssim": 0.8}, device="cpu", wall_time_s=12.0, code_version="abc",
                   command="reviewdb reproduce pix2pix --quick --seed 1")
    at = open_app(mini_url, "views/explorer.py", study="alpha2019mri")
    table = frame(at, "repro_pix2pix")
    assert table.to_dict("records") == [  # the same pair only; the data differ, and the page says so
        {"metric": "MAE", "study (pair, data set)": "60.5 HU (MRI:T1 -> CT, in-house)", "run": "55",
         "same data": "no"}]
    assert any("not a like-for-like comparison" in c for c in texts(at.caption))
    assert "reviewdb reproduce pix2pix --quick --seed 1" in texts(at.code)


def test_unknown_study_in_the_link(open_app, shared_mini_url):
    at = open_app(shared_mini_url, "views/explorer.py", study="nosuch2099")
    assert any("no study has this citekey" in w for w in texts(at.warning))


# --- metrics, datasets, reproductions -----------------------------------------------------------------


def test_reported_metrics_per_pair(open_app, shared_mini_url):
    at = open_app(shared_mini_url, "views/metrics.py")
    table = frame(at, "metric_table")
    assert table[["citekey", "pair", "value", "unit"]].to_dict("records") == [
        {"citekey": "alpha2019mri", "pair": "MRI:T1 -> CT", "value": 60.5, "unit": "HU"}]
    assert list(table["link"]) == ["https://doi.org/10.9999/jti.2019.001"]
    at.selectbox(key="p_metric").set_value("PSNR").run()
    assert at.query_params["metric"] == "PSNR"
    assert list(frame(at, "metric_table")["value"]) == [27.1]
    at.selectbox(key="p_metric").set_value("Dice").run()
    assert any("No study matching these filters reports Dice" in i for i in texts(at.info))


def test_metric_synonym_in_the_link(open_app, shared_mini_url):
    at = open_app(shared_mini_url, "views/metrics.py", metric="psnr")
    assert at.selectbox(key="p_metric").value == "PSNR"
    assert list(frame(at, "metric_table")["value"]) == [27.1]


def test_metrics_filtered_by_pair_and_bad_metric_in_link(open_app, shared_mini_url):
    at = open_app(shared_mini_url, "views/metrics.py", source="CBCT")
    assert any("reports MAE" in i for i in texts(at.info))
    at = open_app(shared_mini_url, "views/metrics.py", metric="bogus")
    assert any("metric=bogus" in w for w in texts(at.warning))


def test_datasets_page(open_app, shared_mini_url):
    at = open_app(shared_mini_url, "views/datasets.py")
    table = frame(at, "datasets_table")
    assert sorted(table["name"]) == ["IXI", "SynthRAD2023", "in-house"]
    assert metrics(at) == {"Data sets": "3", "Public": "2", "Used by studies": "3"}
    at = open_app(shared_mini_url, "views/datasets.py", source="CBCT", target="CT")
    assert list(frame(at, "datasets_table")["name"]) == ["SynthRAD2023"]


def test_reproductions_page_empty_then_filled(open_app, mini_url):
    at = open_app(mini_url, "views/reproductions.py")
    info = texts(at.info)
    assert any("No reproduction has been run yet" in i for i in info)
    assert any("No claim of the review has been tested yet" in i for i in info)
    from reviewdb.runs import record_claim, record_run

    record_run(mini_url, method="cyclegan", architectures=["CycleGAN"], config={}, metrics={"MAE": 42.0},
               device="cuda", wall_time_s=3.0, code_version="abc", command="reviewdb reproduce cyclegan")
    record_claim(mini_url, code="paired-beats-unpaired", statement="Paired training beats unpaired",
                 verdict="supported", numbers={"mae_paired": 40.0, "mae_unpaired": 48.0}, ci_low=2.0,
                 ci_high=12.0, n_seeds=3, command="reviewdb claims paired-beats-unpaired")
    from app import data

    data.clear()
    at = open_app(mini_url, "views/reproductions.py")
    runs = frame(at, "runs_table")
    assert runs[["method", "architectures", "metrics", "device"]].to_dict("records") == [
        {"method": "cyclegan", "architectures": "CycleGAN", "metrics": "MAE=42", "device": "cuda"}]
    claims = frame(at, "claims_table")
    assert claims[["code", "verdict", "ci", "n_seeds"]].to_dict("records") == [
        {"code": "paired-beats-unpaired", "verdict": "supported", "ci": "[2, 12]", "n_seeds": 3}]
    assert metrics(at)["Supported"] == "1"


# --- the filter bar and the link --------------------------------------------------------------------


def test_filter_widgets_write_the_link(open_app, shared_mini_url):
    at = open_app(shared_mini_url, "views/explorer.py")
    at.selectbox(key="f_family").set_value("GAN").run()
    at.selectbox(key="f_paired").set_value("unpaired").run()
    assert at.query_params == {"family": "GAN", "paired": "unpaired"}
    assert set(frame(at, "studies_table")["citekey"]) == {"delta2020cbct", "eps2022cxr"}
    next(b for b in at.button if b.label == "Reset filters").click().run()
    assert at.query_params == {}
    assert len(frame(at, "studies_table")) == 4


def test_the_filter_follows_the_user_across_pages(open_app, shared_mini_url):
    at = open_app(shared_mini_url, None)  # the real main.py and its st.navigation
    at.selectbox(key="f_family").set_value("GAN").run()
    assert at.query_params == {"family": "GAN"}
    at.query_params.clear()  # page navigation may drop the query string: the filter bar restores it
    at.switch_page("views/trends.py").run()
    assert at.query_params == {"family": "GAN"}
    assert metrics(at)["Studies"] == "3"


def test_link_seeds_the_widgets(open_app, shared_mini_url):
    at = open_app(shared_mini_url, None, source="T1w", target="sCT", year_min="2019", year_max="2020")
    assert at.selectbox(key="f_source").value == "MRI:T1"
    assert at.selectbox(key="f_target").value == "CT"
    assert at.slider(key="f_years").value == (2019, 2020)
    assert at.query_params == {"source": "MRI:T1", "target": "CT", "year_max": "2020"}  # 2019 is the first year


# --- databases without data ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_an_empty_database_says_how_to_fill_it(open_app, db_url, page):
    at = open_app(db_url, page)
    messages = texts(at.info) + texts(at.caption)
    assert any("holds no" in m or "No reproduction" in m for m in messages), messages
    assert not at.error


def test_a_database_without_schema_is_an_error_message_not_a_traceback(open_app, tmp_path):
    at = open_app(f"sqlite:///{tmp_path / 'nothing.sqlite'}")
    assert any("Cannot read the database" in e and "reviewdb init" in e for e in texts(at.error))
