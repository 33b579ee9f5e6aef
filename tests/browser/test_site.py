"""The rendered collection (make html): an index in reading order, every page reachable, figures shown.

The site is built once into a temporary folder with the same code as ``make html`` (from the lessons as the other
tests ran them: ``tests/executed_notebooks.py``) and opened from file:// in Chromium, as a student would open a
handout. ``tests/test_publication.py`` checks that ``make html`` itself executes what it is not given.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from utils import course
from utils.read import selfcheck
from utils.tools import cell_roles, publish

from executed_notebooks import as_stored


@pytest.fixture(scope="module")
def site(tmp_path_factory, chromium_path) -> Path:
    """The site ``make html`` builds, from the lessons' Run All shared with the other tests (``as_stored``)."""
    out = tmp_path_factory.mktemp("site")
    # Last lesson first: the exercise tests, running beside this in another process, take them first to last, so
    # the two make different runs instead of waiting on the same one.
    executed = {path.name: as_stored(path) for path in reversed(course.notebook_files())}
    publish.build_html(out, executed=executed)
    return out


def _answers_given_away(text: str, notebook: Path) -> list[str]:
    """What of a self-check or an author check shows in ``text`` (a page's HTML or a handout's text): none may."""
    import nbformat

    text = " ".join(text.split())  # a PDF breaks lines where it likes; compare with runs of white space as one space
    found = [marker for marker in ("selfcheck.check(", f"— {selfcheck.NOT_ANSWERED}:", "run this cell again")
             if marker in text]
    cells = nbformat.read(notebook, as_version=4).cells
    # A worked solution may share a line with its self-check; the site folds it (tested above), the PDF leaves it out.
    solutions = " ".join(" ".join(c.source.split()) for c in cells if cell_roles.SOLUTION_TAG in cell_roles.tags_of(c))
    # A line the lesson's visible code also has (a pivot's arguments, say) shows because the lesson shows it.
    hidden = {cell_roles.SELF_CHECK_TAG, cell_roles.AUTHOR_CHECK_TAG}
    visible = " ".join(" ".join(c.source.split()) for c in cells
                       if c.cell_type == "code" and not hidden & set(cell_roles.tags_of(c)))
    for cell in cells:
        tags = cell_roles.tags_of(cell)
        if cell_roles.SELF_CHECK_TAG in tags or cell_roles.AUTHOR_CHECK_TAG in tags:
            # Each line of the cell's code long enough to be its own (short lines such as ")" occur everywhere).
            lines = (" ".join(line.split()) for line in cell.source.splitlines())
            found += [line for line in lines
                      if len(line) > 30 and line in text and line not in solutions and line not in visible]
    return found


