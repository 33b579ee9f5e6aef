"""The headless executor finishes cells with widgets as soon as their reply arrives."""

import nbformat

from utils.tools.notebook_runner import run_notebook


def test_a_widget_cell_runs_and_keeps_its_outputs(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import ipywidgets as widgets\n"
        "widgets.interactive(lambda n: print(n * 2), n=widgets.IntSlider(value=3, min=1, max=5))"
    )])
    run_notebook(nb, tmp_path, timeout=60)
    data = nb.cells[0].outputs[-1]["data"]
    assert "application/vnd.jupyter.widget-view+json" in data

