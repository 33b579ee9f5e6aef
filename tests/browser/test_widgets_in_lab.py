"""Every notebook with an explorer, opened and run in JupyterLab in a real Chromium.

Checks that no cell shows an error, that every widget renders (no "Error displaying widget", no bare text repr),
and that changing each explorer's controls through the page redraws its figure. A screenshot of each notebook's
first explorer is kept in build/test-artifacts/screenshots/.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from utils import course

from .conftest import ARTEFACTS

PANEL = ".jp-NotebookPanel:visible"
EXPLORER = ".widget-vbox:has(> .widget-output)"


def widget_notebooks() -> list[str]:
    """Notebooks whose code builds an explorer with ipywidgets' ``interactive`` or ``interact``."""
    found = []
    for path in course.notebook_files():
        nb = json.loads(path.read_text(encoding="utf-8"))
        code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        if re.search(r"\b(?:widgets\.)?interact(?:ive)?\(", code):
            found.append(path.name)
    return found


def open_and_run_all(page: Page, lab, notebook: str):
    base, token = lab
    page.goto(f"{base}/lab/tree/notebooks/{notebook}?token={token}&reset")
    panel = page.locator(PANEL)
    expect(panel.locator(".jp-Cell").first).to_be_visible(timeout=90_000)
    # The status-bar kernel item says "Idle" only once a kernel is really connected (the toolbar says so earlier).
    expect(page.locator(".jp-StatusBar-TextItem[title^='Change kernel']")).to_have_text(
        re.compile(r"\| Idle$"), timeout=90_000
    )
    page.evaluate(
        """async () => {
            const app = window.jupyterapp;
            const panel = app.shell.currentWidget;
            await panel.sessionContext.ready;
            await app.commands.execute('notebook:run-all-cells');
        }"""
    )
    # Finished when every code cell has an execution count and the kernel is idle (read from the notebook model:
    # collapsed solution cells show no prompt text). Lab stops a run at the first error, so an error output also
    # ends the wait, and the caller reports it.
    try:
        page.wait_for_function(
            """() => {
                const panel = window.jupyterapp.shell.currentWidget;
                if (!panel || !panel.content || !panel.content.model) return false;
                if (document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden) [data-mime-type='application/vnd.jupyter.error']")) return true;
                const cells = panel.content.model.cells;
                for (let i = 0; i < cells.length; i++) {
                    const cell = cells.get(i);
                    if (cell.type === 'code' && (cell.executionCount === null || cell.executionCount === undefined)) return false;
                }
                const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
                return !!kernel && kernel.status === 'idle';
            }""",
            timeout=180_000,
            polling=500,
        )
    except Exception as timeout:
        ARTEFACTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / "screenshots" / f"FAILED-{notebook}.png"), full_page=True)
        raise AssertionError(f"{notebook}: Run All did not finish within 3 minutes") from timeout
    return panel


def image_source(explorer) -> str:
    images = explorer.locator(".widget-output img")
    expect(images.first).to_be_visible(timeout=60_000)
    return images.last.get_attribute("src") or ""


def change_control(control, page: Page) -> bool:
    """Change one control through the page, as a student would. False if the control cannot change."""
    classes = control.get_attribute("class") or ""
    if control.locator("select").count():
        select = control.locator("select").first
        options = select.evaluate("s => [...s.options].map(o => o.value)")
        if len(options) < 2:
            return False
        if select.get_attribute("multiple") is not None:
            current = select.evaluate("s => [...s.selectedOptions].map(o => o.value)")
            wanted = options[:1] if current != options[:1] else options[:2]
            select.select_option(wanted)
        else:
            current = select.evaluate("s => s.value")
            select.select_option(next(o for o in options if o != current))
        return True
    if "widget-slider" in classes or control.locator(".noUi-handle").count():
        handles = control.locator(".noUi-handle")
        readout = control.locator(".widget-readout")
        before = readout.first.inner_text() if readout.count() else ""
        for handle, key in ((handles.last, "ArrowLeft"), (handles.first, "ArrowRight")):
            handle.focus()
            handle.press(key)
            page.wait_for_timeout(200)
            if not readout.count() or readout.first.inner_text() != before:
                return True
        return False
    buttons = control.locator("button:not(.mod-active)")
    if "widget-toggle-buttons" in classes and buttons.count():
        buttons.first.click()
        return True
    if control.locator("input[type=checkbox]").count():
        control.locator("input[type=checkbox]").first.click()
        return True
    return False


