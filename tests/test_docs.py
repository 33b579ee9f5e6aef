"""The README is a start page, and every command and link in it and in docs/ works.

- the README fits on about two screens and keeps the test command CI runs (`make test`);
- every relative link leads to a file of the repository, and every #anchor to a heading of that file;
- every `make TARGET` names a target of the Makefile, every `python -m MODULE` a module that can be imported, and
  every script or `.venv/bin/` program a file that exists.
"""

import importlib.util
import re
import shlex
import sys
from pathlib import Path

import pytest

from utils.paths import REPO_ROOT

DOCUMENTS = sorted([REPO_ROOT / "README.md", REPO_ROOT / "CONTRIBUTING.md", REPO_ROOT / "CHANGELOG.md",
                    *(REPO_ROOT / "docs").glob("*.md")])
IDS = [str(p.relative_to(REPO_ROOT)) for p in DOCUMENTS]
#: About two screens of a laptop: the README is a start page, the rest lives in docs/.
README_MAX_LINES = 100

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`([^`\n]+)`")


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    return re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", text))


def anchors(markdown: str) -> set[str]:
    text = FENCE.sub("", markdown)
    return {_slug(line.lstrip("#")) for line in text.splitlines() if re.match(r"^#{1,6} ", line)}


def broken_links(document: Path, markdown: str) -> list[str]:
    """Relative links of ``markdown`` (read from ``document``) that lead nowhere."""
    problems = []
    for target in LINK.findall(FENCE.sub("", markdown)):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ... : the web is not checked offline
            continue
        path_part, _, anchor = target.partition("#")
        path = (document.parent / path_part).resolve() if path_part else document
        if not path.exists():
            problems.append(f"{target}: no file {path_part}")
        elif REPO_ROOT not in path.parents and path != REPO_ROOT:
            problems.append(f"{target}: outside the repository")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path.read_text(encoding="utf-8")):
            problems.append(f"{target}: no heading #{anchor} in {path.name}")
    return problems


def make_targets() -> set[str]:
    text = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*)\s*:(?!=)", text, re.MULTILINE))


def commands(markdown: str) -> list[list[str]]:
    """Shell commands written in the document: lines of code blocks and inline code that start like a command."""
    found = []
    blocks = [line for block in FENCE.findall(markdown) for line in block.splitlines()]
    for line in blocks + INLINE_CODE.findall(FENCE.sub("", markdown)):
        line = line.split("  #")[0].strip().removeprefix("$ ")
        try:
            words = shlex.split(line)
        except ValueError:
            continue
        while words and re.match(r"^[A-Z_]+=", words[0]):  # PORT=9999 make lab
            words = words[1:]
        if words and (words[0] in ("make", "python", "python3") or words[0].startswith((".venv/", "tools/", ".ci/"))):
            found.append(words)
    return found


def broken_commands(markdown: str) -> list[str]:
    problems = []
    targets = make_targets()
    for words in commands(markdown):
        program, rest = words[0], words[1:]
        if program == "make":
            # "make hub: npm is missing" is a message quoted in a table, not a command.
            problems += [f"make {t}: no such target" for t in rest[:1]
                         if re.fullmatch(r"[A-Za-z][\w-]*", t) and t not in targets]
            continue
        if not program.endswith(("python", "python3")):
            if not (REPO_ROOT / program).exists() and not (Path(sys.prefix) / "bin" / Path(program).name).exists():
                problems.append(f"{program}: no such program")
            continue
        if rest[:1] == ["-m"] and len(rest) > 1:
            if rest[1] not in ("pytest", "pip") and importlib.util.find_spec(rest[1]) is None:
                problems.append(f"python -m {rest[1]}: no such module")
        elif rest and rest[0].endswith(".py") and not (REPO_ROOT / rest[0]).exists():
            problems.append(f"python {rest[0]}: no such file")
    return problems


# ------------------------------------------------------------------------------------------------ the documents


def test_readme_is_a_start_page():
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert len(lines) <= README_MAX_LINES, f"the README has {len(lines)} lines: move detail to docs/"
    blocks = "\n".join(FENCE.findall(text))
    assert re.search(r"^make lab\b", blocks, re.MULTILINE) and re.search(r"^make test\b", blocks, re.MULTILINE), (
        "the README's two commands, make lab and make test, belong in a code block (CI runs the test command)"
    )


def test_readme_links_every_document_in_docs():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    linked = {(REPO_ROOT / target.partition("#")[0]).resolve() for target in LINK.findall(readme)}
    missing = [p.name for p in (REPO_ROOT / "docs").glob("*.md") if p.resolve() not in linked]
    assert not missing, f"the README does not link {missing}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=IDS)
def test_links_lead_somewhere(document):
    problems = broken_links(document, document.read_text(encoding="utf-8"))
    assert not problems, f"{document.name}: {problems}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=IDS)
def test_commands_exist(document):
    problems = broken_commands(document.read_text(encoding="utf-8"))
    assert not problems, f"{document.name}: {problems}"


# ------------------------------------------------------------------------------------------------ the checks can fail


def test_checks_find_what_is_broken(tmp_path):
    document = REPO_ROOT / "docs" / "example.md"
    text = (
        "[ok](../README.md) [gone](missing.md) [bad anchor](../README.md#no-such-heading) [web](https://example.org)\n"
        "```bash\nmake test\nmake no-such-target\n.venv/bin/python -m utils.no_such_module\npython tools/nope.py\n```\n"
        "Run `python -m utils.paths` or `make lab`; `make hub: npm is missing` is a message.\n"
    )
    assert broken_links(document, text) == ["missing.md: no file missing.md",
                                            "../README.md#no-such-heading: no heading #no-such-heading in README.md"]
    assert broken_commands(text) == ["make no-such-target: no such target", "python -m utils.no_such_module: no such module",
                                     "python tools/nope.py: no such file"]


def test_anchors_follow_github():
    assert anchors("# Title\n## Running a class\n### Data: what and why\n```\n# not a heading\n```\n") == {
        "title", "running-a-class", "data-what-and-why"}
