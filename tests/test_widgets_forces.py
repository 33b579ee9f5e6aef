"""The personnel explorer: bounded controls, and every control change redraws with the new values."""

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets
import pandas as pd
import pytest

from utils.widgets import forces as forces_widgets

from helpers import record_draws

pytestmark = pytest.mark.usefixtures("close_figures")


@pytest.fixture
def personnel():
    rows = [(c, y, v * (1 + (y - 1990) / 100), s)
            for c, v in (("RUS", 900_000), ("KAZ", 60_000), ("TJK", 9_000))
            for y in range(1990, 2017)
            for s in ("wb_personnel", "cow_nmc_6")]
    frame = pd.DataFrame(rows, columns=["country", "year", "active_personnel", "source_id"])
    return frame.astype({"year": "Int64"})


def _data_lines(fig):
    return [l for l in fig.axes[0].get_lines() if len(l.get_xdata()) > 2]


def test_controls_are_bounded_by_the_data(personnel):
    exp = forces_widgets.personnel_explorer(personnel)
    assert set(exp.controls) == {"states", "years", "series", "log"}
    assert [v for _, v in exp.controls["states"].options] == ["KAZ", "RUS", "TJK"]
    assert exp.controls["states"].value == ("KAZ", "RUS", "TJK")
    assert (exp.controls["years"].min, exp.controls["years"].max) == (1990, 2016)
    assert [label for label, _ in exp.controls["series"].options] == ["Both series", "World Bank / IISS", "Correlates of War"]


def test_each_control_redraws_with_its_new_value(personnel):
    exp = forces_widgets.personnel_explorer(personnel)
    calls = record_draws(exp)
    exp.controls["states"].value = ("RUS",)
    assert len(_data_lines(calls[-1][1])) == 2  # Russia, two series
    exp.controls["series"].value = ("cow_nmc_6",)
    assert len(_data_lines(calls[-1][1])) == 1
    exp.controls["years"].value = (2000, 2010)
    line = _data_lines(calls[-1][1])[0]
    assert (min(line.get_xdata()), max(line.get_xdata())) == (2000, 2010)
    exp.controls["log"].value = False
    assert calls[-1][1].axes[0].get_yscale() == "linear"
    assert [c[0]["log"] for c in calls] == [True, True, True, False]


def test_no_state_selected_gives_a_hint_not_an_error(personnel):
    exp = forces_widgets.personnel_explorer(personnel)
    calls = record_draws(exp)
    exp.controls["states"].value = ()
    assert isinstance(calls[-1][1], widgets.HTML) and "at least one state" in calls[-1][1].value


def test_explorer_builds_on_the_shipped_table():
    exp = forces_widgets.personnel_explorer()
    assert set(exp.controls["states"].value) == {"ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"}
    calls = record_draws(exp)
    exp.controls["series"].value = ("cow_nmc_6",)
    assert max(max(l.get_xdata()) for l in _data_lines(calls[-1][1])) <= exp.controls["years"].max
