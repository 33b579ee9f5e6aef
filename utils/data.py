"""The data layer: every table in ``data/`` as a typed, validated pandas DataFrame.

Each table is two files in the data folder:

* ``NAME.csv`` -- the data, UTF-8, comma-separated, one header row;
* ``NAME.resource.json`` -- its descriptor: a Frictionless Data *Resource* with a *Table Schema*
  (columns, types, units, allowed values, keys), the file's ``sha256`` hash, and a ``provenance`` block
  (source, edition, retrieved, licence terms, builder, notebooks that use it).

``load(name)`` checks the file against its recorded sha256. When it matches, the file is exactly what was
validated when it was recorded, so it is read straight into typed columns (fast: the benchmark compares this
with plain ``read_csv``). When it does not match -- someone edited the CSV, or pointed ``CSTO_DATA_DIR`` at
another folder -- the table is validated in full with the ``frictionless`` library, and every ``source_id`` is
resolved against the ``sources`` table. An invalid file raises :class:`DataValidationError` naming the file,
row, column and broken rule; a valid edit loads with a note saying how to record it::

    python -m utils.data record events      # accept the edited file: store its new sha256
    python -m utils.data validate            # validate every table in full

``record`` (like ``utils.refresh``) writes through :mod:`utils.transaction`: one writer at a time, all files or
none. ``load`` looks for a write that was cut short with a single ``stat`` and, if it finds one, completes or
undoes it first (with a one-line note).
"""

from __future__ import annotations

if __name__ == "__main__":
    # Run as a command: until main() is under way, Ctrl-C ends the command with one line (no traceback of an
    # import), and writes nothing since nothing has started.
    import os as _os
    import signal as _signal

    def _interrupted_early(*_):
        _os.write(2, b"Interrupted: the data folder is as it was.\n")
        _os._exit(130)

    _signal.signal(_signal.SIGINT, _interrupted_early)

import functools
import hashlib
import io
import json
import os
import sys
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from utils import paths, transaction

#: Separator used inside list-valued cells (``source_id``, ``countries``): ``"tass_2012;csto_site"``.
LIST_SEPARATOR = ";"

#: Frictionless field types mapped to the pandas dtype ``load`` gives them. Dtype *objects*, not names: pandas
#: resolves a name through its dtype registry for every column, which costs more than parsing a small table.
_STRING = pd.StringDtype()
_PANDAS_DTYPES = {
    "string": _STRING,
    "integer": pd.Int64Dtype(),
    "year": pd.Int64Dtype(),
    "number": np.dtype("float64"),
    "boolean": _STRING,  # parsed to pandas "boolean" after reading (CSV holds true/false)
    "date": _STRING,  # parsed to datetime64 after reading
    "datetime": _STRING,
}


class DataValidationError(ValueError):
    """A table does not match its schema. The message names file, row, column and rule."""


class ModifiedTableNote(UserWarning):
    """A table differs from its recorded checksum but is valid (a hand edit, or another data folder)."""


# --------------------------------------------------------------------------------------------- descriptors


def table_names(folder: Path | None = None) -> list[str]:
    """Names of every table in the data folder (those with a descriptor), sorted."""
    folder = folder or paths.data_dir()
    return sorted(p.name[: -len(".resource.json")] for p in folder.glob("*.resource.json"))


