"""Figures and tables for the claims ledger (notebook 07, "Checking the sources").

The ledger (table ``claims``) holds one row per claim made by a seed article, with the verdict reached after
checking it (``holds``, ``holds with caveat``, ``outdated``, ``wrong``, ``unverifiable``, ``interpretive``), the
evidence and the sources cited. The functions here are pure: a DataFrame in, a Figure (or an HTML string) out.

* :func:`verdict_counts` -- claims per verdict, by seed or by topic (the numbers behind the bar charts);
* :func:`plot_verdicts` -- stacked horizontal bars of those counts;
* :func:`plot_stated_vs_computed` -- for the numeric claims, how far the value recomputed from the data lies
  from the value the article stated, against the tolerance the check allows;
* :func:`source_kind_counts` / :func:`plot_source_kinds` -- which kinds of source (official data, news,
  analysis...) the evidence rests on;
* :func:`filter_ledger`, :func:`plot_filtered_verdicts`, :func:`ledger_html` -- the pieces of the ledger explorer.
"""

from __future__ import annotations

import html
from typing import Iterable

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator
import pandas as pd

from utils.plots import finish, new_figure

#: The verdicts in the order a reader weighs them: from "the claim stands" to "it cannot be checked".
VERDICTS: tuple[str, ...] = ("holds", "holds with caveat", "outdated", "wrong", "unverifiable", "interpretive")

#: One colour per verdict. Greens for claims that stand, orange and vermilion for claims that no longer or never
#: did, greys and a muted violet for what data cannot settle (Okabe-Ito / Tol colours, colour-blind safe).
VERDICT_COLOURS: dict[str, str] = {
    "holds": "#009E73",
    "holds with caveat": "#8FD3B8",
    "outdated": "#E69F00",
    "wrong": "#D55E00",
    "unverifiable": "#BBBBBB",
    "interpretive": "#9C8CC4",
}

#: Value meaning "no filter" in :func:`filter_ledger` and in the explorer's dropdowns.
ALL = "(all)"


def _ordered_verdicts(present: Iterable[str]) -> list[str]:
    """The verdicts present, in :data:`VERDICTS` order (unknown ones last, so nothing is silently dropped)."""
    present = list(dict.fromkeys(present))
    known = [v for v in VERDICTS if v in present]
    return known + sorted(v for v in present if v not in VERDICTS)


def verdict_counts(claims: pd.DataFrame, by: str = "seed") -> pd.DataFrame:
    """Number of claims per value of ``by`` (rows) and verdict (columns, in :data:`VERDICTS` order).

    Rows are sorted by their total, largest first; every verdict of :data:`VERDICTS` is a column (zero if absent),
    so charts built from it keep the same legend whatever the filter.
    """
    if by not in claims.columns:
        raise KeyError(f"the ledger has no column {by!r} (columns: {', '.join(claims.columns)})")
    table = pd.crosstab(claims[by].astype("string"), claims["verdict"].astype("string"))
    columns = _ordered_verdicts([*VERDICTS, *table.columns])
    table = table.reindex(columns=columns, fill_value=0)
    table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    table.index.name, table.columns.name = by, "verdict"
    return table.astype(int)


def _stacked_bars(ax: plt.Axes, counts: pd.DataFrame, annotate_totals: bool = True) -> None:
    """Horizontal stacked bars, first row at the top, one segment per verdict."""
    rows = list(counts.index)[::-1]  # barh draws bottom-up; reverse so the largest row is on top
    left = np.zeros(len(rows))
    for verdict in counts.columns:
        widths = counts.loc[rows, verdict].to_numpy()
        ax.barh(rows, widths, left=left, color=VERDICT_COLOURS.get(verdict, "#777777"),
                edgecolor="white", linewidth=0.8, label=verdict)
        for y, (start, width) in enumerate(zip(left, widths)):
            if width >= 2:  # label segments wide enough to hold a number
                ax.text(start + width / 2, y, str(int(width)), ha="center", va="center", fontsize=9,
                        color="white" if verdict in ("holds", "wrong", "interpretive") else "#222222")
        left += widths
    if annotate_totals:
        for y, total in enumerate(left):
            ax.text(total + 0.3, y, f"{int(total)}", va="center", fontsize=9, color="#444444")
    ax.set_xlim(0, max(left.max() * 1.08, 1))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", visible=False)


