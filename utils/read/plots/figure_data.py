"""The rows a figure plots, read back from what matplotlib drew: the "Data" file the static site offers beside it.

Read from the drawn artists rather than from the notebook's DataFrames, so it holds exactly what the reader sees
(after every filter and reshape) and needs nothing from the lesson: lines give their points, bars their heights,
dot charts their dots, heat maps their cells. Series are named by the legend (matched by label or colour),
categories by the axis's tick labels, and dates are written as dates. A map gives the states it colours, with
their legend entry, instead of its shapes (Natural Earth's outlines, not data the figure computes).
"""

from __future__ import annotations

import io

import matplotlib.colors as mcolors
import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes
from matplotlib.category import StrCategoryFormatter
from matplotlib.collections import PathCollection, QuadMesh
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedFormatter, FuncFormatter


def _is_date_axis(axis) -> bool:
    """Whether the axis holds dates (matplotlib then stores them as days since 1970)."""
    return isinstance(axis.get_major_formatter(), (mdates.AutoDateFormatter, mdates.ConciseDateFormatter,
                                                   mdates.DateFormatter))


def _ticks(axis) -> dict[float, str]:
    """Tick position -> label, as the axis's formatter writes it (set labels are known before any drawing)."""
    locations = list(axis.get_ticklocs())
    labels = axis.get_major_formatter().format_ticks(locations)
    return {round(float(loc), 6): str(label) for loc, label in zip(locations, labels) if str(label)}


def _value(axis, position: float, categories: dict[float, str]):
    """How a position on ``axis`` reads: a category, a date, or a number."""
    if categories:
        # Dodged bars (one per hue level) sit beside their category's tick, within half a category of it.
        nearest = min(categories, key=lambda tick: abs(tick - position))
        if abs(nearest - position) < 0.5:
            return categories[nearest]
    if _is_date_axis(axis):
        return mdates.num2date(position).date().isoformat()
    return _number(position)


def _is_histogram(container: BarContainer) -> bool:
    """Bars side by side with no gap (bins), unlike bars standing on categories or years."""
    bars = sorted(container.patches, key=lambda bar: bar.get_x())
    return len(bars) > 1 and all(abs(left.get_x() + left.get_width() - right.get_x()) < 1e-9 * max(1.0, abs(right.get_x()))
                                 for left, right in zip(bars, bars[1:]))


def _number(value: float):
    value = float(value)
    return int(value) if value.is_integer() else round(value, 6)


def _categorical(ax: Axes, axis_name: str) -> dict[float, str]:
    """Tick labels of an axis whose ticks name categories (matplotlib's string categories, or labels fixed by seaborn
    on heat maps and numeric categories), so that a position reads as its category even when the category is a number ("2013")."""
    axis = ax.xaxis if axis_name == "x" else ax.yaxis
    formatter = axis.get_major_formatter()
    if isinstance(formatter, (FixedFormatter, StrCategoryFormatter)):
        return _ticks(axis)
    if isinstance(formatter, FuncFormatter):  # set_ticklabels() in matplotlib 3.10+, or a number format
        ticks = _ticks(axis)
        return ticks if any(not _is_number(label) for label in ticks.values()) else {}
    return {}


def _is_number(label: str) -> bool:
    try:
        float(label.replace("\u2212", "-").replace(",", "").rstrip("%"))
    except ValueError:
        return False
    return True


def _legend_colours(ax: Axes, fig: Figure) -> dict[str, str]:
    """Colour (hex) -> legend label, for naming series drawn without labels of their own (seaborn's hue dots)."""
    legend = ax.get_legend() or (fig.legends[0] if fig.legends else None)
    if legend is None:
        return {}
    found = {}
    for handle, text in zip(legend.legend_handles, legend.get_texts()):
        label = text.get_text()
        colour = None
        if isinstance(handle, Line2D):
            colour = handle.get_markerfacecolor() if handle.get_marker() not in (None, "None", "") else handle.get_color()
        elif hasattr(handle, "get_facecolor"):
            face = handle.get_facecolor()
            colour = face[0] if np.ndim(face) == 2 and len(face) else face
        if colour is not None and label:
            found.setdefault(mcolors.to_hex(colour), label)
    return found


def _series_label(artist, colours: dict[str, str], fallback: str = "") -> str:
    label = artist.get_label() or ""
    return fallback if label.startswith("_") or not label else label


