"""A refresh you can trust: one writer at a time, impossible values refused, all files or none.

Real processes where it matters: two refreshes run at once, and a refresh killed between two renames (the test
hook ``CSTO_TEST_PAUSE`` stops a writer at a named point until the test resumes or kills it; no timing guesses).
Every writing test works on a copy of data/ (``CSTO_DATA_DIR``) and compares it byte for byte.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from utils.read import data
from utils import paths
from utils.write import refresh, refresh_plan, transaction
from utils.write.importers import SourceFormatError, cow, sipri_arms, sipri_milex, ucdp, worldbank
from utils.write import tables, validation

from test_refresh import make_workbook, set_workbook_cell

NMC = Path("cow_nmc/NMC-60-abridged.csv")
WB_PERSONNEL = Path("worldbank_wdi/API_MS.MIL.TOTL.P1_DS2_en_csv_v2_115556__SUBSET_CSTO9_plus_World.csv")
WB_POPULATION = Path("worldbank_wdi/population.csv")
UCDP = Path("ucdp_acd/UcdpPrioConflict_v25_1.csv")
REGISTER = Path("sipri_arms_transfers/trade-register.csv")
ANNUAL = Path("sipri_arms_transfers/trade_2023.csv")


# --------------------------------------------------------------------------------------------- helpers


def fingerprint(folder: Path) -> dict[str, str]:
    """sha256 of every file in a folder, hidden ones included (so leftovers are caught)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def beside(folder: Path) -> list[str]:
    """What the writers left beside the data folder: only the lock file may stay."""
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


def run(capsys, *argv):
    """Run the command in-process; return (exit status, stdout, stderr)."""
    status = refresh.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def start(folder: Path, *argv, pause: str | None = None, stderr_to: Path | None = None) -> subprocess.Popen:
    """Start ``python -m utils.write.refresh ARGV`` on ``folder`` as a real process (optionally pausing at a point, and
    writing its stderr to a file that the test can read while it runs)."""
    environment = {**os.environ, paths.DATA_DIR_ENV: str(folder)}
    environment.pop(transaction.PAUSE_ENV, None)
    if pause:
        environment[transaction.PAUSE_ENV] = pause
    stderr = stderr_to.open("w", encoding="utf-8") if stderr_to else subprocess.PIPE
    return subprocess.Popen([sys.executable, "-m", "utils.write.refresh", *map(str, argv)], env=environment,
                            stdout=subprocess.PIPE, stderr=stderr, text=True)


def wait_for(condition, process: subprocess.Popen, what: str) -> None:
    """Wait until ``condition()`` holds; fail clearly if the process ends first (or after two minutes)."""
    for _ in range(2400):
        if condition():
            return
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"the process ended (status {process.returncode}) before {what}:\n{out}\n{err}")
        time.sleep(0.05)
    process.kill()
    pytest.fail(f"timed out waiting for {what}")


def edit_csv(source: Path, target: Path, change, encoding="utf-8", delimiter=",", newline="\n") -> Path:
    """Copy a CSV file, letting ``change(rows)`` edit its records (lists of fields) in place."""
    text = source.read_bytes().decode(encoding)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    change(rows)
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    target.write_bytes(out.getvalue().encode(encoding))
    return target


def _row(rows, **where):
    """Index of the first record whose named columns (by header) hold the given values."""
    header_at = next(i for i, r in enumerate(rows) if set(where) <= set(c.strip() for c in r))
    header = [c.strip() for c in rows[header_at]]
    for index in range(header_at + 1, len(rows)):
        row = rows[index]
        if len(row) == len(header) and all(row[header.index(k)].strip() == v for k, v in where.items()):
            return header, index
    raise AssertionError(f"no row with {where}")


def set_cell(column: str, value: str, **where):
    def change(rows):
        header, index = _row(rows, **where)
        rows[index][header.index(column)] = value
    return change


def revised_cow(shared: Path, tmp_path: Path) -> Path:
    """The NMC file with Armenia's 2010 military personnel revised to 77 thousand."""
    return edit_csv(shared / NMC, tmp_path / "nmc-revised.csv", set_cell("milper", "77", ccode="371", year="2010"))


def revised_world_bank(shared: Path, tmp_path: Path) -> Path:
    """The World Bank personnel file with Armenia's 2010 armed forces revised to 55,555."""
    def change(rows):
        header, index = _row(rows, **{"Country Code": "ARM"})
        rows[index][header.index("2010")] = "55555"
    return edit_csv(shared / WB_PERSONNEL, tmp_path / "API_personnel_revised.csv", change)


def personnel_value(folder: Path, source_id: str) -> str:
    rows = list(csv.DictReader((folder / "personnel.csv").open(encoding="utf-8")))
    return next(r["active_personnel"] for r in rows
                if r["country"] == "ARM" and r["year"] == "2010" and r["source_id"] == source_id)


# --------------------------------------------------------------------------------------------- one writer at a time


@pytest.mark.shared
def test_two_refreshes_feeding_one_table_at_once_both_land(shared_sources, data_copy, tmp_path):
    cow_file, wb_file = revised_cow(shared_sources, tmp_path), revised_world_bank(shared_sources, tmp_path)
    first = start(data_copy, "cow", cow_file)
    second = start(data_copy, "worldbank", wb_file)
    results = [process.communicate() + (process.returncode,) for process in (first, second)]
    for out, err, status in results:
        assert status == 0, err
        assert "Wrote personnel.csv" in out
    # Neither revision is lost: the second writer re-read the table the first one wrote.
    assert personnel_value(data_copy, "cow_nmc_6") == "77000"
    assert personnel_value(data_copy, "wb_personnel") == "55555"
    validation.validate_table("personnel", data_copy)
    assert beside(data_copy) == [f".{data_copy.name}.lock"]


