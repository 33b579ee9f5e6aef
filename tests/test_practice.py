"""The practice release: a workbook in SIPRI's layout that the real importer and the real refresh accept, with
planted changes the refresh reports, and only those."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from utils.read import data
from utils import paths
from utils.write import practice
from utils.write.importers import sipri_milex

KEYS = ["iso3", "year", "measure"]


@pytest.fixture(scope="module")
def milex() -> pd.DataFrame:
    return data.load("milex")


def test_an_unchanged_release_reads_back_exactly_as_the_data(milex, tmp_path):
    release = practice.newest_release(milex)
    path = practice.write_workbook(release, tmp_path / "same.xlsx")
    read = sipri_milex.read(path, progress=False).tables["milex"]
    columns = ["iso3", "year", "measure", "value", "unit", "edition", "status", "release", "price_base"]
    expected = release.sort_values(KEYS).reset_index(drop=True)[columns]
    pd.testing.assert_frame_equal(read.sort_values(KEYS).reset_index(drop=True)[columns], expected,
                                  check_dtype=False)


def test_the_importer_reads_the_planted_changes_and_nothing_else(milex, tmp_path):
    made = practice.write_practice_release(tmp_path, milex=milex)
    read = sipri_milex.read(made.path, progress=False).tables["milex"]
    merged = practice.newest_release(milex).merge(read, on=KEYS, suffixes=("_data", "_file"))
    moved = (merged["value_file"] / merged["value_data"] - 1).abs() > 1e-9
    reflagged = merged["status_data"] != merged["status_file"]
    found = merged.loc[moved | reflagged, KEYS].apply(tuple, axis=1)
    assert set(found) == set(made.planted[KEYS].apply(tuple, axis=1))
    kinds = made.planted.groupby("change")[["iso3", "year"]].apply(lambda f: len(f.drop_duplicates()))
    assert kinds[practice.REVISED] == 3 and kinds[practice.FLAG_CHANGED] == 1
    revised = made.planted[made.planted["change"] == practice.REVISED]
    assert ((revised["new_value"] / revised["old_value"] - 1).abs().between(0.039, 0.121)).all()


def test_the_same_variant_plants_the_same_changes_and_another_variant_others(milex, tmp_path):
    first = practice.write_practice_release(tmp_path / "a", variant=1, milex=milex)
    again = practice.write_practice_release(tmp_path / "b", variant=1, milex=milex)
    other = practice.write_practice_release(tmp_path / "c", variant=2, milex=milex)
    pd.testing.assert_frame_equal(first.planted, again.planted)
    assert not first.planted[["iso3", "year"]].equals(other.planted[["iso3", "year"]])


def test_the_refresh_reports_the_planted_changes_and_writes_only_to_the_copy(milex, tmp_path):
    made = practice.write_practice_release(tmp_path, milex=milex)
    status, report = practice.run_refresh("milex", made.path, "--dry-run")
    assert status == 0, report
    assert "Dry run: nothing written." in report
    revised = made.planted[made.planted["change"] == practice.REVISED]
    section = report.split("Revised values by country:")[1].split("Status changes")[0]
    for country, year in revised[["country", "year"]].drop_duplicates().values:
        assert any(country in line and str(year) in line for line in section.splitlines()), (country, year)
    flags = int((made.planted['change'] == practice.FLAG_CHANGED).sum())
    assert f"Status changes (SIPRI's flag on a figure): {flags}" in report
    # The summary opens the report, in words: every planted country by name, no internal codes.
    summary = report[:report.index("\n\n")]
    assert summary.startswith("In short:")
    for country in made.planted["country"].unique():
        assert country in summary, country
    assert "_usd" not in report and "share_g" not in report and "per_capita" not in report

    before = paths.table_csv("milex", paths.DEFAULT_DATA_DIR).read_bytes()
    copy = shutil.copytree(paths.DEFAULT_DATA_DIR, tmp_path / "data")
    status, written = practice.run_refresh("milex", made.path, data_dir=copy)
    assert status == 0, written
    assert paths.table_csv("milex", paths.DEFAULT_DATA_DIR).read_bytes() == before
    assert paths.table_csv("milex", copy).read_bytes() != before
    assert paths.data_dir() == paths.DEFAULT_DATA_DIR  # the variable is restored after the call


def test_run_refresh_returns_the_error_of_a_bad_file(tmp_path):
    bad = tmp_path / "not-a-workbook.xlsx"
    bad.write_text("country,year\n")
    status, printed = practice.run_refresh("milex", bad, "--dry-run")
    assert status == 1 and "not-a-workbook.xlsx" in printed and "Nothing was written" in printed