@pytest.mark.parametrize("notebook", widget_notebooks())
def test_explorers_render_and_respond(page: Page, lab, notebook):
    panel = open_and_run_all(page, lab, notebook)

    errors = panel.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']")
    assert errors.count() == 0, f"{notebook}: a cell shows an error:\n{errors.first.inner_text()[:1500]}"
    text = panel.inner_text()
    assert "Error displaying widget" not in text, f"{notebook}: a widget failed to display"
    assert not re.search(r"\b(VBox|Explorer|HBox)\(children=", text), f"{notebook}: a widget shows as bare text"

    # As a student sees it after Run All: every self-check waits for an answer, and no worked solution is open.
    checks = panel.locator(".jp-OutputArea-output", has_text=re.compile(r"^(?:[✓✗…] )?Exercise \d+ — "))
    assert checks.count() >= 4, f"{notebook}: expected a self-check line per exercise, found {checks.count()}"
    for index in range(checks.count()):
        line = checks.nth(index).text_content() or ""  # cells out of view are in the page but not rendered
        assert "not answered yet" in line, f"{notebook}: after Run All a self-check says {line[:120]!r}"
    assert panel.locator("details[open]").count() == 0, f"{notebook}: a worked solution is open after Run All"

    explorers = panel.locator(EXPLORER)
    assert explorers.count() >= 1, f"{notebook}: no explorer rendered"
    ARTEFACTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)
    for index in range(explorers.count()):
        explorer = explorers.nth(index)
        explorer.scroll_into_view_if_needed()
        before = image_source(explorer)
        if index == 0:
            # The viewport with the explorer at its top: controls and figure, as the class sees them. (An element
            # screenshot of an explorer whose output is a long table would be taller than any screen.)
            # Lab keeps the active cell in view, so first make the explorer's cell the active one (a click on its
            # prompt selects it without touching the widgets), then scroll.
            cell = explorer.locator("xpath=ancestor::div[contains(@class, 'jp-CodeCell')][1]")
            cell.locator(".jp-InputPrompt").first.click()
            explorer.evaluate("element => element.scrollIntoView({block: 'start'})")
            page.wait_for_timeout(500)
            page.screenshot(path=str(ARTEFACTS / "screenshots" / f"{notebook.removesuffix('.ipynb')}.png"))
        controls = explorer.locator(
            ".widget-dropdown, .widget-select, .widget-select-multiple, .widget-slider, "
            ".widget-toggle-buttons, .widget-checkbox"
        )
        assert controls.count() >= 1, f"{notebook}: explorer {index + 1} has no controls"
        changed = 0
        for c in range(controls.count()):
            control = controls.nth(c)
            if not change_control(control, page):
                continue
            page.wait_for_function(
                "([el, old]) => { const imgs = el.querySelectorAll('.widget-output img');"
                " return imgs.length > 0 && imgs[imgs.length - 1].getAttribute('src') !== old; }",
                arg=[explorer.element_handle(), before],
                timeout=30_000,
            )
            after = image_source(explorer)
            assert after != before, f"{notebook}: explorer {index + 1}, control {c + 1} did not redraw the figure"
            before = after
            changed += 1
        assert changed >= 1, f"{notebook}: no control of explorer {index + 1} could be changed through the page"
    errors_after = panel.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']")
    assert errors_after.count() == 0, f"{notebook}: changing a control raised:\n{errors_after.first.inner_text()[:1500]}"
