"""Figures for the alliance's force structure: collective forces, national personnel, bases, exercises, 2022.

Pure functions over the hand-built tables ``collective_forces``, ``deployment_2022``, ``russian_bases`` and
``exercises`` and the importer-built ``personnel`` (see ``utils.data.describe(name)``): DataFrames and
parameters in, a matplotlib Figure out. Helpers that return the numbers a figure draws
(:func:`personnel_wide`, :func:`russia_share_of_personnel`) let tests and exercises check the data.
"""

from __future__ import annotations

from typing import Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from utils.countries import CSTO_MEMBERS, name_of
from utils.plots import OTHER_COLOUR, colour_of, finish, new_figure, shorten

#: The two personnel series and how each is drawn. The World Bank series (from IISS, The Military Balance)
#: counts paramilitary forces from 1995 on, so it jumps there for some states; COW counts military personnel.
SERIES_STYLE: dict[str, dict] = {
    "wb_personnel": {"label": "World Bank / IISS", "short": "WB/IISS", "ls": "-"},
    "cow_nmc_6": {"label": "Correlates of War", "short": "COW", "ls": "--"},
}

#: First year in which the World Bank / IISS series includes paramilitary forces (the indicator's own note,
#: recorded in the ``sources`` table under ``wb_personnel``).
WB_DEFINITION_BREAK = 1995

#: Colours for whoever reported a force figure (Paul Tol's "vibrant" palette, colour-blind safe; its grey is kept
#: for reporters quoted only once).
_REPORTER_COLOURS = ["#0077BB", "#EE7733", "#009988", "#CC3311", "#33BBEE", "#EE3377"]


def _thousands(value: float, _pos=None) -> str:
    return f"{value:,.0f}"


# --------------------------------------------------------------------------------------------- collective forces

#: Kinds of figure that count people under arms (``collective_forces.figure_kind``); battalions and police
#: components are other units and are left out of the size comparison.
PERSONNEL_KINDS: tuple[str, ...] = ("troops", "personnel")


def reporter_column(forces: pd.DataFrame) -> str:
    """The column naming who reported each figure (``reported_by`` if the table has it, else ``source_id``)."""
    for column in ("reported_by", "reporter"):
        if column in forces.columns:
            return column
    return "source_id"


