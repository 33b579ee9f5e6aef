"""``python -m utils.write.refresh``: change reports, like-with-like comparison of releases, atomic writes, and bad input.

Every test that could write runs against a copy of data/ (``CSTO_DATA_DIR``) and checks the copy byte for byte.
The bad-input workbooks are generated here in SIPRI's layout with openpyxl, then broken in one way each.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.styles import Font

from utils.read import data
from utils import paths
from utils.write import refresh, refresh_plan, refresh_report
from utils.write.importers import SourceFormatError, sipri_milex
from utils.write import validation

SIPRI = Path("sipri_milex")
NEWEST = SIPRI / "SIPRI-Milex-data-1949-2025_v1.2.xlsx"
RELEASE_2025 = SIPRI / "SIPRI-Milex-data-1949-2024_2.xlsx"
CORRECTED_2024 = SIPRI / "SIPRI-Milex-data-1949-2023.xlsx"
RETRIEVED = "2026-11-24"  # the date data/ records for the files in ../shared


# --------------------------------------------------------------------------------------------- helpers


@pytest.fixture
def sources_only(tmp_path, monkeypatch):
    """A data folder holding only the ``sources`` table (CSTO_DATA_DIR points at it): where a first build starts."""
    folder = tmp_path / "sources_only"
    folder.mkdir()
    for name in ("sources.csv", "sources.resource.json"):
        shutil.copy2(paths.DEFAULT_DATA_DIR / name, folder)
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(folder))
    return folder


_READS: dict = {}


@pytest.fixture
def shared(shared_sources, monkeypatch):
    """The official files folder, with each workbook read once per session (reading takes a few tenths of a second).

    The importer itself is exercised on every file by test_import_milex.py; here the refresh logic is under test.
    """
    real_read = sipri_milex.read

    def read(path, progress=None):
        path = Path(path).resolve()
        if path.parent != (shared_sources / SIPRI).resolve():
            return real_read(path, progress)
        if path not in _READS:
            _READS[path] = real_read(path, progress)
        cached = _READS[path]
        return type(cached)(tables={k: v.copy() for k, v in cached.tables.items()},
                            provenance={k: dict(v) for k, v in cached.provenance.items()},
                            inputs={k: v.copy() for k, v in cached.inputs.items()})

    monkeypatch.setattr(sipri_milex, "read", read)
    return shared_sources


def fingerprint(folder: Path) -> dict[str, str]:
    """sha256 of every file in a folder (hidden temporary files included, so leftovers are caught)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def run(capsys, *argv):
    """Run the command in-process; return (exit status, stdout, stderr)."""
    try:
        status = refresh.main([str(a) for a in argv])
    except SystemExit as exit_:  # argparse usage errors
        status = exit_.code
    out, err = capsys.readouterr()
    return status, out, err


YEARS = list(range(1949, 2026))
SHORT_YEARS = list(range(1988, 2026))
BLOCKS = [
    ("Asia & Oceania", []),
    ("Central Asia", ["Kazakhstan", "Kyrgyz Republic", "Tajikistan", "Turkmenistan", "Uzbekistan"]),
    ("Europe", []),
    ("Eastern Europe", ["Armenia", "Azerbaijan", "Belarus", "Georgia", "Moldova", "Russia", "Ukraine", "USSR"]),
    ("Western Europe", ["France"]),
]
BLUE, RED = Font(color="FF0000FF"), Font(color="FFFF0000")


def _value(country: str, year: int, share: bool):
    if country == "USSR":
        return 100000.0 if year < 1992 else "xxx"
    if country not in ("France",) and year < 1992:
        return "xxx"
    if country == "Uzbekistan" and year != 2018:
        return "..."
    base = 10.0 + 7 * len(country) + (year - 1992)
    return round(base / 1000, 5) if share else base


