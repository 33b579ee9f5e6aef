"""The collection itself as data: the notebooks in reading order, with their titles and time estimates.

Read from the notebooks' own headings, so the start page and the rendered index never drift from the lessons.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from utils import paths

_MINUTES = re.compile(r"(\d+)\s*(?:-|–|to)?\s*(\d+)?\s*min", re.IGNORECASE)


def notebook_files(folder: Path | None = None) -> list[Path]:
    """The lesson notebooks in reading order (``NN_topic.ipynb``)."""
    return sorted((folder or paths.NOTEBOOKS_DIR).glob("[0-9][0-9]_*.ipynb"))


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
