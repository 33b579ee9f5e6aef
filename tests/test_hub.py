"""The course on a real JupyterHub, driven over HTTP as students' browsers would drive it.

One rehearsal hub (hub/launch.py, as `make hub` starts it) on a free loopback port, whose course link points at a
local clone of this repository (the "upstream" an instructor commits to). Students log in through the form, follow
the nbgitpuller link and Run All lesson 03 in kernels of their own, three at the same time; one more student's kernel
is killed mid-run. Then an update mid-term: a student answers an exercise and saves, the instructor commits a data
change and corrected notebook, the student follows the link again.

Needs `make hub-install` (make test does it). Only 127.0.0.1 is contacted; every process the hub starts is stopped.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from utils import course
from utils.paths import REPO_ROOT

PROXY = REPO_ROOT / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
if importlib.util.find_spec("jupyterhub") is None or not PROXY.exists():
    if os.environ.get("CI"):
        pytest.fail("JupyterHub or its proxy is not installed: make test installs them (make hub-install)",
                    pytrace=False)
    pytest.skip("JupyterHub and its proxy are not installed: run make hub-install", allow_module_level=True)

spec = importlib.util.spec_from_file_location("hub_students", REPO_ROOT / "hub" / "students.py")
students = importlib.util.module_from_spec(spec)
spec.loader.exec_module(students)
Student, StudentError, KernelDied = students.Student, students.StudentError, students.KernelDied

PASSWORD = "rehearsal-password"
LESSON = "03_military_spending.ipynb"
LESSON_PATH = f"{course.HUB_COURSE_FOLDER}/notebooks/{LESSON}"
TABLE = "claims"  # a hand-built table: the instructor edits and records it


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture(scope="module")
def upstream(tmp_path_factory) -> Path:
    """The instructor's repository: a clone of this one at its current commit, on branch main."""
    folder = tmp_path_factory.mktemp("upstream") / "course"
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(REPO_ROOT), str(folder)], check=True)
    git(folder, "checkout", "--quiet", "-B", "main", git(REPO_ROOT, "rev-parse", "HEAD"))
    git(folder, "config", "user.name", "Instructor")
    git(folder, "config", "user.email", "instructor@example.edu")
    return folder


