"""Figures for the alliance's history: membership spells, the event timeline, overlapping organisations, leaders.

Pure functions over the hand-built tables ``memberships``, ``events`` and ``secretaries_general`` (see
``utils.data.describe(name)`` for their columns): a DataFrame and parameters in, a matplotlib Figure out.
The small helpers :func:`status_on`, :func:`filter_events` and :func:`overlap_counts` return the data each
figure draws, so tests and exercises can check the numbers rather than the pixels.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from utils.countries import TREATY_PARTIES, name_of
from utils.data import split_list
from utils.plots import CATEGORY_COLOURS, OTHER_COLOUR, and_list, colour_of, finish, new_figure, shorten

#: Organisations in the order the figures list them: the treaty and its organisation first, then the others.
ORGANISATION_ORDER: tuple[str, ...] = ("CST", "CSTO", "CSTO-PA", "EAEU", "SCO", "CIS")

#: How each role is drawn on a membership bar: full members solid, every other role lighter and hatched, so a
#: reader sees at a glance who belonged in full and who was only watching or had stepped back. Matched on a word
#: in the role ("participation_frozen" is drawn as "frozen").
ROLE_STYLES: dict[str, dict] = {
    "member": {"alpha": 0.95, "hatch": None},
    "frozen": {"alpha": 0.40, "hatch": "\\\\\\"},
    "suspend": {"alpha": 0.30, "hatch": "xx"},
    "observer": {"alpha": 0.45, "hatch": "///"},
    "dialogue": {"alpha": 0.30, "hatch": ".."},
}
_OTHER_ROLE_STYLE = {"alpha": 0.45, "hatch": "++"}

#: Roles that keep a state a formal member: it has stepped back ("frozen", or a suspension it announced itself
#: while the Council had not yet acted) but has not left.
FORMAL_MEMBER_ROLES: tuple[str, ...] = ("member", "participation_frozen", "participation_suspended")

#: Short labels for roles stored with underscores.
ROLE_LABELS: dict[str, str] = {
    "participation_frozen": "member, frozen",
    "participation_suspended": "member, suspending",
    "dialogue_partner": "dialogue partner",
}


# --------------------------------------------------------------------------------------------- shared helpers


def role_style(role: str) -> dict:
    """Alpha and hatch used for a membership ``role`` (``"member"``, ``"observer"``, ``"suspended"``...)."""
    role = str(role).lower()
    if role == "member":
        return ROLE_STYLES["member"]
    for word, style in ROLE_STYLES.items():
        if word != "member" and word in role:
            return style
    return _OTHER_ROLE_STYLE


def role_label(role: str) -> str:
    """A role as readers see it (``"participation_frozen"`` -> ``"member, frozen"``)."""
    return ROLE_LABELS.get(role, str(role).replace("_", " "))


def is_formal_member(role) -> bool:
    """True for roles that leave a state a formal member (see :data:`FORMAL_MEMBER_ROLES`)."""
    return role in FORMAL_MEMBER_ROLES


def state_names(memberships: pd.DataFrame) -> dict[str, str]:
    """Display names by code: the collection's country names, or the table's ``member_name`` for other codes."""
    names = {code: name_of(code) for code in memberships["country"].dropna().unique()}
    if "member_name" in memberships.columns:
        # Codes the collection does not name (a parliament, the Union State's assembly) keep the table's own name.
        names.update({code: name for code, name in zip(memberships["country"], memberships["member_name"])
                      if names.get(code) == code and pd.notna(name)})
    return names


def _as_timestamp(value) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def _today() -> pd.Timestamp:
    return pd.Timestamp.today().normalize()


# --------------------------------------------------------------------------------------------- memberships


def status_on(
    memberships: pd.DataFrame,
    date,
    organisations: Sequence[str] | None = None,
    countries: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Each state's role in each organisation on ``date``: a countries x organisations table of role strings.

    A spell counts on ``date`` when ``start <= date`` and its ``end`` is empty or on/after ``date``. Where two
    spells overlap (a membership and a later "frozen" or "suspended" spell), the one that started last wins,
    because it records the newer state of affairs. Cells with no spell hold ``"none"``.
    """
    when = _as_timestamp(date)
    organisations = list(organisations or [o for o in ORGANISATION_ORDER if o in set(memberships["organisation"])])
    countries = list(countries or TREATY_PARTIES)
    active = memberships[
        (memberships["start"] <= when) & (memberships["end"].isna() | (memberships["end"] >= when))
    ].sort_values("start")
    latest = active.drop_duplicates(["organisation", "country"], keep="last")
    table = latest.pivot(index="country", columns="organisation", values="role")
    table = table.reindex(index=countries, columns=organisations)
    return table.astype("object").where(table.notna(), "none")


