"""The URL <-> filter mapping, without Streamlit."""

from __future__ import annotations

from reviewdb.query import StudyFilter

from app.filters import describe, parse_params, to_params


def test_parse_normalises_synonyms_and_types():
    f, errors = parse_params({"source": "MR", "target": "sCT", "family": "gans", "task": "synthesis",
                              "anatomy": "head and neck", "year_min": "2018", "year_max": "2022",
                              "paired": "unpaired", "status": "confirmed", "architecture": "pix2pix",
                              "q": "cycle"})
    assert errors == []
    assert f == StudyFilter(source="MRI", target="CT", family="GAN", architecture="pix2pix",
                            task="translation", anatomy="head-neck", year_min=2018, year_max=2022,
                            paired=False, status="confirmed", text="cycle")


def test_round_trip_through_the_query_string():
    f = StudyFilter(source="MRI:T1", target="CT", family="diffusion", year_min=2020, paired=True)
    assert to_params(f) == {"source": "MRI:T1", "target": "CT", "family": "diffusion", "year_min": "2020",
                            "paired": "paired"}
    assert parse_params(to_params(f)) == (f, [])


def test_garbage_values_are_ignored_with_a_message_each():
    f, errors = parse_params({"source": "zzz", "family": "GAN", "year_min": "19x9", "year_max": "99999",
                              "paired": "maybe", "status": "'; DROP TABLE study; --", "unknown": "x"})
    assert f == StudyFilter(family="GAN")
    assert len(errors) == 5
    assert any("source=zzz" in e and "unknown modality" in e for e in errors)
    assert any("status=" in e and "must be one of" in e for e in errors)


def test_empty_year_range_is_refused():
    f, errors = parse_params({"year_min": "2022", "year_max": "2019"})
    assert f == StudyFilter()
    assert errors and "empty" in errors[0]


def test_lists_take_the_last_value_and_blank_values_do_not_filter():
    f, errors = parse_params({"source": ["CT", "MRI"], "target": "  "})
    assert (f, errors) == (StudyFilter(source="MRI"), [])


def test_describe():
    assert describe(StudyFilter()) == ""
    assert describe(StudyFilter(source="MRI", family="GAN", paired=False)) == "MRI -> any, family GAN, unpaired"
