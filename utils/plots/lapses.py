"""Figures for notebook 05 (institutional lapses): requests for help, what the alliance did, and the fighting.

Pure functions over the tables ``assistance_requests`` (one row per appeal by a member, with the coded
``outcome``), ``conflicts`` (UCDP/PRIO conflict-years involving the nine treaty states), ``memberships``,
``events`` and ``deployment_2022``: DataFrames and parameters in, a matplotlib Figure out. The helpers
:func:`outcome_counts`, :func:`conflict_years` and :func:`armenia_path_events` return the data the figures draw,
so tests and exercises can check numbers rather than pixels.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.collections import PatchCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from utils.countries import CSTO_MEMBERS, TREATY_PARTIES, name_of
from utils.data import split_list
from utils.plots import CATEGORY_COLOURS, OTHER_COLOUR, and_list, colour_of, finish, new_figure

#: The coded outcomes of a request, from the most help given to the least (the order of every legend and bar).
OUTCOME_ORDER: tuple[str, ...] = (
    "deployed",
    "material aid only",
    "fact-finding only",
    "consultations only",
    "declined",
    "no response",
)

#: Colour and marker per outcome. Blues for some help, ochre for talk, reds for none (Paul Tol's colour-blind-safe
#: "high-contrast" and "muted" colours); each outcome also has its own marker shape, so the figures read in grey.
OUTCOME_STYLES: dict[str, dict[str, str]] = {
    "deployed": {"colour": "#004488", "marker": "*"},
    "material aid only": {"colour": "#6699CC", "marker": "D"},
    "fact-finding only": {"colour": "#88CCEE", "marker": "s"},
    "consultations only": {"colour": "#DDAA33", "marker": "o"},
    "declined": {"colour": "#BB5566", "marker": "X"},
    "no response": {"colour": "#882255", "marker": "v"},
}
_UNKNOWN_OUTCOME = {"colour": "#BBBBBB", "marker": "o"}

#: Shading of a conflict-year: on the state's own soil or government (primary) by intensity, or troops abroad.
CONFLICT_SHADES: dict[str, str] = {
    "war": "#444444",  # intensity 2: 1,000 or more battle-related deaths in the year
    "minor": "#999999",  # intensity 1: 25-999 battle-related deaths
    "abroad": "#DDDDDD",  # the state only sent troops to support a side elsewhere
}
#: Colour of the band marking the years a state was a party to the treaty or a member of the CSTO.
MEMBER_BAND = "#E8F0F8"


def outcome_style(outcome: str) -> dict[str, str]:
    """Colour and marker of a coded outcome (grey circle for an outcome not in :data:`OUTCOME_ORDER`)."""
    return OUTCOME_STYLES.get(str(outcome), _UNKNOWN_OUTCOME)


def _decimal_year(dates: pd.Series) -> pd.Series:
    """Dates as fractional years (2022-07-02 -> about 2022.5), to place requests on a conflict-year axis."""
    dates = pd.to_datetime(dates)
    return dates.dt.year + (dates.dt.day_of_year - 1) / 365.25


def _outcome_handles(outcomes: Iterable[str]) -> list[Line2D]:
    """Legend entries for the outcomes present, in :data:`OUTCOME_ORDER` (unknown outcomes last)."""
    outcomes = set(outcomes)
    present = [o for o in OUTCOME_ORDER if o in outcomes] + sorted(outcomes - set(OUTCOME_ORDER))
    return [
        Line2D([], [], ls="", marker=outcome_style(o)["marker"], markersize=9, markerfacecolor=outcome_style(o)["colour"],
               markeredgecolor="#222222", label=o)
        for o in present
    ]


def _outcome_legend(ax: plt.Axes, outcomes: Iterable[str], informal: bool = False, **kwargs) -> None:
    handles = _outcome_handles(outcomes)
    if informal:
        handles.append(Line2D([], [], ls="", marker="o", markersize=9, markerfacecolor="white", markeredgecolor="#555555",
                              markeredgewidth=1.8, label="hollow: informal appeal"))
    ax.legend(handles=handles, title="What the CSTO did", **kwargs)


# --------------------------------------------------------------------------------------------- requests


def outcome_counts(requests: pd.DataFrame, formal_only: bool = False) -> pd.Series:
    """Number of requests per coded outcome, in :data:`OUTCOME_ORDER` (outcomes with no request count 0).

    ``formal_only`` drops the rows the table marks as informal appeals (``formal_request`` False).
    """
    rows = requests
    if formal_only and "formal_request" in rows.columns:
        rows = rows[rows["formal_request"].fillna(True).astype(bool)]
    counts = rows["outcome"].value_counts()
    order = list(OUTCOME_ORDER) + sorted(set(counts.index) - set(OUTCOME_ORDER))
    return counts.reindex(order, fill_value=0).astype("int64").rename("requests").rename_axis("outcome")


def _date_label(date: pd.Timestamp, precision: str | None) -> str:
    return f"{date:%Y}" if precision == "year" else f"{date:%b %Y}"


def requests_timeline(requests: pd.DataFrame, title: str | None = None) -> plt.Figure:
    """Each request as a marker on a time line, one row per requesting state, coloured and shaped by outcome.

    Informal appeals (``formal_request`` False) are drawn hollow. Each marker is labelled with its month, so the
    figure can be read next to the table of requests.
    """
    rows = requests.sort_values("date").reset_index(drop=True)
    states = list(dict.fromkeys(rows["requester"]))
    lane = {state: index for index, state in enumerate(states)}
    fig, ax = new_figure(10.0, 0.75 * len(states) + 2.2)
    for number, row in rows.iterrows():
        style = outcome_style(row["outcome"])
        formal = bool(row["formal_request"]) if "formal_request" in rows.columns and pd.notna(row["formal_request"]) else True
        x, y = mdates.date2num(row["date"]), lane[row["requester"]]
        ax.scatter(x, y, s=260 if style["marker"] == "*" else 130, marker=style["marker"], zorder=3,
                   facecolor=style["colour"] if formal else "white", edgecolor=style["colour"] if not formal else "#222222",
                   linewidth=1.8 if not formal else 0.7)
        # Alternate labels above and below the marker: neighbouring requests of one state sit a year apart.
        above = sum(1 for r in rows.loc[: number - 1, "requester"] if r == row["requester"]) % 2 == 0
        label = _date_label(row["date"], row.get("date_precision"))
        article = str(row.get("article_invoked") or "")
        if article.startswith("Art."):
            label += f" · {article.split(' CST')[0]}"
        ax.annotate(label, (x, y), xytext=(0, 13 if above else -13), textcoords="offset points",
                    ha="center", va="bottom" if above else "top", fontsize=8.5, color="#333333")
    ax.set_yticks(range(len(states)), [name_of(s) for s in states])
    ax.set_ylim(len(states) - 0.4, -0.6)
    ax.xaxis_date()
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    first, last = rows["date"].min(), rows["date"].max()
    ax.set_xlim(mdates.date2num(first) - 300, mdates.date2num(last) + 300)
    ax.set_xlabel("Date of the request (label: month, and the treaty article where one was invoked)")
    ax.grid(axis="y", visible=False)
    informal = "formal_request" in rows.columns and not rows["formal_request"].fillna(True).astype(bool).all()
    _outcome_legend(ax, rows["outcome"], informal=informal, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9)
    if title is None:
        deployed = int((rows["outcome"] == "deployed").sum())
        title = f"{deployed} of {len(rows)} requests for help, {first.year}–{last.year}, brought CSTO troops"
    return finish(fig, title, rows=rows, table="assistance_requests")


def outcome_bars(requests: pd.DataFrame, title: str | None = None) -> plt.Figure:
    """Horizontal bars: how many requests ended in each coded outcome, most help at the top."""
    counts = outcome_counts(requests)
    fig, ax = new_figure(8.0, 0.45 * len(counts) + 1.6)
    colours = [outcome_style(o)["colour"] for o in counts.index]
    ax.barh(range(len(counts)), counts.to_numpy(), color=colours, edgecolor="#333333", linewidth=0.5)
    for index, value in enumerate(counts):
        ax.text(value + 0.05, index, str(value), va="center", fontsize=10)
    ax.set_yticks(range(len(counts)), list(counts.index))
    ax.invert_yaxis()
    ax.set_xlabel("Number of requests")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlim(0, max(counts.max(), 1) + 0.8)
    ax.grid(axis="y", visible=False)
    if title is None:
        helped = int(counts.get("deployed", 0))
        nothing = int(counts.get("declined", 0) + counts.get("no response", 0))
        talk = int(counts.get("consultations only", 0) + counts.get("fact-finding only", 0))
        aid = int(counts.get("material aid only", 0))
        title = (f"{helped} of {counts.sum()} requests brought troops; {aid} brought aid, {talk} talks or missions, "
                 f"{nothing} nothing")
    return finish(fig, title, rows=requests, table="assistance_requests")


# --------------------------------------------------------------------------------------------- conflicts


def conflict_years(
    conflicts: pd.DataFrame,
    states: Sequence[str] = TREATY_PARTIES,
    years: tuple[int, int] | None = None,
    include_abroad: bool = True,
) -> pd.DataFrame:
    """One row per state and conflict-year in which the state fought: ``state, year, conflict_id, intensity_level,
    type_of_conflict, role, between_members``.

    ``role`` is ``"primary"`` where the state is the location or a primary party (UCDP's ``countries_primary``)
    and ``"abroad"`` where it only sent troops to support a side (``countries_secondary``). ``between_members``
    is True for an interstate conflict whose primary parties are both among :data:`CSTO_MEMBERS`.
    """
    frames = []
    columns = {"primary": "countries_primary", "abroad": "countries_secondary"}
    for role, column in columns.items():
        if role == "abroad" and not include_abroad:
            continue
        part = conflicts.assign(state=split_list(conflicts[column].astype("string")), role=role).explode("state")
        frames.append(part.dropna(subset=["state"]))
    rows = pd.concat(frames, ignore_index=True)
    rows = rows[rows["state"].isin(list(states))]
    if years is not None:
        rows = rows[rows["year"].between(years[0], years[1])]
    primary = split_list(rows["countries_primary"].astype("string"))
    rows = rows.assign(
        between_members=(rows["type_of_conflict"] == 2).to_numpy()
        & primary.map(lambda codes: sum(c in CSTO_MEMBERS for c in codes) >= 2).to_numpy()
    )
    # A state that is both primary and abroad in one year (two conflicts) keeps both rows: they are two conflicts.
    keep = ["state", "year", "conflict_id", "intensity_level", "type_of_conflict", "role", "between_members", "location"]
    return rows[keep].sort_values(["state", "year", "conflict_id"]).reset_index(drop=True)


def alliance_years(memberships: pd.DataFrame, states: Iterable[str] | None = None) -> set[tuple[str, int]]:
    """``(state, year)`` pairs in which the state was a full party to the treaty or a CSTO member on 1 July.

    Built spell by spell (a handful of rows), so checking many conflict-years is a set lookup, not a table scan.
    """
    spells = memberships[memberships["organisation"].isin(["CST", "CSTO"]) & (memberships["role"] == "member")]
    if states is not None:
        spells = spells[spells["country"].isin(list(states))]
    last = pd.Timestamp.today().year
    pairs = set()
    for state, start, end in zip(spells["country"], spells["start"], spells["end"]):
        first_year = start.year if (start.month, start.day) <= (7, 1) else start.year + 1
        last_year = last if pd.isna(end) else (end.year if (end.month, end.day) >= (7, 1) else end.year - 1)
        pairs.update((state, year) for year in range(first_year, last_year + 1))
    return pairs


def in_alliance(memberships: pd.DataFrame, state: str, year: int) -> bool:
    """True if ``state`` was a full party to the treaty or a member of the CSTO on 1 July of ``year``."""
    return (state, int(year)) in alliance_years(memberships, [state])


def _member_years(memberships: pd.DataFrame, state: str, first: int, last: int) -> list[tuple[float, float]]:
    """Spans (start, end as fractional years) in which ``state`` was a full party/member of the CST or CSTO."""
    spells = memberships[
        memberships["organisation"].isin(["CST", "CSTO"]) & (memberships["country"] == state)
        & (memberships["role"] == "member")
    ]
    spans = []
    for _, spell in spells.iterrows():
        start = float(_decimal_year(pd.Series([spell["start"]])).iloc[0])
        end = float(_decimal_year(pd.Series([spell["end"]])).iloc[0]) if pd.notna(spell["end"]) else last + 1.0
        if end >= first and start <= last + 1:
            spans.append((max(start, first), min(end, last + 1.0)))
    return spans


def conflicts_and_requests(
    conflicts: pd.DataFrame,
    requests: pd.DataFrame,
    states: Sequence[str] = TREATY_PARTIES,
    years: tuple[int, int] | None = None,
    memberships: pd.DataFrame | None = None,
    include_abroad: bool = True,
    title: str | None = None,
) -> plt.Figure:
    """Conflict-years of each state as shaded cells, with the requests for help overlaid as outcome markers.

    One row per state. A cell is a UCDP conflict-year: dark for a war year, mid-grey for a minor conflict on the
    state's own soil or against its government, light for troops sent abroad; a red outline marks fighting between
    two CSTO members. With ``memberships``, a pale band shows the years the state was in the treaty or the CSTO.
    """
    if years is None:
        years = (int(conflicts["year"].min()), int(max(conflicts["year"].max(), requests["date"].dt.year.max())))
    first, last = int(years[0]), int(years[1])
    states = list(states)
    fighting = conflict_years(conflicts, states, (first, last), include_abroad)
    asked = requests[requests["requester"].isin(states) & requests["date"].dt.year.between(first, last)]
    fig, ax = new_figure(10.5, 0.5 * len(states) + 2.3)
    for index, state in enumerate(states):
        if memberships is not None:
            for start, end in _member_years(memberships, state, first, last):
                ax.fill_between([start, end], index - 0.42, index + 0.42, color=MEMBER_BAND, zorder=0, lw=0)
    # All conflict-year cells in one collection (drawing ~100 separate patches is what makes a redraw slow).
    # Where a state has several conflicts in one year, the most serious is drawn last, on top: secondary-party
    # years first, then minor conflicts at home, then wars.
    cells = fighting.assign(row=fighting["state"].map(states.index),
                            rank=(fighting["role"] == "primary").astype(int) * 10 + fighting["intensity_level"].astype(int))
    cells = cells.sort_values("rank", kind="stable")
    shades = [CONFLICT_SHADES["abroad"] if role == "abroad" else
              CONFLICT_SHADES["war"] if level == 2 else CONFLICT_SHADES["minor"]
              for role, level in zip(cells["role"], cells["intensity_level"])]
    ax.add_collection(PatchCollection(
        [Rectangle((year, row - 0.3), 1.0, 0.6) for year, row in zip(cells["year"], cells["row"])],
        facecolors=shades, zorder=1,
        edgecolors=["#CC3311" if flag else "white" for flag in cells["between_members"]],
        linewidths=[1.6 if flag else 0.6 for flag in cells["between_members"]],
    ))
    for outcome, group in asked.groupby("outcome"):
        style = outcome_style(outcome)
        ax.scatter(_decimal_year(group["date"]), group["requester"].map(states.index), s=240 if style["marker"] == "*" else 110,
                   marker=style["marker"], facecolor=style["colour"], edgecolor="#111111", linewidth=0.8, zorder=4)
    ax.set_yticks(range(len(states)), [name_of(s) for s in states])
    ax.set_ylim(len(states) - 0.5, -0.5)
    ax.set_xlim(first, last + 1)
    ax.set_xlabel("Year (each cell is one UCDP conflict-year; markers: requests for help, placed at their date)")
    ax.grid(axis="y", visible=False)
    shade_handles = [
        Patch(facecolor=CONFLICT_SHADES["war"], label="war year (1,000+ deaths)"),
        Patch(facecolor=CONFLICT_SHADES["minor"], label="minor conflict (25–999)"),
        Patch(facecolor="white", edgecolor="#CC3311", linewidth=1.6, label="between two CSTO members"),
    ]
    if include_abroad:
        shade_handles.insert(2, Patch(facecolor=CONFLICT_SHADES["abroad"], label="secondary party (troops for a side)"))
    if memberships is not None:
        shade_handles.append(Patch(facecolor=MEMBER_BAND, label="in the treaty / CSTO"))
    ax.legend(handles=shade_handles + _outcome_handles(asked["outcome"]), loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8.5,
              title="Conflict-years · requests", title_fontsize=9)
    if title is None:
        fought = fighting
        if memberships is not None:
            member_years = alliance_years(memberships, states)
            member = [(s, int(y)) in member_years for s, y in zip(fought["state"], fought["year"])]
            fought = fought.loc[pd.Series(member, index=fought.index, dtype=bool)]
            who = "while in the alliance"
        else:
            fought = fought[fought["state"].isin(CSTO_MEMBERS)]
            who = "(today's members)"
        any_role = fought[["state", "year"]].drop_duplicates()
        at_home = fought[fought["role"] == "primary"][["state", "year"]].drop_duplicates()
        counted = (f"{len(any_role)} state-years in armed conflict {who} ({len(at_home)} at home)" if include_abroad
                   else f"{len(at_home)} state-years of fighting at home {who}")
        title = f"{first}–{last}: {counted}, {len(asked)} request{'s' if len(asked) != 1 else ''} for help"
    source_ids = sorted(set(split_list(conflicts["source_id"].astype("string")).explode().dropna()))
    fig = finish(fig, title, *source_ids, note="Requests: table 'assistance_requests' (sources cited row by row).")
    return fig


# --------------------------------------------------------------------------------------------- Armenia and 2022


#: Event categories that tell the story of Armenia's estrangement (not exercises or leadership changes).
ARMENIA_CATEGORIES: tuple[str, ...] = ("request", "crisis", "conflict", "statement", "membership", "summit")


#: Words showing that an event involving every member (a summit) was about Armenia in particular.
_ABOUT_ARMENIA = r"Armenia|Pashinyan|Yerevan"


def armenia_path_events(events: pd.DataFrame, since: int = 2020, categories: Sequence[str] = ARMENIA_CATEGORIES) -> pd.DataFrame:
    """Events about Armenia from ``since`` on, in the given categories, that occurred (planned ones dropped).

    An event is about Armenia when it names Armenia among at most three states, or when it names every member
    (a summit, say) and its title or summary mentions Armenia, its prime minister or its capital.
    """
    codes = split_list(events["countries"].astype("string"))
    text = events["title"].astype("string").fillna("") + " " + events.get("summary", pd.Series("", index=events.index)).astype("string").fillna("")
    about = codes.map(lambda c: "ARM" in c and len(c) <= 3) | (
        codes.map(lambda c: "ARM" in c) & text.str.contains(_ABOUT_ARMENIA, regex=True)
    )
    rows = events[about & (events["date"].dt.year >= since) & events["category"].isin(list(categories))]
    if "status" in rows.columns:
        rows = rows[rows["status"] == "occurred"]
    return rows.sort_values("date").reset_index(drop=True)


#: Marker per event category in :func:`armenia_path` (shape as well as colour, so close colours stay apart).
ARMENIA_MARKERS: dict[str, str] = {
    "crisis": "X", "conflict": "P", "request": "D", "summit": "s", "statement": "o", "membership": "v",
}


def armenia_path(events: pd.DataFrame, since: int = 2020, title: str | None = None) -> plt.Figure:
    """Armenia's road from asking for help to freezing its participation: one titled row per event."""
    rows = armenia_path_events(events, since)
    fig, ax = new_figure(10.0, 0.3 * len(rows) + 1.6)
    dates = mdates.date2num(rows["date"])
    # Some category colours are close (crisis, membership, request): a marker shape per category keeps them apart.
    for category in dict.fromkeys(rows["category"]):
        where = (rows["category"] == category).to_numpy()
        ax.scatter(dates[where], np.flatnonzero(where), color=CATEGORY_COLOURS.get(category, OTHER_COLOUR),
                   marker=ARMENIA_MARKERS.get(category, "o"), s=55, zorder=3, edgecolor="#333333", linewidth=0.5)
    for index, (x, row) in enumerate(zip(dates, rows.itertuples())):
        label = _date_label(row.date, getattr(row, "date_precision", "day"))
        ax.text(x + 25, index, f"{label}  {row.title}", va="center", fontsize=8.5)
    ax.set_yticks([])
    ax.invert_yaxis()
    ax.xaxis_date()
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    # Room on the right for the longest title after the last event; year ticks only where there are events.
    ax.set_xlim(dates.min() - 60, dates.max() + 0.4 * (dates.max() - dates.min()))
    ticks = range(int(rows["date"].dt.year.min()), int(rows["date"].dt.year.max()) + 2)
    ax.set_xticks([mdates.date2num(pd.Timestamp(year=y, month=1, day=1)) for y in ticks])
    ax.set_xlabel("Date")
    ax.grid(axis="y", visible=False)
    categories = list(dict.fromkeys(rows["category"]))
    ax.legend(handles=[Line2D([], [], ls="", marker=ARMENIA_MARKERS.get(c, "o"), markersize=7.5,
                              markerfacecolor=CATEGORY_COLOURS.get(c, OTHER_COLOUR), markeredgecolor="#333333",
                              label=c) for c in categories],
              title="Category", loc="lower left", fontsize=8.5)
    if title is None:
        title = f"Armenia and the CSTO since {since}: {len(rows)} events from appeals to a freeze"
    return finish(fig, title, rows=rows, table="events")


def deployment_bars(deployment: pd.DataFrame, title: str | None = None) -> plt.Figure:
    """The January 2022 force in Kazakhstan by contributor: reported size (range where sources differ).

    The ``ALL`` row is drawn as a band for the whole force; contributors with no reported size are listed with
    their unit and early estimate as a hollow marker, so a missing figure never looks like zero.
    """
    whole = deployment[deployment["contributor"] == "ALL"]
    rows = deployment[deployment["contributor"] != "ALL"].copy()
    rows["size"] = rows["personnel_high"].astype("Float64")
    rows = rows.sort_values("size", ascending=False, na_position="first").reset_index(drop=True)
    fig, ax = new_figure(9.5, 0.5 * len(rows) + 1.9)
    for index, row in rows.iterrows():
        colour = colour_of(row["contributor"])
        if pd.notna(row["personnel_low"]):
            low, high = float(row["personnel_low"]), float(row["personnel_high"])
            ax.barh(index, high, color=colour, edgecolor="#333333", linewidth=0.5)
            ax.text(high + 20, index, f"{low:,.0f}" if low == high else f"{low:,.0f}–{high:,.0f}", va="center", fontsize=9)
        else:
            unit = f"{row['unit_reported']}, " if pd.notna(row.get("unit_reported")) else ""
            later = f"later reports: {unit}no number"
            if pd.notna(row.get("early_estimate")):
                estimate = float(row["early_estimate"])
                ax.scatter(estimate, index, marker="o", s=60, facecolor="white", edgecolor=colour, linewidth=1.8, zorder=3)
                ax.text(estimate + 40, index, f"early estimate {estimate:,.0f}; {later}", va="center", fontsize=9)
            else:
                ax.text(20, index, later, va="center", fontsize=9, color="#444444")
    ax.set_yticks(range(len(rows)), [name_of(c) for c in rows["contributor"]])
    ax.invert_yaxis()
    xmax = max(float(rows["early_estimate"].max(skipna=True) or 0), float(rows["personnel_high"].max(skipna=True) or 0))
    if len(whole):
        low, high = float(whole["personnel_low"].iloc[0]), float(whole["personnel_high"].iloc[0])
        ax.axvspan(low, high, color="#DDDDDD", zorder=0)
        ax.text((low + high) / 2, -0.75, f"whole force\n{low:,.0f}–{high:,.0f}", ha="center", va="bottom", fontsize=8.5)
        xmax = max(xmax, high)
    ax.set_ylim(len(rows) - 0.5, -1.4)
    ax.set_xlim(0, xmax * 1.8)  # room for the label right of the largest early estimate
    ax.set_xlabel("Personnel (bars: reported size; hollow circle: early estimate where no later figure exists)")
    ax.grid(axis="y", visible=False)
    if title is None:
        counted = rows.dropna(subset=["personnel_high"])
        unknown = rows[rows["personnel_high"].isna()]
        # Name the whole force next to the contributors' total, so the sum is not read as the size of the force.
        of_force = (f" of the {int(whole['personnel_low'].iloc[0]):,}–{int(whole['personnel_high'].iloc[0]):,}"
                    if len(whole) and whole[["personnel_low", "personnel_high"]].notna().all(axis=None) else "")
        title = (f"{and_list(name_of(c) for c in counted['contributor'])}: {int(counted['personnel_high'].sum()):,}"
                 f"{of_force} troops")
        if len(unknown):
            title += f"; {and_list(name_of(c) for c in unknown['contributor'])}: no figure reported"
    return finish(fig, title, rows=deployment, table="deployment_2022", max_listed=6)
