"""Explorers for notebook 01 (history): the event timeline and the overlap of memberships, year by year.

Thin factories over :mod:`utils.plots.history`. Each loads its table once (or takes one), bounds its controls
by the values present in it, and redraws by filtering in memory.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from utils import data
from utils.countries import name_of
from utils.plots import history
from utils.widgets import Explorer, explorer, year_range_slider

#: The value of a dropdown's "all" entry (an empty string: falsy, so the plot function does not filter).
ALL = ""


def timeline_explorer(events: pd.DataFrame | None = None, max_titles: int = 30) -> Explorer:
    """Event timeline filtered by category, state and years (see :func:`utils.plots.history.event_timeline`)."""
    events = data.load("events") if events is None else events
    categories = sorted(events["category"].dropna().unique())
    countries = sorted(data.split_list(events["countries"].astype("string")).explode().dropna().unique(), key=name_of)
    first, last = int(events["date"].dt.year.min()), int(events["date"].dt.year.max())
    category = widgets.Dropdown(options=[("All categories", ALL)] + [(c, c) for c in categories],
                                value=ALL, description="Category")
    country = widgets.Dropdown(options=[("All states", ALL)] + [(name_of(c), c) for c in countries],
                               value=ALL, description="State")
    years = year_range_slider(first, last)

    def draw(category: str, country: str, years: tuple[int, int]):
        return history.event_timeline(events, category or None, country or None, years, max_titles=max_titles)

    return explorer(draw, "Events: pick a category, a state and a span of years", category=category, country=country, years=years)


def overlap_explorer(
    memberships: pd.DataFrame | None = None, organisations=("CSTO", "EAEU", "SCO", "CIS"), as_of=None
) -> Explorer:
    """Who belonged to which organisation at the end of a chosen year (:func:`utils.plots.history.overlap_matrix`).

    The slider runs from the first year in the table to the year of ``as_of`` (default: the latest date in the
    table), and for that year the grid shows the roles on ``as_of``.
    """
    memberships = data.load("memberships") if memberships is None else memberships
    organisations = [o for o in organisations if o in set(memberships["organisation"])]
    first = int(memberships["start"].dt.year.min())
    latest = max(memberships["start"].max(), memberships["end"].max())
    last = int(pd.Timestamp(as_of).year) if as_of is not None else int(latest.year)
    year = widgets.IntSlider(value=last, min=first, max=last, step=1, description="Year", continuous_update=False,
                             layout=widgets.Layout(width="420px"))

    def draw(year: int):
        return history.overlap_matrix(memberships, year, organisations=organisations, as_of=as_of)

    return explorer(draw, "Overlapping memberships: move the year", year=year)
