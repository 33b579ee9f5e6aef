"""Tests for utils.read.metrics: exact arithmetic on small synthetic tables, then known figures on the shipped data."""

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from utils.read import metrics

MEMBERS = ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK")
NEW = "SIPRI Military Expenditure Database 2026"
OLD = "SIPRI Military Expenditure Database 2024"


# --------------------------------------------------------------------------------------------- synthetic tables


def milex_frame() -> pd.DataFrame:
    """Two releases. In 2020 Russia is exactly 90 % of the six (new release) and 95 % (old release);
    in 2021 the new release lacks Tajikistan, so that year is incomplete."""
    spend = {
        (NEW, 2020): {"RUS": 90, "ARM": 2, "BLR": 2, "KAZ": 3, "KGZ": 2, "TJK": 1},
        (NEW, 2021): {"RUS": 80, "ARM": 5, "BLR": 5, "KAZ": 5, "KGZ": 5, "TJK": None},
        (OLD, 2020): {"RUS": 95, "ARM": 1, "BLR": 1, "KAZ": 1, "KGZ": 1, "TJK": 1},
    }
    rows = []
    for (edition, year), values in spend.items():
        release, base = (2026, 2024) if edition == NEW else (2024, 2022)
        for code, value in values.items():
            rows.append({"iso3": code, "year": year, "measure": f"constant_usd_{base}", "value": value,
                         "edition": edition, "release": release, "status": "reported" if value else "no_data"})
            # A current-dollar series in the new release only, with Russia at 3/4 of the total.
            if edition == NEW and year == 2020:
                rows.append({"iso3": code, "year": year, "measure": "current_usd", "value": 15 if code == "RUS" else 1,
                             "edition": edition, "release": release, "status": "reported"})
    return pd.DataFrame(rows).astype({"value": float})


def arms_frame() -> pd.DataFrame:
    """Deliveries to Armenia (ARM) and Kazakhstan (KAZ) with round numbers; suppliers as codes or names."""
    rows = [
        # recipient, supplier, year, tiv, method
        ("ARM", "RUS", 2015, 10.0, "exact_annual_export"),
        ("ARM", "RUS", 2016, 30.0, "exact_annual_export"),
        ("ARM", "JOR", 2016, 10.0, "exact_annual_export"),
        ("ARM", "IND", 2017, 50.0, "exact_annual_export"),
        ("ARM", "Russia", 2018, 0.0, "exact_annual_export"),  # a zero row: counts for nothing
        ("KAZ", "Russia", 2016, 75.0, "exact_annual_export"),
        ("KAZ", "unknown supplier(s)", 2016, 25.0, "exact_annual_export"),
        ("KAZ", "ESP", 2019, 20.0, "equal_split_of_register"),
    ]
    frame = pd.DataFrame(rows, columns=["recipient", "supplier", "year", "tiv", "method"])
    frame["edition"] = np.where(frame["method"] == "exact_annual_export", "2025-01-03", "2025-03-13")
    return frame


def personnel_frame() -> pd.DataFrame:
    values = {"RUS": 900, "ARM": 40, "BLR": 50, "KAZ": 60, "KGZ": 20, "TJK": 30}
    rows = [{"country": c, "year": 2020, "active_personnel": v, "source_id": "wb_personnel"} for c, v in values.items()]
    rows += [{"country": c, "year": 2020, "active_personnel": v * 2, "source_id": "other"} for c, v in values.items()]
    rows.append({"country": "RUS", "year": 2016, "active_personnel": 800, "source_id": "wb_personnel"})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------- spending


def test_share_defaults_to_the_newest_release():
    assert metrics.russia_share_of_milex(2020, milex=milex_frame()) == pytest.approx(90.0)


@pytest.mark.parametrize("edition", [2024, OLD])
def test_share_of_an_older_release_by_year_or_name(edition):
    assert metrics.russia_share_of_milex(2020, edition=edition, milex=milex_frame()) == pytest.approx(95.0)


def test_share_of_another_measure():
    share = metrics.russia_share_of_milex(2020, measure="current_usd", milex=milex_frame())
    assert share == pytest.approx(75.0)


