"""Figures for notebook 06 (politics and partners): overlapping memberships, arms suppliers, bases, events.

Pure functions over the tables ``memberships``, ``arms_transfers`` (SIPRI TIV), ``russian_bases`` and ``events``:
DataFrames and parameters in, a matplotlib Figure out. The helpers :func:`membership_grid`,
:func:`pooled_supplier_shares`, :func:`foreign_facilities` and :func:`events_per_period` return what the figures
draw, so tests and exercises can check numbers rather than pixels.
"""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from utils.countries import TREATY_PARTIES, name_of
from utils.data import split_list
from utils.plots import CATEGORY_COLOURS, OTHER_COLOUR, and_list, colour_of, finish, new_figure
from utils.plots.history import status_on

#: The alliance as one column: the 1992 treaty (CST) until the CSTO charter took over in 2002, then the CSTO.
ALLIANCE = "CST/CSTO"

#: Organisations shown side by side in the overlap figure, the alliance first.
OVERLAP_ORGANISATIONS: tuple[str, ...] = (ALLIANCE, "EAEU", "SCO", "CIS")

#: Cell colours per role (Paul Tol's colour-blind-safe "light" and "muted" colours); white = not in it.
ROLE_COLOURS: dict[str, str] = {
    "none": "#FFFFFF",
    "member": "#4477AA",
    "observer": "#BBCCEE",
    "dialogue_partner": "#CCDDAA",
    "participation_frozen": "#EECC66",
    "participation_suspended": "#EE99AA",
    "suspended": "#EE99AA",
    "former_observer": "#DDDDDD",
}

#: The Central Asian members of the CSTO, whose arms imports the China-vs-Russia figure pools.
CENTRAL_ASIAN_MEMBERS: tuple[str, ...] = ("KAZ", "KGZ", "TJK")

#: Label of the group collecting every supplier not named.
OTHERS = "all others"


# --------------------------------------------------------------------------------------------- memberships


def membership_grid(
    memberships: pd.DataFrame,
    organisation: str,
    years: Sequence[int],
    countries: Sequence[str] = TREATY_PARTIES,
) -> pd.DataFrame:
    """Each state's role in ``organisation`` on 31 December of each year: countries x years, role strings.

    ``organisation`` may be :data:`ALLIANCE`, which reads the CSTO's row where a state has one that year and the
    treaty's (CST) otherwise. Cells without a spell hold ``"none"``. Roles come from
    :func:`utils.plots.history.status_on` (where spells overlap, the one that started last wins).
    """
    columns = {}
    for year in years:
        when = pd.Timestamp(year=int(year), month=12, day=31)
        if organisation == ALLIANCE:
            table = status_on(memberships, when, ["CSTO", "CST"], list(countries))
            columns[int(year)] = table["CSTO"].where(table["CSTO"] != "none", table["CST"])
        else:
            columns[int(year)] = status_on(memberships, when, [organisation], list(countries))[organisation]
    grid = pd.DataFrame(columns)
    grid.columns.name = "year"
    return grid


def in_all(memberships: pd.DataFrame, year: int, organisations: Sequence[str] = OVERLAP_ORGANISATIONS,
           countries: Sequence[str] = TREATY_PARTIES) -> list[str]:
    """The states that were full members of every one of ``organisations`` on 31 December of ``year``."""
    full = pd.Series(True, index=list(countries))
    for organisation in organisations:
        full &= membership_grid(memberships, organisation, [year], countries)[int(year)].eq("member")
    return list(full[full].index)


