"""The roles a lesson's cells play, named by tags, and the command that tags them.

    python -m utils.tools.cell_roles notebooks/*.ipynb     # tag author checks and explorer set-ups (idempotent)

Tags (cell metadata ``tags``) tell the editions what to keep:

- ``solution``: a worked solution (Markdown, folded); the student edition drops it, the site folds it.
- ``self-check``: the cell that checks an exercise's answer. Its code computes the answer, so it stays collapsed
  in JupyterLab (``jupyter.source_hidden``), and the site and PDF leave it out.
- ``author-check``: asserts that keep the prose true to the data (``assert ..., "Revise the sentence ..."``). They
  (or "Add ...", "Update ...", "Give ...") are for the authors: collapsed in JupyterLab, left out of the student edition, the site and the PDF.
- ``explorer``: the widget set-up of an interactive explorer; collapsed in JupyterLab, its code left out of the
  site (which shows the figure it first drew).

A cell that mixes an author check with code whose output the lesson shows is split in two: the code stays where it
was, and the asserts move to an ``author-check`` cell right after it, so that leaving them out changes no output.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import nbformat

SOLUTION_TAG = "solution"
SELF_CHECK_TAG = "self-check"
AUTHOR_CHECK_TAG = "author-check"
EXPLORER_TAG = "explorer"
#: Tags whose cells are collapsed in JupyterLab.
COLLAPSED_TAGS = (SELF_CHECK_TAG, AUTHOR_CHECK_TAG, EXPLORER_TAG)

#: An author check's message tells the authors what to change: "Revise the sentence ...", "Add a link ...", "Update the
#: times ...", "Give every claim ..." (a plain or f-string literal). An exercise's check speaks to the student instead.
_AUTHOR_MESSAGE = re.compile(r"^[fFrR]*['\"]{1,3}(Revise|Add|Update|Give)\b")


def tags_of(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def is_author_assert(statement: ast.stmt) -> bool:
    """True for ``assert <condition>, "Revise ..."``: an author check, not an exercise's check."""
    return isinstance(statement, ast.Assert) and statement.msg is not None \
        and bool(_AUTHOR_MESSAGE.match(ast.unparse(statement.msg)))


def _statements(source: str) -> list[ast.stmt]:
    try:
        return ast.parse(source).body
    except SyntaxError:  # a cell with IPython syntax (!, %): never an author check
        return []


def has_author_check(source: str) -> bool:
    return any(is_author_assert(statement) for statement in _statements(source))


def is_explorer_setup(source: str) -> bool:
    """A cell that builds an explorer with ``widgets.interactive(...)``."""
    return any(isinstance(node, ast.Call) and ast.unparse(node.func).endswith("interactive")
               for statement in _statements(source) for node in ast.walk(statement))


def _collapse(cell, tag: str) -> bool:
    """Tag ``cell`` and hide its source; True if that changed anything."""
    before = (tags_of(cell), cell.metadata.get("jupyter", {}).get("source_hidden"))
    if tag not in cell.metadata.setdefault("tags", []):
        cell.metadata["tags"].append(tag)
    cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
    return before != (tags_of(cell), True)


def _names_used_later(names: set[str], later_cells) -> bool:
    later = "\n".join(c.source for c in later_cells if c.cell_type == "code")
    return any(re.search(rf"\b{re.escape(name)}\b", later) for name in names)


def _split(source: str) -> tuple[str, str]:
    """``source`` cut into (everything but the author asserts, the author asserts), each statement keeping the comment
    and blank lines above it."""
    lines = source.splitlines()
    kept, checks, start = [], [], 0
    for statement in _statements(source):
        segment = lines[start:statement.end_lineno]
        start = statement.end_lineno
        (checks if is_author_assert(statement) else kept).extend(segment)
    kept.extend(lines[start:])
    return "\n".join(kept).strip("\n"), "\n".join(checks).strip("\n")


def tag_notebook(nb) -> bool:
    """Tag (and where needed split) the author checks and explorer set-ups of ``nb``; True if it changed."""
    changed = False
    cells = []
    for position, cell in enumerate(nb.cells):
        cells.append(cell)
        if cell.cell_type != "code" or SELF_CHECK_TAG in tags_of(cell):
            continue
        if is_explorer_setup(cell.source):
            changed |= _collapse(cell, EXPLORER_TAG)
        if AUTHOR_CHECK_TAG in tags_of(cell) or not has_author_check(cell.source):
            continue
        statements = _statements(cell.source)
        assigned = {node.id for s in statements if isinstance(s, (ast.Assign, ast.AugAssign, ast.AnnAssign))
                    for node in ast.walk(s) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
        pure = all(isinstance(s, (ast.Assign, ast.Assert)) for s in statements)
        if pure and not _names_used_later(assigned, nb.cells[position + 1:]):
            changed |= _collapse(cell, AUTHOR_CHECK_TAG)  # the whole cell serves the check
            continue
        kept, checks = _split(cell.source)
        cell.source = kept
        check = nbformat.v4.new_code_cell(checks)
        _collapse(check, AUTHOR_CHECK_TAG)
        cells.append(check)
        changed = True
    nb.cells = cells
    return changed


def main(argv: list[str] | None = None) -> int:
    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])]
    if not paths:
        print(__doc__.split("\n\n")[1].strip(), file=sys.stderr)
        return 2
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if tag_notebook(nb):
            path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
            print(f"tagged {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
