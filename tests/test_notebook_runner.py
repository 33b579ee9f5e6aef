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



def test_the_site_executor_waits_in_slices_on_both_channels(tmp_path, monkeypatch):
    """nbconvert's preprocess starts its kernel client through nbclient's synchronous path, which once skipped the
    override: the site was built with nbclient's long waits, and stalled."""
    from utils.tools import notebook_runner, publish

    sliced = []
    wrap = notebook_runner.wait_in_slices
    monkeypatch.setattr(notebook_runner, "wait_in_slices", lambda channel, name, log: (sliced.append(name), wrap(channel, name, log)))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    publish.Executor(timeout=60, kernel_name="python3").preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    assert sorted(sliced) == ["iopub", "shell"]
    assert nb.cells[0].outputs[0]["text"] == "42\n"


def test_message_log_has_a_line_per_message(tmp_path, monkeypatch):
    from utils.tools import notebook_runner

    log = tmp_path / "messages.tsv"
    monkeypatch.setenv(notebook_runner.MESSAGE_LOG_ENV, str(log))
    run_notebook(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")]), tmp_path, timeout=60)
    kinds = {(line.split("\t")[2], line.split("\t")[3]) for line in log.read_text().splitlines()}
    assert {("shell", "execute_reply"), ("iopub", "stream"), ("iopub", "status")} <= kinds
