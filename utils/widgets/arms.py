"""Explorer for notebook 04: who supplied a state's major arms over a chosen window of years (SIPRI TIV).

The factory receives the ``arms_transfers`` table once; each redraw calls the pure
:func:`utils.plots.arms.plot_supplier_breakdown`, whose title states the supplier's share for the window
(computed by :func:`utils.metrics.supplier_breakdown`).
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from utils import data
from utils.countries import TREATY_PARTIES
from utils.plots import arms
from utils.widgets import Explorer, explorer, year_range_slider


def arms_explorer(
    transfers: pd.DataFrame | None = None,
    recipient: str = "ARM",
    years: tuple[int, int] | None = None,
    highlight: str = "RUS",
    edition: str | None = None,
) -> Explorer:
    """Pick a recipient and a window of delivery years; the figure shows every supplier's share of the TIV.

    Shares are computed on the whole table, or on one ``edition`` (export) of it, as :mod:`utils.metrics` does;
    the slider is bounded by those rows' first and last years and the recipient menu lists the states that
    received deliveries in them.
    """
    if transfers is None:
        transfers = data.load("arms_transfers")
    rows = arms.rows_of(transfers, edition)
    present = set(rows["recipient"])
    codes = [c for c in TREATY_PARTIES if c in present] + sorted(present - set(TREATY_PARTIES))
    first, last = arms.edition_years(rows)
    if years is not None:
        years = (max(first, years[0]), min(last, years[1]))

    recipient_menu = widgets.Dropdown(
        options=[(arms.name(c), c) for c in codes], value=recipient if recipient in codes else codes[0],
        description="Recipient",
    )
    year_slider = year_range_slider(first, last, value=years or (first, last), description="Delivered")

    def draw(recipient: str, years: tuple[int, int]):
        return arms.plot_supplier_breakdown(rows, recipient, tuple(years), highlight=highlight)

    return explorer(draw, "Who supplied the major arms? (share of SIPRI TIV over the window)",
                    recipient=recipient_menu, years=year_slider)
