"""The explorer of notebook 06: bounded controls, and every control change redraws with the new values."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from utils.widgets import politics as politics_widgets

from helpers import record_draws, title_of

pytestmark = pytest.mark.usefixtures("close_figures")


@pytest.fixture
def arms():
    rows = [
        ("RUS", "KAZ", 2010, 90.0),
        ("CHN", "KAZ", 2010, 10.0),
        ("RUS", "KGZ", 2012, 40.0),
        ("TUR", "KGZ", 2012, 60.0),
        ("RUS", "TJK", 2015, 30.0),
        ("CHN", "UZB", 2018, 100.0),
        ("RUS", "UZB", 2019, 100.0),
        ("unknown supplier(s)", "KAZ", 2019, 5.0),
    ]
    frame = pd.DataFrame(rows, columns=["supplier", "recipient", "year", "tiv"])
    frame["source_id"] = "sipri_at_2025"
    return frame


def test_controls_are_bounded_by_the_data(arms):
    exp = politics_widgets.arms_share_explorer(arms)
    assert set(exp.controls) == {"recipients", "rival", "window", "years"}
    recipients = exp.controls["recipients"]
    assert recipients.value == ("KAZ", "KGZ", "TJK")
    assert ("Uzbekistan", ("UZB",)) in recipients.options
    # Second suppliers: every supplier but Russia that has a display name, largest first; China by default.
    assert [v for _, v in exp.controls["rival"].options] == ["CHN", "TUR"]
    assert exp.controls["rival"].value == "CHN"
    assert (exp.controls["years"].min, exp.controls["years"].max) == (2010, 2019)
    assert exp.controls["window"].max == 10


def test_each_control_redraws_with_its_new_value(arms):
    exp = politics_widgets.arms_share_explorer(arms)
    calls = record_draws(exp)
    exp.controls["window"].value = 10
    assert calls[-1][0]["window"] == 10
    # Pooled KAZ, KGZ, TJK over 2010-2019: Russia 160 of 235 TIV.
    assert title_of(calls[-1][1]).startswith("Kazakhstan, Kyrgyzstan and Tajikistan, 2010–2019: Russia 68%")
    exp.controls["rival"].value = "TUR"
    assert [line.get_label() for line in calls[-1][1].axes[0].get_lines()] == ["Russia", "Turkiye", "all others"]
    exp.controls["recipients"].value = ("UZB",)
    assert title_of(calls[-1][1]).startswith("Uzbekistan, 2010–2019: Russia 50%")
    exp.controls["years"].value = (2018, 2019)
    assert calls[-1][0]["years"] == (2018, 2019)
    # The window is capped at the span of years chosen, so the figure is never empty.
    assert title_of(calls[-1][1]).startswith("Uzbekistan, 2018–2019: Russia 50%")
    assert len(calls) == 4

