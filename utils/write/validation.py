"""Validating a table in full before it is recorded or installed: schema, bounds, source ids.

The read wing trusts a table only when its file matches the hash recorded in its descriptor; this module is what
earns that trust. :func:`validate_table` runs ``frictionless`` for types, constraints (required, enum, pattern,
minimum, maximum...) and primary keys, then the bounds that depend on another column, then resolves every
``source_id`` against the ``sources`` table. Problems are reported as one line each, naming file, row, column and
rule.

:func:`pending_rows_past_their_date` finds what validation cannot refuse: a row still "planned" or "announced"
after its date. Such a row may be honest (no report of the outcome found yet), so it is a warning, not an error.
"""

from __future__ import annotations

import calendar
import io
import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from utils import paths
from utils.read.data import fields_of, is_hand_built, read_descriptor, read_typed, sha256_of, split_list

#: The longest text a cell may hold unless its column states a ``maxLength`` (the longest real one, a claim's
#: evidence, is under 900 characters): a pasted document is refused, not recorded.
MAX_TEXT_LENGTH = 2000

#: Characters no cell may hold: NUL and the other control characters (a tab or line break included: a cell is one
#: line of plain text, which keeps every message, diff and spreadsheet view whole).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")

#: A text cell that a spreadsheet program would run as a formula when a student opens the CSV (``=HYPERLINK(...)``,
#: ``=cmd|' /C calc'!A0``, ``@SUM(...)``): one beginning with = + - @, a tab or a carriage return...
FORMULA_START = tuple("=+-@\t\r")
#: ...unless it is plainly not one: dashes alone ("-", "--") or a signed figure written as text ("-12%", "+0.5").
NOT_A_FORMULA = re.compile(r"-+|[-+]\d[\d,.]*%?")

#: Types whose columns must state both a minimum and a maximum in a hand-built table's descriptor.
NUMERIC_TYPES = ("integer", "number", "year")


class DataValidationError(ValueError):
    """A table does not match its schema. The message names file, row, column and rule."""


def typed(content: bytes, descriptor: dict[str, Any]) -> pd.DataFrame:
    """:func:`utils.read.data.read_typed`, with a number too large for 64 bits reported as a validation error."""
    try:
        return read_typed(content, descriptor)
    except (OverflowError, ValueError) as error:
        # A whole number beyond 64 bits (which the schema check lets through when the column has no maximum).
        raise DataValidationError(_unreadable_number(content, descriptor, error)) from None


def _unreadable_number(content: bytes, descriptor: dict[str, Any], error: Exception) -> str:
    """Name the row, column and value that pandas could not read as a typed number."""
    table = descriptor.get("path", "the table")
    raw = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
    for field in fields_of(descriptor):
        if field.get("type") not in ("integer", "year") or field["name"] not in raw.columns:
            continue
        for index, text in raw[field["name"]].items():
            try:
                too_large = text.strip() != "" and abs(int(float(text))) > np.iinfo(np.int64).max
            except (ValueError, OverflowError):
                too_large = True
            if too_large:
                return (f"{table}: row {index + 2}, column '{field['name']}': value {text[:40]!r} is not a whole "
                        f"number of at most {np.iinfo(np.int64).max:,}")
    return f"{table}: {' '.join(str(error).split())[:200]}"



