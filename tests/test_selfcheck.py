"""utils.read.selfcheck: the three states of an exercise's self-check, and that a check never raises."""

from utils.read import selfcheck
from utils.read.selfcheck import NOT_ANSWERED, RIGHT, WRONG, evaluate


def needs_two(answer):
    assert isinstance(answer, (list, set, tuple)), "give a list or a set"
    assert set(answer) == {"ARM", "KAZ"}, "two states, by ISO3 code"


def test_unanswered_right_and_wrong_with_the_hint():
    state, line = evaluate("Exercise 1", needs_two, {"states": None})
    assert state == NOT_ANSWERED and "`states`" in line
    assert evaluate("Exercise 1", needs_two, {"states": ...})[0] == NOT_ANSWERED
    assert evaluate("Exercise 1", needs_two, {"states": {"KAZ", "ARM"}}) == (RIGHT, "Exercise 1 — right. Well done.")
    state, line = evaluate("Exercise 1", needs_two, {"states": ["ARM"]})
    assert state == WRONG and line.endswith("two states, by ISO3 code")


def test_an_answer_of_the_wrong_shape_is_wrong_not_an_error():
    state, line = evaluate("Exercise 2", lambda a, b: a + b > 0, {"a": "x", "b": 1})
    assert state == WRONG and "could not be checked (TypeError" in line
    state, line = evaluate("Exercise 2", lambda a, b: None, {"a": 1, "b": None})
    assert state == NOT_ANSWERED and "`b`" in line and "`a`" not in line


def test_answers_reach_the_test_in_order():
    seen = []
    assert evaluate("Exercise 3", lambda first, second: seen.append((first, second)), {"x": 1, "y": 2})[0] == RIGHT
    assert seen == [(1, 2)]


def test_check_prints_its_verdict_once_and_summary_counts(capsys):
    assert selfcheck.check("Exercise 9", needs_two, states=["KAZ", "ARM"]) is None
    selfcheck.check("Exercise 8", needs_two, states=["KAZ"])
    selfcheck.summary()
    out = capsys.readouterr().out
    assert out.count("Exercise 9 — right.") == 1 and "Exercise 9: right" in out
    assert "Exercise 8 — not right yet" in out and "Exercise 8: not right yet" in out
