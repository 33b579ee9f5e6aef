"""Unit tests for utils.plots.forces on small synthetic tables (the data each figure draws, not its pixels)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.collections import PathCollection

from utils.plots import colour_of, forces

from helpers import footer_of


def _dots(ax):
    return [tuple(xy) for c in ax.collections if isinstance(c, PathCollection) for xy in c.get_offsets()]


@pytest.fixture
def collective():
    # The columns of data/collective_forces.csv that the figure reads.
    return pd.DataFrame(
        {
            "force": ["CRDF", "CRDF", "CRDF", "CRDF", "CRRF", "CRRF", "PKF", "PKF"],
            "force_name": ["Rapid deployment"] * 4 + ["Rapid reaction"] * 2 + ["Peacekeeping"] * 2,
            "established": pd.to_datetime(["2001-05-25"] * 4 + ["2009-02-04"] * 2 + ["2010-12-10"] * 2),
            "figure": [1500, 4000, 5500, 9, 20000, 18000, 800, pd.NA],
            "figure_year": [2006, 2013, pd.NA, 2004, 2013, 2019, 2013, pd.NA],
            "figure_kind": ["troops", "troops", "troops", "battalions", "troops", "personnel", "police", "troops"],
            "reported_by": ["news agency", "analyst", "old page", "news agency", "analyst", "CSTO", "analyst", "CSTO"],
            "source_id": ["seed_000", "seed_000", "seed_001", "seed_001", "seed_000", "seed_001", "seed_000", "seed_001"],
        }
    ).astype({"figure": "Int64", "figure_year": "Int64"})


def test_dotplot_has_one_dot_per_reported_size_grouped_by_force(collective):
    fig = forces.force_figures_dotplot(collective, highlight={"CRDF": 4000})
    ax = fig.axes[0]
    # battalions and police are other units, and a row without a figure has nothing to draw
    assert sorted(x for x, _ in _dots(ax)) == [1500, 4000, 5500, 18000, 20000]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["analyst, 2013", "CSTO, 2019", "news agency, 2006", "analyst, 2013", "old page, undated"]
    headers = [t.get_text() for t in ax.texts if t.get_fontweight() == "bold"]
    assert headers == ["Rapid reaction (CRRF, established 2009)", "Rapid deployment (CRDF, established 2001)"]
    # the analyst appears for two forces, so has a colour of its own; one-off reporters share grey
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["analyst", "reported once", "figure quoted by the article"]
    assert any(list(line.get_xdata()) == [4000, 4000] for line in ax.get_lines())
    assert fig._suptitle.get_text() == "No single size: reports of the CRDF range from 1,500 to 5,500"
    plt.close(fig)


def test_dotplot_without_figures_raises(collective):
    with pytest.raises(ValueError, match="no force has a reported figure"):
        forces.force_figures_dotplot(collective, kinds=("tanks",))


@pytest.fixture
def personnel():
    rows = []
    # Two sources for three states; the World Bank changes definition in 1995 (as in data/personnel.csv), and KGZ has
    # no COW figure in 2001, so that year has no complete COW share.
    for year in (1993, 1994, 1995, 2000, 2001):
        wb_series = "wb_excluding_paramilitary" if year < 1995 else "wb_including_paramilitary"
        rows += [
            ("RUS", year, 900_000, wb_series, "wb_personnel"),
            ("KAZ", year, 60_000, wb_series, "wb_personnel"),
            ("KGZ", year, 40_000, wb_series, "wb_personnel"),
            ("RUS", year, 800_000, "cow_military_personnel", "cow_nmc_6"),
            ("KAZ", year, 100_000, "cow_military_personnel", "cow_nmc_6"),
        ]
        if year != 2001:
            rows.append(("KGZ", year, 100_000, "cow_military_personnel", "cow_nmc_6"))
    frame = pd.DataFrame(rows, columns=["country", "year", "active_personnel", "series", "source_id"])
    return frame.astype({"year": "Int64", "active_personnel": "Int64"})


def test_russia_share_uses_only_complete_years(personnel):
    wb = forces.russia_share_of_personnel(personnel, "wb_personnel", members=("RUS", "KAZ", "KGZ"))
    assert wb.loc[1995] == pytest.approx(100 * 900_000 / 1_000_000)
    cow = forces.russia_share_of_personnel(personnel, "cow_nmc_6", members=("RUS", "KAZ", "KGZ"))
    assert list(cow.index) == [1993, 1994, 1995, 2000]
    assert cow.loc[2000] == pytest.approx(80.0)


def test_personnel_lines_break_each_line_where_the_definition_changes(personnel):
    fig = forces.personnel_lines(personnel, countries=("RUS", "KAZ", "KGZ"))
    ax = fig.axes[0]
    data_lines = [l for l in ax.get_lines() if l.get_xdata()[0] != l.get_xdata()[-1]]
    # per state: World Bank before 1995, World Bank from 1995, COW -> 9 lines
    assert len(data_lines) == 9
    assert sorted({tuple(l.get_xdata()) for l in data_lines if l.get_linestyle() == "-"}) == [(1993, 1994), (1995, 2000, 2001)]
    assert any(list(l.get_xdata()) == [forces.WB_DEFINITION_BREAK - 0.5] * 2 for l in ax.get_lines())
    assert ax.get_yscale() == "log"
    assert "World Development Indicators" in footer_of(fig) and "Correlates of War" in footer_of(fig)
    # Russia 900,000 against 100,000 for the two others together in 2001 (World Bank)
    assert fig._suptitle.get_text() == "In 2001, Russia had 9.0 times as many soldiers as the other 2 together (World Bank / IISS)"
    plt.close(fig)


def test_personnel_lines_filters_years_and_series(personnel):
    fig = forces.personnel_lines(personnel, countries=("KAZ",), years=(2000, 2001), series=("cow_nmc_6",), log=False)
    ax = fig.axes[0]
    lines = [l for l in ax.get_lines() if len(l.get_xdata()) >= 2 and l.get_xdata()[0] != l.get_xdata()[-1]]
    assert len(lines) == 1 and list(lines[0].get_xdata()) == [2000, 2001]
    assert ax.get_yscale() == "linear"
    assert "World Development" not in footer_of(fig)
    with pytest.raises(ValueError, match="no personnel figures"):
        forces.personnel_lines(personnel, countries=("TJK",))
    plt.close(fig)


def test_russia_share_figure_titles_latest_values(personnel):
    fig = forces.russia_share_figure(personnel, members=("RUS", "KAZ", "KGZ"))
    title = fig._suptitle.get_text()
    assert title == "Russia has most of the members' troops: 90% (WB/IISS, 2001), 80% (COW, 2000)"
    plt.close(fig)


@pytest.fixture
def bases():
    # The columns of data/russian_bases.csv that the figure reads.
    return pd.DataFrame(
        {
            "host": ["TJK", "KGZ", "BLR"],
            "facility": ["201st base", "Kant air base", "Radar"],
            "personnel": [7000, 700, pd.NA],
            "established": pd.to_datetime(["2004-01-01", "2003-10-01", "1996-06-07"]),
            "agreement_until": pd.to_datetime(["2042-01-01", "2032-01-01", None]),
            "source_id": ["seed_000", "seed_000", "seed_001"],
        }
    ).astype({"personnel": "Int64"})


def _dark_bars(ax):
    return [p for p in ax.patches if p.get_alpha() == pytest.approx(0.95)]


def test_bases_bars_run_to_agreement_end(bases):
    fig = forces.bases_agreement_bars(bases, as_of="2026-11-24")
    ax = fig.axes[0]
    dark = _dark_bars(ax)
    assert len(dark) == 2  # the facility with an undisclosed end gets a hollow marker, not a bar
    assert sorted(matplotlib.dates.num2date(p.get_x() + p.get_width()).year for p in dark) == [2032, 2042]
    assert {matplotlib.dates.num2date(p.get_x()).date().isoformat() for p in dark} == {"2026-11-24"}
    # the years already served are drawn lighter, from the opening date, for all three facilities
    light = [p for p in ax.patches if p not in dark]
    assert sorted(matplotlib.dates.num2date(p.get_x()).year for p in light) == [1996, 2003, 2004]
    texts = [t.get_text() for t in ax.texts]
    assert "to 2042, 15 years left · ~7,000 personnel" in texts and "  end of agreement not known" in texts
    assert fig._suptitle.get_text() == "Russia's agreements for 2 of 3 facilities in member states run until 2032–2042"
    plt.close(fig)


def test_bases_bars_accept_years_and_no_start_column(bases):
    as_years = bases.assign(agreement_until=[2042, 2032, pd.NA]).astype({"agreement_until": "Int64"})
    fig = forces.bases_agreement_bars(as_years, as_of="2026-11-24", start_column=None)
    assert len(fig.axes[0].patches) == 2  # no opening dates: only the years still to run
    plt.close(fig)


def test_exercises_by_year_stacks_hosts_fills_empty_years_and_marks_unconfirmed():
    exercises = pd.DataFrame(
        {
            "exercise_id": ["a", "b", "c", "d", "e"],
            "year": [2004, 2006, 2006, 2009, 2009],
            "name": ["A", "B", "C", "D", "E"],
            "host": ["KAZ;KGZ", "KAZ", "TJK", "KAZ", "KGZ"],
            "status": ["held", "held", "held", "held", "cancelled"],
            "source_id": ["seed_000"] * 5,
        }
    ).astype({"year": "Int64"})
    fig = forces.exercises_by_year(exercises)
    ax = fig.axes[0]
    heights, hatched = {}, {}
    for patch in ax.patches:
        year = round(patch.get_x() + patch.get_width() / 2)
        heights[year] = heights.get(year, 0) + patch.get_height()
        if patch.get_hatch():
            hatched[year] = hatched.get(year, 0) + patch.get_height()
    assert heights == {2004: 2, 2005: 0, 2006: 2, 2007: 0, 2008: 0, 2009: 2}
    assert hatched == {2004: 0, 2005: 0, 2006: 0, 2007: 0, 2008: 0, 2009: 1}
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "announced or cancelled"]
    assert fig._suptitle.get_text() == "5 exercises recorded, 2004–2009; most often hosted by Kazakhstan (3)"
    assert "gap in the record" in footer_of(fig)
    plt.close(fig)


def test_deployment_ranges_draws_low_to_high_per_contributor_and_the_total_apart():
    deployment = pd.DataFrame(
        {
            "contributor": ["ALL", "RUS", "ARM", "KGZ", "BLR"],
            "contributor_name": ["All contributors", "Russia", "Armenia", "Kyrgyzstan", "Belarus"],
            "personnel_low": [2000, pd.NA, 70, 150, pd.NA],
            "personnel_high": [2500, pd.NA, 100, 200, pd.NA],
            "early_estimate": [pd.NA, 3000, 70, pd.NA, 500],
            "source_id": ["seed_000", "seed_000", "seed_000", "seed_001", "seed_001"],
        }
    ).astype({"personnel_low": "Int64", "personnel_high": "Int64", "early_estimate": "Int64"})
    fig = forces.deployment_ranges(deployment)
    ax = fig.axes[0]
    ranges = sorted(tuple(l.get_xdata()) for l in ax.get_lines() if len(l.get_xdata()) == 2 and l.get_xdata()[0] != 0)
    assert ranges == [(70, 100), (150, 200), (2000, 2500)]
    # contributors by size, the ones never counted by their early estimate, and the total last
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Russia", "Belarus", "Kyrgyzstan", "Armenia", "All contributors"]
    texts = [t.get_text() for t in ax.texts]
    assert "early estimate 3,000; no later figure" in texts and "150–200" in texts
    colours = [matplotlib.colors.to_hex(l.get_color()) for l in ax.get_lines() if l.get_linewidth() == 9]
    assert colours == [colour_of("KGZ").lower(), colour_of("ARM").lower(), "#444444"]
    assert fig._suptitle.get_text() == "January 2022: 4 states, 2,000–2,500 troops in all; no later count for Russia or Belarus"
    plt.close(fig)


def test_dotplot_colours_by_source_when_the_table_names_no_reporter(collective):
    fig = forces.force_figures_dotplot(collective.drop(columns="reported_by"))
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["seed_000", "seed_001"]  # each source is cited for two of the figures drawn
    plt.close(fig)


def test_figures_draw_from_the_shipped_tables():
    """The figures of notebook 02 on the real tables: the columns they read exist, and the counts match the data."""
    from utils import data

    collective = data.load("collective_forces")
    fig = forces.force_figures_dotplot(collective)
    people = collective[collective["figure_kind"].isin(forces.PERSONNEL_KINDS)].dropna(subset=["figure"])
    assert len(_dots(fig.axes[0])) == len(people)
    plt.close(fig)
    personnel = data.load("personnel")
    share = forces.russia_share_of_personnel(personnel, "wb_personnel")
    assert not share.empty and share.between(50, 100).all()
    for make in (lambda: forces.personnel_lines(personnel), lambda: forces.russia_share_figure(personnel),
                 lambda: forces.bases_agreement_bars(data.load("russian_bases"), as_of="2026-11-24"),
                 lambda: forces.exercises_by_year(data.load("exercises")),
                 lambda: forces.deployment_ranges(data.load("deployment_2022"))):
        fig = make()
        assert fig._suptitle.get_text() and footer_of(fig).startswith(("Source", "The table"))
        plt.close(fig)
