"""Figures for notebook 03 (military spending): SIPRI military expenditure of the treaty parties.

Every function is pure: it takes the ``milex`` table (or a frame computed from it) and parameters, and returns a
matplotlib Figure finished with :func:`utils.plots.finish` (finding-stating title, source line with the SIPRI edition).

The ``milex`` table is long: one row per ``iso3, year, measure, edition`` with ``value``, ``unit`` and SIPRI's
``status`` (``reported``, ``estimate``, ``uncertain``, ``no_data``, ``not_a_state``). Shares (``share_gdp``,
``share_govt``) are stored as fractions and shown here as percentages.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from utils.countries import name_of
from utils.plots import colour_of, finish, new_figure, set_theme

#: Measures stored as fractions in ``milex``; figures multiply them by 100.
PERCENT_MEASURES = frozenset({"share_gdp", "share_govt"})

#: Marker for each SIPRI status flag (values without a flag are drawn as a plain line).
STATUS_MARKERS = {"estimate": "o", "uncertain": "X"}

_CONSTANT = re.compile(r"^constant_usd_(\d{4})$")


# --------------------------------------------------------------------------------------------- small helpers


def constant_base(measure: str) -> int | None:
    """The price-base year of a ``constant_usd_<base>`` measure (``None`` for any other measure)."""
    match = _CONSTANT.match(measure)
    return int(match.group(1)) if match else None


def measure_label(measure: str) -> str:
    """Axis label, with unit, for a ``milex`` measure."""
    base = constant_base(measure)
    if base is not None:
        return f"Military spending (US$ million, constant {base} prices)"
    return {
        "current_usd": "Military spending (US$ million, current prices)",
        "share_gdp": "Military spending (% of GDP)",
        "share_govt": "Military spending (% of government spending)",
        "per_capita": "Military spending per person (current US$)",
    }.get(measure, measure)


def measure_title(measure: str) -> str:
    """Short name of a measure for titles and menus."""
    base = constant_base(measure)
    if base is not None:
        return f"spending in constant {base} US$"
    return {
        "current_usd": "spending in current US$",
        "share_gdp": "spending as a share of GDP",
        "share_govt": "spending as a share of government spending",
        "per_capita": "spending per person",
    }.get(measure, measure)


def format_value(value: float, measure: str) -> str:
    """A value as it reads in a title: ``4.1%``, ``$67.2bn``, ``$338m``, ``$452 per person``."""
    if measure in PERCENT_MEASURES:
        return f"{value * 100:.1f}%"
    if measure == "per_capita":
        return f"${value:,.0f} per person"
    if abs(value) >= 1000:
        return f"${value / 1000:,.1f}bn"
    return f"${value:,.0f}m"


def edition_source_id(edition: str) -> str:
    """The ``sources`` id of a SIPRI milex edition (``"SIPRI Military Expenditure Database 2026"`` -> ``"sipri_milex_2026"``)."""
    edition = str(edition)
    if edition.startswith("sipri_"):
        return edition
    match = re.search(r"(\d{4})", edition)  # "SIPRI Military Expenditure Database 2026" -> 2026
    return f"sipri_milex_{match.group(1)}" if match else edition


def edition_label(edition: str) -> str:
    """``"SIPRI Military Expenditure Database 2026"`` -> ``"2026 release"``."""
    match = re.search(r"(\d{4})", str(edition))
    return f"{match.group(1)} release" if match else str(edition)


def editions(milex: pd.DataFrame) -> list[str]:
    """Editions present, oldest first (they sort by the release year they contain)."""
    return sorted(milex["edition"].dropna().unique(), key=lambda e: (re.sub(r"\D", "", str(e)) or "0", str(e)))


def newest_edition(milex: pd.DataFrame) -> str:
    """The newest SIPRI release in the table."""
    return editions(milex)[-1]


def constant_measure(milex: pd.DataFrame, edition: str | None = None) -> str:
    """The ``constant_usd_<base>`` measure of an edition (the newest edition by default)."""
    edition = edition or newest_edition(milex)
    measures = milex.loc[milex["edition"] == edition, "measure"].unique()
    constant = sorted((m for m in measures if constant_base(m) is not None), key=constant_base)
    if not constant:
        raise ValueError(f"edition {edition!r} of milex has no constant_usd_<base> measure")
    return constant[-1]


def measures(milex: pd.DataFrame, edition: str | None = None) -> list[str]:
    """Measures available in an edition, in a teaching order (levels, burden, per person)."""
    edition = edition or newest_edition(milex)
    present = set(milex.loc[milex["edition"] == edition, "measure"].unique())
    order = [constant_measure(milex, edition), "current_usd", "share_gdp", "share_govt", "per_capita"]
    return [m for m in order if m in present] + sorted(present - set(order))


def select(
    milex: pd.DataFrame,
    measure: str,
    countries: Iterable[str] | None = None,
    years: tuple[int, int] | None = None,
    edition: str | None = None,
) -> pd.DataFrame:
    """Rows of one measure and edition, limited to countries and an inclusive year range, with values present."""
    edition = edition or newest_edition(milex)
    rows = milex[(milex["measure"] == measure) & (milex["edition"] == edition) & milex["value"].notna()]
    if countries is not None:
        rows = rows[rows["iso3"].isin(list(countries))]
    if years is not None:
        rows = rows[rows["year"].between(years[0], years[1])]
    return rows.sort_values(["iso3", "year"]).reset_index(drop=True)


def _two_lines(label: str) -> str:
    """Put an axis label's unit in brackets on a second line, so long labels fit beside the axis."""
    return label.replace(" (", "\n(", 1)