def force_figures_dotplot(
    forces: pd.DataFrame,
    kinds: Sequence[str] = PERSONNEL_KINDS,
    highlight: dict[str, float] | None = None,
    highlight_label: str = "figure quoted by the article",
    title: str | None = None,
) -> plt.Figure:
    """Every reported size of each collective force, side by side: one dot per report, one group per force.

    Within a force's group each report has its own line, labelled with who reported it and the year the figure
    refers to, so equal figures never hide each other. Reporters quoted for more than one force get their own
    colour (the same in every group); one-off reporters are grey. ``highlight`` maps a force (the ``force``
    code) to a figure to mark with a black bar, e.g. the figure an article quoted.
    """
    reporter = reporter_column(forces)
    shown = forces.dropna(subset=["figure"])
    if "figure_kind" in shown.columns:
        shown = shown[shown["figure_kind"].isin(kinds)]
    if shown.empty:
        raise ValueError(f"no force has a reported figure of kind {list(kinds)}")
    order = list(shown.groupby("force")["figure"].max().sort_values(ascending=False).index)
    repeat = shown[reporter].value_counts()
    repeated = [r for r in dict.fromkeys(shown.sort_values("figure_year")[reporter]) if repeat[r] > 1]
    colours = {r: _REPORTER_COLOURS[i % len(_REPORTER_COLOURS)] for i, r in enumerate(repeated)}

    rows, labels, group_label_at = [], [], {}
    for force in order:
        part = shown[shown["force"] == force].sort_values(["figure_year", "figure"], na_position="last")
        group_label_at[force] = len(labels)
        labels.append(None)  # a header line for the force's name
        for _, row in part.iterrows():
            rows.append((len(labels), force, row))
            who = shorten(str(row[reporter]), 46)
            if pd.notna(row["figure_year"]):
                labels.append(f"{who}, {int(row['figure_year'])}")
            else:
                labels.append(who if "undated" in who else f"{who}, undated")
    fig, ax = new_figure(10.0, 0.3 * len(labels) + 1.6)
    top = shown["figure"].max()
    for y, force, row in rows:
        colour = colours.get(row[reporter], OTHER_COLOUR)
        ax.plot([0, row["figure"]], [y, y], color="#DDDDDD", lw=1, zorder=1)
        ax.scatter(row["figure"], y, s=60, color=colour, edgecolor="#333333", linewidth=0.5, zorder=3)
        ax.text(row["figure"] + top * 0.012, y, f"{row['figure']:,.0f}", va="center", fontsize=8)
    names = shown.drop_duplicates("force").set_index("force")
    for force, y in group_label_at.items():
        name = names.loc[force, "force_name"] if "force_name" in names.columns else force
        extra = [force] if force != name and " " not in force else []
        if "established" in names.columns and pd.notna(names.loc[force, "established"]):
            extra.append(f"established {pd.Timestamp(names.loc[force, 'established']):%Y}")
        header = f"{name} ({', '.join(extra)})" if extra else name
        ax.text(0, y, header, va="center", ha="left", fontsize=9.5, fontweight="bold")
        if highlight and force in highlight:
            ys = [r[0] for r in rows if r[1] == force]
            ax.plot([highlight[force]] * 2, [min(ys) - 0.4, max(ys) + 0.4], color="black", lw=2.2, zorder=2)
    ax.set_yticks([y for y, *_ in rows], [labels[y] for y, *_ in rows], fontsize=8.5)
    ax.set_ylim(len(labels) - 0.5, -0.7)
    ax.set_xlim(0, top * 1.1)
    ax.xaxis.set_major_formatter(FuncFormatter(_thousands))
    ax.set_xlabel("Reported size (people; each line: who reported it, and the year the figure refers to)")
    ax.grid(axis="y", visible=False)
    handles = [Line2D([], [], marker="o", ls="", color=colours[r], markeredgecolor="#333333", label=shorten(r, 40))
               for r in repeated]
    if len(repeat) > len(repeated):
        handles.append(Line2D([], [], marker="o", ls="", color=OTHER_COLOUR, markeredgecolor="#333333",
                              label="reported once"))
    if highlight:
        handles.append(Line2D([], [], color="black", lw=2.2, label=highlight_label))
    ax.legend(handles=handles, title="Reported by", loc="lower right", fontsize=8, title_fontsize=9)
    if title is None:
        spread = shown.groupby("force")["figure"].agg(["min", "max"])
        widest = (spread["max"] / spread["min"]).idxmax()
        title = (f"No single size: reports of the {widest} range from "
                 f"{spread.loc[widest, 'min']:,.0f} to {spread.loc[widest, 'max']:,.0f}")
    return finish(fig, title, rows=shown, table="collective_forces")


# --------------------------------------------------------------------------------------------- national personnel


def personnel_wide(personnel: pd.DataFrame, source_id: str, countries: Sequence[str] | None = None) -> pd.DataFrame:
    """Active personnel from one source as a year x country table (values as in the ``personnel`` table)."""
    part = personnel[personnel["source_id"] == source_id]
    if countries is not None:
        part = part[part["country"].isin(countries)]
    return part.pivot_table(index="year", columns="country", values="active_personnel", aggfunc="first").sort_index()


def russia_share_of_personnel(
    personnel: pd.DataFrame, source_id: str, members: Sequence[str] = CSTO_MEMBERS
) -> pd.Series:
    """Russia's share (%) of the active personnel of ``members``, per year, from one source.

    Each year is computed by :func:`utils.metrics.russia_share_of_personnel`. Years in which a member has no figure
    are left out: a share computed over a shrinking set of states would rise for no real reason.
    """
    from utils import metrics

    shares = {}
    for year in sorted(personnel.loc[personnel["source_id"] == source_id, "year"].dropna().unique()):
        try:
            shares[int(year)] = metrics.russia_share_of_personnel(int(year), source_id, list(members), personnel)
        except ValueError:  # a member without a figure that year
            continue
    return pd.Series(shares, name=f"Russia's share (%), {source_id}", dtype="float64").rename_axis("year")


