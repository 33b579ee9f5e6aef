"""Editions of the collection for use without a running kernel.

    python -m utils.tools.publish html      # build/html/: every notebook executed and rendered, plus index.html
    python -m utils.tools.publish student   # build/student/: the notebooks without their worked solutions
    python -m utils.tools.publish pdf       # build/pdf/: one printable handout per notebook and the whole course
    python -m utils.tools.publish readme-figure   # notebooks/images/overview.png, the figure at the top of the README

Both are built with nbconvert (execution, tag-based cell removal, a small template of the collection's own),
into ``build/``, which is never committed.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import ExecutePreprocessor, Preprocessor, TagRemovePreprocessor
from nbconvert.preprocessors.sanitize import SanitizeHTML

from utils import course, paths
from utils.tools import cell_roles, site
from utils.tools.notebook_runner import ShellPolling

BUILD_DIR = paths.REPO_ROOT / "build"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
SOLUTION_TAG = cell_roles.SOLUTION_TAG
#: Left out of the student edition: worked solutions, and the authors' checks of their prose (see utils.tools.cell_roles).
STUDENT_EDITION_DROPS = {cell_roles.SOLUTION_TAG, cell_roles.AUTHOR_CHECK_TAG}
#: Left out of the site and the PDFs: a self-check's code computes the answer, and an author check is not for readers.
SITE_DROPS = {cell_roles.SELF_CHECK_TAG, cell_roles.AUTHOR_CHECK_TAG}
#: Shown on the site by their output alone: an explorer's widget set-up (the page shows the figure it first drew).
SITE_DROPS_INPUT = {cell_roles.EXPLORER_TAG}
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"
EXPLORER_NOTE = (
    '<div class="csto-explorer-note">Interactive explorer, shown with its first settings: open this notebook in '
    "JupyterLab to change them.</div>"
)


#: A link to a lesson notebook in a page (``href="01_history.ipynb"``, with or without an #anchor).
LESSON_LINK = re.compile(r'href="(\d\d_[\w-]+)\.ipynb')


class Executor(ShellPolling, ExecutePreprocessor):
    """nbconvert's executor, waiting for replies in short slices (see utils.tools.notebook_runner)."""


class StaticExplorers(Preprocessor):
    """Replace each live explorer by what it first showed, and a note (a static page has no kernel to drive it).

    An explorer (``widgets.interactive``) draws its figure into an Output widget; the executor keeps that output in
    the notebook's widget state, which is where this finds it, so the page shows the figure with its alt text.
    """

    def preprocess(self, nb, resources):
        self.widget_state = nb.metadata.get("widgets", {}).get(WIDGET_STATE_MIME, {}).get("state", {})
        return super().preprocess(nb, resources)

    def captured_outputs(self, model_id: str) -> list:
        """The outputs held by the Output widgets inside widget ``model_id`` (searched through its children)."""
        model = self.widget_state.get(model_id, {})
        state = model.get("state", {})
        if model.get("model_name") == "OutputModel":
            return [nbformat.from_dict(output) for output in state.get("outputs", [])]
        children = state.get("children", [])
        return [output for child in children for output in self.captured_outputs(child.removeprefix("IPY_MODEL_"))]

    def preprocess_cell(self, cell, resources, index):
        if cell.get("cell_type") != "code":
            return cell, resources
        outputs = []
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_MIME)
            if view:
                outputs.extend(self.captured_outputs(view["model_id"]))
                outputs.append(nbformat.v4.new_output("display_data", data={"text/html": EXPLORER_NOTE}))
            else:
                outputs.append(output)
        cell.outputs = outputs
        return cell, resources


