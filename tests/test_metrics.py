"""Tests for utils.metrics: exact arithmetic on small synthetic tables, then known figures on the shipped data."""

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from utils import metrics

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
