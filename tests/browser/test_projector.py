"""make present: the same Lab in projector size, from the projector profile's theme settings (jupyter_config/projector).

The notebook is opened in Lab started as ``make present`` starts it, and the rendered code, Markdown text and menu
bar are measured in Chromium: each must be at least the size the profile sets, and larger than in ``make lab``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import ARTEFACTS, PROJECTOR_SETTINGS

NOTEBOOK = "notebooks/01_history.ipynb"
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # plain CSS: also used in the page's own script
#: What is measured for each font size the profile sets.
MEASURED = {
    "code-font-size": f"{PANEL} .jp-CodeCell .cm-content",
    "content-font-size1": f"{PANEL} .jp-MarkdownCell .jp-RenderedMarkdown p",
    "ui-font-size1": ".lm-MenuBar-itemLabel",
}


def profile_sizes() -> dict[str, float]:
    theme = PROJECTOR_SETTINGS / "@jupyterlab" / "apputils-extension" / "themes.jupyterlab-settings"
    overrides = json.loads(theme.read_text())["overrides"]
    return {key: float(overrides[key].removesuffix("px")) for key in MEASURED}


def rendered_sizes(page: Page, lab, settled: dict[str, float] | None = None) -> dict[str, float]:
    """Font sizes in px of the first element of each MEASURED kind, once the notebook shows.

    The theme applies its settings after the page has drawn: with ``settled``, wait (up to 30 s) until the sizes
    reach it before measuring.
    """
    base, token = lab
    page.goto(f"{base}/lab/tree/{NOTEBOOK}?token={token}&reset")
    for selector in MEASURED.values():
        expect(page.locator(selector).first).to_be_visible(timeout=90_000)
    if settled:
        try:
            page.wait_for_function(
                # Lab re-renders while it applies the theme: an element missing for a moment means "not yet".
                """([selectors, sizes]) => selectors.every((s, i) => {
                    const element = document.querySelector(s);
                    return element !== null && parseFloat(getComputedStyle(element).fontSize) >= sizes[i];
                })""",
                arg=[list(MEASURED.values()), [settled[k] for k in MEASURED]],
                timeout=30_000,
            )
        except PlaywrightTimeout:
            pass  # measured and reported below
    else:
        page.wait_for_timeout(2_000)
    return {
        key: float(page.locator(selector).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
        for key, selector in MEASURED.items()
    }


def test_present_shows_code_text_and_menus_at_projector_size(page: Page, projector_lab, lab):
    wanted = profile_sizes()
    assert all(size >= 18 for size in wanted.values()), f"the projector profile's sizes are not large: {wanted}"
    projected = rendered_sizes(page, projector_lab, settled=wanted)
    ARTEFACTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "screenshots" / "present.png"))
    for key, size in wanted.items():
        assert projected[key] >= size, f"{key}: {projected[key]}px rendered, the projector profile sets {size}px"
    normal = rendered_sizes(page, lab)
    for key in wanted:
        assert projected[key] > normal[key], f"{key}: {projected[key]}px in make present, {normal[key]}px in make lab"


@pytest.mark.parametrize("key", list(MEASURED))
def test_profile_sets_theme_sizes_lab_knows(key):
    """Each key is one JupyterLab's theme settings define (a misspelt key would silently change nothing)."""
    schema = Path(sys.prefix) / "share/jupyter/lab/schemas/@jupyterlab/apputils-extension/themes.json"
    assert key in json.loads(schema.read_text())["definitions"]["cssOverrides"]["properties"]


# --------------------------------------------------------------------------------------------- figures and prompts

#: Smallest rendered size (px, at 1280x720 under make present) for each kind of figure text: tick labels and legends
#: as large as the slide text a room reads; titles larger; the source line may be smaller, it is read close up.
FIGURE_TEXT_MIN_PX = {"tick labels": 16.0, "legend": 16.0, "axis labels": 16.0, "title": 20.0, "source line": 13.0}


def figure_text_points() -> tuple[dict[str, float], float]:
    """The point size of each kind of figure text, and the PNG's dpi, as the kernel set-up makes them."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    from utils.read import plots

    plots.set_theme()
    rc = plt.rcParams

    def points(size) -> float:
        return font_manager.FontProperties(size=size).get_size_in_points()

    sizes = {
        "tick labels": min(points(rc["xtick.labelsize"]), points(rc["ytick.labelsize"])),
        "legend": points(rc["legend.fontsize"]),
        "axis labels": points(rc["axes.labelsize"]),
        "title": plots.TITLE_SIZE,
        "source line": plots.SOURCE_SIZE,
    }
    dpi = rc["savefig.dpi"] if rc["savefig.dpi"] != "figure" else rc["figure.dpi"]
    return sizes, float(dpi)


def test_present_shows_figure_text_code_and_prompts_readable_at_1280x720(browser, projector_lab):
    """A lesson Run All in make present's Lab, in a 1280x720 window: the text inside its figures, measured.

    A PNG's text has no font size the page can read: its size on screen is its size in points x dpi / 72, times the
    scale at which the page shows the image (rendered width / the PNG's own width), measured here for every figure.
    """
    from .test_widgets_in_lab import open_and_run_all

    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        panel = open_and_run_all(page, projector_lab, NOTEBOOK.removeprefix("notebooks/"))
        page.wait_for_timeout(1_000)
        images = panel.locator(".jp-OutputArea-output img")
        scales = [
            image.evaluate("e => e.getBoundingClientRect().width / e.naturalWidth")
            for image in images.all()
            if image.evaluate("e => e.naturalWidth > 0")
        ]
        assert len(scales) >= 3, f"only {len(scales)} figures rendered in {NOTEBOOK}"
        points, dpi = figure_text_points()
        smallest_scale = min(scales)
        rendered = {kind: round(size * dpi / 72 * smallest_scale, 1) for kind, size in points.items()}
        code = float(panel.locator(".jp-CodeCell .cm-content").first.evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)"))
        print(f"\nmake present at 1280x720: code {code}px; figure text (smallest of {len(scales)} figures, "
              f"shown at {smallest_scale:.2f}x): {rendered}")
        ARTEFACTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / "screenshots" / "present-figures.png"))
        for kind, minimum in FIGURE_TEXT_MIN_PX.items():
            assert rendered[kind] >= minimum, f"figure {kind}: {rendered[kind]}px on screen, at least {minimum}px wanted"
        # Execution prompts ("[12]:") show whole, not cut to "[1…".
        prompts = panel.locator(".jp-CodeCell .jp-InputPrompt")
        shown = [p for p in prompts.all() if p.is_visible() and p.inner_text().strip()]
        cut = [p.inner_text() for p in shown if p.evaluate("e => e.scrollWidth > e.clientWidth + 1")]
        # Lab renders only the cells near the view: after Run All those are the last, with two-digit counts.
        assert any(re.fullmatch(r"\[\d{2,}\]:", p.inner_text().strip()) for p in shown), \
            f"no two-digit execution prompt in view to measure: {[p.inner_text() for p in shown]}"
        assert not cut, f"{len(cut)} of {len(shown)} execution prompts are cut, e.g. {cut[:3]}"
    finally:
        context.close()
