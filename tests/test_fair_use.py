"""SIPRI's fair-use limit: the collection may ship at most 3,500 data units from each SIPRI database.

A table extracted from a SIPRI database says so in its descriptor (provenance ``fair_use_database``) and names the
columns that hold data units (``fair_use_unit_columns``); each non-empty cell there is one unit.
"""

import pytest

from utils.read import data
from utils import paths
from utils.write.importers import fair_use
from utils.write import tables

MILEX = "SIPRI Military Expenditure Database"


def test_every_sipri_database_stays_within_the_fair_use_limit(record_property):
    per_table = fair_use.units_per_table(paths.DEFAULT_DATA_DIR)
    totals = fair_use.units_per_database(paths.DEFAULT_DATA_DIR)
    report = "; ".join(f"{db}: {units:,} units" for db, units in sorted(totals.items()))
    detail = ", ".join(f"{table} {units:,}" for table, (_, units) in sorted(per_table.items()))
    print(f"\n{fair_use.summary(paths.DEFAULT_DATA_DIR)} [{detail}]")
    for database, units in totals.items():
        record_property(f"fair_use_units[{database}]", units)
    # The milex table must be among the counted ones, or this test would pass by counting nothing; so must the
    # burden-sharing tables derived from every NATO member's SIPRI figures.
    assert MILEX in totals, f"no table declares fair_use_database {MILEX!r}: {detail}"
    for derived in ("alliance_burden", "alliance_burden_members"):
        assert per_table.get(derived, (None, 0))[0] == MILEX and per_table[derived][1] > 0, f"{derived} is not counted"
    over = {db: units for db, units in totals.items() if units > fair_use.LIMIT}
    assert not over, f"over SIPRI's fair-use limit of {fair_use.LIMIT:,} units: {report} ({detail})"


def test_milex_units_are_its_non_empty_values():
    """The count is the number of figures shipped, cross-checked with the loaded table."""
    milex = data.read_typed(paths.table_csv("milex", paths.DEFAULT_DATA_DIR).read_bytes(),
                             data.read_descriptor("milex", paths.DEFAULT_DATA_DIR))
    assert fair_use.units_per_table(paths.DEFAULT_DATA_DIR)["milex"] == (MILEX, int(milex["value"].notna().sum()))


def test_counting_detects_a_table_over_the_limit(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "big.csv").write_text("value\n" + "1.5\n" * (fair_use.LIMIT + 1) + "\n" * 3)
    tables.write_descriptor("big", {"name": "big", "schema": {"fields": [{"name": "value", "type": "number"}]},
                                  "provenance": {"fair_use_database": MILEX, "fair_use_unit_columns": ["value"]}},
                          folder)
    assert fair_use.units_per_database(folder) == {MILEX: fair_use.LIMIT + 1}


def test_a_declared_unit_column_must_exist(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "t.csv").write_text("a\n1\n")
    tables.write_descriptor("t", {"name": "t", "provenance": {"fair_use_database": MILEX,
                                                            "fair_use_unit_columns": ["value"]}}, folder)
    with pytest.raises(ValueError, match="lacks"):
        fair_use.units_per_table(folder)
