"""The claims-ledger explorer of notebook 07: filter the ledger by seed, topic and verdict.

A thin factory over :mod:`utils.plots.ledger`: the ledger is loaded once, each redraw only filters it, draws the
verdict counts of the matching claims and lists them as an HTML table.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
from IPython.display import HTML

from utils.plots import ledger as ledger_plots
from utils.widgets import Explorer, explorer


def _dropdown(values: pd.Series, description: str, order: list[str] | None = None) -> widgets.Dropdown:
    """A dropdown of the values present (plus "(all)"), so no choice can select something that does not exist."""
    present = [str(v) for v in values.dropna().unique()]
    options = [v for v in order if v in present] if order else sorted(present)
    return widgets.Dropdown(
        options=[ledger_plots.ALL, *options],
        value=ledger_plots.ALL,
        description=description,
        layout=widgets.Layout(width="300px"),
    )


def ledger_explorer(
    claims: pd.DataFrame | None = None, source_ids: tuple[str, ...] = (), note: str | None = None
) -> Explorer:
    """Dropdowns for seed, topic and verdict over the ``claims`` table (loaded once if not given).

    The output shows how many claims match with their verdicts (a figure) and the matching claims (a table).
    ``source_ids`` and ``note`` go to the figure's source line.
    """
    if claims is None:
        from utils import data

        claims = data.load("claims")

    def draw(seed: str, topic: str, verdict: str):
        subset = ledger_plots.filter_ledger(claims, seed, topic, verdict)
        figure = ledger_plots.plot_filtered_verdicts(claims, seed, topic, verdict, source_ids=source_ids, note=note)
        return [figure, HTML(ledger_plots.ledger_html(subset))]

    return explorer(
        draw,
        "Filter the claims ledger",
        seed=_dropdown(claims["seed"], "Seed"),
        topic=_dropdown(claims["topic"], "Topic"),
        verdict=_dropdown(claims["verdict"], "Verdict", order=list(ledger_plots.VERDICTS)),
    )