def _data_sheet(workbook, name, title, labels, header_row, years, share=False):
    sheet = workbook.create_sheet(name)
    sheet.cell(1, 1, title)
    sheet.cell(2, 1, "Figures are in US $m.")
    sheet.cell(3, 1, "Figures in blue are SIPRI estimates. Figures in red indicate highly uncertain data.")
    sheet.cell(4, 1, '"..." = data unavailable. "xxx" = country did not exist or was not independent.')
    for column, label in enumerate(labels, start=1):
        sheet.cell(header_row, column, label if label else None)
    for offset, year in enumerate(years):
        sheet.cell(header_row, len(labels) + 1 + offset, year)
    row = header_row + 2
    for block, members in BLOCKS:
        sheet.cell(row, 1, block)
        row += 1
        for country in members:
            sheet.cell(row, 1, country)
            for offset, year in enumerate(years):
                cell = sheet.cell(row, len(labels) + 1 + offset, _value(country, year, share))
                if country == "Kyrgyz Republic" and year == 2020:
                    cell.font = BLUE
                if country == "Tajikistan" and year == 2021:
                    cell.font = RED
            row += 1
    return sheet


def make_workbook(path: Path, edit=None, release=2026, base=2024) -> Path:
    """A small workbook in SIPRI's official layout (ten sheets, header rows 6-8, region blocks, fonts)."""
    workbook = openpyxl.Workbook()
    front = workbook.active
    front.title = "Front page"
    front.cell(2, 2, "SIPRI Military Expenditure Database")
    front.cell(20, 2, f"provided that SIPRI is cited as the source of the data, with the citation: 'SIPRI Military "
                      f"Expenditure Database {release}, https://www.sipri.org/databases/milex'")
    workbook.create_sheet("Regional totals").cell(14, 1, "Region")
    workbook.create_sheet("Local currency financial years").cell(8, 1, "Country")
    workbook.create_sheet("Local currency calendar years").cell(7, 1, "Country")
    copyright_ = f"© SIPRI {release}"
    _data_sheet(workbook, f"Constant ({base}) US$",
                f"Military expenditure by country, in constant ({base}) US$ m., 1949–2025 {copyright_}",
                ["Country", "", "Notes"], 6, YEARS)
    _data_sheet(workbook, "Current US$", f"Military expenditure by country, current US$ {copyright_}",
                ["Country", "Notes"], 6, YEARS)
    _data_sheet(workbook, "Share of GDP", f"Military expenditure as share of GDP {copyright_}",
                ["Country", "Notes"], 6, YEARS, share=True)
    _data_sheet(workbook, "Per capita", f"Military expenditure per capita {copyright_}",
                ["Country", "Notes"], 7, SHORT_YEARS)
    _data_sheet(workbook, "Share of Govt. spending", f"Military expenditure as share of govt spending {copyright_}",
                ["Country", "Notes", "Reporting year"], 8, SHORT_YEARS, share=True)
    workbook.create_sheet("Footnotes").cell(1, 1, "Footnotes")
    if edit is not None:
        edit(workbook)
    workbook.save(path)
    return path


def find_row(sheet, name: str) -> int:
    return next(cell.row for cell in sheet["A"] if cell.value == name)


def year_column(sheet, year: int, header_row: int = 6) -> int:
    return next(cell.column for cell in sheet[header_row] if cell.value == year)


# --------------------------------------------------------------------------------------------- the generator is right


def test_generated_workbook_imports_like_an_official_one(tmp_path):
    result = sipri_milex.read(make_workbook(tmp_path / "milex.xlsx"), progress=False)
    frame = result.tables["milex"]
    info = result.provenance["milex"]
    assert (info["release"], info["price_base"], info["years"]) == (2026, 2024, [1992, 2025])
    assert len(frame) == 9 * 34 * 5
    status = frame.set_index(["iso3", "year", "measure"])["status"]
    assert status[("KGZ", 2020, "constant_usd_2024")] == "estimate"
    assert status[("TJK", 2021, "share_govt")] == "uncertain"
    assert status[("UZB", 2019, "per_capita")] == "no_data"
    assert status[("RUS", 2019, "current_usd")] == "reported"


