"""Explorer for notebook 06 (politics and partners): who supplies a group of states' arms, over rolling windows.

A thin factory over :func:`utils.plots.politics.supplier_share_lines`. It loads the arms table once (or takes
one), bounds its controls by the recipients, suppliers and years present, and redraws by filtering in memory.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from utils import data
from utils.countries import name_of
from utils.plots import politics
from utils.widgets import Explorer, explorer, year_range_slider

#: Groups of recipients offered above the single states.
RECIPIENT_GROUPS: dict[str, tuple[str, ...]] = {
    "Central Asian CSTO members": politics.CENTRAL_ASIAN_MEMBERS,
    "Central Asian members and Uzbekistan": (*politics.CENTRAL_ASIAN_MEMBERS, "UZB"),
}


def arms_share_explorer(arms: pd.DataFrame | None = None, max_window: int = 10) -> Explorer:
    """Russia's share and a chosen second supplier's share of the chosen recipients' arms imports."""
    arms = data.load("arms_transfers") if arms is None else arms
    recipients_present = list(dict.fromkeys(sorted(arms["recipient"].dropna().unique(), key=name_of)))
    groups = [(label, codes) for label, codes in RECIPIENT_GROUPS.items() if set(codes) <= set(recipients_present)]
    recipients = widgets.Dropdown(options=groups + [(name_of(r), (r,)) for r in recipients_present],
                                  value=(groups or [(None, (recipients_present[0],))])[0][1], description="Recipients",
                                  layout=widgets.Layout(width="380px"))
    # Second supplier: any state that delivered something, biggest first (China is the default when present).
    totals = arms[arms["supplier"] != "RUS"].groupby("supplier")["tiv"].sum().sort_values(ascending=False)
    named = [s for s in totals.index if len(s) == 3 and s.isupper()]  # ISO3 states, not "unknown supplier(s)"
    rival = widgets.Dropdown(options=[(name_of(s), s) for s in named], value="CHN" if "CHN" in named else named[0],
                             description="Compare with", style={"description_width": "initial"})
    first, last = int(arms["year"].min()), int(arms["year"].max())
    window = widgets.IntSlider(value=5, min=1, max=min(max_window, last - first + 1), step=1, description="Window (years)",
                               continuous_update=False, style={"description_width": "initial"})
    years = year_range_slider(first, last)

    def draw(recipients: tuple[str, ...], rival: str, window: int, years: tuple[int, int]):
        window = min(window, years[1] - years[0] + 1)  # a window longer than the span would leave nothing to draw
        return politics.supplier_share_lines(arms, recipients, ("RUS", rival), window, years)

    return explorer(draw, "Who supplies the arms? Pick recipients, a second supplier, a window and years",
                    recipients=recipients, rival=rival, window=window, years=years)