def validate_table(
    name: str, folder: Path | None = None, content: bytes | None = None, descriptor: dict[str, Any] | None = None
) -> None:
    """Validate table ``name`` in full; raise :class:`DataValidationError` on the first problems found.

    Uses ``frictionless`` for types, constraints (required, enum, pattern, minimum, maximum...) and primary keys,
    then the bounds that depend on another column (:func:`_bounds_by_problems`), then resolves every
    ``source_id`` against the ``sources`` table. ``content`` and ``descriptor`` replace the files in ``folder``
    (a refresh validates new tables before writing them); messages still name the file in ``folder``. A table
    that passed with the same inputs earlier in this process passes again without a second check (:data:`_PASSED`).
    """
    folder = folder or paths.data_dir()
    if descriptor is None:
        descriptor = read_descriptor(name, folder)
    csv_path = paths.table_csv(name, folder)
    if content is None:
        content = csv_path.read_bytes()
    passed = _what_validation_reads(name, folder, content, descriptor)
    if passed in _PASSED:
        return
    problems = _text_problems(descriptor, content) or _unbounded_columns(descriptor)
    if not problems:
        problems = _frictionless_problems(descriptor, content)
    if not problems:
        problems = _bounds_by_problems(descriptor, content) + _future_date_problems(descriptor, content)
    if not problems:
        problems = _source_id_problems(name, descriptor, content, folder)
    if problems:
        shown = problems[:5]
        more = f"\n  ... and {len(problems) - len(shown)} more problem(s)" if len(problems) > len(shown) else ""
        raise DataValidationError(
            f"{paths.display(csv_path)} does not match its schema ({name}.resource.json):\n  "
            + "\n  ".join(shown)
            + more
        )
    if len(_PASSED) >= _PASSED_KEPT:
        _PASSED.pop(next(iter(_PASSED)))  # the oldest
    _PASSED[passed] = None


#: Tables found valid in this process, by everything validation reads: the table's name, its bytes, its descriptor
#: and the ``sources`` table it resolves source ids against. The same inputs give the same verdict, and a refresh
#: validates the same new table twice when its dry run is followed by the real run in one process (lesson 08 runs
#: both from cells): the second time it is not validated again. Only passes are kept, so every problem is always
#: reported; nothing is kept on disk.
_PASSED: dict[tuple, None] = {}
_PASSED_KEPT = 16


def _what_validation_reads(name: str, folder: Path, content: bytes, descriptor: dict[str, Any]) -> tuple:
    def digest(path: Path) -> str | None:
        return sha256_of(path.read_bytes()) if path.exists() else None

    return (name, sha256_of(content), json.dumps(descriptor, sort_keys=True),
            digest(paths.table_csv("sources", folder)), digest(paths.table_descriptor("sources", folder)))


def _frictionless_problems(descriptor: dict[str, Any], content: bytes) -> list[str]:
    # frictionless checks every descriptor with jsonschema, whose optional IRI-format support (rfc3987_syntax)
    # compiles 38 grammars on import: about a second, paid by the first validation in every kernel, for a format
    # no Table Schema uses. Unless something in this process has loaded it already, leave it out.
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # makes its import fail cleanly
    # Imported here: needed only for edited files.
    import frictionless

    schema = frictionless.Schema.from_descriptor(descriptor["schema"])
    resource = frictionless.Resource(
        data=content,
        format="csv",
        encoding="utf-8",
        schema=schema,
        # The hash is deliberately not passed: a mismatch is why we are validating, not an error in itself.
    )
    report = resource.validate()
    problems = []
    for task in report.tasks:
        for error in task.errors:
            row = getattr(error, "row_number", None)
            field = getattr(error, "field_name", None)
            where = ", ".join(
                part for part in (f"row {row}" if row else "", f"column '{field}'" if field else "") if part
            )
            cell = getattr(error, "cell", None)
            value = f"value {cell!r}: " if cell is not None else ""
            problems.append(f"{where or 'file'}: {value}{error.title.lower()} -- {error.note}")
    return problems


def _text_problems(descriptor: dict[str, Any], content: bytes) -> list[str]:
    """Cells no text column may hold: control characters, text beyond its length cap, spreadsheet formulas.

    Numeric columns are left to the schema (a negative number there is a number, not a formula).
    """
    if b"\x00" in content:  # before parsing: a NUL byte cuts a cell short in most CSV readers
        line = content[: content.index(b"\x00")].count(b"\n") + 1
        return [f"row {line}: a NUL byte (character 0): no cell may hold one; remove it"]
    try:
        raw = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False, encoding="utf-8")
    except (ValueError, UnicodeDecodeError):
        return []  # unreadable as CSV: frictionless names the problem
    problems = []
    for field in fields_of(descriptor):
        if field.get("type", "string") != "string" or field["name"] not in raw.columns:
            continue
        column, cap = field["name"], field.get("constraints", {}).get("maxLength", MAX_TEXT_LENGTH)
        for index, text in raw[column].items():
            where = f"row {index + 2}, column '{column}'"
            if CONTROL_CHARACTERS.search(text):
                code = ord(CONTROL_CHARACTERS.search(text).group())
                problems.append(f"{where}: value {text[:40]!r} holds control character {code} (a tab, line break or "
                                f"other invisible character): write the text on one line, with spaces")
            elif len(text) > cap:
                problems.append(f"{where}: value {text[:40]!r}... is {len(text):,} characters long, more than the "
                                f"{cap:,} a cell may hold: shorten it")
            elif text.startswith(FORMULA_START) and not NOT_A_FORMULA.fullmatch(text):
                problems.append(f"{where}: value {text[:40]!r} begins with {text[0]!r}, which a spreadsheet program "
                                f"runs as a formula when the file is opened: reword it so that it does not")
    return problems


