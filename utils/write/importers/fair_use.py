"""Count the SIPRI data units the collection ships, against SIPRI's fair-use limit.

SIPRI lets its databases be reproduced for non-commercial use up to 10 %, which it defines as 3,500 units of data
(for military expenditure: one country's figure for one year in one measure). Every table extracted from a SIPRI
database names the database in its descriptor's provenance (``fair_use_database``) and the columns holding data
units (``fair_use_unit_columns``); a unit is one non-empty cell in those columns.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

#: SIPRI's limit, per database.
LIMIT = 3500


def units_per_table(folder: Path | None = None) -> dict[str, tuple[str, int]]:
    """``{table: (database, units)}`` for every table whose descriptor names a SIPRI database."""
    from utils.read import data
    from utils import paths

    folder = folder or paths.data_dir()
    counts = {}
    for name in data.table_names(folder):
        provenance = data.read_descriptor(name, folder).get("provenance", {})
        database = provenance.get("fair_use_database")
        if not database:
            continue
        columns = provenance.get("fair_use_unit_columns") or []
        text = paths.table_csv(name, folder).read_text(encoding="utf-8")
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{name}.resource.json names fair-use unit columns {missing} that {name}.csv lacks")
        counts[name] = (database, sum(1 for row in reader for column in columns if row[column].strip() != ""))
    return counts


def units_per_database(folder: Path | None = None) -> dict[str, int]:
    """``{database: units}`` summed over the tables extracted from each SIPRI database."""
    totals: dict[str, int] = {}
    for database, units in units_per_table(folder).values():
        totals[database] = totals.get(database, 0) + units
    return totals


def summary(folder: Path | None = None) -> str:
    """One line for test reports: ``SIPRI fair-use units: milex 1,735, arms 512 (limit 3,500 each)``."""
    short = {"SIPRI Military Expenditure Database": "milex", "SIPRI Arms Transfers Database": "arms"}
    totals = units_per_database(folder)
    parts = [f"{short.get(db, db)} {units:,}" for db, units in sorted(totals.items())] or ["none found"]
    return f"SIPRI fair-use units: {', '.join(parts)} (limit {LIMIT:,} each)"
