"""Tests for the release-comparison explorer: bounded controls, and a redraw for each control change."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.figure

import pandas as pd
import pytest
from helpers import record_draws

from utils.widgets import revisions

OLD, NEW = "SIPRI Military Expenditure Database 2024", "SIPRI Military Expenditure Database 2026"


@pytest.fixture
def milex() -> pd.DataFrame:
    """Three members in two editions; the new edition revises Kyrgyzstan's 2020 figure (x2) and nothing else."""
    rows = []
    for year in range(2010, 2023):
        for iso3, base in (("RUS", 100.0), ("KGZ", 2.0), ("ARM", 5.0)):
            revised = 2.0 if (iso3 == "KGZ" and year == 2020) else 1.0
            rows.append((iso3, year, "constant_usd_2022", base, OLD, 2024, 2022))
            rows.append((iso3, year, "constant_usd_2024", 1.1 * base * revised, NEW, 2026, 2024))
            rows.append((iso3, year, "current_usd", base * revised * (1.0 if year == 2022 else 0.9), NEW, 2026, None))
        rows.append(("UZB", year, "constant_usd_2024", 10.0, NEW, 2026, 2024))  # only in the new edition
    frame = pd.DataFrame(rows, columns=["iso3", "year", "measure", "value", "edition", "release", "price_base"])
    return frame.astype({"release": "Int64", "price_base": "Int64", "year": "Int64"})


MEMBERS = ("ARM", "KGZ", "RUS")



def test_defaults_pick_the_newest_edition_and_bounded_controls(milex):
    view = revisions.release_explorer(milex, members=MEMBERS)
    # UZB is in the new edition only, and not a member: neither measure covers it
    assert [code for _, code in view.controls["iso3"].options] == ["ARM", "KGZ", "RUS"]
    assert view.controls["iso3"].value == "RUS"
    assert view.controls["measure"].options == ("Spending (constant 2024 US$ m)", "Share of the members' spending (%)")
    assert "2024" in view.children[0].value and "2026" in view.children[0].value


def test_changing_the_state_redraws_for_that_state(milex):
    view = revisions.release_explorer(milex, OLD, NEW, "2024 release", "2026 release", members=MEMBERS)
    calls = record_draws(view)
    view.controls["iso3"].value = "KGZ"
    values, figure = calls[-1]
    assert values == {"iso3": "KGZ", "measure": "Spending (constant 2024 US$ m)"}
    assert figure._suptitle.get_text() == "Kyrgyzstan: 1 of 13 years revised by more than 1%; largest +100.0% (2020)"
    assert [line.get_label() for line in figure.axes[0].lines] == [
        "2026 release", "2024 release (converted to the newer prices)"
    ]


def test_changing_the_measure_redraws_for_that_measure(milex):
    view = revisions.release_explorer(milex, OLD, NEW, members=MEMBERS)
    calls = record_draws(view)
    view.controls["measure"].value = "Share of the members' spending (%)"
    values, figure = calls[-1]
    assert values["measure"] == "Share of the members' spending (%)"
    assert figure.axes[0].get_ylabel() == "% of the members' total"
    assert figure.axes[0].lines[1].get_label() == OLD  # shares need no conversion
    assert "points (2020)" in figure._suptitle.get_text()  # Russia's share moves only where KGZ was revised


def test_states_are_those_every_measure_covers(milex):
    # a non-member with figures in both releases: its spending compares, but it has no share of the members' total
    extra = milex[milex["iso3"] == "ARM"].assign(iso3="GEO")
    view = revisions.release_explorer(pd.concat([milex, extra], ignore_index=True), members=MEMBERS)
    assert "GEO" not in [code for _, code in view.controls["iso3"].options]
    for measure in view.controls["measure"].options:
        view.controls["measure"].value = measure
        for _, code in view.controls["iso3"].options:
            view.controls["iso3"].value = code
            assert isinstance(view.draw(iso3=code, measure=measure), matplotlib.figure.Figure)

