"""Tests for utils.plots.revisions: comparing two editions and the figures built on the comparison."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from utils.plots import revisions

OLD, NEW = "SIPRI Military Expenditure Database 2024", "SIPRI Military Expenditure Database 2026"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def milex() -> pd.DataFrame:
    """A two-country milex table in the data's layout.

    The old edition is in 2022 prices, the new in 2024 prices. SIPRI's conversion factor (new constant / new
    current for 2022) is 1.2 for RUS and 1.5 for KGZ. The new edition revises KGZ 2020 (x2) and nothing else.
    """
    rows = []
    factors = {"RUS": 1.2, "KGZ": 1.5}
    for year in range(2015, 2023):
        for iso3, base in (("RUS", 100.0 + year - 2015), ("KGZ", 2.0)):
            bump = 2.0 if (iso3 == "KGZ" and year == 2020) else 1.0
            rows.append((iso3, year, "constant_usd_2022", base, OLD, 2024, 2022))
            rows.append((iso3, year, "constant_usd_2024", factors[iso3] * base * bump, NEW, 2026, 2024))
            # current dollars: in 2022, constant 2024 / current = the factor
            current = base * bump * (1.0 if year == 2022 else 0.9)
            rows.append((iso3, year, "current_usd", current, NEW, 2026, None))
    rows.append(("RUS", 2023, "constant_usd_2024", 130.0, NEW, 2026, 2024))  # only in the new edition
    frame = pd.DataFrame(rows, columns=["iso3", "year", "measure", "value", "edition", "release", "price_base"])
    return frame.astype({"release": "Int64", "price_base": "Int64", "year": "Int64"})


def test_price_base_factors_read_from_the_new_edition(milex):
    factors = revisions.price_base_factors(milex, NEW, 2022)
    assert factors.to_dict() == pytest.approx({"RUS": 1.2, "KGZ": 1.5})


def test_compare_editions_with_factors_finds_the_one_revision(milex):
    comparison = revisions.milex_comparison(milex, OLD, NEW)
    assert len(comparison) == 16  # 8 years x 2 countries; 2023 is only in the new edition
    assert set(comparison["factor_from"]) == {"price conversion"}
    revised = comparison[comparison["revised"]]
    assert list(zip(revised["iso3"], revised["year"])) == [("KGZ", 2020)]
    assert revised["revision_pct"].iloc[0] == pytest.approx(100.0)
    assert revised["revision"].iloc[0] == pytest.approx(3.0)


def test_compare_editions_falls_back_to_the_median_ratio(milex):
    constant = milex[milex["measure"].str.startswith("constant")]
    comparison = revisions.compare_editions(constant, OLD, NEW, factors={"RUS": 1.2})
    kgz = comparison[comparison["iso3"] == "KGZ"]
    assert set(kgz["factor_from"]) == {"median ratio"}
    assert kgz["factor"].iloc[0] == pytest.approx(1.5)  # seven of eight years unrevised


def test_compare_editions_without_rebasing(milex):
    constant = milex[milex["measure"].str.startswith("constant")]
    comparison = revisions.compare_editions(constant, OLD, NEW, rebase=False)
    rus = comparison[(comparison["iso3"] == "RUS") & (comparison["year"] == 2015)].iloc[0]
    assert rus["factor"] == 1.0 and rus["revision_pct"] == pytest.approx(20.0) and rus["revised"]


def test_compare_editions_drops_missing_values_and_filters_countries(milex):
    milex.loc[(milex["iso3"] == "RUS") & (milex["year"] == 2016) & (milex["edition"] == OLD), "value"] = np.nan
    constant = milex[milex["measure"].str.startswith("constant")]
    comparison = revisions.compare_editions(constant, OLD, NEW, countries=["RUS"])
    assert set(comparison["iso3"]) == {"RUS"}
    assert 2016 not in set(comparison["year"])


def test_compare_editions_names_a_missing_edition(milex):
    with pytest.raises(ValueError, match="edition 'nope' is not in the table"):
        revisions.compare_editions(milex, "nope", NEW)


def test_member_shares_are_complete_years_and_sum_to_100(milex):
    shares = revisions.member_shares(milex, [OLD, NEW], members=("RUS", "KGZ"))
    totals = shares.groupby(["edition", "year"])["value"].sum()
    assert np.allclose(totals, 100.0)
    assert 2023 not in set(shares["year"])  # KGZ has no 2023 figure: incomplete year left out
    old_2015 = shares[(shares.edition == OLD) & (shares.year == 2015) & (shares.iso3 == "RUS")]["value"].iloc[0]
    assert old_2015 == pytest.approx(100 / 102 * 100)


def test_revision_views(milex):
    views = revisions.revision_views(milex, OLD, NEW, members=("RUS", "KGZ"))
    assert list(views) == ["Spending (constant 2024 US$ m)", "Share of the members' spending (%)"]
    spending = views["Spending (constant 2024 US$ m)"]
    assert spending.unit == "US$ m, constant 2024 prices" and not spending.in_points
    share_view = views["Share of the members' spending (%)"]
    shares = share_view.comparison
    assert share_view.in_points and set(shares["factor"]) == {1.0}
    # Shares move in every year, because the two countries' price conversions differ (x1.2 vs x1.5) ...
    kgz = shares[shares["iso3"] == "KGZ"].set_index("year")
    assert kgz.loc[2015, "revision"] == pytest.approx(3 / 123 * 100 - 2 / 102 * 100)
    # ... and most in 2020, where KGZ's figure itself was revised
    assert kgz["revision"].idxmax() == 2020


def test_plot_revision_scatter(milex):
    comparison = revisions.milex_comparison(milex, OLD, NEW)
    fig = revisions.plot_revision_scatter(comparison, "Old", "New", label_top=1, source_ids=("sipri_milex_2026",))
    ax = fig.axes[0]
    assert len(ax.collections) == 2  # one scatter per country
    assert sum(len(c.get_offsets()) for c in ax.collections) == len(comparison)
    assert [t.get_text() for t in ax.texts] == ["Kyrgyzstan 2020: +100%"]
    assert ax.get_xscale() == "log"
    assert "rebased" in ax.get_xlabel()
    assert any("SIPRI" in t.get_text() for t in fig.texts)
    fig = revisions.plot_revision_scatter(comparison, "Old", "New", highlight=[("RUS", 2016)])
    assert [t.get_text() for t in fig.axes[0].texts] == ["Russia 2016: +0%"]


def test_plot_share_by_edition():
    shares = pd.DataFrame(
        {
            "edition": ["new"] * 3 + ["old"] * 3,
            "year": [2019, 2020, 2021] * 2,
            "share": [94.0, 93.9, 95.0, 95.0, 95.4, 96.0],
            "complete": [True, True, False, True, True, True],
        }
    )
    fig = revisions.plot_share_by_edition(shares, labels={"new": "New release"}, highlight_year=2020, title="T",
                                          editions=["new", "old"])
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.lines if not line.get_label().startswith("_")}
    assert {k: v.get_linestyle() for k, v in lines.items()} == {"New release": "-", "old": "--"}
    assert list(lines["New release"].get_xdata()) == [2019, 2020]  # the incomplete year is left out
    assert sorted(t.get_text() for t in ax.texts) == ["93.9%", "95.4%"]
    assert fig._suptitle.get_text() == "T"


def test_plot_revision_heatmap(milex):
    comparison = revisions.milex_comparison(milex, OLD, NEW)
    fig = revisions.plot_revision_heatmap(comparison, first_year=2016, clip=50)
    assert len(revisions.plot_revision_heatmap(comparison).axes[0].texts) == 0  # +100 is within the default clip
    ax = fig.axes[0]
    grid = ax.images[0].get_array()
    assert grid.shape == (2, 7)  # two countries, 2016-2022
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "Kyrgyzstan"  # most revised first
    assert np.nanmax(np.abs(grid)) == pytest.approx(100.0)
    assert [t.get_text() for t in ax.texts] == ["+100"]  # beyond the clip, so labelled


def test_plot_release_comparison(milex):
    comparison = revisions.milex_comparison(milex, OLD, NEW)
    fig = revisions.plot_release_comparison(comparison, "KGZ", "Old", "New")
    top, bottom = fig.axes[:2]
    assert len(top.lines) == 2 and len(bottom.patches) == 8
    assert fig._suptitle.get_text() == "Kyrgyzstan: 1 of 8 years revised by more than 1%; largest +100.0% (2020)"
    fig = revisions.plot_release_comparison(comparison, "KGZ", "Old", "New", in_points=True)
    assert "+3.0 points (2020)" in fig._suptitle.get_text()
    fig = revisions.plot_release_comparison(comparison, "KGZ", "Old", "New", in_points=True, threshold=5)
    assert fig._suptitle.get_text() == "Kyrgyzstan: no year revised by more than 5 points"
    fig = revisions.plot_release_comparison(comparison, "RUS", "Old", "New")
    assert "no year revised by more than 1%" in fig._suptitle.get_text()
    gappy = comparison[~((comparison["iso3"] == "KGZ") & (comparison["year"] == 2017))]
    top = revisions.plot_release_comparison(gappy, "KGZ", "Old", "New").axes[0]
    assert list(top.lines[0].get_xdata()) == list(range(2015, 2023)) and np.isnan(top.lines[0].get_ydata()[2])
    with pytest.raises(ValueError, match="'UZB' has no year"):
        revisions.plot_release_comparison(comparison, "UZB", "Old", "New")


def _comparison(pcts: dict[str, list[float]], first_year: int = 2018) -> pd.DataFrame:
    rows = []
    for iso3, values in pcts.items():
        for offset, pct in enumerate(values):
            rows.append({"iso3": iso3, "year": first_year + offset, "revision_pct": pct,
                         "revised": abs(pct) > revisions.ROUNDING * 100})
    return pd.DataFrame(rows)


def test_revision_summary_tells_shifts_from_revised_figures():
    # years 2018-2022; the old release's price base is 2022
    comparison = _comparison(
        {
            "RUS": [2.0, 2.0, 2.0, 2.0, 2.0],  # the conversion changed: every year moves alike
            "BLR": [9.0, 9.0, 30.0, 9.0, 9.0],  # a shift, and 2020 revised on top of it
            "KGZ": [0.0, 0.0, 100.0, 0.0, 0.0],  # one figure revised
            "GEO": [0.0, 0.0, 0.0, 0.0, 11.0],  # the base year's own figure revised: not a shift
            "KAZ": [95.0, 95.0, 95.0, 0.0, 0.0],  # most of the series revised
            "ARM": [0.0, 0.0, 0.0, 0.0, 0.0],
        }
    )
    summary = revisions.revision_summary(comparison, base_year=2022).set_index("iso3")
    assert summary.loc["RUS", "pattern"] == "uniform shift" and summary.loc["RUS", "shift_pct"] == 2.0
    assert summary.loc["BLR", "pattern"] == "shift + 1 year" and summary.loc["BLR", "largest_year"] == 2020
    assert summary.loc["KGZ", "pattern"] == "1 year" and summary.loc["KGZ", "shift_pct"] == 0.0
    assert summary.loc["GEO", "pattern"] == "1 year"
    assert summary.loc["KAZ", "pattern"] == "most years"
    assert summary.loc["ARM", "pattern"] == "unchanged" and summary.loc["ARM", "years_revised"] == 0
    assert list(summary.index[:2]) == ["KGZ", "KAZ"]  # sorted by the largest revision
    assert summary.loc["BLR", "years_revised"] == 5 and summary.loc["BLR", "years_off_shift"] == 1


def test_plot_share_by_edition_breaks_the_line_at_missing_years():
    shares = pd.DataFrame({"edition": ["new"] * 3, "year": [2010, 2011, 2014], "share": [90.0, 91.0, 95.0]})
    fig = revisions.plot_share_by_edition(shares)
    line = fig.axes[0].lines[0]
    assert list(line.get_xdata()) == [2010, 2011, 2012, 2013, 2014]
    assert np.isnan(line.get_ydata()[2]) and np.isnan(line.get_ydata()[3])
