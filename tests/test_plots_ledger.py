"""Tests for utils.plots.ledger: the numbers behind the ledger figures, on a small synthetic ledger."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from utils.plots import ledger


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def claims() -> pd.DataFrame:
    rows = [
        ("000-01", "seed_000", "force", "holds", "seed_000;sipri_milex_2026"),
        ("000-02", "seed_000", "force", "holds", "sipri_milex_2026"),
        ("000-03", "seed_000", "history", "outdated", "wb_gdp"),
        ("000-04", "seed_000", "history", "wrong", "seed_000"),
        ("000-05", "seed_000", "arms", "holds with caveat", "sipri_at_2025"),
        ("001-01", "seed_001", "history", "outdated", "seed_001;wb_gdp"),
        ("001-02", "seed_001", "force", "interpretive", "seed_001"),
        ("001-03", "seed_001", "history", "unverifiable", "seed_001"),
    ]
    frame = pd.DataFrame(rows, columns=["claim_id", "seed", "topic", "verdict", "source_id"])
    frame["claim"] = "A <claim> & more"
    frame["evidence"] = "Evidence text"
    frame["stated_value"] = ["95%", "", "", "", "", "", "", ""]
    return frame.astype("string")


@pytest.fixture
def sources() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_id": ["seed_000", "seed_001", "sipri_milex_2026", "sipri_at_2025", "wb_gdp"],
            "kind": ["seed article", "seed article", "official dataset", "official dataset", "official dataset"],
        }
    )


def test_verdict_counts_by_seed(claims):
    counts = ledger.verdict_counts(claims, "seed")
    assert list(counts.columns) == list(ledger.VERDICTS)
    assert counts.loc["seed_000", "holds"] == 2
    assert counts.loc["seed_001", "outdated"] == 1
    assert counts.loc["seed_001", "wrong"] == 0
    assert counts.to_numpy().sum() == len(claims)
    assert list(counts.index) == ["seed_000", "seed_001"]  # largest first


def test_verdict_counts_rejects_unknown_column(claims):
    with pytest.raises(KeyError, match="no column 'nope'"):
        ledger.verdict_counts(claims, "nope")


def test_plot_verdicts_draws_one_segment_per_row_and_present_verdict(claims):
    fig = ledger.plot_verdicts(claims, by="topic", title="Most history claims failed", source_ids=("sipri_milex_2026",))
    ax = fig.axes[0]
    present = claims["verdict"].nunique()
    assert len(ax.patches) == claims["topic"].nunique() * present
    assert fig._suptitle.get_text() == "Most history claims failed"
    assert any("SIPRI Military Expenditure Database 2026" in t.get_text() for t in fig.texts)
    widths = sum(p.get_width() for p in ax.patches)
    assert widths == len(claims)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [v for v in ledger.VERDICTS if v in set(claims["verdict"])]


def test_plot_verdicts_relabels_rows_and_adds_the_note(claims):
    fig = ledger.plot_verdicts(claims, by="seed", labels={"seed_000": "Article of 2020-21"}, note="Ledger note")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "Article of 2020-21" in labels and "seed_001" in labels
    assert "Ledger note" in [t.get_text() for t in fig.texts]


def test_stated_vs_computed_in_percent():
    checks = pd.DataFrame(
        {
            "claim_id": ["a", "b", "c", "yes-no"],
            "stated": [95.0, 65.0, 20.0, np.nan],
            "computed": [93.9, 62.0, np.nan, 3.0],
            "tolerance": [1.0, 1.0, 1.0, np.nan],
            "unit": ["% of spending", "% of imports", "% of imports", "count"],
        }
    )
    scenarios = pd.DataFrame({"claim_id": ["a", "a", "b"], "value": [95.4, 93.9, 66.7]})
    fig = ledger.plot_stated_vs_computed(checks, scenarios, source_ids=("sipri_milex_2026",))
    ax = fig.axes[0]
    dots = [line for line in ax.lines if line.get_marker() == "o"]
    assert len(dots) == 3  # the yes/no claim has no stated value or tolerance: left out
    by_x = {round(float(line.get_xdata()[0]), 2): line for line in dots}
    assert set(by_x) == {93.9, 62.0, 20.0}  # percent scale, not relative
    assert by_x[93.9].get_color() == ledger.VERDICT_COLOURS["wrong"]  # 1.1 points off, 1 allowed
    assert by_x[20.0].get_markerfacecolor() == "white"  # not computable: drawn at the stated value
    assert len(ax.collections) == 3 + 2  # one band per claim, one scenario scatter for a and b
    scattered = [c for c in ax.collections if len(c.get_offsets()) and c.get_facecolor().size == 0]
    assert sorted(float(x) for c in scattered for x, _ in c.get_offsets()) == [66.7, 93.9, 95.4]
    assert any("stated 95%, computed 93.9%" in t.get_text() for t in ax.texts)
    assert "Per cent" in ax.get_xlabel()


def test_stated_vs_computed_relative_for_mixed_units():
    checks = pd.DataFrame(
        {"claim_id": ["a", "b"], "stated": [95.0, 4000.0], "computed": [95.5, 5000.0],
         "tolerance": [1.0, 500.0], "unit": ["%", "troops"]}
    )
    fig = ledger.plot_stated_vs_computed(checks)
    ax = fig.axes[0]
    xs = sorted(round(float(line.get_xdata()[0]), 3) for line in ax.lines if line.get_marker() == "o")
    assert xs == [round(0.5 / 95 * 100, 3), 25.0]
    colours = {round(float(l.get_xdata()[0]), 3): l.get_color() for l in ax.lines if l.get_marker() == "o"}
    assert colours[25.0] == ledger.VERDICT_COLOURS["wrong"]  # 25% off, 12.5% allowed
    assert "% of the stated value" in ax.get_xlabel()


def test_stated_vs_computed_needs_its_columns():
    with pytest.raises(KeyError, match="tolerance"):
        ledger.plot_stated_vs_computed(pd.DataFrame({"claim_id": ["a"], "stated": [1.0], "computed": [1.0]}))
    with pytest.raises(ValueError, match="no claim"):
        ledger.plot_stated_vs_computed(
            pd.DataFrame({"claim_id": ["a"], "stated": [np.nan], "computed": [1.0], "tolerance": [np.nan]})
        )


def test_source_kind_counts(claims, sources):
    counts = ledger.source_kind_counts(claims, sources)
    assert counts.loc["official dataset", "sources"] == 3
    # claims citing an official dataset: 000-01, 000-02, 000-03, 000-05, 001-01
    assert counts.loc["official dataset", "claims"] == 5
    assert counts.loc["seed article", "sources"] == 2
    assert counts.loc["seed article", "claims"] == 5


def test_source_kind_counts_marks_unknown_ids(claims, sources):
    counts = ledger.source_kind_counts(claims.assign(source_id="nowhere"), sources)
    assert list(counts.index) == ["unknown"]


def test_plot_source_kinds_has_two_panels_of_bars(claims, sources):
    fig = ledger.plot_source_kinds(claims, sources)
    assert len(fig.axes) == 2
    assert [p.get_width() for p in fig.axes[1].patches] == [5, 5]
    assert "Kinds of source" in fig._suptitle.get_text()


def test_filter_ledger(claims):
    assert len(ledger.filter_ledger(claims)) == len(claims)
    assert set(ledger.filter_ledger(claims, seed="seed_001")["claim_id"]) == {"001-01", "001-02", "001-03"}
    assert list(ledger.filter_ledger(claims, seed="seed_000", topic="history", verdict="wrong")["claim_id"]) == ["000-04"]
    assert ledger.filter_ledger(claims, verdict="no such verdict").empty


def test_plot_filtered_verdicts_counts_and_title(claims):
    fig = ledger.plot_filtered_verdicts(claims, topic="history")
    widths = {label.get_text(): p.get_width() for label, p in zip(fig.axes[0].get_yticklabels(), fig.axes[0].patches)}
    assert widths["outdated"] == 2 and widths["wrong"] == 1 and widths["holds"] == 0
    assert len(fig.axes[0].patches) == len(ledger.VERDICTS)
    assert fig._suptitle.get_text().startswith("4 of 8 claims match (topic = history)")


def test_ledger_html_escapes_and_groups(claims):
    text = ledger.ledger_html(claims, group_by=("seed", "topic"))
    assert "&lt;claim&gt; &amp; more" in text and "<claim>" not in text
    assert text.count("<table>") == claims.groupby(["seed", "topic"]).ngroups
    assert "seed: seed_000 · topic: history (2 claims)" in text
    assert text.count("<tr>") == len(claims) + text.count("<table>")  # one header row per table
    assert ledger.VERDICT_COLOURS["outdated"] in text
    assert "seed_000; sipri_milex_2026" in text


def test_ledger_html_empty():
    empty = pd.DataFrame(columns=["claim_id", "verdict"])
    assert "No claim matches" in ledger.ledger_html(empty)