def members_at_year_end(
    memberships: pd.DataFrame, organisation: str, years: Iterable[int], roles: Sequence[str] = FORMAL_MEMBER_ROLES
) -> pd.Series:
    """Number of states holding one of ``roles`` in ``organisation`` on 31 December of each year.

    By default a state counts while it is a formal member, including while its participation is frozen.
    Pass ``roles=("member",)`` to count only states taking full part.
    """
    spells = memberships[memberships["organisation"] == organisation]
    counts = {}
    for year in years:
        table = status_on(spells, pd.Timestamp(year=year, month=12, day=31), [organisation], sorted(set(spells["country"])))
        counts[year] = int(table[organisation].isin(roles).sum()) if organisation in table else 0
    return pd.Series(counts, name=organisation, dtype="int64").rename_axis("year")


def membership_gantt(
    memberships: pd.DataFrame,
    organisations: Sequence[str] = ("CST", "CSTO", "CSTO-PA"),
    countries: Sequence[str] | None = None,
    as_of=None,
    title: str | None = None,
) -> plt.Figure:
    """Membership spells as horizontal bars: one row per organisation and state, coloured by state.

    The role is drawn by the bar's style (solid: member; hatched and lighter: observer, suspended, frozen...).
    Spells still running are drawn up to ``as_of`` (default: today) and marked with an arrow.
    """
    as_of = _as_timestamp(as_of) if as_of is not None else _today()
    spells = memberships[memberships["organisation"].isin(organisations)]
    if countries is not None:
        spells = spells[spells["country"].isin(countries)]
    if spells.empty:
        raise ValueError(f"no membership spells for organisations {list(organisations)} and countries {countries}")

    # Rows: organisations in the given order; within one, states by the date they first joined it.
    rows: list[tuple[str, str]] = []
    for organisation in organisations:
        part = spells[spells["organisation"] == organisation]
        first = part.groupby("country")["start"].min().sort_values(kind="stable")
        rows += [(organisation, country) for country in first.index]
    position = {row: index for index, row in enumerate(rows)}

    fig, ax = new_figure(10.0, max(3.0, 0.32 * len(rows) + 1.6))
    for spell in spells.sort_values("start").itertuples(index=False):
        start = spell.start
        end = spell.end if pd.notna(spell.end) else as_of
        style = role_style(spell.role)
        y = position[(spell.organisation, spell.country)]
        left = mdates.date2num(start)
        width = max(mdates.date2num(end) - left, 20)  # a spell of a few days still shows
        ax.barh(y, width, left=left, height=0.7, color=colour_of(spell.country), alpha=style["alpha"],
                hatch=style["hatch"], edgecolor="#333333", linewidth=0.4)
        if pd.isna(spell.end):
            ax.annotate("", xy=(mdates.date2num(as_of) + 250, y), xytext=(mdates.date2num(as_of), y),
                        arrowprops={"arrowstyle": "->", "color": "#555555", "lw": 0.8})

    ax.set_yticks(range(len(rows)))
    names = state_names(memberships)
    disputed = set()
    if "disputed" in spells.columns:
        flagged = spells[spells["disputed"].fillna(False).astype(bool)]
        disputed = set(zip(flagged["organisation"], flagged["country"]))
    ax.set_yticklabels(
        [f"{org}  {shorten(names.get(country, country), 34)}{' *' if (org, country) in disputed else ''}"
         for org, country in rows],
        fontsize=9,
    )
    ax.invert_yaxis()
    # Thin separators between organisations.
    for index in range(1, len(rows)):
        if rows[index][0] != rows[index - 1][0]:
            ax.axhline(index - 0.5, color="#888888", lw=0.8)
    ax.xaxis_date()
    ax.xaxis.set_major_locator(mdates.YearLocator(4))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_xlim(mdates.date2num(spells["start"].min()) - 200, mdates.date2num(as_of) + 400)
    ax.set_xlabel("Year (bars run from the start to the end of each spell; arrows: still running)")
    ax.grid(axis="y", visible=False)

    roles = list(dict.fromkeys(spells["role"]))
    handles = [
        Patch(facecolor="#999999", alpha=role_style(role)["alpha"], hatch=role_style(role)["hatch"],
              edgecolor="#333333", label=role_label(role))
        for role in roles
    ]
    ax.legend(handles=handles, title="Role", loc="lower left", fontsize=8, title_fontsize=9)
    if title is None:
        title = f"Who belonged, and when: {', '.join(organisations)} membership spells"
        if {"CST", "CSTO"} <= set(organisations):
            ever = spells.loc[spells["organisation"].isin(["CST", "CSTO"]), "country"].nunique()
            now = status_on(spells, as_of, ["CSTO"], sorted(set(spells["country"])))["CSTO"]
            formal = now[now.map(is_formal_member)]
            stepped_back = formal[formal != "member"]
            title = (f"{ever} states have belonged to the treaty or the CSTO; {len(formal)} are members in "
                     f"{as_of.year}" + (f", {len(stepped_back)} of them only on paper" if len(stepped_back) else ""))
    fig = finish(fig, title, rows=spells, table="memberships")
    if disputed:
        ax.text(1.0, -0.09, "* sources disagree on a date: one bar per version", transform=ax.transAxes,
                ha="right", va="top", fontsize=8, color="#444444")
    return fig


