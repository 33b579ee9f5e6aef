"""Helpers shared by the importers of CSV releases (SIPRI arms transfers, World Bank, COW, UCDP).

They cover the three things every one of those importers does the same way:

* read an official file as text, refusing an empty file or a workbook handed to a CSV importer;
* format values canonically, so that importing the same file twice gives byte-identical extracts
  (every extract is built as a table of strings: integers without a decimal point, floats in Python's
  shortest round-trip form, missing values as empty cells);
* merge a table that is fed by two official files (``personnel``: World Bank and COW; ``arms_transfers``:
  SIPRI's annual export and its deal register). Importing one file replaces only the rows that file
  provides and keeps the other file's rows from the current table in the data folder, so the result does not
  depend on the order in which the files are imported.

The helpers reading the current tables take a ``folder``: the data folder the refresh writes into (None: the
default data folder, :func:`utils.paths.data_dir`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable

import pandas as pd

from utils import paths
from utils.write.importers import SourceFormatError

#: The first bytes of a zip archive, which is what an .xlsx workbook is.
_ZIP_SIGNATURE = b"PK\x03\x04"


# --------------------------------------------------------------------------------------------- reading


#: Largest CSV file accepted: the official files are at most a few MB (SIPRI's register is 4 MB), so a larger one
#: is something else, and refusing it before reading keeps memory bounded.
MAX_FILE_BYTES = 64 * 1024 * 1024

#: Longest cell accepted. SIPRI's comments, the longest official cells, run to a few hundred characters.
MAX_FIELD_CHARS = 10_000

#: Largest whole number accepted anywhere (2**53 - 1: exact as a float and in 64 bits), so that no number overflows.
MAX_INTEGER = 2**53 - 1


def read_text(path: Path, what: str) -> str:
    """The file's text: UTF-8 when it decodes as such, else latin-1 (SIPRI's register is latin-1).

    ``what`` names the expected kind of file in the error raised for an empty file or a workbook. A file over
    :data:`MAX_FILE_BYTES`, or holding NUL bytes (a binary file, or UTF-16 text), is refused from its size and
    first bytes, before it is read whole.
    """
    path = Path(path)
    if not path.is_file():
        raise SourceFormatError(path, f"no such file; expected {what}")
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(64 * 1024)
    if head.startswith(_ZIP_SIGNATURE):
        raise SourceFormatError(
            path, f"this is an Excel workbook or another zip archive, not {what}; export or download the CSV file"
        )
    if size > MAX_FILE_BYTES:
        raise SourceFormatError(
            path, f"the file is {size / 1024**2:,.0f} MB; expected {what}, which is at most a few MB "
            f"(limit {MAX_FILE_BYTES // 1024**2} MB)"
        )
    _refuse_nul(path, head, 0, what)
    raw = path.read_bytes()
    _refuse_nul(path, raw, 0, what)
    if not raw.strip():
        raise SourceFormatError(path, f"the file is empty; expected {what}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Every byte sequence decodes as latin-1, the encoding SIPRI uses for its register exports.
        return raw.decode("latin-1")


def _refuse_nul(path: Path, raw: bytes, offset: int, what: str) -> None:
    at = raw.find(b"\x00")
    if at < 0:
        return
    line = raw.count(b"\n", 0, at) + 1
    kind = "UTF-16 text" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "a binary file"
    raise SourceFormatError(
        path, f"NUL byte at byte {offset + at + 1:,}: this is {kind}, not {what} (save it as UTF-8 or latin-1 CSV)",
        row=line,
    )


def csv_records(path: Path, text: str, delimiter: str = ","):
    """(first line, fields) for every record of a CSV text, counting lines as a text editor does.

    A malformed record or a cell longer than :data:`MAX_FIELD_CHARS` raises :class:`SourceFormatError` naming the
    line (and the column), instead of the ``csv`` module's own message without one.
    """
    # The csv module refuses a cell over 131,072 characters without saying where; lift its limit (the file is
    # already bounded by MAX_FILE_BYTES; frictionless lifts it too) and check each cell below, naming its place.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 0
    while True:
        start = line + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise SourceFormatError(path, f"unreadable CSV record: {error}", row=start) from None
        line = reader.line_num
        for index, field in enumerate(fields):
            if len(field) > MAX_FIELD_CHARS:
                raise SourceFormatError(
                    path, f"a cell of {len(field):,} characters; expected at most {MAX_FIELD_CHARS:,} "
                    "(the longest official cells are a few hundred)", row=start, column=column_letter(index),
                )
        yield start, fields


def sha256_file(path: Path) -> str:
    """The file's sha256 as ``sha256:<hex>`` (the form used for ``hash`` in descriptors)."""
    return "sha256:" + hashlib.sha256(Path(path).read_bytes()).hexdigest()


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA), for messages."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def where(header: list[str], name: str) -> str:
    """``"P ('TIV delivery values')"``: the column as a spreadsheet user finds it."""
    return f"{column_letter(header.index(name))} ('{name.strip() or name}')"


