"""Figures for notebook 04 (arms trade): SIPRI trend-indicator values (TIV) of deliveries to the treaty parties.

A TIV measures the *volume* of major conventional arms delivered (each weapon priced on a fixed scale by its
capabilities), not the money paid. A supplier's share of a recipient's TIV over a window of years is what SIPRI's
"supplied X% of the imports" statements mean.

Every function is pure: tables (``arms_transfers``: ``supplier, recipient, year, tiv, supplier_name, method,
edition, source_id``; ``arms_deals``: one row per deal) and parameters in, a matplotlib Figure out, finished with
:func:`utils.plots.finish`. Window shares come from :mod:`utils.metrics` (in per cent).

``arms_transfers`` is one annual series stitched from two SIPRI exports: exact annual values (``method`` =
``exact_annual_export``) and, for the years that export does not cover, each deal's TIV spread evenly over its
delivery years (``equal_split_of_register``, an approximation). Window shares use every row, as
:mod:`utils.metrics` does (an ``edition`` argument narrows them to one export), and figures point out the
approximated years.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator

from utils import metrics
from utils.countries import COUNTRY_NAMES, iso3 as to_iso3, name_of
from utils.plots import OTHER_COLOUR, colour_of, finish, new_figure, set_theme

#: Label of the group that collects the smaller suppliers.
OTHERS = "Others"

#: ``method`` value of the rows summed exactly from SIPRI's deliveries-by-year export.
EXACT = "exact_annual_export"

#: Shade behind years whose values are approximated (equal split of a deal over its delivery years).
APPROX_SHADE = "#EEEEEE"

# Extra colour-blind-friendly colours for suppliers that have no collection colour (Jordan, Slovakia ...),
# so two of them never share the grey kept for "Others".
_EXTRA_COLOURS = ["#A6761D", "#7570B3", "#E7298A", "#66A61E", "#1B9E77", "#8C6D31", "#5254A3"]


# --------------------------------------------------------------------------------------------- helpers


def supplier_names(frame: pd.DataFrame) -> dict[str, str]:
    """Display names of the suppliers (and recipients) in a table, from its ``*_name`` columns."""
    names = dict(COUNTRY_NAMES)
    for code, label in (("supplier", "supplier_name"), ("recipient", "recipient_name")):
        if code in frame.columns and label in frame.columns:
            names.update(zip(frame[code].astype(str), frame[label].astype(str)))
    return names


def name(code: str, names: dict[str, str] | None = None) -> str:
    """Display name of a supplier or recipient code (names of non-state suppliers pass through)."""
    return names.get(code, code) if names else name_of(code)


def source_ids(frame: pd.DataFrame) -> list[str]:
    """The ``sources`` ids behind a table's rows (its ``source_id`` column), in a stable order."""
    if "source_id" in frame.columns:
        return sorted(frame["source_id"].dropna().astype(str).unique())
    return []


def rows_of(transfers: pd.DataFrame, edition: str | None = None) -> pd.DataFrame:
    """The rows a computation uses: the whole table, or only one ``edition`` (export) of it."""
    return transfers if edition is None else transfers[transfers["edition"] == edition]


def edition_years(transfers: pd.DataFrame, edition: str | None = None) -> tuple[int, int]:
    """First and last delivery year of one edition (of the whole table when ``edition`` is None)."""
    rows = rows_of(transfers, edition)
    return int(rows["year"].min()), int(rows["year"].max())


def approximate_years(transfers: pd.DataFrame) -> list[int]:
    """Years whose rows are not exact annual values (empty when the table has no ``method`` column)."""
    if "method" not in transfers.columns:
        return []
    return sorted(int(y) for y in transfers.loc[transfers["method"] != EXACT, "year"].unique())


def year_ranges(years: Sequence[int]) -> str:
    """[1992, 1993, 1994, 2024] -> '1992–1994, 2024'."""
    spans: list[list[int]] = []
    for year in sorted(years):
        if spans and year == spans[-1][1] + 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return ", ".join(f"{a}–{b}" if a != b else str(a) for a, b in spans)