def panel_rows(ax: Axes, fig: Figure) -> list[dict]:
    """The values one Axes shows, one dict per plotted point, bar or cell."""
    x_name, y_name = ax.get_xlabel() or "x", ax.get_ylabel() or "y"
    if x_name == y_name:
        y_name = f"{y_name} (value)"
    x_categories, y_categories = _categorical(ax, "x"), _categorical(ax, "y")
    colours = _legend_colours(ax, fig)
    legend = ax.get_legend() or (fig.legends[0] if fig.legends else None)
    series_name = (legend.get_title().get_text() if legend is not None else "") or "series"
    rows: list[dict] = []

    def point(series: str, x, y) -> dict:
        return {series_name: series, x_name: _value(ax.xaxis, x, x_categories), y_name: _value(ax.yaxis, y, y_categories)}

    for mesh in (c for c in ax.collections if isinstance(c, QuadMesh)):  # seaborn heatmap: one cell per row
        values = np.ma.filled(mesh.get_array().astype(float), np.nan).reshape(len(_ticks(ax.yaxis)) or -1, -1) \
            if _ticks(ax.yaxis) else np.ma.filled(mesh.get_array().astype(float), np.nan)
        columns = [label for _, label in sorted(_ticks(ax.xaxis).items())]
        index = [label for _, label in sorted(_ticks(ax.yaxis).items())]
        if values.ndim == 2 and values.shape == (len(index), len(columns)):
            for i, row_label in enumerate(index):
                for j, column_label in enumerate(columns):
                    if not np.isnan(values[i, j]):
                        rows.append({y_name: row_label, x_name: column_label, "value": _number(values[i, j])})
    for container in ax.containers:
        if not isinstance(container, BarContainer):
            continue
        horizontal = getattr(container, "orientation", "vertical") == "horizontal"
        if not horizontal and _is_histogram(container):  # a bin is a range: its edges and its height
            rows += [{series_name: _series_label(container, colours, ""), "from": _number(bar.get_x()),
                      "to": _number(bar.get_x() + bar.get_width()), y_name: _number(bar.get_height())}
                     for bar in container.patches if bar.get_visible() and not np.isnan(bar.get_height())]
            continue
        for bar in container.patches:
            series = _series_label(container, colours, colours.get(mcolors.to_hex(bar.get_facecolor()), ""))
            if not bar.get_visible() or np.isnan(bar.get_height()) or np.isnan(bar.get_width()):
                continue
            if horizontal and bar.get_x() != 0:  # a spell from a start to an end (a timeline)
                where = bar.get_y() + bar.get_height() / 2
                rows.append({series_name: series, y_name: _value(ax.yaxis, where, y_categories),
                             "from": _value(ax.xaxis, bar.get_x(), x_categories),
                             "to": _value(ax.xaxis, bar.get_x() + bar.get_width(), x_categories)})
            elif horizontal:
                where, size = bar.get_y() + bar.get_height() / 2, bar.get_width()
                rows.append({series_name: series, y_name: _value(ax.yaxis, where, y_categories), x_name: _number(size)})
            else:
                where, size = bar.get_x() + bar.get_width() / 2, bar.get_height()
                if not x_categories and not _is_date_axis(ax.xaxis) and bar.get_width() < 1:
                    where = round(where)  # bars dodged within a whole-number slot (a year) belong to that slot
                rows.append({series_name: series, x_name: _value(ax.xaxis, where, x_categories), y_name: _number(size)})
    for line in ax.lines:
        if not line.get_transform().contains_branch(ax.transData):
            continue  # axvline, axhline, axline: placed across the axes, a reference and not data
        # The drawn values (orig=False): a line given dates (Timestamps) holds them converted to the axis's numbers,
        # as bars and dots already are.
        xs = np.asarray(line.get_xdata(orig=False), dtype=float)
        ys = np.asarray(line.get_ydata(orig=False), dtype=float)
        label = _series_label(line, colours, colours.get(mcolors.to_hex(line.get_color()), ""))
        if len(xs) < 2 or not line.get_visible() or (not label and len(xs) == 2):
            continue  # reference lines (axhline, error bar stems) are not data
        rows += [point(label, x, y) for x, y in zip(xs, ys) if not (np.isnan(x) or np.isnan(y))]
    for collection in (c for c in ax.collections if isinstance(c, PathCollection)):
        offsets = np.ma.filled(np.asarray(collection.get_offsets(), dtype=float), np.nan)
        faces = collection.get_facecolors()
        for k, (x, y) in enumerate(offsets):
            if np.isnan(x) or np.isnan(y):
                continue
            face = faces[k] if len(faces) > k else (faces[0] if len(faces) else None)
            series = _series_label(collection, colours, colours.get(mcolors.to_hex(face), "") if face is not None else "")
            rows.append(point(series, x, y))
    panel = ax.get_title()
    if panel:
        rows = [{"panel": panel, **row} for row in rows]
    return rows


def plotted_rows(fig: Figure):
    """Every panel's rows as one DataFrame (columns in first-seen order; empty if the figure plots no data)."""
    import pandas as pd

    panels = [ax for ax in fig.axes if ax.get_visible() and ax.has_data() and getattr(ax, "_colorbar", None) is None]
    # A map's points are projected positions, not data: it lists the states it colours instead (utils.read.maps).
    rows = [row for ax in panels
            for row in (getattr(ax, "csto_rows", []) if getattr(ax, "csto_kind", None) == "map" else panel_rows(ax, fig))]
    frame = pd.DataFrame(rows)
    unnamed = [column for column in frame.columns if not frame[column].astype(str).str.len().any()]
    return frame.drop(columns=unnamed)


def as_csv(fig: Figure, header_lines: list[str]) -> str:
    """The figure's rows as CSV text, after ``#`` comment lines naming the source and the licence."""
    buffer = io.StringIO()
    for line in header_lines:
        buffer.write(f"# {line}\n")
    plotted_rows(fig).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()
