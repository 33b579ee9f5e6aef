"""The package's layering, read from the code's own imports: the read wing never reaches the write wing.

utils/__init__.py describes the layers. Each module's imports (top-level and inside functions alike) are found with
``ast``, so a lazy import cannot hide a dependency. A second test runs a fresh interpreter to show that importing
every read-wing module loads no write-wing module at all.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from utils import paths

UTILS = paths.REPO_ROOT / "utils"
#: Which packages each layer may import from (besides itself, the standard library and third-party packages).
ALLOWED = {
    "utils.paths": set(),
    "utils.course": {"utils.paths"},
    "utils.read": {"utils.paths"},
    "utils.write": {"utils.paths", "utils.read"},
    "utils.tools": {"utils.paths", "utils.read", "utils.write", "utils.course"},
}


def layer_of(module: str) -> str:
    for layer in sorted(ALLOWED, key=len, reverse=True):
        if module == layer or module.startswith(layer + "."):
            return layer
    return module


def module_name(path: Path) -> str:
    parts = path.relative_to(paths.REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Every ``utils...`` module a file imports, anywhere in it (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).rpartition(".")[0] if path.name != "__init__.py" else module_name(path)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {name for name in found if name == "utils" or name.startswith("utils.")}


MODULES = sorted(p for p in UTILS.rglob("*.py"))


def test_the_rule_is_checked_on_every_module():
    layers = {layer_of(module_name(p)) for p in MODULES}
    assert {"utils.read", "utils.write", "utils.tools"} <= layers


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(UTILS)))
def test_imports_point_one_way(path):
    own = layer_of(module_name(path))
    if own not in ALLOWED:  # utils/__init__.py
        return
    wrong = set()
    for target in imported_modules(path):
        target_layer = layer_of(target)
        if target_layer in ALLOWED and target_layer != own and target_layer not in ALLOWED[own]:
            wrong.add(target)
    assert not wrong, f"{module_name(path)} ({own}) imports {sorted(wrong)}: allowed are {sorted(ALLOWED[own])}"


def test_the_checker_catches_a_read_module_importing_the_write_wing(tmp_path):
    # The guard above can fail: a read-wing file with a lazy import of the write wing is caught.
    bad = UTILS / "read" / "_layering_probe.py"
    bad.write_text("def f():\n    from utils.write import refresh\n    return refresh\n")
    try:
        assert "utils.write.refresh" in imported_modules(bad)
        with pytest.raises(AssertionError, match="imports"):
            test_imports_point_one_way(bad)
    finally:
        bad.unlink()


def test_importing_the_whole_read_wing_loads_nothing_of_the_write_wing():
    read_modules = [module_name(p) for p in MODULES if layer_of(module_name(p)) == "utils.read"]
    code = ("import json, sys\n" + "".join(f"import {m}\n" for m in read_modules)
            + "print(json.dumps(sorted(m for m in sys.modules if m.startswith('utils.write'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=paths.REPO_ROOT,
                            check=True)
    assert json.loads(result.stdout) == []


def test_no_lesson_but_the_update_lesson_imports_the_write_wing():
    import nbformat

    for notebook in sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")):
        code = "\n".join(c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code")
        uses_write = "utils.write" in code
        assert uses_write == notebook.name.startswith("08_"), \
            f"{notebook.name}: {'imports' if uses_write else 'does not import'} the write wing"