def membership_overlap(
    memberships: pd.DataFrame,
    years: Sequence[int] | None = None,
    organisations: Sequence[str] = OVERLAP_ORGANISATIONS,
    countries: Sequence[str] = TREATY_PARTIES,
    title: str | None = None,
) -> plt.Figure:
    """Small multiples, one per organisation: each state's role (rows) year by year (columns).

    Reading across a row shows one state's memberships over time; reading down a column of panels shows which
    states sat in the alliance and the other organisations at once.
    """
    if years is None:
        # To the current year: ongoing spells have no end date, so the table's last date would cut them short.
        last = max(int(max(memberships["start"].max(), memberships["end"].max()).year), pd.Timestamp.today().year)
        years = range(1992, last + 1)
    years = list(years)
    countries = list(countries)
    grids = {organisation: membership_grid(memberships, organisation, years, countries) for organisation in organisations}
    roles = ["none", "member"] + sorted({r for g in grids.values() for r in np.unique(g.to_numpy())} - {"none", "member"})
    cmap = ListedColormap([ROLE_COLOURS.get(r, OTHER_COLOUR) for r in roles])

    fig, axes = new_figure(12.0, 0.36 * len(countries) + 2.4, ncols=len(organisations), sharey=True)
    axes = np.atleast_1d(axes)
    for ax, organisation in zip(axes, organisations):
        codes = grids[organisation].apply(lambda column: column.map(roles.index)).to_numpy(dtype=float)
        ax.imshow(codes, cmap=cmap, vmin=-0.5, vmax=len(roles) - 0.5, aspect="auto", interpolation="nearest",
                  extent=(years[0] - 0.5, years[-1] + 0.5, len(countries) - 0.5, -0.5))
        ax.set_title(organisation, fontsize=11, loc="center")
        ax.set_yticks(range(len(countries)), [name_of(c) for c in countries])
        ax.set_yticks([y + 0.5 for y in range(len(countries) - 1)], minor=True)
        ax.grid(False)
        ax.grid(which="minor", axis="y", color="#DDDDDD", lw=0.6)
        ax.tick_params(which="minor", length=0)
        step = 10 if len(years) > 20 else 5
        ax.set_xticks([y for y in years if y % step == 0])
        ax.set_xlabel("Year (31 Dec)")
        for spine in ax.spines.values():
            spine.set_visible(True)
            spine.set_color("#BBBBBB")
    handles = [Patch(facecolor=ROLE_COLOURS.get(r, OTHER_COLOUR), edgecolor="#999999", label=r.replace("_", " "))
               for r in roles if r != "none"]
    axes[-1].legend(handles=handles, loc="upper left", bbox_to_anchor=(1.03, 1.0), fontsize=9,
                    title="Role\n(white: not in it)", title_fontsize=9)
    if title is None:
        last = years[-1]
        alliance = membership_grid(memberships, ALLIANCE, [last], countries)[last]
        members = [c for c in countries if alliance[c] == "member"]
        overlap = in_all(memberships, last, organisations, countries)
        others = [o for o in organisations if o != ALLIANCE]
        # The current year is not over: say "in" rather than "end of" (the grid reads roles on 31 December).
        when = f"In {last}" if last >= pd.Timestamp.today().year else f"End of {last}"
        title = (f"{when}: {len(overlap)} of the {len(members)} states taking full part in the alliance "
                 f"also belonged to the {', '.join(others[:-1])} and {others[-1]}")
    shown = memberships[memberships["country"].isin(countries)]
    fig = finish(fig, title, rows=shown, table="memberships")
    return fig


# --------------------------------------------------------------------------------------------- arms suppliers


