"""Lesson 08 followed as a student would, in JupyterLab: Run All, then the lesson's terminal commands typed in a Lab
terminal, then the notebook's refresh cells run again and Run All once more, and the terminal round a second time.

The lesson keeps its practice release and data copy in ``build/lesson08`` under the folder Lab serves
(:func:`utils.write.practice.workspace`; the repository under ``make lab``) and nothing deletes them, so the steps
work in any order, again and again. What the terminal prints is captured into files beside the practice release,
where the test reads it.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from .test_widgets_in_lab import open_and_run_all

NOTEBOOK = "08_updating_the_data.ipynb"
RELEASE = "build/lesson08/practice-milex-release.xlsx"
#: The two commands exactly as the lesson shows them (sections 3 and 4), typed in the folder Lab serves.
DRY_RUN = f"python -m utils.write.refresh milex {RELEASE} --dry-run"
INSTALL = f"python -m utils.write.refresh milex {RELEASE} --data-dir build/lesson08/data"
#: The notebook's cells that write the release, run the refresh and edit the copy, found by how their code starts
#: (after any comment lines).
REFRESH_CELLS = ["workspace = practice.workspace()", "status, report = practice.run_refresh",
                 "copy_dir = practice.data_copy", "refreshed = data.load", "events = data.load",
                 "tables.record", "events_file ="]

NOTEBOOK_PANEL = """(path) => [...window.jupyterapp.shell.widgets('main')].find(
    w => w.context && w.context.path.endsWith(path))"""

#: Run the cells that start with each given text, one after the other; return each one's outputs.
RUN_CELLS = """async ([path, starts]) => {
    const app = window.jupyterapp;
    const panel = (%s)(path);
    app.shell.activateById(panel.id);
    await panel.sessionContext.ready;
    const cells = panel.content.model.cells;
    const results = [];
    for (const start of starts) {
        let index = -1;
        for (let i = 0; i < cells.length && index < 0; i++) {
            // The code's first statement: comment lines above it do not count.
            const code = cells.get(i).sharedModel.getSource().replace(/^(\\s*#[^\\n]*\\n)*\\s*/, '');
            if (cells.get(i).type === 'code' && code.startsWith(start)) index = i;
        }
        if (index >= 0) {
            panel.content.activeCellIndex = index;
            await app.commands.execute('notebook:run-cell');
        }
        results.push({start, index, outputs: index >= 0 ? cells.get(index).outputs.toJSON() : []});
    }
    return results;
}""" % NOTEBOOK_PANEL

#: Run All and wait for it; return every error output (ename: evalue).
RUN_ALL = """async (path) => {
    const app = window.jupyterapp;
    const panel = (%s)(path);
    app.shell.activateById(panel.id);
    await panel.sessionContext.ready;
    await app.commands.execute('notebook:run-all-cells');
    const errors = [];
    const cells = panel.content.model.cells;
    for (let i = 0; i < cells.length; i++) {
        if (cells.get(i).type !== 'code') continue;
        for (const output of cells.get(i).outputs.toJSON()) {
            if (output.output_type === 'error') errors.push(`cell ${i}: ${output.ename}: ${output.evalue}`);
        }
    }
    return errors;
}""" % NOTEBOOK_PANEL

#: What a statement prints in the notebook's kernel.
KERNEL_PRINTS = """async ([path, code]) => {
    const panel = (%s)(path);
    const future = panel.sessionContext.session.kernel.requestExecute({code});
    let printed = '';
    future.onIOPub = message => { if (message.header.msg_type === 'stream') printed += message.content.text; };
    await future.done;
    return printed;
}""" % NOTEBOOK_PANEL


def type_in_terminal(page: Page, terminal: str, served: Path, command: str, name: str,
                     timeout_s: float = 300) -> tuple[int, str]:
    """Type ``command`` in the Lab terminal whose tab has the id ``terminal``; return its exit status and what it
    printed (captured to files)."""
    output, status = served / "build" / "lesson08" / f"{name}.out", served / "build" / "lesson08" / f"{name}.status"
    page.evaluate("(id) => window.jupyterapp.shell.activateById(id)", terminal)
    page.locator(f"#{terminal} .jp-Terminal").click()
    page.keyboard.type(f"{command} > build/lesson08/{name}.out 2>&1; echo $? > build/lesson08/{name}.status\n")
    for _ in range(int(timeout_s * 2)):
        if status.exists() and status.read_text().strip():
            return int(status.read_text()), output.read_text()
        page.wait_for_timeout(500)
    raise AssertionError(f"the terminal command did not finish within {timeout_s:.0f} s: {command}")


def run_refresh_cells_again(page: Page) -> None:
    results = page.evaluate(RUN_CELLS, [NOTEBOOK, REFRESH_CELLS])
    for result in results:
        assert result["index"] >= 0, f"no code cell of {NOTEBOOK} starts with {result['start']!r}"
        errors = [o for o in result["outputs"] if o.get("output_type") == "error"]
        assert not errors, f"running {result['start']!r} again failed: {errors[0]['ename']}: {errors[0]['evalue']}"
    printed = {r["start"]: "".join(o.get("text", "") for o in r["outputs"]) for r in results}
    assert "exit status 0" in printed["status, report = practice.run_refresh"], printed
    assert printed["copy_dir = practice.data_copy"].startswith("exit status 0"), printed


def test_lesson_08_in_the_notebook_and_a_terminal_twice(page: Page, lab):
    panel = open_and_run_all(page, lab, NOTEBOOK)
    errors = panel.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']")
    assert errors.count() == 0, f"Run All of {NOTEBOOK} shows an error:\n{errors.first.inner_text()[:1500]}"
    workspace = Path(page.evaluate(KERNEL_PRINTS, [NOTEBOOK, "print(workspace)"]).strip())
    served = workspace.parent.parent
    assert workspace == served / "build" / "lesson08", f"the practice files are in {workspace}, not in build/lesson08"
    assert (served / RELEASE).is_file(), f"after Run All there is no {RELEASE}"

    terminal = page.evaluate("async () => (await window.jupyterapp.commands.execute('terminal:create-new')).id")
    expect(page.locator(f"#{terminal} .xterm-screen")).to_be_visible(timeout=60_000)
    page.wait_for_timeout(2000)  # the shell's first prompt
    page.locator(f"#{terminal} .jp-Terminal").click()
    page.keyboard.type(f"cd '{served}'\n")  # the folder Lab serves, where a new terminal starts (make lab: the repository)

    for round_number in (1, 2):
        status, printed = type_in_terminal(page, terminal, served, DRY_RUN, f"dry-run-{round_number}")
        assert status == 0, f"round {round_number}: `{DRY_RUN}` exited {status}:\n{printed[-1500:]}"
        assert "Revised values by country" in printed, f"round {round_number}: no change report:\n{printed[-1500:]}"
        status, printed = type_in_terminal(page, terminal, served, INSTALL, f"install-{round_number}")
        assert status == 0, f"round {round_number}: `{INSTALL}` exited {status}:\n{printed[-1500:]}"
        run_refresh_cells_again(page)
        errors_of_run_all = page.evaluate(RUN_ALL, NOTEBOOK)
        assert not errors_of_run_all, f"round {round_number}: Run All after the terminal steps: {errors_of_run_all}"
    assert (served / RELEASE).is_file() and (served / "build/lesson08/data/milex.csv").is_file()
