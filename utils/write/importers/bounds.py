"""Plausible values of the official tables: one definition, used three times.

* The importers refuse a value outside these bounds, naming file, sheet, row, column, value and bound
  (``common.parse_number(..., **bounds.limit("gdp", "value"))``), before anything is built.
* ``utils.write.refresh`` writes them into each table's descriptor as Table Schema constraints (``minimum``,
  ``maximum``), with the latest year a value can have: the release year of the source file (:func:`apply`).
* ``utils.read.data`` checks them whenever a table is validated in full: a hand-edited file, ``validate``, and the
  refresh's own check of the new tables before writing them.

The ceilings are far above any real figure (the largest real one is in the comment), so they only catch what
cannot be: a value multiplied by a million, a stray exponent, a share given in per cent.
"""

from __future__ import annotations

import copy
from typing import Any

#: (minimum, maximum, what the bound means) per table and column. Years are bounded by :func:`apply`.
CEILINGS: dict[str, dict[str, tuple[float, float, str]]] = {
    "milex": {
        # The United States, the largest spender, reached about US$ 1,000,000 million in 2024.
        "value": (0, 10_000_000, "US$ million: ten times the largest military budget there is"),
    },
    "gdp": {"value": (0, 100_000_000_000_000, "current US$: 100 trillion, more than the whole world's GDP in 2020")},
    # The largest populations are about 1.45 billion (India, China).
    "population": {"value": (0, 10_000_000_000, "persons: more than the world's population")},
    # The Soviet armed forces peaked at about 5 million.
    "personnel": {"active_personnel": (0, 10_000_000, "persons: twice the largest army there has been")},
    # All states together trade about 30,000 million TIV a year.
    "arms_transfers": {"tiv": (0, 100_000, "million TIV: more than all the world's arms trade in a year")},
    "arms_deals": {
        # The register's largest deal delivered about 10,000 million TIV.
        "tiv_delivered": (5, 100_000, "million TIV: more than all the world's arms trade in a year"),
        "number_ordered": (0, 1_000_000, "items: twenty times the largest order in SIPRI's register"),
        "number_delivered": (0, 1_000_000, "items: twenty times the largest order in SIPRI's register"),
    },
    "conflicts": {"conflict_id": (1, 999_999, "a UCDP conflict identifier (they are below 20,000)")},
    # Derived from SIPRI's figures by utils.importers.alliances: shares in per cent, a correlation, a probability.
    "alliance_burden": {
        "largest_share_of_spending": (0, 100, "per cent of the members' spending"),
        "largest_share_of_gdp": (0, 100, "per cent of the members' GDP"),
        "spearman_rho": (-1, 1, "a correlation lies between -1 and 1"),
        "p_value": (0, 1, "a probability"),
    },
    "alliance_burden_members": {
        "current_usd": (0, 10_000_000, "US$ million: ten times the largest military budget there is"),
        "share_gdp": (0, 1, "a fraction of GDP: 1 is 100%"),
        # World GDP was about US$ 110 million million in 2024.
        "gdp": (0, 1_000_000_000, "US$ million: several times the world's GDP"),
    },
}

#: Ceilings of the milex ``value`` by measure (the value column mixes units): shares are fractions (0.041 = 4.1%).
MILEX_BY_MEASURE: dict[str, tuple[float, str]] = {
    "constant_usd": (CEILINGS["milex"]["value"][1], CEILINGS["milex"]["value"][2]),
    "current_usd": (CEILINGS["milex"]["value"][1], CEILINGS["milex"]["value"][2]),
    "share_gdp": (1, "a fraction of GDP: 1 is 100%"),
    "share_govt": (1, "a fraction of government spending: 1 is 100%"),
    # The highest figures (Israel, the United States, Gulf states) are a few thousand US$ per person.
    "per_capita": (100_000, "US$ per person: twenty times the highest there is"),
    # Read only by the consistency checks (utils.write.importers.consistency), never stored: millions of the local
    # currency, where weak currencies (Uzbek sum, pre-2016 Belarusian roubles) reach the hundreds of millions.
    "local_currency": (1e15, "million units of local currency: beyond any budget even in the weakest currency"),
}

#: Year columns of each table, with the first year a value can have.
YEAR_COLUMNS: dict[str, dict[str, int]] = {
    "milex": {"year": 1992, "release": 1990, "price_base": 1990},
    "gdp": {"year": 1992},
    "population": {"year": 1992},
    "personnel": {"year": 1992},
    "arms_transfers": {"year": 1992},
    "arms_deals": {"order_year": 1900},
    "conflicts": {"year": 1991},
    "alliance_burden": {"year": 1949},
    "alliance_burden_members": {"year": 1949},
}

#: Date columns of each table: a date cannot be after the release year.
DATE_COLUMNS: dict[str, tuple[str, ...]] = {"conflicts": ("start_date", "start_date2", "ep_end_date")}


def limit(table: str, column: str) -> dict[str, Any]:
    """Keyword arguments for :func:`utils.write.importers.common.parse_number`: minimum, maximum and the reason."""
    low, high, reason = CEILINGS[table][column]
    return {"minimum": low, "maximum": high, "reason": reason}


def milex_limit(measure_stem: str) -> tuple[float, str]:
    """Ceiling of a milex value of one measure (``share_gdp``...) and what it means."""
    return MILEX_BY_MEASURE[measure_stem]


def constraints(table: str, latest_year: int) -> dict[str, dict[str, Any]]:
    """Column -> Table Schema constraints of ``table``, with years up to ``latest_year``."""
    result: dict[str, dict[str, Any]] = {}
    for column, (low, high, _) in CEILINGS.get(table, {}).items():
        result[column] = {"minimum": low, "maximum": high}
    for column, first in YEAR_COLUMNS.get(table, {}).items():
        result[column] = {"minimum": first, "maximum": latest_year}
    for column in DATE_COLUMNS.get(table, ()):
        result[column] = {"maximum": f"{latest_year}-12-31"}
    return result


def apply(descriptor: dict[str, Any], table: str, latest_year: int | None) -> dict[str, Any]:
    """A copy of ``descriptor`` whose fields carry the bounds of ``table`` (years up to ``latest_year``).

    Without a ``latest_year`` the year maxima already in the descriptor are kept.
    """
    descriptor = copy.deepcopy(descriptor)
    wanted = constraints(table, latest_year if latest_year is not None else 0)
    for field in descriptor["schema"]["fields"]:
        update = dict(wanted.get(field["name"], {}))
        if latest_year is None and field["name"] in YEAR_COLUMNS.get(table, {}) | dict.fromkeys(DATE_COLUMNS.get(table, ())):
            update.pop("maximum", None)
        if update:
            field["constraints"] = {**field.get("constraints", {}), **update}
        if table == "milex" and field["name"] == "value":
            field["maximumBy"] = {"column": "measure",
                                  "maximum": {stem: high for stem, (high, _) in MILEX_BY_MEASURE.items() if stem != "local_currency"}}
    return descriptor


def latest_of(entries: list[dict[str, Any]]) -> int | None:
    """The latest year of a table fed by several files: the latest of their release years."""
    years = [entry["latest_year"] for entry in entries if isinstance(entry.get("latest_year"), int)]
    return max(years) if years else None
