"""Explorers for the notebooks: thin ipywidgets factories over the pure functions in ``utils.plots``.

Each factory returns a ready-to-display widget whose controls are bounded (sliders limited to the years in the
data, dropdowns to the values present) so that no setting can break a live demonstration. Topic modules
(``utils.widgets.spending`` ...) hold the factories; the helpers below keep them uniform.
"""
