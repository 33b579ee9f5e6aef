"""Importer for the Correlates of War National Material Capabilities file (``python -m utils.write.refresh cow FILE``).

The abridged NMC CSV has one row per state and year: ``stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,
cinc,version``, with ``-9`` for a missing value. This importer takes ``milper`` (military personnel, in
thousands) for the nine treaty states from 1992 on and turns it into persons, as the Correlates of War rows of
the ``personnel`` table. The World Bank rows of that table (:mod:`utils.write.importers.worldbank`) are kept as
they are in ``data/``, so the two series can be compared side by side.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from utils.read import countries
from utils.write.importers import ImportResult, SourceFormatError
from utils.write.importers import common
from utils.write.importers import bounds
from utils.write.importers.worldbank import personnel_result

SOURCE = "cow"

FIRST_YEAR = 1992

#: COW state codes and abbreviations of the nine treaty states (the abbreviations differ from ISO3).
STATES: dict[int, tuple[str, str]] = {
    365: ("RUS", "RUS"), 370: ("BLR", "BLR"), 371: ("ARM", "ARM"), 372: ("GRG", "GEO"), 373: ("AZE", "AZE"),
    702: ("TAJ", "TJK"), 703: ("KYR", "KGZ"), 704: ("UZB", "UZB"), 705: ("KZK", "KAZ"),
}

#: Source ids of the NMC releases listed in data/sources.csv, by the value of the ``version`` column.
KNOWN_VERSIONS = {"2021": ("cow_nmc_6", "NMC v6.0 (2021)")}

SERIES = "cow_military_personnel"
MISSING = -9
REQUIRED = ("stateabb", "ccode", "year", "milper", "version")
NOTEBOOKS = ["02_force_structure.ipynb", "03_military_spending.ipynb"]
LICENCE_TERMS = (
    "COW data are freely available: cite Singer, Bremer and Stuckey (1972), 'Capability Distribution, "
    "Uncertainty, and Major Power War, 1820-1965', and the NMC v6.0 codebook (Greig and Enterline, 2021)."
)
_WHAT = "a Correlates of War National Material Capabilities CSV (stateabb,ccode,year,milex,milper,...,version)"


def _release_year(versions: set[str], retrieved: str) -> tuple[int, str]:
    """The latest year the file can hold, and why: the year in its version column (NMC v6.0 says 2021), else the
    year the file was obtained."""
    version = next(iter(versions), "")
    if version.isdigit() and len(version) == 4:
        return int(version), f"the file's release, version {version}"
    return int(retrieved[:4]), f"the file was obtained in {retrieved[:4]}"


def read(path: Path | str, progress: Callable[[str], Any] | None = None,
         folder: Path | None = None) -> ImportResult:
    """Read an NMC file and return the ``personnel`` table with fresh Correlates of War rows.

    Raises :class:`~utils.write.importers.SourceFormatError` for a missing column, text or a negative number in
    ``milper``, a duplicated state-year, or a state code whose abbreviation is not the expected one. The World
    Bank's rows of ``personnel`` and the recorded retrieval dates are those of ``folder``, the data folder the
    refresh writes into (None: the default data folder).
    """
    path = Path(path)
    common.report(progress, f"reading {path.name}")
    records = common.csv_records(path, common.read_text(path, _WHAT))
    header = [name.strip() for name in next(records)[1]]
    for name in REQUIRED:
        if name not in header:
            raise SourceFormatError(path, f"column {name!r} is missing from the header; expected {_WHAT}", row=1)
    col = {name: header.index(name) for name in REQUIRED}
    where = {name: common.where(header, name) for name in REQUIRED}

    rows, seen, versions = [], {}, set()
    latest = (0, 0)  # (year, line) of the latest year in the file, checked once the release is known
    for line, fields in records:
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            raise SourceFormatError(path, f"expected {len(header)} fields as in the header, found {len(fields)}",
                                    row=line)
        ccode = common.parse_number(path, fields[col["ccode"]], row=line, column=where["ccode"], integer=True,
                                    allow_empty=False)
        year = common.parse_number(path, fields[col["year"]], row=line, column=where["year"], integer=True,
                                   allow_empty=False, minimum=1800)
        if (ccode, year) in seen:
            raise SourceFormatError(path, f"duplicated row: state {ccode} in {year} already appears on line "
                                    f"{seen[ccode, year]}", row=line)
        seen[ccode, year] = line
        latest = max(latest, (year, line))
        if ccode not in STATES or year < FIRST_YEAR:
            continue
        abbreviation, iso = STATES[ccode]
        if fields[col["stateabb"]].strip() != abbreviation:
            raise SourceFormatError(
                path, f"unknown country: state code {ccode} is {fields[col['stateabb']]!r} here, expected "
                f"{abbreviation!r} ({countries.name_of(iso)})", row=line, column=where["stateabb"],
            )
        low, high, reason = bounds.CEILINGS["personnel"]["active_personnel"]
        milper = common.parse_number(path, fields[col["milper"]], row=line, column=where["milper"],
                                     allow_empty=True, minimum=None, maximum=high / 1000,
                                     reason=f"thousands of {reason}")
        if milper is not None and milper < 0 and milper != MISSING:
            raise SourceFormatError(path, f"expected thousands of personnel (0 or more) or {MISSING} for missing, "
                                    f"found {fields[col['milper']]!r}", row=line, column=where["milper"])
        versions.add(fields[col["version"]].strip())
        if milper is None or milper == MISSING:
            continue
        rows.append({"country": iso, "country_name": countries.name_of(iso), "year": year,
                     # milper is in thousands; round() turns the product back into a whole number of persons.
                     "active_personnel": round(milper * 1000), "series": SERIES, "line": line})
    if len(versions) > 1:
        raise SourceFormatError(path, f"expected one release in column 'version', found {sorted(versions)}")
    release = _release_year(versions, common.retrieved_of(path, "personnel", folder))
    if latest[0] > release[0]:
        raise SourceFormatError(
            path, f"expected a year from 1800 to {release[0]} ({release[1]}), found {latest[0]}",
            row=latest[1], column=where["year"],
        )
    found = {row["country"] for row in rows}
    missing = [iso for _, iso in STATES.values() if iso not in found]
    if missing:
        raise SourceFormatError(path, f"no military personnel figures from {FIRST_YEAR} for "
                                f"{', '.join(sorted(missing))}: the nine treaty states must all be present")
    if len(versions) != 1:
        raise SourceFormatError(path, f"expected one release in column 'version', found {sorted(versions)}")
    version = versions.pop()
    source_id, edition = KNOWN_VERSIONS.get(version, (f"cow_nmc_{version}", f"NMC (version column {version})"))
    for row in rows:
        row.update(edition=edition, source_id=source_id)
    common.report(progress, f"{path.name}: {len(rows)} state-years of military personnel, {edition}")
    entry = common.source_file_entry(
        path, "personnel", folder, role=source_id, edition=edition,
        source="Correlates of War, National Material Capabilities (abridged), milper",
        licence_terms=LICENCE_TERMS, builder=f"python -m utils.write.refresh {SOURCE} {path.name}",
        latest_year=release[0],
    )
    return personnel_result(rows, entry, notebooks=NOTEBOOKS, folder=folder)