def _shade_years(ax: plt.Axes, years: Iterable[int], visible: tuple[int, int]) -> bool:
    """Shade each approximated year inside the visible range; True if any was shaded."""
    shaded = False
    for year in years:
        if visible[0] <= year <= visible[1]:
            ax.axvspan(year - 0.5, year + 0.5, color=APPROX_SHADE, zorder=0, linewidth=0)
            shaded = True
    return shaded


APPROX_NOTE = "Grey background: years estimated by spreading each deal evenly over its delivery years."


def supplier_colours(suppliers: Iterable[str]) -> dict[str, str]:
    """A colour per supplier: the collection's country colour, else a distinct extra colour; grey for Others."""
    colours, extra = {}, iter(_EXTRA_COLOURS)
    for supplier in suppliers:
        if supplier == OTHERS:
            colours[supplier] = OTHER_COLOUR
            continue
        colour = colour_of(supplier)
        if colour == OTHER_COLOUR or colour in colours.values():
            colour = next(extra, OTHER_COLOUR)
        colours[supplier] = colour
    return colours


def _codes(values: pd.Series) -> pd.Series:
    """Supplier column as ISO3 codes where the state is known (the table may hold names)."""
    return values.astype(str).map(lambda v: to_iso3(v) or v)


# --------------------------------------------------------------------------------------------- computations


def supplier_shares(
    transfers: pd.DataFrame, recipient: str, years: tuple[int, int], edition: str | None = None
) -> pd.DataFrame:
    """``supplier, tiv, share`` (share in per cent) for one recipient and window (:func:`utils.metrics.supplier_breakdown`)."""
    return metrics.supplier_breakdown(recipient, years[0], years[1], arms=transfers, edition=edition)


def share_of(
    transfers: pd.DataFrame, recipient: str, supplier: str, years: tuple[int, int], edition: str | None = None
) -> float:
    """Per cent of ``recipient``'s TIV delivered by ``supplier`` in the window (:func:`utils.metrics.import_share`)."""
    return metrics.import_share(recipient, supplier, years[0], years[1], arms=transfers, edition=edition)


def share_grid(
    transfers: pd.DataFrame,
    recipient: str,
    supplier: str,
    lengths: Sequence[int],
    edition: str | None = None,
) -> pd.DataFrame:
    """Supplier share (per cent) for every window: rows = first year, columns = window length in years.

    Built from :func:`utils.metrics.import_share_by_window`. Windows that run past the last year are absent
    (NaN), as are windows in which nothing was delivered.
    """
    windows = metrics.import_share_by_window(recipient, supplier, lengths, arms=transfers, edition=edition)
    grid = windows.pivot(index="start", columns="length", values="share")
    first, last = edition_years(transfers, edition)
    grid = grid.reindex(index=range(first, last + 1), columns=list(lengths))
    grid.index.name, grid.columns.name = "first year", "window length (years)"
    return grid.astype(float)


def rolling_share(
    transfers: pd.DataFrame, recipient: str, supplier: str, window: int, edition: str | None = None
) -> pd.Series:
    """Supplier share (per cent) over the ``window`` years ending in each year, indexed by the last year."""
    windows = metrics.import_share_by_window(recipient, supplier, [window], arms=transfers, edition=edition)
    return windows.set_index("end")["share"].dropna().rename(f"{supplier} share, {window}-year window")


def imports_by_supplier(transfers: pd.DataFrame, recipient: str, years: tuple[int, int], top_n: int = 5) -> pd.DataFrame:
    """Year x supplier TIV table for one recipient: the ``top_n`` suppliers over the window, the rest as Others."""
    rows = transfers[(transfers["recipient"] == recipient) & transfers["year"].between(years[0], years[1])]
    rows = rows.assign(supplier=_codes(rows["supplier"]))
    top = list(rows.groupby("supplier")["tiv"].sum().sort_values(ascending=False).index[:top_n])
    grouped = rows.assign(group=rows["supplier"].where(rows["supplier"].isin(top), OTHERS))
    table = grouped.pivot_table(index="year", columns="group", values="tiv", aggfunc="sum", fill_value=0.0)
    table = table.reindex(range(years[0], years[1] + 1), fill_value=0.0)
    columns = [s for s in top if s in table.columns] + ([OTHERS] if OTHERS in table.columns else [])
    table = table.reindex(columns=columns, fill_value=0.0)
    table.columns.name = "supplier"
    return table