def report(progress: Callable[[str], Any] | None, message: str) -> None:
    """Pass a short status message to the caller's ``progress`` callback, if any (None or False: silent)."""
    if callable(progress):
        progress(message)


# --------------------------------------------------------------------------------------------- values


def parse_number(
    path: Path,
    text: str,
    *,
    row: int,
    column: str,
    allow_empty: bool = True,
    integer: bool = False,
    minimum: float | None = 0,
    maximum: float | None = None,
    reason: str = "",
    what: str = "a number",
    sheet: str | None = None,
) -> float | int | None:
    """Parse a numeric cell or raise a :class:`SourceFormatError` naming row, column, value and bound.

    ``maximum`` (and ``minimum``) bound the value; ``reason`` says what the bound means, for the message. Whole
    numbers are also bounded by :data:`MAX_INTEGER`, so that none overflows later.
    """
    text = text.strip()
    if text == "":
        if allow_empty:
            return None
        raise SourceFormatError(path, "expected a number, found an empty cell", row=row, column=column)
    where = dict(row=row, column=column, sheet=sheet)
    shown = text if len(text) <= 40 else text[:37] + "..."
    try:
        value = float(text)
    except ValueError:
        kind = "a whole number" if integer else "a number"
        raise SourceFormatError(path, f"expected {kind}, found {shown!r}", **where) from None
    if not math.isfinite(value):
        raise SourceFormatError(path, f"expected a finite number, found {shown!r}", **where)
    if integer:
        if not value.is_integer():
            raise SourceFormatError(path, f"expected a whole number, found {shown!r}", **where)
        if maximum is None and abs(value) > MAX_INTEGER:
            raise SourceFormatError(path, f"expected a whole number of at most {MAX_INTEGER:,}, found {shown!r}",
                                    **where)
        value = int(value)
    check_bound(path, value, minimum=minimum, maximum=maximum, reason=reason, what=what, shown=shown, **where)
    return value


def check_bound(
    path: Path,
    value: float,
    *,
    minimum: float | None,
    maximum: float | None,
    reason: str = "",
    what: str = "a number",
    shown: str | None = None,
    row: int | None = None,
    column: str | None = None,
    sheet: str | None = None,
) -> None:
    """Raise a :class:`SourceFormatError` naming the place, the value and the bound when ``value`` is outside."""
    if (minimum is None or value >= minimum) and (maximum is None or value <= maximum):
        return
    if maximum is None:
        bound = f"of at least {minimum:g}"
    elif minimum is None:
        bound = f"of at most {_number(maximum)}"
    else:
        bound = f"from {_number(minimum)} to {_number(maximum)}"
    found = shown if shown is not None else fmt(value)
    raise SourceFormatError(
        path, f"expected {what} {bound}" + (f" ({reason})" if reason else "") + f", found {found!r}",
        row=row, column=column, sheet=sheet,
    )


def _number(value: float) -> str:
    """1e14 -> '100,000,000,000,000'; 2025 -> '2025' (years without a separator)."""
    if 1000 <= value < 3000 and float(value).is_integer():
        return str(int(value))
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


