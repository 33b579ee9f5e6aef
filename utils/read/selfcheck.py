"""Self-checks for the exercises: three states, never an exception.

Each exercise in a lesson has an answer cell (``signed_1993 = None``), a worked solution folded in a Markdown
``<details>`` block (it never runs on Run All), and a self-check cell::

    def check_signed_1993(answer):
        assert isinstance(answer, (list, set, tuple, pd.Series)), "give a list (or set) of ISO3 codes"
        assert set(answer) == expected, "compare the start dates of the treaty spells with 1993"

    selfcheck.check("Exercise 1", check_signed_1993, signed_1993=signed_1993)

:func:`check` is handed the student's answer as a keyword argument (the keyword is the variable's name, used in the
"not answered yet" line; several keywords for an exercise with several answers), and prints one of three lines:

- ``Exercise 1 — not answered yet: ...`` when the answer is still ``None`` (or ``...``), so Run All completes;
- ``Exercise 1 — right.`` when the check function returns without an error;
- ``Exercise 1 — not right yet: <hint>`` when an ``assert`` in the check fails (its message is the hint), or when
  the answer cannot be checked at all (wrong type, say).

In a notebook the line is shown with a symbol and a colour (✓ green for right, ✗ red for not right yet, … grey
for not answered); its plain-text form, which the tests read, carries the same symbol before the line.

The check functions live in the notebook, next to the exercise, and assert properties of the answer computed from
the data, never a stored result. The tests (``tests/test_exercises.py``) run every check against an unanswered
notebook, the worked solution and at least one plausible wrong answer.
"""

from __future__ import annotations

import html
from typing import Any, Callable

NOT_ANSWERED = "not answered yet"
RIGHT = "right"
WRONG = "not right yet"

#: Symbol and colour of each state (the colours keep at least 4.5:1 contrast on white, WCAG 2.1 AA for text).
SYMBOLS = {RIGHT: "✓", WRONG: "✗", NOT_ANSWERED: "…"}
COLOURS = {RIGHT: "#1A7F37", WRONG: "#B42318", NOT_ANSWERED: "#57606A"}

#: The last state of every exercise checked in this kernel, for :func:`summary`.
_results: dict[str, str] = {}


def evaluate(exercise: str, test: Callable[..., Any], answers: dict[str, Any]) -> tuple[str, str]:
    """``(state, line)`` for an exercise whose answers (variable name -> value) are checked by ``test``."""
    missing = [name for name, value in answers.items() if value is None or value is Ellipsis]
    if missing or not answers:
        named = " and ".join(f"`{name}`" for name in missing) or "the answer variable"
        return NOT_ANSWERED, (f"{exercise} — {NOT_ANSWERED}: assign your answer to {named} in the cell above, "
                              "run it, then run this cell again.")
    try:
        test(*answers.values())
    except AssertionError as failure:
        # The assert's own message, first line only (a test runner may append its comparison below it).
        hint = (str(failure).strip().splitlines() or [""])[0] or "the answer does not have the properties the exercise asks for"
        return WRONG, f"{exercise} — {WRONG}: {hint}"
    except Exception as failure:  # noqa: BLE001 - any other error means the answer has the wrong shape
        given = ", ".join(f"`{name}` is {_kind(value)}" for name, value in answers.items())
        return WRONG, (f"{exercise} — {WRONG}: {given}, which this check cannot use: look again at the type and "
                       f"shape the exercise asks for ({type(failure).__name__}: {failure}).")
    return RIGHT, f"{exercise} — {RIGHT}. Well done."


def _kind(value: Any) -> str:
    """``"a Timestamp"``, ``"an int"``: what a value is, for a hint."""
    name = type(value).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def render(state: str, line: str) -> dict[str, str]:
    """The verdict as a display bundle: plain text with the state's symbol, and the same as a coloured HTML line."""
    symbol, colour = SYMBOLS[state], COLOURS[state]
    return {
        "text/plain": f"{symbol} {line}",
        "text/html": f'<div style="color:{colour};font-weight:600">{symbol} {html.escape(line)}</div>',
    }


def check(exercise: str, test: Callable[..., Any], **answers: Any) -> None:
    """Check the student's answer(s) with ``test`` and print the state.

    ``answers`` are the answer variables by name (``check("Exercise 1", check_members, members_2010=members_2010)``);
    ``test`` receives their values in that order and asserts what a right answer satisfies; each assert carries a
    message that says what is wrong, without giving the answer away.
    """
    state, line = evaluate(exercise, test, answers)
    _results[exercise] = state
    bundle = render(state, line)
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython is part of the stack
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(bundle, raw=True)  # nothing is returned, so a check on a cell's last line shows its verdict once
    else:
        print(bundle["text/plain"])


def summary() -> None:
    """Print where the student stands on every exercise checked in this kernel so far."""
    if not _results:
        print("No exercise checked yet: run the self-check cell under each exercise.")
        return
    right = sum(state == RIGHT for state in _results.values())
    print(f"{right} of {len(_results)} exercises right.")
    for exercise, state in _results.items():
        print(f"  {SYMBOLS[state]} {exercise}: {state}")