def _shown(values: pd.Series, measure: str) -> pd.Series:
    """Values as drawn (percent for the share measures)."""
    return values * 100 if measure in PERCENT_MEASURES else values


def status_note(rows: pd.DataFrame) -> str:
    """A sentence explaining the status markers present in ``rows`` (empty if none is flagged)."""
    present = set(rows["status"])
    parts = [text for status, text in (("estimate", "open circles mark SIPRI estimates"),
                                       ("uncertain", "crosses mark values SIPRI rates highly uncertain"))
             if status in present]
    sentence = " and ".join(parts)
    return (sentence[:1].upper() + sentence[1:] + ".") if parts else ""


def _legend_with_status(ax: plt.Axes, statuses: Iterable[str], **legend) -> None:
    """One legend: the lines already labelled on ``ax``, then the status markers actually drawn.

    A single legend (rather than a second one added as an artist) is always kept inside saved images.
    """
    handles, labels = ax.get_legend_handles_labels()
    names = {"estimate": "SIPRI estimate", "uncertain": "highly uncertain (SIPRI)"}
    present = set(statuses)
    for status, marker in STATUS_MARKERS.items():
        if status in present:
            handles.append(Line2D([], [], linestyle="", marker=marker, markersize=7, markeredgecolor="#444444",
                                  markerfacecolor="white" if status == "estimate" else "#444444"))
            labels.append(names[status])
    ax.legend(handles, labels, **legend)


def _draw_series(ax: plt.Axes, rows: pd.DataFrame, measure: str, label: str | None, colour: str, **line) -> None:
    """One country's line, with SIPRI's estimate/uncertain flags as markers on the flagged years.

    Missing years break the line rather than being bridged by it (a straight line over a gap would invent data).
    """
    y = _shown(rows["value"], measure)
    if len(rows):
        full = range(int(rows["year"].min()), int(rows["year"].max()) + 1)
        gapped = pd.Series(y.to_numpy(), index=rows["year"].to_numpy()).reindex(full)
        ax.plot(gapped.index, gapped.to_numpy(), color=colour, label=label, **line)
        # a year with a value but no neighbour would be invisible as a line: give it a dot
        lonely = gapped.notna() & gapped.shift(1).isna() & gapped.shift(-1).isna()
        if lonely.any():
            ax.plot(gapped.index[lonely], gapped[lonely], linestyle="", marker=".", color=colour, markersize=8)
    for status, marker in STATUS_MARKERS.items():
        flagged = rows["status"] == status
        if flagged.any():
            ax.plot(
                rows.loc[flagged, "year"], y[flagged], linestyle="", marker=marker, markersize=6,
                markerfacecolor="white" if status == "estimate" else colour, markeredgecolor=colour, zorder=3,
            )


