"""utils.course: the reading order read from the notebooks themselves."""

import pytest

from utils import course


@pytest.mark.parametrize(
    "text, minutes",
    [("About 45 minutes.", 45), ("40-60 min", 60), ("30 to 40 minutes", 40), ("No estimate.", None),
     ("About 40 minutes to read and run, plus 30–40 minutes for the exercises.", 80),
     ("About 50 minutes: 30 for the sections, 20 for the exercises.", 50)],
)
def test_time_to_learn_minutes(text, minutes):
    assert course.time_to_learn_minutes(text) == minutes


def test_reading_order_lists_every_notebook_in_order_with_a_title_and_time():
    order = course.reading_order()
    files = [p.name for p in course.notebook_files()]
    assert list(order["notebook"]) == files == sorted(files)
    assert files[0] == "00_start_here.ipynb"
    assert order["title"].str.len().gt(0).all()
    assert order["minutes"].notna().all(), "every notebook states its time to learn"
    assert not order["title"].str.match(r"^\d\d\b").any(), "titles do not repeat the notebook number"


def test_start_page_lessons_reads_each_link_and_the_time_after_it(tmp_path):
    page = {
        "cells": [
            {"cell_type": "markdown", "source": ["# Start\n", "### [01 — One](01_one.ipynb)\n", "*About 30 minutes.*\n"]},
            {"cell_type": "code", "source": ["x = '[fake](09_code.ipynb) 5 minutes'"]},
            {"cell_type": "markdown", "source": ["### [02 — Two](02_two.ipynb)\n", "- no time here\n"]},
            {"cell_type": "markdown", "source": ["Next: [01 — One](01_one.ipynb), about 99 minutes"]},
        ]
    }
    (tmp_path / course.START_PAGE).write_text(__import__("json").dumps(page), encoding="utf-8")
    listed = course.start_page_lessons(tmp_path)
    assert list(listed.index) == ["01_one.ipynb", "02_two.ipynb"]  # code cells are not the page; first link wins
    assert listed["01_one.ipynb"] == 30 and listed.isna()["02_two.ipynb"]


def test_start_page_links_every_lesson_with_the_time_the_lesson_states():
    listed = course.start_page_lessons()
    lessons = course.reading_order().set_index("notebook")["minutes"].drop(course.START_PAGE)
    missing = sorted(set(lessons.index) - set(listed.index))
    assert not missing, f"the start page does not link {missing}"
    differ = {nb: (listed[nb], minutes) for nb, minutes in lessons.items() if listed[nb] != minutes}
    assert not differ, f"start page time vs the lesson's 'Time to learn' (page, lesson): {differ}"
