"""Reading the tables in ``data/``: every table as a typed pandas DataFrame.

Each table is two files in the data folder:

* ``NAME.csv`` -- the data, UTF-8, comma-separated, one header row;
* ``NAME.resource.json`` -- its descriptor: a Frictionless Data *Resource* with a *Table Schema*
  (columns, types, units, allowed values, keys), the file's ``sha256`` hash, and a ``provenance`` block
  (source, edition, retrieved, licence terms, builder, notebooks that use it).

What ``load(name)`` does, and why no more
-----------------------------------------
The whole collection is about 4,500 rows: parsing any table takes milliseconds, so ``load`` needs no on-disk cache.
It trusts only what the write wing (:mod:`utils.write`) has validated and recorded:

1. If the folder is in the middle of a change (a refresh or record is committing, or was cut short), it refuses with
   one line naming the command that finishes or undoes the change. Recovering is the write wing's job, not a reader's.
2. It compares the CSV's sha256 with the hash recorded in the descriptor. A match means the file is exactly what was
   validated when it was recorded, so it is parsed straight into the schema's types. A mismatch means an edit nobody
   has validated: ``load`` refuses in one line, naming the command that validates and records a hand-built table, or
   rebuilds an official extract (which is never edited by hand).
3. It keeps the parsed frame in memory, keyed by the file's modification time and size (a lesson and its claim checks
   read the same table many times; an edit made while a kernel runs is still seen), and returns a copy.
"""

from __future__ import annotations

import functools
import hashlib
import html
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from utils import paths

#: Separator used inside list-valued cells (``source_id``, ``countries``): ``"tass_2012;csto_site"``.
LIST_SEPARATOR = ";"

#: The command that validates and records a hand-built table (the write wing's).
RECORD_COMMAND = "python -m utils.write.tables record"
#: The command that finishes or undoes an interrupted change to the data folder.
RECOVER_COMMAND = "python -m utils.write.tables recover"

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


class TableRefused(Exception):
    """``load`` will not serve a table: the message is one line saying why and which command fixes it."""


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


def sha256_of(content: bytes) -> str:
    """The ``sha256:<hex>`` string Frictionless uses for a resource's ``hash``."""
    return "sha256:" + hashlib.sha256(content).hexdigest()