def _money_axis(ax: plt.Axes, log: bool) -> None:
    """Readable tick labels for US$ million values (``1,000`` rather than ``10^3``)."""
    if log:
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}" if v >= 1 else f"{v:g}"))


# --------------------------------------------------------------------------------------------- levels


def levels_title(rows: pd.DataFrame, measure: str) -> str:
    """A finding for a levels chart: who is highest and lowest in the last year, and the ratio between them."""
    last_year = int(rows["year"].max())
    last = rows[rows["year"] == last_year].set_index("iso3")["value"].sort_values()
    if len(last) < 2:
        code = last.index[-1]
        return f"{name_of(code)}, {measure_title(measure)}: {format_value(last.iloc[-1], measure)} in {last_year}"
    top, bottom = last.index[-1], last.index[0]
    if measure in PERCENT_MEASURES or measure == "per_capita":
        return (f"In {last_year} {name_of(top)} had the highest {measure_title(measure)} "
                f"({format_value(last[top], measure)}), {name_of(bottom)} the lowest ({format_value(last[bottom], measure)})")
    ratio = last[top] / last[bottom]
    return f"In {last_year} {name_of(top)} spent {ratio:,.0f} times as much as {name_of(bottom)}"


def plot_levels(
    milex: pd.DataFrame,
    measure: str,
    countries: Sequence[str],
    years: tuple[int, int],
    edition: str | None = None,
    log: bool = True,
    title: str | None = None,
) -> plt.Figure:
    """One line per state for a measure over a year range; open circles mark SIPRI estimates, crosses uncertain values.

    A log scale (``log=True``, money measures only) keeps Kyrgyzstan's few hundred million dollars visible next to
    Russia's tens of billions: equal vertical distances are equal ratios.
    """
    edition = edition or newest_edition(milex)
    rows = select(milex, measure, countries, years, edition)
    if rows.empty:
        raise ValueError(f"milex has no {measure!r} values for {list(countries)} in {years} ({edition_label(edition)})")
    fig, ax = new_figure(9.5, 5.2)
    order = rows.groupby("iso3")["value"].last().sort_values(ascending=False).index
    for code in order:
        _draw_series(ax, rows[rows["iso3"] == code], measure, name_of(code), colour_of(code), linewidth=2)
    money = measure not in PERCENT_MEASURES
    _money_axis(ax, log=log and money)
    ax.set_xlabel("Year")
    label = measure_label(measure)
    ax.set_ylabel(_two_lines(label[:-1] + "; log scale)" if log and money else label))
    ax.set_xlim(years[0] - 0.5, years[1] + 0.5)
    _legend_with_status(ax, rows["status"], loc="upper left", bbox_to_anchor=(1.01, 1.0), title="State")
    return finish(fig, title or levels_title(rows, measure), edition_source_id(edition))


def plot_small_multiples(
    milex: pd.DataFrame,
    measure: str,
    countries: Sequence[str],
    years: tuple[int, int],
    edition: str | None = None,
    ncols: int = 3,
    since: int | None = None,
    title: str | None = None,
) -> plt.Figure:
    """One small panel per state, each with its own vertical scale, so every state's trend is readable.

    The default title compares the last year with ``since`` (the first year of the range by default) for the
    states that have a value in both years.
    """
    edition = edition or newest_edition(milex)
    rows = select(milex, measure, countries, years, edition)
    present = [c for c in countries if c in set(rows["iso3"])]
    if not present:
        raise ValueError(f"milex has no {measure!r} values for {list(countries)} in {years}")
    nrows = int(np.ceil(len(present) / ncols))
    set_theme()
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 2.7 * nrows + 0.6), sharex=True, squeeze=False)
    for ax, code in zip(axes.flat, present):
        series = rows[rows["iso3"] == code]
        _draw_series(ax, series, measure, None, colour_of(code), linewidth=2)
        ax.set_title(name_of(code), fontsize=11)
        ax.set_ylim(bottom=0)
        _money_axis(ax, log=False) if measure not in PERCENT_MEASURES else None
        ax.set_xlim(years[0] - 0.5, years[1] + 0.5)
    for ax in list(axes.flat)[len(present):]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("Year")
    fig.supylabel(_two_lines(measure_label(measure)), fontsize=10)
    if title is None:
        # compare the first and last year of the range, for the states that have values in both
        first, last = since or int(rows["year"].min()), int(rows["year"].max())
        ends = rows[rows["year"].isin([first, last])].pivot_table(index="iso3", columns="year", values="value")
        ends = ends.dropna() if ends.shape[1] == 2 else ends.iloc[0:0]
        grew = int((ends[last] > ends[first]).sum()) if len(ends) else 0
        title = f"{grew} of the {len(ends)} states with figures for both years spent more in {last} than in {first}"
    return finish(fig, title, edition_source_id(edition), note="Each panel has its own vertical scale. " + status_note(rows))