def personnel_lines(
    personnel: pd.DataFrame,
    countries: Sequence[str] = CSTO_MEMBERS,
    years: tuple[int, int] | None = None,
    series: Sequence[str] = ("wb_personnel", "cow_nmc_6"),
    log: bool = True,
    title: str | None = None,
) -> plt.Figure:
    """Active armed-forces personnel per state over time, one line per state and source.

    Colour is the state, line style the source (solid: World Bank / IISS; dashed: Correlates of War). Where a
    source changes definition (the table's ``series`` column: the World Bank counts paramilitary forces from
    1995), the line is broken rather than joined across the change, and a dotted rule marks the year. A
    logarithmic axis (the default) lets Russia and the small members share one chart.
    """
    part = personnel[personnel["country"].isin(countries) & personnel["source_id"].isin(series)]
    if years:
        part = part[part["year"].between(*years)]
    if part.empty:
        raise ValueError(f"no personnel figures for {list(countries)} in series {list(series)} and years {years}")
    pieces = ["source_id", "series"] if "series" in part.columns else ["source_id"]
    fig, ax = new_figure(10.0, 5.4)
    for country in countries:
        mine = part[part["country"] == country]
        for key, line in mine.groupby(pieces, sort=False):
            source = key[0] if isinstance(key, tuple) else key
            line = line.sort_values("year")
            style = SERIES_STYLE.get(source, {"ls": ":"})
            ax.plot(line["year"], line["active_personnel"], color=colour_of(country), ls=style["ls"], lw=1.8,
                    marker="o" if len(line) == 1 else None, ms=3)
        last = mine.sort_values(["year", "source_id"]).tail(1)
        if not last.empty:
            ax.annotate(name_of(country), (last["year"].iloc[0], last["active_personnel"].iloc[0]),
                        xytext=(4, 0), textcoords="offset points", va="center", fontsize=8.5, color=colour_of(country))
    if "wb_personnel" in series and part["year"].min() < WB_DEFINITION_BREAK <= part["year"].max():
        ax.axvline(WB_DEFINITION_BREAK - 0.5, color="#666666", ls=":", lw=1)
        ax.text(WB_DEFINITION_BREAK - 0.3, 0.99, "from here the World Bank / IISS\nseries counts paramilitaries",
                transform=ax.get_xaxis_transform(), va="top", fontsize=8, color="#444444")
    top = float(part["active_personnel"].max())
    if log:
        ax.set_yscale("log")
        ax.set_ylim(top=top * 4)  # headroom for the note on the definition change
    else:
        ax.set_ylim(0, top * 1.25)
    ax.yaxis.set_major_formatter(FuncFormatter(_thousands))
    ax.set_ylabel("Active personnel" + (" (log scale)" if log else ""))
    ax.set_xlabel("Year")
    first, last = int(part["year"].min()), int(part["year"].max())
    ax.set_xlim(first - 0.5, last + max(2.5, (last - first) * 0.13))
    handles = [Line2D([], [], color="#333333", ls=SERIES_STYLE.get(s, {"ls": ":"})["ls"],
                      label=SERIES_STYLE.get(s, {"label": s}).get("label", s)) for s in series]
    ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), fontsize=8.5, ncols=len(handles),
              borderaxespad=0.2)
    if title is None:
        title = _personnel_title(part, list(countries), list(series), first, last)
    return finish(fig, title, *[s for s in series if s in set(part["source_id"])])


def _personnel_title(part: pd.DataFrame, countries: list[str], series: list[str], first: int, last: int) -> str:
    """A title stating how the largest force compares with the others, in the latest year all shown states have."""
    for source in series:
        wide = personnel_wide(part, source, countries).dropna()
        if len(countries) > 1 and not wide.empty and wide.shape[1] == len([c for c in countries if c in wide.columns]) > 1:
            year = int(wide.index[-1])
            values = wide.loc[wide.index[-1]]
            largest = values.idxmax()
            ratio = values[largest] / values.drop(largest).sum()
            label = SERIES_STYLE.get(source, {"label": source})["label"]
            return (f"In {year}, {name_of(largest)} had {ratio:.1f} times as many soldiers as the other "
                    f"{len(values) - 1} together ({label})")
    return f"Armed forces personnel, {first}–{last}, by {len(series)} source{'s' if len(series) > 1 else ''}"


