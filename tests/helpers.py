"""Plain helpers shared by the test modules: ``from helpers import ...`` (fixtures live in ``conftest.py``).

- figures (``utils.read.plots``): the title and the text under the plot, as a reader sees them;
- importers (``utils.write.importers``): a result that must rebuild data/ exactly, and the message of the error a bad file
  raises.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

import pytest

from utils.read import data
from utils import paths
from utils.write.importers import SourceFormatError
from utils.write import tables

# --------------------------------------------------------------------------------------------- student text

#: Words a student must never see: the articles' file names, paths of the project's workplace, the word "seed".
INTERNAL_WORDS = re.compile(r"\d{3}_[0-9a-f]{16}\.txt|\.\./shared|/work/|\bseeds?\b|not yet shown above", re.IGNORECASE)


# --------------------------------------------------------------------------------------------- figures


def title_of(fig) -> str:
    """A figure's title as a reader sees it (:func:`utils.read.plots.finish` escapes dollar signs for matplotlib)."""
    return fig._suptitle.get_text().replace("\\$", "$")


def footer_of(fig) -> str:
    """The text a figure carries besides its title: the source line and any notes, one text per line."""
    return "\n".join(text.get_text() for text in fig.texts if text is not fig._suptitle)


# --------------------------------------------------------------------------------------------- importers


def assert_reproduces_data(result, table: str) -> dict:
    """Assert that an importer's ``result`` rebuilds ``data/<table>.csv`` byte for byte, with the provenance its
    descriptor records (all but ``retrieved``, which ``utils.write.refresh`` sets); return that descriptor."""
    content = paths.table_csv(table, paths.DEFAULT_DATA_DIR).read_bytes()
    assert tables.to_csv_bytes(result.tables[table]) == content, f"the import does not rebuild data/{table}.csv"
    descriptor = data.read_descriptor(table, paths.DEFAULT_DATA_DIR)
    for key, value in result.provenance[table].items():
        if key != "retrieved":
            assert descriptor["provenance"][key] == value, f"{table}: provenance {key!r} differs"
    return descriptor


def source_error(read: Callable[[Path], Any], path: Path) -> str:
    """The message of the :class:`SourceFormatError` that ``read(path)`` must raise; it must begin with the file name."""
    with pytest.raises(SourceFormatError) as caught:
        read(path)
    message = str(caught.value)
    assert message.startswith(path.name), message
    return message


# --------------------------------------------------------------------------------------------- test folders


def keep_as_installed(name: str, folder: Path) -> None:
    """Store the hash and size of ``folder``'s ``name.csv`` in its descriptor, as an install by the refresh does.

    For tables a test changes on purpose in a throw-away folder: ``record`` validates hand-built tables and refuses
    official extracts, which only a refresh installs.
    """
    descriptor = data.read_descriptor(name, folder)
    content = paths.table_csv(name, folder).read_bytes()
    descriptor["hash"], descriptor["bytes"] = data.sha256_of(content), len(content)
    tables.write_descriptor(name, descriptor, folder)
    tables.write_package(folder)