def test_share_refuses_an_incomplete_year_unless_asked():
    frame = milex_frame()
    with pytest.raises(ValueError, match="only 5 of 6 members"):
        metrics.russia_share_of_milex(2021, milex=frame)
    assert metrics.russia_share_of_milex(2021, milex=frame, require_complete=False) == pytest.approx(80.0)


def test_share_errors_name_the_problem():
    frame = milex_frame()
    with pytest.raises(ValueError, match="no year 1999"):
        metrics.russia_share_of_milex(1999, milex=frame)
    with pytest.raises(ValueError, match="no single edition matches 2019"):
        metrics.russia_share_of_milex(2020, edition=2019, milex=frame)
    with pytest.raises(ValueError, match="share_gdp"):
        metrics.russia_share_of_milex(2020, measure="share_gdp", milex=frame)


def test_share_by_year_matches_the_scalar_and_flags_gaps():
    frame = milex_frame()
    table = metrics.russia_share_by_year(milex=frame).set_index("year")
    assert list(table.index) == [2020, 2021]
    assert table.loc[2020, "share"] == pytest.approx(metrics.russia_share_of_milex(2020, milex=frame))
    assert table.loc[2020, "members_total"] == pytest.approx(100.0)
    assert bool(table.loc[2020, "complete"]) and not bool(table.loc[2021, "complete"])
    assert table.loc[2021, "members_reporting"] == 5


def test_milex_editions_newest_first_with_price_base():
    editions = metrics.milex_editions(milex_frame())
    assert editions["edition"].tolist() == [NEW, OLD]
    assert editions["price_base"].tolist() == [2024, 2022]
    assert editions["last_year"].tolist() == [2021, 2020]


# --------------------------------------------------------------------------------------------- arms


def test_import_share_exact_and_name_or_code_alike():
    arms = arms_frame()
    assert metrics.import_share("ARM", "RUS", 2015, 2016, arms=arms) == pytest.approx(80.0)
    assert metrics.import_share("ARM", "Russia", 2015, 2016, arms=arms) == pytest.approx(80.0)
    assert metrics.import_share("ARM", "RUS", 2015, 2017, arms=arms) == pytest.approx(40.0)
    assert metrics.import_share("KAZ", "RUS", 2016, 2016, arms=arms) == pytest.approx(75.0)


def test_import_share_defaults_to_the_whole_table_and_is_nan_without_deliveries():
    arms = arms_frame()
    assert metrics.import_share("ARM", arms=arms) == pytest.approx(40.0)
    assert math.isnan(metrics.import_share("ARM", "RUS", 2019, 2019, arms=arms))
    with pytest.raises(ValueError, match="after its end"):
        metrics.import_share("ARM", "RUS", 2020, 2015, arms=arms)


def test_method_filter_keeps_inside_one_method():
    arms = arms_frame()
    assert metrics.import_share("KAZ", "RUS", 2016, 2019, arms=arms) == pytest.approx(62.5)
    exact = metrics.import_share("KAZ", "RUS", 2016, 2019, arms=arms, method="exact_annual_export")
    assert exact == pytest.approx(75.0)
    assert metrics.window_methods(2015, 2019, arms) == "exact_annual_export 2015-2018; equal_split_of_register 2019"


def test_window_table_equals_one_computation_per_window():
    arms = arms_frame()
    table = metrics.import_share_by_window("ARM", "RUS", arms=arms)
    first, last = 2015, 2019
    expected_windows = [(s, e) for s, e in itertools.product(range(first, last + 1), repeat=2) if s <= e]
    assert len(table) == len(expected_windows)
    for row in table.itertuples():
        direct = metrics.import_share("ARM", "RUS", row.start, row.end, arms=arms)
        if math.isnan(direct):
            assert math.isnan(row.share), (row.start, row.end)
        else:
            assert row.share == pytest.approx(direct), (row.start, row.end)
    only_two = metrics.import_share_by_window("ARM", "RUS", window_lengths=(2,), arms=arms)
    assert set(only_two["length"]) == {2} and len(only_two) == 4


