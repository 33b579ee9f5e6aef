"""utils.course: the reading order read from the notebooks themselves."""

import pytest

from utils import course


@pytest.mark.parametrize(
    "text, minutes",
    [("About 45 minutes.", 45), ("40-60 min", 60), ("30 to 40 minutes", 40), ("No estimate.", None)],
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
