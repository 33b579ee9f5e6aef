"""Explorers for the notebooks: thin ipywidgets factories over the pure functions in ``utils.plots``.

Each factory returns an :class:`Explorer` -- a VBox of bounded controls above an output area -- built with
:func:`explorer`. Controls are limited to values present in the data (sliders bounded by the years available,
dropdowns listing what exists), so no setting can break a live demonstration. Each explorer is preceded in the
notebooks by a static figure of the same plot function, so exports and handouts still show the figure.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import display


class Explorer(widgets.VBox):
    """A VBox with named ``controls`` and the ``output`` area the figure is drawn into.

    ``redraw()`` draws the figure for the controls' current values; changing any control calls it.
    The benchmark and the tests drive explorers through ``controls`` without a browser.
    """

    def __init__(self, draw: Callable[..., Any], controls: Mapping[str, widgets.Widget], description: str = ""):
        self.draw = draw
        self.controls = dict(controls)
        self.output = widgets.Output(layout=widgets.Layout(min_height="320px"))
        header = [widgets.HTML(f"<b>{description}</b>")] if description else []
        control_row = widgets.HBox(list(self.controls.values()), layout=widgets.Layout(flex_flow="row wrap"))
        super().__init__(children=[*header, control_row, self.output])
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.redraw()

    def values(self) -> dict[str, Any]:
        return {name: control.value for name, control in self.controls.items()}

    def _on_change(self, _change: dict) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Clear the output and draw the figure (and any text the draw function returns) again."""
        with self.output:
            self.output.clear_output(wait=True)
            result = self.draw(**self.values())
            figures = result if isinstance(result, (list, tuple)) else [result]
            for item in figures:
                if isinstance(item, plt.Figure):
                    display(item)
                    plt.close(item)  # closed, so the figure is not shown a second time by the inline backend
                elif item is not None:
                    display(item)


def explorer(draw: Callable[..., Any], description: str = "", **controls: widgets.Widget) -> Explorer:
    """Build an :class:`Explorer` whose ``draw(**values)`` returns a Figure (or a list of Figures / text)."""
    return Explorer(draw, controls, description)


def year_range_slider(first: int, last: int, value: tuple[int, int] | None = None, description: str = "Years") -> widgets.IntRangeSlider:
    """A year-range slider bounded by the years present in the data."""
    return widgets.IntRangeSlider(
        value=value or (first, last),
        min=first,
        max=last,
        step=1,
        description=description,
        continuous_update=False,  # redraw when the handle is released, not at every pixel
        layout=widgets.Layout(width="420px"),
    )