def _local_targets(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    return [h for h in hrefs if urlparse(h).scheme == "file"]


def test_index_links_every_notebook_in_reading_order(page, site):
    page.goto((site / "index.html").as_uri())
    links = [Path(urlparse(h).path).name for h in _local_targets(page)]
    expected = [p.with_suffix(".html").name for p in course.notebook_files()]
    in_order = [name for name in links if name in expected]
    assert list(dict.fromkeys(in_order)) == expected


@pytest.mark.parametrize("notebook", [p.name for p in course.notebook_files()])
def test_page_shows_its_figures_and_has_no_broken_links(page, site, notebook):
    target = site / Path(notebook).with_suffix(".html").name
    assert target.exists(), f"{target.name} was not built"
    failed_requests = []
    page.on("requestfailed", lambda request: failed_requests.append(request.url))
    page.goto(target.as_uri())
    page.wait_for_load_state("load")

    broken_images = page.eval_on_selector_all(
        "img", "imgs => imgs.filter(i => !i.complete || i.naturalWidth === 0).map(i => (i.src || '').slice(0, 80))"
    )
    assert not broken_images, f"{notebook}: images that did not load: {broken_images}"
    if not notebook.startswith("00_"):
        figures = page.locator(".jp-OutputArea-output img").count()
        assert figures >= 3, f"{notebook}: expected at least 3 figures, found {figures}"
    # An explorer cannot run on a static page: it is shown by the figure it first drew, then a note.
    figure_before_note = page.eval_on_selector_all(".csto-explorer-note", """notes => notes.map(note => {
        const output = note.closest('.jp-OutputArea-child');
        const before = output && output.previousElementSibling;
        return Boolean(before && before.querySelector('img'));
    })""")
    assert all(figure_before_note), f"{notebook}: an explorer is shown without the figure it first drew"

    for href in _local_targets(page):
        path = Path(urlparse(href).path)
        assert path.exists(), f"{notebook}: broken link to {path.name}"
    local_failures = [u for u in failed_requests if urlparse(u).scheme == "file"]
    assert not local_failures, f"{notebook}: local resources failed to load: {local_failures}"

    solutions = page.locator(".csto-solution-cell details")
    for index in range(solutions.count()):
        assert solutions.nth(index).get_attribute("open") is None, f"{notebook}: a solution is shown open"
    # Only the summary line of a worked solution shows until its <details> is opened.
    visible_code = page.locator(".csto-solution-cell pre:visible, .csto-solution-cell code:visible")
    assert visible_code.count() == 0, f"{notebook}: part of a worked solution is visible"
    if not notebook.startswith("00_"):
        assert solutions.count() >= 4, f"{notebook}: expected a collapsed solution per exercise"


@pytest.mark.parametrize("path", course.notebook_files(), ids=lambda p: p.name)
def test_page_shows_no_self_check_code_and_no_author_check(site, path):
    import html

    text = html.unescape(re.sub(r"<[^>]+>", "", (site / path.with_suffix(".html").name).read_text(encoding="utf-8")))
    found = _answers_given_away(text, path)
    assert not found, f"{path.name}: the page shows a self-check or an author check: {found[:3]}"


@pytest.mark.parametrize("notebook", [p.name for p in course.notebook_files()])
def test_every_figure_has_its_own_alt_text_and_the_page_its_language(page, site, notebook):
    page.goto((site / Path(notebook).with_suffix(".html").name).as_uri())
    assert page.get_attribute("html", "lang") == "en"
    alts = page.eval_on_selector_all(".jp-OutputArea-output img", "imgs => imgs.map(i => i.getAttribute('alt') || '')")
    generic = [a for a in alts if not a or a.startswith("No description has been provided")]
    assert not generic, f"{notebook}: {len(generic)} of {len(alts)} figures lack a specific alt text"
    assert len(set(alts)) == len(alts), f"{notebook}: two figures share one alt text"


def test_pdf_handouts_have_pages_embedded_figures_searchable_text_and_no_solutions(site, tmp_path):
    from pypdf import PdfReader

    from concurrent.futures import ThreadPoolExecutor

    # Playwright's sync API cannot start inside the page fixture's running loop: print from a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        written = pool.submit(publish.build_pdf, site, tmp_path).result()
    handouts = {p.stem: PdfReader(str(p)) for p in written}
    total = 0
    for path in course.notebook_files():
        reader = handouts[path.stem]
        text = "\n".join(page.extract_text() for page in reader.pages)
        title = course.reading_order().set_index("notebook").loc[path.name, "title"]
        assert len(reader.pages) >= 2, f"{path.stem}.pdf has {len(reader.pages)} page(s)"
        assert title.split(":")[0].split()[0] in text, f"{path.stem}.pdf: the title is not searchable text"
        assert "Worked solution" not in text, f"{path.stem}.pdf prints a worked solution"
        found = _answers_given_away(text, path)
        assert not found, f"{path.stem}.pdf prints a self-check or an author check: {found[:3]}"
        if not path.name.startswith("00_"):
            figures = sum(len(page.images) for page in reader.pages)
            assert figures >= 3, f"{path.stem}.pdf embeds {figures} figures"
        total += len(reader.pages)
    assert len(handouts["csto-course"].pages) == total
