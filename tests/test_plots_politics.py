"""Figures of notebook 06 (politics and partners): the data each figure aggregates, its marks, title and source."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

from utils import data, metrics
from utils.plots import politics

from helpers import footer_of

pytestmark = pytest.mark.usefixtures("close_figures")


# --------------------------------------------------------------------------------------------- memberships


@pytest.fixture
def memberships():
    rows = [
        # organisation, country, role, start, end
        ("CST", "ARM", "member", "1992-05-15", "2002-10-07"),
        ("CSTO", "ARM", "member", "2002-10-07", None),
        ("CSTO", "ARM", "participation_frozen", "2024-02-22", None),
        ("CST", "RUS", "member", "1992-05-15", "2002-10-07"),
        ("CSTO", "RUS", "member", "2002-10-07", None),
        ("CST", "UZB", "member", "1992-05-15", "1999-04-20"),
        ("EAEU", "RUS", "member", "2015-01-01", None),
        ("EAEU", "ARM", "member", "2015-01-02", None),
        ("SCO", "RUS", "member", "2001-06-15", None),
        ("SCO", "ARM", "dialogue_partner", "2015-07-10", None),
        ("SCO", "UZB", "member", "2001-06-15", None),
    ]
    frame = pd.DataFrame(rows, columns=["organisation", "country", "role", "start", "end"])
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    frame["source_id"] = "seed_001"
    return frame


def test_membership_grid_joins_the_treaty_and_the_organisation(memberships):
    grid = politics.membership_grid(memberships, politics.ALLIANCE, [1995, 2000, 2010, 2024], ["ARM", "RUS", "UZB"])
    assert grid.loc["ARM"].tolist() == ["member", "member", "member", "participation_frozen"]
    assert grid.loc["UZB"].tolist() == ["member", "none", "none", "none"]
    sco = politics.membership_grid(memberships, "SCO", [2000, 2016], ["ARM", "UZB"])
    assert sco.loc["ARM"].tolist() == ["none", "dialogue_partner"]
    assert sco.loc["UZB"].tolist() == ["none", "member"]


def test_in_all_needs_full_membership_everywhere(memberships):
    organisations = (politics.ALLIANCE, "EAEU", "SCO")
    assert politics.in_all(memberships, 2020, organisations, ["ARM", "RUS", "UZB"]) == ["RUS"]
    assert politics.in_all(memberships, 2010, organisations, ["ARM", "RUS", "UZB"]) == []  # no EAEU yet


def test_membership_overlap_has_a_panel_per_organisation_and_a_computed_title(memberships):
    fig = politics.membership_overlap(memberships, years=range(1992, 2025), organisations=(politics.ALLIANCE, "EAEU", "SCO"),
                                      countries=["ARM", "RUS", "UZB"])
    assert [ax.get_title() for ax in fig.axes] == [politics.ALLIANCE, "EAEU", "SCO"]
    image = fig.axes[0].images[0].get_array()
    assert image.shape == (3, 2024 - 1992 + 1)
    # One full alliance member at the end of 2024 (Armenia's participation is frozen) and it is in all three.
    assert fig._suptitle.get_text().startswith("End of 2024: 1 of the 1 states taking full part")
    legend = [t.get_text() for t in fig.axes[-1].get_legend().get_texts()]
    assert "participation frozen" in legend and "dialogue partner" in legend


# --------------------------------------------------------------------------------------------- arms


@pytest.fixture
def arms():
    rows = [
        # supplier, recipient, year, tiv
        ("RUS", "KAZ", 2000, 80.0),
        ("CHN", "KAZ", 2000, 20.0),
        ("RUS", "KGZ", 2001, 50.0),
        ("TUR", "KGZ", 2001, 50.0),
        ("RUS", "KAZ", 2003, 10.0),
        ("CHN", "UZB", 2003, 999.0),  # not a Central Asian member: must not count by default
    ]
    frame = pd.DataFrame(rows, columns=["supplier", "recipient", "year", "tiv"])
    frame["source_id"] = "sipri_at_2025"
    return frame


def test_pooled_shares_add_up_per_window_and_leave_empty_windows_blank(arms):
    shares = politics.pooled_supplier_shares(arms, window=1)
    assert list(shares.columns) == ["RUS", "CHN", politics.OTHERS]
    assert shares.loc[2000].tolist() == pytest.approx([80.0, 20.0, 0.0])
    assert shares.loc[2001].tolist() == pytest.approx([50.0, 0.0, 50.0])
    assert shares.loc[2002].isna().all()  # nothing delivered
    pooled = politics.pooled_supplier_shares(arms, window=2)
    assert pooled.index[0] == 2001  # first full window
    assert pooled.loc[2001, "RUS"] == pytest.approx(100 * 130 / 200)
    assert np.allclose(pooled.dropna().sum(axis=1), 100)


def test_pooled_share_of_one_recipient_matches_utils_metrics(arms):
    # Two implementations of the same measure must agree on a single recipient, window by window.
    mine = politics.pooled_supplier_shares(arms, ["KAZ"], ["RUS", "CHN"], window=3)
    for end in (2002, 2003):
        for supplier in ("RUS", "CHN"):
            expected = metrics.import_share("KAZ", supplier, end - 2, end, arms=arms)
            assert mine.loc[end, supplier] == pytest.approx(expected)


def test_pooled_share_on_the_committed_table_matches_utils_metrics():
    table = data.load("arms_transfers")
    mine = politics.pooled_supplier_shares(table, ["KAZ"], ["RUS", "CHN"], window=5)
    last = int(mine.dropna().index.max())
    for end in (2010, 2019, last):
        assert mine.loc[end, "RUS"] == pytest.approx(metrics.import_share("KAZ", "RUS", end - 4, end, arms=table))


def test_supplier_share_lines_draw_each_supplier_and_state_the_latest_window(arms):
    fig = politics.supplier_share_lines(arms, window=2, years=(2000, 2003))
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.get_lines()] == ["Russia", "China", politics.OTHERS]
    assert fig._suptitle.get_text() == (
        "Kazakhstan, Kyrgyzstan and Tajikistan, 2002–2003: Russia 100% of arms imports; China never above 10%"
    )
    assert "SIPRI Arms Transfers Database" in footer_of(fig)


# --------------------------------------------------------------------------------------------- bases and events


@pytest.fixture
def bases():
    return pd.DataFrame(
        {
            "facility": ["201st military base", "Kant air base", "Seismic laboratory"],
            "host": ["TJK", "KGZ", "KGZ"],
            "established": pd.to_datetime(["2004-01-01", "2003-10-01", None]),
            "agreement_until": pd.to_datetime(["2042-01-01", "2032-01-01", "2032-01-01"]),
            "source_id": ["seed_000"] * 3,
        }
    )


@pytest.fixture
def events():
    return pd.DataFrame(
        {
            "event_id": ["manas_opens", "bases_consent_rule", "manas_closes", "stmt_1", "stmt_2", "plan"],
            "date": pd.to_datetime(["2001-12-01", "2011-12-20", "2014-06-03", "2022-11-01", "2024-06-12", "2026-11-11"]),
            "category": ["bases", "summit", "bases", "statement", "statement", "statement"],
            "status": ["occurred"] * 5 + ["planned"],
            "countries": ["USA;KGZ", "ARM", "USA;KGZ", "ARM", "ARM", "ARM"],
            "source_id": ["seed_001"] * 6,
        }
    )


def test_foreign_facilities_add_manas_and_drop_undated_sites(bases, events):
    spans = politics.foreign_facilities(bases, events, as_of="2026-11-24")
    assert len(spans) == 3
    manas = spans[spans["user"] == "USA"].iloc[0]
    assert (manas["start"].year, manas["end"].year, manas["ongoing"]) == (2001, 2014, False)
    assert set(spans.loc[spans["user"] == "RUS", "agreed_until"].dt.year) == {2032, 2042}


def test_foreign_presence_draws_a_bar_per_facility_and_marks_the_consent_rule(bases, events):
    fig = politics.foreign_presence(bases, events, as_of="2026-11-24")
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_height() == pytest.approx(0.55)]
    assert len(bars) == 3
    assert any("Dec 2011" in t.get_text() for t in ax.texts)
    assert fig._suptitle.get_text() == "1 non-Russian base closed (2014); Russia's 2 dated facilities are agreed to 2032–2042"
    assert "Seismic laboratory" in footer_of(fig)  # the undated site is named, not silently dropped


def test_events_per_period_counts_occurred_events_and_drops_empty_tail(events):
    table = politics.events_per_period(events, categories=("bases", "statement"), period=5, first_year=2001)
    assert list(table.index) == ["2001–05", "2006–10", "2011–15", "2016–20", "2021–25"]
    assert table["bases"].tolist() == [1, 0, 1, 0, 0]
    assert table["statement"].tolist() == [0, 0, 0, 0, 2]  # the planned 2026 statement is not counted


def test_events_by_category_stacks_a_bar_per_period_and_category(events):
    fig = politics.events_by_category(events, categories=("bases", "statement"), period=5)
    table = politics.events_per_period(events, categories=("bases", "statement"), period=5)
    bars = fig.axes[0].patches
    assert len(bars) == table.size
    assert sum(b.get_height() for b in bars) == table.to_numpy().sum()
    assert "statement events peak in 2021–25" in fig._suptitle.get_text()
