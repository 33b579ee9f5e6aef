"""Lesson code fits a projected screen: JupyterLab in make present (22 px code at 1280x720) shows about 80 characters.

Counted over every code cell of the lessons listed; a worked solution (Markdown) is read close up and not counted.
"""

import nbformat
import pytest

from utils.paths import NOTEBOOKS_DIR

WIDTH = 80
#: Lessons whose code has been wrapped to the projector's width (the others join as they are wrapped).
WRAPPED = ["01_history.ipynb", "02_force_structure.ipynb", "03_military_spending.ipynb", "04_arms_trade.ipynb"]


@pytest.mark.parametrize("name", WRAPPED)
def test_lesson_code_lines_fit_the_projector(name):
    nb = nbformat.read(NOTEBOOKS_DIR / name, as_version=4)
    long = [(index, line) for index, cell in enumerate(nb.cells) if cell.cell_type == "code"
            for line in cell.source.splitlines() if len(line) > WIDTH]
    assert not long, f"{name}: {len(long)} code lines over {WIDTH} characters, e.g. cell {long[0][0]}: {long[0][1]!r}"
