"""The collection itself as data: the notebooks in reading order, with their titles and time estimates.

Read from the notebooks' own headings, so the rendered index never drifts from the lessons, and the start page (written
by hand in Markdown) can be checked against them: :func:`start_page_lessons` reads the lessons it links and the
time it states for each.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from utils import paths

#: The start page: a guide written in Markdown, linking every lesson with its objectives and time.
START_PAGE = "00_start_here.ipynb"

_LINK = re.compile(r"\[[^\]]+\]\((\d\d_[\w-]+\.ipynb)\)")
_MINUTES = re.compile(r"(\d+)\s*(?:-|–|to)?\s*(\d+)?\s*min", re.IGNORECASE)


def notebook_files(folder: Path | None = None) -> list[Path]:
    """The lesson notebooks in reading order (``NN_topic.ipynb``)."""
    return sorted((folder or paths.NOTEBOOKS_DIR).glob("[0-9][0-9]_*.ipynb"))


def _markdown(path: Path) -> str:
    """The Markdown cells of a notebook, joined."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join("".join(cell["source"]) for cell in nb["cells"] if cell["cell_type"] == "markdown")


def _sections(path: Path) -> tuple[str, dict[str, str]]:
    """The H1 title and the text under each level-2 heading of a notebook."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    title, sections, current = "", {}, None
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for line in "".join(cell["source"]).splitlines():
            if line.startswith("# ") and not title:
                title = line[2:].strip()
            elif line.startswith("## "):
                current = line[3:].strip()
                sections[current] = ""
            elif current:
                sections[current] += line + "\n"
    return title, sections


def time_to_learn_minutes(text: str) -> int | None:
    """Minutes stated in a "Time to learn" section ("about 45 minutes" -> 45; "40-60 min" -> 60), with any time
    added by "plus" ("40 minutes to read, plus 30-40 minutes for the exercises" -> 80): the whole time a student
    needs, which the start page must give."""
    match = _MINUTES.search(text)
    if not match:
        return None
    added = [_MINUTES.match(part) for part in re.split(r"\bplus\s+", text, flags=re.IGNORECASE)[1:]]
    return sum(int(high or low) for low, high in [match.groups(), *(m.groups() for m in added if m)])


def reading_order(folder: Path | None = None) -> pd.DataFrame:
    """One row per notebook: file, title, the first sentence of its overview, and minutes to learn."""
    rows = []
    for path in notebook_files(folder):
        title, sections = _sections(path)
        overview = " ".join(sections.get("Overview", "").split())
        first_sentence = overview.split(". ")[0].rstrip(".") + "." if overview else ""
        rows.append(
            {
                "notebook": path.name,
                "title": title,
                "about": first_sentence,
                "minutes": time_to_learn_minutes(sections.get("Time to learn", "")),
            }
        )
    return pd.DataFrame(rows).astype({"minutes": "Int64"})


def start_page_lessons(folder: Path | None = None) -> pd.Series:
    """The lessons the start page links (``[title](NN_topic.ipynb)``), with the minutes it states for each.

    The time of a lesson is the first "N minutes" written after its first link and before the next link; a lesson
    linked without a time gets ``<NA>``.
    """
    text = _markdown((folder or paths.NOTEBOOKS_DIR) / START_PAGE)
    links = list(_LINK.finditer(text))
    found: dict[str, int | None] = {}
    for link, following in zip(links, links[1:] + [None]):
        stretch = text[link.end(): following.start() if following else len(text)]
        found.setdefault(link.group(1), time_to_learn_minutes(stretch))
    return pd.Series(found, name="minutes", dtype="Int64").rename_axis("notebook")


# ------------------------------------------------------------------------------------------------ the hub link

#: Where nbgitpuller puts the course in each student's home (the same folder whatever the repository is called, so
#: the link, the hub's start page and the kernels' import path agree).
HUB_COURSE_FOLDER = "csto-notebooks"


class HubLinkError(ValueError):
    """A hub link cannot be made from what was given (the message is the one line the command prints)."""


def lesson_file(lesson: str | None, folder: Path | None = None) -> str:
    """The notebook a link opens: the start page for None, else the lesson numbered ``lesson`` ("3", "03")."""
    if lesson is None:
        return START_PAGE
    number = lesson.strip().zfill(2)
    files = [path.name for path in notebook_files(folder)]
    found = [name for name in files if name.startswith(f"{number}_")]
    if not number.isdigit() or not found:
        numbers = ", ".join(name[:2] for name in files)
        raise HubLinkError(f"no lesson {lesson!r}: the lessons are numbered {numbers}")
    return found[0]


def default_course_repo() -> str:
    """The repository students pull: this clone's ``origin``, or this clone's own folder when it has none."""
    import subprocess

    done = subprocess.run(["git", "remote", "get-url", "origin"], cwd=paths.REPO_ROOT, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else str(paths.REPO_ROOT)


def is_git_repository(folder: Path) -> bool:
    """True for a working clone (``folder/.git``) and for a bare repository (``HEAD`` and ``objects/`` inside)."""
    return (folder / ".git").exists() or ((folder / "HEAD").is_file() and (folder / "objects").is_dir())


def hub_link(hub_url: str, lesson: str | None = None, repo: str | None = None, branch: str = "main") -> str:
    """The nbgitpuller link that pulls the course into a student's home and opens the start page or ``lesson``.

    The first click clones ``repo`` into ``~/csto-notebooks``; later clicks merge the instructor's new commits
    without overwriting what the student changed (nbgitpuller's rules). A ``repo`` that is a folder on this machine
    is written as an absolute path, which only a hub on this machine can reach (rehearsal).
    """
    from urllib.parse import urlencode, urlsplit

    parts = urlsplit(hub_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise HubLinkError(f"hub URL {hub_url!r} is not an address like https://hub.example.edu")
    opened = lesson_file(lesson)  # checked first: a wrong lesson number is the likelier mistake
    if not branch.strip():
        raise HubLinkError("--branch is empty: name the branch students pull, e.g. main")
    repo = repo or default_course_repo()
    if "://" not in repo and not repo.startswith("git@"):
        folder = Path(repo).expanduser().resolve()
        if not is_git_repository(folder):
            raise HubLinkError(f"--repo {repo!r} is neither a URL nor a git clone on this machine")
        repo = str(folder)
    query = urlencode({
        "repo": repo,
        "branch": branch,
        "targetpath": HUB_COURSE_FOLDER,
        "urlpath": f"lab/tree/{HUB_COURSE_FOLDER}/notebooks/{opened}",
    })
    base = parts._replace(path=parts.path.rstrip("/"), query="", fragment="").geturl()
    # user-redirect sends each student to their own server (starting it if needed) before git-pull runs there.
    return f"{base}/hub/user-redirect/git-pull?{query}"


def main(argv: list[str] | None = None) -> int:
    """``python -m utils.course hub-link HUB_URL [--lesson 03] [--repo URL_OR_PATH] [--branch main]``."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m utils.course", description="The course as a whole.")
    commands = parser.add_subparsers(dest="command", required=True)
    link = commands.add_parser("hub-link", help="print the nbgitpuller link that hands the course to a class")
    link.add_argument("hub_url", metavar="HUB_URL", help="the hub's address, e.g. https://hub.example.edu")
    link.add_argument("--lesson", help="open this lesson (e.g. 03) instead of the start page")
    link.add_argument("--repo", help="repository URL or local clone to pull (default: this clone's origin)")
    link.add_argument("--branch", default="main", help="branch students pull (default: main)")
    args = parser.parse_args(argv)
    try:
        print(hub_link(args.hub_url, lesson=args.lesson, repo=args.repo, branch=args.branch))
    except HubLinkError as error:
        print(f"hub-link: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