def read_descriptor(name: str, folder: Path | None = None) -> dict[str, Any]:
    """The descriptor of table ``name`` as a dict (raises a clear error for an unknown table)."""
    path = paths.table_descriptor(name, folder)
    if not path.exists():
        known = ", ".join(table_names(folder)) or "none"
        raise KeyError(f"No table named {name!r} in {path.parent} (no {path.name}). Known tables: {known}.")
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def write_descriptor(name: str, descriptor: dict[str, Any], folder: Path | None = None) -> None:
    """Write a descriptor in the collection's canonical JSON layout (stable key order, 2-space indent)."""
    path = paths.table_descriptor(name, folder)
    _atomic_write(path, (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def sha256_of(content: bytes) -> str:
    """The ``sha256:<hex>`` string Frictionless uses for a resource's ``hash``."""
    return "sha256:" + hashlib.sha256(content).hexdigest()


def fields_of(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    return descriptor["schema"]["fields"]


# --------------------------------------------------------------------------------------------- reading


def _read_typed(content: bytes, descriptor: dict[str, Any]) -> pd.DataFrame:
    """Parse CSV bytes into a DataFrame with the dtypes the schema promises."""
    fields = fields_of(descriptor)
    dtypes = {f["name"]: _PANDAS_DTYPES.get(f.get("type", "string"), _STRING) for f in fields}
    try:
        frame = pd.read_csv(
            io.BytesIO(content),
            dtype=dtypes,
            keep_default_na=False,
            na_values=descriptor["schema"].get("missingValues", [""]),
        )
    except (OverflowError, ValueError) as error:
        # A whole number beyond 64 bits (which the schema check lets through when the column has no maximum).
        raise DataValidationError(_unreadable_number(content, descriptor, error)) from None
    for field in fields:
        column, kind = field["name"], field.get("type", "string")
        if kind == "date":
            frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
        elif kind == "datetime":
            frame[column] = pd.to_datetime(frame[column], format="ISO8601")
        elif kind == "boolean":
            frame[column] = frame[column].str.lower().map({"true": True, "false": False}).astype("boolean")
    return frame


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


@functools.lru_cache(maxsize=64)
def _load_cached(folder: str, name: str, mtime_ns: int, size: int) -> pd.DataFrame:
    # The cache key includes the file's mtime and size, so an edit made while a kernel runs is seen.
    folder_path = Path(folder)
    descriptor = read_descriptor(name, folder_path)
    csv_path = paths.table_csv(name, folder_path)
    content = csv_path.read_bytes()
    digest = sha256_of(content)
    if digest != descriptor.get("hash"):
        validate_table(name, folder_path, content=content)
        warnings.warn(
            f"{_display(csv_path)} differs from the checksum recorded in {name}.resource.json but is valid, "
            f"so it was loaded. To record this version run: python -m utils.data record {name}",
            ModifiedTableNote,
            stacklevel=4,
        )
        return _read_typed(content, descriptor)
    return _parsed_copy(name, content, digest, descriptor)


def _parsed_copy(name: str, content: bytes, digest: str, descriptor: dict[str, Any]) -> pd.DataFrame:
    """The typed frame of a validated file, from the on-disk parse cache when it holds this exact version.

    Parsing into typed columns (nullable integers, dates, booleans) costs about twice a plain ``read_csv``; a
    pickle of the parsed frame loads faster than either. The cache key covers the file's sha256 and the schema,
    so an edited file or schema never meets a stale entry; a cache that cannot be read or written is ignored.
    """
    schema_key = hashlib.sha256(json.dumps(descriptor["schema"], sort_keys=True).encode()).hexdigest()[:12]
    cache_file = paths.cache_dir() / f"{name}-{digest.removeprefix('sha256:')[:24]}-{schema_key}-pd{pd.__version__}.pkl"
    try:
        return pd.read_pickle(cache_file)
    except Exception:  # missing, unreadable or written by another pandas: parse again
        pass
    frame = _read_typed(content, descriptor)
    try:
        buffer = io.BytesIO()
        frame.to_pickle(buffer)
        _atomic_write(cache_file, buffer.getvalue())
    except OSError:
        pass  # a read-only home folder only costs speed
    return frame


def load(name: str) -> pd.DataFrame:
    """Return table ``name`` as a typed, validated DataFrame (a fresh copy of a cached read).

    >>> members = load("memberships")                                        # doctest: +SKIP
    >>> members.query("organisation == 'CSTO' and country == 'UZB'")         # doctest: +SKIP
    """
    folder = paths.data_dir()
    if transaction.interrupted(folder):  # one stat: a write to data/ was cut short (or is under way)
        _finish_interrupted(folder)
    csv_path = paths.table_csv(name, folder)
    if not csv_path.exists():
        read_descriptor(name, folder)  # raises the "unknown table" error if there is no descriptor either
        raise FileNotFoundError(f"{_display(csv_path)} is missing, although {name}.resource.json describes it.")
    stat = csv_path.stat()
    return _load_cached(str(folder), name, stat.st_mtime_ns, stat.st_size).copy()


def _finish_interrupted(folder: Path) -> None:
    for note in transaction.finish_interrupted(folder):
        warnings.warn(note, ModifiedTableNote, stacklevel=3)
    _load_cached.cache_clear()


def tables() -> pd.DataFrame:
    """One row per table: name, title, source, edition and row count (a live catalogue)."""
    rows = []
    for name in table_names():
        descriptor = read_descriptor(name)
        provenance = descriptor.get("provenance", {})
        rows.append(
            {
                "table": name,
                "title": descriptor.get("title", ""),
                "source": provenance.get("source", ""),
                "edition": provenance.get("edition", ""),
                "rows": len(load(name)),
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class TableDescription:
    """Schema and provenance of one table, printable in a notebook."""

    name: str
    title: str
    description: str
    fields: pd.DataFrame
    primary_key: list[str]
    provenance: dict[str, Any]

    def __str__(self) -> str:
        lines = [f"{self.name}: {self.title}", self.description, ""]
        lines += [f"  {key}: {value}" for key, value in self.provenance.items()]
        lines += ["", f"  primary key: {', '.join(self.primary_key) or '(none)'}", ""]
        lines.append(self.fields.to_string(index=False))
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        prov = "\n".join(f"- **{key}**: {value}" for key, value in self.provenance.items())
        return (
            f"### `{self.name}`: {self.title}\n\n{self.description}\n\n{prov}\n\n"
            f"Primary key: `{', '.join(self.primary_key) or '(none)'}`\n\n{self.fields.to_markdown(index=False)}"
            if _has_tabulate()
            else f"### `{self.name}`: {self.title}\n\n{self.description}\n\n{prov}\n\n```\n{self.fields.to_string(index=False)}\n```"
        )


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


def describe(name: str) -> TableDescription:
    """Schema (columns, types, units, allowed values) and provenance of table ``name``."""
    descriptor = read_descriptor(name)
    rows = []
    for field in fields_of(descriptor):
        constraints = field.get("constraints", {})
        allowed = constraints.get("enum")
        rows.append(
            {
                "column": field["name"],
                "type": field.get("type", "string"),
                "unit": field.get("unit", ""),
                "required": bool(constraints.get("required", False)),
                "allowed values": ", ".join(map(str, allowed)) if allowed else "",
                "description": field.get("description", ""),
            }
        )
    key = descriptor["schema"].get("primaryKey", [])
    return TableDescription(
        name=name,
        title=descriptor.get("title", ""),
        description=descriptor.get("description", ""),
        fields=pd.DataFrame(rows),
        primary_key=[key] if isinstance(key, str) else list(key),
        provenance=descriptor.get("provenance", {}),
    )


def split_list(values: pd.Series) -> pd.Series:
    """Split a list-valued column (``"ARM;KAZ"``) into Python lists, for ``.explode()``."""
    return values.fillna("").str.split(LIST_SEPARATOR).map(lambda items: [i for i in items if i])


# --------------------------------------------------------------------------------------------- validation


def _display(path: Path) -> str:
    """A path as short as possible for messages: relative to the repository when inside it."""
    try:
        return str(path.resolve().relative_to(paths.REPO_ROOT))
    except ValueError:
        return str(path)


def validate_table(
    name: str, folder: Path | None = None, content: bytes | None = None, descriptor: dict[str, Any] | None = None
) -> None:
    """Validate table ``name`` in full; raise :class:`DataValidationError` on the first problems found.

    Uses ``frictionless`` for types, constraints (required, enum, pattern, minimum, maximum...) and primary keys,
    then the bounds that depend on another column (:func:`_bounds_by_problems`), then resolves every
    ``source_id`` against the ``sources`` table. ``content`` and ``descriptor`` replace the files in ``folder``
    (a refresh validates new tables before writing them); messages still name the file in ``folder``.
    """
    folder = folder or paths.data_dir()
    if descriptor is None:
        descriptor = read_descriptor(name, folder)
    csv_path = paths.table_csv(name, folder)
    if content is None:
        content = csv_path.read_bytes()
    problems = _frictionless_problems(descriptor, content)
    if not problems:
        problems = _bounds_by_problems(descriptor, content)
    if not problems:
        problems = _source_id_problems(name, descriptor, content, folder)
    if problems:
        shown = problems[:5]
        more = f"\n  ... and {len(problems) - len(shown)} more problem(s)" if len(problems) > len(shown) else ""
        raise DataValidationError(
            f"{_display(csv_path)} does not match its schema ({name}.resource.json):\n  "
            + "\n  ".join(shown)
            + more
        )


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


def _bounds_by_problems(descriptor: dict[str, Any], content: bytes) -> list[str]:
    """Bounds that depend on another column, which Table Schema constraints cannot state.

    A field may carry ``"maximumBy": {"column": "measure", "maximum": {"share_gdp": 1, ...}}``: in rows whose
    ``measure`` is ``share_gdp`` (or ``share_gdp_<year>``), the value may not exceed 1.
    """
    rules = [(f["name"], f["maximumBy"]) for f in fields_of(descriptor) if "maximumBy" in f]
    if not rules:
        return []
    frame = _read_typed(content, descriptor)
    problems = []
    for column, rule in rules:
        stem = frame[rule["column"]].astype("string").str.replace(r"_\d{4}$", "", regex=True)
        for key, maximum in rule["maximum"].items():
            over = frame.index[(stem == key) & (frame[column] > maximum).fillna(False)]
            problems += [
                f"row {index + 2}, column '{column}': value {frame.at[index, column]!r} is above {maximum:g}, the "
                f"most a '{key}' value can be ({rule['column']} = {frame.at[index, rule['column']]})"
                for index in over
            ]
    return problems


def _source_id_problems(name: str, descriptor: dict[str, Any], content: bytes, folder: Path) -> list[str]:
    field_names = [f["name"] for f in fields_of(descriptor)]
    if "source_id" not in field_names or name == "sources":
        return []
    known = set(_read_typed(paths.table_csv("sources", folder).read_bytes(), read_descriptor("sources", folder))["source_id"])
    frame = _read_typed(content, descriptor)
    ids = split_list(frame["source_id"]).explode()
    unknown = ids[~ids.isin(known) | ids.isna()]
    # +2: one for the header row, one because frictionless (and a spreadsheet) count rows from 1.
    return [
        f"row {index + 2}, column 'source_id': {value!r} is not a source_id in sources.csv "
        f"(add the source to sources.csv first)"
        for index, value in unknown.items()
    ]


# --------------------------------------------------------------------------------------------- writing


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The canonical CSV encoding of a table (so importers reproduce ``data/`` byte for byte)."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _atomic_write(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` so that readers see either the old or the new file, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def record(name: str, folder: Path | None = None) -> str:
    """Validate table ``name`` in full and store its current sha256 and size in its descriptor.

    Holds the data folder's write lock (:mod:`utils.transaction`), so it never interleaves with a refresh.
    """
    folder = folder or paths.data_dir()
    with transaction.writing(folder):
        validate_table(name, folder)
        content = paths.table_csv(name, folder).read_bytes()
        descriptor = read_descriptor(name, folder)
        descriptor["hash"] = sha256_of(content)
        descriptor["bytes"] = len(content)
        descriptor_bytes = (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        transaction.commit(folder, {paths.table_descriptor(name, folder).name: descriptor_bytes}, f"record {name}")
    _load_cached.cache_clear()
    return descriptor["hash"]


# --------------------------------------------------------------------------------------------- command line


def main(argv: Iterable[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m utils.data", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list every table with its title, source and row count")
    check = commands.add_parser("validate", help="validate tables in full (all tables if none named)")
    check.add_argument("names", nargs="*")
    keep = commands.add_parser("record", help="validate an edited table and record its new checksum")
    keep.add_argument("names", nargs="+")
    args = parser.parse_args(list(argv) if argv is not None else None)

    try:
        folder = paths.data_dir()
        if transaction.interrupted(folder):
            for note in transaction.finish_interrupted(folder):
                print(note, file=sys.stderr)
        if args.command == "list":
            print(tables().to_string(index=False))
        elif args.command == "validate":
            names = args.names or table_names(folder)
            if not names:
                raise FileNotFoundError(f"{_display(folder)} holds no tables (no NAME.resource.json files)")
            for name in names:
                validate_table(name)
                print(f"{name}: valid")
        else:
            for name in args.names:
                print(f"{name}: recorded {record(name)}")
    except (DataValidationError, KeyError, FileNotFoundError, transaction.FolderBusy,
            transaction.FolderNotWritable) as error:
        print(f"error: {error.args[0] if isinstance(error, KeyError) else error}", file=sys.stderr)
        return 1
    except OSError as error:  # permission denied, disk full...: one line, no traceback
        where = f" ({_display(Path(error.filename))})" if error.filename else ""
        print(f"error: {error.strerror or error}{where}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    from utils.transaction import run_as_command

    raise SystemExit(run_as_command(main, "Interrupted: the data folder is as it was."))
