"""The membership Gantt chart: who belonged to the treaty, the organisation and its assembly, and when.

The one whole-figure helper of lesson 01, kept here because the drawing (one bar per spell, styled by role) is not
what the lesson teaches; the lesson draws its other figures itself with pandas and seaborn.
"""

from __future__ import annotations

import textwrap
from typing import Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch

from utils.read.countries import name_of
from utils.read.plots import colour_of, finish, new_figure
from utils.read.vocabulary import ORGANISATIONS, ROLE_LABELS

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

#: Longest tick label on one line; longer names (a parliament, the Union State's assembly) wrap onto two lines
#: rather than being cut.
LABEL_WIDTH = 36


def role_style(role: str) -> dict:
    """Alpha and hatch used for a membership ``role`` (``"member"``, ``"observer"``, ``"suspended"``...)."""
    role = str(role).lower()
    if role == "member":
        return ROLE_STYLES["member"]
    for word, style in ROLE_STYLES.items():
        if word != "member" and word in role:
            return style
    return _OTHER_ROLE_STYLE


def _row_label(organisation: str, name: str, disputed: bool) -> str:
    """``"CSTO  Armenia"``; a long name wraps onto a second line, aligned under the first."""
    lines = textwrap.wrap(name, LABEL_WIDTH) or [name]
    indent = " " * (len(organisation) + 2)
    text = f"{organisation}  {lines[0]}" + "".join(f"\n{indent}{line}" for line in lines[1:])
    return text + (" *" if disputed else "")


def draw_membership_gantt(
    memberships: pd.DataFrame,
    title: str,
    organisations: Sequence[str] = ("CST", "CSTO", "CSTO-PA"),
    as_of=None,
) -> plt.Figure:
    """Membership spells as horizontal bars: one row per organisation and member, coloured by state.

    The role is drawn by the bar's style (solid: member; hatched and lighter: observer, suspended, frozen...).
    Spells still running are drawn up to ``as_of`` (default: today) and end in an arrow. Rows whose sources
    disagree on a date (``disputed``) are starred. ``title`` states the finding (the notebook computes it).
    """
    as_of = pd.Timestamp(as_of if as_of is not None else "today").normalize()
    spells = memberships[memberships["organisation"].isin(organisations)]
    if spells.empty:
        raise ValueError(f"memberships has no spells for the organisations {list(organisations)}")

    # Rows: organisations in the given order; within one, members by the date they first joined it.
    rows: list[tuple[str, str]] = []
    for organisation in organisations:
        first = spells[spells["organisation"] == organisation].groupby("country")["start"].min()
        rows += [(organisation, country) for country in first.sort_values(kind="stable").index]
    position = {row: index for index, row in enumerate(rows)}

    fig, ax = new_figure(9.0, max(3.0, 0.3 * len(rows) + 1.8))
    spells = spells.sort_values("start")
    spells = spells.assign(
        y=[position[key] for key in zip(spells["organisation"], spells["country"])],
        left=lambda t: mdates.date2num(t["start"]),
        right=lambda t: mdates.date2num(t["end"].fillna(as_of)),
    )
    # One barh call per role (the role sets alpha and hatch): far fewer artists to lay out than one per spell.
    for role, group in spells.groupby("role", sort=False):
        style = role_style(role)
        ax.barh(group["y"], (group["right"] - group["left"]).clip(lower=20), left=group["left"], height=0.7,
                color=[colour_of(c) for c in group["country"]], alpha=style["alpha"], hatch=style["hatch"],
                edgecolor="#333333", linewidth=0.4)  # clip: a spell of a few days still shows
    for y in spells.loc[spells["end"].isna(), "y"]:
        ax.annotate("", xy=(mdates.date2num(as_of) + 250, y), xytext=(mdates.date2num(as_of), y),
                    arrowprops={"arrowstyle": "->", "color": "#555555", "lw": 0.8})

    names = {code: name_of(code) for code in spells["country"].unique()}
    if "member_name" in spells.columns:  # codes that are not states (a parliament) keep the table's own name
        names.update({c: n for c, n in zip(spells["country"], spells["member_name"]) if names[c] == c and pd.notna(n)})
    disputed = set()
    if "disputed" in spells.columns:
        flagged = spells[spells["disputed"].fillna(False).astype(bool)]
        disputed = set(zip(flagged["organisation"], flagged["country"]))
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([_row_label(o, names[c], (o, c) in disputed) for o, c in rows])
    ax.invert_yaxis()
    for index in range(1, len(rows)):  # thin separators between organisations
        if rows[index][0] != rows[index - 1][0]:
            ax.axhline(index - 0.5, color="#888888", lw=0.8)
    ax.xaxis_date()
    ax.xaxis.set_major_locator(mdates.YearLocator(8))  # room for 13 pt labels
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_xlim(mdates.date2num(spells["start"].min()) - 200, mdates.date2num(as_of) + 400)
    ax.set_xlabel("Year (a bar is a spell; an arrow: still running)")
    ax.grid(axis="y", visible=False)

    roles = list(dict.fromkeys(spells["role"]))
    handles = [Patch(facecolor="#999999", alpha=role_style(r)["alpha"], hatch=role_style(r)["hatch"],
                     edgecolor="#333333", label=ROLE_LABELS.get(r, str(r).replace("_", " "))) for r in roles]
    ax.legend(handles=handles, title="Role", loc="upper right")
    key = ", ".join(f"{o}: {ORGANISATIONS.get(o, o)}" for o in organisations)
    note = key + (". * Sources disagree on a date: one bar per version." if disputed else ".")
    return finish(fig, title, rows=spells, table="memberships", note=note)


__all__ = ["ROLE_STYLES", "role_style", "draw_membership_gantt"]
