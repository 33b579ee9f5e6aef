"""Every guard of the notebook hygiene suite fails on a notebook built to break it.

Each case copies a real lesson, checks that the guard passes on the copy, breaks the one thing the guard is about and
checks that the guard now fails. A new guard in tests/test_notebook_hygiene.py needs a case here (a test says so).
"""

from __future__ import annotations

import inspect
import json
import shutil
from pathlib import Path

import pytest

import test_notebook_hygiene as hygiene
from utils.tools import cell_roles

#: A lesson that every guard applies to (it has exercises, seaborn figures, author checks and an explorer).
LESSON = hygiene.NOTEBOOKS_DIR / "03_military_spending.ipynb"
#: Guards that take no notebook, so there is nothing to break.
NOT_PER_NOTEBOOK = {"test_there_are_notebooks"}


def _code(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def _tagged(nb: dict, tag: str) -> list[dict]:
    return [c for c in nb["cells"] if tag in cell_roles.tags_of(c)]


def _add_code(nb: dict, source: str) -> None:
    nb["cells"].append({"cell_type": "code", "execution_count": None, "id": "broken", "metadata": {}, "outputs": [],
                        "source": source})


def _add_markdown(nb: dict, source: str) -> None:
    nb["cells"].append({"cell_type": "markdown", "id": "broken", "metadata": {}, "source": source})


def _with_outputs(nb):
    cell = _code(nb)[0]
    cell["execution_count"] = 1
    cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "run\n"}]


def _rename_heading(nb):
    for cell in nb["cells"]:
        cell["source"] = "".join(cell["source"]).replace("## Key points", "## Summary")


def _drop_a_self_check(nb):
    nb["cells"].remove(_tagged(nb, cell_roles.SELF_CHECK_TAG)[0])


def _no_seaborn(nb):
    for cell in _code(nb):
        cell["source"] = "".join(cell["source"]).replace("sns.", "draw_chart_")


def _untag_an_author_check(nb):
    cell = _tagged(nb, cell_roles.AUTHOR_CHECK_TAG)[0]
    cell["metadata"] = {}


#: Guard (test function name in tests/test_notebook_hygiene.py) -> how to break a notebook for it.
BREAKERS = {
    "test_stored_without_outputs": _with_outputs,
    "test_python3_kernelspec": lambda nb: nb["metadata"]["kernelspec"].update(name="python2"),
    "test_one_title_and_the_anatomy_headings_in_order": _rename_heading,
    "test_no_literal_paths_and_no_installs": lambda nb: _add_code(nb, 'pd.read_csv("../data/milex.csv")'),
    "test_exercises_have_an_answer_cell_a_self_check_and_a_folded_solution_that_never_runs": _drop_a_self_check,
    "test_markdown_has_no_maths_dollar_and_no_internal_names": lambda nb: _add_markdown(nb, "It cost $5 billion."),
    "test_code_and_worked_solutions_have_no_internal_names": lambda nb: _add_code(nb, "# from the seed article\nx = 1"),
    "test_markdown_building_code_is_at_most_a_tenth_of_the_code":
        lambda nb: _add_code(nb, "\n".join(f'display(HTML("<p>line {n}</p>"))' for n in range(400))),
    "test_figures_are_drawn_with_seaborn_in_the_notebook": _no_seaborn,
    "test_author_checks_self_checks_and_explorer_set_ups_are_tagged_and_collapsed": _untag_an_author_check,
}


def test_every_guard_has_a_case_that_breaks_it():
    guards = {name for name, _ in inspect.getmembers(hygiene, inspect.isfunction) if name.startswith("test_")}
    assert guards - NOT_PER_NOTEBOOK == set(BREAKERS), "add a case for each new hygiene guard to BREAKERS"


@pytest.mark.parametrize("guard", sorted(BREAKERS))
def test_guard_passes_on_a_lesson_and_fails_on_it_broken(guard, tmp_path):
    check = getattr(hygiene, guard)
    copy = tmp_path / LESSON.name
    shutil.copyfile(LESSON, copy)
    check(copy)  # the lesson as it is passes: what fails below is the breakage

    nb = json.loads(copy.read_text(encoding="utf-8"))
    BREAKERS[guard](nb)
    copy.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    with pytest.raises(AssertionError):
        check(copy)