def russia_share_figure(personnel: pd.DataFrame, series: Sequence[str] = ("wb_personnel", "cow_nmc_6"),
                        members: Sequence[str] = CSTO_MEMBERS, title: str | None = None) -> plt.Figure:
    """Russia's share of the members' active personnel per year, one line per source."""
    fig, ax = new_figure(10.0, 4.4)
    shares = {s: russia_share_of_personnel(personnel, s, members) for s in series}
    shares = {s: v for s, v in shares.items() if not v.empty}
    if not shares:
        raise ValueError("no year has a figure for every member in these series")
    for source, share in shares.items():
        style = SERIES_STYLE.get(source, {"ls": ":", "label": source})
        ax.plot(share.index, share.values, color=colour_of("RUS"), ls=style["ls"], lw=2, label=style["label"])
    if "wb_personnel" in shares:
        ax.axvline(WB_DEFINITION_BREAK - 0.5, color="#666666", ls=":", lw=1)
    ax.set_ylim(0, 100)
    ax.set_ylabel("Russia's share (%)")
    ax.set_xlabel(f"Year (share of the active personnel of {', '.join(members)}; only years with a figure for each)")
    ax.legend(title="Source", loc="lower left", fontsize=9)
    if title is None:
        latest = {s: (int(v.index[-1]), float(v.iloc[-1])) for s, v in shares.items()}
        parts = [f"{v:.0f}% ({SERIES_STYLE.get(s, {'short': s})['short']}, {y})" for s, (y, v) in latest.items()]
        title = "Russia has most of the members' troops: " + ", ".join(parts)
    return finish(fig, title, *shares)


# --------------------------------------------------------------------------------------------- bases


def bases_agreement_bars(
    bases: pd.DataFrame,
    as_of=None,
    start_column: str | None = "established",
    title: str | None = None,
) -> plt.Figure:
    """Russian facilities in member states: a bar per facility up to the date its current agreement runs to.

    Bars start at ``start_column`` (when the facility opened) where the table gives it, otherwise at ``as_of``;
    the part before ``as_of`` (default today) is drawn lighter than the years still to run. Labels give the end
    year and the personnel where known. Facilities whose agreement end is unknown get a hollow marker and a note.
    """
    as_of = pd.Timestamp(as_of).normalize() if as_of is not None else pd.Timestamp.today().normalize()
    rows = bases.copy()
    rows["until"] = _to_timestamp(rows["agreement_until"])
    rows["since"] = _to_timestamp(rows[start_column]) if start_column and start_column in rows.columns else pd.NaT
    rows = rows.sort_values(["until", "host"], na_position="last").reset_index(drop=True)
    now = mdates.date2num(as_of)
    fig, ax = new_figure(10.5, 0.5 * len(rows) + 1.8)
    for index, row in rows.iterrows():
        colour = colour_of(row["host"])
        start = mdates.date2num(row["since"]) if pd.notna(row["since"]) else now
        if start < now:  # years already served, lighter
            ax.barh(index, now - start, left=start, height=0.6, color=colour, alpha=0.35, edgecolor="none")
        if pd.isna(row["until"]):
            ax.scatter(now, index, marker="o", facecolor="white", edgecolor=colour, s=60, zorder=3, linewidth=1.5)
            label = "  end of agreement not known"
            end = now
        else:
            end = mdates.date2num(row["until"])
            ax.barh(index, end - max(start, now), left=max(start, now), height=0.6, color=colour, alpha=0.95,
                    edgecolor="#333333", lw=0.4)
            label = f"to {row['until'].year}, {(row['until'] - as_of).days / 365.25:.0f} years left"
        if "personnel" in rows.columns and pd.notna(row["personnel"]):
            label += f" · ~{row['personnel']:,.0f} personnel"
        ax.text(end + 250, index, label, va="center", fontsize=8.5)
    ax.axvline(now, color="#444444", ls=":", lw=1)
    ax.text(now, -0.75, f"{as_of:%b %Y}", ha="center", va="bottom", fontsize=8, color="#444444")
    names = [f"{shorten(r['facility'], 34)} ({name_of(r['host'])})" for _, r in rows.iterrows()]
    ax.set_yticks(range(len(rows)), names, fontsize=8.5)
    ax.set_ylim(len(rows) - 0.5, -1.1)
    ax.xaxis_date()
    ax.xaxis.set_major_locator(mdates.YearLocator(10))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    first = min([as_of] + list(rows["since"].dropna()))
    ax.set_xlim(mdates.date2num(first) - 400, mdates.date2num(rows["until"].max()) + 365.25 * 26)
    ax.set_xlabel("Year (light: since the facility opened; dark: years the current agreement still runs)")
    ax.grid(axis="y", visible=False)
    if title is None:
        dated = rows.dropna(subset=["until"])
        title = (f"Russia's agreements for {len(dated)} of {len(rows)} facilities in member states run until "
                 f"{dated['until'].min().year}–{dated['until'].max().year}")
    return finish(fig, title, rows=bases, table="russian_bases")


