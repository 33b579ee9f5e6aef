"""Importer for the SIPRI Military Expenditure Database workbook (``SIPRI-Milex-data-1949-YYYY.xlsx``).

Reads the workbook exactly as SIPRI publishes it and returns the ``milex`` table: one row per treaty party,
year (1992 to the last year in the file) and measure::

    iso3, country, year, measure, value, unit, edition, status, release, price_base, source_id

Measures and how SIPRI stores them:

=====================  ===============================  ==============================================
measure                sheet                            unit (as stored in ``value``)
=====================  ===============================  ==============================================
``constant_usd_2024``  ``Constant (2024) US$``          US$ million, constant 2024 prices and exchange rates
``current_usd``        ``Current US$``                  US$ million, current
``share_gdp``          ``Share of GDP``                 fraction of GDP (0.041 = 4.1 %)
``share_govt``         ``Share of Govt. spending``      fraction of government spending
``per_capita``         ``Per capita``                   US$ per person, current
=====================  ===============================  ==============================================

``status`` comes from SIPRI's own markings: a number in a blue font is a SIPRI ``estimate``, in a red font
``uncertain`` (highly uncertain data), otherwise ``reported``; the string ``...`` is ``no_data`` and ``xxx``
``not_a_state`` (the country did not exist or was not independent), both with an empty ``value``.

The release (``edition``, e.g. "SIPRI Military Expenditure Database 2026") is read from the citation on the
workbook's front page and the price base from the constant-dollar sheet's name, never from the file name
(SIPRI's file names give the data years, not the release). Anything unexpected raises
:class:`~utils.write.importers.SourceFormatError` naming the sheet, row and column.
"""

from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from utils.read import countries
from utils.write.importers import ImportResult, SourceFormatError, bounds, remembered_by_content
from utils.write.importers import common
from utils.write.importers.excel import (
    FontColours,
    column_letter,
    drawing_texts,
    looks_like_arms_export,
    open_workbook,
    rows_of,
)

SOURCE = "milex"
TABLE = "milex"
#: read() depends on the workbook alone, never on the data folder: a refresh reads it before taking the data folder's
#: lock, and keeps the reading if it has to plan again (utils.write.refresh_plan.read_files).
READS_ONLY_ITS_FILE = True
DATABASE = "SIPRI Military Expenditure Database"
URL = "https://www.sipri.org/databases/milex"

#: First year kept: the treaty was signed in 1992 and the post-Soviet states have SIPRI data from then on.
FIRST_YEAR = 1992

#: Columns of the ``milex`` table, in order.
COLUMNS = ["iso3", "country", "year", "measure", "value", "unit", "edition", "status", "release", "price_base", "source_id"]

STATUSES = ("reported", "estimate", "uncertain", "no_data", "not_a_state")

#: The measures in the order rows are written.
MEASURE_ORDER = ("constant_usd", "current_usd", "share_gdp", "share_govt", "per_capita")

#: Countries SIPRI lists in the two regional blocks holding the treaty parties. Any other name in these blocks
#: means the layout changed (or a row was renamed), so the importer stops rather than guess.
NEIGHBOURS = {
    "Central Asia": {"Kazakhstan", "Kyrgyz Republic", "Tajikistan", "Turkmenistan", "Uzbekistan"},
    "Eastern Europe": {"Armenia", "Azerbaijan", "Belarus", "Georgia", "Moldova", "Russia", "Ukraine", "USSR"},
}

#: How SIPRI spells each treaty party (used in messages) and the block it lists it under.
SIPRI_NAMES = {
    "ARM": ("Armenia", "Eastern Europe"),
    "AZE": ("Azerbaijan", "Eastern Europe"),
    "BLR": ("Belarus", "Eastern Europe"),
    "GEO": ("Georgia", "Eastern Europe"),
    "KAZ": ("Kazakhstan", "Central Asia"),
    "KGZ": ("Kyrgyz Republic", "Central Asia"),
    "RUS": ("Russia", "Eastern Europe"),
    "TJK": ("Tajikistan", "Central Asia"),
    "UZB": ("Uzbekistan", "Central Asia"),
}

