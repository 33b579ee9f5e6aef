"""Tests for utils.widgets.spending: the explorer builds, its controls are bounded by the data and redraw."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from IPython.display import Markdown

from utils.widgets.spending import spending_explorer

from helpers import record_draws, title_of

pytestmark = pytest.mark.usefixtures("close_figures")

NEW, OLD = "SIPRI Military Expenditure Database 2026", "SIPRI Military Expenditure Database 2024"


@pytest.fixture
def milex() -> pd.DataFrame:
    """Newest release: RUS, KAZ, KGZ in 2000-2010 (KGZ has no share_gdp). Older release: RUS from 1995."""
    rows = []
    for year in range(2000, 2011):
        for code, level in (("RUS", 500.0), ("KAZ", 20.0), ("KGZ", 2.0)):
            rows.append((code, year, "constant_usd_2024", level + year - 2000, NEW))
            rows.append((code, year, "current_usd", level / 2, NEW))
            if code != "KGZ":
                rows.append((code, year, "share_gdp", 0.01 * (1 + (code == "RUS")), NEW))
    rows += [("RUS", year, "constant_usd_2022", 400.0, OLD) for year in range(1995, 2010)]
    frame = pd.DataFrame(rows, columns=["iso3", "year", "measure", "value", "edition"])
    frame["status"] = "reported"
    frame["unit"] = "US$ m"
    return frame


def test_controls_are_bounded_by_the_newest_release(milex):
    explorer = spending_explorer(milex)
    controls = explorer.controls
    assert set(controls) == {"measure", "states", "years", "log"}
    assert (controls["years"].min, controls["years"].max) == (2000, 2010)  # not 1995: that is the older release
    assert [value for _, value in controls["measure"].options] == ["constant_usd_2024", "current_usd", "share_gdp"]
    assert [value for _, value in controls["states"].options] == ["KAZ", "KGZ", "RUS"]
    assert controls["states"].value == ("KAZ", "KGZ", "RUS")  # the members present in the data


def test_each_control_redraws_with_its_new_value(milex):
    explorer = spending_explorer(milex)
    calls = record_draws(explorer)
    controls = explorer.controls

    controls["years"].value = (2003, 2006)
    values, figure = calls[-1]
    assert values["years"] == (2003, 2006)
    assert list(figure.axes[0].get_lines()[0].get_xdata()) == [2003, 2004, 2005, 2006]

    controls["states"].value = ("RUS", "KGZ")
    values, figure = calls[-1]
    assert values["states"] == ("RUS", "KGZ")
    assert title_of(figure) == "In 2006 Russia spent 63 times as much as Kyrgyzstan"  # 506 / 8

    controls["log"].value = False
    assert calls[-1][1].axes[0].get_yscale() == "linear"

    controls["measure"].value = "share_gdp"
    values, figure = calls[-1]
    assert values["measure"] == "share_gdp"
    assert "% of GDP" in figure.axes[0].get_ylabel()
    assert len(calls) == 4


def test_empty_choices_give_a_message_not_an_error(milex):
    explorer = spending_explorer(milex, states=("KGZ",), measure="share_gdp")
    calls = record_draws(explorer)
    explorer.redraw()
    assert isinstance(calls[-1][1], Markdown)  # KGZ has no share of GDP
    explorer.controls["states"].value = ()
    assert "Pick at least one state" in calls[-1][1].data

