"""Tests for utils.plots.spending on small synthetic frames shaped like the ``milex`` table."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from utils.countries import name_of
from utils.plots import spending

from helpers import footer_of, title_of

pytestmark = pytest.mark.usefixtures("close_figures")

NEW, OLD = "SIPRI Military Expenditure Database 2026", "SIPRI Military Expenditure Database 2024"


def _rows(iso3, years, measure, values, edition, unit, status="reported"):
    return pd.DataFrame({
        "iso3": iso3, "country": name_of(iso3), "year": list(years), "measure": measure,
        "value": list(values), "unit": unit, "edition": edition, "status": status,
    })


@pytest.fixture
def milex() -> pd.DataFrame:
    """Three states, 2018-2022, in two releases. RUS is 100x KGZ; KGZ 2020 is revised from 2.0 to 4.4."""
    years = range(2018, 2023)
    frames = [
        _rows("RUS", years, "constant_usd_2024", [600, 620, 640, 700, 800], NEW, "US$ m"),
        _rows("KAZ", years, "constant_usd_2024", [20, 21, 22, 23, 24], NEW, "US$ m"),
        _rows("KGZ", years, "constant_usd_2024", [2.2, 2.2, 4.4, 2.2, 8.0], NEW, "US$ m"),
        _rows("RUS", years, "constant_usd_2022", [500, 516, 533, 583, np.nan], OLD, "US$ m"),
        _rows("KGZ", years, "constant_usd_2022", [2.0, 2.0, 2.0, 2.0, np.nan], OLD, "US$ m"),
        _rows("RUS", years, "current_usd", [300, 400, 500, 600, 700], NEW, "US$ m"),
        _rows("KAZ", years, "current_usd", [10, 10, 10, 10, 10], NEW, "US$ m"),
        _rows("KGZ", years, "current_usd", [1, 1, 1, 1, 1], NEW, "US$ m"),
        _rows("RUS", years, "share_gdp", [0.039, 0.038, 0.041, 0.037, 0.041], NEW, "fraction"),
        _rows("KAZ", years, "share_gdp", [0.010, 0.010, 0.011, 0.010, 0.007], NEW, "fraction"),
        _rows("KGZ", years, "share_gdp", [0.015, 0.014, 0.040, 0.013, 0.020], NEW, "fraction"),
        _rows("RUS", years, "per_capita", [300, 310, 320, 330, 500], NEW, "US$"),
        _rows("KAZ", years, "per_capita", [50, 50, 50, 50, 50], NEW, "US$"),
        _rows("KGZ", years, "per_capita", [5, 5, 5, 5, 10], NEW, "US$"),
    ]
    frame = pd.concat(frames, ignore_index=True)
    # SIPRI flags: KGZ 2022 is an estimate and KAZ 2022 highly uncertain in every measure.
    frame.loc[(frame["iso3"] == "KGZ") & (frame["year"] == 2022), "status"] = "estimate"
    frame.loc[(frame["iso3"] == "KAZ") & (frame["year"] == 2022), "status"] = "uncertain"
    frame.loc[frame["value"].isna(), "status"] = "no_data"
    return frame


def _lines_by_label(ax) -> dict:
    return {line.get_label(): line for line in ax.get_lines() if not line.get_label().startswith("_")}


# --------------------------------------------------------------------------------------------- helpers


def test_editions_and_constant_measure(milex):
    assert spending.editions(milex) == [OLD, NEW]
    assert spending.newest_edition(milex) == NEW
    assert spending.constant_measure(milex) == "constant_usd_2024"
    assert spending.constant_measure(milex, OLD) == "constant_usd_2022"
    assert spending.measures(milex) == ["constant_usd_2024", "current_usd", "share_gdp", "per_capita"]


def test_select_filters_and_drops_missing(milex):
    rows = spending.select(milex, "constant_usd_2022", ["RUS"], (2019, 2022), OLD)
    assert list(rows["year"]) == [2019, 2020, 2021]  # 2022 has no value in the old release
    assert set(rows["iso3"]) == {"RUS"}


def test_labels_carry_units():
    assert "constant 2024 prices" in spending.measure_label("constant_usd_2024")
    assert "% of GDP" in spending.measure_label("share_gdp")
    assert spending.format_value(0.0414, "share_gdp") == "4.1%"
    assert spending.format_value(67165.7, "constant_usd_2024") == "$67.2bn"
    assert spending.edition_source_id(NEW) == spending.edition_source_id("sipri_milex_2026") == "sipri_milex_2026"


# --------------------------------------------------------------------------------------------- levels


def test_plot_levels_draws_one_line_per_state_and_marks_flags(milex):
    fig = spending.plot_levels(milex, "constant_usd_2024", ["RUS", "KAZ", "KGZ"], (2018, 2022))
    ax = fig.axes[0]
    lines = _lines_by_label(ax)
    assert set(lines) == {"Russia", "Kazakhstan", "Kyrgyzstan"}
    assert list(lines["Kyrgyzstan"].get_ydata()) == [2.2, 2.2, 4.4, 2.2, 8.0]
    assert ax.get_yscale() == "log"
    assert "US$ million" in ax.get_ylabel()
    # one open marker for the KGZ 2022 estimate, one cross for the KAZ 2022 uncertain value
    markers = [l for l in ax.get_lines() if l.get_linestyle() == "None"]
    assert sorted(l.get_marker() for l in markers) == ["X", "o"]
    assert title_of(fig) == "In 2022 Russia spent 100 times as much as Kyrgyzstan"
    assert "SIPRI Military Expenditure Database 2026" in footer_of(fig)


def test_plot_levels_shares_are_shown_in_percent_on_a_linear_axis(milex):
    fig = spending.plot_levels(milex, "share_gdp", ["RUS", "KGZ"], (2018, 2022))
    ax = fig.axes[0]
    assert ax.get_yscale() == "linear"
    assert _lines_by_label(ax)["Russia"].get_ydata()[2] == pytest.approx(4.1)
    assert "highest spending as a share of GDP (4.1%)" in title_of(fig)


def test_plot_levels_limits_years_and_rejects_empty_selection(milex):
    fig = spending.plot_levels(milex, "constant_usd_2024", ["RUS"], (2019, 2020))
    assert list(_lines_by_label(fig.axes[0])["Russia"].get_xdata()) == [2019, 2020]
    with pytest.raises(ValueError, match="no 'per_capita' values"):
        spending.plot_levels(milex, "per_capita", ["ARM"], (2018, 2022))


def test_plot_small_multiples_one_panel_per_state(milex):
    fig = spending.plot_small_multiples(milex, "constant_usd_2024", ["RUS", "KAZ", "KGZ", "ARM"], (2018, 2022), ncols=2)
    visible = [ax for ax in fig.axes if ax.get_visible() and ax.get_title(loc="left")]
    assert [ax.get_title(loc="left") for ax in visible] == ["Russia", "Kazakhstan", "Kyrgyzstan"]  # ARM has no data
    assert title_of(fig) == "3 of the 3 states with figures for both years spent more in 2022 than in 2018"
    fig = spending.plot_small_multiples(milex, "constant_usd_2024", ["RUS", "KAZ", "KGZ"], (2018, 2022), since=2021)
    # 2021 -> 2022: RUS 700 -> 800, KAZ 23 -> 24, KGZ 2.2 -> 8.0
    assert title_of(fig) == "3 of the 3 states with figures for both years spent more in 2022 than in 2021"
    footer = footer_of(fig)
    assert "Open circles mark SIPRI estimates and crosses mark values SIPRI rates highly uncertain." in footer


def test_missing_years_break_the_line_instead_of_bridging_it(milex):
    milex = milex[~((milex["iso3"] == "RUS") & (milex["year"] == 2020))]
    fig = spending.plot_levels(milex, "constant_usd_2024", ["RUS"], (2018, 2022))
    ydata = _lines_by_label(fig.axes[0])["Russia"].get_ydata()
    assert list(fig.axes[0].get_lines()[0].get_xdata()) == [2018, 2019, 2020, 2021, 2022]
    assert np.isnan(ydata[2]) and ydata[3] == 700


def test_plot_current_vs_constant_reports_the_largest_gap(milex):
    fig = spending.plot_current_vs_constant(milex, "RUS")
    # constant / current: 2.0, 1.55, 1.28, 1.17, 1.14 -> the largest gap is 2018
    assert title_of(fig) == "Russia: at 2024 prices, its 2018 spending is worth 2.0 times its dollar value at the time"
    assert len(_lines_by_label(fig.axes[0])) == 2


# --------------------------------------------------------------------------------------------- burden and per person


def test_plot_burden_in_percent_with_reference(milex):
    fig = spending.plot_burden(milex, ["RUS", "KAZ", "KGZ"], (2018, 2022))
    ax = fig.axes[0]
    assert list(_lines_by_label(ax)["Kazakhstan"].get_ydata()) == pytest.approx([1.0, 1.0, 1.1, 1.0, 0.7])
    assert any(list(l.get_ydata()) == [2.0, 2.0] for l in ax.get_lines())  # the 2% reference line
    assert title_of(fig) == "In 2022 Russia spent 4.1% of its GDP on the military, Kazakhstan 0.7%"


def test_burden_crosscheck_recomputes_from_gdp(milex):
    # shaped like the World Bank table: ISO3 in `country`, GDP in current US$ in `value`
    gdp = pd.DataFrame({"country": ["RUS", "KGZ"], "year": [2020, 2020], "value": [12_500e6, 25e6],
                        "unit": "current US$"})
    check = spending.burden_crosscheck(milex, gdp).set_index("iso3")
    assert check.loc["RUS", "recomputed_share"] == pytest.approx(0.04)  # 500m / 12.5bn
    assert check.loc["RUS", "difference"] == pytest.approx(-0.1)  # 4.0% vs SIPRI 4.1%, in points
    assert check.loc["KGZ", "recomputed_share"] == pytest.approx(0.04)
    fig = spending.plot_burden_crosscheck(check.reset_index(), "sipri_milex_2026", "wb_gdp")
    assert "in 100% of state-years" in title_of(fig)
    assert "World Development Indicators: GDP" in footer_of(fig)


def test_plot_per_capita_bars_and_population_check(milex):
    population = pd.DataFrame({"iso3": ["RUS", "KAZ", "KGZ"], "year": [2022] * 3, "population": [1.4e6, 2e5, 1e5]})
    fig = spending.plot_per_capita(milex, 2022, ["RUS", "KAZ", "KGZ"], population=population)
    ax = fig.axes[0]
    widths = sorted(p.get_width() for p in ax.patches)
    assert widths == [10, 50, 500]
    dots = ax.collections[0].get_offsets()[:, 0]
    assert sorted(dots) == pytest.approx([10.0, 50.0, 500.0])  # 700m / 1.4m people = 500 ...
    assert title_of(fig) == "Per person, Russia spent 50 times as much as Kyrgyzstan on the military in 2022"
    assert "Population, total" in footer_of(fig)
    labels = [t.get_text() for t in ax.texts]
    assert "$10 (SIPRI estimate)" in labels and "$50 (highly uncertain)" in labels


# --------------------------------------------------------------------------------------------- Russia's share


def test_plot_russia_share_one_line_per_release(milex):
    shares = pd.DataFrame({
        "year": [2019, 2020, 2021, 2022] * 2,
        "edition": [OLD] * 4 + [NEW] * 4,
        "share": [95.0, 95.4, 96.0, 99.0, 93.0, 93.9, 95.0, 99.5],  # per cent, as utils.metrics gives them
        "complete": [True, True, True, False] * 2,
    })
    fig = spending.plot_russia_share(shares, claim=95, highlight_year=2020, marks={2020: "seed 000"})
    ax = fig.axes[0]
    lines = _lines_by_label(ax)
    assert set(lines) == {"2024 release", "2026 release", "the seeds' claim: 95%"}
    # 2022 is incomplete (a member without a figure), so it is left out
    assert list(lines["2026 release"].get_xdata()) == [2019, 2020, 2021]
    assert list(lines["2026 release"].get_ydata()) == pytest.approx([93.0, 93.9, 95.0])
    assert any(list(l.get_ydata()) == [95.0, 95.0] for l in ax.get_lines())
    assert {"95.4%", "93.9%", "seed 000"} <= {t.get_text() for t in ax.texts}
    assert "the seeds' claim: 95%" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert title_of(fig) == "Russia's share of the members' spending ranged from 93.0% (2019) to 95.0% (2021)"
    assert "Database 2024" in footer_of(fig) and "Database 2026" in footer_of(fig)


def test_plot_release_comparison_separates_revision_from_rebasing(milex):
    fig = spending.plot_release_comparison(milex, "KGZ", OLD, NEW, highlight_year=2020)
    left, right = fig.axes[:2]
    assert set(_lines_by_label(left)) == {"2024 release (constant 2022 US$)", "2026 release (constant 2024 US$)"}
    ratio = [l for l in right.get_lines() if len(l.get_xdata()) == 4][0]
    assert list(ratio.get_ydata()) == pytest.approx([1.1, 1.1, 2.2, 1.1])
    assert title_of(fig) == "Kyrgyzstan 2020: $2m in the 2024 release, $4m in the 2026 release: a revision"
    assert "ratio in 2021: x1.10" in [t.get_text() for t in right.texts]
    fig = spending.plot_release_comparison(milex, "KGZ", OLD, NEW, highlight_year=2019)
    assert title_of(fig).endswith("no more than the price-base change")
