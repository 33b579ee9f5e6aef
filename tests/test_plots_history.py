"""Unit tests for utils.plots.history on small synthetic tables (the data each figure draws, not its pixels)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.collections import PathCollection

from utils.plots import history
from utils.plots import colour_of

from helpers import footer_of


def _ts(text):
    return pd.Timestamp(text) if text else pd.NaT


@pytest.fixture
def memberships():
    rows = [
        # organisation, country, role, start, end, source_id
        ("CST", "RUS", "member", "1992-05-15", "", "seed_000"),
        ("CST", "ARM", "member", "1992-05-15", "", "seed_000"),
        ("CST", "UZB", "member", "1992-05-15", "1999-04-20", "seed_000"),
        ("CST", "AZE", "member", "1993-09-24", "1999-04-20", "seed_000"),
        ("CSTO", "RUS", "member", "2002-10-07", "", "seed_001"),
        ("CSTO", "ARM", "member", "2002-10-07", "", "seed_001"),
        ("CSTO", "ARM", "participation_frozen", "2024-02-23", "", "seed_001"),
        ("CSTO", "UZB", "member", "2006-08-16", "2012-12-19", "seed_001"),
        ("CSTO", "UZB", "suspended", "2012-12-19", "", "seed_001"),
        ("EAEU", "RUS", "member", "2015-01-01", "", "seed_001"),
        ("EAEU", "ARM", "member", "2015-01-02", "", "seed_001"),
        ("SCO", "RUS", "member", "2001-06-15", "", "seed_001"),
        ("SCO", "UZB", "member", "2001-06-15", "", "seed_001"),
        ("CSTO-PA", "SRB", "observer", "2013-01-01", "", "seed_000"),
    ]
    frame = pd.DataFrame(rows, columns=["organisation", "country", "role", "start", "end", "source_id"])
    frame["start"] = frame["start"].map(_ts)
    frame["end"] = frame["end"].map(_ts)
    return frame


@pytest.fixture
def events():
    rows = [
        ("1992-05-15", "day", "treaty", "Treaty signed in Tashkent", "ARM;KAZ;KGZ;RUS;TJK;UZB", "seed_000"),
        ("1999-04-02", "day", "membership", "Six renew the treaty", "ARM;BLR;KAZ;KGZ;RUS;TJK", "seed_000"),
        ("2002-10-07", "day", "treaty", "Charter signed", "ARM;BLR;KAZ;KGZ;RUS;TJK", "seed_001"),
        ("2012-12-01", "month", "membership", "Uzbekistan suspended", "UZB", "seed_001"),
        ("2022-01-06", "day", "deployment", "Forces sent to Kazakhstan", "KAZ;RUS;ARM", "seed_001"),
        ("2024-01-01", "year", "membership", "Armenia freezes participation", "ARM", "seed_000"),
    ]
    frame = pd.DataFrame(rows, columns=["date", "date_precision", "category", "title", "countries", "source_id"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


@pytest.fixture
def secretaries():
    frame = pd.DataFrame(
        [
            ("A. First", "RUS", "2003-04-28", "2016-12-31", False, "seed_001"),
            ("B. Acting", "RUS", "2017-01-01", "2017-05-01", True, "seed_001"),
            ("C. Second", "ARM", "2017-05-02", "2018-11-02", False, "seed_001"),
            ("D. Current", "KGZ", "2026-01-01", "", False, "seed_000"),
        ],
        columns=["name", "country", "start", "end", "acting", "source_id"],
    )
    frame["start"] = frame["start"].map(_ts)
    frame["end"] = frame["end"].map(_ts)
    frame["acting"] = frame["acting"].astype("boolean")
    return frame


def test_status_on_picks_the_latest_spell_and_respects_end_dates(memberships):
    table = history.status_on(memberships, "2025-06-30", ["CST", "CSTO"], ["ARM", "UZB", "AZE"])
    assert table.loc["ARM", "CSTO"] == "participation_frozen"  # the 2024 freeze overrides the 2002 membership
    assert table.loc["UZB", "CSTO"] == "suspended"
    assert table.loc["AZE", "CST"] == "none"  # left in 1999
    assert table.loc["ARM", "CST"] == "member"
    early = history.status_on(memberships, "2010-01-01", ["CSTO"], ["UZB", "ARM"])
    assert early.loc["UZB", "CSTO"] == "member"
    assert early.loc["ARM", "CSTO"] == "member"


def test_members_at_year_end_counts_from_spells(memberships):
    counts = history.members_at_year_end(memberships, "CST", [1992, 1993, 1999])
    assert counts.to_dict() == {1992: 3, 1993: 4, 1999: 2}
    # formal membership by default; only full participation on request
    assert history.members_at_year_end(memberships, "CSTO", [2025]).loc[2025] == 2
    assert history.members_at_year_end(memberships, "CSTO", [2025], roles=("member",)).loc[2025] == 1


def test_role_styles_and_labels():
    assert history.role_style("member")["hatch"] is None
    assert history.role_style("participation_frozen") == history.ROLE_STYLES["frozen"]
    assert history.role_style("participation_suspended") == history.ROLE_STYLES["suspend"]
    assert history.role_style("something new")["hatch"]  # unknown roles are still set apart from members
    assert history.role_label("participation_frozen") == "member, frozen"
    assert history.role_label("dialogue_partner") == "dialogue partner"


def test_membership_gantt_draws_one_bar_per_spell_coloured_by_country(memberships):
    fig = history.membership_gantt(memberships, organisations=("CST", "CSTO"), as_of="2026-11-24")
    ax = fig.axes[0]
    spells = memberships[memberships["organisation"].isin(["CST", "CSTO"])]
    bars = [p for p in ax.patches if p.get_height() == pytest.approx(0.7)]
    assert len(bars) == len(spells)
    colours = {matplotlib.colors.to_hex(b.get_facecolor()[:3]) for b in bars}
    assert colours == {colour_of(c).lower() for c in spells["country"]}
    # one row per organisation x country, labelled with both
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == spells.groupby(["organisation", "country"]).ngroups
    assert "CSTO  Uzbekistan" in labels
    # the roles are shown in a legend, in readers' words, and the frozen and suspended spells are hatched
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert set(legend) == {"member", "member, frozen", "suspended"}
    assert sum(bool(b.get_hatch()) for b in bars) == 2
    # the title states the finding: who ever belonged, who belongs now, and who only on paper
    assert fig._suptitle.get_text() == (
        "4 states have belonged to the treaty or the CSTO; 2 are members in 2026, 1 of them only on paper"
    )
    assert footer_of(fig).startswith("Sources: ") and footer_of(fig).count("Seed article on the CSTO") == 2
    plt.close(fig)


def test_membership_gantt_rejects_an_empty_selection(memberships):
    with pytest.raises(ValueError, match="no membership spells"):
        history.membership_gantt(memberships, organisations=("NATO",))


def test_overlap_matrix_names_roles_and_counts_overlap_in_title(memberships):
    fig = history.overlap_matrix(memberships, 2020, organisations=("CSTO", "EAEU", "SCO"), countries=("ARM", "RUS", "UZB"))
    ax = fig.axes[0]
    cell_text = [t.get_text() for t in ax.texts]
    # ARM: CSTO + EAEU; RUS: all three; UZB: CSTO suspended + SCO  -> 7 non-empty cells
    assert sorted(cell_text) == ["member"] * 6 + ["suspended"]
    assert fig._suptitle.get_text() == "2020: 1 of 2 CSTO members also belong to all of EAEU and SCO"
    assert "31 December 2020" in ax.get_xlabel()
    plt.close(fig)
    # for the current year the grid shows the roles on the reference date, not at a year end still to come
    fig = history.overlap_matrix(memberships, 2024, organisations=("CSTO",), countries=("ARM",), as_of="2024-01-31")
    assert [t.get_text() for t in fig.axes[0].texts] == ["member"]
    assert "31 January 2024" in fig.axes[0].get_xlabel()
    plt.close(fig)


def test_overlap_counts_combines_treaty_and_organisation(memberships):
    counts = history.overlap_counts(memberships, [1995, 2016, 2025], others=("EAEU", "SCO"))
    assert counts.loc[1995, "alliance"] == 4  # CST: RUS, ARM, UZB, AZE
    assert pd.isna(counts.loc[1995, "EAEU"])  # the EAEU did not exist yet
    assert counts.loc[2016, "alliance"] == 2  # RUS, ARM (CST spells continue) ; UZB suspended
    assert counts.loc[2016, "EAEU"] == 2
    assert counts.loc[2016, "SCO"] == 1  # UZB is in the SCO but no longer an alliance member
    assert counts.loc[2025, "alliance"] == 2  # Armenia's frozen participation leaves it a formal member
    fig = history.overlap_counts_figure(memberships, range(1992, 2026), others=("EAEU", "SCO"))
    assert len(fig.axes[0].get_lines()) == 3
    plt.close(fig)


def test_filter_events_by_category_country_and_years(events):
    assert len(history.filter_events(events, category="membership")) == 3
    assert list(history.filter_events(events, country="UZB")["title"]) == ["Treaty signed in Tashkent", "Uzbekistan suspended"]
    assert len(history.filter_events(events, years=(1999, 2012))) == 3
    assert len(history.filter_events(events, "membership", "ARM", (2000, 2026))) == 1


def test_event_timeline_titles_each_event_when_few(events):
    fig = history.event_timeline(events, years=(1990, 2026))
    ax = fig.axes[0]
    dots = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert sum(len(c.get_offsets()) for c in dots) == len(events)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0].startswith("1992-05-15") and "Tashkent" in labels[0]
    assert labels[3].startswith("2012-12 ")  # month precision shown as such
    assert labels[5].startswith("2024 ")
    assert fig._suptitle.get_text() == "6 events, 1992–2024"  # no year has two events
    plt.close(fig)


def test_event_timeline_switches_to_category_lanes_when_many(events):
    fig = history.event_timeline(events, max_titles=3)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["deployment (1)", "membership (3)", "treaty (2)"]
    assert fig._suptitle.get_text().startswith("6 events, 1992–2024")
    assert any("too many to title" in t.get_text() for t in fig.texts)
    plt.close(fig)


def test_event_timeline_with_no_match_says_so(events):
    fig = history.event_timeline(events, category="summit")
    assert "No events match" in fig._suptitle.get_text()
    plt.close(fig)


def test_secretaries_general_bars(secretaries):
    fig = history.secretaries_general_bars(secretaries, as_of="2026-11-24")
    ax = fig.axes[0]
    bars = ax.patches
    assert len(bars) == len(secretaries)
    assert [b.get_hatch() for b in bars] == [None, "///", None, None]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[1] == "B. Acting (Russia), acting"
    assert fig._suptitle.get_text() == (
        "First served 14 years; the one appointed successor who has left served 1.5 years"
    )
    assert ax.texts[-1].get_text().endswith("y so far")
    plt.close(fig)


def test_many_sources_are_summarised_not_listed(events):
    many = events.assign(source_id=["seed_000", "seed_001", "wb_gdp", "wb_population", "cow_nmc_6", "seed_000"])
    fig = history.event_timeline(many)
    assert "5 sources, cited row by row in the table 'events'" in footer_of(fig)
    plt.close(fig)


def test_summit_months_counts_only_month_precise_summits():
    events = pd.DataFrame(
        {
            "date": pd.to_datetime(["2018-11-08", "2019-11-28", "2022-05-16", "2010-01-01", "2023-11-23"]),
            "date_precision": ["day", "day", "day", "year", "month"],
            "category": ["summit", "summit", "summit", "summit", "summit"],
            "title": list("abcde"),
            "countries": ["RUS"] * 5,
            "source_id": ["seed_000"] * 5,
        }
    )
    fig = history.summit_months(events)
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert heights == [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 3, 0]  # the year-only summit has no month
    assert fig._suptitle.get_text() == "3 of 4 summits met in October–December, 0 in January–March"
    plt.close(fig)
    with pytest.raises(ValueError):
        history.summit_months(events, category="crisis")


def test_state_names_fall_back_to_the_tables_own_name(memberships):
    extra = pd.DataFrame({"organisation": ["CSTO-PA"], "country": ["XUS"], "member_name": ["Union State assembly"],
                          "role": ["observer"], "start": [pd.Timestamp("2013-01-01")], "end": [pd.NaT],
                          "source_id": ["seed_000"]})
    names = history.state_names(pd.concat([memberships.assign(member_name="ignored"), extra]))
    assert names["ARM"] == "Armenia" and names["XUS"] == "Union State assembly"
    fig = history.membership_gantt(pd.concat([memberships, extra]), organisations=("CSTO-PA",), as_of="2026-11-24")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["CSTO-PA  Serbia", "CSTO-PA  Union State assembly"]
    plt.close(fig)


def test_figures_draw_from_the_shipped_tables():
    """The figures of notebook 01 on the real tables: the columns they read exist, and the counts match the data."""
    from utils import data

    memberships, events = data.load("memberships"), data.load("events")
    as_of = pd.Timestamp(data.describe("memberships").provenance["retrieved"])
    fig = history.membership_gantt(memberships, as_of=as_of)
    shown = memberships[memberships["organisation"].isin(["CST", "CSTO", "CSTO-PA"])]
    assert len(fig.axes[0].get_yticklabels()) == shown.groupby(["organisation", "country"]).ngroups
    plt.close(fig)
    fig = history.event_timeline(events)
    assert sum(len(c.get_offsets()) for c in fig.axes[0].collections) == len(events)
    plt.close(fig)
    fig = history.secretaries_general_bars(data.load("secretaries_general"), as_of=as_of)
    assert len(fig.axes[0].patches) == len(data.load("secretaries_general"))
    plt.close(fig)
    counts = history.overlap_counts(memberships, range(1992, as_of.year + 1), as_of=as_of)
    assert (counts["SCO"].dropna() <= counts.loc[counts["SCO"].notna(), "alliance"]).all()
    plt.close("all")