def fmt(value: Any) -> str:
    """Canonical text of a cell: '' for missing, ints as digits, floats in shortest round-trip form."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # repr gives the shortest text that reads back as the same float: stable across runs and machines.
        return repr(value)
    return str(value)


def string_table(rows: Iterable[dict[str, Any]], columns: list[str], sort_by: Callable[[dict], Any]) -> pd.DataFrame:
    """A table of canonical strings from dict rows, sorted by ``sort_by`` (rows as dicts of typed values)."""
    ordered = sorted(rows, key=sort_by)
    data = {column: [fmt(row.get(column)) for row in ordered] for column in columns}
    return pd.DataFrame(data, columns=columns, dtype="str")


# --------------------------------------------------------------------------------------------- current data folder


def current_table(name: str, folder: Path | None = None) -> pd.DataFrame | None:
    """The table now in ``folder`` (None: the default data folder) as strings exactly as written (None when it
    does not exist yet)."""
    csv_path = paths.table_csv(name, folder)
    if not csv_path.exists():
        return None
    return pd.read_csv(csv_path, dtype="str", keep_default_na=False, na_values=[], encoding="utf-8")


def current_provenance(name: str, folder: Path | None = None) -> dict[str, Any]:
    """The provenance block of the table's descriptor now in ``folder`` (None: the default data folder; {} when
    there is none)."""
    path = paths.table_descriptor(name, folder)
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        return json.load(handle).get("provenance", {})


def retrieved(sha256: str, previous_files: list[dict[str, Any]]) -> str:
    """When the file was obtained: kept from the descriptor if this exact file was imported before, else
    today (the rule ``utils.write.refresh`` applies to the descriptor's own ``retrieved``)."""
    for entry in previous_files:
        if entry.get("sha256") == sha256 and entry.get("retrieved"):
            return entry["retrieved"]
    return date.today().isoformat()


def retrieved_of(path: Path, table: str, folder: Path | None = None) -> str:
    """When the file was obtained (see :func:`retrieved`, against ``table`` in ``folder``), for bounds that
    depend on it."""
    return retrieved(sha256_file(path), current_provenance(table, folder).get("source_files", []))


def source_file_entry(path: Path, table: str, folder: Path | None = None, **details: Any) -> dict[str, Any]:
    """Provenance entry for one source file: name, sha256, retrieved date (kept from ``table`` in ``folder``
    when this exact file was imported before), plus ``details``."""
    sha = sha256_file(path)
    previous = current_provenance(table, folder).get("source_files", [])
    return {"file": Path(path).name, "sha256": sha, "retrieved": retrieved(sha, previous), **details}


def file_keys(files: list[dict[str, Any]]) -> dict[str, str]:
    """Top-level ``source_file`` and ``source_sha256`` of a descriptor's provenance.

    For a table built from one file they are that file's name and hash. For a table fed by two files they
    name both files, and ``source_sha256`` is the sha256 of their hashes (in role order): it changes when
    either file changes, which is what ``utils.write.refresh`` checks to keep or renew the ``retrieved`` date.
    """
    if len(files) == 1:
        return {"source_file": files[0]["file"], "source_sha256": files[0]["sha256"]}
    joined = ";".join(entry["sha256"] for entry in files).encode("utf-8")
    return {
        "source_file": "; ".join(entry["file"] for entry in files),
        "source_sha256": "sha256:" + hashlib.sha256(joined).hexdigest(),
    }


def merged_source_files(table: str, entry: dict[str, Any], role_key: str = "role",
                        folder: Path | None = None) -> list[dict[str, Any]]:
    """The source-file entries of ``table`` in ``folder`` with ``entry`` replacing the one of the same role,
    sorted by role."""
    previous = current_provenance(table, folder).get("source_files", [])
    kept = [e for e in previous if e.get(role_key) != entry.get(role_key)]
    return sorted([*kept, entry], key=lambda e: str(e.get(role_key)))
