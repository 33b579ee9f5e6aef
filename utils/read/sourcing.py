"""How much weight a source can bear: reliability tiers, and which rows of a table rest on weak sources.

Every row of ``data/sources.csv`` has a ``tier`` (one of :data:`TIERS`) and an ``outlet`` -- the organisation that
first published the text, so that a wire story reprinted by three websites still counts as *one* source. A fact in
a hand-built table cites one or more ``source_id``; it is as well supported as its best source, and two sources are
independent when their outlets differ.

How a source is graded:

* by who wrote it, not where it was read: the verbatim text of a treaty or protocol is ``official`` even when the copy
  sits on a legal-texts site (the note says where it was read);
* a news item reprinted by a forum, blog or content farm is ``aggregator`` even when it names its wire service, because
  nothing shows the copy is faithful; a copy syndicated by a news site under licence (UrduPoint for Sputnik, MENAFN
  for Azernews) keeps the original's outlet and tier;
* Wikipedia and its mirrors, and the two articles under review, are ``aggregator``;
* agencies and broadcasters controlled by a government (TASS, RIA Novosti, RT, Sputnik, BelTA, Kazinform, Khovar,
  Armenpress, Xinhua...) are ``state_media``: good evidence of what that government said, weak on what it contests.
* an outlet that is not state-controlled but follows a government's line (owned by people close to it, as with
  Trend, APA or Caliber.Az for Azerbaijan, or EADaily and Regnum for Russia) keeps its tier, usually ``news``, and
  carries that government's code in the ``aligned_with`` column; :func:`tier_label` shows it as
  "news, government-aligned: Azerbaijan" so that readers weigh it as they would that government's own word.

The collection's rule (checked by ``tests/test_data_tables.py``):

* no fact rests only on the ``aggregator`` tier (mirrors, content farms, unknown sites);
* a contested fact -- a row marked ``disputed`` -- carries at least two sources from independent outlets, neither
  of them an aggregator (the competing rows of one contested figure may share the load: see
  :data:`CONTESTED_GROUPS`).

Lessons list the sources they used with :func:`reading_list`, the one place a tier is rendered for readers.

Notebooks show the mark of a weakly sourced row with :func:`mark_weak`::

    from utils.read import data, sourcing
    events = sourcing.mark_weak(data.load("events"))
    events.loc[events["weakly_sourced"], ["title", "source_id"]]
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

import pandas as pd

from utils.read import countries, data

#: Tier code -> (label, what a source of this tier is good evidence of). Strongest first.
TIERS: dict[str, tuple[str, str]] = {
    "official": (
        "official document or statement",
        "what a government or organisation decided, signed or said; its own figures, though not independent ones",
    ),
    "research": (
        "research institute or scholarly work",
        "facts checked against several sources, and estimates whose method is stated",
    ),
    "news": (
        "established news organisation",
        "events and statements reported with editorial checking; early figures may be revised",
    ),
    "state_media": (
        "state-controlled media (TASS, RIA, RT, Sputnik, BelTA, Kazinform...)",
        "what its government said and did; weak evidence on facts that government contests",
    ),
    "aggregator": (
        "aggregator, mirror or unknown site",
        "a pointer to where a text appeared; never enough on its own",
    ),
}

#: Shown beside the tier of a source whose outlet follows a government's line without being state media.
ALIGNED_MARK = "government-aligned"

#: The tier too weak to carry a fact alone.
WEAK_TIER = "aggregator"

#: Printed after a weakly sourced value wherever a notebook shows it.
WEAK_MARK = "\u2020"  # dagger

#: Columns that, for each table, name one contested fact when several rows compete over it. A table not listed
#: here treats each disputed row as its own fact.
CONTESTED_GROUPS: dict[str, list[str]] = {
    # Competing sizes of one force: a 'troops' and a 'personnel' headcount compete with each other.
    "collective_forces": ["force", "measure"],
    # Competing versions of one membership spell (Georgia's signature date).
    "memberships": ["organisation", "country", "role"],
    # Competing versions of one event (one row per dated version).
    "events": ["category", "countries", "year"],
}


def tier_rank(tier: str) -> int:
    """0 for the strongest tier, larger for weaker ones (unknown tiers rank last)."""
    order = list(TIERS)
    return order.index(tier) if tier in order else len(order)


def _sources(sources: pd.DataFrame | None) -> pd.DataFrame:
    return (data.load("sources") if sources is None else sources).set_index("source_id")


def support(frame: pd.DataFrame, sources: pd.DataFrame | None = None, column: str = "source_id") -> pd.DataFrame:
    """Per row of ``frame``: its best tier, the number of independent outlets above the weak tier, and the
    ids of its sources that are not in ``sources`` (should be none).

    Returns a DataFrame indexed like ``frame`` with columns ``best_tier``, ``independent_outlets`` and
    ``unknown_ids``.
    """
    table = _sources(sources)
    rows = []
    for ids in data.split_list(frame[column]):
        known = [i for i in ids if i in table.index]
        tiers = [str(table.at[i, "tier"]) for i in known]
        strong = [i for i in known if table.at[i, "tier"] != WEAK_TIER]
        rows.append(
            {
                "best_tier": min(tiers, key=tier_rank) if tiers else WEAK_TIER,
                "independent_outlets": len({str(table.at[i, "outlet"]).casefold() for i in strong}),
                "unknown_ids": [i for i in ids if i not in table.index],
            }
        )
    return pd.DataFrame(rows, index=frame.index)


def mark_weak(frame: pd.DataFrame, sources: pd.DataFrame | None = None, column: str = "source_id") -> pd.DataFrame:
    """A copy of ``frame`` with ``best_tier`` and ``weakly_sourced`` (True when every source cited by the row
    is an aggregator, mirror or unknown site) added as columns."""
    found = support(frame, sources, column)
    marked = frame.copy()
    marked["best_tier"] = found["best_tier"]
    marked["weakly_sourced"] = found["best_tier"] == WEAK_TIER
    return marked


def with_mark(text: pd.Series, weak: pd.Series) -> pd.Series:
    """``text`` with :data:`WEAK_MARK` appended where ``weak`` is True (for labels, titles and table cells)."""
    return text.astype("string") + weak.map({True: WEAK_MARK}).fillna("")


def contested_groups(name: str, frame: pd.DataFrame) -> Iterable[tuple[object, pd.DataFrame]]:
    """The disputed rows of table ``name``, grouped so that each group is one contested fact."""
    if "disputed" not in frame.columns:
        return []
    disputed = frame[frame["disputed"].fillna(False).astype(bool)]
    if name == "collective_forces":
        disputed = disputed.assign(measure=disputed["figure_kind"].replace({"personnel": "troops"}))
    if name == "events":
        disputed = disputed.assign(year=disputed["date"].dt.year)
    keys = CONTESTED_GROUPS.get(name)
    if keys is None:
        return [(index, disputed.loc[[index]]) for index in disputed.index]
    return list(disputed.groupby(keys, dropna=False))


def independent_outlets(rows: pd.DataFrame, sources: pd.DataFrame | None = None, column: str = "source_id") -> int:
    """How many different outlets above the weak tier the ``rows`` cite between them."""
    table = _sources(sources)
    ids = {i for row in data.split_list(rows[column]) for i in row if i in table.index}
    return len({str(table.at[i, "outlet"]).casefold() for i in ids if table.at[i, "tier"] != WEAK_TIER})


def tier_label(tier: str, aligned_with: object = None) -> str:
    """A source's tier as readers see it: 'state media', or 'news, government-aligned: Azerbaijan' when the
    ``aligned_with`` column of ``sources`` names the government the outlet is close to."""
    label = str(tier).replace("_", " ")
    if isinstance(aligned_with, str) and aligned_with:
        label += f", {ALIGNED_MARK}: {countries.name_of(aligned_with)}"
    return label


def reading_list(source_ids: Iterable[str], sources: pd.DataFrame | None = None) -> str:
    """HTML for a folded list of the sources ``source_ids`` (ids not in ``sources`` are left out), strongest tier
    first, each with a link where it has a web address and its :func:`tier_label`.

    In a notebook: ``display(HTML(sourcing.reading_list(cited)))``.
    """
    table = _sources(sources)
    listed = table.loc[[i for i in dict.fromkeys(source_ids) if i in table.index]]
    listed = listed.iloc[listed["tier"].map(tier_rank).argsort(kind="stable")]
    aligned = listed["aligned_with"] if "aligned_with" in listed.columns else pd.Series(None, index=listed.index)
    items = []
    for source_id, row in listed.iterrows():
        title, url = escape(str(row["title"])), str(row["url"])
        name = f"<a href='{escape(url.strip())}'>{title}</a>" if data.is_web_address(url) else title
        items.append(f"<li>{name} ({escape(tier_label(row['tier'], aligned[source_id]))})</li>")
    return f"<details><summary>{len(items)} sources (click to open)</summary><ul>{''.join(items)}</ul></details>"