# --------------------------------------------------------------------------------------------- imports by supplier


def _stacked_bars(ax: plt.Axes, table: pd.DataFrame, colours: dict[str, str], names: dict[str, str]) -> None:
    bottom = np.zeros(len(table))
    for supplier in table.columns:
        heights = table[supplier].to_numpy()
        drawn = heights > 0  # most supplier-years are empty; a bar per empty year only costs drawing time
        ax.bar(table.index[drawn], heights[drawn], bottom=bottom[drawn], width=0.85, color=colours[supplier],
               label=name(supplier, names), edgecolor="white", linewidth=0.3, zorder=2)
        bottom += heights
    # Explicit headroom: the bars' sticky edges (and the shaded spans) would otherwise put the tallest bar at the frame.
    ax.set_ylim(0, max(float(bottom.max()), 1e-9) * 1.08)


def plot_imports_grid(
    transfers: pd.DataFrame,
    recipients: Sequence[str],
    years: tuple[int, int],
    top_n: int = 3,
    ncols: int = 3,
    title: str | None = None,
) -> plt.Figure:
    """Small multiples: each recipient's yearly TIV imports as bars stacked by supplier, each on its own scale."""
    names = supplier_names(transfers)
    tables = {r: imports_by_supplier(transfers, r, years, top_n) for r in recipients}
    suppliers = list(dict.fromkeys(s for t in tables.values() for s in t.columns if s != OTHERS)) + [OTHERS]
    colours = supplier_colours(suppliers)
    nrows = int(np.ceil(len(recipients) / ncols))
    set_theme()
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.1 * ncols, 2.8 * nrows + 1.0), sharex=True, squeeze=False)
    approx = approximate_years(transfers)
    shaded = False
    for ax, recipient in zip(axes.flat, recipients):
        shaded |= _shade_years(ax, approx, years)
        _stacked_bars(ax, tables[recipient], colours, names)
        ax.set_title(name(recipient, names), fontsize=11)
        ax.set_xlim(years[0] - 0.7, years[1] + 0.7)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    for ax in list(axes.flat)[len(recipients):]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("Year of delivery")
    fig.supylabel("Imports of major arms (SIPRI TIV, millions)", fontsize=10)
    used = [s for s in suppliers if any(s in t.columns for t in tables.values())]
    handles = [Rectangle((0, 0), 1, 1, color=colours[s]) for s in used]
    fig.legend(handles, [name(s, names) for s in used], loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False,
               title=f"Supplier\n(top {top_n} of each\nrecipient)")
    if title is None:
        leaders = {r: t.drop(columns=OTHERS, errors="ignore").sum() for r, t in tables.items()}
        russia_first = [r for r, totals in leaders.items() if len(totals) and totals.idxmax() == "RUS"]
        title = (f"Russia was the largest supplier of {len(russia_first)} of these {len(recipients)} states "
                 f"over {years[0]}–{years[1]}")
    note = "Each panel has its own vertical scale." + (" " + APPROX_NOTE if shaded else "")
    return finish(fig, title, *source_ids(transfers), note=note)