def shown_errors(nb) -> list[str]:
    """The errors an executed notebook shows, in its cells' outputs and in its explorers' captured outputs.

    The executor stops at a cell that raises, but not when a display formatter fails: IPython then shows a traceback
    in place of the output and the cell counts as run (a figure whose rows could not be read back for its Data file
    was lost from its page that way, silently).
    """
    found = [f"cell {index + 1}: {output.get('ename', '')}: {output.get('evalue', '')}"
             for index, cell in enumerate(nb.cells) if cell.get("cell_type") == "code"
             for output in cell.get("outputs", []) if output.get("output_type") == "error"]
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE_MIME, {}).get("state", {})
    found += [f"an explorer: {output.get('ename', '')}: {output.get('evalue', '')}" for model in state.values()
              if model.get("model_name") == "OutputModel"
              for output in model.get("state", {}).get("outputs", []) if output.get("output_type") == "error"]
    return found


#: What a lesson's HTML output may hold on the site: pandas tables (plain and styled), folded lists of sources and
#: claims, the explorer note. Anything else is shown as text, never run.
SITE_OUTPUT_TAGS = ["a", "abbr", "b", "br", "caption", "code", "details", "div", "em", "i", "li", "ol", "p", "pre",
                    "span", "strong", "style", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"]
SITE_OUTPUT_ATTRIBUTES = {
    "a": ["href", "title"], "table": ["border", "class", "id"], "th": ["class", "id", "colspan", "rowspan"],
    "td": ["class", "id", "colspan", "rowspan"], "tr": ["class", "style"], "div": ["class"], "span": ["class"],
    "style": ["scoped", "type"], "p": ["style"],
}


class EscapedOutputs(SanitizeHTML):
    """The site's own guard: every HTML or Markdown output of a code cell passes bleach's allow-list.

    A lesson already escapes each value from data/ where it renders it (pandas tables, styled tables,
    :func:`utils.read.sourcing.reading_list`); this makes sure that whatever a lesson prints, no script, event
    handler, frame or ``javascript:`` link reaches a page or a handout (tags off the list are shown as text, links
    keep http, https and mailto addresses only, other output types such as scripts are dropped). Markdown cells
    are the course's own prose and are rendered as written.
    """

    def __init__(self, **kwargs):
        super().__init__(tags=SITE_OUTPUT_TAGS, attributes=SITE_OUTPUT_ATTRIBUTES, **kwargs)

    def preprocess_cell(self, cell, resources, index):
        if cell.get("cell_type") == "code":
            cell.outputs = self.sanitize_code_outputs(cell.outputs)
        return cell, resources


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build_student(out_dir: Path | None = None) -> list[Path]:
    """Write copies of the notebooks without worked solutions and author checks.

    Prompts and self-checks are kept (a student runs the self-checks); their code stays collapsed, as in the lessons.
    """
    out_dir = out_dir or BUILD_DIR / "student"
    out_dir.mkdir(parents=True, exist_ok=True)
    remover = TagRemovePreprocessor(remove_cell_tags=STUDENT_EDITION_DROPS, enabled=True)
    written = []
    for path in course.notebook_files():
        nb = nbformat.read(path, as_version=4)
        nb, _ = remover.preprocess(nb, {})
        target = out_dir / path.name
        nbformat.write(nb, target)
        written.append(target)
        _progress(f"student edition: {target.relative_to(out_dir.parent)}")
    return written


def _index_notebook(order) -> nbformat.NotebookNode:
    """The site's front page, written as a notebook so nbconvert renders it like every other page."""
    lines = [
        "# csto-notebooks: the CSTO in data, 1992–2026",
        "",
        "A course on the Collective Security Treaty Organization, taught from official data and sourced tables. "
        "Read the notebooks in this order.",
        "",
        "| # | Notebook | What it covers | Time |",
        "|---|---|---|---|",
    ]
    for number, row in enumerate(order.itertuples(), start=0):
        html_name = Path(row.notebook).with_suffix(".html").name
        minutes = f"{row.minutes} min" if row.minutes is not None and str(row.minutes) != "<NA>" else ""
        about = str(row.about).replace("|", "/")
        lines.append(f"| {number:02d} | [{row.title}]({html_name}) | {about} | {minutes} |")
    lines += [
        "",
        "Worked solutions are collapsed under each exercise. Interactive explorers need JupyterLab; "
        "here each shows the figure it first drew.",
        "",
        "*Notebook text: CC BY 4.0. Code: MIT. Data: under each source's terms.*",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("\n".join(lines))])
    nb.metadata["title"] = "csto-notebooks"
    return nb


