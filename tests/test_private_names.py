"""No module uses another module's private names: what starts with one underscore belongs to its own module.

Checked with ``ast`` on every module of ``utils/`` and every test: ``from utils.x import _name``, and
``module._name`` where ``module`` names a ``utils`` module (however it was imported or aliased); test modules that
other tests import (``from test_refresh import make_workbook``) count as modules too. A name another
module needs is public: give it a name without the underscore, and a docstring saying what it promises.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from utils import paths

ROOT = paths.REPO_ROOT
FILES = sorted(p for folder in ("utils", "tests") for p in (ROOT / folder).rglob("*.py"))


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


#: Test modules other tests import by their top-level name (``from test_refresh import make_workbook``).
TEST_MODULES = {path.stem for path in (ROOT / "tests").glob("*.py")}


def utils_module(name: str) -> bool:
    """A module of this repository: the ``utils`` package or a test module."""
    return name == "utils" or name.startswith("utils.") or name.split(".")[0] in TEST_MODULES


def uses_of_private_names(path: Path, root: Path = ROOT) -> list[str]:
    """Every use in ``path`` (a file under ``root``) of a private name of another ``utils`` module, as "line N: what"."""
    own = module_name(path, root)
    return private_uses(path.read_text(encoding="utf-8"), own,
                        package=own if path.name == "__init__.py" else own.rpartition(".")[0])


def private_uses(source: str, own: str, package: str) -> list[str]:
    """Every use in the code ``source`` of module ``own`` (in ``package``) of another module's private name."""
    tree = ast.parse(source)
    modules: dict[str, str] = {}  # local name -> the utils module it stands for
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if utils_module(alias.name):
                    if alias.asname:
                        modules[alias.asname] = alias.name
                    else:
                        modules.setdefault("utils", "utils")
                    if any(private(part) for part in alias.name.split(".")):
                        found.append(f"line {node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # a relative import, resolved against the importing module's package
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            if not utils_module(base) or base == own:
                continue
            for alias in node.names:
                if private(alias.name) or any(private(part) for part in base.split(".")):
                    found.append(f"line {node.lineno}: from {base} import {alias.name}")
                # Whether the imported name is a submodule or a function, it may stand for a module below.
                modules[alias.asname or alias.name] = f"{base}.{alias.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and private(node.attr):
            dotted = _dotted(node.value)
            if dotted is None:
                continue
            head, _, rest = dotted.partition(".")
            if head in modules:
                target = modules[head] + (f".{rest}" if rest else "")
                if target != own:
                    found.append(f"line {node.lineno}: {dotted}.{node.attr} ({target})")
    return sorted(set(found), key=lambda text: (int(text.split()[1].rstrip(":")), text))


def _dotted(node) -> str | None:
    """``a.b.c`` for a chain of names and attributes, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else None
    return None


def assert_uses_no_private_names(path: Path, root: Path = ROOT) -> None:
    found = uses_of_private_names(path, root)
    assert not found, f"{path.relative_to(root)} uses private names of other modules: " + "; ".join(found)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_private_name_of_another_module_is_used(path):
    assert_uses_no_private_names(path)


PROBE, PROBE_PACKAGE = "utils.write.probe", "utils.write"


def test_the_check_catches_each_form_of_a_private_name_crossing_modules(tmp_path):
    # A module built to break the rule in every way the check looks for.
    source = (
        "from utils.read import data\n"
        "from utils.read.data import _parse\n"
        "from utils.write.importers import changes as table_changes\n"
        "import utils.read.vocabulary as vocabulary\n"
        "from test_refresh import _workbook\n"
        "from ..read import countries\n"
        "def f():\n"
        "    return data._cache, table_changes._table([], []), vocabulary._CONSTANT, countries._names\n"
    )
    found = private_uses(source, PROBE, PROBE_PACKAGE)
    assert sorted(found) == sorted([
        "line 2: from utils.read.data import _parse",
        "line 5: from test_refresh import _workbook",
        "line 8: data._cache (utils.read.data)",
        "line 8: table_changes._table (utils.write.importers.changes)",
        "line 8: vocabulary._CONSTANT (utils.read.vocabulary)",
        "line 8: countries._names (utils.read.countries)",
    ])
    # And the assertion the test above makes fails on such a file.
    probe = tmp_path / "utils" / "write" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text(source, encoding="utf-8")
    with pytest.raises(AssertionError, match="utils/write/probe.py uses private names of other modules"):
        assert_uses_no_private_names(probe, root=tmp_path)


def test_a_module_may_use_its_own_private_names_and_public_names_of_others():
    source = (
        "from utils.read import data\n"
        "_limit = 3\n"
        "class _Box:\n"
        "    _size = 1\n"
        "def f(frame):\n"
        "    return data.load, _limit, _Box._size, frame._values, data.__name__\n"
    )
    assert private_uses(source, PROBE, PROBE_PACKAGE) == []