_CITATION = re.compile(r"SIPRI Military Expenditure Database\W{0,3}(\d{4})")
_CONSTANT_SHEET = re.compile(r"^\s*Constant \((\d{4})\) US\$\s*$", re.IGNORECASE)
_CONSTANT_TITLE = re.compile(r"constant \((\d{4})\)", re.IGNORECASE)


@dataclass(frozen=True)
class SheetSpec:
    """One data sheet of the workbook: where its header is and what the labels before the years are."""

    measure: str  # measure stem; the constant sheet adds the price base
    sheet: str  # sheet name (the constant sheet's name is matched by _CONSTANT_SHEET)
    labels: tuple[str, ...]  # header cells before the first year, from column A
    header_row: int  # 1-based row of the header in SIPRI's layout (used in messages)
    unit: str


SHEETS = (
    SheetSpec("constant_usd", "Constant (YYYY) US$", ("Country", "", "Notes"), 6,
              "US$ million, constant {base} prices and exchange rates"),
    SheetSpec("current_usd", "Current US$", ("Country", "Notes"), 6, "US$ million, current"),
    SheetSpec("share_gdp", "Share of GDP", ("Country", "Notes"), 6, "fraction of GDP"),
    SheetSpec("share_govt", "Share of Govt. spending", ("Country", "Notes", "Reporting year"), 8,
              "fraction of government spending"),
    SheetSpec("per_capita", "Per capita", ("Country", "Notes"), 7, "US$ per person, current"),
)

#: Sheets whose NATO members' rows are read too (every year), for the alliance_burden tables.
ALLIANCE_MEASURES = ("current_usd", "share_gdp")

#: The header must appear within this many rows (SIPRI's is in row 6 to 8).
_HEADER_SEARCH_ROWS = 15


def measure_name(stem: str, price_base: int | None) -> str:
    """``constant_usd`` + 2024 -> ``constant_usd_2024``; other measures keep their stem."""
    return f"{stem}_{price_base}" if stem == "constant_usd" else stem


def source_id_of(release: int) -> str:
    """The ``sources`` table id of a release: 2026 -> ``sipri_milex_2026``."""
    return f"sipri_milex_{release}"


def edition_of(release: int) -> str:
    """The edition name SIPRI asks users to cite: 2026 -> "SIPRI Military Expenditure Database 2026"."""
    return f"{DATABASE} {release}"


# --------------------------------------------------------------------------------------------- reading


@remembered_by_content
def read(path: Path | str, progress: bool | None = None) -> ImportResult:
    """Read a SIPRI Military Expenditure workbook into the tidy ``milex`` table.

    ``progress``: ``None`` shows a progress bar only when stderr is a terminal, ``False`` never, ``True`` always.
    Raises :class:`SourceFormatError` for anything that is not the official layout. A workbook read earlier in this
    process, same name and bytes, is not parsed again (:func:`utils.write.importers.remembered_by_content`).
    """
    path = Path(path)
    workbook = open_workbook(path)
    try:
        return _read_workbook(path, workbook, progress)
    finally:
        workbook.close()


