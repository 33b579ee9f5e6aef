"""Tests for utils.widgets.arms: the explorer builds, its controls are bounded by the data and redraw."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from utils.widgets.arms import arms_explorer

from helpers import record_draws, title_of

pytestmark = pytest.mark.usefixtures("close_figures")


@pytest.fixture
def transfers() -> pd.DataFrame:
    """ARM: 9 TIV a year from RUS, 1 from IND from 2018. KAZ: 4 from RUS, 1 from CHN. Years 2012-2020."""
    rows = []
    for year in range(2012, 2021):
        rows.append(("RUS", "ARM", year, 9.0))
        if year >= 2018:
            rows.append(("IND", "ARM", year, 1.0))
        rows.append(("RUS", "KAZ", year, 4.0))
        rows.append(("CHN", "KAZ", year, 1.0))
    frame = pd.DataFrame(rows, columns=["supplier", "recipient", "year", "tiv"])
    frame = frame.assign(method="exact_annual_export", edition="2025-01-03", source_id="sipri_at_2025jan")
    # An approximated row from another edition, for a later year: the two editions complement each other.
    extra = pd.DataFrame({"supplier": ["TUR"], "recipient": ["KGZ"], "year": [2024], "tiv": [5.0],
                          "method": ["equal_split_of_register"], "edition": ["2025-03-13"], "source_id": ["sipri_at_2025"]})
    return pd.concat([frame, extra], ignore_index=True)


def test_controls_are_bounded_by_the_data(transfers):
    explorer = arms_explorer(transfers, years=(2000, 2030))
    recipient, years = explorer.controls["recipient"], explorer.controls["years"]
    assert [value for _, value in recipient.options] == ["ARM", "KAZ", "KGZ"]  # treaty order, only those present
    assert (years.min, years.max) == (2012, 2024)
    assert years.value == (2012, 2024)  # the requested window is clipped to the data
    # limited to one edition, the controls follow that edition's rows
    exact = arms_explorer(transfers, edition="2025-01-03")
    assert [value for _, value in exact.controls["recipient"].options] == ["ARM", "KAZ"]
    assert exact.controls["years"].max == 2020


def test_each_control_redraws_with_the_share_for_the_window(transfers):
    explorer = arms_explorer(transfers, recipient="ARM", years=(2012, 2017))
    calls = record_draws(explorer)

    explorer.controls["years"].value = (2016, 2020)
    values, figure = calls[-1]
    assert values == {"recipient": "ARM", "years": (2016, 2020)}
    # 2016-20: RUS 45, IND 3 -> 93.75%
    assert title_of(figure) == "Russia supplied 94% of Armenia's major arms in 2016–2020 (48 TIV in all)"

    explorer.controls["recipient"].value = "KAZ"
    values, figure = calls[-1]
    assert values["recipient"] == "KAZ"
    assert title_of(figure).startswith("Russia supplied 80% of Kazakhstan's")

    explorer.controls["recipient"].value = "KGZ"
    explorer.controls["years"].value = (2020, 2024)
    values, figure = calls[-1]
    assert values == {"recipient": "KGZ", "years": (2020, 2024)}
    assert title_of(figure) == "Russia supplied 0% of Kyrgyzstan's major arms in 2020–2024 (5 TIV in all)"
    assert len(calls) == 4

