"""Figures of notebook 05 (institutional lapses): the data each figure aggregates, its marks, title and source."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from matplotlib.collections import PatchCollection, PathCollection
from matplotlib.patches import Rectangle

from utils.plots import lapses

from helpers import footer_of

pytestmark = pytest.mark.usefixtures("close_figures")


@pytest.fixture
def requests():
    return pd.DataFrame(
        {
            "request_id": ["kgz_2010", "arm_2020", "kaz_2022", "arm_2022"],
            "date": pd.to_datetime(["2010-06-12", "2020-07-01", "2022-01-05", "2022-09-13"]),
            "date_precision": ["day", "month", "day", "day"],
            "requester": ["KGZ", "ARM", "KAZ", "ARM"],
            "situation": ["riots", "border clash", "unrest", "offensive"],
            "article_invoked": ["none", "none", "Art. 4 CST", "Art. 4 CST"],
            "formal_request": pd.array([True, False, True, True], dtype="boolean"),
            "outcome": ["declined", "no response", "deployed", "fact-finding only"],
            "source_id": ["seed_000", "seed_001", "seed_000", "seed_001"],
        }
    )


@pytest.fixture
def conflicts():
    # Three conflicts: an interstate one between two members (KGZ-TJK), Karabakh with Armenia as a secondary
    # party, and a war year on Russia's own soil.
    return pd.DataFrame(
        {
            "conflict_id": [13324, 13324, 388, 388, 401],
            "year": [2021, 2022, 2020, 2021, 1995],
            "location": ["Kyrgyzstan, Tajikistan", "Kyrgyzstan, Tajikistan", "Azerbaijan", "Azerbaijan", "Russia"],
            "intensity_level": [1, 1, 2, 1, 2],
            "type_of_conflict": [2, 2, 4, 4, 3],
            "countries": ["KGZ;TJK", "KGZ;TJK", "ARM;AZE", "ARM;AZE", "RUS"],
            "countries_primary": ["KGZ;TJK", "KGZ;TJK", "AZE", "AZE", "RUS"],
            "countries_secondary": [None, None, "ARM", "ARM", None],
            "source_id": ["ucdp_acd_25_1"] * 5,
        }
    ).astype({"countries_secondary": "string"})


@pytest.fixture
def memberships():
    return pd.DataFrame(
        {
            "organisation": ["CST", "CSTO", "CSTO", "CSTO", "CST"],
            "country": ["ARM", "ARM", "ARM", "KGZ", "AZE"],
            "role": ["member", "member", "participation_frozen", "member", "member"],
            "start": pd.to_datetime(["1992-05-15", "2002-10-07", "2024-02-22", "2002-10-07", "1993-09-24"]),
            "end": pd.to_datetime(["2002-10-07", None, None, None, "1999-04-20"]),
            "source_id": ["seed_000"] * 5,
        }
    )


def _markers(ax):
    return [c for c in ax.collections if isinstance(c, PathCollection)]


# --------------------------------------------------------------------------------------------- requests


def test_outcome_counts_follow_the_order_and_keep_zeros(requests):
    counts = lapses.outcome_counts(requests)
    assert list(counts.index) == list(lapses.OUTCOME_ORDER)
    assert counts["declined"] == 1 and counts["deployed"] == 1 and counts["material aid only"] == 0
    assert counts.sum() == len(requests)


def test_outcome_counts_can_drop_informal_appeals(requests):
    counts = lapses.outcome_counts(requests, formal_only=True)
    assert counts["no response"] == 0  # the informal 2020 appeal
    assert counts.sum() == 3


def test_requests_timeline_draws_one_marker_per_request_and_states_the_finding(requests):
    fig = lapses.requests_timeline(requests)
    ax = fig.axes[0]
    assert len(_markers(ax)) == len(requests)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Kyrgyzstan", "Armenia", "Kazakhstan"]
    assert fig._suptitle.get_text() == "1 of 4 requests for help, 2010–2022, brought CSTO troops"
    assert "Seed article" in footer_of(fig)  # two sources: listed in full
    # The informal appeal is hollow (white face); formal ones are filled.
    faces = [tuple(c.get_facecolor()[0][:3]) for c in _markers(ax)]
    assert faces.count((1.0, 1.0, 1.0)) == 1
    labels = [t.get_text() for t in ax.texts]
    assert "Jan 2022 · Art. 4" in labels and "Jul 2020" in labels


def test_outcome_bars_have_the_counted_lengths(requests):
    fig = lapses.outcome_bars(requests)
    widths = [p.get_width() for p in fig.axes[0].patches]
    assert widths == list(lapses.outcome_counts(requests).to_numpy())
    assert fig._suptitle.get_text().startswith("1 of 4 requests brought troops")


# --------------------------------------------------------------------------------------------- conflicts


def test_conflict_years_split_roles_and_flag_fighting_between_members(conflicts):
    rows = lapses.conflict_years(conflicts)
    assert len(rows) == 2 + 2 + 2 + 2 + 1  # KGZ and TJK twice each, AZE primary twice, ARM abroad twice, RUS once
    arm = rows[rows["state"] == "ARM"]
    assert set(arm["role"]) == {"abroad"}
    between = rows[rows["between_members"]]
    assert set(between["state"]) == {"KGZ", "TJK"} and set(between["year"]) == {2021, 2022}
    assert not rows.loc[rows["state"] == "AZE", "between_members"].any()


def test_conflict_years_filters_states_years_and_roles(conflicts):
    rows = lapses.conflict_years(conflicts, states=["ARM", "KGZ"], years=(2021, 2030), include_abroad=False)
    assert list(rows["state"]) == ["KGZ", "KGZ"]  # Armenia was only a secondary party
    assert list(rows["year"]) == [2021, 2022]


def test_alliance_years_count_a_year_when_the_state_was_in_on_1_july(memberships):
    years = lapses.alliance_years(memberships)
    assert ("ARM", 1992) in years and ("ARM", 2002) in years  # treaty from May 1992; CST then CSTO in 2002
    assert ("AZE", 1993) not in years  # signed in September 1993
    assert ("AZE", 1998) in years and ("AZE", 1999) not in years  # lapsed in April 1999


def test_in_alliance_reads_membership_spells(memberships):
    assert lapses.in_alliance(memberships, "ARM", 1995)  # treaty
    assert lapses.in_alliance(memberships, "ARM", 2024)  # the frozen spell does not end the membership spell
    assert lapses.in_alliance(memberships, "AZE", 1995)
    assert not lapses.in_alliance(memberships, "AZE", 2000)  # the treaty lapsed for Azerbaijan in 1999
    assert not lapses.in_alliance(memberships, "TJK", 2010)  # no spell at all


def test_conflicts_and_requests_draws_each_conflict_year_and_request(conflicts, requests, memberships):
    fig = lapses.conflicts_and_requests(conflicts, requests, memberships=memberships)
    ax = fig.axes[0]
    cells = [c for c in ax.collections if isinstance(c, PatchCollection)][0]
    assert len(cells.get_paths()) == len(lapses.conflict_years(conflicts))
    assert sum(width > 1.0 for width in cells.get_linewidths()) == 4  # outlined: KGZ and TJK, 2021 and 2022
    markers = [c for c in _markers(ax) if not isinstance(c, PatchCollection)]
    assert sum(len(m.get_offsets()) for m in markers) == len(requests)
    # In the alliance: KGZ 2021-22 and ARM 2020-21 (abroad); AZE's 2020-21 fighting came after it left the treaty.
    assert fig._suptitle.get_text() == (
        "1995–2022: 4 state-years in armed conflict while in the alliance (2 at home), 4 requests for help"
    )
    assert "UCDP/PRIO Armed Conflict Dataset" in footer_of(fig)


def test_the_most_serious_conflict_of_a_state_year_is_drawn_on_top(conflicts, requests):
    # Russia in 1995: a minor conflict abroad and a war at home in the same year; the war must be visible.
    extra = conflicts.iloc[[4]].assign(conflict_id=999, intensity_level=1, countries_primary="UKR",
                                       countries_secondary=pd.array(["RUS"], dtype="string"))
    both = pd.concat([extra, conflicts], ignore_index=True)  # the abroad row first in the table
    fig = lapses.conflicts_and_requests(both, requests, ["RUS"], (1995, 1995))
    cells = [c for c in fig.axes[0].collections if isinstance(c, PatchCollection)][0]
    top = matplotlib.colors.to_hex(cells.get_facecolors()[-1])
    assert top == lapses.CONFLICT_SHADES["war"].lower()


def test_conflicts_and_requests_respects_states_and_years(conflicts, requests, memberships):
    fig = lapses.conflicts_and_requests(conflicts, requests, ["ARM"], (2015, 2022), memberships)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Armenia"]
    assert sum(len(m.get_offsets()) for m in _markers(ax)) == 2  # Armenia's two requests
    cells = [c for c in ax.collections if isinstance(c, PatchCollection)][0]
    assert len(cells.get_paths()) == 2  # its two secondary-party years, 2020 and 2021
    assert ax.get_xlim() == (2015, 2023)


# --------------------------------------------------------------------------------------------- Armenia and 2022


@pytest.fixture
def events():
    return pd.DataFrame(
        {
            "event_id": ["a", "b", "c", "d", "e", "f"],
            "date": pd.to_datetime(["2019-01-01", "2022-09-13", "2022-11-23", "2023-11-23", "2024-02-22", "2026-11-11"]),
            "date_precision": ["day"] * 6,
            "category": ["statement", "request", "summit", "summit", "membership", "summit"],
            "title": ["Old statement", "Armenia invokes Article 4", "Yerevan summit", "Routine summit",
                      "Armenia freezes", "Planned summit"],
            "summary": ["", "", "", "Exercises discussed", "", "Armenia may attend"],
            "countries": ["ARM", "ARM;AZE", "ARM;BLR;KAZ;KGZ;RUS;TJK", "ARM;BLR;KAZ;KGZ;RUS;TJK", "ARM",
                          "ARM;BLR;KAZ;KGZ;RUS;TJK"],
            "status": ["occurred"] * 5 + ["planned"],
            "source_id": ["seed_000"] * 6,
        }
    )


def test_armenia_path_keeps_events_about_armenia_only(events):
    rows = lapses.armenia_path_events(events, since=2020)
    # "a" is too early, "d" is a summit not about Armenia, "f" is only planned.
    assert list(rows["event_id"]) == ["b", "c", "e"]


def test_armenia_path_figure_has_a_row_per_event(events):
    fig = lapses.armenia_path(events, since=2020)
    ax = fig.axes[0]
    # One marker per event (one scatter per category), each on its own row.
    rows = sorted(float(y) for c in ax.collections for _, y in c.get_offsets())
    assert rows == [0.0, 1.0, 2.0]
    assert len({c.get_paths()[0].vertices.tobytes() for c in ax.collections}) == len(ax.collections)  # own shapes
    assert any("Armenia freezes" in t.get_text() for t in ax.texts)
    assert fig._suptitle.get_text().startswith("Armenia and the CSTO since 2020: 3 events")


def test_deployment_bars_draw_reported_sizes_and_flag_missing_ones():
    deployment = pd.DataFrame(
        {
            "contributor": ["ALL", "RUS", "ARM", "TJK"],
            "personnel_low": pd.array([2000, None, 100, 150], dtype="Int64"),
            "personnel_high": pd.array([2500, None, 100, 200], dtype="Int64"),
            "early_estimate": pd.array([None, 3000, 70, 200], dtype="Int64"),
            "unit_reported": pd.array([None, "airborne units", None, None], dtype="string"),
            "source_id": ["seed_000", "seed_000", "seed_001", "seed_001"],
        }
    )
    fig = lapses.deployment_bars(deployment)
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_height() == pytest.approx(0.8)]
    assert sorted(b.get_width() for b in bars) == [100, 200]
    assert fig._suptitle.get_text() == "Tajikistan and Armenia: 300 of the 2,000–2,500 troops; Russia: no figure reported"
    assert any("early estimate 3,000" in t.get_text() for t in ax.texts)
    assert any("150–200" == t.get_text() for t in ax.texts)
