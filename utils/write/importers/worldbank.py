"""Importer for World Bank World Development Indicators CSV files (``python -m utils.write.refresh worldbank FILE``).

Two layouts are accepted, and the indicator is recognised from the content, never from the file name:

* the **API download** (``API_<indicator>_DS2_en_csv_v2_<n>.csv``): four lines of metadata
  (``"Data Source"``, an empty line, ``"Last Updated Date"``, an empty line), then a wide table with one row
  per country, the columns ``Country Name, Country Code, Indicator Name, Indicator Code``, one column per
  year and an empty trailing column. The indicator is read from ``Indicator Code``.
* the **long layout** ``Country Name,Country Code,Year,Value`` (the DataHub packages of WDI series). It
  names no indicator, so the indicator is recognised from the size of the values: the World aggregate
  (``WLD``) counts billions of people, tens of trillions of US$ of GDP, or tens of millions of soldiers.

Tables produced, for the nine treaty states from 1992 on:

``population`` (SP.POP.TOTL) and ``gdp`` (NY.GDP.MKTP.CD, current US$)
    ``country, country_name, year, value, unit, edition, source_id``.
``personnel`` (MS.MIL.TOTL.P1, armed forces personnel, IISS data via the World Bank)
    The World Bank rows of the ``personnel`` table, whose Correlates of War rows come from
    :mod:`utils.write.importers.cow`; those rows are kept as they are in ``data/``. The ``series`` column marks the
    World Bank's definitional break: paramilitary forces are counted from 1995 on.
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path
from typing import Any, Callable

from utils.read import countries
from utils.write.importers import ImportResult, SourceFormatError
from utils.write.importers import common
from utils.write.importers import bounds

SOURCE = "worldbank"

COUNTRIES: tuple[str, ...] = countries.TREATY_PARTIES
FIRST_YEAR = 1992

#: First year of the World Bank personnel series that includes paramilitary forces.
PERSONNEL_BREAK_YEAR = 1995

#: What each indicator becomes: table name, unit, source id, licence terms.
INDICATORS: dict[str, dict[str, str]] = {
    "SP.POP.TOTL": {
        "table": "population", "unit": "persons", "source_id": "wb_population",
        "title": "Population, total",
        "licence_terms": "World Bank WDI data, CC BY 4.0 (the DataHub package of the series is ODC-PDDL-1.0); "
                         "cite 'World Bank, World Development Indicators, SP.POP.TOTL'.",
        "notebooks": ["02_force_structure.ipynb", "03_military_spending.ipynb"],
    },
    "NY.GDP.MKTP.CD": {
        "table": "gdp", "unit": "current US$", "source_id": "wb_gdp",
        "title": "GDP (current US$)",
        "licence_terms": "World Bank and OECD national accounts data via WDI, CC BY 4.0 (the DataHub package of "
                         "the series is ODC-PDDL-1.0); cite 'World Bank, World Development Indicators, "
                         "NY.GDP.MKTP.CD'.",
        "notebooks": ["03_military_spending.ipynb"],
    },
    "MS.MIL.TOTL.P1": {
        "table": "personnel", "unit": "persons", "source_id": "wb_personnel",
        "title": "Armed forces personnel, total",
        "licence_terms": "WDI is generally CC BY 4.0, but MS.MIL.TOTL.P1 is third-party data from IISS, The "
                         "Military Balance: cite both IISS and the World Bank, and check the World Bank "
                         "metadata before redistributing beyond teaching use.",
        "notebooks": ["02_force_structure.ipynb", "03_military_spending.ipynb"],
    },
}

#: Plausible median of the World (WLD) values for each indicator, used to recognise a long-layout file,
#: with the Russian values as a fallback when the file has no World row.
_RANGES = {
    "MS.MIL.TOTL.P1": {"WLD": (1e7, 1e8), "RUS": (1e5, 1e7)},
    "SP.POP.TOTL": {"WLD": (1e9, 3e10), "RUS": (5e7, 5e8)},
    "NY.GDP.MKTP.CD": {"WLD": (1e12, 1e16), "RUS": (1e10, 1e14)},
}

VALUE_COLUMNS = ["country", "country_name", "year", "value", "unit", "edition", "source_id"]
PERSONNEL_COLUMNS = ["country", "country_name", "year", "active_personnel", "series", "edition", "source_id"]

#: ``series`` values of the World Bank personnel rows, on either side of the 1995 break.
SERIES_BEFORE_BREAK = "wb_excluding_paramilitary"
SERIES_FROM_BREAK = "wb_including_paramilitary"

_LONG_HEADER = ["Country Name", "Country Code", "Year", "Value"]
_WIDE_HEADER = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
_WHAT = ("a World Bank WDI CSV: the API download (4 metadata lines, then 'Country Name','Country Code',"
         "'Indicator Name','Indicator Code','1960',...) or the long 'Country Name,Country Code,Year,Value'")


def read(path: Path | str, progress: Callable[[str], Any] | None = None,
         folder: Path | None = None) -> ImportResult:
    """Read a WDI file (API or long layout) and return the ``population``, ``gdp`` or ``personnel`` extract.

    Raises :class:`~utils.write.importers.SourceFormatError` for an unknown layout or indicator, text in a value
    cell, a negative value, a duplicated country-year, or a treaty state missing from the file. The COW rows of
    ``personnel`` and the recorded retrieval dates are those of ``folder``, the data folder the refresh writes
    into (None: the default data folder).
    """
    path = Path(path)
    common.report(progress, f"reading {path.name}")
    rows = list(common.csv_records(path, common.read_text(path, _WHAT)))
    if not rows:
        raise SourceFormatError(path, f"the file is empty; expected {_WHAT}")
    first = [cell.strip() for cell in rows[0][1]]
    if first[:4] == _LONG_HEADER:
        values, code, edition = _read_long(path, rows)
        layout = "long"
        # The long layout says neither when it was made nor which release it is: no value can be later than the
        # year the file was obtained.
        retrieved = common.retrieved_of(path, INDICATORS[code]["table"], folder)
        latest = (int(retrieved[:4]), f"the file was obtained in {retrieved[:4]}")
    elif first[:1] == ["Data Source"] or _find_wide_header(rows) is not None:
        values, code, edition = _read_wide(path, rows)
        layout = "API"
        updated = edition.rsplit(" ", 1)[-1]
        latest = (int(updated[:4]), f"the World Bank updated the file on {updated}")
    else:
        raise SourceFormatError(path, f"unknown layout: expected {_WHAT}; found {','.join(first)[:50]!r}",
                                row=rows[0][0])
    common.report(progress, f"{path.name}: {layout} layout, indicator {code}")
    return _result(path, code, edition, layout, values, latest, folder)


# --------------------------------------------------------------------------------------------- layouts


def _find_wide_header(rows) -> int | None:
    for index, (_, fields) in enumerate(rows[:10]):
        if [f.strip() for f in fields[:4]] == _WIDE_HEADER:
            return index
    return None


def _read_wide(path: Path, rows) -> tuple[dict[tuple[str, int], tuple[float, int, str]], str, str]:
    """The API layout: metadata lines, a wide header, one row per country and indicator."""
    header_at = _find_wide_header(rows)
    if header_at is None:
        raise SourceFormatError(
            path, "expected the header '\"Country Name\",\"Country Code\",\"Indicator Name\",\"Indicator Code\","
            "\"1960\",...' "
            "after the metadata lines of a World Bank API file; not found in the first 10 lines",
        )
    updated = None
    for _, fields in rows[:header_at]:
        if fields and fields[0].strip() == "Last Updated Date" and len(fields) > 1:
            updated = fields[1].strip()
    if not updated or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", updated):
        raise SourceFormatError(
            path, "expected a '\"Last Updated Date\",\"YYYY-MM-DD\"' line above the header (line 3 of an API "
            "file); the edition cannot be told without it", row=rows[header_at][0],
        )
    header_line, header = rows[header_at]
    years: dict[int, int] = {}
    for index, name in enumerate(header[4:], start=4):
        name = name.strip()
        if re.fullmatch(r"\d{4}", name):
            years[index] = int(name)
        elif name and not name.startswith("Unnamed"):
            raise SourceFormatError(path, f"expected a year as column title, found {name!r}", row=header_line,
                                    column=common.column_letter(index))
    if not years:
        raise SourceFormatError(path, "the header has no year columns", row=header_line)

    values: dict[tuple[str, int], tuple[float, int, str]] = {}
    codes: set[str] = set()
    seen: dict[str, int] = {}
    for line, fields in rows[header_at + 1:]:
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            raise SourceFormatError(path, f"expected {len(header)} fields as in the header, found {len(fields)}",
                                    row=line)
        country, indicator = fields[1].strip(), fields[3].strip()
        codes.add(indicator)
        if (country, indicator) in seen:
            raise SourceFormatError(path, f"duplicated row: {country} {indicator} already appears on line "
                                    f"{seen[country, indicator]}", row=line)
        seen[country, indicator] = line
        for index, year in years.items():
            column = f"{common.column_letter(index)} ({year})"
            value = common.parse_number(path, fields[index], row=line, column=column)
            if value is not None:
                values[country, year] = (value, line, fields[0].strip(), column)
    if len(codes) != 1:
        found = ", ".join(sorted(codes)) or "none"
        raise SourceFormatError(path, f"expected one indicator per file, found {len(codes)}: {found}")
    code = codes.pop()
    if code not in INDICATORS:
        raise SourceFormatError(path, f"indicator {code!r} is not one this collection uses "
                                f"({', '.join(INDICATORS)})", column="D ('Indicator Code')")
    return values, code, f"WDI, last updated {updated}"


def _read_long(path: Path, rows) -> tuple[dict[tuple[str, int], tuple[float, int, str]], str, str]:
    """The long layout: one row per country and year; the indicator is recognised from the values."""
    values: dict[tuple[str, int], tuple[float, int, str]] = {}
    columns = {"year": "C ('Year')", "value": "D ('Value')"}
    for line, fields in rows[1:]:
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != 4:
            raise SourceFormatError(path, f"expected 4 fields (Country Name, Country Code, Year, Value), "
                                    f"found {len(fields)}", row=line)
        name, country = fields[0].strip(), fields[1].strip()
        year = common.parse_number(path, fields[2], row=line, column=columns["year"], integer=True,
                                   allow_empty=False, minimum=1900)
        value = common.parse_number(path, fields[3], row=line, column=columns["value"])
        if (country, year) in values:
            raise SourceFormatError(path, f"duplicated row: {country} {year} already appears on line "
                                    f"{values[country, year][1]}", row=line)
        if value is not None:
            values[country, int(year)] = (value, line, name, columns)
    if not values:
        raise SourceFormatError(path, "the file has a header but no values")
    code = _recognise(path, values)
    last = max(year for _, year in values)
    return values, code, f"WDI, latest year {last}"


def _recognise(path: Path, values) -> str:
    """Which indicator a long-layout file holds, from the median World (or Russian) value."""
    for reference in ("WLD", "RUS"):
        series = [value for (country, _), (value, *_) in values.items() if country == reference]
        if not series:
            continue
        median = statistics.median(series)
        matches = [code for code, ranges in _RANGES.items() if ranges[reference][0] <= median < ranges[reference][1]]
        if len(matches) == 1:
            return matches[0]
        raise SourceFormatError(
            path, f"cannot tell which indicator this long-layout file holds: the median {reference} value "
            f"{median:,.0f} fits none of population, GDP (current US$) or armed forces personnel",
        )
    raise SourceFormatError(
        path, "cannot tell which indicator this long-layout file holds: it has neither a World (WLD) nor a "
        "Russia (RUS) row to recognise it by",
    )


# --------------------------------------------------------------------------------------------- tables


def _result(path: Path, code: str, edition: str, layout: str, values, latest: tuple[int, str],
            folder: Path | None) -> ImportResult:
    spec = INDICATORS[code]
    table = spec["table"]
    for (_, year), (_, line, _, column) in values.items():
        if year > latest[0]:
            where = column if isinstance(column, str) else column["year"]
            common.check_bound(path, year, minimum=1900, maximum=latest[0], reason=latest[1], what="a year",
                               row=line, column=where)
    missing = [c for c in COUNTRIES if not any(country == c for country, _ in values)]
    if missing:
        raise SourceFormatError(path, f"no values for {', '.join(missing)} (Country Code): the nine treaty states "
                                "must all be present")
    value_column = "active_personnel" if table == "personnel" else "value"
    rows = []
    for (country, year), (value, line, name, column) in values.items():
        if country not in COUNTRIES or year < FIRST_YEAR:
            continue
        common.check_bound(path, value, **bounds.limit(table, value_column), row=line,
                           column=column if isinstance(column, str) else column["value"])
        if countries.iso3(name) != country:
            raise SourceFormatError(path, f"Country Name {name!r} does not match Country Code {country!r} "
                                    f"({countries.name_of(country)})", row=line, column="A ('Country Name')")
        if table == "population" or table == "personnel":
            value = round(value)  # whole persons; the files hold integers, this only drops a trailing '.0'
        rows.append({"country": country, "country_name": countries.name_of(country), "year": year,
                     "value": value, "unit": spec["unit"], "edition": edition, "source_id": spec["source_id"]})
    entry = common.source_file_entry(
        path, table, folder, role=spec["source_id"], edition=edition, layout=layout, indicator=code,
        source=f"World Bank, World Development Indicators, {code} ({spec['title']})",
        licence_terms=spec["licence_terms"], builder=f"python -m utils.write.refresh {SOURCE} {path.name}",
        latest_year=latest[0],
    )
    if table == "personnel":
        return _personnel_result(rows, entry, folder)
    frame = common.string_table(rows, VALUE_COLUMNS, sort_by=lambda r: (r["country"], r["year"]))
    provenance = {
        "source": entry["source"], "edition": edition, "retrieved": entry["retrieved"],
        "licence_terms": spec["licence_terms"], "builder": entry["builder"], "notebooks": spec["notebooks"],
        "source_files": [entry],
        **common.file_keys([entry]),
    }
    return ImportResult(tables={table: frame}, provenance={table: provenance}, latest_year={table: latest[0]})


def _personnel_result(rows: list[dict[str, Any]], entry: dict[str, Any], folder: Path | None) -> ImportResult:
    new = [
        {"country": r["country"], "country_name": r["country_name"], "year": r["year"],
         "active_personnel": r["value"], "edition": r["edition"], "source_id": r["source_id"],
         "series": SERIES_FROM_BREAK if r["year"] >= PERSONNEL_BREAK_YEAR else SERIES_BEFORE_BREAK}
        for r in rows
    ]
    return personnel_result(new, entry, notebooks=INDICATORS["MS.MIL.TOTL.P1"]["notebooks"], folder=folder)


def personnel_result(new_rows: list[dict[str, Any]], entry: dict[str, Any], notebooks: list[str],
                     folder: Path | None = None) -> ImportResult:
    """The ``personnel`` table with ``new_rows`` replacing every row of their source id; the other source's
    rows are kept from the table in ``folder`` (None: the default data folder). Shared by this importer and
    :mod:`utils.write.importers.cow`."""
    source_id = entry["role"]
    current = common.current_table("personnel", folder)
    kept = [] if current is None else [r for r in current.to_dict("records") if r["source_id"] != source_id]
    frame = common.string_table(
        new_rows + kept, PERSONNEL_COLUMNS, sort_by=lambda r: (r["country"], int(r["year"]), r["source_id"])
    )
    files = common.merged_source_files("personnel", entry, folder=folder)
    provenance = {
        "source": "; ".join(e["source"] for e in files),
        "edition": "; ".join(f"{e['role']}: {e['edition']}" for e in files),
        "retrieved": "; ".join(sorted({e["retrieved"] for e in files})),
        "licence_terms": " ".join(e["licence_terms"] for e in files),
        "builder": "; ".join(e["builder"] for e in files),
        "notebooks": notebooks,
        "source_files": files,
        **common.file_keys(files),
    }
    latest = bounds.latest_of(files)
    return ImportResult(tables={"personnel": frame}, provenance={"personnel": provenance},
                        latest_year={"personnel": latest} if latest else {})
