"""The student edition keeps every exercise prompt and self-check, and no worked solution."""

import re

import nbformat
import pytest

from utils import course
from utils.tools import publish

EXERCISE = re.compile(r"^\W*Exercise\s+\d+", re.MULTILINE)  # "### Exercise 1 (easy)", "**Exercise 1**"


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    publish.build_student(out)
    return out


def _cells(path):
    return nbformat.read(path, as_version=4).cells


@pytest.mark.parametrize("original", course.notebook_files(), ids=lambda p: p.name)
def test_no_solution_survives_and_every_prompt_does(student_dir, original):
    source_cells = _cells(original)
    student_cells = _cells(student_dir / original.name)
    student_sources = {cell.source for cell in student_cells}

    solutions = [c for c in source_cells if publish.SOLUTION_TAG in c.metadata.get("tags", [])]
    for cell in student_cells:
        assert publish.SOLUTION_TAG not in cell.metadata.get("tags", []), f"{original.name}: a solution cell survived"
    for cell in solutions:
        assert cell.source not in student_sources, f"{original.name}: solution text survived:\n{cell.source[:200]}"

    prompts = [c.source for c in source_cells if c.cell_type == "markdown" and EXERCISE.search(c.source)]
    checks = [c.source for c in source_cells if c.cell_type == "code" and "assert " in c.source
              and publish.SOLUTION_TAG not in c.metadata.get("tags", [])]
    for text in prompts + checks:
        assert text in student_sources, f"{original.name}: an exercise prompt or self-check was lost:\n{text[:200]}"
    assert len(student_cells) == len(source_cells) - len(solutions)
    if not original.name.startswith("00_"):
        assert prompts, f"{original.name} has no exercise prompts (headings 'Exercise N')"
