"""Plausible for this country: a refresh refuses a figure that leaps away from what is installed or from its neighbours.

The ceilings of :mod:`utils.write.importers.bounds` catch what no country can have; they let through Armenia's
population at 9 billion or its GDP at US$ 90 trillion. This check compares every new value of a release

* with the value installed for the same country, measure and year (a release revises figures, rarely by much), and
* with the same country's neighbouring years in the release itself (a year that is a thousand times its neighbours
  is a typo, a unit slip or a shifted column),

and refuses changes beyond a factor stated per table and measure in :data:`FACTORS` (written into each descriptor as
the value column's ``plausibleChange``, so that the rule travels with the table). A flat factor across a whole series
-- every year of a country's constant-dollar series moved by the same ratio, as a change of price base does -- is
recognised as such: each year is judged against the series' own median ratio, not against 1.

Each finding is one line naming table, country, year, old and new value; :func:`refusal` turns them into the one line a
refresh stops with.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: Per table: the value column, the columns that make one series (with the year, one figure), the factor a release
#: may move a figure by against the installed one (``installed``) and against the median of its neighbouring years
#: (``neighbours``; None where real series leap, as arms deliveries do). A dict of factors is keyed by the stem of
#: ``measure`` (milex mixes units). Each is far above the largest real revision in the data: real figures pass.
FACTORS: dict[str, dict[str, Any]] = {
    "population": {"column": "value", "series": ["country"], "installed": 1.5, "neighbours": 1.5},
    "gdp": {"column": "value", "series": ["country"], "installed": 3, "neighbours": 10},
    "personnel": {"column": "active_personnel", "series": ["country", "source_id"], "installed": 3, "neighbours": 10},
    "arms_transfers": {"column": "tiv", "series": ["supplier", "recipient"], "installed": 10, "neighbours": None},
    # SIPRI revises early shares of GDP and corrects whole series (Belarus's share of government spending, x0.1 in
    # 2026): shares may move x10, money figures x3.
    "milex": {"column": "value", "series": ["iso3", "measure"], "neighbours": 20,
              "installed": {"constant_usd": 3, "current_usd": 3, "per_capita": 3, "share_gdp": 10, "share_govt": 10}},
}

#: A series whose every year moved by one ratio (within this tolerance) moved as a whole: a new price base, unit or
#: definition, reported but not refused.
FLAT_TOLERANCE = 1.05

#: Values this small are left alone (a delivery of 0.5 million TIV becoming 6 is not a typo worth stopping for).
FLOOR = {"arms_transfers": 50.0}

#: How many neighbouring years on each side a value is compared with.
NEIGHBOURS = 2


def apply(descriptor: dict[str, Any], table: str) -> dict[str, Any]:
    """``descriptor`` with the table's rule written on its value column (``plausibleChange``); in place."""
    rule = FACTORS.get(table)
    if rule is None:
        return descriptor
    for field in descriptor["schema"]["fields"]:
        if field["name"] == rule["column"]:
            field["plausibleChange"] = {key: rule[key] for key in ("series", "installed", "neighbours")}
    return descriptor


def _series_keys(frame: pd.DataFrame, series: list[str]) -> pd.DataFrame:
    """The series columns, with a milex ``measure`` reduced to its stem (constant_usd_2024 -> constant_usd)."""
    keys = frame[series].astype("string").copy()
    if "measure" in keys:
        keys["measure"] = keys["measure"].str.replace(r"_\d{4}$", "", regex=True)
    return keys


def _joined_keys(frame: pd.DataFrame, series: list[str]) -> pd.Series:
    """One text key per row naming its series (the series columns joined with "|")."""
    keys = _series_keys(frame, series)
    return keys[series[0]].str.cat([keys[column] for column in series[1:]], sep="|") if len(series) > 1 \
        else keys[series[0]]


#: The column naming each series column's code for readers (milex's ``country`` holds the name, ``iso3`` the code).
LABELS = {"iso3": "country", "country": "country_name", "supplier": "supplier_name", "recipient": "recipient_name"}


def _name(row: pd.Series, series: list[str]) -> str:
    parts = []
    for column in series:
        label = row.get(LABELS.get(column, ""))
        parts.append(f"{label} ({row[column]})" if isinstance(label, str) and label else str(row[column]))
    return ", ".join(parts)


def _show(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.4g}"