def overlap_matrix(
    memberships: pd.DataFrame,
    year: int,
    organisations: Sequence[str] = ("CSTO", "EAEU", "SCO", "CIS"),
    countries: Sequence[str] = TREATY_PARTIES,
    as_of=None,
    title: str | None = None,
) -> plt.Figure:
    """A state x organisation grid for 31 December of ``year``: each cell names the state's role, if any.

    For the year of ``as_of`` (if given) the grid shows the roles on ``as_of`` instead, not at a year end still to come.
    """
    date = pd.Timestamp(year=int(year), month=12, day=31)
    if as_of is not None:
        date = min(date, _as_timestamp(as_of))
    table = status_on(memberships, date, organisations, countries)
    roles = ["none", "member"] + sorted({r for r in table.to_numpy().ravel() if r not in ("none", "member")})
    shade = {"none": "#FFFFFF", "member": "#4477AA"}
    extra = ["#BBCCEE", "#DDDDDD", "#EEEEBB", "#FFCCCC"]
    for index, role in enumerate(roles[2:]):
        shade[role] = extra[index % len(extra)]
    codes = table.apply(lambda column: column.map(roles.index)).to_numpy(dtype=float)

    fig, ax = new_figure(7.5, 0.42 * len(countries) + 1.8)
    ax.imshow(codes, cmap=ListedColormap([shade[r] for r in roles]), vmin=-0.5, vmax=len(roles) - 0.5, aspect="auto")
    for (i, j), role in pd.DataFrame(table.to_numpy()).stack().items():
        if role != "none":
            ax.text(j, i, role_label(role), ha="center", va="center", fontsize=8.5,
                    color="white" if role == "member" else "#222222")
    ax.set_xticks(range(len(organisations)), organisations)
    ax.set_yticks(range(len(countries)), [name_of(c) for c in countries])
    ax.xaxis.tick_top()
    ax.set_xticks([x - 0.5 for x in range(1, len(organisations))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(countries))], minor=True)
    ax.grid(False)
    ax.grid(which="minor", color="#CCCCCC", lw=0.6)
    ax.tick_params(which="minor", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel(f"Organisation (role on {date:%d %B %Y}; blank: no role)")
    members = table.get("CSTO", pd.Series(dtype=object))
    csto_members = list(members[members.map(is_formal_member)].index)
    if title is None:
        if csto_members and len(organisations) > 1:
            others = [o for o in organisations if o != "CSTO"]
            in_all = [c for c in csto_members if all(table.loc[c, o] == "member" for o in others)]
            listed = and_list(others)
            title = f"{year}: {len(in_all)} of {len(csto_members)} CSTO members also belong to {'all of ' if len(others) > 1 else ''}{listed}"
        else:
            title = f"Who belonged to what at the end of {year}"
    shown = memberships[memberships["organisation"].isin(organisations) & memberships["country"].isin(countries)]
    return finish(fig, title, rows=shown, table="memberships")


def overlap_counts(
    memberships: pd.DataFrame,
    years: Iterable[int],
    base: Sequence[str] = ("CST", "CSTO"),
    others: Sequence[str] = ("EAEU", "SCO", "CIS"),
    as_of=None,
) -> pd.DataFrame:
    """For each year (31 December): how many members of the treaty/alliance also belong to each other organisation.

    A state counts as a member of the alliance in a year if it is a formal member of any organisation in ``base``
    (the treaty before the 2002 charter took over, the organisation after). Returns one row per year with a
    column ``alliance`` (members of the alliance) and one column per organisation in ``others``, empty (NA) for the
    years before that organisation existed. For the year of ``as_of`` the count is taken on ``as_of``.
    """
    rows = []
    founded = memberships.groupby("organisation")["start"].min()
    for year in years:
        date = pd.Timestamp(year=int(year), month=12, day=31)
        if as_of is not None:
            date = min(date, _as_timestamp(as_of))
        table = status_on(memberships, date, list(base) + list(others), sorted(set(memberships["country"])))
        in_alliance = table[[o for o in base if o in table]].map(is_formal_member).any(axis=1)
        row = {"year": int(year), "alliance": int(in_alliance.sum())}
        for organisation in others:
            existed = organisation in founded and founded[organisation] <= date
            row[organisation] = int((in_alliance & table[organisation].eq("member")).sum()) if existed else pd.NA
        rows.append(row)
    return pd.DataFrame(rows).set_index("year").astype("Int64")


def overlap_counts_figure(
    memberships: pd.DataFrame, years: Iterable[int], others: Sequence[str] = ("EAEU", "SCO", "CIS"), as_of=None
) -> plt.Figure:
    """Steps: members of the alliance per year (grey band), and how many of them also belong to each other organisation."""
    counts = overlap_counts(memberships, years, others=others, as_of=as_of)
    # Each year's value is drawn from that year to the next, so the last year is repeated one year on.
    drawn = pd.concat([counts, counts.iloc[[-1]].set_axis([counts.index[-1] + 1])])
    fig, ax = new_figure(9.0, 4.4)
    ax.step(drawn.index, drawn["alliance"].astype(float), where="post", color="#BBBBBB", lw=7,
            label="members of the treaty / CSTO", solid_capstyle="butt")
    styles = {"CIS": ("#222222", ":"), "EAEU": ("#4477AA", "-"), "SCO": ("#EE6677", "--")}
    for organisation in others:
        colour, dash = styles.get(organisation, (OTHER_COLOUR, "-."))
        ax.step(drawn.index, drawn[organisation].astype(float), where="post", color=colour, ls=dash, lw=2,
                label=f"... of whom also in the {organisation}")
    ax.set_ylabel("Number of states (31 December)")
    ax.set_xlabel("Year")
    ax.set_ylim(0, int(counts.max().max()) + 1)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="lower right", fontsize=9)
    last = counts.iloc[-1]
    title = (f"In {counts.index[-1]}, {last[others[0]]} of the {last['alliance']} members were also in the {others[0]}"
             + "".join(f", {last[o]} in the {o}" for o in others[1:]))
    shown = memberships[memberships["organisation"].isin(["CST", "CSTO", *others])]
    return finish(fig, title, rows=shown, table="memberships")


