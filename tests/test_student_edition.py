"""The student edition keeps every exercise prompt and self-check (collapsed), and no worked solution or author check."""

import re

import nbformat
import pytest

from utils import course
from utils.tools import cell_roles, publish

EXERCISE = re.compile(r"^\W*Exercise\s+\d+", re.MULTILINE)  # "### Exercise 1 (easy)", "**Exercise 1**"


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    publish.build_student(out)
    return out


def _cells(path):
    return nbformat.read(path, as_version=4).cells


def _tagged(cells, tag):
    return [c for c in cells if tag in cell_roles.tags_of(c)]


@pytest.mark.parametrize("original", course.notebook_files(), ids=lambda p: p.name)
def test_no_solution_or_author_check_survives_and_every_prompt_does(student_dir, original):
    source_cells = _cells(original)
    student_cells = _cells(student_dir / original.name)
    student_sources = {cell.source for cell in student_cells}

    dropped = _tagged(source_cells, cell_roles.SOLUTION_TAG) + _tagged(source_cells, cell_roles.AUTHOR_CHECK_TAG)
    for cell in student_cells:
        assert not set(cell_roles.tags_of(cell)) & publish.STUDENT_EDITION_DROPS, f"{original.name}: {cell.source[:200]}"
        assert not cell_roles.has_author_check(cell.source), f"{original.name}: an author check survived:\n{cell.source[:200]}"
    for cell in dropped:
        assert cell.source not in student_sources, f"{original.name}: solution or author check survived:\n{cell.source[:200]}"

    prompts = [c.source for c in source_cells if c.cell_type == "markdown" and EXERCISE.search(c.source)]
    checks = [c.source for c in _tagged(source_cells, cell_roles.SELF_CHECK_TAG)]
    for text in prompts + checks:
        assert text in student_sources, f"{original.name}: an exercise prompt or self-check was lost:\n{text[:200]}"
    for cell in _tagged(student_cells, cell_roles.SELF_CHECK_TAG):
        assert cell.metadata.get("jupyter", {}).get("source_hidden"), f"{original.name}: a self-check's code shows"
    assert len(student_cells) == len(source_cells) - len(dropped)
    if not original.name.startswith("00_"):
        assert prompts and checks, f"{original.name} has no exercise prompts (headings 'Exercise N') or self-checks"