def findings(table: str, installed: pd.DataFrame | None, new: pd.DataFrame, notes: list[str] | None = None) -> list[str]:
    """One line per implausible new value of ``table`` (``installed`` None: no comparison with installed values).

    ``notes`` receives one line per series that moved as a whole (reported, not refused).
    """
    rule = FACTORS.get(table)
    if rule is None or new.empty:
        return []
    column, series = rule["column"], rule["series"]
    floor = FLOOR.get(table, 0.0)
    new = new.assign(_key=_joined_keys(new, series))
    lines = []
    if installed is not None and not installed.empty:
        installed = installed.assign(_key=_joined_keys(installed, series))
        both = new.merge(installed[["_key", "year", column]], on=["_key", "year"], suffixes=("", "_installed"))
        both = both[(both[column] > 0) & (both[f"{column}_installed"] > 0)
                    & ((both[column] >= floor) | (both[f"{column}_installed"] >= floor))]
        for key, group in both.groupby("_key", sort=True):
            factor = rule["installed"]
            if isinstance(factor, dict):
                factor = factor[key.split("|")[series.index("measure")]]
            ratios = (group[column] / group[f"{column}_installed"]).to_numpy(dtype=float)
            # A series moved by one ratio (a new price base) is judged against that ratio, if it is itself
            # plausible; else against 1. A series moved as a whole, every year alike, is a change of base or unit.
            flat = float(np.median(ratios)) if len(ratios) >= 3 else 1.0
            if len(ratios) >= 3 and ((ratios / flat >= 1 / FLAT_TOLERANCE) & (ratios / flat <= FLAT_TOLERANCE)).all():
                if notes is not None and not 1 / factor <= flat <= factor:
                    notes.append(f"{table}: {_name(group.iloc[0], series)}: every year x{_ratio(flat)} (a whole series "
                                 f"moved as one: a new base, unit or definition)")
                continue
            if not (1 / factor <= flat <= factor):
                flat = 1.0
            scaled = ratios / flat
            for position in np.flatnonzero((scaled > factor) | (scaled < 1 / factor)):
                row, ratio = group.iloc[position], scaled[position]
                lines.append(
                    f"{table}: {_name(row, series)} {row['year']}: {_show(row[column])} would replace the installed "
                    f"{_show(row[f'{column}_installed'])} (x{_ratio(ratio * flat)}; a release may move this figure "
                    f"x{factor:g} at most{' beyond the series-wide ' + _ratio(flat) if flat != 1 else ''})"
                )
    if rule["neighbours"]:
        factor = rule["neighbours"]
        # A value installed before, unchanged, was judged then: only new and revised values are judged here.
        kept = set()
        if installed is not None and not installed.empty:
            same = new.merge(installed[["_key", "year", column]], on=["_key", "year", column])
            kept = set(zip(same["_key"], same["year"]))
        for group_key, group in new[new[column].notna()].sort_values("year").groupby("_key", sort=True):
            # Plain arrays: a release has thousands of values, each judged against a few neighbours.
            years, values = group["year"].to_numpy(), group[column].to_numpy(dtype=float)
            for year, value in zip(years, values):
                if (group_key, year) in kept or value <= 0:
                    continue
                around = values[(years != year) & (abs(years - year) <= NEIGHBOURS)]
                around = around[around > 0]
                if len(around) < 2 or max(value, float(np.median(around))) < floor:
                    continue
                if around.max() / around.min() > factor:
                    continue  # the neighbours disagree among themselves (a series in upheaval): no basis to judge
                ratio = value / float(np.median(around))
                if ratio > factor or ratio < 1 / factor:
                    row = group[group["year"] == year].iloc[0]
                    lines.append(
                        f"{table}: {_name(row, series)} {year}: {_show(value)} where its neighbouring years hold "
                        f"{_show(around.min())}-{_show(around.max())} (x{_ratio(ratio)}; more than x{factor:g} is "
                        f"not plausible for one year)"
                    )
    return lines


def _ratio(ratio: float) -> str:
    return f"{ratio:,.0f}" if ratio >= 10 else f"{ratio:.2g}" if ratio >= 0.01 else f"1/{1 / ratio:,.0f}" if ratio > 0 else "0"


def refusal(lines: list[str], source_file: str) -> str | None:
    """The one line a refresh stops with: the first finding and how many more, or None."""
    if not lines:
        return None
    more = f" (and {len(lines) - 1} more such value{'s' if len(lines) > 2 else ''}; --dry-run lists them)" if len(lines) > 1 else ""
    return f"{source_file} holds a value implausible for its country: {lines[0]}{more}. Not installed."