def build_html(out_dir: Path | None = None, timeout: int = 300,
               executed: dict[str, nbformat.NotebookNode] | None = None, allow_errors: bool = False) -> list[Path]:
    """Execute every notebook and render it, with an index page in reading order, into ``out_dir``.

    ``executed`` (file name -> notebook) gives notebooks already executed, inside
    :func:`utils.tools.site.figure_data_in_kernels`: they are rendered as they are, not run again.
    A notebook that shows an error (:func:`shown_errors`) stops the build, unless ``allow_errors`` (a test that runs
    the lessons on hostile data, past the author checks that then fail).
    """
    out_dir = out_dir or BUILD_DIR / "html"
    out_dir.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="csto_site", extra_template_basedirs=[str(TEMPLATES_DIR)])
    exporter.register_preprocessor(StaticExplorers(), enabled=True)
    exporter.register_preprocessor(EscapedOutputs(), enabled=True)
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags=SITE_DROPS, remove_input_tags=SITE_DROPS_INPUT, enabled=True), enabled=True
    )
    exporter.register_preprocessor(site.FigureFiles(out_dir), enabled=True)  # the figures left on the page
    notebooks = course.notebook_files()
    names = [p.with_suffix(".html").name for p in notebooks]
    written = []
    for position, path in enumerate(notebooks):
        if executed is not None and path.name in executed:
            nb = executed[path.name]
        else:
            _progress(f"[{position + 1}/{len(notebooks)}] executing {path.name}")
            nb = nbformat.read(path, as_version=4)
            # Run in the notebooks' folder, exactly as JupyterLab and nbval do.
            with site.figure_data_in_kernels():
                Executor(timeout=timeout, kernel_name="python3").preprocess(
                    nb, {"metadata": {"path": str(path.parent)}}
                )
        errors = [] if allow_errors else shown_errors(nb)
        if errors:
            raise RuntimeError(f"{path.name} shows an error where its page would show an output:\n  "
                               + "\n  ".join(errors))
        resources = {
            "metadata": {"name": path.stem},
            "csto_previous": names[position - 1] if position > 0 else "",
            "csto_next": names[position + 1] if position + 1 < len(names) else "",
            "csto_notebook": site.copy_notebook(path, out_dir),
            "csto_binder": site.binder_url(path.name),
        }
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        body = LESSON_LINK.sub(r'href="\1.html', body)  # a link to another lesson leads to its page of the site
        target = out_dir / names[position]
        target.write_text(body, encoding="utf-8")
        written.append(target)
    body, _ = exporter.from_notebook_node(_index_notebook(course.reading_order()), resources={"metadata": {"name": "index"}})
    index = out_dir / "index.html"
    index.write_text(body, encoding="utf-8")
    body, _ = exporter.from_notebook_node(site.cite_page(), resources={"metadata": {"name": "cite"}})
    cite = out_dir / site.CITE_PAGE
    cite.write_text(body, encoding="utf-8")
    broken = site.broken_links(out_dir)
    if broken:
        raise RuntimeError("the site has links that lead nowhere:\n  " + "\n  ".join(broken))
    _progress(f"wrote {index}, {cite.name} and {len(written)} notebook pages; every internal link resolves")
    return [index, cite, *written]


#: Debian's Chromium, which the browser tests drive too (Playwright cannot download its own browser here).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
#: Flags for a headless Chromium on a machine without a display or network (see the README, "Tests").
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
#: Page footer of the handouts: the page number, small, centred.
PDF_FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#555">'
              '<span class="title"></span> &middot; page <span class="pageNumber"></span> of '
              '<span class="totalPages"></span></div>')


