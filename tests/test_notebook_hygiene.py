"""Notebook hygiene: stored clean, right kernel, the collection's anatomy, no paths, no installs."""

import ast
import json
import re
from pathlib import Path

import pytest

from utils.paths import NOTEBOOKS_DIR
from utils.tools import cell_roles

from helpers import INTERNAL_WORDS

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]

#: Level-2 headings every lesson notebook has, in this order (see ../shared/GUIDE.md, "Notebook anatomy").
LESSON_HEADINGS = [
    "Overview",
    "Learning objectives",
    "Prerequisites",
    "Time to learn",
    "Data used",
    "Imports",
    "Exercises",
    "Self-check",
    "Discussion questions",
    "Key points",
    "What's next",
    "Sources and further reading",
]
#: The start page is a guide, not a lesson: no exercises.
START_HEADINGS = ["Overview", "Data used", "Imports", "Key points", "What's next", "Sources and further reading"]

# Code that reads or names files directly instead of going through utils (kernels start in notebooks/).
PATH_PATTERN = re.compile(r"""(read_csv|read_excel|open)\s*\(\s*["']|["'][^"'\n]*\.(csv|xlsx|json)["']|["']\.\./""")
INSTALL_PATTERN = re.compile(r"(^|\s)[!%]\s*(pip|conda)\b|pip install", re.MULTILINE)


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _headings(nb: dict, level: int) -> list[str]:
    marker = "#" * level + " "
    found = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for line in "".join(cell["source"]).splitlines():
            if line.startswith(marker):
                found.append(line[len(marker):].strip())
    return found


def test_there_are_notebooks():
    assert (NOTEBOOKS_DIR / "00_start_here.ipynb").exists()
    assert len(NOTEBOOKS) >= 1


def _git(*args: str) -> str | None:
    import subprocess

    try:
        done = subprocess.run(["git", *args], cwd=NOTEBOOKS_DIR, capture_output=True, text=True)
    except OSError:  # no git at all
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _has_outputs(nb: dict) -> bool:
    return any(c.get("outputs") or c.get("execution_count") is not None for c in nb["cells"] if c["cell_type"] == "code")