def plot_current_vs_constant(milex: pd.DataFrame, iso3: str, edition: str | None = None) -> plt.Figure:
    """One state's spending in current dollars and in constant dollars of the edition's base year.

    The two lines meet in the base year; before it, the constant line sits above the current one when prices
    (and the dollar value of the local currency) were lower, which is what a constant-price series corrects for.
    """
    edition = edition or newest_edition(milex)
    constant = constant_measure(milex, edition)
    base = constant_base(constant)
    fig, ax = new_figure(9.0, 4.8)
    pair = {}
    for measure, style in ((constant, "-"), ("current_usd", "--")):
        rows = select(milex, measure, [iso3], None, edition)
        pair[measure] = rows.set_index("year")["value"]
        label = f"constant {base} US$" if measure == constant else "current US$ (dollars of each year)"
        _draw_series(ax, rows, measure, label, colour_of(iso3), linewidth=2, linestyle=style)
    _money_axis(ax, log=False)
    ax.set_ylim(bottom=0)
    ax.axvline(base, color="#888888", linewidth=1, linestyle=":")
    ax.annotate(f"price base {base}", xy=(base, ax.get_ylim()[1] * 0.97), ha="right", va="top", fontsize=9,
                color="#555555", xytext=(-4, 0), textcoords="offset points")
    ax.set_xlabel("Year")
    ax.set_ylabel("Military spending (US$ million)")
    ax.legend(loc="upper left")
    both = pd.concat(pair, axis=1).dropna()
    gap = both[constant] / both["current_usd"]
    year_max = int(gap.idxmax())
    title = (f"{name_of(iso3)}: at {base} prices, its {year_max} spending is worth {gap.max():.1f} times "
             f"its dollar value at the time")
    return finish(fig, title, edition_source_id(edition))


# --------------------------------------------------------------------------------------------- burden and per person


def plot_burden(
    milex: pd.DataFrame,
    countries: Sequence[str],
    years: tuple[int, int],
    edition: str | None = None,
    reference: float | None = 0.02,
) -> plt.Figure:
    """Military expenditure as a share of GDP (in %), one line per state, with an optional reference line.

    ``reference`` (a fraction; 2% by default, NATO's guideline, a familiar yardstick) is drawn as a dashed line.
    """
    edition = edition or newest_edition(milex)
    rows = select(milex, "share_gdp", countries, years, edition)
    fig, ax = new_figure(9.5, 5.0)
    order = rows.groupby("iso3")["value"].last().sort_values(ascending=False).index
    for code in order:
        _draw_series(ax, rows[rows["iso3"] == code], "share_gdp", name_of(code), colour_of(code), linewidth=2)
    if reference is not None:
        ax.axhline(reference * 100, color="#666666", linestyle="--", linewidth=1,
                   label=f"{reference * 100:g}% of GDP (NATO's guideline)")
    ax.set_ylim(bottom=0)
    ax.set_xlim(years[0] - 0.5, years[1] + 0.5)
    ax.set_xlabel("Year")
    ax.set_ylabel(_two_lines(measure_label("share_gdp")))
    _legend_with_status(ax, rows["status"], loc="upper left", bbox_to_anchor=(1.01, 1.0), title="State")
    last_year = int(rows["year"].max())
    last = rows[rows["year"] == last_year].set_index("iso3")["value"].sort_values(ascending=False)
    title = (f"In {last_year} {name_of(last.index[0])} spent {last.iloc[0] * 100:.1f}% of its GDP on the military, "
             f"{name_of(last.index[-1])} {last.iloc[-1] * 100:.1f}%")
    return finish(fig, title, edition_source_id(edition))


