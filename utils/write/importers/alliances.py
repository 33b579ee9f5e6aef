"""Burden-sharing tables derived from SIPRI's workbook while it is imported: NATO beside the CSTO.

SIPRI's fair-use terms (at most 3,500 figures shipped per database) rule out shipping every NATO member's series.
So the milex importer reads every state's current-US$ spending and share of GDP, and this module turns them into
two small tables:

* ``alliance_burden``: one row per alliance and year: members, members with data, the largest spender, its share of
  the members' spending and of their GDP, and Olson and Zeckhauser's rank test (Spearman's rho between GDP and
  spending as a share of GDP, with a one-sided permutation p-value; :mod:`utils.read.burden`);
* ``alliance_burden_members``: the members' own figures for a few benchmark years, for scatter plots.

Who is a member in a year: a state that is a member on 31 December (NATO from the ``nato_members`` table, the CSTO
and before October 2002 the Collective Security Treaty from ``memberships``). Iceland, which has no armed forces, is
left out of every test. GDP is implied by SIPRI's own figures (spending in current US$ divided by spending as a
share of GDP), so one source and one release cover both sides of the test, up to the newest year.

A workbook without every NATO member's rows (a practice release, a partial file, a member SIPRI renamed) cannot
rebuild these tables: :func:`build` returns None, the refresh keeps the tables in the data folder and its report
names the members missing.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from utils.read import burden, countries

TABLE = "alliance_burden"
MEMBERS_TABLE = "alliance_burden_members"
ALLIANCES = ("NATO", "CSTO")

#: Years whose member rows are shipped (the newest year of the release is added): Olson and Zeckhauser's year,
#: the end of the Cold War, the Wales pledge, the year before the newest.
BENCHMARK_YEARS = (1964, 1990, 2014, 2024)

#: A year is tested when at least this many members report both figures (NATO), or at least half the members and
#: three of them (the CSTO, whose members are few and some lack figures in the early 1990s).
MIN_REPORTING = {"NATO": 8, "CSTO": 3}

#: Members without armed forces, left out of every burden test.
NO_ARMED_FORCES = ("ISL",)

#: A share of GDP below this is left out as implausible for a state with armed forces: the lowest genuine figure
#: among the members is Luxembourg's, about 0.24% (2014); Tajikistan's 1992-1994 figures (0.0004% to 0.0035%)
#: imply an economy larger than Russia's.
MIN_PLAUSIBLE_SHARE = 0.001

#: How SIPRI's workbook names each NATO member (several spellings where releases differ).
NATO_SIPRI_NAMES: dict[str, tuple[str, ...]] = {
    "ALB": ("Albania",), "BEL": ("Belgium",), "BGR": ("Bulgaria",), "CAN": ("Canada",), "HRV": ("Croatia",),
    "CZE": ("Czechia", "Czech Republic"), "DNK": ("Denmark",), "EST": ("Estonia",), "FIN": ("Finland",),
    "FRA": ("France",), "DEU": ("Germany",), "GRC": ("Greece",), "HUN": ("Hungary",), "ISL": ("Iceland",),
    "ITA": ("Italy",), "LVA": ("Latvia",), "LTU": ("Lithuania",), "LUX": ("Luxembourg",), "MNE": ("Montenegro",),
    "NLD": ("Netherlands",), "MKD": ("North Macedonia", "Macedonia, FYR"), "NOR": ("Norway",), "POL": ("Poland",),
    "PRT": ("Portugal",), "ROU": ("Romania",), "SVK": ("Slovakia",), "SVN": ("Slovenia",), "ESP": ("Spain",),
    "SWE": ("Sweden",), "TUR": ("Türkiye", "Turkey"), "GBR": ("United Kingdom",),
    "USA": ("United States of America",),
}

#: The memberships table's organisations that make up "the CSTO" over time.
CSTO_ORGANISATIONS = ("CST", "CSTO")

BURDEN_COLUMNS = ["alliance", "year", "members", "members_with_data", "suspect_left_out", "largest_member", "largest_share_of_spending",
                  "largest_share_of_gdp", "spearman_rho", "p_value", "p_method", "source_id"]
MEMBER_COLUMNS = ["alliance", "year", "iso3", "country", "current_usd", "share_gdp", "gdp", "source_id"]


def members_by_year(nato_members: pd.DataFrame, memberships: pd.DataFrame, years) -> dict[tuple[str, int], list]:
    """``{(alliance, year): [iso3, ...]}``: the states that are members on 31 December of each year."""
    result: dict[tuple[str, int], list] = {}
    joined = pd.to_datetime(nato_members["joined"])
    csto = memberships[memberships["organisation"].isin(CSTO_ORGANISATIONS) & (memberships["role"] == "member")]
    starts, ends = pd.to_datetime(csto["start"]), pd.to_datetime(csto["end"])
    for year in years:
        last_day = pd.Timestamp(year=year, month=12, day=31)
        result[("NATO", year)] = sorted(nato_members.loc[joined <= last_day, "iso3"])
        member = (starts <= last_day) & (ends.isna() | (ends > last_day))
        result[("CSTO", year)] = sorted(set(csto.loc[member, "country"]))
    return result


def missing_members(states: pd.DataFrame | None) -> list[str]:
    """The NATO members (ISO3) without a row in the milex importer's ``alliance_states`` frame."""
    found = set() if states is None else set(states["iso3"])
    return [code for code in NATO_SIPRI_NAMES if code not in found]


