"""What changed between two versions of a table: rows added and removed, values revised, statuses changed.

Used by ``python -m utils.write.refresh`` to print its change report. The comparison is by key columns (a table's
primary key, or for SIPRI releases country, year and measure), so it works whatever order the rows are in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

import pandas as pd

#: Two values differ "beyond rounding" when they differ by more than this fraction of the larger one (0.05 %):
#: publishers re-save figures with different float noise and last-digit rounding, which is not a revision.
RELATIVE_TOLERANCE = 0.0005


@dataclass
class Revision:
    """One value that changed: where (``label`` maps key column to value), old and new value, % change."""

    label: dict
    column: str
    old: float
    new: float

    @property
    def percent(self) -> float:
        if self.old == 0:
            return math.inf if self.new else 0.0
        return (self.new - self.old) / abs(self.old) * 100


@dataclass
class StatusChange:
    label: dict
    old: str
    new: str
    old_value: float | None
    new_value: float | None


@dataclass
class Changes:
    """Differences between an old and a new version of (part of) a table."""

    rows_added: int = 0
    rows_removed: int = 0
    revisions: list[Revision] = field(default_factory=list)
    status_changes: list[StatusChange] = field(default_factory=list)
    years_added: list[int] = field(default_factory=list)
    years_removed: list[int] = field(default_factory=list)
    unchanged_rows: int = 0

    @property
    def empty(self) -> bool:
        return not (self.rows_added or self.rows_removed or self.revisions or self.status_changes)

    def extend(self, other: "Changes") -> None:
        self.rows_added += other.rows_added
        self.rows_removed += other.rows_removed
        self.revisions += other.revisions
        self.status_changes += other.status_changes
        self.years_added = sorted(set(self.years_added) | set(other.years_added))
        self.years_removed = sorted(set(self.years_removed) | set(other.years_removed))
        self.unchanged_rows += other.unchanged_rows


def beyond_rounding(old: float, new: float, tolerance: float = RELATIVE_TOLERANCE) -> bool:
    """True when two numbers differ by more than ``tolerance`` of the larger (both missing: no change)."""
    old_missing, new_missing = missing(old), missing(new)
    if old_missing or new_missing:
        return old_missing != new_missing
    return abs(new - old) > tolerance * max(abs(old), abs(new))


def year_runs(years: Iterable[int]) -> list[tuple[int, int]]:
    """Years as runs of consecutive years, each (first, last): [1992, 1993, 1994, 2008] -> [(1992, 1994), (2008, 2008)]."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return [(run[0], run[-1]) for run in runs]


def missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def compare(
    old: pd.DataFrame,
    new: pd.DataFrame,
    keys: Sequence[str],
    value_columns: Sequence[str],
    status_column: str | None = None,
    year_column: str | None = "year",
    tolerance: float = RELATIVE_TOLERANCE,
) -> Changes:
    """Compare two frames row by row on ``keys``.

    A row whose status changed (e.g. ``no_data`` -> ``estimate``) is a status change, not a revision; a value
    that changed beyond rounding (``tolerance``) with the same status is a revision.
    """
    keys = list(keys)
    columns = keys + list(value_columns) + ([status_column] if status_column else [])
    merged = old[columns].merge(new[columns], on=keys, how="outer", suffixes=("_old", "_new"), indicator=True)
    changes = Changes(
        rows_added=int((merged["_merge"] == "right_only").sum()),
        rows_removed=int((merged["_merge"] == "left_only").sum()),
    )
    both = merged[merged["_merge"] == "both"]
    for record in both.to_dict("records"):
        label = {key: record[key] for key in keys}
        changed = False
        if status_column and record[f"{status_column}_old"] != record[f"{status_column}_new"]:
            first_value = value_columns[0] if value_columns else None
            changes.status_changes.append(
                StatusChange(
                    label,
                    record[f"{status_column}_old"],
                    record[f"{status_column}_new"],
                    record.get(f"{first_value}_old") if first_value else None,
                    record.get(f"{first_value}_new") if first_value else None,
                )
            )
            changed = True
        else:
            for column in value_columns:
                old_value, new_value = record[f"{column}_old"], record[f"{column}_new"]
                if beyond_rounding(_number(old_value), _number(new_value), tolerance):
                    changes.revisions.append(Revision(label, column, _number(old_value), _number(new_value)))
                    changed = True
        changes.unchanged_rows += not changed
    if year_column and year_column in old.columns and year_column in new.columns:
        old_years = set(old[year_column].dropna().astype(int))
        new_years = set(new[year_column].dropna().astype(int))
        changes.years_added = sorted(new_years - old_years)
        changes.years_removed = sorted(old_years - new_years)
    changes.revisions.sort(key=_revision_order)
    return changes


def _number(value) -> float:
    if missing(value):
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _revision_order(revision: Revision):
    # Largest relative change first; values that appeared or vanished (NaN %) go last; ties by label for stability.
    percent = revision.percent
    size = -abs(percent) if not math.isnan(percent) else math.inf
    return (size, tuple(str(v) for v in revision.label.values()), revision.column)


def format_revisions(
    revisions: list[Revision],
    limit: int | None,
    label_columns: Sequence[str],
    show: Callable[[Revision, float], str] = lambda revision, value: f"{value:,.6g}",
) -> list[str]:
    """Lines of a fixed-width table of revisions, largest first (``limit`` rows at most, None = all)."""
    shown = revisions if limit is None else revisions[:limit]
    rows = []
    for revision in shown:
        percent = revision.percent
        change = "new" if math.isnan(revision.old) else "gone" if math.isnan(revision.new) else (
            "from 0" if math.isinf(percent) else f"{percent:+.2f}%"
        )
        rows.append(
            [str(revision.label.get(column, revision.column)) for column in label_columns]
            + [_blank(show, revision, revision.old), _blank(show, revision, revision.new), change]
        )
    header = list(label_columns) + ["old", "new", "change"]
    return _table(header, rows)


def _blank(show, revision, value) -> str:
    return "-" if math.isnan(value) else show(revision, value)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)] if rows else [len(h) for h in header]
    lines = []
    for index, row in enumerate([header] + rows):
        cells = []
        for position, (cell, width) in enumerate(zip(row, widths)):
            # Text columns left-aligned, the three number columns right-aligned.
            cells.append(str(cell).rjust(width) if position >= len(header) - 3 else str(cell).ljust(width))
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def table_lines(header: list[str], rows: list[list[str]]) -> list[str]:
    """A plain left-aligned table (for summaries)."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    return ["  " + "  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in [header] + rows]
