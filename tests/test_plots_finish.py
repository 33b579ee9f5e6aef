"""The collection's figure finishing (``utils.plots.finish``) and the small text helpers the topic modules share."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from utils.plots import and_list, cited_sources, finish, new_figure, shorten

from helpers import footer_of

pytestmark = pytest.mark.usefixtures("close_figures")


def test_title_dollar_signs_are_escaped_so_they_are_not_read_as_mathematics():
    fig, _ = new_figure()
    finish(fig, "Spending rose from $5.1bn to $6.0bn", "seed_000")
    assert fig._suptitle.get_text() == r"Spending rose from \$5.1bn to \$6.0bn"
    assert footer_of(fig).startswith("Source: ")


def test_rows_citing_few_sources_list_them_and_many_point_to_the_table():
    rows = pd.DataFrame({"source_id": ["seed_000;seed_001", "seed_001", "seed_000"]})
    assert cited_sources(rows) == ["seed_000", "seed_001"]
    fig, _ = new_figure()
    finish(fig, "Few", rows=rows, table="events", note="A note.")
    footer = footer_of(fig)
    assert footer.startswith("A note.\nSources: ") and "cited row by row" not in footer
    fig, _ = new_figure()
    finish(fig, "Many", rows=rows, table="events", max_listed=1)
    assert footer_of(fig) == ("Sources: 2 sources, cited row by row in the table 'events' "
                              "(utils.data.load('events'); details in utils.data.load('sources')).")


def test_rows_need_their_table_and_exclude_source_ids():
    rows = pd.DataFrame({"source_id": ["seed_000"]})
    fig, _ = new_figure()
    with pytest.raises(TypeError, match="table="):
        finish(fig, "No table", rows=rows)
    with pytest.raises(TypeError, match="either source ids"):
        finish(fig, "Both", "seed_001", rows=rows, table="events")


def test_text_helpers():
    assert and_list([]) == "" and and_list(["Armenia"]) == "Armenia"
    assert and_list(["Armenia", "Belarus", "Russia"]) == "Armenia, Belarus and Russia"
    assert shorten("Collective Security Treaty", 30) == "Collective Security Treaty"
    assert shorten("Collective Security Treaty", 12) == "Collective…"
