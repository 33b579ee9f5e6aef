"""Fixtures for the browser tests: Debian's Chromium driven by Playwright, and a throw-away JupyterLab.

On a machine without Chromium these tests are skipped with one line saying how to enable them; in CI (``CI`` set)
a missing browser is a failure, because ``.ci/run`` installs it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from utils import paths
from utils.write import practice

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Screenshots and the Lab log are kept here as test artefacts (build/ is never committed).
ARTEFACTS = paths.REPO_ROOT / "build" / "test-artifacts"


def pytest_ignore_collect(collection_path: Path, config) -> bool | None:
    """Skip these files altogether when the marker expression leaves out browser tests (``-m "not browser"``).

    Deselection happens only after collection, and collecting imports the test modules, which import Playwright:
    the fast suite would need Playwright (and fail without it) for tests it never runs.
    """
    expression = config.getoption("markexpr", "")
    if not expression or collection_path.suffix != ".py" or collection_path.name == "conftest.py":
        return None
    try:
        from _pytest.mark.expression import Expression  # the parser -m itself uses
    except ImportError:  # a pytest without it: collect as usual
        return None
    selected = Expression.compile(expression).evaluate(lambda name, **kwargs: name == "browser")
    return True if not selected else None


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: .ci/run should have installed it (apt-get install chromium)")
        pytest.skip(f"{message}; enable the browser tests with: sudo apt-get install chromium")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    new_page = context.new_page()
    yield new_page
    context.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


#: The Jupyter settings of make lab and the tests; the projector profile's settings folder (make present).
JUPYTER_CONFIG = paths.REPO_ROOT / "jupyter_config"
PROJECTOR_SETTINGS = JUPYTER_CONFIG / "projector"
#: The projector profile's page CSS folder: make present copies it as the Jupyter config dir (custom/custom.css).
PROJECTOR_PAGE = JUPYTER_CONFIG / "projector-page"


@contextlib.contextmanager
def _running_lab(tmp_path_factory, settings: Path | None = None, page: Path | None = None):
    """JupyterLab from the project's environment on 127.0.0.1, serving a COPY of the notebooks.

    A copy, because Lab autosaves: a test must never write outputs into the tracked notebooks. Settings,
    workspaces and runtime files go to a temporary folder too; ``settings`` is a settings folder to start from
    (``make present`` starts from the projector profile's); ``page`` a folder holding ``custom/custom.css``, loaded
    as ``make present`` loads it (as the Jupyter config dir, with ``--LabApp.custom_css=True``).
    """
    root = tmp_path_factory.mktemp("labroot")
    shutil.copytree(paths.NOTEBOOKS_DIR, root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    state = tmp_path_factory.mktemp("labstate")
    if settings is not None:
        shutil.copytree(settings, state / "settings")
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_PATH": str(JUPYTER_CONFIG),
        "JUPYTERLAB_SETTINGS_DIR": str(state / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(state / "runtime"),
        # As make lab: a terminal opened in Lab runs the project's Python, and lesson 08 keeps its practice files
        # in build/lesson08 under the folder Lab serves (there the repository, here the copy).
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        practice.WORKSPACE_ENV: str(root / "build" / "lesson08"),
    }
    extra = []
    if page is not None:
        shutil.copytree(page, state / "config")
        env["JUPYTER_CONFIG_DIR"] = str(state / "config")
        extra.append("--LabApp.custom_css=True")
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
        f"--port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True", *extra,
    ]
    log_path = state / "lab.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root)
        base, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    raise RuntimeError(f"JupyterLab did not start; see {log_path}:\n{log_path.read_text()[-2000:]}")
                time.sleep(0.3)
        try:
            yield base, token
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(log_path, ARTEFACTS / f"lab-{port}.log")


@pytest.fixture(scope="session")
def lab(tmp_path_factory, chromium_path):
    """Lab as ``make lab`` starts it."""
    with _running_lab(tmp_path_factory) as running:
        yield running


@pytest.fixture(scope="session")
def projector_lab(tmp_path_factory, chromium_path):
    """Lab as ``make present`` starts it: on a copy of the projector profile's settings folder."""
    with _running_lab(tmp_path_factory, PROJECTOR_SETTINGS, PROJECTOR_PAGE) as running:
        yield running
