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

The check functions live in the notebook, next to the exercise, and assert properties of the answer computed from
the data, never a stored result. The tests (``tests/test_exercises.py``) run every check against an unanswered
notebook, the worked solution and at least one plausible wrong answer.
"""

from __future__ import annotations

from typing import Any, Callable

NOT_ANSWERED = "not answered yet"
RIGHT = "right"
WRONG = "not right yet"

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
        return WRONG, (f"{exercise} — {WRONG}: your answer could not be checked "
                       f"({type(failure).__name__}: {failure}). Look at the type and shape the exercise asks for.")
    return RIGHT, f"{exercise} — {RIGHT}. Well done."


def check(exercise: str, test: Callable[..., Any], **answers: Any) -> None:
    """Check the student's answer(s) with ``test`` and print the state.

    ``answers`` are the answer variables by name (``check("Exercise 1", check_members, members_2010=members_2010)``);
    ``test`` receives their values in that order and asserts what a right answer satisfies; each assert carries a
    message that says what is wrong, without giving the answer away.
    """
    state, line = evaluate(exercise, test, answers)
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