def test_supplier_breakdown_is_sorted_and_sums_to_100():
    breakdown = metrics.supplier_breakdown("ARM", 2015, 2018, arms=arms_frame())
    assert breakdown["supplier"].tolist() == ["IND", "RUS", "JOR"]
    assert breakdown["tiv"].tolist() == [50.0, 40.0, 10.0]
    assert breakdown["share"].sum() == pytest.approx(100.0)
    assert metrics.top_supplier("ARM", 2015, 2016, arms=arms_frame()) == "RUS"
    assert metrics.top_supplier("ARM", 2019, 2019, arms=arms_frame()) is None


def test_arms_coverage_lists_each_method():
    coverage = metrics.arms_coverage(arms_frame())
    assert coverage["method"].tolist() == ["exact_annual_export", "equal_split_of_register"]
    assert coverage["last_year"].tolist() == [2018, 2019]


# --------------------------------------------------------------------------------------------- personnel


def test_personnel_ratio_defaults_to_the_other_members():
    frame = personnel_frame()
    assert metrics.personnel_ratio("RUS", year=2020, source_id="wb_personnel", personnel=frame) == pytest.approx(4.5)
    assert metrics.personnel_ratio(["RUS", "BLR"], "KAZ", 2020, "wb_personnel", frame) == pytest.approx(950 / 60)


def test_russia_share_of_personnel():
    share = metrics.russia_share_of_personnel(2020, "wb_personnel", personnel=personnel_frame())
    assert share == pytest.approx(100 * 900 / 1100)


def test_personnel_errors_are_explicit():
    frame = personnel_frame()
    with pytest.raises(ValueError, match="several sources"):
        metrics.personnel_ratio("RUS", year=2020, personnel=frame)
    with pytest.raises(ValueError, match="no figure from wb_personnel for ARM"):
        metrics.personnel_ratio("RUS", year=2016, source_id="wb_personnel", personnel=frame)
    with pytest.raises(ValueError, match="needs a year"):
        metrics.personnel_ratio("RUS", personnel=frame)


# --------------------------------------------------------------------------------------------- the shipped data


@pytest.mark.parametrize(
    "edition, expected",
    [(2024, 95.4), (2026, 93.9)],
    ids=["2024 release, constant 2022 US$", "2026 release, constant 2024 US$"],
)
def test_known_spending_share_2020(edition, expected):
    assert metrics.russia_share_of_milex(2020, edition=edition) == pytest.approx(expected, abs=0.05)


def test_newest_release_is_the_default():
    assert metrics.milex_editions()["release"].iloc[0] == 2026
    assert metrics.russia_share_of_milex(2020) == metrics.russia_share_of_milex(2020, edition=2026)


@pytest.mark.parametrize(
    "recipient, start, end, expected",
    [("ARM", 2015, 2020, 94.5), ("AZE", 2013, 2017, 62.0), ("AZE", 2012, 2016, 66.7),
     ("KAZ", 2010, 2019, 83.1), ("KAZ", 2014, 2023, 89.5)],
)
def test_known_import_shares(recipient, start, end, expected):
    assert metrics.import_share(recipient, "RUS", start, end) == pytest.approx(expected, abs=0.05)


def test_window_table_on_real_data_contains_the_known_window():
    table = metrics.import_share_by_window("KAZ", "RUS", window_lengths=(10,))
    decade = table[(table["start"] == 2010) & (table["end"] == 2019)]
    assert decade["share"].iloc[0] == pytest.approx(83.1, abs=0.05)


def test_russia_fields_most_of_the_members_troops_in_2020():
    share = metrics.russia_share_of_personnel(2020, source_id="wb_personnel")
    ratio = metrics.personnel_ratio("RUS", year=2020, source_id="wb_personnel")
    assert 50 < share < 100
    # share = r / (1 + r) for the ratio r of Russia to the five others: the two functions must agree.
    assert share == pytest.approx(100 * ratio / (1 + ratio))


