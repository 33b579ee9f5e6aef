"""Explorer for notebook 03: military expenditure of chosen states, measure and years (SIPRI).

The factory receives the ``milex`` table once; every redraw only filters it and calls the pure
:func:`utils.plots.spending.plot_levels`, so moving a control redraws in a fraction of a second.
"""

from __future__ import annotations

from typing import Sequence

import ipywidgets as widgets
import pandas as pd
from IPython.display import Markdown

from utils import data
from utils.countries import CSTO_MEMBERS, TREATY_PARTIES, name_of
from utils.plots import spending
from utils.widgets import Explorer, explorer, year_range_slider


def spending_explorer(
    milex: pd.DataFrame | None = None,
    edition: str | None = None,
    states: Sequence[str] = CSTO_MEMBERS,
    measure: str | None = None,
    years: tuple[int, int] | None = None,
) -> Explorer:
    """Pick a measure, states and a year range; the figure is :func:`~utils.plots.spending.plot_levels`.

    Controls are bounded by the data: the measures of ``edition`` (the newest release by default), the
    treaty parties that have values in it, and the years it covers.
    """
    if milex is None:
        milex = data.load("milex")
    edition = edition or spending.newest_edition(milex)
    table = milex[(milex["edition"] == edition) & milex["value"].notna()]  # filtered once, not at every redraw
    present = set(table["iso3"])
    codes = [c for c in TREATY_PARTIES if c in present]
    first, last = int(table["year"].min()), int(table["year"].max())
    measure = measure or spending.constant_measure(table, edition)

    measure_menu = widgets.Dropdown(
        options=[(spending.measure_title(m).capitalize(), m) for m in spending.measures(table, edition)],
        value=measure, description="Measure", layout=widgets.Layout(width="360px"),
    )
    state_picker = widgets.SelectMultiple(
        options=[(name_of(c), c) for c in codes],
        value=tuple(c for c in states if c in codes),
        description="States", rows=min(len(codes), 9), layout=widgets.Layout(width="240px"),
    )
    year_slider = year_range_slider(first, last, value=years or (first, last))
    log_box = widgets.Checkbox(value=True, description="Log scale (money measures)", indent=False)

    def draw(measure: str, states: tuple[str, ...], years: tuple[int, int], log: bool):
        if not states:
            return Markdown("Pick at least one state (hold Ctrl or Cmd to pick several).")
        try:
            return spending.plot_levels(table, measure, list(states), tuple(years), edition=edition, log=log)
        except ValueError:
            return Markdown(f"SIPRI has no values of this measure for the chosen states in {years[0]}–{years[1]}.")

    return explorer(
        draw,
        f"Military expenditure, {spending.edition_label(edition)} of the SIPRI database",
        measure=measure_menu, states=state_picker, years=year_slider, log=log_box,
    )
