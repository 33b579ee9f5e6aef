"""The burden-sharing tables the milex importer derives (utils.write.importers.alliances): who counts as a member in a
year, what is left out, when the tables cannot be rebuilt, the change report, and the real workbook rebuilding
data/ byte for byte."""

import numpy as np
import pandas as pd
import pytest

from utils import paths
from utils.read import data, metrics
from utils.write import tables
from utils.write.importers import alliances, sipri_milex

NEWEST = "sipri_milex/SIPRI-Milex-data-1949-2025_v1.2.xlsx"
PARTIES = list(sipri_milex.SIPRI_NAMES)


def states(years=(2011, 2012, 2013, 2022, 2023, 2024), drop=(), overrides=None):
    """Invented figures for every NATO member and treaty party: spending grows with a made-up GDP."""
    rows = []
    codes = [c for c in [*alliances.NATO_SIPRI_NAMES, *PARTIES] if c not in drop]
    for rank, code in enumerate(codes, start=1):
        for year in years:
            gdp = 1000.0 * rank ** 2
            share = 0.01 + 0.001 * rank
            rows.append({"iso3": code, "year": year, "current_usd": gdp * share, "share_gdp": share})
    frame = pd.DataFrame(rows)
    for (code, year, column), value in (overrides or {}).items():
        frame.loc[(frame["iso3"] == code) & (frame["year"] == year), column] = value
    return frame


@pytest.fixture(scope="module")
def members():
    return data.load("nato_members"), data.load("memberships")


def build(frame, members, **kwargs):
    return alliances.build(frame, *members, "sipri_milex_2026", **kwargs)


def test_members_are_those_on_31_december(members):
    by_year = alliances.members_by_year(*members, [1966, 1970, 2011, 2012, 2023, 2024])
    assert "FRA" in by_year[("NATO", 1966)] and "FRA" in by_year[("NATO", 1970)]   # left the command, not NATO
    assert "SWE" not in by_year[("NATO", 2023)] and "SWE" in by_year[("NATO", 2024)]
    assert "FIN" in by_year[("NATO", 2023)] and len(by_year[("NATO", 2024)]) == 32
    assert "UZB" in by_year[("CSTO", 2011)] and "UZB" not in by_year[("CSTO", 2012)]  # suspended 19 December 2012
    assert "ARM" in by_year[("CSTO", 2024)], "Armenia froze its participation but is still a member"


def test_iceland_never_counts_and_the_largest_spender_leads(members):
    table, rows = build(states(), members)
    assert "ISL" not in set(rows["iso3"])
    nato_2024 = table.set_index(["alliance", "year"]).loc[("NATO", 2024)]
    assert nato_2024["members"] == 32 and nato_2024["members_with_data"] == 31
    # The invented figures rise with the member's rank, so the last NATO code listed spends most and the rank
    # correlation is perfect.
    assert nato_2024["spearman_rho"] == pytest.approx(1.0) and nato_2024["p_value"] == pytest.approx(1 / 10_001, abs=5e-5)   # rounded to 4 decimals
    assert set(rows["year"]) == {2024}, "member rows only for benchmark years and the newest year"


def test_suspect_and_implausible_figures_are_left_out_and_counted(members):
    frame = states(overrides={("BLR", 2022, "share_gdp"): 0.0001})            # 0.01 % of GDP: implausible
    table, _ = build(frame, members, suspect={("KAZ", 2022, "share_gdp"), ("KGZ", 2022, "current_usd")})
    csto = table[table["alliance"] == "CSTO"].set_index("year")
    assert csto.loc[2022, "suspect_left_out"] == 3 and csto.loc[2022, "members_with_data"] == 3
    assert csto.loc[2023, "suspect_left_out"] == 0 and csto.loc[2023, "members_with_data"] == 6


def test_too_few_members_with_data_drop_the_year(members):
    frame = states(overrides={(code, 2023, "share_gdp"): np.nan for code in ["ARM", "BLR", "KAZ", "KGZ"]})
    table, _ = build(frame, members)
    assert 2023 not in set(table.loc[table["alliance"] == "CSTO", "year"])   # two of six: fewer than half
    assert 2023 in set(table.loc[table["alliance"] == "NATO", "year"])


def test_a_workbook_without_every_nato_member_rebuilds_nothing(members):
    assert alliances.missing_members(states(drop=["SWE"])) == ["SWE"]
    assert build(states(drop=["SWE"]), members) is None
    assert build(states(drop=list(alliances.NATO_SIPRI_NAMES)), members) is None
    assert len(alliances.missing_members(None)) == 32


def test_change_report_lists_changed_tests_and_crossings(members):
    table, _ = build(states(), members)
    assert alliances.change_report(None, table)[0].startswith("alliance_burden: created with")
    assert "No change" in alliances.change_report(table, table)[-1]
    revised = table.copy()
    at = (revised["alliance"] == "NATO") & (revised["year"] == 2023)
    revised.loc[at, ["spearman_rho", "p_value", "largest_share_of_spending"]] = [0.1, 0.3, 50.0]
    lines = alliances.change_report(table, revised)
    assert any(line.strip().startswith("NATO 2023: rho 1.0000 -> 0.1000") and "no longer significant" in line
               for line in lines), lines
    fewer = alliances.change_report(table, revised[~at])
    assert any("no longer tested: NATO 2023" in line for line in fewer)


@pytest.mark.shared
def test_the_newest_workbook_rebuilds_the_tables_in_data_byte_for_byte(shared_sources):
    result = sipri_milex.read(shared_sources / NEWEST, progress=False)
    milex = metrics.flag_suspect(data.load("milex"), data.load("milex_suspicions"))
    doubted = milex[(milex["release"] == 2026) & milex["suspect"] & milex["measure"].isin(["current_usd", "share_gdp"])]
    built = alliances.build(result.inputs["alliance_states"], data.load("nato_members"), data.load("memberships"),
                            "sipri_milex_2026", suspect=set(zip(doubted["iso3"], doubted["year"], doubted["measure"])))
    provenance = data.read_descriptor("milex")["provenance"]
    for frame, name, descriptor in [(built[0], alliances.TABLE, alliances.build_descriptor(provenance)),
                                    (built[1], alliances.MEMBERS_TABLE, alliances.build_members_descriptor(provenance))]:
        csv = tables.to_csv_bytes(frame)
        assert csv == paths.table_csv(name, paths.DEFAULT_DATA_DIR).read_bytes(), name
        stored = data.read_descriptor(name, paths.DEFAULT_DATA_DIR)
        assert {k: v for k, v in stored.items() if k not in ("hash", "bytes")} == descriptor, name


@pytest.mark.shared
@pytest.mark.parametrize("workbook", ["SIPRI-Milex-data-1949-2024_2.xlsx", "SIPRI-Milex-data-1949-2023.xlsx",
                                      "SIPRI-Milex-data-1948-2023.xlsx"])
def test_every_release_has_every_nato_member(shared_sources, workbook):
    result = sipri_milex.read(shared_sources / "sipri_milex" / workbook, progress=False)
    assert alliances.missing_members(result.inputs["alliance_states"]) == []
