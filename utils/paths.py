"""Where the collection lives on disk.

Everything is resolved from this file's own location, so notebooks, tests and scripts find the data from
any working directory (the package is installed in editable mode, so ``__file__`` points into the repository).

Set the environment variable ``CSTO_DATA_DIR`` to a folder holding the same tables (CSV + descriptor) to run
the whole collection on another data set -- for example a copy refreshed from a newer SIPRI release --
without touching ``data/``.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Name of the environment variable that points the collection at another data folder.
DATA_DIR_ENV = "CSTO_DATA_DIR"

#: The repository root (the folder holding README.md, data/, notebooks/, utils/).
REPO_ROOT: Path = Path(__file__).resolve().parent.parent

#: Folder for notebooks, in reading order.
NOTEBOOKS_DIR: Path = REPO_ROOT / "notebooks"

#: The committed data folder (used whenever CSTO_DATA_DIR is not set).
DEFAULT_DATA_DIR: Path = REPO_ROOT / "data"

#: Where the official source files sit when the project is checked out beside ``shared/`` (as in CI).
SHARED_SOURCES_DIR: Path = REPO_ROOT.parent / "shared" / "sources"


def data_dir() -> Path:
    """Return the data folder in use: ``$CSTO_DATA_DIR`` if set, else the repository's ``data/``.

    Read at every call (not cached) so a test or a notebook can switch folders with ``os.environ``.
    """
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        path = Path(override).expanduser().resolve()
        if not path.is_dir():
            raise FileNotFoundError(
                f"{DATA_DIR_ENV}={override!r} is not a folder. Point it at a folder of tables "
                f"(CSV + .resource.json), or unset it to use {DEFAULT_DATA_DIR}."
            )
        return path
    return DEFAULT_DATA_DIR


def table_csv(name: str, folder: Path | None = None) -> Path:
    """Path of table ``name``'s CSV file."""
    return (folder or data_dir()) / f"{name}.csv"


def table_descriptor(name: str, folder: Path | None = None) -> Path:
    """Path of table ``name``'s descriptor (Frictionless Table Schema + provenance, JSON)."""
    return (folder or data_dir()) / f"{name}.resource.json"


def lock_path(folder: Path) -> Path:
    """The write lock of a data folder: beside it, never inside it, so that the folder only ever holds tables."""
    return folder.parent / f".{folder.name}.lock"


def pending_path(folder: Path) -> Path:
    """Where a change to a data folder is staged (beside it). Its existence means a change is under way or was
    cut short: the write wing finishes or undoes it, and the read wing refuses to read until then."""
    return folder.parent / f".{folder.name}.pending"


def display(path: Path) -> str:
    """A path as short as possible for messages: relative to the repository when inside it."""
    try:
        return str(Path(path).resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)