@pytest.mark.shared
@pytest.mark.parametrize("source, revised, refreshed, kept, kept_value", [
    ("worldbank", revised_world_bank, ("wb_personnel", "55555"), "cow_nmc_6", "47001"),
    ("cow", revised_cow, ("cow_nmc_6", "77000"), "wb_personnel", "55529"),
])
def test_a_refresh_with_data_dir_merges_with_that_folders_rows_and_provenance(
        source, revised, refreshed, kept, kept_value, shared_sources, data_copy, tmp_path, capsys):
    """--data-dir FOLDER: the other source's rows of ``personnel`` and its recorded retrieval date come from
    FOLDER, not from the default data folder (here ``data_copy``, a copy of data/ that CSTO_DATA_DIR names)."""
    folder = tmp_path / "elsewhere"
    shutil.copytree(data_copy, folder)
    # In FOLDER, the other source's Armenia 2010 row and its file's retrieval date differ from the default folder's.
    edit_csv(folder / "personnel.csv", folder / "personnel.csv",
             set_cell("active_personnel", kept_value, country="ARM", year="2010", source_id=kept))
    descriptor = data.read_descriptor("personnel", folder)
    entry = next(e for e in descriptor["provenance"]["source_files"] if e["role"] == kept)
    assert entry["retrieved"] != "2026-01-02"
    entry["retrieved"] = "2026-01-02"
    paths.table_descriptor("personnel", folder).write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")
    default_before = fingerprint(data_copy)

    status, out, err = run(capsys, source, revised(shared_sources, tmp_path), "--data-dir", folder)

    assert status == 0, out + err
    assert personnel_value(folder, refreshed[0]) == refreshed[1]
    assert personnel_value(folder, kept) == kept_value  # FOLDER's row kept, not the default folder's
    files = data.read_descriptor("personnel", folder)["provenance"]["source_files"]
    assert next(e for e in files if e["role"] == kept)["retrieved"] == "2026-01-02"
    assert fingerprint(data_copy) == default_before


@pytest.mark.shared
def test_a_second_writer_waits_for_the_first_and_keeps_its_rows(shared_sources, data_copy, tmp_path):
    cow_file, wb_file = revised_cow(shared_sources, tmp_path), revised_world_bank(shared_sources, tmp_path)
    marker = tmp_path / "first-holds-the-lock"
    first = start(data_copy, "cow", cow_file, pause=f"locked:{marker}")
    wait_for(marker.exists, first, "the first refresh took the lock")
    log = tmp_path / "second-stderr"
    second = start(data_copy, "worldbank", wb_file, stderr_to=log)
    # The second one reads personnel.csv only once it holds the lock: wait until it says it is waiting, then
    # let the first one go on.
    wait_for(lambda: "Waiting for another refresh" in log.read_text(encoding="utf-8"), second,
             "the second refresh said it is waiting")
    marker.unlink()
    out1, err1 = first.communicate()
    second.communicate()
    assert first.returncode == 0 and second.returncode == 0, err1 + log.read_text(encoding="utf-8")
    assert personnel_value(data_copy, "cow_nmc_6") == "77000"
    assert personnel_value(data_copy, "wb_personnel") == "55555"


@pytest.mark.shared
def test_a_writer_that_cannot_get_the_lock_refuses_in_one_line(shared_sources, data_copy, tmp_path):
    cow_file, wb_file = revised_cow(shared_sources, tmp_path), revised_world_bank(shared_sources, tmp_path)
    marker = tmp_path / "first-holds-the-lock"
    first = start(data_copy, "cow", cow_file, pause=f"locked:{marker}")
    wait_for(marker.exists, first, "the first refresh took the lock")
    before = fingerprint(data_copy)
    second = subprocess.run(
        [sys.executable, "-m", "utils.write.refresh", "worldbank", str(wb_file)], capture_output=True, text=True,
        env={**os.environ, paths.DATA_DIR_ENV: str(data_copy), transaction.LOCK_TIMEOUT_ENV: "0.2"},
    )
    assert second.returncode == 1
    errors = [line for line in second.stderr.splitlines() if line.strip() and not line.startswith("Waiting")]
    assert errors[0].startswith("error: another refresh (or record) is writing"), second.stderr
    assert len(errors) <= 2 and "Traceback" not in second.stderr
    assert fingerprint(data_copy) == before  # the refused writer wrote nothing
    marker.unlink()
    assert first.wait() == 0
    assert personnel_value(data_copy, "cow_nmc_6") == "77000"