def _unbounded_columns(descriptor: dict[str, Any]) -> list[str]:
    """A hand-built table's numeric columns must each state a minimum and a maximum (the importers bound theirs in
    :mod:`utils.write.importers.bounds`): without a ceiling, 5,000,000,000 exercise troops would be recorded."""
    if not is_hand_built(descriptor):
        return []
    return [
        f"column '{field['name']}': the descriptor states no {bound} for this {field['type']} column; add "
        f"\"{bound}\" to its constraints (the most a real value could be)"
        for field in fields_of(descriptor) if field.get("type") in NUMERIC_TYPES
        for bound in ("minimum", "maximum") if bound not in field.get("constraints", {})
    ]


def edition_date(descriptor: dict[str, Any]) -> pd.Timestamp | None:
    """The last day a table's edition covers: ``edition`` "2026-12" is 31 December 2026 (else ``retrieved``)."""
    provenance = descriptor.get("provenance", {})
    edition = str(provenance.get("edition", ""))
    if re.fullmatch(r"\d{4}-\d{2}", edition):
        year, month = map(int, edition.split("-"))
        return pd.Timestamp(year, month, calendar.monthrange(year, month)[1])
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", edition):
        return pd.Timestamp(edition)
    retrieved = provenance.get("retrieved")
    return pd.Timestamp(retrieved) if retrieved else None


def _future_date_problems(descriptor: dict[str, Any], content: bytes) -> list[str]:
    """Dates after the table's edition are allowed only in rows whose status says the thing is still to come.

    A date or year column may carry ``"afterEditionOnly": {"column": "status", "values": ["planned"]}``: a row dated
    after the edition (:func:`edition_date`) must have one of those values in that column (an exercise in 2150 is
    "announced" at best, never "held").
    """
    rules = [(f["name"], f.get("type"), f["afterEditionOnly"]) for f in fields_of(descriptor) if "afterEditionOnly" in f]
    edition = edition_date(descriptor)
    if not rules or edition is None:
        return []
    frame = typed(content, descriptor)
    problems = []
    for column, kind, rule in rules:
        late = frame[column] > (edition.year if kind in NUMERIC_TYPES else edition)
        late &= ~frame[rule["column"]].isin(rule["values"])
        allowed = " or ".join(repr(value) for value in rule["values"])
        for index in frame.index[late.fillna(False)]:
            value = frame.at[index, column]
            shown = f"{value:%Y-%m-%d}" if kind == "date" else str(value)
            problems.append(
                f"row {index + 2}, column '{column}': {shown} is after this table's edition "
                f"({edition:%Y-%m-%d}), but {rule['column']} is {frame.at[index, rule['column']]!r}: a later date "
                f"needs {rule['column']} {allowed}"
            )
    return problems