def test_release_is_inferred_from_the_data_years_when_no_citation_is_printed(tmp_path):
    def drop_citation(workbook):
        workbook["Front page"].cell(20, 2).value = "Terms of use: see the SIPRI website"

    result = sipri_milex.read(make_workbook(tmp_path / "milex.xlsx", drop_citation), progress=False)
    assert result.provenance["milex"]["release"] == 2026
    assert result.provenance["milex"]["edition_from"].startswith("inferred")


def test_row_numbers_in_messages_are_the_spreadsheet_rows(tmp_path):
    def duplicate_russia(workbook):
        sheet = workbook["Share of GDP"]
        sheet.cell(sheet.max_row + 1, 1, "Russia")
        for column in range(4, 4 + len(YEARS)):
            sheet.cell(sheet.max_row, column, 0.01)

    path = make_workbook(tmp_path / "milex.xlsx", duplicate_russia)
    expected_row = openpyxl.load_workbook(path)["Share of GDP"].max_row
    with pytest.raises(SourceFormatError) as error:
        sipri_milex.read(path, progress=False)
    assert error.value.row == expected_row and error.value.sheet == "Share of GDP"


# --------------------------------------------------------------------------------------------- bad input


def _text(content: str):
    return lambda path: path.write_text(content, encoding="utf-8")


def _bytes(content: bytes):
    return lambda path: path.write_bytes(content)