# --------------------------------------------------------------------------------------------- events


def filter_events(
    events: pd.DataFrame,
    category: str | None = None,
    country: str | None = None,
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Events of one ``category`` (None: all), naming ``country`` (ISO3; None: any), within ``years`` (inclusive)."""
    mask = pd.Series(True, index=events.index)
    if category:
        mask &= events["category"] == category
    if country:
        mask &= split_list(events["countries"].astype("string")).map(lambda codes: country in codes)
    if years:
        first, last = years
        mask &= events["date"].dt.year.between(first, last)
    return events[mask].sort_values("date")


def event_timeline(
    events: pd.DataFrame,
    category: str | None = None,
    country: str | None = None,
    years: tuple[int, int] | None = None,
    max_titles: int = 30,
    title: str | None = None,
) -> plt.Figure:
    """Events as markers on a time axis, coloured by category.

    With at most ``max_titles`` events after filtering, each event gets its own row labelled with its date and
    title (a readable chronology). With more, events are drawn as dots in one lane per category, and the note
    under the plot says how to narrow the filters to see titles.
    """
    shown = filter_events(events, category, country, years)
    what = " ".join(part for part in (category or "", "events") if part)
    where = f" involving {name_of(country)}" if country else ""
    span = f"{years[0]}–{years[1]}" if years else ""
    if shown.empty:
        fig, ax = new_figure(9.0, 2.4)
        ax.text(0.5, 0.5, f"No {what}{where} in {span or 'the table'}: widen the filters.", ha="center", va="center")
        ax.set_axis_off()
        return finish(fig, title or "No events match these filters")

    categories = list(dict.fromkeys(sorted(shown["category"])))
    colours = {c: CATEGORY_COLOURS.get(c, OTHER_COLOUR) for c in categories}
    dates = mdates.date2num(shown["date"])
    if len(shown) <= max_titles:
        fig, ax = new_figure(10.0, max(2.6, 0.3 * len(shown) + 1.4))
        ys = range(len(shown))
        ax.scatter(dates, ys, c=[colours[c] for c in shown["category"]], s=46, zorder=3, edgecolor="white", linewidth=0.5)
        labels = [f"{d:%Y-%m-%d}  {t}" if p == "day" else (f"{d:%Y-%m}  {t}" if p == "month" else f"{d:%Y}  {t}")
                  for d, t, p in zip(shown["date"], shown["title"], shown.get("date_precision", ["day"] * len(shown)))]
        ax.set_yticks(list(ys), [shorten(label, 70) for label in labels], fontsize=8.5)
        ax.invert_yaxis()
        ax.grid(axis="y", color="#EEEEEE")
        ax.set_ylabel("")
        note = None
    else:
        fig, ax = new_figure(10.0, max(2.6, 0.45 * len(categories) + 1.6))
        lane = {c: i for i, c in enumerate(categories)}
        ax.scatter(dates, [lane[c] for c in shown["category"]], c=[colours[c] for c in shown["category"]],
                   s=40, alpha=0.8, zorder=3, edgecolor="white", linewidth=0.5)
        counts = shown["category"].value_counts()
        ax.set_yticks(range(len(categories)), [f"{c} ({counts[c]})" for c in categories], fontsize=9)
        ax.invert_yaxis()
        ax.set_ylabel("Category (number of events)")
        note = f"{len(shown)} events: too many to title. Pick a category, a state or fewer years to see each event's title."
    ax.xaxis_date()
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    pad = max(60.0, (dates.max() - dates.min()) * 0.03)
    ax.set_xlim(dates.min() - pad, dates.max() + pad)
    ax.set_xlabel("Date")
    if len(shown) <= max_titles and len(categories) > 1:
        handles = [Patch(color=colours[c], label=c) for c in categories]
        ax.legend(handles=handles, title="Category", loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    first, last = shown["date"].min().year, shown["date"].max().year
    if title is None:
        per_year = shown["date"].dt.year.value_counts()
        busiest = per_year[per_year == per_year.max()].index.sort_values()
        title = f"{len(shown)} {what}{where}, {first}–{last}"
        if per_year.max() > 1:
            years_text = ", ".join(str(y) for y in busiest[:3]) + (" ..." if len(busiest) > 3 else "")
            title += f"; most in {years_text} ({per_year.max()} {'each' if len(busiest) > 1 else 'events'})"
    fig = finish(fig, title, rows=shown, table="events")
    if note:
        fig.text(0.01, 1.0, note, ha="left", va="bottom", fontsize=8.5, color="#444444", transform=ax.transAxes)
    return fig


# --------------------------------------------------------------------------------------------- secretaries-general


def secretaries_general_bars(secretaries: pd.DataFrame, as_of=None, title: str | None = None) -> plt.Figure:
    """Each Secretary-General's tenure as a bar, coloured by the state that nominated them; acting holders hatched."""
    as_of = _as_timestamp(as_of) if as_of is not None else _today()
    rows = secretaries.sort_values("start").reset_index(drop=True)
    fig, ax = new_figure(9.5, 0.5 * len(rows) + 1.6)
    for index, row in rows.iterrows():
        end = row["end"] if pd.notna(row["end"]) else as_of
        acting = bool(row["acting"]) if pd.notna(row["acting"]) else False
        left = mdates.date2num(row["start"])
        width = mdates.date2num(end) - left
        ax.barh(index, width, left=left, height=0.65, color=colour_of(row["country"]),
                alpha=0.45 if acting else 0.95, hatch="///" if acting else None, edgecolor="#333333", lw=0.4)
        years = (end - row["start"]).days / 365.25
        so_far = " so far" if pd.isna(row["end"]) or row["end"] > as_of else ""
        ax.text(left + width + 40, index, f"{years:.1f} y{so_far}", va="center", fontsize=8.5, color="#333333")
    labels = [f"{r['name']} ({name_of(r['country'])}){', acting' if bool(r['acting']) else ''}" for _, r in rows.iterrows()]
    ax.set_yticks(range(len(rows)), labels, fontsize=9)
    ax.invert_yaxis()
    ax.xaxis_date()
    ax.xaxis.set_major_locator(mdates.YearLocator(4))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_xlim(mdates.date2num(rows["start"].min()) - 200, mdates.date2num(max(as_of, rows["end"].max())) + 500)
    ax.set_xlabel("Year (bar length: time in office, labelled in years; hatched: acting)")
    ax.grid(axis="y", visible=False)
    if title is None:
        days = (rows["end"].fillna(as_of) - rows["start"]).dt.days
        years = days / 365.25
        longest = years.idxmax()
        acting = rows["acting"].fillna(False).astype(bool)
        later = years[(rows.index > longest) & ~acting & rows["end"].notna() & (rows["end"] <= as_of)]
        title = f"{rows.loc[longest, 'name'].split()[-1]} served {years.max():.0f} years"
        # Kept short so that it fits above the figure: longest tenure against successors who have left office.
        if len(later) == 1:
            title += f"; the one appointed successor who has left served {later.iloc[0]:.1f} years"
        elif len(later) > 1:
            title += f"; the {len(later)} appointed successors who have left served {later.min():.1f}–{later.max():.1f} years"
    return finish(fig, title, rows=rows, table="secretaries_general")


# --------------------------------------------------------------------------------------------- summits


def summit_months(events: pd.DataFrame, category: str = "summit", title: str | None = None) -> plt.Figure:
    """Bars: how many summits (events of ``category``) fell in each calendar month, all years together.

    Only events dated to the month or the day count (a summit known only by its year has no month), and only those
    that took place, where the table has a ``status`` column.
    """
    summits = events[events["category"] == category]
    if "status" in summits.columns:
        summits = summits[summits["status"] == "occurred"]  # planned or cancelled meetings did not take place (yet)
    if "date_precision" in summits.columns:
        summits = summits[summits["date_precision"].isin(["day", "month"])]
    if summits.empty:
        raise ValueError(f"no events of category {category!r} dated to the month")
    counts = summits["date"].dt.month.value_counts().reindex(range(1, 13), fill_value=0)
    fig, ax = new_figure(9.0, 4.0)
    ax.bar(counts.index, counts.values, color="#228833", width=0.75)
    ax.set_xticks(range(1, 13), ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])
    ax.set_xlabel("Month of the meeting")
    ax.set_ylabel(f"Number of {category}s ({summits['date'].dt.year.min()}–{summits['date'].dt.year.max()})")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="x", visible=False)
    if title is None:
        late = int(counts.loc[10:12].sum())
        early = int(counts.loc[1:3].sum())
        title = f"{late} of {len(summits)} {category}s met in October–December, {early} in January–March"
    return finish(fig, title, rows=summits, table="events")