def plot_verdicts(
    claims: pd.DataFrame,
    by: str = "seed",
    labels: dict[str, str] | None = None,
    title: str | None = None,
    source_ids: tuple[str, ...] = (),
    width: float = 9.0,
    note: str | None = None,
) -> plt.Figure:
    """Stacked horizontal bars: how many claims of each ``by`` value (seed or topic) got each verdict.

    ``labels`` renames the rows (e.g. a seed id to its file name and inferred date). ``title`` should state the
    finding; the default only describes the chart.
    """
    counts = verdict_counts(claims, by)
    counts = counts.loc[:, counts.sum(axis=0) > 0]  # legend lists only verdicts that occur
    if labels:
        counts.index = [labels.get(value, value) for value in counts.index]
    fig, ax = new_figure(width, max(2.2, 0.45 * len(counts) + 1.6))
    _stacked_bars(ax, counts)
    ax.set_xlabel("Number of claims")
    ax.set_ylabel("")
    ax.legend(ncols=min(len(counts.columns), 6), loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=9,
              handlelength=1.2, columnspacing=1.0)
    return finish(fig, title or f"Verdicts on the seed articles' claims, by {by}", *source_ids, note=note)


def plot_stated_vs_computed(
    checks: pd.DataFrame,
    scenarios: pd.DataFrame | None = None,
    relative: bool | None = None,
    title: str | None = None,
    source_ids: tuple[str, ...] = (),
    note: str | None = None,
) -> plt.Figure:
    """Dot plot of the numeric claims: stated value, tolerance band, and the value recomputed from the data.

    ``checks`` has one row per claim with the columns ``claim_id``, ``stated``, ``computed`` and ``tolerance``
    (the half-width of the band within which the claim "holds", in the claim's unit), and optionally ``label``
    (row label) and ``unit`` (as returned by :func:`utils.claims.check_claims`). ``scenarios`` (optional; columns
    ``claim_id`` and ``value``) adds the value computed under every other scenario -- each release, year or
    window the check tried -- as small hollow dots, so the reader sees how much the answer depends on the choice.

    When every unit is a percentage the x axis is in percent; otherwise (``relative=True``) it shows the gap as a
    percentage of the stated value, so claims in different units share one axis. A computed value inside its
    band is green, outside vermilion; a claim that could not be computed shows a hollow grey marker.
    """
    required = {"claim_id", "stated", "computed", "tolerance"}
    missing = required - set(checks.columns)
    if missing:
        raise KeyError(f"checks lacks the column(s) {sorted(missing)}; it needs {sorted(required)}")
    frame = checks.dropna(subset=["stated", "tolerance"]).reset_index(drop=True)
    if frame.empty:
        raise ValueError("no claim in checks has both a stated value and a tolerance")
    units = frame["unit"].astype(str) if "unit" in frame.columns else pd.Series("", index=frame.index)
    if relative is None:
        relative = not units.str.startswith("%").all()
    stated = frame["stated"].astype(float)

    def position(values, index: int) -> np.ndarray:
        values = np.asarray(values, dtype=float)
        return (values - stated[index]) / abs(stated[index]) * 100 if relative else values

    labels = frame["label"] if "label" in frame.columns else frame["claim_id"]
    fig, ax = new_figure(9.5, max(2.6, 0.55 * len(frame) + 1.8))
    ys = np.arange(len(frame))[::-1]
    for index, y in zip(frame.index, ys):
        row = frame.loc[index]
        centre, tolerance = position(row["stated"], index), float(row["tolerance"])
        half = tolerance / abs(row["stated"]) * 100 if relative else tolerance
        ax.fill_betweenx([y - 0.3, y + 0.3], centre - half, centre + half, color="#DDDDDD", linewidth=0, zorder=1)
        ax.plot([centre, centre], [y - 0.3, y + 0.3], color="#333333", linewidth=1.6, zorder=2)
        if scenarios is not None:
            values = scenarios.loc[scenarios["claim_id"] == row["claim_id"], "value"].dropna()
        if scenarios is not None and len(values):
            ax.scatter(position(values, index), np.full(len(values), y), s=26, facecolor="none",
                       edgecolor="#555555", linewidth=0.8, zorder=3)
        if pd.isna(row["computed"]):
            ax.plot(centre, y, marker="o", markersize=9, markerfacecolor="white", markeredgecolor="#777777", zorder=4)
            continue
        gap = float(row["computed"]) - float(row["stated"])
        colour = VERDICT_COLOURS["holds"] if abs(gap) <= tolerance + 1e-9 else VERDICT_COLOURS["wrong"]
        x = position(row["computed"], index)
        ax.plot(x, y, marker="o", markersize=9, color=colour, linestyle="none", zorder=4)
        unit = "%" if not relative and units[index].startswith("%") else f" {units[index]}".rstrip()
        ax.annotate(f"stated {row['stated']:,.4g}{unit}, computed {row['computed']:,.1f}{unit}", (x, y),
                    xytext=(0, 9), textcoords="offset points", ha="center", va="bottom", fontsize=8, color="#333333")
    ax.set_yticks(ys, labels)
    ax.set_ylim(-0.7, len(frame) - 0.3)
    key = [
        Line2D([], [], color="#333333", marker="|", linestyle="none", markersize=12, markeredgewidth=1.6,
               label="stated"),
        Patch(color="#DDDDDD", label="tolerance"),
        Line2D([], [], color=VERDICT_COLOURS["holds"], marker="o", linestyle="none", label="computed, within"),
        Line2D([], [], color=VERDICT_COLOURS["wrong"], marker="o", linestyle="none", label="computed, outside"),
    ]
    if scenarios is not None:
        key.append(Line2D([], [], color="#555555", marker="o", markerfacecolor="none", linestyle="none",
                          label="other releases, years or windows"))
    ax.legend(handles=key, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=len(key), fontsize=8,
              handletextpad=0.3, columnspacing=1.0)
    if relative:
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_xlabel("Computed minus stated value, % of the stated value")
    else:
        ax.set_xlabel("Per cent (as stated in the article; grey band: tolerance within which the claim holds)")
    ax.grid(axis="y", visible=False)
    return finish(fig, title or "Numeric claims: recomputed from the data vs stated in the article", *source_ids,
                  note=note)


