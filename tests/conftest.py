"""Shared fixtures for the test suite."""

import os
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