def plot_supplier_breakdown(
    transfers: pd.DataFrame,
    recipient: str,
    years: tuple[int, int],
    highlight: str = "RUS",
    top_n: int = 8,
    edition: str | None = None,
) -> plt.Figure:
    """Horizontal bars: each supplier's share of ``recipient``'s TIV imports in the window (the explorer's figure)."""
    names = supplier_names(transfers)
    shares = supplier_shares(transfers, recipient, years, edition)
    sources = source_ids(rows_of(transfers, edition))
    fig, ax = new_figure(9.0, 4.6)
    if shares.empty:
        ax.text(0.5, 0.5, f"No deliveries of major arms to {name(recipient, names)} are recorded in "
                f"{years[0]}–{years[1]}", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return finish(fig, f"{name(recipient, names)} received no major arms in {years[0]}–{years[1]}", *sources)
    if len(shares) > top_n:
        rest = shares.iloc[top_n - 1:]
        shares = pd.concat([shares.iloc[: top_n - 1],
                            pd.DataFrame({"supplier": [OTHERS], "tiv": [rest["tiv"].sum()], "share": [rest["share"].sum()]})],
                           ignore_index=True)
    shares = shares.iloc[::-1]
    colours = supplier_colours(shares["supplier"])
    labels = [name(s, names) for s in shares["supplier"]]
    ax.barh(labels, shares["share"], color=[colours[s] for s in shares["supplier"]], height=0.6)
    for label, (_, row) in zip(labels, shares.iterrows()):
        ax.annotate(f"{row['share']:.1f}%  ({row['tiv']:,.0f} TIV)", xy=(row["share"], label),
                    xytext=(4, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_xlim(0, 118)
    ax.set_xlabel(f"Share of {name(recipient, names)}'s imports of major arms, {years[0]}–{years[1]} (% of SIPRI TIV)")
    total = shares["tiv"].sum()
    part = float(shares.loc[shares["supplier"] == highlight, "share"].sum())
    title = (f"{name(highlight, names)} supplied {part:.0f}% of {name(recipient, names)}'s major arms in "
             f"{years[0]}–{years[1]} ({total:,.0f} TIV in all)")
    approx = [y for y in approximate_years(rows_of(transfers, edition)) if years[0] <= y <= years[1]]
    note = (f"Includes years estimated by spreading each deal evenly over its delivery years: "
            f"{year_ranges(approx)}." if approx else None)
    return finish(fig, title, *sources, note=note)


# --------------------------------------------------------------------------------------------- dependence on Russia


def plot_share_heatmaps(
    grids: dict[str, pd.DataFrame],
    claims: dict[str, tuple[int, int, float]] | None = None,
    supplier: str = "RUS",
    sources: Sequence[str] = (),
    approximate: Sequence[int] = (),
    title: str | None = None,
) -> plt.Figure:
    """One heatmap per recipient: supplier share (%) by first year (rows) and window length (columns).

    ``grids`` maps recipient -> :func:`share_grid` output. ``claims`` maps recipient -> ``(first, last, share %)``:
    the claimed window's cell is outlined and the share computed for it written in the cell. ``approximate`` lists
    years whose values are estimated (see :func:`approximate_years`); the note names those inside the grids.
    """
    set_theme()
    n = len(grids)
    # The colour bar gets its own narrow column, so the layout engine can place everything without overlaps.
    fig, all_axes = plt.subplots(1, n + 1, figsize=(4.4 * n + 0.9, 5.6), squeeze=False,
                                 gridspec_kw={"width_ratios": [1.0] * n + [0.05]})
    axes, colour_axis = all_axes[0][:n], all_axes[0][n]
    image = None
    for ax, (recipient, grid) in zip(axes, grids.items()):
        image = ax.imshow(grid.to_numpy(dtype=float), aspect="auto", cmap="viridis", vmin=0, vmax=100, origin="upper")
        ax.set_xticks(range(len(grid.columns)), [str(c) for c in grid.columns])
        step = max(1, int(np.ceil(len(grid.index) / 10)))
        ax.set_yticks(range(0, len(grid.index), step), [str(y) for y in grid.index[::step]])
        ax.set_xlabel("Window length (years)")
        ax.grid(False)
        heading = name(recipient)
        if claims and recipient in claims:
            first, last, claimed = claims[recipient]
            length = last - first + 1
            heading += f"\nclaimed: {claimed:g}% for {first}–{last}"
            if first in grid.index and length in grid.columns:
                row, col = list(grid.index).index(first), list(grid.columns).index(length)
                ax.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, edgecolor="#FF3300", linewidth=2.5))
                value = grid.loc[first, length]
                if np.isfinite(value):
                    ax.annotate(f"{value:.0f}", xy=(col, row), ha="center", va="center", fontsize=8,
                                color="white" if value < 60 else "black", fontweight="bold")
        ax.set_title(heading, fontsize=11)
    axes[0].set_ylabel("First year of the window")
    cbar = fig.colorbar(image, cax=colour_axis)
    cbar.set_label(f"{name(supplier)}'s share of TIV imports (%)")
    if title is None:
        # judge the spread on windows of five years or more (SIPRI's own statements use five-year windows)
        spans = {}
        for recipient, grid in grids.items():
            values = grid[[c for c in grid.columns if c >= 5]].to_numpy(dtype=float)
            if np.isfinite(values).any():
                spans[recipient] = (np.nanmin(values), np.nanmax(values))
        widest = max(spans, key=lambda r: spans[r][1] - spans[r][0])
        lo, hi = spans[widest]
        title = (f"The window matters: over five years or more, {name(supplier)}'s share of {name(widest)}'s "
                 f"imports runs from {lo:.0f}% to {hi:.0f}%")
    note = ("Red outline: the window a claim refers to, with the share computed for it. Empty cells: windows "
            "that run past the last year in the data or in which nothing was delivered.")
    first = min(int(g.index.min()) for g in grids.values())
    last = max(int(g.index.max()) + max(g.columns) - 1 for g in grids.values())
    inside = [y for y in approximate if first <= y <= last]
    if inside:
        note += (f" Windows that include {year_ranges(inside)} use values estimated by spreading each deal evenly "
                 "over its delivery years.")
    return finish(fig, title, *sources, note=note)


def plot_rolling_shares(
    transfers: pd.DataFrame,
    recipients: Sequence[str],
    supplier: str = "RUS",
    window: int = 5,
    claims: dict[str, tuple[int, int, float]] | None = None,
    edition: str | None = None,
    title: str | None = None,
) -> plt.Figure:
    """Supplier share (%) over the ``window`` years ending in each year, one line per recipient.

    A claim ``(first, last, share %)`` is drawn as a thick translucent segment over its window at the claimed
    share, in the recipient's colour, so the reader can compare it with the computed line.
    """
    fig, ax = new_figure(10.0, 5.2)
    finals = {}
    for recipient in recipients:
        share = rolling_share(transfers, recipient, supplier, window, edition)
        if share.empty:
            continue
        finals[recipient] = share
        ax.plot(share.index, share.to_numpy(), color=colour_of(recipient), linewidth=2.2, label=name(recipient),
                marker=".", markersize=5)
        if claims and recipient in claims:
            first, last, claimed = claims[recipient]
            ax.plot([first, last], [claimed] * 2, color=colour_of(recipient), linewidth=7, alpha=0.45,
                    solid_capstyle="butt")
            ax.annotate(f"claimed {claimed:g}% ({first}–{last})", xy=(first, claimed), xytext=(0, 7),
                        textcoords="offset points", fontsize=8, color="#333333")
    ax.set_ylim(-2, 108)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(f"Last year of the {window}-year window")
    ax.set_ylabel(f"{name(supplier)}'s share of TIV imports\nover {window} years (%)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), title="Recipient")
    if title is None:
        last_year = max(int(s.index.max()) for s in finals.values())
        latest = {r: float(s.iloc[-1]) for r, s in finals.items() if s.index[-1] == last_year}
        low, high = min(latest, key=latest.get), max(latest, key=latest.get)
        title = (f"In the {window} years to {last_year}, {name(supplier)} supplied {latest[low]:.0f}% of "
                 f"{name(low)}'s major arms and {latest[high]:.0f}% of {name(high)}'s")
    rows = rows_of(transfers, edition)
    note = "Thick translucent segments: shares stated in the articles, over the window they name."
    approx = approximate_years(rows)
    if approx:
        note += f" Years estimated by spreading each deal evenly over its delivery years: {year_ranges(approx)}."
    return finish(fig, title, *source_ids(rows), note=note)


def plot_both_sides(
    transfers: pd.DataFrame,
    recipients: Sequence[str] = ("ARM", "AZE"),
    supplier: str = "RUS",
    years: tuple[int, int] | None = None,
    marks: dict[int, str] | None = None,
) -> plt.Figure:
    """Yearly TIV from one supplier to two (or more) recipients as side-by-side bars on one axis.

    ``marks`` maps a year to a short label (e.g. a war) drawn as a dotted vertical line.
    """
    years = years or edition_years(transfers, None)
    rows = transfers[(_codes(transfers["supplier"]) == supplier) & transfers["recipient"].isin(recipients)
                     & transfers["year"].between(years[0], years[1])]
    table = (rows.pivot_table(index="year", columns="recipient", values="tiv", aggfunc="sum", fill_value=0.0)
             .reindex(index=range(years[0], years[1] + 1), columns=list(recipients), fill_value=0.0))
    fig, ax = new_figure(10.0, 5.0)
    shaded = _shade_years(ax, approximate_years(transfers), years)
    width = 0.8 / len(recipients)
    for i, recipient in enumerate(recipients):
        ax.bar(table.index + (i - (len(recipients) - 1) / 2) * width, table[recipient], width=width,
               color=colour_of(recipient), label=name(recipient), edgecolor="white", linewidth=0.3, zorder=2)
    for year, label in (marks or {}).items():
        if years[0] <= year <= years[1]:
            ax.axvline(year, color="#555555", linestyle=":", linewidth=1)
            ax.annotate(label, xy=(year, 1), xycoords=("data", "axes fraction"), xytext=(3, -3),
                        textcoords="offset points", va="top", fontsize=8, color="#333333", rotation=90)
    ax.set_xlim(years[0] - 0.7, years[1] + 0.7)
    ax.set_ylim(0, max(float(table.to_numpy().max()), 1e-9) * 1.08)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Year of delivery")
    ax.set_ylabel(f"Major arms from {name(supplier)}\n(SIPRI TIV, millions)")
    ax.legend(loc="upper left", title="Recipient")
    totals = table.sum()
    parts = " and ".join(f"{totals[r]:,.0f} TIV to {name(r)}" for r in recipients)
    title = f"{name(supplier)} armed both sides: {parts}, {years[0]}–{years[1]}"
    return finish(fig, title, *source_ids(transfers), note=APPROX_NOTE if shaded else None)


def plot_diversification(
    transfers: pd.DataFrame,
    recipients: Sequence[str],
    years: tuple[int, int] | None = None,
    window: int = 5,
    top_n: int = 4,
    title: str | None = None,
) -> plt.Figure:
    """Stacked areas: each supplier's share (%) of a recipient's imports over rolling ``window``-year totals.

    Rolling totals smooth the lumpy deliveries (one aircraft deal can fill a year); the x-axis is the last year of
    each window. Uses the whole table, so windows that reach approximated years are shaded.
    """
    years = years or edition_years(transfers, None)
    names = supplier_names(transfers)
    set_theme()
    fig, axes = plt.subplots(1, len(recipients), figsize=(6.0 * len(recipients), 5.0), squeeze=False, sharey=True)
    tables = {}
    for recipient in recipients:
        table = imports_by_supplier(transfers, recipient, years, top_n=top_n)
        rolled = table.rolling(window).sum().dropna()
        total = rolled.sum(axis=1)
        tables[recipient] = rolled.div(total.where(total > 0), axis=0).dropna() * 100
    suppliers = list(dict.fromkeys(s for t in tables.values() for s in t.columns if s != OTHERS)) + [OTHERS]
    colours = supplier_colours(suppliers)
    approx = approximate_years(transfers)
    shaded = False
    for ax, recipient in zip(axes[0], recipients):
        shares = tables[recipient]
        ax.stackplot(shares.index, *[shares[c] for c in shares.columns], colors=[colours[c] for c in shares.columns],
                     labels=[name(c, names) for c in shares.columns], edgecolor="white", linewidth=0.3)
        # a window "reaches" an approximated year if that year is among its last `window` years
        touched = [end for end in shares.index if any(end - window < y <= end for y in approx)]
        for end in touched:
            ax.axvspan(end - 0.5, end + 0.5, color="white", alpha=0.45, zorder=3, linewidth=0)
        shaded |= bool(touched)
        ax.set_title(name(recipient, names), fontsize=11)
        ax.set_ylim(0, 100)
        ax.set_xlim(shares.index.min(), shares.index.max())
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(f"Last year of the {window}-year window")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=3, fontsize=9)
    axes[0][0].set_ylabel(f"Share of TIV imports over {window} years (%)")
    if title is None:
        parts = []
        for recipient, shares in tables.items():
            russia_end = shares["RUS"].iloc[-1] if "RUS" in shares else 0.0
            parts.append(f"{name(recipient, names)} {russia_end:.0f}%")
        last = int(max(t.index.max() for t in tables.values()))
        title = f"Russia's share of the major arms delivered in the {window} years to {last}: " + ", ".join(parts)
    note = ("Paler bands: windows that include years estimated by spreading each deal evenly over its delivery "
            "years." if shaded else None)
    return finish(fig, title, *source_ids(transfers), note=note)


# --------------------------------------------------------------------------------------------- big deals


def deal_label(row: pd.Series, names: dict[str, str] | None = None) -> str:
    """``"Su-30K FGA aircraft x4 · Russia · ordered 2019"`` for one row of ``arms_deals``."""
    what = f"{row['designation']} {row['description']}" if "description" in row.index else str(row["designation"])
    if "number_delivered" in row.index and pd.notna(row["number_delivered"]):
        what += f" x{int(row['number_delivered'])}"
    parts = [what, name(str(row["supplier"]), names)]
    if "order_year" in row.index and pd.notna(row["order_year"]):
        parts.append(f"ordered {int(row['order_year'])}")
    return " · ".join(parts)


def plot_top_deals(deals: pd.DataFrame, recipient: str, n: int = 8, tiv: str = "tiv_delivered") -> plt.Figure:
    """Labelled horizontal bars of the ``n`` largest deals (by delivered TIV) of one recipient, coloured by supplier."""
    names = supplier_names(deals)
    mine = deals[(deals["recipient"] == recipient) & deals[tiv].notna()]
    rows = mine.nlargest(n, tiv).iloc[::-1]
    if rows.empty:
        raise ValueError(f"arms_deals has no deals with {tiv} for {recipient}")
    fig, ax = new_figure(10.5, 0.42 * len(rows) + 1.9)
    y = np.arange(len(rows))
    suppliers = list(dict.fromkeys(rows["supplier"].astype(str)[::-1]))
    colours = supplier_colours(suppliers)
    ax.barh(y, rows[tiv], color=[colours[str(s)] for s in rows["supplier"]], height=0.65)
    ax.set_yticks(y, [deal_label(row, names) for _, row in rows.iterrows()], fontsize=9)
    for yi, value in zip(y, rows[tiv]):
        ax.annotate(f"{value:,.0f}", xy=(value, yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_xlim(0, rows[tiv].max() * 1.15)
    ax.set_xlabel("Major arms delivered under the deal (SIPRI TIV, millions)")
    ax.legend(handles=[Patch(color=colours[s], label=name(s, names)) for s in suppliers], loc="lower right",
              title="Supplier", fontsize=9)
    share = rows[tiv].sum() / mine[tiv].sum() * 100
    title = (f"{name(recipient, names)}: the {len(rows)} largest of its {len(mine)} listed deals carry "
             f"{share:.0f}% of their volume")
    return finish(fig, title, *source_ids(deals))