def _as_git_would_commit(path: Path) -> dict:
    """The notebook as ``git add`` would store it: through the clean filter .gitattributes names for it, when this
    checkout has that filter configured (make does: nbstripout), else as it is on disk."""
    text = path.read_text(encoding="utf-8")
    if not _has_outputs(json.loads(text)):
        return json.loads(text)  # nothing to strip (an output filter only removes), so no need to run it
    attribute = _git("check-attr", "filter", "--", str(path)) or ""
    name = attribute.rsplit(": ", 1)[-1]
    command = _git("config", "--get", f"filter.{name}.clean") if name not in ("", "unspecified", "unset") else None
    if command:
        import subprocess

        # Git runs the command through the shell, with the file on stdin, at the top of the working tree.
        top = _git("rev-parse", "--show-toplevel")
        text = subprocess.run(command, shell=True, input=text, capture_output=True, text=True, check=True, cwd=top).stdout
    return json.loads(text)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_stored_without_outputs(path):
    for index, cell in enumerate(_as_git_would_commit(path)["cells"]):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{path.name} cell {index} would be committed with outputs (run make lab or make test once: it sets up the output filter)"
            assert cell["execution_count"] is None, f"{path.name} cell {index} would be committed with an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_python3_kernelspec(path):
    """The notebook names the kernel make installs, with its display name, so Lab opens it without changing it."""
    from jupyter_client.kernelspec import KernelSpecManager

    stored = _load(path)["metadata"]["kernelspec"]
    installed = KernelSpecManager().get_kernel_spec("python3")
    assert stored["name"] == "python3"
    assert stored["display_name"] == installed.display_name, (
        f"{path.name} stores kernel display name {stored['display_name']!r}, the installed python3 kernel is "
        f"{installed.display_name!r}"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_one_title_and_the_anatomy_headings_in_order(path):
    nb = _load(path)
    titles = _headings(nb, 1)
    assert len(titles) == 1, f"{path.name} should have exactly one H1 title, found {titles}"
    expected = START_HEADINGS if path.name.startswith("00_") else LESSON_HEADINGS
    present = [h for h in _headings(nb, 2) if h in expected]
    missing = [h for h in expected if h not in present]
    assert not missing, f"{path.name} lacks the heading(s) {missing}"
    order = [h for h in expected if h in present]
    first_seen = list(dict.fromkeys(present))
    assert first_seen == order, f"{path.name}: anatomy headings out of order: {first_seen}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_literal_paths_and_no_installs(path):
    for index, cell in enumerate(_load(path)["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        assert not PATH_PATTERN.search(source), f"{path.name} cell {index} names a file path; use utils.read.data.load()"
        assert not INSTALL_PATTERN.search(source), f"{path.name} cell {index} installs packages; use make lab"


LESSONS = [p for p in NOTEBOOKS if not p.name.startswith("00_")]
#: Lessons whose main figures are drawn with seaborn in the notebook (07 and 08 are about the data themselves).
SEABORN_LESSONS = [p for p in LESSONS if p.name[:2] in {"01", "02", "03", "04", "05", "06", "09"}]
#: Calls of the collection's whole-figure helpers (``draw_*`` in utils.read.plots / utils.read.maps).
HELPER_CALL = re.compile(r"\bdraw_\w+\(")
SEABORN_CALL = re.compile(r"\bsns\.(?!set_theme|set_style|set_context|color_palette|despine|move_legend)\w+\(")
FENCED = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)


def _code_lines(cell) -> int:
    return sum(1 for line in "".join(cell["source"]).splitlines() if line.strip() and not line.strip().startswith("#"))


#: Display objects that build formatted text in code (``display(Markdown(...))``, ``display(HTML(...))``).
TEXT_BUILDERS = {"Markdown", "HTML"}


def _markdown_building_lines(source: str) -> int:
    """Lines of the statements that build Markdown or HTML text (``display(Markdown(...))`` and the like)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return 0
    lines: set[int] = set()
    for statement in ast.walk(tree):
        if not isinstance(statement, ast.stmt) or isinstance(statement, (ast.FunctionDef, ast.For, ast.If, ast.With)):
            continue
        calls = [n for n in ast.walk(statement) if isinstance(n, ast.Call)]
        if any(getattr(c.func, "id", getattr(c.func, "attr", "")) in TEXT_BUILDERS for c in calls):
            lines.update(range(statement.lineno, statement.end_lineno + 1))
    return len(lines)


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_exercises_have_an_answer_cell_a_self_check_and_a_folded_solution_that_never_runs(path):
    cells = _load(path)["cells"]
    answers = [c for c in cells if "answer" in c.get("metadata", {}).get("tags", [])]
    solutions = [c for c in cells if "solution" in c.get("metadata", {}).get("tags", [])]
    checks = [c for c in cells if "self-check" in c.get("metadata", {}).get("tags", [])]
    assert len(answers) >= 4, f"{path.name}: at least 4 exercises, each with an answer cell tagged 'answer'"
    assert len(solutions) == len(answers) == len(checks), f"{path.name}: one solution and one self-check per answer cell"
    for cell in solutions:
        text = "".join(cell["source"])
        assert cell["cell_type"] == "markdown", f"{path.name}: a solution is a code cell (it would run on Run All)"
        assert text.lstrip().startswith("<details>") and "```python" in text, \
            f"{path.name}: a solution must be a ```python block inside <details> (folded until opened)"
    for cell in checks:
        assert "selfcheck.check(" in "".join(cell["source"]), f"{path.name}: a self-check cell must call selfcheck.check"
    seaborn_exercise = any("sns." in "".join(c["source"]) for c in solutions)
    assert seaborn_exercise, f"{path.name}: at least one exercise asks for a seaborn chart (its solution uses sns.)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_markdown_has_no_maths_dollar_and_no_internal_names(path):
    for index, cell in enumerate(_load(path)["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        prose = FENCED.sub("", "".join(cell["source"]))
        assert not re.search(r"(?<!\\)\$", prose), f"{path.name} cell {index}: escape $ as \\$ (JupyterLab reads $...$ as maths)"
        match = INTERNAL_WORDS.search(prose)
        assert not match, f"{path.name} cell {index}: internal name {match.group(0)!r} in student text"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_code_and_worked_solutions_have_no_internal_names(path):
    """Students read the code too (comments, column names, worked solutions): no internal names there either."""
    for index, cell in enumerate(_load(path)["cells"]):
        source = "".join(cell["source"])
        code = source if cell["cell_type"] == "code" else "\n".join(FENCED.findall(source))
        match = INTERNAL_WORDS.search(code)
        assert not match, f"{path.name} cell {index}: internal name {match.group(0)!r} in code a student reads"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_markdown_building_code_is_at_most_a_tenth_of_the_code(path):
    cells = [c for c in _load(path)["cells"] if c["cell_type"] == "code"]
    total = sum(_code_lines(c) for c in cells)
    building = sum(_markdown_building_lines("".join(c["source"])) for c in cells)
    assert building <= 0.10 * total, f"{path.name}: {building} of {total} code lines build Markdown (at most 10%)"


@pytest.mark.parametrize("path", SEABORN_LESSONS, ids=[p.name for p in SEABORN_LESSONS])
def test_figures_are_drawn_with_seaborn_in_the_notebook(path):
    code = "\n".join("".join(c["source"]) for c in _load(path)["cells"]
                     if c["cell_type"] == "code" and "solution" not in c.get("metadata", {}).get("tags", []))
    seaborn_calls = len(SEABORN_CALL.findall(code))
    helper_calls = len(HELPER_CALL.findall(code))
    assert seaborn_calls >= 3, f"{path.name}: {seaborn_calls} seaborn calls (at least 3)"
    assert seaborn_calls > helper_calls, f"{path.name}: {helper_calls} figure-helper calls for {seaborn_calls} seaborn calls"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_author_checks_self_checks_and_explorer_set_ups_are_tagged_and_collapsed(path):
    """The editions leave cells out by tag (utils.tools.publish): an untagged author check would reach the handouts.

    Re-tag with ``python -m utils.tools.cell_roles notebooks/*.ipynb`` after adding an author check or an explorer.
    """
    cells = _load(path)["cells"]
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        source, tags = "".join(cell["source"]), cell_roles.tags_of(cell)
        roles = [tag for tag in cell_roles.COLLAPSED_TAGS if tag in tags]
        if cell_roles.SELF_CHECK_TAG not in tags:
            assert cell_roles.has_author_check(source) == (cell_roles.AUTHOR_CHECK_TAG in tags), \
                f"{path.name} cell {index}: an author check is tagged '{cell_roles.AUTHOR_CHECK_TAG}', and nothing else is"
        if cell_roles.AUTHOR_CHECK_TAG in tags:
            statements = ast.parse(source).body
            assert all(isinstance(s, (ast.Assign, ast.Assert)) for s in statements), \
                f"{path.name} cell {index}: an author check holds only assignments and asserts (it is left out of editions)"
            assigned = {node.id for s in statements for node in ast.walk(s) if isinstance(node, ast.Name)
                        and isinstance(node.ctx, ast.Store)}
            later = "\n".join("".join(c["source"]) for c in cells[index + 1:] if c["cell_type"] == "code"
                              and cell_roles.AUTHOR_CHECK_TAG not in cell_roles.tags_of(c))
            used = sorted(name for name in assigned if re.search(rf"\b{name}\b", later))
            assert not used, f"{path.name} cell {index}: later cells use {used}, which an edition without author checks lacks"
        assert cell_roles.is_explorer_setup(source) <= (cell_roles.EXPLORER_TAG in tags), \
            f"{path.name} cell {index}: an explorer's set-up is tagged '{cell_roles.EXPLORER_TAG}'"
        if roles:
            assert cell.get("metadata", {}).get("jupyter", {}).get("source_hidden"), \
                f"{path.name} cell {index}: a cell tagged {roles} is collapsed (metadata jupyter.source_hidden)"
