"""Notebook hygiene: stored clean, right kernel, the collection's anatomy, no paths, no installs."""

import json
import re
from pathlib import Path

import pytest

from utils.paths import NOTEBOOKS_DIR

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
        assert not PATH_PATTERN.search(source), f"{path.name} cell {index} names a file path; use utils.data.load()"
        assert not INSTALL_PATTERN.search(source), f"{path.name} cell {index} installs packages; use make lab"


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if not p.name.startswith("00_")], ids=IDS[1:])
def test_solutions_are_tagged_and_collapsed(path):
    cells = _load(path)["cells"]
    solutions = [c for c in cells if "solution" in c.get("metadata", {}).get("tags", [])]
    assert len(solutions) >= 4, f"{path.name} should have a worked solution for each of at least 4 exercises"
    for cell in solutions:
        hidden = cell["metadata"].get("jupyter", {})
        assert hidden.get("source_hidden") is True, f"{path.name}: a solution is not collapsed"
        if cell["cell_type"] == "code":  # its output is the answer, so it stays folded too
            assert hidden.get("outputs_hidden") is True, f"{path.name}: a solution's output is not collapsed"
    self_checks = [c for c in cells if c["cell_type"] == "code" and "assert " in "".join(c["source"])]
    assert self_checks, f"{path.name} has no self-check cell (a cell with assert)"
