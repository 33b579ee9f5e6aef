"""Each lesson executed once per test run, and shared by every test that reads it.

Executing a notebook is most of what the suite spends, so each way of running a lesson happens once per run, whichever
test needs it first, and is kept as a file in a folder shared by all pytest-xdist workers (``conftest.py`` makes the
folder and names it in ``CSTO_EXECUTED_NOTEBOOKS``; a worker that needs a run another worker is making waits for it
on a file lock). Two ways:

- :func:`as_stored`: the notebook as a student opens it, Run All in a fresh kernel, run as ``make html`` runs it
  (figures carry their data for the site), so that the exercise tests, the output checks and the site build all read
  the same run;
- :func:`drilled`: every exercise answered in turn as the tests need it: its answer cell as stored, then each
  plausible wrong answer of ``tests/exercise_cases/``, then the worked solution, each followed by a copy of the
  exercise's self-check. One run proves the three states of every self-check; the later exercises see the solved
  state, as a student who solved the earlier ones would.

nbval's own run (``--nbval-lax``) stays separate: it is the check that the notebooks execute as stored.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import nbformat
from filelock import FileLock

from exercise_cases import WRONG_ANSWERS
from utils.tools import site
from utils.tools.notebook_runner import run_notebook

#: The folder shared by the processes of one test run (``conftest.py`` makes it).
FOLDER_ENV = "CSTO_EXECUTED_NOTEBOOKS"

CHECK_CALL = re.compile(r"""selfcheck\.check\(\s*["']([^"']+)["']""")
FENCED_PYTHON = re.compile(r"```python\n(.*?)```", re.DOTALL)

#: The role of each drilled copy of an answer, kept in the answer cell's metadata (``csto_drill``).
STORED, WRONG, SOLUTION = "stored", "wrong", "solution"


def tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def exercises(nb) -> list[dict]:
    """One entry per exercise: the answer cell's index, the exercise's name and the solution's code."""
    found = []
    cells = nb.cells
    for index, cell in enumerate(cells):
        if "answer" not in tags(cell):
            continue
        later = cells[index + 1:]
        check = next((c for c in later if "self-check" in tags(c)), None)
        solution = next((c for c in later if "solution" in tags(c)), None)
        assert check is not None and solution is not None, f"answer cell {index} has no self-check or solution after it"
        name = CHECK_CALL.search(check.source)
        code = FENCED_PYTHON.search(solution.source)
        assert name and code, f"answer cell {index}: self-check must call selfcheck.check('Exercise N', ...), " \
                              "the solution must hold a ```python block"
        assert cells[index + 1] is check, f"answer cell {index}: its self-check must follow it directly"
        found.append({"index": index, "name": name.group(1), "solution": code.group(1)})
    return found


def _folder() -> Path:
    folder = os.environ.get(FOLDER_ENV)
    if not folder:  # a test module run on its own, outside conftest's set-up: keep the runs for this process
        folder = os.environ[FOLDER_ENV] = tempfile.mkdtemp(prefix="csto-executed-")
    return Path(folder)


def _shared_run(path: Path, way: str, build) -> nbformat.NotebookNode:
    """The notebook ``build()`` returns, executed once per test run and read back by every later caller."""
    target = _folder() / f"{path.stem}.{way}.ipynb"
    with FileLock(f"{target}.lock"):
        if not target.exists():
            nb = build()
            with site.figure_data_in_kernels():  # as make html runs them, so that the site can be built from these
                run_notebook(nb, path.parent, timeout=300)
            partial = target.with_suffix(".partial")
            nbformat.write(nb, partial)
            partial.replace(target)
    return nbformat.read(target, as_version=4)


def as_stored(path: Path) -> nbformat.NotebookNode:
    """``path`` after Run All, as a student who has answered nothing sees it."""
    return _shared_run(path, "stored", lambda: nbformat.read(path, as_version=4))


def _drill_notebook(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    cases = WRONG_ANSWERS.get(path.name, {})
    cells = []
    answers = {exercise["index"]: exercise for exercise in exercises(nb)}
    for index, cell in enumerate(nb.cells):
        exercise = answers.get(index - 1) if index else None
        if index in answers:
            continue  # written below, with its self-check
        if exercise is None:
            cells.append(cell)
            continue
        check, answer = cell, nb.cells[index - 1]
        attempts = [(STORED, answer.source)] + [(WRONG, code) for code in cases.get(exercise["name"], [])]
        attempts.append((SOLUTION, exercise["solution"]))
        for role, code in attempts:
            attempt = nbformat.v4.new_code_cell(code, metadata={"tags": ["answer"], "csto_drill": role})
            cells += [attempt, nbformat.v4.new_code_cell(check.source, metadata={"tags": ["self-check"]})]
    nb.cells = cells
    return nb


def drilled(path: Path) -> nbformat.NotebookNode:
    """``path`` with every exercise answered as stored, wrongly in each plausible way, then rightly (see above)."""
    return _shared_run(path, "drilled", lambda: _drill_notebook(path))


def check_line(cell) -> str:
    """What a self-check cell showed, after its state's symbol: ``"Exercise 2 — not right yet: ..."`` → its verdict."""
    text = "".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in cell.get("outputs", []))
    for line in text.splitlines():
        match = re.match(r"(?:[✓✗…] )?(.+?) — (.*)", line)
        if match:
            return match.group(2)
    return ""


def attempts(nb) -> list[dict]:
    """Each drilled answer: its exercise's name, its role (stored, wrong, solution), its code, its cell's outputs and
    the verdict its self-check showed."""
    found = []
    for index, cell in enumerate(nb.cells):
        role = cell.get("metadata", {}).get("csto_drill")
        if role is None:
            continue
        check = nb.cells[index + 1]
        name = CHECK_CALL.search(check.source).group(1)
        found.append({"name": name, "role": role, "code": cell.source, "outputs": cell.get("outputs", []),
                      "verdict": check_line(check)})
    return found
