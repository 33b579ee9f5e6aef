"""The explorer of notebook 05: bounded controls, and every control change redraws with the new values."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from utils.widgets import lapses as lapses_widgets

from helpers import record_draws, title_of

pytestmark = pytest.mark.usefixtures("close_figures")


@pytest.fixture
def tables():
    conflicts = pd.DataFrame(
        {
            "conflict_id": [13324, 13324, 388, 395],
            "year": [2021, 2022, 2020, 1993],
            "location": ["Kyrgyzstan, Tajikistan", "Kyrgyzstan, Tajikistan", "Azerbaijan", "Tajikistan"],
            "intensity_level": [1, 1, 2, 2],
            "type_of_conflict": [2, 2, 4, 4],
            "countries": ["KGZ;TJK", "KGZ;TJK", "ARM;AZE", "RUS;TJK"],
            "countries_primary": ["KGZ;TJK", "KGZ;TJK", "AZE", "TJK"],
            "countries_secondary": pd.array([None, None, "ARM", "RUS"], dtype="string"),
            "source_id": ["ucdp_acd_25_1"] * 4,
        }
    )
    requests = pd.DataFrame(
        {
            "date": pd.to_datetime(["2010-06-12", "2022-01-05", "2022-09-13"]),
            "requester": ["KGZ", "KAZ", "ARM"],
            "outcome": ["declined", "deployed", "fact-finding only"],
            "formal_request": pd.array([True, True, True], dtype="boolean"),
            "source_id": ["seed_000"] * 3,
        }
    )
    memberships = pd.DataFrame(
        {
            "organisation": ["CSTO", "CSTO", "CSTO"],
            "country": ["KGZ", "TJK", "ARM"],
            "role": ["member"] * 3,
            "start": pd.to_datetime(["2002-10-07"] * 3),
            "end": pd.to_datetime([None] * 3),
            "source_id": ["seed_000"] * 3,
        }
    )
    return conflicts, requests, memberships


def _rows(fig):
    return [t.get_text() for t in fig.axes[0].get_yticklabels()]


def test_controls_are_bounded_by_the_data(tables):
    exp = lapses_widgets.conflicts_explorer(*tables)
    assert set(exp.controls) == {"states", "years", "abroad"}
    labels = [label for label, _ in exp.controls["states"].options]
    assert labels[:2] == list(lapses_widgets.GROUPS)
    # Single states: only those with a conflict or a request in the tables, in the treaty's order.
    assert labels[2:] == ["Armenia", "Azerbaijan", "Kazakhstan", "Kyrgyzstan", "Russia", "Tajikistan"]
    assert (exp.controls["years"].min, exp.controls["years"].max) == (1993, 2022)


def test_each_control_redraws_with_its_new_value(tables):
    exp = lapses_widgets.conflicts_explorer(*tables)
    calls = record_draws(exp)
    exp.controls["states"].value = ("KGZ",)
    assert calls[-1][0]["states"] == ("KGZ",)
    assert _rows(calls[-1][1]) == ["Kyrgyzstan"]
    assert title_of(calls[-1][1]) == (
        "1993–2022: 2 state-years in armed conflict while in the alliance (2 at home), 1 request for help"
    )
    exp.controls["years"].value = (2015, 2022)
    assert calls[-1][0]["years"] == (2015, 2022)
    assert calls[-1][1].axes[0].get_xlim() == (2015, 2023)
    assert title_of(calls[-1][1]) == (  # the 2010 request now lies outside the years shown
        "2015–2022: 2 state-years in armed conflict while in the alliance (2 at home), 0 requests for help"
    )
    exp.controls["states"].value = ("ARM",)
    assert title_of(calls[-1][1]).startswith("2015–2022: 1 state-years in armed conflict")
    exp.controls["abroad"].value = False
    assert calls[-1][0]["abroad"] is False
    # Without secondary-party years Armenia has no conflict-year left in the figure.
    assert title_of(calls[-1][1]).startswith("2015–2022: 0 state-years of fighting at home")
    assert len(calls) == 4

