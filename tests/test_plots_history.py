"""utils.read.plots.history: the membership Gantt chart and the status of each state on a date (synthetic tables)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from utils.read.plots import colour_of, history

from helpers import footer_of, title_of

pytestmark = pytest.mark.usefixtures("close_figures")


def _ts(text):
    return pd.Timestamp(text) if text else pd.NaT


@pytest.fixture
def memberships():
    rows = [
        # organisation, country, member_name, role, start, end, disputed, source_id
        ("CST", "RUS", "Russia", "member", "1992-05-15", "", False, "wiki_cst_2006"),
        ("CST", "UZB", "Uzbekistan", "member", "1992-05-15", "1999-04-20", False, "wiki_cst_2006"),
        ("CST", "GEO", "Georgia", "member", "1993-09-09", "1999-04-20", True, "wiki_cst_2006"),
        ("CST", "GEO", "Georgia", "member", "1993-12-09", "1999-04-20", True, "wiki_cst_2006"),
        ("CSTO", "RUS", "Russia", "member", "2002-10-07", "", False, "csto_site_history"),
        ("CSTO", "ARM", "Armenia", "member", "2002-10-07", "", False, "csto_site_history"),
        ("CSTO", "ARM", "Armenia", "participation_frozen", "2024-02-22", "", False, "csto_site_history"),
        ("CSTO", "UZB", "Uzbekistan", "member", "2006-06-23", "2012-12-19", False, "csto_site_history"),
        ("CSTO", "UZB", "Uzbekistan", "suspended", "2012-12-19", "", False, "csto_site_history"),
        ("CSTO-PA", "XUS", "Parliamentary Assembly of the Union State of Belarus and Russia", "observer",
         "2013-01-01", "", False, "csto_site_history"),
        ("SCO", "RUS", "Russia", "member", "2001-06-15", "", False, "csto_site_history"),
    ]
    frame = pd.DataFrame(rows, columns=["organisation", "country", "member_name", "role", "start", "end", "disputed",
                                        "source_id"])
    frame["start"] = frame["start"].map(_ts)
    frame["end"] = frame["end"].map(_ts)
    return frame


def test_gantt_draws_one_bar_per_spell_in_the_state_colour_and_ends_running_spells_with_an_arrow(memberships):
    spells = memberships[memberships["organisation"].isin(["CST", "CSTO"])]
    fig = history.draw_membership_gantt(spells, "A finding", organisations=("CST", "CSTO"), as_of="2026-11-01")
    ax = fig.axes[0]
    bars = [p for p in ax.patches if p.get_height() == pytest.approx(0.7)]
    assert len(bars) == len(spells)
    assert {matplotlib.colors.to_hex(b.get_facecolor()[:3]) for b in bars} == \
        {colour_of(c).lower() for c in spells["country"]}
    arrows = [a for a in ax.texts if getattr(a, "arrow_patch", None) is not None]
    assert len(arrows) == spells["end"].isna().sum()
    assert title_of(fig) == "A finding"
    assert "Sources disagree" in footer_of(fig)  # Georgia's two versions are starred and explained


def test_gantt_wraps_long_names_instead_of_cutting_them(memberships):
    fig = history.draw_membership_gantt(memberships, "A finding", as_of="2026-11-01")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assembly = next(label for label in labels if label.startswith("CSTO-PA"))
    assert "…" not in assembly and "Union State of Belarus and Russia" in " ".join(assembly.split())
    assert max(len(line.strip()) for label in labels for line in label.split("\n")) <= history.LABEL_WIDTH + 10
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "member, frozen" in legend and "observer" in legend


def test_gantt_rejects_an_empty_selection(memberships):
    with pytest.raises(ValueError, match="no spells"):
        history.draw_membership_gantt(memberships, "t", organisations=("EAEU",))
    plt.close("all")
