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
    assert state == WRONG and "`a` is a str, `b` is an int, which this check cannot use" in line
    assert line.endswith("(TypeError: can only concatenate str (not \"int\") to str).")
    state, line = evaluate("Exercise 2", lambda a, b: None, {"a": 1, "b": None})
    assert state == NOT_ANSWERED and "`b`" in line and "`a`" not in line


def test_answers_reach_the_test_in_order():
    seen = []
    assert evaluate("Exercise 3", lambda first, second: seen.append((first, second)), {"x": 1, "y": 2})[0] == RIGHT
    assert seen == [(1, 2)]


def test_check_prints_its_verdict_once_with_its_symbol_and_summary_counts(capsys):
    assert selfcheck.check("Exercise 9", needs_two, states=["KAZ", "ARM"]) is None
    selfcheck.check("Exercise 8", needs_two, states=["KAZ"])
    selfcheck.summary()
    out = capsys.readouterr().out
    assert out.count("✓ Exercise 9 — right.") == 1 and "✓ Exercise 9: right" in out
    assert "✗ Exercise 8 — not right yet" in out and "✗ Exercise 8: not right yet" in out


def test_each_state_has_its_own_symbol_and_colour_and_the_html_escapes_the_hint():
    bundles = {state: selfcheck.render(state, f"Exercise 1 — {state}: a < b") for state in (RIGHT, WRONG, NOT_ANSWERED)}
    assert len({b["text/plain"][0] for b in bundles.values()}) == 3
    assert len({b["text/html"].split(";")[0] for b in bundles.values()}) == 3  # three colours
    assert bundles[RIGHT]["text/plain"] == "✓ Exercise 1 — right: a < b"
    assert "a &lt; b" in bundles[WRONG]["text/html"] and bundles[WRONG]["text/html"].startswith('<div style="color:#B42318')


def test_in_a_kernel_the_verdict_is_one_output_with_text_and_html(tmp_path):
    import nbformat

    from utils.tools.notebook_runner import run_notebook

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from utils.read import selfcheck\nselfcheck.check('Exercise 1', lambda a: None, a=1)")])
    run_notebook(nb, tmp_path, timeout=120)
    [output] = nb.cells[0].outputs
    assert output["data"]["text/plain"] == "✓ Exercise 1 — right. Well done."
    assert "#1A7F37" in output["data"]["text/html"]
