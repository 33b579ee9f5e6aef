"""Every exercise's self-check in its three states, and what a student sees after Run All.

Each lesson notebook is executed (with nbclient, in a fresh kernel) three ways:

1. as stored, unanswered: every self-check prints "not answered yet", nothing raises, no solution output appears;
   the same run checks the outputs a student sees (no long tables, no ``$`` left to be read as maths, no internal
   file names, no numpy scalar reprs such as ``np.int64(7)``);
2. with each answer cell replaced by the worked solution from the folded ``<details>`` block: every check is right,
   and what the solution displays reads naturally (no numpy scalar reprs);
3. with each answer cell replaced by a plausible wrong answer (``tests/exercise_cases.py``): every check says
   "not right yet" with a hint.

Exercise anatomy (checked by the hygiene tests): an answer cell tagged ``answer``, a self-check cell tagged
``self-check`` calling ``selfcheck.check("Exercise N", ...)``, and a Markdown cell tagged ``solution`` holding the
worked solution as a fenced ``python`` block inside ``<details>``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import nbformat
import pytest

from utils.tools.notebook_runner import run_notebook
from utils.paths import NOTEBOOKS_DIR
from utils.read.selfcheck import NOT_ANSWERED, RIGHT, WRONG

from exercise_cases import WRONG_ANSWERS
from helpers import INTERNAL_WORDS

LESSONS = sorted(p for p in NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb") if not p.name.startswith("00_"))
IDS = [p.name for p in LESSONS]

CHECK_CALL = re.compile(r"""selfcheck\.check\(\s*["']([^"']+)["']""")
FENCED_PYTHON = re.compile(r"```python\n(.*?)```", re.DOTALL)
MAX_TABLE_ROWS = 25
UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")
#: How numpy 2 prints a scalar inside a tuple, list or dict (``np.int64(7)``, ``np.float64(0.5)``, ``np.True_``).
#: A student should read 7: wrap the value in int() or float(), or print it with an f-string.
NUMPY_SCALAR = re.compile(r"\bnp\.(?:(?:u?int|float|complex)\d*|bool_?|str_)\(|\bnp\.(?:True|False)_")


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
        found.append({"index": index, "name": name.group(1), "solution": code.group(1)})
    return found


@lru_cache(maxsize=None)
def executed(path: Path, variant: str, wrong_index: int = 0):
    """The notebook executed with its answer cells as stored, solved, or answered wrongly."""
    nb = nbformat.read(path, as_version=4)
    for exercise in exercises(nb):
        if variant == "solution":
            nb.cells[exercise["index"]].source = exercise["solution"]
        elif variant == "wrong":
            wrong = WRONG_ANSWERS.get(path.name, {}).get(exercise["name"], [])
            if wrong_index < len(wrong):
                nb.cells[exercise["index"]].source = wrong[wrong_index]
    return run_notebook(nb, NOTEBOOKS_DIR)


def check_lines(nb) -> dict[str, str]:
    """Exercise name -> the line its self-check showed (the plain-text form, after the state's symbol)."""
    lines = {}
    for cell in nb.cells:
        if "self-check" not in tags(cell):
            continue
        text = "".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in cell.get("outputs", []))
        for line in text.splitlines():
            match = re.match(r"(?:[✓✗…] )?(.+?) — (.*)", line)
            if match:
                lines[match.group(1)] = match.group(2)
    return lines


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_every_lesson_has_at_least_four_exercises_each_with_a_wrong_answer_case(path):
    found = exercises(nbformat.read(path, as_version=4))
    assert len(found) >= 4, f"{path.name}: {len(found)} exercises (at least 4 expected)"
    cases = WRONG_ANSWERS.get(path.name, {})
    for exercise in found:
        assert cases.get(exercise["name"]), f"{path.name} {exercise['name']}: no wrong answer in tests/exercise_cases/"


@pytest.mark.parametrize("variant, state", [("stored", NOT_ANSWERED), ("solution", RIGHT)], ids=["unanswered", "solved"])
@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_run_all_unanswered_says_not_answered_and_worked_solutions_are_right(path, variant, state):
    nb = executed(path, variant)
    lines = check_lines(nb)
    for exercise in exercises(nb):
        line = lines.get(exercise["name"], "")
        assert line.startswith(state), f"{path.name} {exercise['name']} ({variant}): the self-check printed {line!r}"


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_plausible_wrong_answers_are_rejected_with_a_hint(path):
    cases = WRONG_ANSWERS.get(path.name, {})
    rounds = max((len(v) for v in cases.values()), default=0)
    for round_index in range(rounds):
        lines = check_lines(executed(path, "wrong", round_index))
        for name, wrong in cases.items():
            if round_index >= len(wrong):
                continue
            line = lines.get(name, "")
            assert line.startswith(WRONG), f"{path.name} {name}: wrong answer {wrong[round_index]!r} got {line!r}"
            hint = line[len(WRONG):].strip(" :")
            assert len(hint) > 15, f"{path.name} {name}: the hint for {wrong[round_index]!r} says too little: {hint!r}"
            # A wrong type (a table for a number, a date for a year) gets a hint, not the error the check ran into.
            assert "could not be checked" not in hint and "which this check cannot use" not in hint, \
                f"{path.name} {name}: {wrong[round_index]!r} was not checked but raised: {hint!r}; assert its type first"


# --------------------------------------------------------------------------------------------- what a student sees


def _outputs(nb):
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            yield index, cell, output


@pytest.mark.parametrize("path", LESSONS + [NOTEBOOKS_DIR / "00_start_here.ipynb"], ids=IDS + ["00_start_here.ipynb"])
def test_run_all_shows_no_error_no_long_table_no_maths_dollar_and_no_internal_names(path):
    nb = executed(path, "stored")
    for index, cell, output in _outputs(nb):
        where = f"{path.name} cell {index}"
        assert output.get("output_type") != "error", f"{where} raised {output.get('ename')}: {output.get('evalue')}"
        data = output.get("data", {})
        # A table folded in <details> is shown only when the student opens it: only what is on the page counts.
        html = re.sub(r"<details.*?</details>", "", data.get("text/html", ""), flags=re.DOTALL)
        if "<table" in html:
            body = html.split("<tbody>", 1)[-1]
            rows = body.count("<tr")
            assert rows <= MAX_TABLE_ROWS, f"{where} shows a table of {rows} rows (at most {MAX_TABLE_ROWS}; filter or fold it)"
        # JupyterLab typesets $...$ in HTML outputs too (a table whose header says "US$ → US$" turns to italics).
        assert len(UNESCAPED_DOLLAR.findall(re.sub(r"<[^>]+>", "", html))) < 2, \
            f"{where}: an HTML output holds two $ signs, which JupyterLab reads as maths (write 'US dollars')"
        markdown = data.get("text/markdown", "")
        assert not UNESCAPED_DOLLAR.search(markdown), f"{where}: Markdown output has an unescaped $ (JupyterLab reads it as maths)"
        alt = output.get("metadata", {}).get("image/png", {}).get("alt", "")
        if "image/png" in data:
            assert alt, f"{where}: a figure without alt text"
        plain, stream = data.get("text/plain", ""), output.get("text", "")
        # Folded tables count here: a student who opens one reads them.
        for text in (markdown, alt, stream, plain, data.get("text/html", "")):
            match = INTERNAL_WORDS.search(text)
            assert not match, f"{where}: internal name {match.group(0)!r} shown to the student"
        for text in (plain, stream, markdown, html):
            match = NUMPY_SCALAR.search(text)
            assert not match, f"{where} shows a numpy scalar {match.group(0)!r}...: use int()/float() or an f-string"


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_figures_computed_from_official_data_say_so(path):
    """A figure drawn from an official dataset says "Calculations from <publisher> data: <dataset>" and never cites
    the dataset as its "Source:" (SIPRI asks that calculations from its data are not attributed to it)."""
    from utils.read import data

    sources = data.load("sources")
    datasets = list(sources.loc[sources["kind"] == "official dataset", "title"])
    nb = executed(path, "stored")
    lines = [output["metadata"]["image/png"].get("source") for _, _, output in _outputs(nb)
             if "image/png" in output.get("metadata", {})]
    assert lines and all(line is not None for line in lines), f"{path.name}: a figure not finished by plots.finish"
    for line in lines:
        cited = " ".join(re.split(r"\bSources?: ", line)[1:])
        named = [title for title in datasets if title in cited]
        assert not named, f"{path.name}: a figure cites {named} as its source: write 'Calculations from ... data'"
        if any(title in line for title in datasets):
            assert "Calculations from " in line, f"{path.name}: {line!r}"


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_worked_solutions_show_plain_numbers(path):
    """What a worked solution displays in its answer cell reads naturally: 7 or 68.8, never np.int64(7)."""
    nb = executed(path, "solution")
    for exercise in exercises(nb):
        for output in nb.cells[exercise["index"]].get("outputs", []):
            text = output.get("text", "") + output.get("data", {}).get("text/plain", "")
            match = NUMPY_SCALAR.search(text)
            assert not match, f"{path.name} {exercise['name']}: the worked solution shows {match.group(0)!r}... " \
                              "(use int()/float() on the value, or print it with an f-string)"