def source_kind_counts(claims: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Per source kind: how many distinct sources the ledger cites and how many claims cite at least one.

    ``claims.source_id`` holds one or more ids separated by ``;``. Ids missing from ``sources`` are counted
    under the kind ``"unknown"`` (the data tests make that impossible in ``data/``; this keeps the function total).
    """
    ids = (
        claims[["claim_id", "source_id"]]
        .assign(source_id=claims["source_id"].fillna("").str.split(";"))
        .explode("source_id")
    )
    ids = ids[ids["source_id"].astype(str).str.len() > 0]
    kinds = sources.set_index("source_id")["kind"]
    ids["kind"] = ids["source_id"].map(kinds).fillna("unknown")
    table = ids.groupby("kind").agg(sources=("source_id", "nunique"), claims=("claim_id", "nunique"))
    return table.sort_values(["claims", "sources"], ascending=False).astype(int)


#: Colours for source kinds: official sources dark, secondary ones lighter, the seed articles themselves grey.
KIND_COLOURS: dict[str, str] = {
    "official dataset": "#332288",
    "official statement": "#6A5ACD",
    "reference work": "#44AA99",
    "analysis": "#88CCEE",
    "news": "#DDCC77",
    "seed article": "#BBBBBB",
    "unknown": "#777777",
}


def plot_source_kinds(
    claims: pd.DataFrame,
    sources: pd.DataFrame,
    title: str | None = None,
    source_ids: tuple[str, ...] = (),
    note: str | None = None,
) -> plt.Figure:
    """Two bar panels: distinct sources of each kind the ledger cites, and the claims resting on each kind."""
    counts = source_kind_counts(claims, sources)
    fig, axes = new_figure(10.0, max(2.8, 0.45 * len(counts) + 1.8), ncols=2, sharey=True)
    rows = list(counts.index)[::-1]
    colours = [KIND_COLOURS.get(kind, "#777777") for kind in rows]
    for ax, column, label in zip(
        axes, ["sources", "claims"], ["Distinct sources cited", "Claims citing at least one source of this kind"]
    ):
        values = counts.loc[rows, column]
        ax.barh(rows, values, color=colours)
        for y, value in enumerate(values):
            ax.text(value + max(values.max() * 0.01, 0.2), y, str(int(value)), va="center", fontsize=9)
        ax.set_xlim(0, max(values.max() * 1.15, 1))
        ax.set_xlabel(label)
        ax.grid(axis="y", visible=False)
    return finish(fig, title or "Kinds of source behind the ledger's verdicts", *source_ids, note=note)


# --------------------------------------------------------------------------------------------- the explorer


def filter_ledger(claims: pd.DataFrame, seed: str = ALL, topic: str = ALL, verdict: str = ALL) -> pd.DataFrame:
    """The claims matching every filter; a filter equal to :data:`ALL` (or None) is not applied."""
    mask = pd.Series(True, index=claims.index)
    for column, wanted in (("seed", seed), ("topic", topic), ("verdict", verdict)):
        if wanted not in (None, ALL):
            mask &= claims[column].astype("string") == wanted
    return claims[mask]


def plot_filtered_verdicts(
    claims: pd.DataFrame,
    seed: str = ALL,
    topic: str = ALL,
    verdict: str = ALL,
    source_ids: tuple[str, ...] = (),
    note: str | None = None,
) -> plt.Figure:
    """Bar chart of the verdicts among the claims matching the filters (all verdicts kept on the axis)."""
    subset = filter_ledger(claims, seed, topic, verdict)
    counts = subset["verdict"].astype("string").value_counts().reindex(list(VERDICTS), fill_value=0)
    fig, ax = new_figure(8.0, 3.2)
    ax.barh(list(counts.index)[::-1], counts.to_numpy()[::-1],
            color=[VERDICT_COLOURS[v] for v in counts.index][::-1])
    for y, value in enumerate(counts.to_numpy()[::-1]):
        ax.text(value + 0.1, y, str(int(value)), va="center", fontsize=9)
    ax.set_xlim(0, max(counts.max() * 1.15, 1))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Number of claims")
    ax.grid(axis="y", visible=False)
    chosen = [f"{name} = {value}" for name, value in (("seed", seed), ("topic", topic), ("verdict", verdict))
              if value not in (None, ALL)]
    scope = "; ".join(chosen) if chosen else "all claims"
    title = f"{len(subset)} of {len(claims)} claims match ({scope})"
    if len(subset):
        # State the finding, not just the filter: how many of the matching claims stand.
        standing = int(counts.get("holds", 0) + counts.get("holds with caveat", 0))
        title += f": {standing} hold, at least with a caveat; {int(counts.get('outdated', 0))} outdated"
    return finish(fig, title, *source_ids, note=note)


#: Columns shown by :func:`ledger_html`, in this order, when present.
LEDGER_COLUMNS: tuple[str, ...] = ("claim_id", "claim", "stated_value", "verdict", "evidence", "source_id")


def ledger_html(claims: pd.DataFrame, group_by: tuple[str, ...] = (), columns: tuple[str, ...] = LEDGER_COLUMNS) -> str:
    """The claims as an HTML table (text escaped), optionally split into one captioned table per group.

    Used for the full ledger (grouped by seed and topic) and for the explorer's filtered list. Verdicts are
    shown on their verdict colour, so the table and the charts read the same way.
    """
    shown = [c for c in columns if c in claims.columns]
    if claims.empty:
        return "<p><i>No claim matches these filters.</i></p>"

    def table(frame: pd.DataFrame) -> str:
        head = "".join(f"<th style='text-align:left'>{html.escape(c.replace('_', ' '))}</th>" for c in shown)
        body = []
        for _, row in frame.iterrows():
            cells = []
            for column in shown:
                value = "" if pd.isna(row[column]) else str(row[column])
                style = "text-align:left;vertical-align:top"
                if column == "verdict":
                    style += f";background:{VERDICT_COLOURS.get(value, '#FFFFFF')};white-space:nowrap"
                if column == "source_id":
                    value = value.replace(";", "; ")  # let long id lists wrap
                cells.append(f"<td style='{style}'>{html.escape(value)}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"

    if not group_by:
        return table(claims)
    parts = []
    for key, frame in claims.groupby(list(group_by), sort=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        caption = " · ".join(f"{name}: {value}" for name, value in zip(group_by, key))
        parts.append(f"<h4>{html.escape(caption)} ({len(frame)} claims)</h4>{table(frame)}")
    return "\n".join(parts)
