"""Tests for utils.plots.arms on small synthetic frames shaped like ``arms_transfers`` and ``arms_deals``."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.patches import Rectangle

from utils.plots import OTHER_COLOUR, arms

from helpers import footer_of, title_of

pytestmark = pytest.mark.usefixtures("close_figures")

EXACT_EDITION, SPLIT_EDITION = "2025-01-03", "2025-03-13"


@pytest.fixture
def transfers() -> pd.DataFrame:
    """Deliveries 2010-2020 (exact) plus 2021 (equal split, another edition), easy to compute by hand.

    ARM: RUS 10 a year; JOR 10 in 2015; FRA 5 in 2019; IND 20 in 2020 and 40 in 2021.
    AZE: RUS 30 a year to 2014, then 10; ISR 10 a year from 2013; TUR 5 in 2018.
    KAZ: RUS 8 and CHN 2 every year (80% from Russia in any window).
    """
    rows = []
    for year in range(2010, 2021):
        rows.append(("RUS", "ARM", year, 10.0))
        rows.append(("RUS", "AZE", year, 30.0 if year <= 2014 else 10.0))
        if year >= 2013:
            rows.append(("ISR", "AZE", year, 10.0))
        rows.append(("RUS", "KAZ", year, 8.0))
        rows.append(("CHN", "KAZ", year, 2.0))
    rows += [("JOR", "ARM", 2015, 10.0), ("FRA", "ARM", 2019, 5.0), ("IND", "ARM", 2020, 20.0), ("TUR", "AZE", 2018, 5.0)]
    frame = pd.DataFrame(rows, columns=["supplier", "recipient", "year", "tiv"])
    frame = frame.assign(method=arms.EXACT, edition=EXACT_EDITION, source_id="sipri_at_2025jan")
    split = pd.DataFrame({"supplier": ["IND"], "recipient": ["ARM"], "year": [2021], "tiv": [40.0],
                          "method": ["equal_split_of_register"], "edition": [SPLIT_EDITION], "source_id": ["sipri_at_2025"]})
    frame = pd.concat([frame, split], ignore_index=True)
    frame["supplier_name"] = frame["supplier"].map(
        {"RUS": "Russia", "JOR": "Jordan", "FRA": "France", "IND": "India", "ISR": "Israel", "TUR": "Turkiye", "CHN": "China"})
    return frame


@pytest.fixture
def deals() -> pd.DataFrame:
    return pd.DataFrame({
        "recipient": ["ARM", "ARM", "ARM", "AZE"],
        "supplier": ["RUS", "IND", "SVK", "ISR"],
        "supplier_name": ["Russia", "India", "Slovakia", "Israel"],
        "designation": ["Su-30K", "Pinaka", "Su-25", "Barak-8"],
        "description": ["FGA aircraft", "MRL", "ground-attack aircraft", "SAM system"],
        "number_delivered": [4, 4, 10, 1],
        "order_year": [2019, 2022, 2004, 2016],
        "tiv_delivered": [60.0, 30.0, 10.0, 99.0],
        "source_id": "sipri_at_2025",
    })


# --------------------------------------------------------------------------------------------- computations


def test_rows_and_years(transfers):
    assert arms.rows_of(transfers) is transfers
    assert set(arms.rows_of(transfers, EXACT_EDITION)["year"]) == set(range(2010, 2021))
    assert arms.approximate_years(transfers) == [2021]
    assert arms.edition_years(transfers) == (2010, 2021)
    assert arms.edition_years(transfers, EXACT_EDITION) == (2010, 2020)


def test_window_shares(transfers):
    assert arms.share_of(transfers, "ARM", "RUS", (2015, 2020)) == pytest.approx(100 * 60 / 95)
    # a window reaching 2021 takes in the approximated row from the other edition
    assert arms.share_of(transfers, "ARM", "RUS", (2016, 2021)) == pytest.approx(100 * 50 / 115)
    assert arms.share_of(transfers, "ARM", "RUS", (2016, 2021), edition=EXACT_EDITION) == pytest.approx(100 * 50 / 75)
    assert arms.share_of(transfers, "KAZ", "RUS", (2010, 2019)) == pytest.approx(80.0)
    shares = arms.supplier_shares(transfers, "ARM", (2015, 2020))
    assert list(shares["supplier"]) == ["RUS", "IND", "JOR", "FRA"]
    assert shares["share"].sum() == pytest.approx(100.0)


def test_share_grid_rows_start_columns_length(transfers):
    grid = arms.share_grid(transfers, "AZE", "RUS", lengths=[1, 5, 10])
    assert grid.loc[2013, 5] == pytest.approx(100 * (30 + 30 + 10 + 10 + 10) / (90 + 50))  # 2013-17
    assert grid.loc[2010, 1] == pytest.approx(100.0)
    assert np.isnan(grid.loc[2021, 1])  # nothing delivered to Azerbaijan in 2021
    assert np.isnan(grid.loc[2018, 5])  # 2018-22 runs past 2021, the last year in the table
    assert list(grid.index) == list(range(2010, 2022)) and list(grid.columns) == [1, 5, 10]


def test_rolling_share_is_the_trailing_window(transfers):
    share = arms.rolling_share(transfers, "ARM", "RUS", window=6)
    assert share.index[0] == 2015 and share.index[-1] == 2021
    assert share[2020] == pytest.approx(arms.share_of(transfers, "ARM", "RUS", (2015, 2020)))


def test_imports_by_supplier_groups_the_rest(transfers):
    table = arms.imports_by_supplier(transfers, "ARM", (2010, 2021), top_n=2)
    assert list(table.columns) == ["RUS", "IND", arms.OTHERS]
    assert table[arms.OTHERS].sum() == pytest.approx(15.0)  # JOR 10 + FRA 5
    assert table.to_numpy().sum() == pytest.approx(transfers.query("recipient == 'ARM'")["tiv"].sum())
    assert list(table.index) == list(range(2010, 2022))


def test_year_ranges():
    assert arms.year_ranges([2024, 1992, 1993, 1994]) == "1992–1994, 2024"
    assert arms.year_ranges([]) == ""


def test_supplier_colours_are_distinct():
    colours = arms.supplier_colours(["RUS", "JOR", "SRB", arms.OTHERS])
    assert colours[arms.OTHERS] == OTHER_COLOUR
    assert len(set(colours.values())) == 4


# --------------------------------------------------------------------------------------------- figures


def test_plot_supplier_breakdown(transfers):
    fig = arms.plot_supplier_breakdown(transfers, "ARM", (2015, 2020))
    ax = fig.axes[0]
    widths = sorted(p.get_width() for p in ax.patches)
    assert widths == pytest.approx(sorted([100 * 60 / 95, 100 * 20 / 95, 100 * 10 / 95, 100 * 5 / 95]))
    assert [t.get_text() for t in ax.get_yticklabels()] == ["France", "Jordan", "India", "Russia"]
    assert title_of(fig) == "Russia supplied 63% of Armenia's major arms in 2015–2020 (95 TIV in all)"
    assert "% of SIPRI TIV" in ax.get_xlabel()
    assert "deliveries by year; data generated 3 January 2025" in footer_of(fig)
    assert "estimated by spreading" not in footer_of(fig)
    fig = arms.plot_supplier_breakdown(transfers, "ARM", (2017, 2021))
    assert "Includes years estimated by spreading each deal evenly over its delivery years: 2021." in footer_of(fig)


def test_plot_supplier_breakdown_groups_small_suppliers_and_handles_empty_windows(transfers):
    fig = arms.plot_supplier_breakdown(transfers, "ARM", (2010, 2020), top_n=2)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Others", "Russia"]
    fig = arms.plot_supplier_breakdown(transfers, "TJK", (2010, 2020))
    assert title_of(fig) == "Tajikistan received no major arms in 2010–2020"


def test_plot_imports_grid_stacks_every_tiv_and_shades_approximated_years(transfers):
    fig = arms.plot_imports_grid(transfers, ["ARM", "AZE", "KAZ"], (2010, 2021), top_n=2, ncols=3)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title(loc="left") for ax in panels] == ["Armenia", "Azerbaijan", "Kazakhstan"]
    for ax, recipient in zip(panels, ["ARM", "AZE", "KAZ"]):
        bars = [p for p in ax.patches if p.get_width() < 1]  # the shaded year is a wider polygon
        assert sum(p.get_height() for p in bars) == pytest.approx(transfers.query("recipient == @recipient")["tiv"].sum())
    assert title_of(fig) == "Russia was the largest supplier of 3 of these 3 states over 2010–2021"
    assert arms.APPROX_NOTE in footer_of(fig)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[:2] == ["Russia", "India"] and "Israel" in legend and legend[-1] == "Others"


def test_plot_share_heatmaps_outline_the_claimed_window(transfers):
    grids = {r: arms.share_grid(transfers, r, "RUS", range(1, 11)) for r in ("ARM", "AZE")}
    fig = arms.plot_share_heatmaps(grids, claims={"AZE": (2013, 2017, 65)}, sources=["sipri_at_2025jan"])
    heat = fig.axes[1]
    image = heat.get_images()[0].get_array()
    assert image[3, 4] == pytest.approx(grids["AZE"].loc[2013, 5])
    outlines = [p for p in heat.patches if isinstance(p, Rectangle) and not p.get_fill()]
    assert len(outlines) == 1 and outlines[0].get_xy() == (3.5, 2.5)
    assert "claimed: 65% for 2013–2017" in heat.get_title(loc="left")
    assert [t.get_text() for t in heat.texts] == [f"{grids['AZE'].loc[2013, 5]:.0f}"]
    # windows of 5+ years: ARM's lowest is 2017-21 (RUS 40 of 40 + FRA 5 + IND 60 = 38%), highest 2010-14
    # (100%); AZE's runs from 48% (2016-20) to 88% (2010-14), a narrower spread, so the title names Armenia
    assert title_of(fig) == ("The window matters: over five years or more, Russia's share of Armenia's imports "
                           "runs from 38% to 100%")
    assert "Red outline" in footer_of(fig) and "estimated" not in footer_of(fig)
    fig = arms.plot_share_heatmaps(grids, sources=["sipri_at_2025jan"], approximate=[1995, 2021])
    assert "Windows that include 2021 use values estimated" in footer_of(fig)  # 1995 is outside the grids


def test_plot_rolling_shares_with_claims(transfers):
    fig = arms.plot_rolling_shares(transfers, ["ARM", "KAZ"], window=5, claims={"KAZ": (2010, 2019, 80)})
    ax = fig.axes[0]
    lines = {l.get_label(): l for l in ax.get_lines() if not l.get_label().startswith("_")}
    assert set(lines) == {"Armenia", "Kazakhstan"}
    assert np.allclose(lines["Kazakhstan"].get_ydata(), 80.0)
    assert any(list(l.get_xdata()) == [2010, 2019] and list(l.get_ydata()) == [80.0, 80.0] for l in ax.get_lines())
    # ARM 2017-21: RUS 40 of 40 + FRA 5 + IND 60 = 105 -> 38%; the footer names the approximated year
    assert title_of(fig) == ("In the 5 years to 2021, Russia supplied 38% of Armenia's major arms "
                           "and 80% of Kazakhstan's")
    assert "delivery years: 2021." in footer_of(fig)


def test_plot_both_sides_on_one_axis(transfers):
    fig = arms.plot_both_sides(transfers, ("ARM", "AZE"), "RUS", (2010, 2020), marks={2016: "April war"})
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 22
    assert sum(p.get_height() for p in bars) == pytest.approx(110 + 210)
    assert title_of(fig) == "Russia armed both sides: 110 TIV to Armenia and 210 TIV to Azerbaijan, 2010–2020"
    assert "April war" in [t.get_text() for t in ax.texts]
    assert arms.APPROX_NOTE not in footer_of(fig)  # 2021 is outside the range shown


def test_plot_diversification_stacks_to_100(transfers):
    fig = arms.plot_diversification(transfers, ["ARM", "KAZ"], years=(2010, 2021), window=5, top_n=2)
    for ax in fig.axes[:2]:
        stacks = [c for c in ax.collections if isinstance(c, PolyCollection)]
        tops = sum(np.asarray(stack.get_paths()[0].vertices)[:, 1].max() for stack in stacks[-1:])
        assert tops == pytest.approx(100.0)
    # ARM 2017-21 (whole table, so 2021's split row counts): RUS 40 of 40 + FRA 5 + IND 60 = 105 -> 38%
    assert title_of(fig) == ("Russia's share of the major arms delivered in the 5 years to 2021: "
                           "Armenia 38%, Kazakhstan 80%")
    assert "Paler bands" in footer_of(fig)


def test_plot_top_deals(deals):
    fig = arms.plot_top_deals(deals, "ARM", n=2)
    ax = fig.axes[0]
    assert sorted(p.get_width() for p in ax.patches) == [30.0, 60.0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Pinaka MRL x4 · India · ordered 2022", "Su-30K FGA aircraft x4 · Russia · ordered 2019"]
    assert title_of(fig) == "Armenia: the 2 largest of its 3 listed deals carry 90% of their volume"
    with pytest.raises(ValueError):
        arms.plot_top_deals(deals, "TJK")