# --------------------------------------------------------------------------------------------- suspected errors


def suspicions_frame(factor: float = 2.0) -> pd.DataFrame:
    """Kazakhstan's 2020 constant-dollar figure in the new release suspected to be ``factor`` times too high."""
    return pd.DataFrame([{
        "release": 2026, "edition": NEW, "iso3": "KAZ", "country": "Kazakhstan", "measure": "constant_usd_2024",
        "first_year": 2020, "last_year": 2020, "break_year": 2021, "check": "price_chain", "factor": factor,
        "finding": "a planted break", "source_id": "sipri_milex_2026"}])


def test_flag_suspect_marks_only_the_suspected_figures():
    flagged = metrics.flag_suspect(milex_frame(), suspicions_frame())
    hit = flagged[flagged["suspect"]]
    assert hit[["iso3", "year", "measure", "edition"]].values.tolist() == [["KAZ", 2020, "constant_usd_2024", NEW]]
    assert hit["suspicion"].tolist() == ["price_chain"]
    assert (flagged.loc[~flagged["suspect"], "suspicion"] == "").all()
    # The old release's Kazakh 2020 figure, and the new release's current dollars, are not suspect.
    assert len(flagged) == len(milex_frame())


def test_share_by_year_keeps_excludes_or_undoes_suspect_figures():
    milex, suspicions = milex_frame(), suspicions_frame(factor=3.0)
    kept = metrics.russia_share_by_year(milex=milex, suspicions=suspicions).set_index("year")
    assert kept.loc[2020, "share"] == pytest.approx(90.0)
    assert bool(kept.loc[2020, "suspect"]) and kept.loc[2020, "suspect_members"] == "KAZ"
    assert not kept.loc[2021, "suspect"]
    excluded = metrics.russia_share_by_year(milex=milex, suspicions=suspicions, exclude_suspect=True).set_index("year")
    assert math.isnan(excluded.loc[2020, "share"]) and excluded.loc[2021, "share"] == kept.loc[2021, "share"]
    undone = metrics.russia_share_by_year(milex=milex, suspicions=suspicions, suspect="undo").set_index("year")
    assert undone.loc[2020, "share"] == pytest.approx(100 * 90 / (90 + 2 + 2 + 1 + 2 + 1))  # Kazakhstan 3 -> 1
    with pytest.raises(ValueError, match="suspect must be one of"):
        metrics.russia_share_by_year(milex=milex, suspicions=suspicions, suspect="ignore")


def test_without_suspicions_nothing_is_suspect():
    empty = suspicions_frame().iloc[0:0]
    table = metrics.russia_share_by_year(milex=milex_frame(), suspicions=empty)
    assert not table["suspect"].any()
    assert metrics.undo_suspect_breaks(milex_frame(), empty)["value"].equals(milex_frame()["value"])


def test_suspect_comparison_puts_every_basis_side_by_side():
    table = metrics.russia_share_suspect_comparison([2020], milex=milex_frame(), suspicions=suspicions_frame(3.0))
    new = table[table["edition"] == NEW].set_index("basis")["share"]
    assert new["constant US$, as published"] == pytest.approx(90.0)
    assert math.isnan(new["constant US$, suspect years excluded"])
    assert new["current US$"] == pytest.approx(75.0)
    assert new["constant US$, suspect breaks undone"] == pytest.approx(100 * 90 / 98)
    # The old release has no current dollars: that basis is simply absent for it.
    assert "current US$" not in set(table.loc[table["edition"] == OLD, "basis"])


def test_shipped_data_kazakhstan_break_moves_russias_2019_share():
    table = metrics.russia_share_suspect_comparison([2019, 2020])
    new = table[table["edition"] == NEW].set_index(["year", "basis"])["share"]
    assert new[(2019, "constant US$, as published")] == pytest.approx(90.2, abs=0.05)
    assert new[(2019, "constant US$, suspect breaks undone")] == pytest.approx(93.2, abs=0.05)
    assert new[(2020, "constant US$, as published")] == new[(2020, "constant US$, suspect breaks undone")]