def test_record_takes_the_same_lock(data_copy, tmp_path):
    marker = tmp_path / "record-holds-the-lock"
    environment = {**os.environ, paths.DATA_DIR_ENV: str(data_copy), transaction.PAUSE_ENV: f"locked:{marker}"}
    holder = subprocess.Popen([sys.executable, "-m", "utils.write.tables", "record", "events"], env=environment,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(marker.exists, holder, "record took the lock")
    other = subprocess.run([sys.executable, "-m", "utils.write.tables", "record", "sources"], capture_output=True, text=True,
                           env={**os.environ, paths.DATA_DIR_ENV: str(data_copy), transaction.LOCK_TIMEOUT_ENV: "0"})
    assert other.returncode == 1
    assert other.stderr.strip().startswith("error: another refresh (or record) is writing"), other.stderr
    marker.unlink()
    assert holder.wait() == 0


# --------------------------------------------------------------------------------------------- read outside the lock
# A refresh reads its file and plans without the lock (a SIPRI sheet of 95 MB once kept the folder locked for 129 s),
# and under the lock checks that the folder is as its plan found it, or plans again.

EXTRA_SOURCE = ("extra_src,An extra source,Someone,https://example.org,2024-01-01,2026-11-24,news,,Someone,news,\n")


def test_a_writer_is_not_kept_waiting_while_a_refresh_reads_its_file(synthetic_milex, tmp_path, monkeypatch,
                                                                      capsys):
    # The importer is held in the middle of reading the workbook; record must get the lock at once (no wait
    # allowed), and the refresh then lands on top of what record wrote.
    reading, resume = threading.Event(), threading.Event()
    real_read = sipri_milex.read

    def held_read(path, progress=None):
        reading.set()
        assert resume.wait(120), "the test never let the read finish"
        return real_read(path, progress)

    monkeypatch.setattr(sipri_milex, "read", held_read)
    monkeypatch.setenv(transaction.LOCK_TIMEOUT_ENV, "0")
    path = make_workbook(tmp_path / "revised.xlsx", set_workbook_cell("Current US$", "Armenia", 2020, 95))
    outcome = {}
    refreshing = threading.Thread(target=lambda: outcome.update(status=refresh.main(["milex", str(path)])))
    refreshing.start()
    try:
        assert reading.wait(60), "the refresh never started reading"
        sources = synthetic_milex / "sources.csv"
        sources.write_text(sources.read_text(encoding="utf-8") + EXTRA_SOURCE, encoding="utf-8")
        tables.record("sources")  # FolderBusy if the reading refresh held the lock
        assert refreshing.is_alive()  # record finished while the refresh was still reading
    finally:
        resume.set()
        refreshing.join(120)
    out, err = capsys.readouterr()
    assert outcome.get("status") == 0, out + err
    assert "Wrote milex.csv" in out
    assert "extra_src" in set(data.load("sources", synthetic_milex)["source_id"])  # record's change is kept
    milex = data.load("milex", synthetic_milex)
    assert milex.query("iso3 == 'ARM' and year == 2020 and measure == 'current_usd'")["value"].tolist() == [95]
    package = {r["name"]: r for r in __import__("json").loads((synthetic_milex / "datapackage.json").read_text())[
        "resources"]}
    assert package["sources"]["hash"] == data.read_descriptor("sources", synthetic_milex)["hash"]


def _without_year(year):
    """An edit for make_workbook: the year's column removed from every data sheet (an older release)."""
    def edit(workbook):
        for sheet in workbook.worksheets:
            for header_row in (6, 7, 8):
                columns = [cell.column for cell in sheet[header_row] if cell.value == year]
                if columns and sheet.cell(header_row, 1).value == "Country":
                    sheet.delete_cols(columns[0])
    return edit


def test_a_change_landing_between_plan_and_write_is_not_lost(synthetic_milex, tmp_path):
    # The first refresh planned against a milex table without a comparison release; before it writes, a second one
    # installs a comparison release. Written as planned, the first would drop it: it plans again and keeps it.
    revised = make_workbook(tmp_path / "revised.xlsx", set_workbook_cell("Current US$", "Armenia", 2020, 95))
    marker = tmp_path / "first-has-planned"
    log = tmp_path / "first-stderr"
    first = start(synthetic_milex, "milex", revised, pause=f"planned:{marker}", stderr_to=log)
    wait_for(marker.exists, first, "the first refresh made its plan")
    second = subprocess.run(
        [sys.executable, "-m", "utils.write.refresh", "milex", str(make_workbook(tmp_path / "same.xlsx")),
         "--comparison", str(make_workbook(tmp_path / "older.xlsx", _without_year(2025), release=2025, base=2023))],
        capture_output=True, text=True,
        env={**os.environ, paths.DATA_DIR_ENV: str(synthetic_milex), transaction.LOCK_TIMEOUT_ENV: "0"})
    assert second.returncode == 0, second.stderr  # not kept waiting by the first either
    assert set(data.load("milex", synthetic_milex)["release"]) == {2026, 2025}
    marker.unlink()
    out, _ = first.communicate()
    err = log.read_text(encoding="utf-8")
    assert first.returncode == 0, out + err
    assert "changed while revised.xlsx was being read and planned" in err and "planning again" in err
    milex = data.load("milex", synthetic_milex)
    assert set(milex["release"]) == {2026, 2025}  # the second refresh's comparison release is kept
    assert milex.query("iso3 == 'ARM' and year == 2020 and measure == 'current_usd'")["value"].tolist() == [95]
    assert data.read_descriptor("milex", synthetic_milex)["provenance"]["comparison"]["release"] == 2025
    validation.validate_table("milex", synthetic_milex)


@pytest.mark.shared
def test_a_refresh_feeding_the_same_table_between_plan_and_write_keeps_its_rows(shared_sources, data_copy, tmp_path):
    # COW and the World Bank both feed personnel: the World Bank refresh has merged its rows with the COW rows it
    # read; the COW refresh lands before it writes; it plans again (reading its CSV again) and keeps the new rows.
    cow_file, wb_file = revised_cow(shared_sources, tmp_path), revised_world_bank(shared_sources, tmp_path)
    marker = tmp_path / "first-has-planned"
    log = tmp_path / "first-stderr"
    first = start(data_copy, "worldbank", wb_file, pause=f"planned:{marker}", stderr_to=log)
    wait_for(marker.exists, first, "the World Bank refresh made its plan")
    second = subprocess.run([sys.executable, "-m", "utils.write.refresh", "cow", str(cow_file)], capture_output=True,
                            text=True, env={**os.environ, paths.DATA_DIR_ENV: str(data_copy),
                                            transaction.LOCK_TIMEOUT_ENV: "0"})
    assert second.returncode == 0, second.stderr
    marker.unlink()
    out, _ = first.communicate()
    assert first.returncode == 0, out + log.read_text(encoding="utf-8")
    assert "planning again" in log.read_text(encoding="utf-8")
    assert personnel_value(data_copy, "cow_nmc_6") == "77000"
    assert personnel_value(data_copy, "wb_personnel") == "55555"
    validation.validate_table("personnel", data_copy)
    assert beside(data_copy) == [f".{data_copy.name}.lock"]


# --------------------------------------------------------------------------------------------- no scratch left behind


def scratch_beside(folder: Path) -> list[Path]:
    return sorted(folder.parent.glob(f".{folder.name}.{transaction.STAGE_PREFIX}*"))


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_refresh_stopped_while_checking_claims_deletes_its_scratch_folder(synthetic_milex, tmp_path, stop):
    before = fingerprint(synthetic_milex)
    revised = make_workbook(tmp_path / "revised.xlsx", set_workbook_cell("Current US$", "Armenia", 2020, 95))
    marker = tmp_path / "checking"
    writer = start(synthetic_milex, "milex", revised, pause=f"checking:{marker}")
    wait_for(marker.exists, writer, "the refresh began grading the claims")
    stage = scratch_beside(synthetic_milex)
    assert len(stage) == 1 and stage[0].name.startswith(f".synthetic.csto-refresh-{writer.pid}-")
    assert (stage[0] / "data" / "milex.csv").exists()  # the copy holding the new table
    writer.send_signal(stop)
    out, err = writer.communicate()
    assert writer.returncode == 130 and err.strip() == "Interrupted: nothing was written.", err
    assert scratch_beside(synthetic_milex) == []
    assert fingerprint(synthetic_milex) == before


def test_a_scratch_folder_left_by_sigkill_is_deleted_by_the_next_command_and_a_live_one_is_kept(
        synthetic_milex, tmp_path):
    # SIGKILL cannot be caught: the scratch folder stays until recover (or record, or any refresh) sees that its
    # process is gone. A refresh still running keeps its own.
    revised = make_workbook(tmp_path / "revised.xlsx", set_workbook_cell("Current US$", "Armenia", 2020, 95))
    environment = {**os.environ, paths.DATA_DIR_ENV: str(synthetic_milex)}
    killed_marker, live_marker = tmp_path / "killed", tmp_path / "live"
    live = start(synthetic_milex, "milex", revised, pause=f"checking:{live_marker}")
    wait_for(live_marker.exists, live, "the first refresh began grading the claims")
    killed = start(synthetic_milex, "milex", revised, pause=f"checking:{killed_marker}")
    wait_for(killed_marker.exists, killed, "the second refresh began grading the claims")
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    left = [stage for stage in scratch_beside(synthetic_milex) if f"-{killed.pid}-" in stage.name]
    assert len(left) == 1 and len(scratch_beside(synthetic_milex)) == 2
    done = subprocess.run([sys.executable, "-m", "utils.write.tables", "recover"], capture_output=True, text=True,
                          env=environment)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Deleted 1 scratch folder of killed refreshes"), done.stdout
    remaining = scratch_beside(synthetic_milex)
    assert left[0] not in remaining and len(remaining) == 1 and f"-{live.pid}-" in remaining[0].name
    live_marker.unlink()
    out, err = live.communicate()
    assert live.returncode == 0, out + err
    assert scratch_beside(synthetic_milex) == []
    assert beside(synthetic_milex) == [f".{synthetic_milex.name}.lock"]


def test_a_dry_run_beside_a_folder_it_cannot_write_stages_in_the_temporary_folder(data_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if Path(path) == data_copy.parent
                        else real_access(path, mode))
    with transaction.scratch(data_copy) as stage:
        assert stage.parent == tmp_path / "tmp" and stage.name.startswith(f"csto-refresh-{os.getpid()}-")
    assert not stage.exists() and scratch_beside(data_copy) == []


# --------------------------------------------------------------------------------------------- all files or none


#: Fingerprints of complete refreshes, by source and by the content of the file refreshed from (the same for every
#: test that kills that refresh somewhere: computed once per test process).
_REFERENCES: dict[tuple[str, str], dict[str, str]] = {}


def _reference(shared_sources: Path, tmp_path: Path, source: str, file: Path) -> dict[str, str]:
    """The data folder a complete refresh produces (run in another copy of data/)."""
    key = (source, hashlib.sha256(file.read_bytes()).hexdigest())
    if key not in _REFERENCES:
        folder = tmp_path / "reference"
        shutil.copytree(paths.DEFAULT_DATA_DIR, folder)
        done = subprocess.run([sys.executable, "-m", "utils.write.refresh", source, str(file)], capture_output=True,
                              text=True, env={**os.environ, paths.DATA_DIR_ENV: str(folder)})
        assert done.returncode == 0, done.stderr
        _REFERENCES[key] = fingerprint(folder)
    return _REFERENCES[key]


@pytest.mark.shared
@pytest.mark.parametrize("point,outcome", [
    ("staged", "old"),      # new files staged, journal not yet written: the change never started
    ("journal", "new"),     # journal written, nothing renamed yet: the change is decided
    ("rename-1", "new"),    # killed between the CSV's rename and the descriptor's
])
@pytest.mark.parametrize("next_command", ["recover", "validate", "refresh"])
def test_a_refresh_killed_at_any_point_leaves_old_or_new_data(shared_sources, data_copy, tmp_path, point, outcome,
                                                              next_command):
    new_file = revised_world_bank(shared_sources, tmp_path)
    expected = _reference(shared_sources, tmp_path, "worldbank", new_file) if outcome == "new" else fingerprint(data_copy)
    marker = tmp_path / "paused"
    writer = start(data_copy, "worldbank", new_file, pause=f"{point}:{marker}")
    wait_for(marker.exists, writer, f"the refresh reached {point}")
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    if point == "rename-1":
        assert fingerprint(data_copy) != expected  # really half-written: new CSV, old descriptor
    # A reader refuses the half-changed folder in one line naming the command; the write wing finishes or undoes it.
    with pytest.raises(data.TableRefused, match="python -m utils.write.tables recover"):
        data.load("personnel", data_copy)
    argv = {"recover": ["-m", "utils.write.tables", "recover"],
            "validate": ["-m", "utils.write.tables", "validate", "personnel"],
            "refresh": ["-m", "utils.write.refresh", "cow", str(shared_sources / NMC)]}[next_command]
    done = subprocess.run([sys.executable, *argv], capture_output=True, text=True,
                          env={**os.environ, paths.DATA_DIR_ENV: str(data_copy)})
    assert done.returncode == 0, done.stderr
    if outcome == "new":
        assert "finished an interrupted write" in done.stderr
        assert len([line for line in done.stderr.splitlines() if "interrupted" in line]) == 1
    assert fingerprint(data_copy) == expected
    assert beside(data_copy) == [f".{data_copy.name}.lock"]  # no journal, no pending files


@pytest.mark.shared
def test_ctrl_c_between_two_renames_puts_the_old_files_back(shared_sources, data_copy, tmp_path):
    before = fingerprint(data_copy)
    marker = tmp_path / "paused"
    writer = start(data_copy, "worldbank", revised_world_bank(shared_sources, tmp_path), pause=f"rename-1:{marker}")
    wait_for(marker.exists, writer, "the first rename")
    writer.send_signal(signal.SIGINT)
    out, err = writer.communicate()
    assert writer.returncode == 130
    assert err.strip() == "Interrupted: nothing was written.", err
    assert fingerprint(data_copy) == before
    assert beside(data_copy) == [f".{data_copy.name}.lock"]


def test_leftovers_of_killed_runs_are_removed_by_the_next_writer(data_copy, tmp_path, monkeypatch, capsys):
    # A temporary file an earlier version staged inside data/, and a staging folder of a dead refresh.
    (data_copy / ".events.csv.x1y2.tmp").write_bytes(b"half a file")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f"csto-refresh-{dead.stdout.strip()}-abcd"
    (stale / "data").mkdir(parents=True)
    alive = tmp_path / f"csto-refresh-{os.getpid()}-efgh"
    alive.mkdir()
    tables.record("events")
    assert not (data_copy / ".events.csv.x1y2.tmp").exists()
    refresh.main(["ucdp", str(tmp_path / "missing.csv")])  # even a refused run sweeps dead runs' folders
    capsys.readouterr()
    assert not stale.exists() and alive.exists()


# --------------------------------------------------------------------------------------------- impossible values


def _refused(capsys, folder: Path, argv, words) -> None:
    """The refresh exits 1 with at most two lines naming the place and the bound, and data/ is unchanged."""
    before = fingerprint(folder)
    status, out, err = run(capsys, *argv)
    lines = [line for line in err.splitlines() if line.strip()]
    assert status == 1, out + err
    assert 1 <= len(lines) <= 2 and "Traceback" not in err, err
    for word in words:
        assert word in lines[0], f"{word!r} not in {lines[0]}"
    assert fingerprint(folder) == before
    assert beside(folder) in ([], [f".{folder.name}.lock"])


CSV_CASES = {
    # name: (source, official file, edit, encoding/delimiter, words in the message)
    "arms register: a delivery year of 2999": (
        "arms", REGISTER, "latin-1", ",",
        lambda rows: _register_delivery(rows, "2999"),
        ["column K ('Year(s) of delivery')", "expected a year from 1900 to 2025", "2025-03-13", "'2999'"]),
    "arms register: an order year of 2999": (
        "arms", REGISTER, "latin-1", ",",
        lambda rows: _register_cell(rows, "Year of order", "2999"),
        ["column C ('Year of order')", "to 2025", "'2999'"]),
    "arms register: a number ordered beyond 64 bits": (
        "arms", REGISTER, "latin-1", ",",
        lambda rows: _register_cell(rows, "Number ordered", "99999999999999999999999"),
        ["column E ('Number ordered')", "from 0 to 1,000,000"]),
    "arms annual export: a TIV of 1e308": (
        "arms", ANNUAL, "latin-1", ",",
        set_cell("TIV delivery values", "1e308", Recipient="Armenia"),
        ["column P ('TIV delivery values')", "from 0 to 100,000", "'1e308'"]),
    "arms annual export: a delivery year of 2999": (
        "arms", ANNUAL, "latin-1", ",",
        set_cell("Delivery year", "2999", Recipient="Armenia"),
        ["('Delivery year')", "to 2025", "'2999'"]),
    "COW: a year of 3000": (
        "cow", NMC, "utf-8", ",", set_cell("year", "3000", ccode="365", year="2016"),
        ["column C ('year')", "expected a year from 1800 to 2021", "3000"]),
    "COW: military personnel beyond 64 bits": (
        "cow", NMC, "utf-8", ",", set_cell("milper", "99999999999999999999999", ccode="365", year="2010"),
        ["('milper')", "of at most 10,000"]),
    "World Bank long layout: a year of 3000": (
        "worldbank", WB_POPULATION, "utf-8", ",", set_cell("Year", "3000", **{"Country Code": "RUS", "Year": "2010"}),
        ["column C ('Year')", "expected a year from 1900 to", "'3000'"]),
    "World Bank long layout: a population beyond 64 bits": (
        "worldbank", WB_POPULATION, "utf-8", ",",
        set_cell("Value", "99999999999999999999999", **{"Country Code": "RUS", "Year": "2010"}),
        ["column D ('Value')", "from 0 to 10,000,000,000"]),
    "World Bank API layout: a value beyond 64 bits": (
        "worldbank", WB_PERSONNEL, "utf-8", ",", set_cell("2010", "99999999999999999999999", **{"Country Code": "ARM"}),
        ["(2010)", "from 0 to 10,000,000"]),
    "UCDP: a year of 2999": (
        "ucdp", UCDP, "utf-8", ";", set_cell("year", "2999", conflict_id="388", year="2020"),
        ["column K ('year')", "expected a year from 1900 to 2024", "'2999'"]),
    "UCDP: a conflict id beyond 64 bits": (
        "ucdp", UCDP, "utf-8", ";", set_cell("conflict_id", "99999999999999999999999", conflict_id="388", year="2020"),
        ["column A ('conflict_id')", "from 1 to 999,999"]),
    "UCDP: a start date in 2999": (
        "ucdp", UCDP, "utf-8", ";", set_cell("start_date2", "1-1-2999", conflict_id="388", year="2020"),
        ["('start_date2')", "in 2024 or before", "'1-1-2999'"]),
    "UCDP: a cell over the csv module's field limit": (
        "ucdp", UCDP, "utf-8", ";", set_cell("territory_name", "x" * 200_000, conflict_id="388", year="2020"),
        ["column J:", "a cell of 200,000 characters; expected at most 10,000"]),
    "COW: a cell longer than any official one": (
        "cow", NMC, "utf-8", ",", set_cell("stateabb", "R" * 20_000, ccode="365", year="2016"),
        ["column A", "a cell of 20,000 characters; expected at most 10,000"]),
}


def _register_header(rows):
    return next(i for i, r in enumerate(rows) if "Supplier" in r and "Recipient" in r)


def _register_cell(rows, column, value):
    at = _register_header(rows)
    index = rows[at].index(column)
    row = next(r for r in rows[at + 1:] if len(r) == len(rows[at]) and r[0] == "Armenia" and r[1] == "Russia")
    row[index] = value


def _register_delivery(rows, year):
    at = _register_header(rows)
    index = rows[at].index("Year(s) of delivery")
    row = next(r for r in rows[at + 1:] if len(r) == len(rows[at]) and r[0] == "Armenia" and "2024" in r[index])
    row[index] = row[index].replace("2024", year)


@pytest.mark.shared
@pytest.mark.parametrize("case", list(CSV_CASES))
def test_impossible_values_in_csv_files_are_refused(case, shared_sources, data_copy, tmp_path, capsys):
    source, official, encoding, delimiter, change, words = CSV_CASES[case]
    newline = "\r\n" if official == UCDP else "\n"
    path = edit_csv(shared_sources / official, tmp_path / official.name, change, encoding, delimiter, newline)
    _refused(capsys, data_copy, [source, path], [f"error: {path.name}, row "] + words)


MILEX_CASES = {
    "a spending value of 1e300": (set_workbook_cell("Current US$", "Russia", 2020, 1e300),
                                  ["sheet 'Current US$'", "(2020)", "from 0 to 10,000,000", "1e+300"]),
    "a share of GDP of 7.5 (750%)": (set_workbook_cell("Share of GDP", "Armenia", 2021, 7.5),
                                     ["sheet 'Share of GDP'", "(2021)", "from 0 to 1 (a fraction of GDP: 1 is 100%)",
                                      "'7.5'"]),
    "a share of government spending of 30": (set_workbook_cell("Share of Govt. spending", "Belarus", 2019, 30, header_row=8),
                                             ["sheet 'Share of Govt. spending'", "from 0 to 1", "'30.0'"]),
    "per-capita spending of a billion US$": (set_workbook_cell("Per capita", "Kazakhstan", 2019, 1e9, header_row=7),
                                             ["sheet 'Per capita'", "from 0 to 100,000"]),
}


@pytest.mark.parametrize("case", list(MILEX_CASES))
def test_impossible_values_in_the_milex_workbook_are_refused(case, data_copy, tmp_path, capsys):
    edit, words = MILEX_CASES[case]
    path = make_workbook(tmp_path / "milex.xlsx", edit)
    _refused(capsys, data_copy, ["milex", path], [f"error: {path.name}, sheet "] + words)


@pytest.mark.parametrize("importer", [cow, worldbank, ucdp, sipri_arms])
def test_a_huge_file_of_nul_bytes_is_refused_before_it_is_read(importer, tmp_path):
    path = tmp_path / "zeros.csv"
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # 200 MB of NUL bytes (a sparse file: no disk used)
    with pytest.raises(SourceFormatError) as error:
        importer.read(path)
    assert "zeros.csv: the file is 200 MB" in str(error.value) and "limit 64 MB" in str(error.value)


@pytest.mark.parametrize("importer", [cow, worldbank, ucdp, sipri_arms])
def test_nul_bytes_are_refused_with_their_place(importer, tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"a,b,c\n1,2,3\n" + b"\x00" * 1000)
    with pytest.raises(SourceFormatError) as error:
        importer.read(path)
    assert "binary.csv, row 3: NUL byte at byte 13" in str(error.value)


# --------------------------------------------------------------------------------------------- load() enforces the bounds


@pytest.mark.parametrize("table,column,match,value,words", [
    ("arms_transfers", "year", {"recipient": "ARM", "year": "2024"}, "2999", ["column 'year'", "2999"]),
    ("milex", "value", {"measure": "share_gdp", "iso3": "ARM", "year": "2021"}, "7.5",
     ["column 'value'", "7.5", "above 1", "share_gdp"]),
    ("gdp", "value", {"country": "RUS", "year": "2010"}, "1e300", ["column 'value'", "1e300"]),
    ("personnel", "active_personnel", {"country": "RUS", "year": "2010"}, "99999999999999999999999",
     ["column 'active_personnel'"]),
    ("conflicts", "conflict_id", {"conflict_id": "388", "year": "2020"}, "99999999999999999999999",
     ["column 'conflict_id'"]),
])
def test_load_refuses_an_edited_table_with_an_impossible_value(data_copy, table, column, match, value, words):
    path = data_copy / f"{table}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    index = next(i for i, r in enumerate(rows[1:], 1) if all(r[header.index(k)] == v for k, v in match.items()))
    rows[index][header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    with pytest.raises(data.TableRefused, match="never edited by hand"):
        data.load(table)  # an official extract edited by hand is refused before anything reads its values
    with pytest.raises(validation.DataValidationError) as error:
        validation.validate_table(table)
    message = str(error.value)
    assert f"{table}.csv" in message and f"row {index + 1}" in message
    for word in words:
        assert word in message, message


def test_descriptors_state_the_bounds_of_every_official_table():
    for table, columns in {"milex": ["year", "value"], "arms_transfers": ["year", "tiv"],
                           "arms_deals": ["order_year", "tiv_delivered", "number_ordered"],
                           "gdp": ["year", "value"], "population": ["year", "value"],
                           "personnel": ["year", "active_personnel"], "conflicts": ["year", "conflict_id"]}.items():
        fields = {f["name"]: f for f in data.read_descriptor(table, paths.DEFAULT_DATA_DIR)["schema"]["fields"]}
        for column in columns:
            constraints = fields[column].get("constraints", {})
            assert "minimum" in constraints and "maximum" in constraints, (table, column)
    years = {t: data.read_descriptor(t, paths.DEFAULT_DATA_DIR)["schema"]["fields"] for t in ("arms_deals", "conflicts")}
    assert next(f for f in years["arms_deals"] if f["name"] == "order_year")["constraints"]["maximum"] == 2025
    assert next(f for f in years["conflicts"] if f["name"] == "year")["constraints"]["maximum"] == 2024


# --------------------------------------------------------------------------------------------- clean edges


def test_validate_on_an_empty_folder_is_an_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path))
    assert tables.main(["validate"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "holds no tables" in err


def test_record_on_a_folder_that_cannot_be_written_is_one_line(data_copy, monkeypatch, capsys):
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if Path(path) == data_copy else real_access(path, mode))
    before = fingerprint(data_copy)
    assert tables.main(["record", "events"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: cannot write to") and "permission denied" in err
    assert fingerprint(data_copy) == before


def test_record_reports_an_os_error_in_one_line(data_copy, monkeypatch, capsys):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(data_copy / "events.resource.json"))

    monkeypatch.setattr(transaction, "commit", refuse)
    assert tables.main(["record", "events"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Permission denied" in err and "events.resource.json" in err


@pytest.mark.shared
def test_errors_name_the_users_files_never_a_staging_folder(shared_sources, data_copy, tmp_path, capsys):
    # A release that sources.csv does not list fails validation of the new table: the message names data/.
    path = make_workbook(tmp_path / "milex-2027.xlsx", release=2027)
    status, _, err = run(capsys, "milex", path)
    first = err.splitlines()[0]
    assert status == 1 and "milex.resource.json: row 2, column 'source_id'" in first
    assert "/" not in first  # no path at all, so no internal staging path


@pytest.mark.shared
def test_a_non_ascii_path_works_under_an_ascii_locale(shared_sources, data_copy, tmp_path):
    folder = tmp_path / "dösya"
    folder.mkdir()
    path = folder / "ucdp_é.csv"
    shutil.copy(shared_sources / UCDP, path)
    environment = {**os.environ, paths.DATA_DIR_ENV: str(data_copy), "LC_ALL": "C", "LANG": "C",
                   "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": "ascii"}
    for extra in (["--dry-run"], []):
        done = subprocess.run([sys.executable, "-m", "utils.write.refresh", "ucdp", os.fsencode(path), *extra],
                              capture_output=True, env=environment)
        assert done.returncode == 0, done.stderr.decode("ascii", "replace")
    assert '"file": "ucdp_é.csv"' in (data_copy / "conflicts.resource.json").read_text(encoding="utf-8")


@pytest.mark.shared
def test_a_refresh_of_four_files_killed_after_three_renames_lands_whole(shared_sources, data_copy, tmp_path):
    # The register feeds arms_transfers and arms_deals: CSV and descriptor each, four renames.
    register = edit_csv(shared_sources / REGISTER, tmp_path / "trade-register.csv",
                        lambda rows: _register_cell(rows, "SIPRI TIV of delivered weapons", "123.4"), "latin-1")
    expected = _reference(shared_sources, tmp_path, "arms", register)
    marker = tmp_path / "paused"
    writer = start(data_copy, "arms", register, pause=f"rename-3:{marker}")
    wait_for(marker.exists, writer, "the third rename")
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    with pytest.raises(data.TableRefused, match="recover"):
        data.load("arms_deals", data_copy)
    assert transaction.finish_interrupted(data_copy)  # one note saying the change was finished
    assert fingerprint(data_copy) == expected
    assert beside(data_copy) == [f".{data_copy.name}.lock"]


def test_an_undo_cut_short_is_finished_by_the_next_command(tmp_path):
    # What a writer leaves when killed while undoing: a.csv already replaced, b.csv new (it did not exist before).
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "a.csv").write_text("new\n")
    (folder / "b.csv").write_text("new\n")
    pending = transaction.pending_path(folder)
    (pending / "old").mkdir(parents=True)
    (pending / "old" / "a.csv").write_text("old\n")
    transaction.journal_path(folder).write_text(
        '{"direction": "back", "files": ["a.csv", "b.csv"], "created": ["b.csv"], "command": "refresh x"}')
    assert transaction.interrupted(folder)
    notes = transaction.finish_interrupted(folder)
    assert notes == [f"Note: undid an interrupted write to {folder} (refresh x): a.csv, b.csv are back as they were."]
    assert sorted(p.name for p in folder.iterdir()) == ["a.csv"] and (folder / "a.csv").read_text() == "old\n"
    assert not transaction.interrupted(folder)


def test_commit_replaces_only_what_changed_and_keeps_file_modes(tmp_path):
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "same.csv").write_text("same\n")
    (folder / "changed.csv").write_text("old\n")
    os.chmod(folder / "changed.csv", 0o640)
    with transaction.writing(folder):
        done = transaction.commit(folder, {"same.csv": b"same\n", "changed.csv": b"new\n", "added.csv": b"x\n"})
    assert sorted(p.name for p in done) == ["added.csv", "changed.csv"]
    assert (folder / "changed.csv").read_text() == "new\n" and (folder / "changed.csv").stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tables.lock", "tables"]


def test_a_workbook_that_unpacks_to_hundreds_of_megabytes_is_refused_before_opening(data_copy, tmp_path, capsys):
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook>" + b" " * (300 * 1024 * 1024) + b"</workbook>")
    _refused(capsys, data_copy, ["milex", path], ["error: bomb.xlsx: the workbook unpacks to 300 MB", "limit 100 MB"])


def test_an_overflowing_number_in_a_column_without_a_maximum_is_named(data_copy):
    path = data_copy / "conflicts.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[3][rows[0].index("start_prec")] = "99999999999999999999999"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    with pytest.raises(validation.DataValidationError) as error:
        validation.validate_table("conflicts")
    assert "conflicts.csv: row 4, column 'start_prec': value '99999999999999999999999' is not a whole number" in str(
        error.value)


# --------------------------------------------------------------------------------------------- plausible for this country
# Under every global ceiling, impossible for the country: each of these was once installed without a word.

WB_GDP = Path("worldbank_wdi/gdp.csv")

PLAUSIBILITY_CASES = {
    "World Bank: Armenia's 2010 population at 9 billion": (
        "worldbank", WB_POPULATION, set_cell("Value", "9000000000", **{"Country Code": "ARM", "Year": "2010"}),
        ["population: Armenia (ARM) 2010: 9,000,000,000 would replace the installed 3,044,800", "x1.5 at most"]),
    "World Bank: Armenia's 2010 GDP at US$ 90 trillion": (
        "worldbank", WB_GDP, set_cell("Value", "90000000000000", **{"Country Code": "ARM", "Year": "2010"}),
        ["gdp: Armenia (ARM) 2010: 90,000,000,000,000 would replace the installed", "x3 at most"]),
    "COW: 9,999 thousand Armenian soldiers": (
        "cow", NMC, set_cell("milper", "9999", ccode="371", year="2010"),
        ["personnel: Armenia (ARM), cow_nmc_6 2010: 9,999,000 would replace the installed"]),
    "arms: 99,999 million TIV from Russia to Armenia in one year": (
        "arms", ANNUAL, set_cell("TIV delivery values", "99999", Recipient="Armenia", Supplier="Russia"),
        ["arms_transfers: Russia (RUS), Armenia (ARM) ", "would replace the installed", "x10 at most"]),
}


@pytest.mark.shared
@pytest.mark.parametrize("case", list(PLAUSIBILITY_CASES))
def test_a_value_implausible_for_its_country_is_refused_in_one_line(case, shared_sources, data_copy, tmp_path, capsys):
    source, official, change, words = PLAUSIBILITY_CASES[case]
    encoding = "latin-1" if source == "arms" else "utf-8"
    path = edit_csv(shared_sources / official, tmp_path / official.name, change, encoding)
    _refused(capsys, data_copy, [source, path], [f"error: {path.name} holds a value implausible for its country: "]
             + words)


@pytest.fixture
def synthetic_milex(tmp_path, monkeypatch, capsys):
    """A folder whose milex table was installed from the small SIPRI-layout workbook of test_refresh."""
    folder = tmp_path / "synthetic"
    folder.mkdir()
    for name in ("sources.csv", "sources.resource.json"):
        shutil.copy2(paths.DEFAULT_DATA_DIR / name, folder)
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(folder))
    status, out, err = run(capsys, "milex", make_workbook(tmp_path / "base.xlsx"))
    assert status == 0, out + err
    return folder


MILEX_PLAUSIBILITY_CASES = {
    "US$ 90,000 military spending per Armenian": (
        set_workbook_cell("Per capita", "Armenia", 2019, 90000, header_row=7),
        ["milex: Armenia (ARM), per_capita 2019: 90,000 would replace the installed 86"]),
    "Armenia's current US$ at 5 trillion": (
        set_workbook_cell("Current US$", "Armenia", 2020, 5_000_000),
        ["milex: Armenia (ARM), current_usd 2020: 5,000,000 would replace the installed 87"]),
}


@pytest.mark.parametrize("case", list(MILEX_PLAUSIBILITY_CASES))
def test_a_milex_figure_implausible_for_its_country_is_refused(case, synthetic_milex, tmp_path, capsys):
    edit, words = MILEX_PLAUSIBILITY_CASES[case]
    path = make_workbook(tmp_path / "milex.xlsx", edit)
    _refused(capsys, synthetic_milex, ["milex", path], [f"error: {path.name} holds a value implausible"] + words)


def _scale_row(sheet_name, country, factor, header_row=6, only_year=None):
    def edit(workbook):
        sheet = workbook[sheet_name]
        row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == country)
        for column in range(2, sheet.max_column + 1):
            year, value = sheet.cell(header_row, column).value, sheet.cell(row, column).value
            if isinstance(year, int) and isinstance(value, (int, float)) and only_year in (None, year):
                sheet.cell(row, column).value = value * factor
    return edit


