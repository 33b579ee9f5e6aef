"""Lesson code fits a projected screen: JupyterLab in make present (22 px code at 1280x720) shows about 80 characters.

Counted over every code cell of every notebook, the start page included, self-checks, author checks and explorer
set-ups too (a reader opens them); a worked solution (Markdown) is read close up and not counted.
"""

import nbformat
import pytest

from utils import course

WIDTH = 80


@pytest.mark.parametrize("path", course.notebook_files(), ids=lambda p: p.name)
def test_lesson_code_lines_fit_the_projector(path):
    nb = nbformat.read(path, as_version=4)
    long = [(index, line) for index, cell in enumerate(nb.cells) if cell.cell_type == "code"
            for line in cell.source.splitlines() if len(line) > WIDTH]
    assert not long, f"{path.name}: {len(long)} code lines over {WIDTH} characters, e.g. cell {long[0][0]}: {long[0][1]!r}"


def test_every_notebook_is_counted():
    assert len(course.notebook_files()) >= 10 and course.notebook_files()[0].name == course.START_PAGE
