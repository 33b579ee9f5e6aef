"""Unit tests for utils.paths and utils.read.data, on throw-away copies of the data folder."""

import re
import shutil
import subprocess
import sys

import pandas as pd

import pytest

from utils.read import data
from utils import paths
from utils.write import tables, validation


@pytest.fixture()
def data_copy(tmp_path, monkeypatch):
    """A copy of data/ that CSTO_DATA_DIR points at, so tests can edit tables freely."""
    folder = tmp_path / "data"
    shutil.copytree(paths.DEFAULT_DATA_DIR, folder)
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(folder))
    data.forget_parsed()
    yield folder
    data.forget_parsed()


def test_data_dir_defaults_to_the_repository(monkeypatch):
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    assert paths.data_dir() == paths.REPO_ROOT / "data"
    assert (paths.REPO_ROOT / "README.md").exists()


def test_data_dir_can_be_overridden(data_copy):
    assert paths.data_dir() == data_copy.resolve()


def test_override_to_a_missing_folder_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError, match="CSTO_DATA_DIR"):
        paths.data_dir()


def test_load_types_columns_from_the_schema():
    sources = data.load("sources")
    assert pd.api.types.is_datetime64_any_dtype(sources["accessed"])
    assert sources["source_id"].is_unique


def test_load_returns_a_copy_so_the_cache_cannot_be_corrupted():
    first = data.load("sources")
    first.loc[:, "title"] = "changed"
    assert (data.load("sources")["title"] != "changed").all()


def test_unknown_table_names_the_known_ones():
    with pytest.raises(KeyError, match="sources"):
        data.load("no_such_table")


def test_tables_catalogue_lists_every_table():
    catalogue = data.tables()
    assert set(catalogue["table"]) == set(data.table_names())
    assert (catalogue["rows"] > 0).all()
    assert {"title", "source", "rows"} <= set(catalogue.columns)


def test_describe_shows_schema_and_provenance():
    description = data.describe("sources")
    assert "source_id" in set(description.fields["column"])
    assert description.provenance["builder"]
    assert "sources" in str(description)


def test_describe_keeps_web_addresses_as_links_and_nothing_else(data_copy):
    from nbconvert.filters import markdown2html

    from utils.write import tables

    descriptor = data.read_descriptor("milex", data_copy)
    descriptor["provenance"]["source"] = "SIPRI (see https://www.sipri.org/databases/milex)."
    descriptor["provenance"]["note"] = "javascript:alert(1) and https://e.org/\"><b onmouseover=alert(1)>x</b>"
    tables.write_descriptor("milex", descriptor, data_copy)
    shown = markdown2html(data.describe("milex", data_copy)._repr_markdown_())
    assert '<a href="https://www.sipri.org/databases/milex">' in shown
    links = re.findall(r'<a href="([^"]*)"', shown)
    assert set(links) == {"https://www.sipri.org/databases/milex", "https://e.org/"}, links
    assert "<b " not in shown and "&lt;b onmouseover" in shown and "javascript:alert(1)" in shown


EXTRA_SOURCE = "extra_src,An extra source,Someone,https://example.org,2024-01-01,2026-11-24,news,,Someone,news,\n"


def test_an_edited_hand_built_table_is_refused_until_recorded(data_copy):
    csv = data_copy / "sources.csv"
    csv.write_text(csv.read_text() + EXTRA_SOURCE)
    with pytest.raises(data.TableRefused, match="python -m utils.write.tables record sources") as error:
        data.load("sources")
    assert "\n" not in str(error.value), "one line"
    tables.record("sources")
    assert "extra_src" in set(data.load("sources")["source_id"])


def test_an_edited_official_extract_is_refused_with_the_command_that_rebuilds_it(data_copy):
    csv = data_copy / "milex.csv"
    lines = csv.read_text().splitlines(keepends=True)
    csv.write_text("".join(lines[:-1]))  # a deleted row
    with pytest.raises(data.TableRefused, match="never edited by hand: run python -m utils.write.refresh milex"):
        data.load("milex")


def test_a_folder_in_the_middle_of_a_change_is_refused_with_the_command_to_run(data_copy):
    paths.pending_path(data_copy).mkdir()
    with pytest.raises(data.TableRefused, match="python -m utils.write.tables recover"):
        data.load("sources")
    assert tables.main(["recover"]) == 0  # a pending folder without a journal never started: removed
    assert not paths.pending_path(data_copy).exists()
    assert len(data.load("sources")) > 0


def test_an_edit_made_while_a_kernel_runs_is_seen_at_the_next_load(data_copy):
    before = data.load("sources")
    csv = data_copy / "sources.csv"
    csv.write_text(csv.read_text() + EXTRA_SOURCE)
    tables.record("sources")
    after = data.load("sources")
    assert len(after) == len(before) + 1 and "extra_src" in set(after["source_id"])


@pytest.mark.parametrize(
    "bad_row, column",
    [
        ("bad_kind,T,A,https://x.org,2024-01-01,2026-11-24,blog,,A,news", "kind"),
        ("bad_date,T,A,https://x.org,2024-13-01,2026-11-24,news,,A,news", "published"),
        ("Bad Id,T,A,https://x.org,2024-01-01,2026-11-24,news,,A,news", "source_id"),
        ("seed_000,T,A,https://x.org,2024-01-01,2026-11-24,news,,A,news", "source_id"),  # duplicate key
    ],
)
def test_invalid_edit_names_file_row_and_column(data_copy, bad_row, column):
    csv = data_copy / "sources.csv"
    before = csv.read_text()
    csv.write_text(before + bad_row + "\n")
    row_number = before.count("\n") + 1
    with pytest.raises(validation.DataValidationError) as error:
        validation.validate_table("sources")
    message = str(error.value)
    assert "sources.csv" in message
    assert f"row {row_number}" in message
    assert f"'{column}'" in message or column in message


def test_command_line_reports_an_invalid_table(data_copy):
    csv = data_copy / "sources.csv"
    csv.write_text(csv.read_text() + "bad_kind,T,A,https://x.org,2024-01-01,2026-11-24,blog,\n")
    result = subprocess.run(
        [sys.executable, "-m", "utils.write.tables", "validate", "sources"], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "sources.csv" in result.stderr and "Traceback" not in result.stderr


def test_unknown_source_id_is_refused(data_copy):
    # Any hand-built table's source_id must resolve in sources.csv; build a minimal one here.
    (data_copy / "toy.csv").write_text("item,source_id\na,seed_000\nb,seed_000;nope_source\n")
    descriptor = {
        "name": "toy",
        "path": "toy.csv",
        "schema": {
            "fields": [{"name": "item", "type": "string"}, {"name": "source_id", "type": "string"}],
            "missingValues": [""],
        },
    }
    tables.write_descriptor("toy", descriptor, data_copy)
    with pytest.raises(validation.DataValidationError, match=r"row 3, column 'source_id': 'nope_source'"):
        validation.validate_table("toy")


