"""What the static site gives a reader beyond the rendered lessons: data, citations, downloads, and links that work.

- each figure: a "Data" link to a CSV of the rows it plots (the kernel reads them back from the drawing, see
  utils.read.plots.figure_data), whose first lines name the source and the licence, and a "Cite" line;
- each lesson page: its notebook to download and a Binder launch that opens that lesson;
- a "Cite this course" page, written from CITATION.cff and the tables' descriptors;
- a check, run offline after the build, that every internal link and anchor of the site resolves.

The repository address comes from CITATION.cff, the one place it is written (a test keeps the README's Binder badge
equal to it).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import yaml
from nbconvert.preprocessors import Preprocessor

from utils import paths
from utils.read import data
from utils.read.plots import FIGURE_DATA_ENV
#: Where each lesson's figure data and downloadable notebook go, inside the site folder.
DATA_FOLDER, NOTEBOOK_FOLDER = "data", "notebooks"
CITE_PAGE = "cite.html"


def citation() -> dict:
    return yaml.safe_load((paths.REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def repository() -> tuple[str, str]:
    """(owner, name) of the repository on GitHub."""
    owner, name = urlsplit(citation()["repository-code"]).path.strip("/").split("/")[:2]
    return owner, name


def binder_url(notebook: str) -> str:
    """A Binder launch that builds the repository and opens ``notebook`` in JupyterLab."""
    owner, name = repository()
    return f"https://mybinder.org/v2/gh/{owner}/{name}/HEAD?urlpath=lab/tree/notebooks/{notebook}"


@contextlib.contextmanager
def figure_data_in_kernels():
    """While building: kernels started now add each figure's rows, source and licence to its output."""
    before = os.environ.get(FIGURE_DATA_ENV)
    os.environ[FIGURE_DATA_ENV] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(FIGURE_DATA_ENV, None)
        else:
            os.environ[FIGURE_DATA_ENV] = before


def cite_line(where: str = "") -> str:
    """The course's reference in one line, with ``where`` (a lesson, a figure) after its title."""
    cff = citation()
    author = "; ".join(a.get("name", "") for a in cff["authors"])
    year = str(cff["date-released"])[:4]
    title = cff["title"] + (f", {where}" if where else "")
    return f"{author} ({year}). {title}. Version {cff['version']}. {cff['repository-code']}"


class FigureFiles(Preprocessor):
    """Write each figure's rows next to the page and give the figure its Data link and Cite line (in its metadata,
    which the site's template reads)."""

    def __init__(self, out_dir: Path, **kw):
        super().__init__(**kw)
        self.out_dir = out_dir

    def preprocess(self, nb, resources):
        self.stem = resources["metadata"]["name"]
        self.title = next((line[2:].strip() for cell in nb.cells if cell.cell_type == "markdown"
                           for line in cell.source.splitlines() if line.startswith("# ")), self.stem)
        self.count = 0
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("image/png")
            if not meta or "source" not in meta:  # only the course's finished figures
                continue
            self.count += 1
            meta["csto_cite"] = cite_line(f"{self.title}, figure {self.count}")
            if "csto_rows" in meta:  # maps and stacked areas have no rows to read back: a Cite line only
                target = self.out_dir / DATA_FOLDER / f"{self.stem}-figure-{self.count}.csv"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(meta.pop("csto_rows"), encoding="utf-8")
                meta["csto_data_href"] = f"{DATA_FOLDER}/{target.name}"
        return cell, resources


def copy_notebook(source: Path, out_dir: Path) -> str:
    """The lesson's notebook, as stored in the repository (no outputs), beside the site; returns its link."""
    target = out_dir / NOTEBOOK_FOLDER / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return f"{NOTEBOOK_FOLDER}/{source.name}"


def cite_page() -> nbformat.NotebookNode:
    """The "Cite this course" page, as a notebook rendered like the others."""
    cff = citation()
    owner, name = repository()
    key = re.sub(r"\W", "", name) + str(cff["date-released"])[:4]
    bibtex = "\n".join([
        f"@misc{{{key},",
        f"  author = {{{{{'; '.join(a.get('name', '') for a in cff['authors'])}}}}},",
        f"  title = {{{{{cff['title']}}}}},",
        f"  year = {{{str(cff['date-released'])[:4]}}},",
        f"  version = {{{cff['version']}}},",
        f"  howpublished = {{\\url{{{cff['repository-code']}}}}},",
        "}",
    ])
    lines = [
        "# Cite this course", "",
        "If you use these lessons, their figures or their tables, cite the course:", "",
        f"> {cite_line()}", "",
        "As BibTeX:", "", "```bibtex", bibtex, "```", "",
        f"Licences: {' and '.join(cff['license'])} (code: MIT; prose and hand-built tables: CC BY 4.0). Tables and "
        "figures computed from third-party data stay under their publishers' terms, listed below.", "",
        "## Cite the data too", "",
        "Each figure's source line names the data it is drawn from; each table's terms are these:", "",
        "| Table | Source | Terms |", "|---|---|---|",
    ]
    for name in data.table_names():
        descriptor = data.read_descriptor(name)
        provenance = descriptor.get("provenance", {})
        terms = "; ".join(entry.get("title") or entry.get("name", "") for entry in descriptor.get("licenses", []))
        source = str(provenance.get("citation") or provenance.get("source", "")).replace("|", "/")
        lines.append(f"| `{name}` | {source} | {terms.replace('|', '/')} |")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("\n".join(lines))])
    nb.metadata["title"] = "Cite this course"
    return nb


# ------------------------------------------------------------------------------------------------ link check


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.targets: list[str] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for key in ("id", "name"):
            if attributes.get(key):
                self.anchors.add(attributes[key])
        for key in ("href", "src"):
            value = attributes.get(key)
            if value and not re.match(r"^[a-z][a-z0-9+.-]*:", value):  # http:, data:, mailto: are not the site's
                self.targets.append(value)


def broken_links(out_dir: Path) -> list[str]:
    """Every internal link or anchor of the site's pages that leads nowhere, as "page: target" lines."""
    pages = {page.resolve(): _Links() for page in sorted(out_dir.glob("*.html"))}
    for page, parser in pages.items():
        parser.feed(page.read_text(encoding="utf-8"))
    problems = []
    for page, parser in pages.items():
        for target in parser.targets:
            path_part, _, anchor = target.partition("#")
            path = (page.parent / unquote(path_part)).resolve() if path_part else page.resolve()
            # A browser matches a fragment as written or percent-decoded (nbconvert writes ids percent-encoded).
            ids = pages.get(path, _Links()).anchors
            if not path.exists():
                problems.append(f"{page.name}: {target} (no such file)")
            elif anchor and path.suffix == ".html" and not {anchor, unquote(anchor)} & (ids | {unquote(i) for i in ids}):
                problems.append(f"{page.name}: {target} (no such anchor)")
    return problems
