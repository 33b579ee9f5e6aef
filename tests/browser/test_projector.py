"""make present: the same Lab in projector size, from the projector profile's theme settings (jupyter_config/projector).

The notebook is opened in Lab started as ``make present`` starts it, and the rendered code, Markdown text and menu
bar are measured in Chromium: each must be at least the size the profile sets, and larger than in ``make lab``.
"""

from __future__ import annotations

import json
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
