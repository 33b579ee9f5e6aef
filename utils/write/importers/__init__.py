"""Importers: one module per publisher format, each turning an official file (exactly as downloaded) into
the tidy extracts kept in ``data/``.

Every importer module exposes::

    SOURCE: str                                   # the name used on the command line: milex, arms, worldbank ...
    def read(path: Path, progress=None) -> ImportResult

and raises :class:`SourceFormatError` for a file it cannot accept. ``utils.write.refresh`` runs an importer, compares
the result with ``data/``, prints the change report and writes the new extracts atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd


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