def pooled_supplier_shares(
    arms: pd.DataFrame,
    recipients: Sequence[str] = CENTRAL_ASIAN_MEMBERS,
    suppliers: Sequence[str] = ("RUS", "CHN"),
    window: int = 5,
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Per cent of the pooled TIV imports of ``recipients`` delivered by each supplier, over rolling windows.

    One row per window, indexed by its last year (the first full window onwards); one column per supplier in
    ``suppliers`` plus :data:`OTHERS`, summing to 100. A window in which the recipients received nothing is NaN.
    The table's primary key (recipient, supplier, year) means each delivery year is counted once, whichever
    method or data generation it came from, so every row is summed.
    """
    rows = arms[arms["recipient"].isin(list(recipients))]
    first, last = (int(arms["year"].min()), int(arms["year"].max())) if years is None else (int(years[0]), int(years[1]))
    span = range(first, last + 1)
    named = rows["supplier"].where(rows["supplier"].isin(list(suppliers)), OTHERS)
    by_year = rows.groupby([rows["year"], named])["tiv"].sum().unstack(fill_value=0.0)
    by_year = by_year.reindex(index=span, columns=[*suppliers, OTHERS], fill_value=0.0).astype(float)
    rolled = by_year.rolling(window).sum().iloc[window - 1:]
    total = rolled.sum(axis=1)
    shares = rolled.div(total.where(total > 0), axis=0) * 100
    shares.index.name = "last year of window"
    shares.columns.name = "supplier"
    return shares


def _percent(value: float) -> str:
    """A share for a title: whole per cent from 10 up, one decimal below (so 0.4% does not read as 0%)."""
    return f"{value:.0f}%" if value >= 10 else f"{value:.1f}%"


def supplier_share_lines(
    arms: pd.DataFrame,
    recipients: Sequence[str] = CENTRAL_ASIAN_MEMBERS,
    suppliers: Sequence[str] = ("RUS", "CHN"),
    window: int = 5,
    years: tuple[int, int] | None = None,
    title: str | None = None,
) -> plt.Figure:
    """Lines: each supplier's share (%) of the recipients' pooled arms imports over rolling ``window``-year totals."""
    shares = pooled_supplier_shares(arms, recipients, suppliers, window, years)
    fig, ax = new_figure(10.0, 4.8)
    for supplier in shares.columns:
        colour = OTHER_COLOUR if supplier == OTHERS else colour_of(supplier)
        label = OTHERS if supplier == OTHERS else name_of(supplier)
        ax.plot(shares.index, shares[supplier], color=colour, lw=2.6 if supplier != OTHERS else 1.8,
                marker="o", markersize=3.5, label=label, ls="-" if supplier != OTHERS else "--")
    ax.set_ylim(-3, 103)
    ax.set_ylabel(f"Share of imports (%, TIV over {window} years)" if window > 1 else "Share of imports (%, TIV)")
    ax.set_xlabel(f"Last year of the {window}-year window" if window > 1 else "Year")
    ax.legend(title="Supplier", loc="center left", bbox_to_anchor=(1.0, 0.5))
    valid = shares.dropna(how="all")
    if title is None:
        recipients_label = and_list(name_of(r) for r in recipients)
        if valid.empty:
            title = f"No deliveries to {recipients_label} in these years"
        else:
            end = int(valid.index.max())
            latest = valid.loc[end]
            lead, *rest = suppliers
            window_text = f"{end - window + 1}–{end}" if window > 1 else str(end)
            title = f"{recipients_label}, {window_text}: {name_of(lead)} {_percent(latest[lead])} of arms imports"
            for supplier in rest:
                title += f"; {name_of(supplier)} never above {_percent(valid[supplier].max())}"
    note = ("TIV: SIPRI trend-indicator value, a measure of the volume of major arms delivered, not of money paid. "
            "A gap means nothing was delivered in the window.")
    source_ids = sorted(set(split_list(arms["source_id"].astype("string")).explode().dropna()))
    return finish(fig, title, *source_ids, note=note)


# --------------------------------------------------------------------------------------------- bases


def foreign_facilities(bases: pd.DataFrame, events: pd.DataFrame, as_of=None) -> pd.DataFrame:
    """Foreign military facilities on members' soil as spans: ``facility, host, user, start, end, ongoing``.

    Russia's facilities come from ``russian_bases`` (from ``established`` to ``agreement_until``; those with no
    known start are left out). The United States' transit centre at Manas comes from the events ``manas_opens``
    and ``manas_closes``. Ongoing spans end at ``agreement_until`` (or ``as_of`` when no end is agreed).
    """
    as_of = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.today().normalize()
    rows = []
    for _, base in bases.dropna(subset=["established"]).iterrows():
        end = base["agreement_until"] if pd.notna(base["agreement_until"]) else as_of
        rows.append({"facility": base["facility"], "host": base["host"], "user": "RUS", "start": base["established"],
                     "end": end, "ongoing": True, "agreed_until": base["agreement_until"]})
    by_id = events.set_index("event_id")
    if {"manas_opens", "manas_closes"} <= set(by_id.index):
        rows.append({"facility": "Manas air base / transit centre", "host": "KGZ", "user": "USA",
                     "start": by_id.loc["manas_opens", "date"], "end": by_id.loc["manas_closes", "date"],
                     "ongoing": False, "agreed_until": pd.NaT})
    frame = pd.DataFrame(rows)
    return frame.sort_values(["user", "start"], ascending=[False, True]).reset_index(drop=True)


def foreign_presence(bases: pd.DataFrame, events: pd.DataFrame, as_of=None, title: str | None = None) -> plt.Figure:
    """Bars from each foreign facility's start to its end (or the end of its current agreement), with the 2011
    consent rule for third-country bases marked."""
    as_of = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.today().normalize()
    spans = foreign_facilities(bases, events, as_of)
    fig, ax = new_figure(10.5, 0.5 * len(spans) + 2.0)
    for index, span in spans.iterrows():
        start, end = span["start"].year + span["start"].day_of_year / 365.25, span["end"].year + span["end"].day_of_year / 365.25
        agreed = pd.notna(span["agreed_until"])
        ax.barh(index, end - start, left=start, height=0.55, color=colour_of(span["user"]), alpha=0.9,
                edgecolor="#333333", lw=0.4)
        label = (f"{span['start'].year}–{span['end'].year}" if not span["ongoing"]
                 else f"since {span['start'].year}, agreed to {span['agreed_until'].year}" if agreed
                 else f"since {span['start'].year}, end not disclosed")
        ax.text(end + 0.4, index, label, va="center", fontsize=8.5)
    now = as_of.year + as_of.day_of_year / 365.25
    ax.axvline(now, color="#444444", ls=":", lw=1)
    ax.text(now, -0.75, f"{as_of:%b %Y}", ha="center", fontsize=8, color="#444444")
    by_id = events.set_index("event_id")
    if "bases_consent_rule" in by_id.index:
        rule = by_id.loc["bases_consent_rule", "date"]
        x = rule.year + rule.day_of_year / 365.25
        ax.axvline(x, color="#CC3311", lw=1.4)
        ax.text(x - 0.3, -0.75, f"{rule:%b %Y}: new foreign bases need every member's consent",
                color="#CC3311", fontsize=8.5, ha="right")
    labels = [f"{s['facility']} ({name_of(s['host'])})" for _, s in spans.iterrows()]
    ax.set_yticks(range(len(spans)), labels, fontsize=8.5)
    ax.set_ylim(len(spans) - 0.3, -1.1)
    ax.set_xlim(spans["start"].dt.year.min() - 1, spans["end"].dt.year.max() + 9)
    ax.set_xlabel("Year (bar: from opening to closure, or to the end of the current agreement)")
    ax.grid(axis="y", visible=False)
    users = list(dict.fromkeys(spans["user"]))
    ax.legend(handles=[Patch(color=colour_of(u), label=f"used by {name_of(u)}") for u in users],
              loc="upper right", fontsize=8.5)
    if title is None:
        closed = spans[~spans["ongoing"]]
        russian = spans[(spans["user"] == "RUS") & spans["agreed_until"].notna()]
        title = (f"{len(closed)} non-Russian base closed ({closed['end'].dt.year.min()}); Russia's "
                 f"{len(russian)} dated facilities are agreed to {russian['agreed_until'].dt.year.min()}–"
                 f"{russian['agreed_until'].dt.year.max()}") if len(closed) else "Foreign military facilities in member states"
    undated = bases[bases["established"].isna()]
    note = (f"{len(undated)} further Russian sites with no known opening date are not drawn: "
            f"{', '.join(undated['facility'])}. " if len(undated) else "")
    note += ("Sources: cited row by row in the tables 'russian_bases' and 'events' "
             "(utils.data.load(...); details in utils.data.load('sources')).")
    return finish(fig, title, note=note)


# --------------------------------------------------------------------------------------------- events


#: Event categories about the alliance's politics rather than its forces.
POLITICAL_CATEGORIES: tuple[str, ...] = ("bases", "membership", "statement", "operation", "arms")


def events_per_period(
    events: pd.DataFrame,
    categories: Sequence[str] = POLITICAL_CATEGORIES,
    period: int = 5,
    first_year: int = 1991,
) -> pd.DataFrame:
    """Number of events that occurred in each ``period``-year bin (rows, labelled "1991–95") per category (columns).

    Bins after the last one holding any of these events are dropped (a short, empty final bin would read as a
    fall in activity).
    """
    rows = events[events["category"].isin(list(categories))]
    if "status" in rows.columns:
        rows = rows[rows["status"] == "occurred"]
    last_year = int(events["date"].dt.year.max())
    starts = list(range(first_year, last_year + 1, period))
    labels = [f"{s}–{str(min(s + period - 1, last_year))[-2:]}" if min(s + period - 1, last_year) > s else str(s)
              for s in starts]
    bins = ((rows["date"].dt.year - first_year) // period).astype(int)
    table = pd.crosstab(bins, rows["category"]).reindex(index=range(len(starts)), columns=list(categories), fill_value=0)
    table.index = pd.Index(labels, name="period")
    busy = np.flatnonzero(table.sum(axis=1).to_numpy())
    return table.iloc[: busy.max() + 1] if len(busy) else table.iloc[:0]


def events_by_category(
    events: pd.DataFrame,
    categories: Sequence[str] = POLITICAL_CATEGORIES,
    period: int = 5,
    title: str | None = None,
) -> plt.Figure:
    """Stacked bars: the political events of each period by category (bases, memberships, statements ...)."""
    table = events_per_period(events, categories, period)
    fig, ax = new_figure(10.0, 4.8)
    bottom = np.zeros(len(table))
    for category in table.columns:
        ax.bar(range(len(table)), table[category], bottom=bottom, color=CATEGORY_COLOURS.get(category, OTHER_COLOUR),
               edgecolor="white", linewidth=0.6, label=category)
        bottom += table[category].to_numpy()
    ax.set_xticks(range(len(table)), table.index)
    ax.set_xlabel(f"Period ({period} years; the last may be shorter)")
    ax.set_ylabel("Number of events in the table")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="x", visible=False)
    ax.legend(title="Category", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    if title is None:
        peaks = {c: table[c].idxmax() for c in table.columns if table[c].sum() > 0}
        parts = [f"{c} events peak in {peaks[c]}" for c in ("bases", "statement") if c in peaks]
        title = ("Recorded political events: " + ", ".join(parts)) if parts else "Recorded political events by period"
    shown = events[events["category"].isin(list(categories))]
    return finish(fig, title, rows=shown, table="events")
