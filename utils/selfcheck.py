"""Self-checks for the exercises: three states, never an exception.

Each exercise in a lesson has an answer cell (``signed_1993 = None``), a worked solution folded in a Markdown
``<details>`` block (it never runs on Run All), and a self-check cell::

    def check_signed_1993(answer):
        assert isinstance(answer, (list, set, tuple, pd.Series)), "give a list (or set) of ISO3 codes"
        assert set(answer) == expected, "compare the start dates of the treaty spells with 1993"

    selfcheck.check("Exercise 1", "signed_1993", check_signed_1993)

:func:`check` reads the student's variable(s) by name from the notebook, and prints one of three lines:

- ``Exercise 1 — not answered yet: ...`` when the variable is missing or still ``None`` (Run All completes);
- ``Exercise 1 — right.`` when the check function returns without an error;
- ``Exercise 1 — not right yet: <hint>`` when an ``assert`` in the check fails (its message is the hint), or when
  the answer cannot be checked at all (wrong type, say).

The check functions live in the notebook, next to the exercise, and assert properties of the answer computed from
the data, never a stored result. The tests (``tests/test_exercises.py``) run every check against an unanswered
notebook, the worked solution and at least one plausible wrong answer.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable, Sequence

NOT_ANSWERED = "not answered yet"
RIGHT = "right"
WRONG = "not right yet"

#: The last state of every exercise checked in this kernel, for :func:`summary`.
_results: dict[str, str] = {}


def _caller_namespace() -> dict[str, Any]:
    """The notebook's variables: the globals of the code that called :func:`check`."""
    frame = inspect.currentframe()
    try:
        caller = frame.f_back.f_back  # check() -> _caller_namespace() -> the notebook cell
        return caller.f_globals
    finally:
        del frame


def evaluate(exercise: str, names: str | Sequence[str], test: Callable[..., Any], namespace: dict[str, Any]) -> tuple[str, str]:
    """``(state, line)`` for an exercise whose answer variables ``names`` are looked up in ``namespace``."""
    names = [names] if isinstance(names, str) else list(names)
    values = [namespace.get(name) for name in names]
    if any(value is None or value is Ellipsis for value in values):
        missing = " and ".join(f"`{n}`" for n, v in zip(names, values) if v is None or v is Ellipsis)
        return NOT_ANSWERED, (f"{exercise} — {NOT_ANSWERED}: assign your answer to {missing} in the cell above, "
                              "run it, then run this cell again.")
    try:
        test(*values)
    except AssertionError as failure:
        # The assert's own message, first line only (a test runner may append its comparison below it).
        hint = (str(failure).strip().splitlines() or [""])[0] or "the answer does not have the properties the exercise asks for"
        return WRONG, f"{exercise} — {WRONG}: {hint}"
    except Exception as failure:  # noqa: BLE001 - any other error means the answer has the wrong shape
        return WRONG, (f"{exercise} — {WRONG}: your answer could not be checked "
                       f"({type(failure).__name__}: {failure}). Look at the type and shape the exercise asks for.")
    return RIGHT, f"{exercise} — {RIGHT}. Well done."


def check(exercise: str, names: str | Sequence[str], test: Callable[..., Any]) -> None:
    """Check the student's answer variable(s) ``names`` with ``test`` and print the state.

    ``test`` receives the values of ``names`` (in order) and asserts what a right answer satisfies; each assert
    carries a message that says what is wrong, without giving the answer away.
    """
    state, line = evaluate(exercise, names, test, _caller_namespace())
    _results[exercise] = state
    print(line)  # nothing is returned, so a check on a cell's last line shows its verdict once


def summary() -> None:
    """Print where the student stands on every exercise checked in this kernel so far."""
    if not _results:
        print("No exercise checked yet: run the self-check cell under each exercise.")
        return
    right = sum(state == RIGHT for state in _results.values())
    print(f"{right} of {len(_results)} exercises right.")
    for exercise, state in _results.items():
        print(f"  {exercise}: {state}")
