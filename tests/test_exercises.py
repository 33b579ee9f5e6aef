"""Every exercise's self-check in its three states, and what a student sees after Run All.

Each lesson is executed (with nbclient, in a fresh kernel) two ways, once per test run (``tests/executed_notebooks.py``):

1. as stored, unanswered: every self-check prints "not answered yet", nothing raises, no solution output appears;
   the same run checks the outputs a student sees (no long tables, no ``$`` left to be read as maths, no internal
   file names, no numpy scalar reprs such as ``np.int64(7)``), and the site is built from it;
2. drilled: each exercise's answer cell run as stored, then with each plausible wrong answer
   (``tests/exercise_cases/``), then with the worked solution from the folded ``<details>`` block, each time followed
   by the exercise's self-check: "not answered yet", then "not right yet" with a hint for every wrong answer, then
   right; what the solution displays reads naturally (no numpy scalar reprs).

Exercise anatomy (checked by the hygiene tests): an answer cell tagged ``answer``, a self-check cell tagged
``self-check`` calling ``selfcheck.check("Exercise N", ...)`` right after it, and a Markdown cell tagged ``solution``
holding the worked solution as a fenced ``python`` block inside ``<details>``.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from utils.paths import NOTEBOOKS_DIR
from utils.read.selfcheck import NOT_ANSWERED, RIGHT, WRONG

from exercise_cases import WRONG_ANSWERS
from executed_notebooks import SOLUTION, STORED, as_stored, attempts, check_line, drilled, exercises
from helpers import INTERNAL_WORDS

LESSONS = sorted(p for p in NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb") if not p.name.startswith("00_"))
IDS = [p.name for p in LESSONS]

MAX_TABLE_ROWS = 25
UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")
#: How numpy 2 prints a scalar inside a tuple, list or dict (``np.int64(7)``, ``np.float64(0.5)``, ``np.True_``).
#: A student should read 7: wrap the value in int() or float(), or print it with an f-string.
NUMPY_SCALAR = re.compile(r"\bnp\.(?:(?:u?int|float|complex)\d*|bool_?|str_)\(|\bnp\.(?:True|False)_")


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_every_lesson_has_at_least_four_exercises_each_with_a_wrong_answer_case(path):
    found = exercises(nbformat.read(path, as_version=4))
    assert len(found) >= 4, f"{path.name}: {len(found)} exercises (at least 4 expected)"
    cases = WRONG_ANSWERS.get(path.name, {})
    for exercise in found:
        assert cases.get(exercise["name"]), f"{path.name} {exercise['name']}: no wrong answer in tests/exercise_cases/"


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_run_all_unanswered_says_not_answered(path):
    nb = as_stored(path)
    for exercise in exercises(nb):
        line = check_line(nb.cells[exercise["index"] + 1])
        assert line.startswith(NOT_ANSWERED), f"{path.name} {exercise['name']}: after Run All the self-check printed {line!r}"


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_each_self_check_knows_unanswered_wrong_with_a_hint_and_right(path):
    drill = attempts(drilled(path))
    names = [exercise["name"] for exercise in exercises(nbformat.read(path, as_version=4))]
    assert sorted({attempt["name"] for attempt in drill}) == sorted(names), f"{path.name}: an exercise was not drilled"
    for attempt in drill:
        where, verdict = f"{path.name} {attempt['name']}", attempt["verdict"]
        if attempt["role"] == STORED:
            assert verdict.startswith(NOT_ANSWERED), f"{where} (as stored): the self-check printed {verdict!r}"
        elif attempt["role"] == SOLUTION:
            assert verdict.startswith(RIGHT), f"{where}: the worked solution got {verdict!r}"
        else:
            assert verdict.startswith(WRONG), f"{where}: wrong answer {attempt['code']!r} got {verdict!r}"
            hint = verdict[len(WRONG):].strip(" :")
            assert len(hint) > 15, f"{where}: the hint for {attempt['code']!r} says too little: {hint!r}"
            # A wrong type (a table for a number, a date for a year) gets a hint, not the error the check ran into.
            assert "could not be checked" not in hint and "which this check cannot use" not in hint, \
                f"{where}: {attempt['code']!r} was not checked but raised: {hint!r}; assert its type first"
    wrong = sum(attempt["role"] not in (STORED, SOLUTION) for attempt in drill)
    assert wrong == sum(len(cases) for cases in WRONG_ANSWERS.get(path.name, {}).values())


# --------------------------------------------------------------------------------------------- what a student sees


def _outputs(nb):
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            yield index, cell, output


@pytest.mark.parametrize("path", LESSONS + [NOTEBOOKS_DIR / "00_start_here.ipynb"], ids=IDS + ["00_start_here.ipynb"])
def test_run_all_shows_no_error_no_long_table_no_maths_dollar_and_no_internal_names(path):
    nb = as_stored(path)
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
    nb = as_stored(path)
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
    for attempt in attempts(drilled(path)):
        if attempt["role"] != SOLUTION:
            continue
        for output in attempt["outputs"]:
            text = output.get("text", "") + output.get("data", {}).get("text/plain", "")
            match = NUMPY_SCALAR.search(text)
            assert not match, f"{path.name} {attempt['name']}: the worked solution shows {match.group(0)!r}... " \
                              "(use int()/float() on the value, or print it with an f-string)"