def build_pdf(site_dir: Path | None = None, out_dir: Path | None = None) -> list[Path]:
    """Print each page of the static site to a PDF handout, and all of them to ``csto-course.pdf``.

    The site's print style hides the navigation and the worked solutions (a student handout), and keeps figures,
    tables and cells whole across page breaks. Printed by Debian's Chromium through Playwright.
    """
    from playwright.sync_api import sync_playwright
    from pypdf import PdfWriter

    site_dir = site_dir or BUILD_DIR / "html"
    out_dir = out_dir or BUILD_DIR / "pdf"
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"make pdf prints with Chromium, not found at {CHROMIUM}: sudo apt-get install chromium")
    pages = [site_dir / p.with_suffix(".html").name for p in course.notebook_files()]
    if not all(page.exists() for page in pages):
        build_html(site_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        page.emulate_media(media="print")
        for position, html in enumerate(pages):
            target = out_dir / html.with_suffix(".pdf").name
            _progress(f"[{position + 1}/{len(pages)}] printing {target.name}")
            page.goto(html.as_uri())
            page.wait_for_load_state("load")
            page.pdf(path=str(target), format="A4", print_background=True, display_header_footer=True,
                     header_template="<span></span>", footer_template=PDF_FOOTER,
                     margin={"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"})
            written.append(target)
        browser.close()
    course_pdf = out_dir / "csto-course.pdf"
    writer = PdfWriter()
    for handout in written:
        writer.append(str(handout))
    with course_pdf.open("wb") as handle:
        writer.write(handle)
    _progress(f"wrote {len(written)} handouts and {course_pdf}")
    return [*written, course_pdf]


README_FIGURE = paths.NOTEBOOKS_DIR / "images" / "overview.png"


def build_readme_figure(target: Path | None = None) -> Path:
    """Russia's share of the members' spending by year, one line per SIPRI release in the data (as in notebook 03).

    Years whose share rests on a figure the release's own consistency checks suspect (table ``milex_suspicions``)
    are marked with a cross, as in the notebook.
    """
    import matplotlib

    matplotlib.use("Agg")
    import pandas as pd
    import seaborn as sns

    from utils.read import metrics, plots, vocabulary

    target = target or README_FIGURE
    releases = metrics.milex_editions()["edition"]
    shares = pd.concat([metrics.russia_share_by_year(edition) for edition in releases], ignore_index=True)
    shares = shares[shares["complete"]].assign(release=lambda t: t["edition"].map(vocabulary.edition_label))
    suspect = shares[shares["suspect"]]
    # The newest release in Russia's colour, older ones in grey (releases are listed newest first).
    colours = {vocabulary.edition_label(e): plots.colour_of("RUS") if i == 0 else "#888888" for i, e in enumerate(releases)}

    fig, ax = plots.new_figure()
    sns.lineplot(shares, x="year", y="share", hue="release", palette=colours, ax=ax)
    if len(suspect):
        sns.scatterplot(suspect, x="year", y="share", marker="X", color="#000000", s=40, ax=ax,
                        label="rests on a suspected error in the release")
    ax.axhline(95, color="#555555", linestyle="--", linewidth=1)
    ax.set(xlabel="Year", ylabel="Russia's share (%)")
    ax.legend(title=None)
    plots.finish(ax, "Russia pays about 95% of the members' military spending; the figure moves with year and release",
                 *[vocabulary.edition_source_id(edition) for edition in releases],
                 note="Dashed line: the 95% both articles state. Constant US dollars of each release.")
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, dpi=100, facecolor="white")
    _progress(f"wrote {target}")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m utils.tools.publish", description=__doc__.split("\n\n")[0])
    parser.add_argument("edition", choices=["html", "student", "pdf", "readme-figure"])
    parser.add_argument("--out", type=Path, help="output folder (default: build/html or build/student)")
    args = parser.parse_args(argv)
    if args.edition == "html":
        build_html(args.out)
    elif args.edition == "student":
        build_student(args.out)
    elif args.edition == "pdf":
        build_pdf(out_dir=args.out)
    else:
        build_readme_figure(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