def _bounds_by_problems(descriptor: dict[str, Any], content: bytes) -> list[str]:
    """Bounds that depend on another column, which Table Schema constraints cannot state.

    A field may carry ``"maximumBy": {"column": "measure", "maximum": {"share_gdp": 1, ...}}``: in rows whose
    ``measure`` is ``share_gdp`` (or ``share_gdp_<year>``), the value may not exceed 1.
    """
    rules = [(f["name"], f["maximumBy"]) for f in fields_of(descriptor) if "maximumBy" in f]
    if not rules:
        return []
    frame = typed(content, descriptor)
    problems = []
    for column, rule in rules:
        stem = frame[rule["column"]].astype("string").str.replace(r"_\d{4}$", "", regex=True)
        for key, maximum in rule["maximum"].items():
            over = frame.index[(stem == key) & (frame[column] > maximum).fillna(False)]
            problems += [
                f"row {index + 2}, column '{column}': value {float(frame.at[index, column]):g} is above {maximum:g}, the "
                f"most a '{key}' value can be ({rule['column']} = {frame.at[index, rule['column']]})"
                for index in over
            ]
    return problems


def _source_id_problems(name: str, descriptor: dict[str, Any], content: bytes, folder: Path) -> list[str]:
    field_names = [f["name"] for f in fields_of(descriptor)]
    if "source_id" not in field_names or name == "sources":
        return []
    known = set(typed(paths.table_csv("sources", folder).read_bytes(), read_descriptor("sources", folder))["source_id"])
    frame = typed(content, descriptor)
    ids = split_list(frame["source_id"]).explode()
    unknown = ids[~ids.isin(known) | ids.isna()]
    # +2: one for the header row, one because frictionless (and a spreadsheet) count rows from 1.
    return [
        f"row {index + 2}, column 'source_id': {value!r} is not a source_id in sources.csv "
        f"(add the source to sources.csv first)"
        for index, value in unknown.items()
    ]


#: Statuses of a row that describes something still to come.
PENDING_STATUSES = ("planned", "announced")

#: (first day, last day) date columns of the tables whose rows have a status; the last one may be empty.
DATE_SPANS = (("date", "end_date"), ("start", "end"))


def pending_rows_past_their_date(name: str, folder: Path | None = None, today: date | None = None) -> list[str]:
    """One warning line per row of table ``name`` whose status is still planned or announced after its date.

    The date read is the last day the row can mean: its end date when it has one, and the end of the month or
    year when only those are known (a summit "in November" has not passed until 30 November). Not an error: a
    row that says no report of the outcome was found by the day it was checked is true, and refusing it would
    block every ``record`` until a source appears; the warning asks for the row to be checked again. The table
    must be valid (:func:`validate_table`).
    """
    folder = folder or paths.data_dir()
    descriptor = read_descriptor(name, folder)
    csv_path = paths.table_csv(name, folder)
    frame = typed(csv_path.read_bytes(), descriptor)
    span = next((pair for pair in DATE_SPANS if pair[0] in frame.columns), None)
    if "status" not in frame.columns or span is None:
        return []
    today = pd.Timestamp(today or date.today())
    key = fields_of(descriptor)[0]["name"]
    warnings = []
    for index, row in frame[frame["status"].isin(PENDING_STATUSES)].iterrows():
        column = span[1] if span[1] in frame.columns and pd.notna(row[span[1]]) else span[0]
        precision = row.get(f"{column}_precision")
        last_day = _last_day_meant(row[column], precision)
        if last_day is not None and last_day < today:
            warnings.append(
                f"warning: {paths.display(csv_path)} row {index + 2} ({row[key]}): status {row['status']!r}, but "
                f"its {column} ({_as_written(row[column], precision)}) has passed; record what happened, or say in "
                f"the row that no report of the outcome was found by the day you checked"
            )
    return warnings


def _last_day_meant(value: Any, precision: Any) -> pd.Timestamp | None:
    """The last day a date can mean, given how precisely it is known ('day', 'month' or 'year')."""
    if pd.isna(value):
        return None
    value = pd.Timestamp(value)
    if precision == "year":
        return value + pd.offsets.YearEnd(0)
    if precision == "month":
        return value + pd.offsets.MonthEnd(0)
    return value


def _as_written(value: Any, precision: Any) -> str:
    """A date as precisely as it is known: '11 November 2026', 'September 2026' or '2026'."""
    value = pd.Timestamp(value)
    if precision == "year":
        return f"{value:%Y}"
    if precision == "month":
        return f"{value:%B %Y}"
    return f"{value.day} {value:%B %Y}"
