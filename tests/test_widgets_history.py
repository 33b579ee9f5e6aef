"""The history explorers: bounded controls, and every control change redraws with the new values."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from utils.widgets import history as history_widgets

from helpers import record_draws, title_of

pytestmark = pytest.mark.usefixtures("close_figures")


@pytest.fixture
def events():
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["1992-05-15", "1999-04-02", "2002-10-07", "2012-12-19", "2022-01-06", "2024-02-23"]),
            "date_precision": ["day"] * 6,
            "category": ["treaty", "membership", "treaty", "membership", "deployment", "membership"],
            "title": ["Treaty signed", "Six renew", "Charter signed", "Uzbekistan suspended", "Forces sent", "Armenia freezes"],
            "countries": ["ARM;RUS;UZB", "ARM;RUS", "ARM;RUS", "UZB", "KAZ;RUS", "ARM"],
            "source_id": ["seed_000"] * 6,
        }
    )
    return frame


@pytest.fixture
def memberships():
    frame = pd.DataFrame(
        {
            "organisation": ["CSTO", "CSTO", "EAEU", "SCO"],
            "country": ["RUS", "UZB", "RUS", "UZB"],
            "role": ["member", "member", "member", "member"],
            "start": pd.to_datetime(["2002-10-07", "2006-08-16", "2015-01-01", "2001-06-15"]),
            "end": pd.to_datetime([None, "2012-12-19", None, None]),
            "source_id": ["seed_001"] * 4,
        }
    )
    return frame


def test_timeline_controls_are_bounded_by_the_data(events):
    exp = history_widgets.timeline_explorer(events)
    assert set(exp.controls) == {"category", "country", "years"}
    assert [v for _, v in exp.controls["category"].options] == ["", "deployment", "membership", "treaty"]
    assert ("Uzbekistan", "UZB") in exp.controls["country"].options
    assert (exp.controls["years"].min, exp.controls["years"].max) == (1992, 2024)


def test_timeline_redraws_on_each_control(events):
    exp = history_widgets.timeline_explorer(events)
    calls = record_draws(exp)
    exp.controls["category"].value = "membership"
    assert calls[-1][0]["category"] == "membership"
    assert title_of(calls[-1][1]).startswith("3 membership events")
    exp.controls["country"].value = "UZB"
    assert title_of(calls[-1][1]).startswith("1 membership events involving Uzbekistan")
    exp.controls["years"].value = (1992, 2000)
    assert calls[-1][0]["years"] == (1992, 2000)
    assert title_of(calls[-1][1]) == "No events match these filters"
    assert len(calls) == 3


def test_overlap_explorer_year_slider(memberships):
    exp = history_widgets.overlap_explorer(memberships)
    slider = exp.controls["year"]
    assert (slider.min, slider.max) == (2001, 2015)
    calls = record_draws(exp)
    slider.value = 2010
    assert calls[-1][0] == {"year": 2010}
    assert "2010" in title_of(calls[-1][1])
    texts = [t.get_text() for t in calls[-1][1].axes[0].texts]
    assert texts.count("member") == 3  # RUS in CSTO; UZB in CSTO and SCO; nobody in the EAEU yet


def test_overlap_explorer_ends_at_the_reference_date(memberships):
    exp = history_widgets.overlap_explorer(memberships, as_of="2020-06-30")
    assert exp.controls["year"].max == 2020
    calls = record_draws(exp)
    exp.controls["year"].value = 2019
    exp.controls["year"].value = 2020
    assert "30 June 2020" in calls[-1][1].axes[0].get_xlabel()  # the current year is shown on the reference date


def test_explorers_build_on_the_shipped_tables():
    exp = history_widgets.timeline_explorer()
    assert exp.controls["years"].min <= 1992 and exp.controls["years"].max >= 2024
    exp.controls["category"].value = "summit"
    exp = history_widgets.overlap_explorer(as_of="2026-11-24")
    exp.controls["year"].value = 2010