def _read_workbook(path: Path, workbook, progress: bool | None) -> ImportResult:
    sheet_names = _find_sheets(path, workbook)
    price_base = int(_CONSTANT_SHEET.match(sheet_names["constant_usd"]).group(1))
    colours = FontColours(workbook)

    from tqdm.auto import tqdm

    disable = (not sys.stderr.isatty()) if progress is None else not progress
    parsed: dict[str, _Sheet] = {}
    with tqdm(total=len(SHEETS), desc=f"Reading {path.name}", unit="sheet", disable=disable, leave=False) as bar:
        for spec in SHEETS:
            parsed[spec.measure] = read_sheet(path, workbook[sheet_names[spec.measure]], spec, colours)
            bar.update()

    constant = parsed["constant_usd"]
    title_base = _CONSTANT_TITLE.search(constant.title or "")
    if title_base and int(title_base.group(1)) != price_base:
        raise SourceFormatError(
            path,
            f"the title says constant ({title_base.group(1)}) US$ but the sheet is named "
            f"'{sheet_names['constant_usd']}'; expected the same price base in both",
            sheet=sheet_names["constant_usd"], row=1, column="A",
        )
    last_years = {spec.measure: parsed[spec.measure].last_year for spec in SHEETS}
    last_year = last_years["constant_usd"]
    for spec in SHEETS:
        if last_years[spec.measure] != last_year:
            raise SourceFormatError(
                path,
                f"its years end in {last_years[spec.measure]} but sheet '{sheet_names['constant_usd']}' ends in "
                f"{last_year}; expected every data sheet to cover the same years",
                sheet=sheet_names[spec.measure],
            )

    release, edition_from = _release(path, workbook, last_year)
    edition = edition_of(release)
    rows = []
    for spec in SHEETS:
        measure = measure_name(spec.measure, price_base)
        unit = spec.unit.format(base=price_base)
        base = price_base if spec.measure == "constant_usd" else None
        for code, year, value, status in parsed[spec.measure].records:
            rows.append((code, countries.name_of(code), year, measure, value, unit, edition, status, release, base))
    frame = pd.DataFrame(rows, columns=COLUMNS[:-1])
    frame["source_id"] = source_id_of(release)
    frame = tidy(frame)
    alliance_states = _alliance_states(path, parsed)

    content = path.read_bytes()
    provenance = {
        "edition": edition,
        "release": release,
        "edition_from": edition_from,
        "price_base": price_base,
        "years": [FIRST_YEAR, last_year],
        "source_id": source_id_of(release),
        "citation": f"{edition}, {URL}",
        "source_file": path.name,
        "source_sha256": hashlib.sha256(content).hexdigest(),
        "source_bytes": len(content),
    }
    return ImportResult(tables={TABLE: frame}, provenance={TABLE: provenance},
                        inputs={"alliance_states": alliance_states})