def _truncated(path):
    make_workbook(path)
    content = path.read_bytes()
    path.write_bytes(content[: len(content) // 2])


def _damaged_sheet(path):
    """A valid zip whose 'Current US$' sheet XML is cut in half (a partly corrupted file)."""
    source = make_workbook(path.with_name("whole.xlsx"))
    with zipfile.ZipFile(source) as whole, zipfile.ZipFile(path, "w") as broken:
        for item in whole.infolist():
            content = whole.read(item.filename)
            if item.filename == "xl/worksheets/sheet6.xml":  # sheets in order: the sixth is 'Current US$'
                content = content[: len(content) // 2]
            broken.writestr(item, content)


def _zip_without_workbook(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")


def _workbook(edit):
    return lambda path: make_workbook(path, edit)


def _arms_register_workbook(path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Trade Register"
    sheet.append(["Transfers of major conventional arms from All countries to All countries"])
    sheet.append(["Source: SIPRI Arms Transfers Database (c) SIPRI."])
    sheet.append(["Recipient", "Supplier", "Year of order", "Number ordered", "Weapon designation"])
    sheet.append(["Armenia", "Russia", 2016, 4, "Iskander"])
    workbook.save(path)


def set_workbook_cell(sheet_name, country, year, value, header_row=6):
    """An edit for :func:`make_workbook`: ``value`` in one country-year cell of one sheet (test_refresh_safety uses it)."""
    def edit(workbook):
        sheet = workbook[sheet_name]
        sheet.cell(find_row(sheet, country), year_column(sheet, year, header_row)).value = value
    return edit


def _rename_cell(sheet_name, row, column, value):
    def edit(workbook):
        workbook[sheet_name].cell(row, column).value = value
    return edit


def _delete_sheet(name):
    return lambda workbook: workbook.remove(workbook[name])


def _delete_country(sheet_name, country):
    def edit(workbook):
        sheet = workbook[sheet_name]
        sheet.delete_rows(find_row(sheet, country))
    return edit


def _duplicate_country(sheet_name, country):
    def edit(workbook):
        sheet = workbook[sheet_name]
        source = find_row(sheet, country)
        target = sheet.max_row + 1
        for column in range(1, sheet.max_column + 1):
            sheet.cell(target, column, sheet.cell(source, column).value)
    return edit


def _short_sheet(workbook):
    sheet = workbook["Per capita"]
    sheet.delete_cols(year_column(sheet, 2025, header_row=7))


def _wrong_title_base(workbook):
    workbook["Constant (2024) US$"]["A1"] = "Military expenditure by country, in constant (2023) US$ m., 1949–2025"


ARMS_CSV = (
    "Transfers of major conventional arms from All countries  to All countries . Deals with deliveries made for "
    "the year range 'Not specified' to 'Not specified' \n"
    "SIPRI trend-indicator values (TIVs) are in millions.\n\n"
    "Source: SIPRI Arms Transfers Database (c) SIPRI.\n"
    "Recipient,Supplier,Year of order, ,Number ordered\nArmenia,Russia,2016,,4\n"
)

# name -> (how to make the file, words the message must contain)
BAD_INPUTS = {
    "empty file": (_bytes(b""), ["empty", "0 bytes"]),
    "truncated workbook": (_truncated, ["damaged or truncated"]),
    "png image": (_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200), ["PNG image"]),
    "plain text": (_text("These are my notes on SIPRI data.\n"), ["text file", "not an Excel workbook"]),
    "csv instead of workbook": (_text("Country,2019,2020\nRussia,65201.3,61712.5\n"), ["CSV file"]),
    "old xls": (_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500), [".xls"]),
    "damaged sheet": (_damaged_sheet, ["sheet 'Current US$'", "damaged or truncated"]),
    "zip but not xlsx": (_zip_without_workbook, ["zip archive but not an Excel workbook"]),
    "arms transfers csv": (_text(ARMS_CSV), ["Arms Transfers Database", "refresh arms"]),
    "arms register workbook": (_arms_register_workbook, ["Arms Transfers Database", "refresh arms"]),
    "missing sheet": (_workbook(_delete_sheet("Share of GDP")), ["sheet 'Share of GDP' is missing"]),
    "renamed Notes header": (_workbook(_rename_cell("Current US$", 6, 2, "Remarks")),
                             ["sheet 'Current US$'", "row 6", "column B", "'Notes'", "'Remarks'"]),
    "missing Country header": (_workbook(_rename_cell("Share of GDP", 6, 1, "Nation")),
                               ["sheet 'Share of GDP'", "row 6", "column A", "'Country'", "'Nation'"]),
    "missing Reporting year header": (_workbook(_rename_cell("Share of Govt. spending", 8, 3, None)),
                                      ["sheet 'Share of Govt. spending'", "row 8", "column C", "'Reporting year'"]),
    "text in a year header": (_workbook(_rename_cell("Current US$", 6, 2 + 2019 - 1948, "abc")),
                              ["row 6", "expected a year", "'abc'"]),
    "gap in the years": (_workbook(_rename_cell("Current US$", 6, 2 + 2020 - 1948, 2021)),
                         ["row 6", "expected year 2020"]),
    "text where a number belongs": (_workbook(set_workbook_cell("Constant (2024) US$", "Russia", 2020, "n/a")),
                                    ["sheet 'Constant (2024) US$'", "row ", "(2020)", "expected a number", "'n/a'"]),
    "empty value cell": (_workbook(set_workbook_cell("Current US$", "Armenia", 2010, None)),
                         ["sheet 'Current US$'", "(2010)", "the cell is empty"]),
    "negative amount": (_workbook(set_workbook_cell("Current US$", "Kazakhstan", 2010, -5.0)),
                        ["sheet 'Current US$'", "(2010)", "zero or more", "-5.0"]),
    "duplicated country row": (_workbook(_duplicate_country("Per capita", "Belarus")),
                               ["sheet 'Per capita'", "'Belarus' appears twice"]),
    "unknown country in the block": (_workbook(_rename_cell("Share of GDP", 10, 1, "Kyrgyzia")),
                                     ["sheet 'Share of GDP'", "row 10", "column A", "'Kyrgyzia'", "Central Asia"]),
    "treaty party missing": (_workbook(_delete_country("Constant (2024) US$", "Tajikistan")),
                             ["sheet 'Constant (2024) US$'", "no row for 'Tajikistan'", "nine treaty parties"]),
    "sheets end in different years": (_workbook(_short_sheet), ["sheet 'Per capita'", "2024", "2025"]),
    "title and sheet disagree on price base": (_workbook(_wrong_title_base), ["constant (2023)", "Constant (2024) US$"]),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_refused_in_plain_words_and_data_stays_unchanged(case, tmp_path, data_copy, capsys):
    make, words = BAD_INPUTS[case]
    path = tmp_path / ("input.csv" if "csv" in case else "input.xlsx")
    make(path)
    before = fingerprint(data_copy)
    status, out, err = run(capsys, "milex", path)
    assert status == 1
    assert "Traceback" not in err and "Traceback" not in out
    lines = [line for line in err.splitlines() if line.strip()]
    assert 1 <= len(lines) <= 2, err
    assert lines[0].startswith(f"error: {path.name}"), err
    for word in words:
        assert word in lines[0], f"{word!r} not in: {lines[0]}"
    assert fingerprint(data_copy) == before


def test_a_path_that_does_not_exist(tmp_path, data_copy, capsys):
    before = fingerprint(data_copy)
    status, _, err = run(capsys, "milex", tmp_path / "nowhere.xlsx")
    assert status == 1 and "nowhere.xlsx: no such file" in err and "Traceback" not in err
    assert fingerprint(data_copy) == before


def test_the_real_arms_export_is_refused_by_the_milex_importer(shared_sources, data_copy, capsys):
    before = fingerprint(data_copy)
    status, _, err = run(capsys, "milex", shared_sources / "sipri_arms_transfers" / "trade-register.csv")
    assert status == 1 and "Arms Transfers Database" in err
    assert fingerprint(data_copy) == before


def test_a_release_missing_from_sources_fails_validation_and_writes_nothing(tmp_path, data_copy, capsys):
    """A well-formed 2027 release cannot be installed before sipri_milex_2027 is added to sources.csv."""
    path = make_workbook(tmp_path / "milex-2027.xlsx", release=2027)
    before = fingerprint(data_copy)
    status, out, err = run(capsys, "milex", path)
    assert status == 1, out + err
    assert "sipri_milex_2027" in err and "sources.csv" in err
    assert fingerprint(data_copy) == before


# --------------------------------------------------------------------------------------------- usage


def test_help_is_clear():
    result = subprocess.run([sys.executable, "-m", "utils.write.refresh", "--help"], capture_output=True, text=True,
                            cwd=paths.REPO_ROOT, timeout=60)
    assert result.returncode == 0
    for text in ("SOURCE", "FILE", "--dry-run", "--comparison", "milex", "Exit status"):
        assert text in result.stdout


@pytest.mark.parametrize("argv", [[], ["gdp", "x.csv"], ["milex"], ["arms", "x.csv", "--comparison", "y.xlsx"],
                                  ["milex", "x.xlsx", "--retrieved", "yesterday"]])
def test_usage_errors_exit_2(argv, data_copy, capsys):
    before = fingerprint(data_copy)
    status, _, err = run(capsys, *argv)
    assert status == 2 and "usage:" in err
    assert fingerprint(data_copy) == before




# --------------------------------------------------------------------------------------------- done-when checks


@pytest.mark.shared
def test_newest_release_again_reports_no_change(shared, data_copy, capsys):
    before = fingerprint(data_copy)
    status, out, err = run(capsys, "milex", shared / NEWEST, "--dry-run")
    assert status == 0, err
    assert "No change" in out and "Dry run: nothing written." in out
    assert fingerprint(data_copy) == before


@pytest.mark.shared
def test_older_release_reports_revisions_including_kyrgyzstan_2020(shared, data_copy, capsys):
    before = fingerprint(data_copy)
    status, out, err = run(capsys, "milex", shared / RELEASE_2025, "--dry-run", "--all")
    assert status == 0, err
    assert "OLDER release" in out and "from the 2025 release to the 2026 release" in out
    kyrgyz = [line for line in out.splitlines() if line.split()[:2] == ["Kyrgyzstan", "2020"]]
    # Measures in words: current US$ compared directly (258.3 -> 257.0), constant dollars after rebasing to 2023 prices
    current = next(line for line in kyrgyz if " spending in current US dollars " in line)
    assert current.split()[-3:] == ["258.3", "257.0", "-0.51%"]
    assert any(" spending in constant 2023 US dollars (rebased) " in line for line in kyrgyz)
    assert "_usd" not in out and "share_gdp" not in out  # no internal codes
    assert "Rebased:" in out and "Years added: 2025" in out
    # The summary comes first and names the release and the revised countries.
    assert out.startswith("In short:\n  SIPRI-Milex-data-1949-2024_2.xlsx holds SIPRI's 2025 release, OLDER")
    summary = out[:out.index("\n\n")]
    assert "revised beyond rounding" in summary and "Kyrgyzstan (" in summary
    assert fingerprint(data_copy) == before
    # Without --all, the largest-first list is cut, but the per-country summary still shows Kyrgyzstan's 2020 revision.
    status, out, err = run(capsys, "milex", shared / RELEASE_2025, "--dry-run")
    summary = out[out.index("Revised values by country:"):]
    kyrgyz_line = next(line for line in summary.splitlines() if line.split()[:1] == ["Kyrgyzstan"])
    first, last = (int(y) for y in kyrgyz_line.split()[2].split("-"))
    assert first <= 2020 <= last
    # Without --dry-run the older release is refused (exit 1), still writing nothing.
    status, _, err = run(capsys, "milex", shared / RELEASE_2025)
    assert status == 1 and "older than the 2026 release" in err and "--comparison" in err
    assert fingerprint(data_copy) == before


@pytest.mark.shared
def test_refresh_reproduces_data_byte_for_byte(shared, sources_only, capsys):
    folder = sources_only
    # The burden-sharing tables also read who is a member in which year (hand-built tables), and leave out the figures
    # the consistency checks suspect, which need the World Bank's GDP to tell a copied row from its original.
    for name in ("nato_members", "memberships", "gdp"):
        for path in (paths.table_csv(name, paths.DEFAULT_DATA_DIR), paths.table_descriptor(name, paths.DEFAULT_DATA_DIR)):
            shutil.copy2(path, folder)
    status, out, err = run(capsys, "milex", shared / NEWEST, "--comparison", shared / CORRECTED_2024,
                           "--retrieved", RETRIEVED)
    assert status == 0, err
    assert "alliance_burden: created with" in out
    for name in ("milex", "milex_suspicions", "alliance_burden", "alliance_burden_members"):
        for path in (paths.table_csv(name, folder), paths.table_descriptor(name, folder)):
            assert path.read_bytes() == (paths.DEFAULT_DATA_DIR / path.name).read_bytes(), path.name
    # A second run with the same files (no --retrieved: the recorded date is kept) has nothing to write.
    before = fingerprint(folder)
    status, out, _ = run(capsys, "milex", shared / NEWEST)
    assert status == 0 and "nothing to write" in out
    assert fingerprint(folder) == before


def test_a_workbook_without_nato_members_keeps_the_burden_tables(tmp_path, sources_only, capsys):
    # A folder without milex (so the small workbook's made-up figures meet no installed ones to be judged against),
    # holding the burden tables a full release built.
    names = ("alliance_burden", "alliance_burden_members", "nato_members", "memberships")
    for name in names:
        for path in (paths.table_csv(name, paths.DEFAULT_DATA_DIR), paths.table_descriptor(name, paths.DEFAULT_DATA_DIR)):
            shutil.copy2(path, sources_only)
    before = {name: paths.table_csv(name, sources_only).read_bytes() for name in names[:2]}
    status, out, err = run(capsys, "milex", make_workbook(tmp_path / "small.xlsx"), "--retrieved", RETRIEVED)
    assert status == 0, err
    assert "alliance_burden: not rebuilt: small.xlsx has no row for 31 of the 32 NATO members" in out
    assert {name: paths.table_csv(name, sources_only).read_bytes() for name in before} == before


@pytest.mark.shared
def test_a_new_release_reports_the_burden_tests_it_changes(shared, sources_only, capsys):
    """Data built from the 2025 release, then the 2026 workbook: the report lists the correlations and shares that
    change, and the year added."""
    for name in ("nato_members", "memberships"):
        for path in (paths.table_csv(name, paths.DEFAULT_DATA_DIR), paths.table_descriptor(name, paths.DEFAULT_DATA_DIR)):
            shutil.copy2(path, sources_only)
    status, _, err = run(capsys, "milex", shared / RELEASE_2025, "--retrieved", RETRIEVED)
    assert status == 0, err
    status, out, err = run(capsys, "milex", shared / NEWEST, "--dry-run")
    assert status == 0, err
    report = out[out.index("alliance_burden:"):]
    assert "added: NATO 2025, CSTO 2025" in report, report
    assert "alliance-years changed (largest change of rho first):" in report
    assert "share of spending" in report and " -> " in report


@pytest.mark.shared
def test_updating_from_the_2025_to_the_2026_release(shared, sources_only, capsys):
    """The workflow of notebook 08: data built from the 2025 release, then the 2026 workbook arrives."""
    folder = sources_only
    status, _, err = run(capsys, "milex", shared / RELEASE_2025, "--comparison", shared / CORRECTED_2024,
                         "--retrieved", RETRIEVED)
    assert status == 0, err
    status, out, err = run(capsys, "milex", shared / NEWEST, "--retrieved", RETRIEVED)
    assert status == 0, err
    assert "New release: it replaces the figures of the 2025 release." in out
    assert "Older release to compare with: SIPRI Military Expenditure Database 2024 kept" in out
    assert "Kyrgyzstan" in out
    # The result is exactly the committed data: same rows, same descriptor.
    for name in ("milex.csv", "milex.resource.json"):
        assert (folder / name).read_bytes() == (paths.DEFAULT_DATA_DIR / name).read_bytes(), name
    validation.validate_table("milex", folder)


@pytest.mark.shared
def test_installing_another_comparison_release(shared, data_copy, capsys):
    status, out, err = run(capsys, "milex", shared / NEWEST, "--comparison", shared / RELEASE_2025)
    assert status == 0, err
    assert "replaced by SIPRI Military Expenditure Database 2025" in out
    milex = data.load("milex")
    assert set(milex["release"]) == {2026, 2025}
    assert set(milex.loc[milex["release"] == 2025, "measure"]) == {"constant_usd_2023"}
    provenance = data.read_descriptor("milex", data_copy)["provenance"]
    assert provenance["source_id"] == ["sipri_milex_2026", "sipri_milex_2025"]
    assert provenance["builder"].endswith("--comparison SIPRI-Milex-data-1949-2024_2.xlsx")  # a name, not a path
    validation.validate_table("milex", data_copy)


@pytest.mark.shared
def test_comparison_must_be_older_than_the_newest(shared, data_copy, capsys):
    before = fingerprint(data_copy)
    status, _, err = run(capsys, "milex", shared / CORRECTED_2024, "--comparison", shared / NEWEST)
    assert status == 1 and "--comparison" in err
    assert fingerprint(data_copy) == before


@pytest.mark.shared
def test_a_failure_while_swapping_files_in_restores_the_old_ones(shared, sources_only, monkeypatch, capsys):
    folder = sources_only
    assert run(capsys, "milex", shared / RELEASE_2025, "--retrieved", RETRIEVED)[0] == 0
    before = fingerprint(folder)

    real_replace = os.replace
    calls = []

    def failing_replace(source, target):
        if Path(target).parent == folder:  # a file of data/ (not the journal beside it)
            calls.append(target)
            if len(calls) == 2:  # the CSV is swapped in, then the descriptor fails
                raise OSError("disk full")
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing_replace)
    status, _, err = run(capsys, "milex", shared / NEWEST)
    assert status == 1 and "disk full" in err and "Traceback" not in err
    assert len(calls) >= 2
    assert fingerprint(folder) == before  # the CSV was put back and no temporary file is left
    assert sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(".sources_only")) == [
        ".sources_only.lock"]  # no journal, no pending files beside it either


# --------------------------------------------------------------------------------------------- claims and other sources


def test_claim_verdicts_are_compared_between_old_and_new_data(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir(), new.mkdir()
    (old / "flag").write_text("95")
    (new / "flag").write_text("93")

    def check_claims(folder):
        share = int((Path(folder) / "flag").read_text())
        return pd.DataFrame({"claim_id": ["russia_95", "six_members"],
                             "computed_verdict": ["supported" if share >= 95 else "outdated", "supported"]})

    lines = refresh_report.claims_report(old, new, check=check_claims)
    assert lines[0] == "Claims whose verdict changes: 1 of 2"
    assert lines[1].strip() == "russia_95: supported -> outdated"


def test_a_failing_claims_check_is_reported_in_one_line_and_does_not_block(tmp_path):
    def check_claims(folder):
        raise KeyError("computed_verdict")

    lines = refresh_report.claims_report(tmp_path, tmp_path, check=check_claims)
    assert lines == ["Claims: check skipped (check_claims failed: KeyError: 'computed_verdict')."]


def test_generic_source_replaces_its_table_and_reports_changes(monkeypatch, tmp_path, data_copy, capsys):
    """Sources other than milex: the importer's tables replace data/ tables, with the same report and checks."""
    values = {"n": [1.0, 2.0]}

    def descriptor(name):
        return {
            "name": name, "path": f"{name}.csv", "title": "Demo", "profile": "tabular-data-resource",
            "schema": {"fields": [{"name": "iso3", "type": "string"}, {"name": "year", "type": "integer"},
                                  {"name": "n", "type": "number"}],
                       "primaryKey": ["iso3", "year"], "missingValues": [""]},
            "provenance": {"source": "demo", "edition": "1", "licence_terms": "demo", "notebooks": ["x.ipynb"]},
        }

    def read(path, progress=None, folder=None):
        from utils.write.importers import ImportResult

        frame = pd.DataFrame({"iso3": ["ARM"] * len(values["n"]), "year": range(2000, 2000 + len(values["n"])),
                              "n": values["n"]})
        return ImportResult(tables={"demo": frame}, provenance={"demo": {"source_sha256": str(values["n"])}})

    module = types.SimpleNamespace(SOURCE="cow", read=read, descriptor=descriptor)
    monkeypatch.setitem(refresh_plan.IMPORTERS, "cow", module)
    path = tmp_path / "cow.csv"
    path.write_text("anything")

    status, out, err = run(capsys, "cow", path, "--retrieved", RETRIEVED)
    assert status == 0, err
    assert "demo.csv does not exist yet" in out
    assert data.load("demo")["n"].tolist() == [1.0, 2.0]
    assert data.read_descriptor("demo", data_copy)["provenance"]["builder"].startswith("python -m utils.write.refresh cow ")

    values["n"] = [1.0, 3.0, 4.0]
    before = fingerprint(data_copy)
    status, out, err = run(capsys, "cow", path, "--dry-run")
    assert status == 0, err
    assert "1 row added, 0 removed; 1 value revised" in out and "Years added: 2002." in out
    assert "Table demo: 1 row added, 0 removed, 1 value revised, years added: 2002." in out  # the summary
    assert "+50.00%" in out
    assert fingerprint(data_copy) == before
