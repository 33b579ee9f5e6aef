"""Importer for the UCDP/PRIO Armed Conflict Dataset, conflict-year CSV (``python -m utils.write.refresh ucdp FILE``).

Accepts UCDP's own CSV (comma-separated, ISO dates) and the copy kept in ``../shared``, which was re-saved by a
spreadsheet with a European locale: ``;`` as separator, CRLF line ends, dates written ``d-m-yyyy``, and one
record (conflict 11349, China, 2008) broken over two lines by a line break inside a field. Such a broken
record cannot be put back together reliably (the re-save also merged some of its cells), so it is skipped and
named in the provenance -- unless it concerns one of the nine treaty states, in which case the import stops.

The ``conflicts`` table keeps the conflict-years from 1991 in which one of the nine treaty states is the
location, a primary party (side A or B) or a secondary party (a state supporting a side with troops),
identified by the Gleditsch-Ward codes in the ``gwno_*`` columns.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Callable

from utils.read import countries
from utils.write.importers import ImportResult, SourceFormatError
from utils.write.importers import common
from utils.write.importers import bounds

SOURCE = "ucdp"

FIRST_YEAR = 1991

#: Gleditsch-Ward codes of the nine treaty states.
GWNO: dict[int, str] = {
    365: "RUS", 370: "BLR", 371: "ARM", 372: "GEO", 373: "AZE", 702: "TJK", 703: "KGZ", 704: "UZB", 705: "KAZ",
}

COLUMNS = [
    "conflict_id", "year", "location", "side_a", "side_a_2nd", "side_b", "side_b_2nd", "incompatibility",
    "territory_name", "intensity_level", "cumulative_intensity", "type_of_conflict", "start_date", "start_prec",
    "start_date2", "start_prec2", "ep_end", "ep_end_date", "countries", "countries_primary",
    "countries_secondary", "edition", "source_id",
]
_TEXT = ["location", "side_a", "side_a_2nd", "side_b", "side_b_2nd", "territory_name"]
_CODES = {  # column -> allowed integer codes
    "incompatibility": {1, 2, 3}, "intensity_level": {1, 2}, "cumulative_intensity": {0, 1},
    "type_of_conflict": {1, 2, 3, 4},
}
_PRIMARY = ("gwno_a", "gwno_b", "gwno_loc")
_SECONDARY = ("gwno_a_2nd", "gwno_b_2nd")
REQUIRED = (
    "conflict_id", "location", "side_a", "side_a_2nd", "side_b", "side_b_2nd", "incompatibility",
    "territory_name", "year", "intensity_level", "cumulative_intensity", "type_of_conflict", "start_date",
    "start_prec", "start_date2", "start_prec2", "ep_end", "ep_end_date", *_PRIMARY, *_SECONDARY, "version",
)
NOTEBOOKS = ["05_institutional_lapses.ipynb"]
LICENCE_TERMS = (
    "UCDP data are free to use with citation (CC BY 4.0): cite Gleditsch et al. (2002), 'Armed Conflict "
    "1946-2001: A New Dataset', Journal of Peace Research 39(5), and Davies, Pettersson and Oberg (2025), "
    "Journal of Peace Research, for version 25.1."
)
_WHAT = "a UCDP/PRIO Armed Conflict Dataset CSV (conflict-years, header starting 'conflict_id')"


def read(path: Path | str, progress: Callable[[str], Any] | None = None,
         folder: Path | None = None) -> ImportResult:
    """Read a UCDP/PRIO conflict-year file and return the ``conflicts`` extract.

    Raises :class:`~utils.write.importers.SourceFormatError` for a wrong header or a missing column, an unreadable
    date or code, a duplicated conflict-year, or a broken record that concerns one of the nine states. The
    recorded retrieval dates are those of ``folder``, the data folder the refresh writes into (None: the default
    data folder).
    """
    path = Path(path)
    common.report(progress, f"reading {path.name}")
    text = common.read_text(path, _WHAT)
    first_line = text.splitlines()[0] if text else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = common.csv_records(path, text, delimiter=delimiter)
    header = [name.strip() for name in next(reader)[1]]
    if not header or header[0] != "conflict_id":
        raise SourceFormatError(path, f"expected {_WHAT}; line 1 reads {first_line[:60]!r}", row=1)
    for name in REQUIRED:
        if name not in header:
            raise SourceFormatError(path, f"column {name!r} is missing from the header", row=1)
    records = []
    for start, fields in reader:
        if any(f.strip() for f in fields):
            if len(fields) != len(header):
                raise SourceFormatError(path, f"expected {len(header)} fields as in the header, found {len(fields)}",
                                        row=start)
            records.append((start, dict(zip(header, (f.strip() for f in fields)))))

    records, skipped = _drop_broken_records(path, records)
    col = {name: common.where(header, name) for name in header}
    latest = _latest_year(path, {record["version"] for _, record in records}, folder)
    rows, seen, versions = [], {}, set()
    for line, record in records:
        conflict = common.parse_number(path, record["conflict_id"], row=line, column=col["conflict_id"],
                                       integer=True, allow_empty=False, **bounds.limit("conflicts", "conflict_id"))
        year = common.parse_number(path, record["year"], row=line, column=col["year"], integer=True,
                                   allow_empty=False, minimum=1900, maximum=latest[0], reason=latest[1],
                                   what="a year")
        if (conflict, year) in seen:
            raise SourceFormatError(path, f"duplicated row: conflict {conflict} in {year} already appears on line "
                                    f"{seen[conflict, year]}", row=line)
        seen[conflict, year] = line
        versions.add(record["version"])
        primary = set().union(*(_gwno(path, record, name, line, col) for name in _PRIMARY))
        secondary = set().union(*(_gwno(path, record, name, line, col) for name in _SECONDARY))
        involved = (primary | secondary) & GWNO.keys()
        if year < FIRST_YEAR or not involved:
            continue
        row: dict[str, Any] = {"conflict_id": conflict, "year": year}
        row.update({name: record[name] for name in _TEXT})
        for name, allowed in _CODES.items():
            row[name] = _code(path, record, name, allowed, line, col)
        row["start_date"] = _date(path, record["start_date"], line, col["start_date"], latest, required=True)
        row["start_date2"] = _date(path, record["start_date2"], line, col["start_date2"], latest, required=True)
        row["ep_end_date"] = _date(path, record["ep_end_date"], line, col["ep_end_date"], latest, required=False)
        for name in ("start_prec", "start_prec2"):
            row[name] = common.parse_number(path, record[name], row=line, column=col[name], integer=True,
                                            allow_empty=False, minimum=1)
        row["ep_end"] = _code(path, record, "ep_end", {0, 1}, line, col)
        row["countries"] = _iso_list(involved)
        row["countries_primary"] = _iso_list(primary & GWNO.keys())
        row["countries_secondary"] = _iso_list((secondary - primary) & GWNO.keys())
        rows.append(row)
    if not seen:
        raise SourceFormatError(path, "the file has a header but no conflict-years")
    if len(versions) != 1:
        raise SourceFormatError(path, f"expected one release in column 'version', found {sorted(versions)}")
    version = versions.pop()
    if not re.fullmatch(r"\d+\.\d+", version):
        raise SourceFormatError(
            path, f"expected a release number such as '25.1' in column 'version', found {version!r}"
        )
    source_id = "ucdp_acd_" + version.replace(".", "_")
    for row in rows:
        row.update(edition=version, source_id=source_id)
    common.report(progress, f"{path.name}: version {version}, {len(rows)} conflict-years involve the nine states")

    layout = "UCDP CSV" if delimiter == "," else "re-saved copy (';' separator, d-m-yyyy dates)"
    entry = common.source_file_entry(
        path, "conflicts", folder, role="ucdp_acd", edition=f"UCDP/PRIO Armed Conflict Dataset version {version}",
        layout=layout, skipped=skipped or "none", builder=f"python -m utils.write.refresh {SOURCE} {path.name}",
        latest_year=latest[0],
    )
    provenance = {
        "source": "UCDP/PRIO Armed Conflict Dataset, Uppsala Conflict Data Program and PRIO, "
                  "https://ucdp.uu.se/downloads/",
        "edition": entry["edition"],
        "retrieved": entry["retrieved"],
        "licence_terms": LICENCE_TERMS,
        "builder": entry["builder"],
        "notebooks": NOTEBOOKS,
        "source_files": [entry],
        **common.file_keys([entry]),
    }
    frame = common.string_table(rows, COLUMNS, sort_by=lambda r: (r["conflict_id"], r["year"]))
    return ImportResult(tables={"conflicts": frame}, provenance={"conflicts": provenance},
                        latest_year={"conflicts": latest[0]})


def _latest_year(path: Path, versions: set[str], folder: Path | None) -> tuple[int, str]:
    """The latest year a conflict-year (or a date in it) can have, and why. UCDP's version YY.1 is released in
    20YY and covers the years up to the one before (25.1: 1946-2024), so a year of its release in the file is an
    error, and the descriptor's ``latest_year`` says which years the table covers. A file without a readable
    version falls back to the year it was obtained."""
    version = next(iter(versions), "") if len(versions) == 1 else ""
    if re.fullmatch(r"\d{2}\.\d+", version):
        released = 2000 + int(version.split(".")[0])
        return released - 1, f"version {version}, released in {released}, covers years up to {released - 1}"
    obtained = common.retrieved_of(path, "conflicts", folder)[:4]
    return int(obtained), f"the file was obtained in {obtained}"


# --------------------------------------------------------------------------------------------- repairs


def _drop_broken_records(path: Path, records):
    """Skip records split over two lines: a line whose cells stop short (no year), followed by a line that
    does not start with a conflict id. Returns the remaining records and a note naming what was skipped."""
    kept, notes = [], []
    i = 0
    while i < len(records):
        line, record = records[i]
        nxt = records[i + 1] if i + 1 < len(records) else None
        if record["year"] == "" and nxt is not None and not nxt[1]["conflict_id"].isdigit():
            text = " ".join(list(record.values()) + list(nxt[1].values()))
            codes = {int(code) for code in re.findall(r"\b\d{3}\b", text)}
            named = [name for code, iso in GWNO.items() for name in (countries.name_of(iso),) if name in text]
            if codes & GWNO.keys() or named:
                raise SourceFormatError(
                    path, f"conflict {record['conflict_id']} ({record['location']}) is broken over two lines and "
                    "concerns a treaty state; repair the file (or download UCDP's original CSV)", row=line,
                )
            notes.append(f"conflict {record['conflict_id']} ({record['location']}), lines {line}-{nxt[0]}: "
                         "record broken over two lines by a line break inside a field, skipped")
            i += 2
            continue
        kept.append((line, record))
        i += 1
    return kept, "; ".join(notes)


# --------------------------------------------------------------------------------------------- values


def _gwno(path: Path, record: dict[str, str], name: str, line: int, col: dict[str, str]) -> set[int]:
    """'651, 666' -> {651, 666}."""
    codes = set()
    for part in record[name].split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise SourceFormatError(path, f"expected Gleditsch-Ward state codes such as '365' or '651, 666', "
                                    f"found {record[name]!r}", row=line, column=col[name])
        codes.add(int(part))
    return codes


def _code(path: Path, record: dict[str, str], name: str, allowed: set[int], line: int, col: dict[str, str]) -> int:
    value = common.parse_number(path, record[name], row=line, column=col[name], integer=True, allow_empty=False)
    if value not in allowed:
        raise SourceFormatError(path, f"expected one of {sorted(allowed)}, found {record[name]!r}", row=line,
                                column=col[name])
    return value


def _date(path: Path, text: str, line: int, column: str, latest: tuple[int, str], *, required: bool) -> str | None:
    """ISO date from UCDP's 'yyyy-mm-dd' or the re-saved 'd-m-yyyy', not after the release year."""
    if not text:
        if required:
            raise SourceFormatError(path, "expected a date, found an empty cell", row=line, column=column)
        return None
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    dmy = re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", text)
    try:
        found = None
        if iso:
            found = date(int(iso[1]), int(iso[2]), int(iso[3]))
        if dmy:
            found = date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
    except ValueError:
        found = None
    if found is not None:
        if found.year > latest[0]:
            raise SourceFormatError(path, f"expected a date in {latest[0]} or before ({latest[1]}), found {text!r}",
                                    row=line, column=column)
        return found.isoformat()
    raise SourceFormatError(path, f"expected a date as yyyy-mm-dd or d-m-yyyy, found {text!r}", row=line,
                            column=column)


def _iso_list(codes: set[int]) -> str:
    return ";".join(sorted(GWNO[code] for code in codes))
