"""Tests for the ledger explorer: controls bounded by the data, and each control redraws with its new value."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from helpers import record_draws

from utils.plots import ledger as ledger_plots
from utils.widgets import ledger


@pytest.fixture
def claims() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "claim_id": ["a1", "a2", "a3", "b1", "b2"],
            "seed": ["seed_000", "seed_000", "seed_000", "seed_001", "seed_001"],
            "topic": ["force", "history", "history", "force", "arms"],
            "verdict": ["holds", "outdated", "wrong", "outdated", "interpretive"],
            "claim": ["c"] * 5,
            "evidence": ["e"] * 5,
            "source_id": ["seed_000"] * 5,
        }
    ).astype("string")



def test_controls_list_only_values_present(claims):
    view = ledger.ledger_explorer(claims)
    assert list(view.controls) == ["seed", "topic", "verdict"]
    assert view.controls["seed"].options == (ledger_plots.ALL, "seed_000", "seed_001")
    assert view.controls["topic"].options == (ledger_plots.ALL, "arms", "force", "history")
    # verdicts in the ledger's reading order, not alphabetical
    assert view.controls["verdict"].options == (ledger_plots.ALL, "holds", "outdated", "wrong", "interpretive")


@pytest.mark.parametrize(
    "control, value, expected_ids",
    [("seed", "seed_001", {"b1", "b2"}), ("topic", "history", {"a2", "a3"}), ("verdict", "outdated", {"a2", "b1"})],
)
def test_each_control_redraws_with_its_value(claims, control, value, expected_ids):
    view = ledger.ledger_explorer(claims)
    calls = record_draws(view)
    view.controls[control].value = value
    assert len(calls) == 1
    values, (figure, table) = calls[0]
    assert values[control] == value
    assert figure._suptitle.get_text().startswith(f"{len(expected_ids)} of 5 claims match")
    shown = {cid for cid in claims["claim_id"] if f">{cid}<" in table.data}
    assert shown == expected_ids


def test_filters_combine_and_empty_result_says_so(claims):
    view = ledger.ledger_explorer(claims)
    calls = record_draws(view)
    view.controls["seed"].value = "seed_001"
    view.controls["topic"].value = "history"
    _, (figure, table) = calls[-1]
    assert figure._suptitle.get_text().startswith("0 of 5 claims match")
    assert "No claim matches" in table.data

