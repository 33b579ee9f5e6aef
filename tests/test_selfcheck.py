"""utils.selfcheck: the three states of an exercise's self-check, and that a check never raises."""

from utils import selfcheck
from utils.selfcheck import NOT_ANSWERED, RIGHT, WRONG, evaluate


def needs_two(answer):
    assert isinstance(answer, (list, set, tuple)), "give a list or a set"
    assert set(answer) == {"ARM", "KAZ"}, "two states, by ISO3 code"


def test_unanswered_right_and_wrong_with_the_hint():
    assert evaluate("Exercise 1", "states", needs_two, {"states": None})[0] == NOT_ANSWERED
    assert evaluate("Exercise 1", "states", needs_two, {})[0] == NOT_ANSWERED
    assert evaluate("Exercise 1", "states", needs_two, {"states": {"KAZ", "ARM"}}) == (RIGHT, "Exercise 1 — right. Well done.")
    state, line = evaluate("Exercise 1", "states", needs_two, {"states": ["ARM"]})
    assert state == WRONG and line.endswith("two states, by ISO3 code")


def test_an_answer_of_the_wrong_shape_is_wrong_not_an_error():
    state, line = evaluate("Exercise 2", ("a", "b"), lambda a, b: a + b > 0, {"a": "x", "b": 1})
    assert state == WRONG and "could not be checked (TypeError" in line
    assert evaluate("Exercise 2", ("a", "b"), lambda a, b: None, {"a": 1})[0] == NOT_ANSWERED


def test_check_reads_the_callers_variables_prints_once_and_summary_counts(capsys):
    globals()["states"] = ["KAZ", "ARM"]  # a notebook's variables are the globals of the cell calling check()
    assert selfcheck.check("Exercise 9", "states", needs_two) is None
    selfcheck.summary()
    out = capsys.readouterr().out
    assert out.count("Exercise 9 — right.") == 1 and "Exercise 9: right" in out