@pytest.fixture(scope="module")
def state(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hub-state")


@pytest.fixture(scope="module")
def hub(upstream, state):
    started = time.monotonic()
    with students.running_hub(state, upstream, PASSWORD) as url:
        yield url
        print(f"\nhub test: hub up for {time.monotonic() - started:.0f} s")
    assert students.hub_processes(state.resolve()) == [], "processes of the hub outlived it"


def link(hub_url: str, upstream: Path, lesson: str | None = "03") -> str:
    return course.hub_link(hub_url, lesson=lesson, repo=str(upstream), branch="main")


# ------------------------------------------------------------------------------------------------ logging in


def test_a_wrong_password_is_refused_with_one_clear_line(hub):
    with pytest.raises(StudentError) as refused:
        Student(hub, "mallory", "not-the-password").log_in()
    assert str(refused.value) == "Invalid username or password"


def test_the_idle_culler_runs_with_the_rights_it_needs(hub, state):
    """The culler (a hub-managed service, one hour idle) lists the users' servers: its role's scopes suffice."""
    log = state.resolve() / "hub.log"
    deadline = time.monotonic() + 60
    while not re.search(r"200 GET /hub/api/users\S* \(idle-culler@", log.read_text(errors="replace")):
        assert time.monotonic() < deadline, "the idle culler never listed the users"
        time.sleep(1)
    assert "Starting service 'idle-culler': " in log.read_text(errors="replace")
    assert "--timeout=3600" in log.read_text(errors="replace")


# ------------------------------------------------------------------------------------------------ a class at once


def kill_kernel_during_a_long_cell(state: Path, name: str, started: threading.Event) -> None:
    """Wait until the student's long cell runs, then kill their kernel as an out-of-memory killer would."""
    started.wait(timeout=240)
    time.sleep(2)
    for pid in students.student_processes(state.resolve(), name)["kernel"]:
        os.kill(pid, 9)


def test_three_students_run_lesson_03_at_once_and_a_killed_kernel_harms_no_one(hub, upstream, state):
    class_link = link(hub, upstream)
    names = ["student1", "student2", "student3"]

    def whole_lesson(name: str) -> dict:
        student = Student(hub, name, PASSWORD)
        student.log_in()
        pulled = student.follow_course_link(class_link)
        notebook = student.run_notebook(LESSON_PATH)
        kernel = student.start_kernel(LESSON_PATH)  # the session's kernel, already running
        where = student.run_cells(kernel, ["import utils; print(utils.__file__)"])[0][0]["text"].strip()
        return {"pulled": pulled, "notebook": notebook, "utils": where}

    long_cell_started = threading.Event()

    def killed_mid_run(name: str) -> str:
        student = Student(hub, name, PASSWORD)
        student.log_in()
        student.follow_course_link(class_link)
        kernel = student.start_kernel(LESSON_PATH)
        killer = threading.Thread(target=kill_kernel_during_a_long_cell, args=(state, name, long_cell_started))
        killer.start()
        try:
            student.run_cells(kernel, ["x = 1", "import time; time.sleep(120)"],
                              on_cell=lambda index: index == 1 and long_cell_started.set())
        except KernelDied:  # seen as the server's "restarting" status or as the kernel's channel closing
            outcome = "died"
        else:
            outcome = "survived"
        killer.join()
        # The server restarts the kernel; the student carries on in it.
        student.wait_for_kernel(kernel)
        answer = student.run_cells(kernel, ["21 * 2"])[0]
        return outcome + " | then " + answer[0]["data"]["text/plain"]

    with ThreadPoolExecutor(max_workers=4) as pool:
        running = {name: pool.submit(whole_lesson, name) for name in names}
        victim = pool.submit(killed_mid_run, "student4")
        results = {name: future.result() for name, future in running.items()}
        assert victim.result() == "died | then 42"

    homes = state.resolve() / "homes"
    for name, result in results.items():
        assert any("Cloning into" in line for line in result["pulled"]), result["pulled"]
        # Every code cell ran and the lesson's results are there, in the student's own kernel and copy.
        code = [cell for cell in result["notebook"]["cells"] if cell["cell_type"] == "code"]
        assert all(cell["execution_count"] for cell in code)
        assert not any(output["output_type"] == "error" for cell in code for output in cell["outputs"])
        assert result["utils"] == str(homes / name / course.HUB_COURSE_FOLDER / "utils" / "__init__.py")
        assert (homes / name / LESSON_PATH).is_file()
    # The hub still serves everyone: each student's server is up.
    probe = Student(hub, "student1", PASSWORD)
    probe.log_in()
    assert probe.open(f"{hub}/hub/home").status_code == 200
    assert probe.api("GET", "status").json()["kernels"] >= 1


# ------------------------------------------------------------------------------------------------ an update mid-term


ANSWER = ("russia_row = newest.query(\"iso3 == 'RUS' and measure == 'share_gdp' and year == @LAST\")\n"
          "russia_burden = float(100 * russia_row[\"value\"].iloc[0])")
CORRECTION = "(Corrected in week 5: give the share to one decimal.)"
HINT_CHANGE = "# Your answer (in per cent, not a fraction):"
DATA_CHANGE = "five-year term (checked again for week 5)"


def cell_index(notebook: dict, starts: str) -> int:
    return next(i for i, cell in enumerate(notebook["cells"]) if "".join(cell["source"]).startswith(starts))


def record_table(folder: Path, name: str) -> None:
    """The instructor's record command, run in their clone: the table's new checksum into its descriptor."""
    module = "utils.write.tables"
    subprocess.run([sys.executable, "-m", module, "record", name], cwd=folder, check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(folder)})