def build(states: pd.DataFrame, nato_members: pd.DataFrame, memberships: pd.DataFrame, source_id: str,
          suspect: set | frozenset = frozenset()) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The ``alliance_burden`` and ``alliance_burden_members`` tables from one release's figures.

    ``states`` has columns ``iso3``, ``year``, ``current_usd``, ``share_gdp`` for the NATO members and the treaty
    parties (the milex importer's ``inputs["alliance_states"]``).

    ``suspect`` holds ``(iso3, year, measure)`` of figures the release's consistency checks suspect
    (``milex_suspicions``; measure ``current_usd`` or ``share_gdp``): they are left out, as missing, and counted in
    ``suspect_left_out``, as are shares of GDP below :data:`MIN_PLAUSIBLE_SHARE`. None when a NATO member has no
    row (see the module's docstring).
    """
    if missing_members(states):
        return None
    rows = states[~states["iso3"].isin(NO_ARMED_FORCES)]
    years = sorted(int(year) for year in rows["year"].unique())
    newest = max(years)
    # One array per measure: a row per state, a column per year (NaN where SIPRI has no figure).
    wide = {measure: rows.pivot(index="iso3", columns="year", values=measure).reindex(columns=years)
            for measure in ("current_usd", "share_gdp")}
    codes = wide["current_usd"].index.to_numpy()
    spending = wide["current_usd"].to_numpy(dtype=float, copy=True)
    share = wide["share_gdp"].reindex(codes).to_numpy(dtype=float, copy=True)
    doubted = np.zeros(spending.shape, dtype=bool)
    position = {code: i for i, code in enumerate(codes)}
    column = {year: j for j, year in enumerate(years)}
    for code, year, measure in suspect:
        if code in position and year in column and measure in ("current_usd", "share_gdp"):
            values = spending if measure == "current_usd" else share
            if not np.isnan(values[position[code], column[year]]):
                doubted[position[code], column[year]] = True
                values[position[code], column[year]] = np.nan
    implausible = ~np.isnan(share) & (np.nan_to_num(share, nan=1.0) < MIN_PLAUSIBLE_SHARE)
    no_spending = spending == 0          # a member with armed forces spends something (Belarus 1994, 2025 release)
    doubted |= implausible | no_spending
    share[implausible] = np.nan
    spending[no_spending] = np.nan
    names = dict(zip(nato_members["iso3"], nato_members["country"]))

    summaries, member_rows = [], []
    for (alliance, year), members in members_by_year(nato_members, memberships, years).items():
        at = [position[code] for code in members if code not in NO_ARMED_FORCES and code in position]
        if not at:
            continue
        j = column[year]
        spent, shares = spending[at, j], share[at, j]
        complete = ~np.isnan(spent) & ~np.isnan(shares) & (np.nan_to_num(shares) > 0)
        enough = complete.sum() >= MIN_REPORTING[alliance] and (alliance == "NATO" or 2 * complete.sum() >= len(at))
        if not enough:
            continue
        summary = burden.summary_of_arrays(codes[at], spent, shares)
        summaries.append({
            "alliance": alliance, "year": year, "members": len(members),
            "suspect_left_out": int(doubted[at, j].sum()),
            **summary,
            "largest_share_of_spending": round(summary["largest_share_of_spending"], 2),
            "largest_share_of_gdp": round(summary["largest_share_of_gdp"], 2),
            "spearman_rho": _rounded(summary["spearman_rho"], 4),
            "p_value": _rounded(summary["p_value"], 4),
            "p_method": "exact" if summary["members_with_data"] <= burden.EXACT_UP_TO else
                        f"{burden.PERMUTATIONS} permutations",
            "source_id": source_id,
        })
        if year in BENCHMARK_YEARS or year == newest:
            for code, value, fraction in zip(codes[at][complete], spent[complete], shares[complete]):
                member_rows.append({
                    "alliance": alliance, "year": year, "iso3": code,
                    "country": names.get(code) or countries.name_of(code),
                    "current_usd": float(value), "share_gdp": float(fraction),
                    "gdp": round(float(value / fraction), 1), "source_id": source_id,
                })
    table = pd.DataFrame(summaries, columns=BURDEN_COLUMNS)
    table = table.sort_values(["alliance", "year"], key=_alliance_order, kind="stable").reset_index(drop=True)
    members_table = pd.DataFrame(member_rows, columns=MEMBER_COLUMNS)
    members_table = members_table.sort_values(["alliance", "year", "iso3"], key=_alliance_order,
                                              kind="stable").reset_index(drop=True)
    return table, members_table


def _rounded(value: float, digits: int) -> float:
    return value if math.isnan(value) else round(value, digits)


def _alliance_order(column: pd.Series) -> pd.Series:
    return column.map({name: i for i, name in enumerate(ALLIANCES)}) if column.name == "alliance" else column


# --------------------------------------------------------------------------------------------- change report

#: Changes smaller than these are rounding, not revisions (the table rounds rho and p to 4 decimals, shares to 2).
_NOISE = {"spearman_rho": 5e-5, "p_value": 5e-5, "largest_share_of_spending": 0.005, "largest_share_of_gdp": 0.005}

#: Alliance-years listed in the change report, largest change of rho first.
REPORT_LIMIT = 15


def change_report(old: pd.DataFrame | None, new: pd.DataFrame) -> list[str]:
    """Lines for the refresh's report: alliance-years added or dropped, and the correlations, p-values and shares
    that changed (largest change of rho first), with any year whose test crosses the 5% level."""
    spans = "; ".join(f"{alliance} {rows['year'].min()}-{rows['year'].max()}"
                      for alliance, rows in new.groupby("alliance", sort=False))
    if old is None:
        return [f"{TABLE}: created with {len(new)} alliance-years ({spans})."]
    key = ["alliance", "year"]
    merged = old.merge(new, on=key, how="outer", suffixes=("_old", "_new"), indicator=True)
    lines = [f"{TABLE}: {len(new)} alliance-years ({spans})."]
    for side, label in (("right_only", "added"), ("left_only", "no longer tested")):
        rows = merged[merged["_merge"] == side].sort_values(key, key=_alliance_order)
        if len(rows):
            lines.append(f"  {label}: " + ", ".join(f"{a} {y}" for a, y in zip(rows["alliance"], rows["year"])))
    both = merged[merged["_merge"] == "both"].copy()
    changed = pd.Series(False, index=both.index)
    for column, noise in _NOISE.items():
        changed |= (both[f"{column}_old"] - both[f"{column}_new"]).abs().fillna(0) > noise
    changed |= both["largest_member_old"] != both["largest_member_new"]
    both = both[changed].assign(size=lambda t: (t["spearman_rho_old"] - t["spearman_rho_new"]).abs())
    if both.empty:
        lines.append("  No change in any correlation, p-value or share.")
        return lines
    lines.append(f"  {len(both)} alliance-years changed (largest change of rho first):")
    for row in both.sort_values("size", ascending=False, kind="stable").head(REPORT_LIMIT).itertuples():
        crossing = ""
        if (row.p_value_old < 0.05) != (row.p_value_new < 0.05):
            crossing = " (now significant at 5%)" if row.p_value_new < 0.05 else " (no longer significant at 5%)"
        lines.append(
            f"    {row.alliance} {row.year}: rho {row.spearman_rho_old:.4f} -> {row.spearman_rho_new:.4f}, "
            f"p {row.p_value_old:.4f} -> {row.p_value_new:.4f}{crossing}; {row.largest_member_new}'s share of "
            f"spending {row.largest_share_of_spending_old:.2f}% -> {row.largest_share_of_spending_new:.2f}%, "
            f"of GDP {row.largest_share_of_gdp_old:.2f}% -> {row.largest_share_of_gdp_new:.2f}%")
    if len(both) > REPORT_LIMIT:
        lines.append(f"    ... and {len(both) - REPORT_LIMIT} more")
    return lines


# --------------------------------------------------------------------------------------------- descriptors

LICENCE_TERMS = (
    "SIPRI fair use: the data may be used free of charge for non-commercial purposes provided SIPRI is cited as the "
    "source ('SIPRI Military Expenditure Database YYYY, https://www.sipri.org/databases/milex') and no more than 10% "
    "of the database, defined by SIPRI as 3,500 units of data, is reproduced. The shares of this table count as "
    "SIPRI data units (tests/test_fair_use.py counts them with the milex table's)."
)

NOTEBOOKS = ["09_burden_sharing.ipynb"]

_SOURCE = ("SIPRI Military Expenditure Database, Stockholm International Peace Research Institute (SIPRI), "
           "https://www.sipri.org/databases/milex; members from nato_members and memberships")


def provenance(milex_provenance: dict[str, Any], unit_columns: list[str]) -> dict[str, Any]:
    """Provenance of a derived table: the release and builder of the milex table it was computed with."""
    keys = ("edition", "release", "citation", "retrieved", "source_file", "source_sha256")
    result: dict[str, Any] = {"source": _SOURCE, "source_id": milex_provenance["source_id"][0]}
    result.update({key: milex_provenance[key] for key in keys if key in milex_provenance})
    result["licence_terms"] = LICENCE_TERMS
    result["fair_use_database"] = "SIPRI Military Expenditure Database"
    result["fair_use_unit_columns"] = unit_columns
    result["builder"] = milex_provenance["builder"]
    result["notebooks"] = list(NOTEBOOKS)
    return result


def _common(name: str, title: str, description: str, fields: list, key: list, provenance_: dict) -> dict[str, Any]:
    from utils.write.importers import bounds, sipri_milex

    descriptor = {
        "name": name, "path": f"{name}.csv", "title": title, "description": description,
        "profile": "tabular-data-resource", "format": "csv", "encoding": "utf-8", "mediatype": "text/csv",
        "schema": {"fields": fields, "primaryKey": key, "missingValues": [""]},
        "licenses": sipri_milex.LICENSES,  # calculations from SIPRI's figures, so SIPRI's terms
        "provenance": provenance_,
    }
    return bounds.apply(descriptor, name, provenance_.get("release"))


def _alliance_field() -> dict:
    return {"name": "alliance", "type": "string", "description": "NATO, or the CSTO (before October 2002 the "
            "Collective Security Treaty's parties)", "constraints": {"required": True, "enum": list(ALLIANCES)}}


def _year_field() -> dict:
    return {"name": "year", "type": "integer", "description": "Calendar year; members are the states that are "
            "members on 31 December", "constraints": {"required": True}}


def _source_field() -> dict:
    return {"name": "source_id", "type": "string", "description": "The SIPRI release in the sources table",
            "constraints": {"required": True, "pattern": "^sipri_milex_[0-9]{4}$"}}


def build_descriptor(milex_provenance: dict[str, Any]) -> dict[str, Any]:
    """The ``alliance_burden`` descriptor (``hash`` and ``bytes`` are added when the CSV is written)."""
    fields = [
        _alliance_field(), _year_field(),
        {"name": "members", "type": "integer", "description": "Member states on 31 December (Iceland included)",
         "constraints": {"required": True, "minimum": 1}},
        {"name": "members_with_data", "type": "integer",
         "description": "Members with both SIPRI figures (current US$ and share of GDP) in the year; Iceland, "
                        "which has no armed forces, never counts",
         "constraints": {"required": True, "minimum": 3}},
        {"name": "suspect_left_out", "type": "integer",
         "description": "Members whose spending or share of GDP in the year was left out: figures the release's "
                        "consistency checks suspect (milex_suspicions: Belarus's share of GDP before 2022), and "
                        "shares of GDP below 0.1% and spending of zero, implausible for a state with armed forces "
                        "(Tajikistan 1992-1994)",
         "constraints": {"required": True, "minimum": 0}},
        {"name": "largest_member", "type": "string", "description": "ISO3 code of the member spending most in "
         "current US$", "constraints": {"required": True, "pattern": "^[A-Z]{3}$"}},
        {"name": "largest_share_of_spending", "type": "number", "unit": "per cent",
         "description": "The largest member's share of the members' military spending in current US$ (every "
                        "member with a spending figure), in per cent", "constraints": {"required": True}},
        {"name": "largest_share_of_gdp", "type": "number", "unit": "per cent",
         "description": "The largest member's share of the GDP of the members with both figures, in per cent; GDP "
                        "implied by SIPRI's own figures (current US$ spending divided by spending as a share of GDP); "
                        "empty when the largest member's own share of GDP is missing"},
        {"name": "spearman_rho", "type": "number",
         "description": "Spearman's rank correlation between members' GDP and their military spending as a share "
                        "of GDP (Olson and Zeckhauser's test; positive: the larger economies carry the heavier "
                        "burden); empty if the ranks have no spread"},
        {"name": "p_value", "type": "number",
         "description": "One-sided p-value of spearman_rho (alternative: a positive correlation) from re-pairing the "
                        "members' values at random, as p_method says; empty with spearman_rho"},
        {"name": "p_method", "type": "string",
         "description": "exact: all n! pairings (up to 8 members); otherwise the number of seeded random pairings, "
                        "p = (pairings reaching rho + 1) / (pairings + 1)",
         "constraints": {"required": True, "pattern": "^(exact|[0-9]+ permutations)$"}},
        _source_field(),
    ]
    description = (
        "Olson and Zeckhauser's burden-sharing test for NATO and the CSTO, one row per alliance and year, computed "
        "by the milex importer from every member's SIPRI figures (which are not shipped, under SIPRI's fair-use "
        "limit). NATO: every year in which at least 8 members report both figures; the CSTO: every year in which "
        "at least three members and at least half of them do. Iceland (no armed forces) is left out. GDP is implied "
        "as spending in current US$ divided by spending as a share of GDP. Germany before 1991 is West Germany."
    )
    return _common(TABLE, "Burden-sharing in NATO and the CSTO: the largest member's shares and the rank test (SIPRI)",
                   description, fields, ["alliance", "year"],
                   provenance(milex_provenance, ["largest_share_of_spending", "largest_share_of_gdp"]))


def build_members_descriptor(milex_provenance: dict[str, Any]) -> dict[str, Any]:
    """The ``alliance_burden_members`` descriptor."""
    fields = [
        _alliance_field(), _year_field(),
        {"name": "iso3", "type": "string", "description": "ISO 3166-1 alpha-3 code of the member",
         "constraints": {"required": True, "pattern": "^[A-Z]{3}$"}},
        {"name": "country", "type": "string", "description": "Display name", "constraints": {"required": True}},
        {"name": "current_usd", "type": "number", "unit": "US$ million, current",
         "description": "Military spending, US$ million at the year's prices and exchange rates (SIPRI)",
         "constraints": {"required": True}},
        {"name": "share_gdp", "type": "number", "unit": "fraction of GDP",
         "description": "Military spending as a fraction of GDP (0.041 = 4.1 %; SIPRI)", "constraints": {"required": True}},
        {"name": "gdp", "type": "number", "unit": "US$ million, current",
         "description": "GDP implied by SIPRI's figures: current_usd / share_gdp, rounded to 0.1",
         "constraints": {"required": True}},
        _source_field(),
    ]
    description = (
        "The members' own SIPRI figures behind alliance_burden, for benchmark years only (1964, 1990, 2014, 2024 "
        "and the newest year of the release; the CSTO from 1992): one row per alliance, year and member with both "
        "figures. Iceland (no armed forces) is left out. gdp is derived, so only current_usd and share_gdp count "
        "as SIPRI data units."
    )
    return _common(MEMBERS_TABLE, "Members' military spending and GDP in benchmark years, NATO and the CSTO (SIPRI)",
                   description, fields, ["alliance", "year", "iso3"],
                   provenance(milex_provenance, ["current_usd", "share_gdp"]))
