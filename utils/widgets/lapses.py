"""Explorer for notebook 05 (institutional lapses): fighting and requests for help, by state and years.

A thin factory over :func:`utils.plots.lapses.conflicts_and_requests`. It loads its tables once (or takes them),
bounds its controls by what the tables hold, and redraws by filtering in memory.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from utils import data
from utils.countries import CSTO_MEMBERS, TREATY_PARTIES, name_of
from utils.plots import lapses
from utils.widgets import Explorer, explorer, year_range_slider

#: Groups of states offered above the single states in the dropdown.
GROUPS: dict[str, tuple[str, ...]] = {
    "All nine treaty parties": TREATY_PARTIES,
    "The six CSTO members": CSTO_MEMBERS,
}


def conflicts_explorer(
    conflicts: pd.DataFrame | None = None,
    requests: pd.DataFrame | None = None,
    memberships: pd.DataFrame | None = None,
) -> Explorer:
    """Conflict-years and requests for help for a chosen state or group, over a chosen span of years."""
    conflicts = data.load("conflicts") if conflicts is None else conflicts
    requests = data.load("assistance_requests") if requests is None else requests
    memberships = data.load("memberships") if memberships is None else memberships
    present = set(data.split_list(conflicts["countries"].astype("string")).explode().dropna()) | set(requests["requester"])
    singles = [(name_of(code), (code,)) for code in TREATY_PARTIES if code in present]
    groups = [(label, codes) for label, codes in GROUPS.items()]
    first = int(min(conflicts["year"].min(), requests["date"].dt.year.min()))
    last = int(max(conflicts["year"].max(), requests["date"].dt.year.max()))
    states = widgets.Dropdown(options=groups + singles, value=groups[0][1], description="States")
    years = year_range_slider(first, last)
    abroad = widgets.Checkbox(value=True, description="Show secondary-party years", indent=False)

    def draw(states: tuple[str, ...], years: tuple[int, int], abroad: bool):
        return lapses.conflicts_and_requests(conflicts, requests, states, years, memberships, include_abroad=abroad)

    return explorer(draw, "Fighting and requests for help: pick states and a span of years",
                    states=states, years=years, abroad=abroad)