def instructor_commits_an_update(upstream: Path) -> None:
    """A data refresh and a corrected lesson: one changed table, one changed exercise text, one changed hint."""
    table = upstream / "data" / f"{TABLE}.csv"
    text = table.read_text(encoding="utf-8")
    assert "five-year term" in text
    table.write_text(text.replace("five-year term", DATA_CHANGE, 1), encoding="utf-8")
    record_table(upstream, TABLE)
    path = upstream / "notebooks" / LESSON
    notebook = nbformat.read(path, as_version=4)
    exercise_2 = cell_index(notebook, "### Exercise 2")
    notebook.cells[exercise_2].source += "\n\n" + CORRECTION
    hint = cell_index(notebook, "# Your answer: filter `newest` for Russia")
    notebook.cells[hint].source = notebook.cells[hint].source.replace("# Your answer:", HINT_CHANGE, 1)
    nbformat.write(notebook, path)
    git(upstream, "commit", "--quiet", "-am", "Week 5: data refresh; Exercise 2 says how to round; a clearer hint")


def _shown_text(outputs) -> str:
    """The text a cell shows: printed streams and the plain-text form of displayed outputs (a self-check's verdict)."""
    return "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in outputs)


def test_an_update_keeps_the_students_answer_and_brings_the_instructors_changes(hub, upstream, state):
    ana = Student(hub, "ana", PASSWORD)
    ana.log_in()
    ana.follow_course_link(link(hub, upstream))
    # Ana answers Exercise 1, runs the lesson up to its self-check, and saves (outputs and all), as Lab does.
    notebook = ana.read_notebook(LESSON_PATH)
    answer_cell = cell_index(notebook, "# Your answer: filter `newest` for Russia")
    notebook["cells"][answer_cell]["source"] = ANSWER
    code = [i for i, cell in enumerate(notebook["cells"]) if cell["cell_type"] == "code" and i <= answer_cell + 1]
    kernel = ana.start_kernel(LESSON_PATH)
    outputs = ana.run_cells(kernel, ["".join(notebook["cells"][i]["source"]) for i in code])
    for count, (i, cell_outputs) in enumerate(zip(code, outputs), start=1):
        notebook["cells"][i]["outputs"] = [students._as_nbformat(output, count) for output in cell_outputs]
        notebook["cells"][i]["execution_count"] = count
    check_output = _shown_text(notebook["cells"][answer_cell + 1]["outputs"])
    assert "Exercise 1" in check_output, check_output
    ana.save_notebook(LESSON_PATH, notebook)

    instructor_commits_an_update(upstream)
    pulled = ana.follow_course_link(link(hub, upstream))
    assert not any("error" in line.lower() for line in pulled), pulled

    home_copy = state.resolve() / "homes" / "ana" / course.HUB_COURSE_FOLDER
    after = ana.read_notebook(LESSON_PATH)
    nbformat.validate(nbformat.from_dict(after))  # the merge left a valid notebook
    # Her answer and her outputs are kept ...
    assert "".join(after["cells"][answer_cell]["source"]) == ANSWER
    assert "Exercise 1" in _shown_text(after["cells"][answer_cell + 1]["outputs"])
    # ... the corrected exercise text arrived ...
    assert CORRECTION in "".join(after["cells"][cell_index(after, "### Exercise 2")]["source"])
    # ... and in the cell both changed (the conflict), her version won: the instructor's new hint is not there.
    assert HINT_CHANGE not in json.dumps(after)
    # The data refresh arrived byte for byte, and her kernel reads it from her copy.
    for suffix in (".csv", ".resource.json"):
        assert (home_copy / "data" / f"{TABLE}{suffix}").read_bytes() == \
            (upstream / "data" / f"{TABLE}{suffix}").read_bytes()
    loaded = ana.run_cells(ana.start_kernel(LESSON_PATH), [
        "try:\n    from utils.read import data as d\nexcept ImportError:\n    from utils import data as d\n"
        f"print(d.load({TABLE!r})['evidence'].str.contains({DATA_CHANGE!r}, regex=False).any())"])
    assert loaded[0][0]["text"].strip() == "True"

    # A fresh copy of the lesson: rename hers and follow the link again (the start page says so).
    mine = LESSON_PATH.replace(".ipynb", "-mine.ipynb")
    ana.rename(LESSON_PATH, mine)
    ana.follow_course_link(link(hub, upstream))
    assert (home_copy / "notebooks" / LESSON).read_bytes() == (upstream / "notebooks" / LESSON).read_bytes()
    assert "".join(ana.read_notebook(mine)["cells"][answer_cell]["source"]) == ANSWER
