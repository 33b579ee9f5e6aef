"""Shared fixtures for the test suite."""

import os
import shutil
from pathlib import Path

import pytest

from utils import paths


@pytest.fixture(scope="session")
def shared_sources() -> Path:
    """The folder of official source files (../shared/sources).

    Present in CI, where these tests must run: there a missing folder is a failure, not a skip. On a user's
    machine without it, the tests that need it are skipped with the reason.
    """
    folder = paths.SHARED_SOURCES_DIR
    if not folder.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{folder} is missing in CI: the official source files are needed to check data/")
        pytest.skip(f"official source files not found at {folder} (they sit beside the repository in CI)")
    return folder


def pytest_configure(config):
    """Each test process runs lesson 08 with its own practice folder (``utils.write.practice.workspace``).

    Lesson 08 keeps its practice release and data copy in ``build/lesson08``; test processes executing the lesson side
    by side (nbval, the exercise runs, the site build) would otherwise replace each other's files mid-run, and a test
    run must not touch a student's folder. Kernels the tests start inherit the variable; so do pytest-xdist's workers,
    which then set their own.
    """
    import tempfile

    from executed_notebooks import FOLDER_ENV as EXECUTED_NOTEBOOKS_ENV
    from utils.write import practice

    os.environ[practice.WORKSPACE_ENV] = tempfile.mkdtemp(prefix="csto-lesson08-")
    # Executed lessons are shared by every process of the run (tests/executed_notebooks.py): the main process makes
    # the folder, and pytest-xdist's workers inherit its name.
    if not hasattr(config, "workerinput"):
        os.environ[EXECUTED_NOTEBOOKS_ENV] = tempfile.mkdtemp(prefix="csto-executed-")


def pytest_unconfigure(config):
    from executed_notebooks import FOLDER_ENV as EXECUTED_NOTEBOOKS_ENV
    from utils.write import practice

    names = [practice.WORKSPACE_ENV] + ([] if hasattr(config, "workerinput") else [EXECUTED_NOTEBOOKS_ENV])
    for name in names:
        folder = os.environ.pop(name, "")
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


#: Test files that take longest (seconds on a 2-core machine, from ``--durations``), longest first. pytest-xdist
#: hands whole files to its workers in collection order (``--dist loadfile --no-loadscope-reorder`` in the Makefile):
#: starting the long ones first keeps a long file from starting last and running alone at the end.
LONGEST_FIRST = [
    "tests/browser/test_widgets_in_lab.py",
    "tests/test_exercises.py",
    "tests/test_escaped_output.py",
    "tests/test_refresh_safety.py",
    "tests/test_hub.py",
    "tests/browser/test_projector.py",
    "tests/browser/test_lesson08_terminal.py",
    "tests/browser/test_site.py",
]


def pytest_collection_modifyitems(session, config, items):
    """Put the longest test files first (see ``LONGEST_FIRST``); every other file keeps its place after them."""
    rank = {name: position for position, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


def pytest_terminal_summary(terminalreporter):
    """End every test run with the count of SIPRI data units shipped in data/ (fair use: 3,500 per database)."""
    try:
        from utils.write.importers import fair_use

        line = fair_use.summary(paths.DEFAULT_DATA_DIR)
    except Exception as error:  # a broken table is reported by the data tests; never break the summary
        line = f"SIPRI fair-use units: not counted ({type(error).__name__}: {error})"
    terminalreporter.write_line(line)


@pytest.fixture
def close_figures():
    """Close every matplotlib figure when the test ends (plot and explorer tests draw many).

    A test module takes it for all its tests with ``pytestmark = pytest.mark.usefixtures("close_figures")``.
    """
    yield
    import matplotlib.pyplot as plt  # imported here: most test modules never draw

    plt.close("all")


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of data/ that the refresh may write to (CSTO_DATA_DIR points at it)."""
    folder = tmp_path / "data"
    shutil.copytree(paths.DEFAULT_DATA_DIR, folder)
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(folder))
    return folder


@pytest.fixture
def empty_data(tmp_path, monkeypatch) -> Path:
    """An empty data folder (``CSTO_DATA_DIR`` points at it): importing a small file does not merge with the real tables."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(folder))
    return folder
