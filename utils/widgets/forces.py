"""Explorers for notebook 02 (force structure): national personnel by state, years and series.

A thin factory over :func:`utils.plots.forces.personnel_lines`: the table is loaded once, the controls are bounded
by the states, years and series present in it, and each redraw only filters in memory.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from utils import data
from utils.countries import CSTO_MEMBERS, name_of
from utils.plots import forces
from utils.widgets import Explorer, explorer, year_range_slider


def personnel_explorer(personnel: pd.DataFrame | None = None) -> Explorer:
    """Active personnel per state: choose the states, the years, the series and the scale."""
    personnel = data.load("personnel") if personnel is None else personnel
    present = sorted(personnel["country"].dropna().unique(), key=name_of)
    default = [c for c in CSTO_MEMBERS if c in present] or present[:1]
    series_present = [s for s in forces.SERIES_STYLE if s in set(personnel["source_id"])]
    series_options = [("Both series", tuple(series_present))] if len(series_present) > 1 else []
    series_options += [(forces.SERIES_STYLE[s]["label"], (s,)) for s in series_present]
    first, last = int(personnel["year"].min()), int(personnel["year"].max())

    states = widgets.SelectMultiple(options=[(name_of(c), c) for c in present], value=default, rows=min(len(present), 6),
                                    description="States")
    years = year_range_slider(first, last)
    series = widgets.Dropdown(options=series_options, value=series_options[0][1], description="Series")
    log = widgets.Checkbox(value=True, description="Log scale")

    def draw(states: tuple[str, ...], years: tuple[int, int], series: tuple[str, ...], log: bool):
        if not states:
            return widgets.HTML("<i>Pick at least one state (Ctrl- or Cmd-click to pick several).</i>")
        try:
            return forces.personnel_lines(personnel, countries=list(states), years=years, series=series, log=log)
        except ValueError:
            names = ", ".join(name_of(s) for s in states)
            return widgets.HTML(f"<i>No figures for {names} in {years[0]}–{years[1]} in this series: widen the years.</i>")

    return explorer(draw, "Armed forces personnel: states, years, series", states=states, years=years, series=series, log=log)
