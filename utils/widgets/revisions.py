"""The release-comparison explorer of notebook 08: pick a state and a measure, see how two releases differ.

A thin factory over :mod:`utils.plots.revisions`: the comparisons of the two editions are computed once when the
explorer is built (:func:`utils.plots.revisions.revision_views`), so a redraw only selects rows and draws.
"""

from __future__ import annotations

from typing import Sequence

import ipywidgets as widgets
import pandas as pd

from utils.countries import COUNTRY_NAMES, CSTO_MEMBERS
from utils.plots import revisions as revision_plots
from utils.widgets import Explorer, explorer


def release_explorer(
    milex: pd.DataFrame | None = None,
    old: str | None = None,
    new: str | None = None,
    old_label: str | None = None,
    new_label: str | None = None,
    members: Sequence[str] = CSTO_MEMBERS,
    source_ids: tuple[str, ...] = (),
) -> Explorer:
    """Dropdowns for the state and the measure; the figure shows both releases and the revision between them.

    ``milex`` defaults to the ``milex`` table, ``new`` to its newest edition and ``old`` to the other one
    (:func:`utils.metrics.milex_editions`). Only states with years in both releases under every measure are offered
    (the members: the share measure exists for them alone).
    """
    from utils import metrics

    if milex is None:
        from utils import data

        milex = data.load("milex")
    editions = list(metrics.milex_editions(milex)["edition"])
    new = new or editions[0]
    old = old or next(e for e in editions if e != new)
    views = revision_plots.revision_views(milex, old, new, members)
    # Only states every measure covers, so that switching the measure never leaves the figure empty.
    covered = [set(view.comparison["iso3"]) for view in views.values()]
    states = sorted(set.intersection(*covered), key=lambda code: COUNTRY_NAMES.get(code, code))

    def draw(iso3: str, measure: str):
        view = views[measure]
        if iso3 not in set(view.comparison["iso3"]):
            return f"{COUNTRY_NAMES.get(iso3, iso3)} has no year in both releases for this measure."
        older = (old_label or old) + (" (converted to the newer prices)" if view.converted else "")
        return revision_plots.plot_release_comparison(
            view.comparison, iso3, older, new_label or new, unit=view.unit, in_points=view.in_points,
            threshold=view.threshold, source_ids=source_ids,
        )

    return explorer(
        draw,
        f"Compare two releases: {old_label or old} and {new_label or new}",
        iso3=widgets.Dropdown(
            options=[(COUNTRY_NAMES.get(code, code), code) for code in states],
            value="RUS" if "RUS" in states else states[0],
            description="State",
        ),
        measure=widgets.Dropdown(
            options=list(views), value=next(iter(views)), description="Measure", layout=widgets.Layout(width="380px")
        ),
    )