def _alliance_states(path: Path, parsed: dict[str, "_Sheet"]) -> pd.DataFrame:
    """Every NATO member's and treaty party's spending and share of GDP: ``iso3, year, current_usd, share_gdp``
    (the treaty parties from FIRST_YEAR, NATO members from the sheet's first year). A workbook without some NATO
    members (a practice file) gives a frame without them: the alliance tables are then not rebuilt."""
    columns = []
    for measure in ALLIANCE_MEASURES:
        records = parsed[measure].records + parsed[measure].nato_records
        series = pd.DataFrame(records, columns=["iso3", "year", measure, "status"]).set_index(["iso3", "year"])[measure]
        columns.append(series.astype("float64"))
    return pd.concat(columns, axis=1).sort_index().reset_index()


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Give a ``milex`` frame its canonical dtypes and row order (newest release first, then measure, iso3, year)."""
    frame = frame[COLUMNS].copy()
    frame["year"] = frame["year"].astype("int64")
    frame["release"] = frame["release"].astype("int64")
    frame["price_base"] = frame["price_base"].astype("Int64")
    frame["value"] = frame["value"].astype("float64")
    stem = frame["measure"].str.replace(r"_\d{4}$", "", regex=True)
    order = stem.map({m: i for i, m in enumerate(MEASURE_ORDER)})
    frame = (
        frame.assign(_order=order, _release=-frame["release"])
        .sort_values(["_release", "_order", "iso3", "year"], kind="stable")
        .drop(columns=["_order", "_release"])
        .reset_index(drop=True)
    )
    return frame


def _find_sheets(path: Path, workbook) -> dict[str, str]:
    """Map each measure stem to its sheet name, or explain which sheet is missing."""
    names = workbook.sheetnames
    found: dict[str, str] = {}
    constant = [name for name in names if _CONSTANT_SHEET.match(name)]
    if len(constant) > 1:
        raise SourceFormatError(path, f"it has several constant-dollar sheets ({', '.join(constant)}); expected one")
    if constant:
        found["constant_usd"] = constant[0]
    normalised = {name.strip().lower(): name for name in names}
    for spec in SHEETS[1:]:
        if spec.sheet.lower() in normalised:
            found[spec.measure] = normalised[spec.sheet.lower()]
    missing = [spec.sheet for spec in SHEETS if spec.measure not in found]
    if missing:
        if _first_sheet_is_arms_register(path, workbook):
            raise SourceFormatError(
                path,
                "is a SIPRI Arms Transfers Database file, not a Military Expenditure workbook; "
                "use `python -m utils.write.refresh arms FILE` for it",
            )
        raise SourceFormatError(
            path,
            f"sheet '{missing[0]}' is missing; expected the SIPRI Military Expenditure sheets "
            f"({', '.join(spec.sheet for spec in SHEETS)}); found: {', '.join(repr(n) for n in names) or 'no sheets'}",
        )
    return found


def _first_sheet_is_arms_register(path: Path, workbook) -> bool:
    if not workbook.sheetnames:
        return False
    sheet = workbook[workbook.sheetnames[0]]
    text = []
    for row in rows_of(path, sheet, max_row=20, values_only=True):
        text.extend(str(value) for value in row if value is not None)
    joined = " ".join(text)
    return looks_like_arms_export(joined) or ("Supplier" in text and "Recipient" in text)


def _release(path: Path, workbook, last_year: int) -> tuple[int, str]:
    """The release year, from the citation SIPRI prints on the front page.

    The citation sits in a text box (which openpyxl does not read) or, in some layouts, in the cells. Files
    without any citation get last data year + 1: SIPRI publishes each April the data of the year before.
    """
    years = set()
    for text in drawing_texts(path):
        years.update(int(y) for y in _CITATION.findall(text))
    front = next((name for name in workbook.sheetnames if name.strip().lower() == "front page"), None)
    if front is not None:
        for row in rows_of(path, workbook[front], max_row=80, values_only=True):
            for value in row:
                if isinstance(value, str):
                    years.update(int(y) for y in _CITATION.findall(value))
    if len(years) > 1:
        raise SourceFormatError(
            path,
            f"the front page cites several editions ({', '.join(map(str, sorted(years)))}); expected one citation "
            f"'{DATABASE} YYYY'",
            sheet=front,
        )
    if years:
        release = years.pop()
        if release <= last_year:
            raise SourceFormatError(
                path,
                f"the front page cites the {release} edition but the data run to {last_year}; expected a release "
                "after its last data year",
                sheet=front,
            )
        return release, "front-page citation"
    return last_year + 1, "inferred: no citation found, so last data year + 1"


@dataclass
class _Sheet:
    title: str | None
    last_year: int
    records: list[tuple[str, int, float | None, str]]
    nato_records: list[tuple[str, int, float | None, str]]  # NATO members, every year (ALLIANCE_MEASURES only)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _year_of(value: Any) -> int | None:
    """A header cell as a year: 1949, 1949.0 (one release stores floats) or '1949'; None if not a year."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        year = value
    elif isinstance(value, float) and value.is_integer():
        year = int(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*\d{4}(\.0)?\s*", value):
        year = int(float(value))
    else:
        return None
    return year if 1900 <= year <= 2100 else None


def read_sheet(path: Path, sheet, spec: SheetSpec, colours: FontColours) -> _Sheet:
    """Parse one data sheet: find the header, then read the nine treaty parties' rows."""
    name = sheet.title
    title = None
    header_at = None
    first_col = len(spec.labels)  # 0-based index of the first year column
    years: list[int] = []
    found: dict[str, int] = {}
    block = None
    records: list[tuple[str, int, float | None, str]] = []
    nato_records: list[tuple[str, int, float | None, str]] = []
    nato = _nato_codes() if spec.measure in ALLIANCE_MEASURES else {}
    nato_rows: dict[str, int] = {}
    seen_at_expected_row = None

    for row_number, row in enumerate(rows_of(path, sheet), start=1):
        first = _text(row[0].value) if row else ""
        if header_at is None:
            if row_number == 1:
                title = first or None
            if row_number == spec.header_row:
                seen_at_expected_row = first
            if first.lower() == "country":
                header_at = row_number
                years = _header_years(path, name, row, row_number, spec)
            elif row_number >= _HEADER_SEARCH_ROWS:
                raise SourceFormatError(
                    path,
                    f"expected the header 'Country' in column A (row {spec.header_row} in SIPRI's layout); "
                    f"found {seen_at_expected_row!r} there and no 'Country' header in rows 1-{_HEADER_SEARCH_ROWS}",
                    sheet=name, row=spec.header_row, column="A",
                )
            continue
        if not first:
            continue
        cells = row[first_col : first_col + len(years)]
        if not any(_text(cell.value) for cell in cells):
            block = first  # a region or subregion heading: it has a name but no figures
            continue
        if first in nato:
            if nato[first] in nato_rows:
                raise SourceFormatError(
                    path,
                    f"{first!r} appears twice (rows {nato_rows[nato[first]]} and {row_number}); expected one row per "
                    "country", sheet=name, row=row_number, column="A",
                )
            nato_rows[nato[first]] = row_number
            nato_records.extend(_country_values(path, name, row, row_number, nato[first], years, first_col, colours,
                                                spec.measure, first_year=years[0]))
            continue
        code = countries.iso3(first)
        if code not in SIPRI_NAMES:
            if block in NEIGHBOURS and first not in NEIGHBOURS[block]:
                raise SourceFormatError(
                    path,
                    f"unexpected country {first!r} in the '{block}' block; expected one of "
                    f"{', '.join(sorted(NEIGHBOURS[block]))}",
                    sheet=name, row=row_number, column="A",
                )
            continue
        if code in found:
            raise SourceFormatError(
                path,
                f"{first!r} appears twice (rows {found[code]} and {row_number}); expected one row per country",
                sheet=name, row=row_number, column="A",
            )
        found[code] = row_number
        records.extend(_country_values(path, name, row, row_number, code, years, first_col, colours, spec.measure))

    if header_at is None:
        raise SourceFormatError(
            path,
            f"the sheet has no header row; expected 'Country' in column A of row {spec.header_row}",
            sheet=name, row=spec.header_row, column="A",
        )
    missing = [code for code in SIPRI_NAMES if code not in found]
    if missing:
        sipri_name, sipri_block = SIPRI_NAMES[missing[0]]
        raise SourceFormatError(
            path,
            f"no row for {sipri_name!r} ({missing[0]}); expected one row for each of the nine treaty parties "
            f"(SIPRI lists it under '{sipri_block}')"
            + (f"; {len(missing) - 1} more missing" if len(missing) > 1 else ""),
            sheet=name, column="A",
        )
    return _Sheet(title=title, last_year=years[-1], records=records, nato_records=nato_records)


def _nato_codes() -> dict[str, str]:
    """SIPRI's spellings of the NATO members -> ISO3 (utils.importers.alliances)."""
    from utils.write.importers import alliances

    return {name: code for code, names in alliances.NATO_SIPRI_NAMES.items() for name in names}


def _header_years(path: Path, sheet: str, row, row_number: int, spec: SheetSpec) -> list[int]:
    """Check the label cells of the header row and return its (consecutive) year columns."""
    for index, expected in enumerate(spec.labels[1:], start=1):
        found = _text(row[index].value) if index < len(row) else ""
        if found.lower() != expected.lower():
            want = f"the header {expected!r}" if expected else "an empty header cell"
            raise SourceFormatError(
                path,
                f"expected {want} before the year columns; found {found!r}" if found else
                f"expected {want} before the year columns; the cell is empty",
                sheet=sheet, row=row_number, column=column_letter(index + 1),
            )
    years: list[int] = []
    first_col = len(spec.labels)
    for index in range(first_col, len(row)):
        value = row[index].value
        if value is None or _text(value) == "":
            # The year columns end at the first empty header; nothing may follow it.
            trailing = [cell.value for cell in row[index:] if _text(cell.value)]
            if trailing:
                raise SourceFormatError(
                    path,
                    f"expected year {years[-1] + 1 if years else 'header'} here; the cell is empty but more headers follow",
                    sheet=sheet, row=row_number, column=column_letter(index + 1),
                )
            break
        year = _year_of(value)
        if year is None:
            raise SourceFormatError(
                path,
                f"expected a year (e.g. {years[-1] + 1 if years else 1949}) in the header; found {value!r}",
                sheet=sheet, row=row_number, column=column_letter(index + 1),
            )
        if years and year != years[-1] + 1:
            raise SourceFormatError(
                path,
                f"expected year {years[-1] + 1} after {years[-1]} in the header; found {year}",
                sheet=sheet, row=row_number, column=column_letter(index + 1),
            )
        years.append(year)
    if not years or years[0] > FIRST_YEAR or years[-1] < FIRST_YEAR:
        span = f"{years[0]}-{years[-1]}" if years else "no years"
        raise SourceFormatError(
            path,
            f"expected year columns covering {FIRST_YEAR} onwards after the labels; found {span}",
            sheet=sheet, row=row_number, column=column_letter(first_col + 1),
        )
    return years


def _country_values(path, sheet, row, row_number, code, years, first_col, colours, measure, first_year=FIRST_YEAR):
    """Yield (iso3, year, value, status) for one country's row, from ``first_year`` to the last year."""
    ceiling, reason = bounds.milex_limit(measure)
    start = first_col + years.index(first_year)
    for offset, year in enumerate(range(first_year, years[-1] + 1)):
        index = start + offset
        cell = row[index] if index < len(row) else None
        value = cell.value if cell is not None else None
        where = dict(sheet=sheet, row=row_number, column=f"{column_letter(index + 1)} ({year})")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = float(value)
            if value != value or value < 0:  # NaN or negative: neither is a spending figure
                raise SourceFormatError(
                    path, f"expected an amount of zero or more; found {value!r}", **where
                )
            common.check_bound(path, value, minimum=0, maximum=ceiling, reason=reason, **where)
            colour = colours.of(cell)
            status = "estimate" if colour == "blue" else "uncertain" if colour == "red" else "reported"
            yield code, year, value, status
            continue
        text = _text(value)
        compact = text.replace(" ", "")
        if compact in ("...", ". ."):
            yield code, year, None, "no_data"
        elif compact.lower() == "xxx":
            yield code, year, None, "not_a_state"
        else:
            found = f"found {value!r}" if text else "the cell is empty"
            raise SourceFormatError(
                path, f"expected a number, '...' (no data) or 'xxx' (not a state); {found}", **where
            )


# --------------------------------------------------------------------------------------------- descriptor

#: The table's standard licence entry: SIPRI's own terms, which are not an open licence (so no licence ``name``).
LICENSES = [{
    "title": "SIPRI fair use: non-commercial use only, with SIPRI cited as the source and less than 10% of the "
             "database (3,500 data units) reproduced",
    "path": URL,
}]
LICENCE_TERMS = (
    "SIPRI fair use: the data may be used free of charge for non-commercial purposes (research, news, comment, "
    "educational materials not sold commercially) provided SIPRI is cited as the source "
    "('SIPRI Military Expenditure Database YYYY, https://www.sipri.org/databases/milex') and no more than 10% of "
    "the database, defined by SIPRI as 3,500 units of data, is reproduced; commercial use or larger extracts need "
    "SIPRI's permission (milex@sipri.org). This extract keeps only the treaty parties from 1992 "
    "(tests/test_fair_use.py counts its units)."
)

NOTEBOOKS = ["03_military_spending.ipynb", "07_checking_the_sources.ipynb", "08_updating_the_data.ipynb"]


def build_descriptor(provenance: dict[str, Any]) -> dict[str, Any]:
    """The ``milex`` descriptor (Frictionless Tabular Data Resource) with the given provenance block.

    ``hash`` and ``bytes`` are added by the caller once the CSV bytes are known.
    """
    parties = list(countries.TREATY_PARTIES)
    descriptor = {
        "name": TABLE,
        "path": f"{TABLE}.csv",
        "title": "Military expenditure of the Collective Security Treaty parties (SIPRI)",
        "description": (
            "SIPRI military expenditure of the nine states that were ever parties to the 1992 Collective Security "
            "Treaty, 1992 to the last year of the release: every measure of the newest release, plus the "
            "constant-US$ series of one older release for comparing revisions. Long format: one row per country, "
            "year, measure and edition. Shares are fractions (0.041 = 4.1 %). status is SIPRI's own flag: blue "
            "figures are SIPRI estimates, red ones highly uncertain, '...' no data, 'xxx' not an independent state."
        ),
        "profile": "tabular-data-resource",
        "format": "csv",
        "encoding": "utf-8",
        "mediatype": "text/csv",
        "schema": {
            "fields": [
                {"name": "iso3", "type": "string", "description": "ISO 3166-1 alpha-3 code of the state",
                 "constraints": {"required": True, "enum": parties}},
                {"name": "country", "type": "string", "description": "Display name (SIPRI writes 'Kyrgyz Republic')",
                 "constraints": {"required": True, "enum": [countries.name_of(c) for c in parties]}},
                {"name": "year", "type": "integer", "description": "Calendar year of the spending",
                 "constraints": {"required": True, "minimum": FIRST_YEAR}},
                {"name": "measure", "type": "string",
                 "description": "What value measures: constant_usd_<price base year>, current_usd, share_gdp, "
                                "share_govt or per_capita",
                 "constraints": {"required": True,
                                 "pattern": "^(constant_usd_[0-9]{4}|current_usd|share_gdp|share_govt|per_capita)$"}},
                {"name": "value", "type": "number",
                 "description": "The figure, in the unit named in the unit column; empty when status is no_data "
                                "or not_a_state",
                 "unit": "see column unit", "constraints": {"minimum": 0}},
                {"name": "unit", "type": "string", "description": "Unit of value",
                 "constraints": {"required": True,
                                 "pattern": "^(US\\$ million, constant [0-9]{4} prices and exchange rates|"
                                            "US\\$ million, current|fraction of GDP|fraction of government spending|"
                                            "US\\$ per person, current)$"}},
                {"name": "edition", "type": "string", "description": "SIPRI release, as SIPRI asks it to be cited",
                 "constraints": {"required": True, "pattern": "^SIPRI Military Expenditure Database [0-9]{4}$"}},
                {"name": "status", "type": "string",
                 "description": "reported; estimate (SIPRI estimate, blue in the workbook); uncertain (highly "
                                "uncertain, red); no_data ('...'); not_a_state ('xxx')",
                 "constraints": {"required": True, "enum": list(STATUSES)}},
                {"name": "release", "type": "integer", "description": "Year SIPRI published the release",
                 "constraints": {"required": True, "minimum": 1990}},
                {"name": "price_base", "type": "integer",
                 "description": "Price-base year of constant-dollar measures; empty for the others",
                 "constraints": {"minimum": 1990}},
                {"name": "source_id", "type": "string", "description": "The release in the sources table",
                 "constraints": {"required": True, "pattern": "^sipri_milex_[0-9]{4}$"}},
            ],
            "primaryKey": ["iso3", "year", "measure", "edition"],
            "missingValues": [""],
        },
        "licenses": LICENSES,
        "provenance": provenance,
    }
    return bounds.apply(descriptor, TABLE, provenance.get("release"))


def base_provenance() -> dict[str, Any]:
    """Provenance keys that do not depend on the release imported."""
    return {
        "source": f"{DATABASE}, Stockholm International Peace Research Institute (SIPRI), {URL}",
        "licence_terms": LICENCE_TERMS,
        "fair_use_database": DATABASE,
        "fair_use_unit_columns": ["value"],
        "notebooks": list(NOTEBOOKS),
    }


def comparison_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a release kept for comparison: its constant-US$ series only."""
    return frame[frame["measure"].str.startswith("constant_usd_")]


def rebase(release: pd.DataFrame, to_base: int) -> tuple[pd.DataFrame, list[str]]:
    """Express one release's constant-US$ series at another price base, using that release's own figures.

    SIPRI's constant-dollar figure for year y at base B is local-currency spending deflated by the country's
    consumer price index to B prices and converted at B's exchange rate, so in the base year it equals the
    current-dollar figure. The ratio current / constant in year ``to_base`` is therefore the country's factor
    between the two bases, the same for every year. Returns the rebased rows (measure ``constant_usd_<to_base>``)
    and the countries that could not be rebased (no figures for ``to_base`` in this release).
    """
    constant = release[release["measure"].str.startswith("constant_usd_")]
    current = release[release["measure"] == "current_usd"]
    base_year = constant[constant["year"] == to_base].set_index("iso3")["value"]
    base_current = current[current["year"] == to_base].set_index("iso3")["value"]
    factor = (base_current / base_year).replace([float("inf"), -float("inf")], float("nan")).dropna()
    rebased = constant[constant["iso3"].isin(factor.index)].copy()
    rebased["value"] = rebased["value"] * rebased["iso3"].map(factor)
    rebased["measure"] = measure_name("constant_usd", to_base)
    rebased["price_base"] = to_base
    rebased["unit"] = SHEETS[0].unit.format(base=to_base)
    missing = sorted(set(constant["iso3"]) - set(factor.index))
    return rebased, missing
