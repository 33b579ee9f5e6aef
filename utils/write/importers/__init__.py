"""Importers: one module per publisher format, each turning an official file (exactly as downloaded) into
the tidy extracts kept in ``data/``.

Every importer module exposes::

    SOURCE: str                                   # the name used on the command line: milex, arms, worldbank ...
    def read(path: Path, progress=None, folder=None) -> ImportResult

``folder`` is the data folder the refresh writes into (None: the default data folder, ``utils.paths.data_dir()``).
The importers that merge with the tables there as they read (arms, worldbank, cow, ucdp: the other file's rows, the
recorded retrieval dates) read them from ``folder``, never from the default folder when another is given. An
importer whose reading depends on its file alone (``READS_ONLY_ITS_FILE = True``, milex) may omit ``folder``: it
is then called without it.

Each importer raises :class:`SourceFormatError` for a file it cannot accept. ``utils.write.refresh`` runs an
importer, compares the result with the data folder, prints the change report and writes the new extracts
atomically.
"""

from __future__ import annotations

import copy
import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TypeVar

import pandas as pd

_Read = TypeVar("_Read", bound=Callable[..., Any])


class SourceFormatError(ValueError):
    """An official file is not what the importer expects.

    The message is one or two plain lines naming the file, sheet, row and column at fault and what was expected,
    e.g. ``SIPRI-Milex.xlsx, sheet 'Share of GDP', row 57, column 'D' (1992): expected a number, '...' or 'xxx';
    found 'abc'``.
    """

    def __init__(
        self,
        path: Path | str,
        problem: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path, self.sheet, self.row, self.column, self.problem = Path(path), sheet, row, column, problem
        where = [Path(path).name]
        if sheet is not None:
            where.append(f"sheet '{sheet}'")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(f"{', '.join(where)}: {problem}")


@dataclass
class ImportResult:
    """What an importer produced from one official file.

    ``tables`` maps a table name in ``data/`` to its new content (columns in the descriptor's order);
    ``provenance`` maps the same names to the provenance fields to update (edition, sha256 of the source file,
    retrieved date, source file name ...); ``latest_year`` maps them to the latest year a value can have (the
    release year of the source), which ``utils.write.refresh`` writes into the descriptor as the years' maximum.
    ``inputs`` holds figures read from the file that are not shipped themselves but feed derived tables (the milex
    importer's NATO members' spending, for ``alliance_burden``).
    """

    tables: dict[str, pd.DataFrame]
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)
    latest_year: dict[str, int] = field(default_factory=dict)
    inputs: dict[str, pd.DataFrame] = field(default_factory=dict)


#: Files larger than this are always read afresh (an official file is a few MB; hashing a huge one costs more than
#: reading it would save).
REMEMBERED_MAX_BYTES = 64 * 1024**2

#: How many files each remembered reader keeps (the newest release, and an older one given with --comparison).
REMEMBERED_FILES = 2


def remembered_by_content(read: _Read) -> _Read:
    """``read(path, ...)``, run once per file name and content in this process; later calls get a copy.

    For readers whose result depends only on the file's name and bytes. Lesson 08 runs the refresh command twice
    on one practice workbook from its cells (a dry run, then the real run on a copy of the data): the second run
    reads the workbook's figures from memory instead of parsing it again. Only results are kept, never errors, and
    nothing is kept on disk; each caller gets its own copy, so no caller can change what the next one gets.
    """
    kept: dict[tuple[str, str], Any] = {}

    @functools.wraps(read)
    def remembered(path: Path | str, *args: Any, **kwargs: Any) -> Any:
        path = Path(path)
        try:
            if not path.is_file() or path.stat().st_size > REMEMBERED_MAX_BYTES:
                return read(path, *args, **kwargs)
            with path.open("rb") as handle:
                key = (path.name, hashlib.file_digest(handle, "sha256").hexdigest())
        except OSError:
            return read(path, *args, **kwargs)  # unreadable: the reader names the problem
        if key not in kept:
            result = read(path, *args, **kwargs)
            if len(kept) >= REMEMBERED_FILES:
                kept.pop(next(iter(kept)))  # the oldest
            kept[key] = result
        return copy.deepcopy(kept[key])

    return remembered  # type: ignore[return-value]