def burden_crosscheck(milex: pd.DataFrame, gdp: pd.DataFrame, edition: str | None = None) -> pd.DataFrame:
    """SIPRI's share of GDP next to the share recomputed as SIPRI current-US$ spending / World Bank GDP.

    ``gdp`` is the World Bank table (``country`` as ISO3, ``year``, ``value`` in current US$; an ``iso3`` and a
    ``gdp_usd`` column are accepted too). Returns ``iso3, year, sipri_share, recomputed_share, difference`` (fractions, difference in
    percentage points) for the years both sources cover.
    """
    edition = edition or newest_edition(milex)
    gdp = _with_iso3(gdp)
    value_col = _value_column(gdp, preferred=("gdp_usd", "value"))
    wb = gdp[["iso3", "year", value_col]].rename(columns={value_col: "gdp_usd"})
    share = select(milex, "share_gdp", None, None, edition)[["iso3", "year", "value"]].rename(columns={"value": "sipri_share"})
    current = select(milex, "current_usd", None, None, edition)[["iso3", "year", "value"]].rename(columns={"value": "milex_usd_m"})
    frame = share.merge(current, on=["iso3", "year"]).merge(wb, on=["iso3", "year"]).dropna()
    frame["recomputed_share"] = frame["milex_usd_m"] * 1e6 / frame["gdp_usd"]
    frame["difference"] = (frame["recomputed_share"] - frame["sipri_share"]) * 100
    return frame[["iso3", "year", "sipri_share", "recomputed_share", "difference"]].reset_index(drop=True)


def _with_iso3(frame: pd.DataFrame) -> pd.DataFrame:
    """World Bank tables name the ISO3 column ``country``; give it the ``milex`` name."""
    return frame if "iso3" in frame.columns else frame.rename(columns={"country": "iso3"})


def _value_column(frame: pd.DataFrame, preferred: Sequence[str]) -> str:
    for column in preferred:
        if column in frame.columns:
            return column
    numeric = [c for c in frame.select_dtypes("number").columns if c not in ("year",)]
    if len(numeric) != 1:
        raise ValueError(f"cannot tell which column holds the values among {list(frame.columns)}")
    return numeric[0]