def _to_timestamp(values: pd.Series) -> pd.Series:
    """Dates or years (integers) as Timestamps (a year means 1 January of that year)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    numbers = pd.to_numeric(values, errors="coerce")
    return pd.to_datetime(numbers.astype("Int64").astype("string"), format="%Y", errors="coerce")


# --------------------------------------------------------------------------------------------- exercises


def split_hosts(exercises: pd.DataFrame) -> pd.DataFrame:
    """One row per exercise and host (a ``host`` cell may list several states, ``"KAZ;KGZ"``)."""
    from utils.data import split_list

    return exercises.assign(host=split_list(exercises["host"].astype("string"))).explode("host").dropna(subset=["host"])


def exercises_by_year(exercises: pd.DataFrame, years: tuple[int, int] | None = None, title: str | None = None) -> plt.Figure:
    """Stacked bars: exercises per year, coloured by host state; hatched where not confirmed as held.

    An exercise with two hosts counts once for each. Where the table has a ``status`` column, exercises only
    announced or cancelled are drawn hatched and lighter, so the bars do not overstate what took place.
    """
    part = exercises if years is None else exercises[exercises["year"].between(*years)]
    hosts = split_hosts(part)
    if "status" not in hosts.columns:
        hosts = hosts.assign(status="held")
    hosts = hosts.assign(held=hosts["status"].eq("held"))
    first, last = int(part["year"].min()), int(part["year"].max())
    order = list(hosts["host"].value_counts().index)
    fig, ax = new_figure(10.0, 4.6)
    bottom = pd.Series(0, index=range(first, last + 1))
    for held in (True, False):
        counts = hosts[hosts["held"] == held].groupby(["year", "host"]).size().unstack(fill_value=0)
        counts = counts.reindex(index=bottom.index, columns=order, fill_value=0)
        for host in order:
            ax.bar(counts.index, counts[host], bottom=bottom, color=colour_of(host), width=0.8,
                   alpha=0.95 if held else 0.4, hatch=None if held else "///", edgecolor="white" if held else "#333333",
                   lw=0.4, label=name_of(host) if held else None)
            bottom = bottom + counts[host]
    ax.set_ylabel("Exercises (one per host)")
    ax.set_xlabel("Year")
    ax.set_xlim(first - 0.7, last + 0.7)
    ax.set_ylim(0, bottom.max() + 0.6)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    handles, labels = ax.get_legend_handles_labels()
    if (~hosts["held"]).any():
        handles.append(Patch(facecolor="#DDDDDD", hatch="///", edgecolor="#333333", label="announced or cancelled"))
    ax.legend(handles=handles, title="Host", loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8.5)
    if title is None:
        per_host = hosts.loc[hosts["held"], "host"].value_counts()
        top = [name_of(h) for h in per_host[per_host == per_host.max()].index]
        count = part["exercise_id"].nunique() if "exercise_id" in part.columns else len(part)
        title = (f"{count} exercises recorded, {first}–{last}; most often hosted by {' and '.join(top)} "
                 f"({per_host.max()}{' each' if len(top) > 1 else ''})")
    note = ("The table holds the exercises found in the sources used: a year without a bar is a gap in the record, "
            "not a year without exercises.")
    return finish(fig, title, rows=part, table="exercises", note=note)


# --------------------------------------------------------------------------------------------- January 2022

#: The code the ``deployment_2022`` table uses for its all-contributors total row.
TOTAL_CODE = "ALL"


def deployment_ranges(
    deployment: pd.DataFrame,
    country_column: str = "contributor",
    low_column: str = "personnel_low",
    high_column: str = "personnel_high",
    early_column: str | None = "early_estimate",
    title: str | None = None,
) -> plt.Figure:
    """The January 2022 deployment to Kazakhstan by contributor: a bar from the lowest to the highest figure reported.

    Where the reports agree (low == high) the bar shrinks to a dot. An early estimate, where the table has one, is a
    hollow diamond. A contributor with no later figure is marked "not quantified". The all-contributors row
    (code ``ALL``) is drawn apart, at the bottom, so it is not mistaken for a country.
    """
    rows = deployment.copy()
    rows["_sort"] = rows[high_column].fillna(rows[low_column])
    if early_column and early_column in rows.columns:
        rows["_sort"] = rows["_sort"].fillna(rows[early_column])
    is_total = rows[country_column] == TOTAL_CODE
    rows = pd.concat([rows[~is_total].sort_values("_sort", ascending=False), rows[is_total]]).reset_index(drop=True)
    fig, ax = new_figure(9.5, 0.6 * len(rows) + 1.9)
    values = [rows[c] for c in (low_column, high_column, early_column) if c and c in rows.columns]
    top = float(pd.concat(values).max())
    for index, row in rows.iterrows():
        total = row[country_column] == TOTAL_CODE
        colour = "#444444" if total else colour_of(row[country_column])
        low, high = row[low_column], row[high_column]
        early = row[early_column] if early_column and early_column in rows.columns else pd.NA
        if pd.notna(early):
            ax.scatter(early, index, marker="D", facecolor="white", edgecolor=colour, s=110, zorder=4, linewidth=1.4)
        if pd.isna(low) and pd.isna(high):
            text = "no later figure" if pd.isna(early) else f"early estimate {early:,.0f}; no later figure"
            if pd.notna(early) and early > top / 2:  # write it to the left of the diamond, inside the axes
                ax.text(early - top * 0.025, index, text, va="center", ha="right", fontsize=8.5, color="#444444",
                        style="italic")
            else:
                ax.text((early if pd.notna(early) else 0) + top * 0.025, index, text, va="center", fontsize=8.5,
                        color="#444444", style="italic")
            continue
        low = high if pd.isna(low) else low
        high = low if pd.isna(high) else high
        ax.plot([low, high], [index, index], color=colour, lw=9, solid_capstyle="butt", alpha=0.85)
        ax.scatter([low, high], [index, index], color=colour, s=50, zorder=5, edgecolor="#333333", linewidth=0.5)
        text = f"{low:,.0f}" if low == high else f"{low:,.0f}–{high:,.0f}"
        if pd.notna(early) and early != low and early != high:
            text += f" (early estimate {early:,.0f})"
        ax.text(max(high, early if pd.notna(early) else 0) + top * 0.025, index, text, va="center", fontsize=8.5)
    label_column = "contributor_name" if "contributor_name" in rows.columns else country_column
    ax.set_yticks(range(len(rows)), [str(v) for v in rows[label_column]], fontsize=9)
    if is_total.any():
        ax.axhline(len(rows) - 1.5, color="#999999", lw=0.8)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, top * 1.2)
    ax.xaxis.set_major_formatter(FuncFormatter(_thousands))
    ax.set_xlabel("Personnel sent (bar: lowest to highest later report; hollow diamond: early estimate)")
    ax.grid(axis="y", visible=False)
    if title is None:
        named = rows[rows[country_column] != TOTAL_CODE]
        unquantified = named[named[low_column].isna() & named[high_column].isna()]
        title = f"January 2022: {len(named)} states sent troops to Kazakhstan"
        total = rows[rows[country_column] == TOTAL_CODE]
        if not total.empty and pd.notna(total[low_column].iloc[0]):
            title = (f"January 2022: {len(named)} states, {total[low_column].iloc[0]:,.0f}–"
                     f"{total[high_column].iloc[0]:,.0f} troops in all")
        if not unquantified.empty:
            title += f"; no later count for {' or '.join(name_of(c) for c in unquantified[country_column])}"
    return finish(fig, title, rows=deployment, table="deployment_2022")