def test_a_flat_factor_across_a_whole_series_is_a_new_price_base_not_an_error(synthetic_milex, tmp_path, capsys):
    # A series moved by one ratio with one year leaping four times further: that year is judged against the series.
    def rebased_with_a_leap(workbook):
        _scale_row("Constant (2024) US$", "Armenia", 2.5)(workbook)
        _scale_row("Constant (2024) US$", "Armenia", 4, only_year=2015)(workbook)
    path = make_workbook(tmp_path / "leap.xlsx", rebased_with_a_leap)
    _refused(capsys, synthetic_milex, ["milex", path],
             ["milex: Armenia (ARM), constant_usd_2024 2015: ", "(x10;", "beyond the series-wide 2.5"])
    # A new price base moves every year of a constant-dollar series by one ratio: installed, without a finding.
    path = make_workbook(tmp_path / "rebased.xlsx", _scale_row("Constant (2024) US$", "Armenia", 2.5))
    status, out, err = run(capsys, "milex", path)
    assert status == 0, out + err
    assert "implausible" not in out + err


def _swap_supplier_and_recipient(rows):
    at = _register_header(rows)
    rows[at][0], rows[at][1] = rows[at][1], rows[at][0]


@pytest.mark.shared
def test_a_register_with_supplier_and_recipient_swapped_stops_until_a_maintainer_accepts_it(
        shared_sources, data_copy, tmp_path, capsys):
    path = edit_csv(shared_sources / REGISTER, tmp_path / REGISTER.name, _swap_supplier_and_recipient, "latin-1")
    before = fingerprint(data_copy)
    status, out, err = run(capsys, "arms", path)
    assert status == 1, out + err
    assert err.count("\n") == 1 and "would remove" in err and "Not installed" in err and "--accept-upheaval" in err
    assert fingerprint(data_copy) == before
    # After reading the report, a maintainer may install it on purpose.
    status, out, err = run(capsys, "arms", path, "--accept-upheaval")
    assert status == 0, out + err
    assert fingerprint(data_copy) != before


def test_a_release_flipping_most_verdicts_is_stopped():
    options = refresh_plan.Options(source="arms", file=Path("release.csv"))
    plan = refresh_plan.Plan()
    assert refresh_plan.upheaval(plan, ["Claims whose verdict changes: 8 of 10"], options).startswith(
        "release.csv would change 8 of 10 claim verdicts")
    assert refresh_plan.upheaval(plan, ["Claims whose verdict changes: 2 of 10"], options) is None
    plan.replaced.append(("arms_transfers", 336, 400))
    assert "remove 336 of the 400 rows of arms_transfers" in refresh_plan.upheaval(plan, [], options)
    accepting = refresh_plan.Options(source="arms", file=Path("x"), accept_upheaval=True)
    assert refresh_plan.upheaval(plan, [], accepting) is None