def plot_burden_crosscheck(check: pd.DataFrame, *source_ids: str) -> plt.Figure:
    """Scatter of SIPRI's share of GDP against the share recomputed from World Bank GDP (both in %)."""
    fig, ax = new_figure(7.5, 6.0)
    for code, rows in check.groupby("iso3"):
        ax.scatter(rows["sipri_share"] * 100, rows["recomputed_share"] * 100, s=22, alpha=0.8,
                   color=colour_of(code), label=name_of(code), edgecolor="white", linewidth=0.4)
    top = float(max(check["sipri_share"].max(), check["recomputed_share"].max()) * 100 * 1.05)
    ax.plot([0, top], [0, top], color="#666666", linestyle="--", linewidth=1, label="equal")
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_aspect("equal")
    ax.set_xlabel("SIPRI: military expenditure (% of GDP)")
    ax.set_ylabel("Recomputed: SIPRI current US$ / World Bank GDP (%)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    within = (check["difference"].abs() <= 0.5).mean() * 100
    title = f"SIPRI's burden agrees with World Bank GDP within half a point in {within:.0f}% of state-years"
    return finish(fig, title, *source_ids)


def plot_per_capita(
    milex: pd.DataFrame,
    year: int,
    countries: Sequence[str],
    edition: str | None = None,
    population: pd.DataFrame | None = None,
) -> plt.Figure:
    """Horizontal bars of spending per person in ``year``; with ``population``, a dot for current US$ / population.

    ``population`` is the World Bank table (``country`` as ISO3, ``year``, ``value`` in persons; ``iso3`` and
    ``population`` columns are accepted too).
    """
    edition = edition or newest_edition(milex)
    rows = select(milex, "per_capita", countries, (year, year), edition).set_index("iso3")
    if rows.empty:
        raise ValueError(f"milex has no per_capita values for {year}")
    rows = rows.sort_values("value")
    fig, ax = new_figure(9.0, 0.5 * len(rows) + 1.6)
    labels = [name_of(c) for c in rows.index]
    ax.barh(labels, rows["value"], color=[colour_of(c) for c in rows.index])
    sources = [edition_source_id(edition)]
    label_at = rows["value"].copy()
    if population is not None:
        population = _with_iso3(population)
        pop_col = _value_column(population, preferred=("population", "value"))
        pop = population[population["year"] == year].set_index("iso3")[pop_col]
        current = select(milex, "current_usd", rows.index, (year, year), edition).set_index("iso3")["value"]
        recomputed = (current * 1e6 / pop).reindex(rows.index)
        ax.scatter(recomputed, labels, marker="D", s=28, color="#222222", zorder=3,
                   label="current US$ / World Bank population")
        ax.legend(loc="lower right")
        sources.append("wb_population")
        label_at = pd.concat([label_at, recomputed], axis=1).max(axis=1)  # write the label beyond the dot too
    for label, (code, row) in zip(labels, rows.iterrows()):
        flag = {"estimate": " (SIPRI estimate)", "uncertain": " (highly uncertain)"}.get(row["status"], "")
        ax.annotate(f"${row['value']:,.0f}{flag}", xy=(label_at[code], label), xytext=(7, 0),
                    textcoords="offset points", va="center", fontsize=9)
    ax.set_xlim(0, rows["value"].max() * 1.35)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    ax.set_xlabel(f"Military expenditure per person in {year} (current US$)")
    ax.set_ylabel("")
    top, bottom = rows.index[-1], rows.index[0]
    ratio = rows["value"].iloc[-1] / rows["value"].iloc[0]
    title = (f"Per person, {name_of(top)} spent {ratio:,.0f} times as much as {name_of(bottom)} on the military in {year}")
    return finish(fig, title, *sources)


# --------------------------------------------------------------------------------------------- Russia's share


def plot_russia_share(
    shares: pd.DataFrame,
    claim: float | None = 95.0,
    highlight_year: int | None = None,
    marks: dict[int, str] | None = None,
    claim_label: str = "the seeds' claim",
    title: str | None = None,
) -> plt.Figure:
    """Russia's share (%) of the members' total spending per year, one line per SIPRI release.

    ``shares`` stacks :func:`utils.metrics.russia_share_by_year` for each edition: columns ``year``, ``edition``,
    ``share`` (per cent) and, optionally, ``complete``; years in which a member has no figure are left out
    (the share would be overstated). ``claim`` (per cent) is drawn as a dashed line; with ``highlight_year`` each
    release's value in that year is labelled; ``marks`` maps years to labels drawn as dotted vertical lines.
    """
    if "complete" in shares.columns:
        shares = shares[shares["complete"].astype(bool)]
    fig, ax = new_figure(9.5, 5.0)
    ordered = sorted(shares["edition"].unique(), key=lambda e: re.sub(r"\D", "", str(e)))
    older_styles = [("#888888", "--"), ("#555555", ":"), ("#AA4499", "-.")]
    for i, edition in enumerate(ordered):
        newest = i == len(ordered) - 1
        colour, style = (colour_of("RUS"), "-") if newest else older_styles[i % len(older_styles)]
        rows = shares[shares["edition"] == edition].set_index("year")["share"].sort_index()
        rows = rows.reindex(range(int(rows.index.min()), int(rows.index.max()) + 1))  # gaps stay gaps
        ax.plot(rows.index, rows.to_numpy(), label=edition_label(edition), color=colour, linestyle=style,
                linewidth=2.4 if newest else 1.8)
        if highlight_year is not None and pd.notna(rows.get(highlight_year)):
            value = float(rows[highlight_year])
            ax.plot([highlight_year], [value], marker="o", color=colour)
            ax.annotate(f"{value:.1f}%", xy=(highlight_year, value), xytext=(-6, -16 if newest else 8),
                        textcoords="offset points", ha="right", fontsize=9, color=colour, fontweight="bold",
                        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
    for year, label in (marks or {}).items():
        ax.axvline(year, color="#999999", linestyle=":", linewidth=1)
        ax.annotate(label, xy=(year, 1), xycoords=("data", "axes fraction"), xytext=(3, -3),
                    textcoords="offset points", va="top", fontsize=8, color="#444444", rotation=90)
    if claim is not None:
        ax.axhline(claim, color="#333333", linestyle="--", linewidth=1, label=f"{claim_label}: {claim:g}%")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Year")
    ax.set_ylabel("Russia's share of the members'\nmilitary spending (%)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), title="SIPRI release", fontsize=9)
    if title is None:
        newest = shares[shares["edition"] == ordered[-1]]
        low, high = newest.loc[newest["share"].idxmin()], newest.loc[newest["share"].idxmax()]
        title = (f"Russia's share of the members' spending ranged from {low['share']:.1f}% ({int(low['year'])}) "
                 f"to {high['share']:.1f}% ({int(high['year'])})")
    return finish(fig, title, *[edition_source_id(e) for e in ordered])


def plot_release_comparison(milex: pd.DataFrame, iso3: str, older: str, newer: str,
                            highlight_year: int | None = None) -> plt.Figure:
    """The same state's constant-dollar series in two SIPRI releases, and the ratio newer / older per year.

    Moving the price base from one year to another multiplies a whole series by roughly one factor (a flat ratio);
    a revision of the underlying data shows as a ratio that moves from year to year.
    """
    set_theme()
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8), gridspec_kw={"width_ratios": [3, 2]})
    series = {}
    for edition, style, colour in ((older, "--", "#777777"), (newer, "-", colour_of(iso3))):
        measure = constant_measure(milex, edition)
        rows = select(milex, measure, [iso3], None, edition)
        series[edition] = rows.set_index("year")["value"]
        _draw_series(left, rows, measure, f"{edition_label(edition)} (constant {constant_base(measure)} US$)",
                     colour, linewidth=2, linestyle=style)
    _money_axis(left, log=False)
    left.set_ylim(bottom=0)
    left.set_xlabel("Year")
    left.set_ylabel("Military spending\n(US$ million, constant prices)")
    flags = pd.concat([select(milex, constant_measure(milex, e), [iso3], None, e)["status"] for e in (older, newer)])
    _legend_with_status(left, flags, loc="upper left", fontsize=9)
    ratio = (series[newer] / series[older]).dropna()
    # A change of price base alone multiplies every year by the same factor. Take the latest year both releases
    # cover as the reference; a year whose ratio differs from it by more than a fifth was revised.
    reference_year = int(ratio.index.max())
    reference = float(ratio[reference_year])
    right.axhline(reference, color="#888888", linestyle=":", linewidth=1)
    right.annotate(f"ratio in {reference_year}: x{reference:.2f}", xy=(ratio.index.min(), reference), xytext=(2, 4),
                   textcoords="offset points", fontsize=9, color="#555555")
    right.plot(ratio.index, ratio.values, color=colour_of(iso3), marker=".", linewidth=1.5)
    right.set_xlabel("Year")
    right.set_ylabel(f"Ratio {edition_label(newer)} / {edition_label(older)}")
    right.set_ylim(bottom=0)
    year = highlight_year if highlight_year in ratio.index else int((ratio - reference).abs().idxmax())
    right.plot([year], [ratio[year]], marker="o", color="#222222")
    right.annotate(f"{year}: x{ratio[year]:.2f}", xy=(year, ratio[year]), xytext=(-8, 6), textcoords="offset points",
                   ha="right", fontsize=9)
    revised = abs(ratio[year] / reference - 1) > 0.2
    verdict = "a revision" if revised else "no more than the price-base change"
    title = (f"{name_of(iso3)} {year}: ${series[older][year]:,.0f}m in the {edition_label(older)}, "
             f"${series[newer][year]:,.0f}m in the {edition_label(newer)}: {verdict}")
    note = ("Right: if only the price base had changed, the ratio would be the same in every year; "
            "years far from the dotted line were revised.")
    return finish(fig, title, edition_source_id(older), edition_source_id(newer), note=note)
