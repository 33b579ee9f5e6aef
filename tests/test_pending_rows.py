"""A row still "planned" or "announced" after its date is reported by ``validate`` (and ``record``) as a warning.

The warning is not an error: "planned, and no report of the outcome found by the day it was checked" is a true
state of knowledge. These tests work on throw-away copies of data/, editing one row of events or exercises.
"""

import csv
import io
import shutil
import subprocess
import sys
from datetime import date

import pytest

from utils import paths
from utils.read import data
from utils.write import tables
from utils.write.validation import pending_rows_past_their_date


@pytest.fixture()
def data_copy(tmp_path, monkeypatch):
    """A copy of data/ that CSTO_DATA_DIR points at."""
    folder = tmp_path / "data"
    shutil.copytree(paths.DEFAULT_DATA_DIR, folder)
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(folder))
    data.forget_parsed()
    yield folder
    data.forget_parsed()


def _edit_row(folder, name, key, **changes):
    """Change columns of the row whose first column is ``key``, keep the file's CSV layout, return its row number."""
    path = folder / f"{name}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = rows[0]
    number = next(i for i, row in enumerate(rows) if row[0] == key) + 1
    for column, value in changes.items():
        rows[number - 1][header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return number


def test_a_planned_event_past_its_day_is_named_with_file_row_and_id(data_copy):
    row = _edit_row(data_copy, "events", "plan_2026", status="planned")  # 12 February 2026
    warnings = pending_rows_past_their_date("events", today=date(2026, 2, 13))
    assert warnings == [
        f"warning: {paths.display(data_copy / 'events.csv')} row {row} (plan_2026): status 'planned', but its date "
        "(12 February 2026) has passed; record what happened, or say in the row that no report of the outcome "
        "was found by the day you checked"
    ]
    assert pending_rows_past_their_date("events", today=date(2026, 2, 12)) == [], "not past on the day itself"


def test_a_date_known_to_the_month_or_year_passes_only_when_the_month_or_year_is_over(data_copy):
    _edit_row(data_copy, "exercises", "skala_2026", end="", end_precision="")  # start 2026-10-13, day
    _edit_row(data_copy, "exercises", "cobalt_2026", start="2026-10-01", start_precision="month")
    _edit_row(data_copy, "exercises", "ib_2026", start="2026-01-01", start_precision="year")
    on = {day: " ".join(pending_rows_past_their_date("exercises", today=day))
          for day in (date(2026, 10, 14), date(2026, 11, 1), date(2027, 1, 1))}
    assert "skala_2026" in on[date(2026, 10, 14)] and "cobalt_2026" not in on[date(2026, 10, 14)]
    assert "its start (October 2026) has passed" in on[date(2026, 11, 1)] and "ib_2026" not in on[date(2026, 11, 1)]
    assert "ib_2026" in on[date(2027, 1, 1)] and "its start (2026) has passed" in on[date(2027, 1, 1)]


def test_the_end_date_counts_when_there_is_one(data_copy):
    _edit_row(data_copy, "exercises", "interaction_2025", status="announced")  # 31 August - 6 September 2025
    assert not any("interaction_2025" in w for w in pending_rows_past_their_date("exercises", today=date(2025, 9, 3)))
    late = [w for w in pending_rows_past_their_date("exercises", today=date(2025, 9, 7)) if "interaction_2025" in w]
    assert len(late) == 1 and "its end (6 September 2025) has passed" in late[0]


def test_rows_that_happened_or_have_no_status_are_never_reported(data_copy):
    assert pending_rows_past_their_date("memberships", today=date(2100, 1, 1)) == []
    reported = " ".join(pending_rows_past_their_date("events", today=date(2100, 1, 1)))
    assert "bishkek_2025" not in reported  # occurred


def test_validate_prints_the_warning_and_still_succeeds(data_copy, capsys):
    _edit_row(data_copy, "events", "plan_2026", status="planned")
    assert tables.main(["validate", "events"]) == 0
    out, err = capsys.readouterr()
    assert "events: valid" in out
    assert "(plan_2026): status 'planned', but its date (12 February 2026) has passed" in err


def test_the_command_line_warns_of_the_moscow_session_that_is_still_planned():
    # The real table: the session of 11 November 2026 had no reported outcome when the tables were last checked.
    result = subprocess.run([sys.executable, "-m", "utils.write.tables", "validate", "events"],
                            capture_output=True, text=True, cwd=paths.REPO_ROOT)
    assert result.returncode == 0, result.stderr
    assert "warning: data/events.csv row" in result.stderr and "(moscow_2026): status 'planned'" in result.stderr
    assert "Traceback" not in result.stderr