def fields_of(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    return descriptor["schema"]["fields"]


def is_hand_built(descriptor: dict[str, Any]) -> bool:
    """True for a table people edit and record; False for an extract an importer builds from an official file."""
    return str(descriptor.get("provenance", {}).get("builder", "")).startswith("hand-built")


# --------------------------------------------------------------------------------------------- reading


def read_typed(content: bytes, descriptor: dict[str, Any]) -> pd.DataFrame:
    """Parse CSV bytes into a DataFrame with the dtypes the schema promises (no validation)."""
    fields = fields_of(descriptor)
    dtypes = {f["name"]: _PANDAS_DTYPES.get(f.get("type", "string"), _STRING) for f in fields}
    frame = pd.read_csv(
        io.BytesIO(content),
        dtype=dtypes,
        keep_default_na=False,
        na_values=descriptor["schema"].get("missingValues", [""]),
    )
    for field in fields:
        column, kind = field["name"], field.get("type", "string")
        if kind == "date":
            frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
        elif kind == "datetime":
            frame[column] = pd.to_datetime(frame[column], format="ISO8601")
        elif kind == "boolean":
            frame[column] = frame[column].str.lower().map({"true": True, "false": False}).astype("boolean")
    return frame


def load(name: str, folder: Path | None = None) -> pd.DataFrame:
    """Return table ``name`` as a typed DataFrame, exactly as it was validated and recorded.

    >>> members = load("memberships")                                        # doctest: +SKIP
    >>> members.query("organisation == 'CSTO' and country == 'UZB'")         # doctest: +SKIP
    """
    folder = Path(folder) if folder is not None else paths.data_dir()
    if paths.pending_path(folder).exists():  # one stat: a write to the folder is under way or was cut short
        who = "" if os.access(folder, os.W_OK) else (
            " (you cannot write to this folder: ask someone who can, such as its owner or the course's maintainer, "
            "to run it)")
        raise TableRefused(
            f"{paths.display(folder)} is in the middle of a change (a refresh or record is writing it, or was "
            f"interrupted): wait a moment and run this again; if it persists, run {RECOVER_COMMAND}{who}"
        )
    csv_path = paths.table_csv(name, folder)
    if not csv_path.exists():
        read_descriptor(name, folder)  # raises the "unknown table" error if there is no descriptor either
        raise FileNotFoundError(f"{paths.display(csv_path)} is missing, although {name}.resource.json describes it.")
    stat = csv_path.stat()
    return _parsed(str(folder), name, stat.st_mtime_ns, stat.st_size).copy()


@functools.lru_cache(maxsize=128)
def _parsed(folder: str, name: str, mtime_ns: int, size: int) -> pd.DataFrame:
    # Keyed by the file's mtime and size, so an edit made while a kernel runs is seen at the next load.
    folder_path = Path(folder)
    descriptor = read_descriptor(name, folder_path)
    csv_path = paths.table_csv(name, folder_path)
    content = csv_path.read_bytes()
    if sha256_of(content) != descriptor.get("hash"):
        if is_hand_built(descriptor):
            fix = f"to check and keep the edit run {RECORD_COMMAND} {name}"
        else:
            fix = (f"an official extract is rebuilt by its importer, never edited by hand: run "
                   f"{descriptor.get('provenance', {}).get('builder', 'python -m utils.write.refresh')}")
        raise TableRefused(
            f"{paths.display(csv_path)} differs from the version recorded in {name}.resource.json: {fix} "
            f"(or undo the edit with git checkout -- {paths.display(csv_path)})"
        )
    return read_typed(content, descriptor)


def forget_parsed() -> None:
    """Drop the parsed tables kept in memory (after a write to the folder in this process)."""
    _parsed.cache_clear()


def tables(folder: Path | None = None) -> pd.DataFrame:
    """One row per table: name, title, source, edition and row count (a live catalogue)."""
    rows = []
    for name in table_names(folder):
        descriptor = read_descriptor(name, folder)
        provenance = descriptor.get("provenance", {})
        rows.append(
            {
                "table": name,
                "title": descriptor.get("title", ""),
                "source": provenance.get("source", ""),
                "edition": provenance.get("edition", ""),
                "rows": len(load(name, folder)),
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
        # The descriptor's text is shown as written: its HTML, links, emphasis and dollar signs (maths in
        # JupyterLab) escaped, and the fields table in a code fence longer than any run of backticks it holds.
        prov = "\n".join(f"- **{_literal(key)}**: {_literal(value)}" for key, value in self.provenance.items())
        fields = self.fields.to_string(index=False)
        fence = "`" * max(3, 1 + max((len(run) for run in re.findall("`+", fields)), default=0))
        return (
            f"### {_literal(self.name)}: {_literal(self.title)}\n\n{_literal(self.description)}\n\n{prov}\n\n"
            f"Primary key: {_literal(', '.join(self.primary_key) or '(none)')}\n\n"
            f"{fence}\n{fields}\n{fence}"
        )


#: Characters Markdown (or JupyterLab's maths) would read as markup; a backslash makes each one literal.
_MARKDOWN_MARKUP = re.compile(r"([\\`*_{}\[\]()#+\-.!|$~])")


def _literal(value: Any) -> str:
    """``value`` as Markdown that shows exactly its text on one line: no tag, link, emphasis or maths of its own,
    except that each http(s) address in it stays a link (an autolink, which Markdown shows as the address)."""
    text = " ".join(str(value).split())
    parts = []
    for position, piece in enumerate(_WEB_ADDRESS.split(text)):
        if position % 2 and is_web_address(piece):
            parts.append(f"<{piece}>")
        else:
            parts.append(html.escape(_MARKDOWN_MARKUP.sub(r"\\\1", piece), quote=False))
    return "".join(parts)


#: An http(s) address inside a text, without the punctuation that ends a sentence or closes a bracket after it.
_WEB_ADDRESS = re.compile(r"(https?://[^\s<>\"'`\\]+?)(?=[.,;:)\]]*(?:[\s<>\"'`\\]|$))")


def is_web_address(url: object) -> bool:
    """True for an http(s) address with a host: the only kind of ``url`` that becomes a link (a ``javascript:`` or
    ``data:`` address, or a note such as "no public address recorded", stays plain text)."""
    try:
        parts = urlsplit(str(url).strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def describe(name: str, folder: Path | None = None) -> TableDescription:
    """Schema (columns, types, units, allowed values) and provenance of table ``name``."""
    descriptor = read_descriptor(name, folder)
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
