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
    """Minutes stated in a "Time to learn" section ("about 45 minutes" -> 45; "40-60 min" -> 60)."""
    match = _MINUTES.search(text)
    if not match:
        return None
    low, high = match.groups()
    return int(high or low)


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
