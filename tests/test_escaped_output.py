"""Every value from data/ that reaches HTML is escaped by what renders it: a hostile data folder runs no script.

A copy of data/ has every free-text cell (titles, summaries, notes, claims, evidence, names, source addresses...)
turned into an HTML or script payload, and so has the prose of every descriptor (its title and description); its
hashes are recorded through the write wing so that ``load()`` serves it. Every lesson, 00 to 09, is executed once
on it (``CSTO_DATA_DIR``), and the site is rendered from those executions. Each HTML output (as JupyterLab shows
it) and each page of the site is parsed with :mod:`html.parser`: no tag, event-handler attribute or ``javascript:``
link that a payload would create may be there. Lesson 09 (burden-sharing) is checked by name too: the payloads
reach its tables of NATO members, and the ``data.describe(name)`` its footer tells readers to run shows them as
text. Marked ``slow``; it runs in ``make test``.
"""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from utils import course, paths
from utils.read import data, sourcing
from utils.write import tables
from helpers import keep_as_installed

#: Lesson 09 and the tables it reads (checked by name: the test was first written for lessons 00-08).
BURDEN_LESSON = "09_burden_sharing.ipynb"
BURDEN_TABLES = ["alliance_burden", "alliance_burden_members", "nato_members", "memberships"]

pytestmark = pytest.mark.slow

#: In every payload, so that a live one can be told from the page's own markup.
MARKER = "csto-payload"

#: One per row in turn: a script, an event handler, a break out of an attribute (double and single quotes), a
#: javascript: link in HTML and in Markdown, a frame, an element of its own, a closing tag that ends a table.
PAYLOADS = [
    f'<script>alert("{MARKER}")</script>',
    f'<img src=x onerror="alert(\'{MARKER}\')">',
    f'"><svg onload=alert("{MARKER}")>',
    f"' onmouseover='alert(1)' data-{MARKER}='",
    f'<a href="javascript:alert(\'{MARKER}\')">{MARKER}</a>',
    f"[{MARKER}](javascript:alert(1))",
    f'<iframe src="javascript:alert(\'{MARKER}\')"></iframe>',
    f"<{MARKER}-tag>",
    f"</td></tr></table><script>alert('{MARKER}')</script>",
]
#: Payloads for a source's web address: a javascript: link, and an http address that breaks out of its href.
URL_PAYLOADS = [f"javascript:alert('{MARKER}')//", f'https://example.org/"><script>alert("{MARKER}")</script>',
                f"https://example.org/' onmouseover='alert(1)' data-{MARKER}='"]

#: Text columns the lessons compute with (names matched against the vocabulary, numbers quoted in a claim, labels
#: that pick rows): a payload there stops the lesson before it shows anything, so they keep their values. Every
#: other free-text column (no allowed-values list, no pattern, not a key) carries a payload.
COMPUTED_WITH = {
    ("claims", "stated_value"),
}

#: Attributes that hold an address.
ADDRESS_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}


def free_text_columns(descriptor: dict) -> list[str]:
    key = descriptor["schema"].get("primaryKey", [])
    key = [key] if isinstance(key, str) else key
    return [
        field["name"] for field in descriptor["schema"]["fields"]
        if field.get("type", "string") == "string" and field["name"] not in key
        and not {"enum", "pattern"} & set(field.get("constraints", {}))
    ]


def poison(folder: Path) -> dict[str, list[str]]:
    """Put a payload into every free-text cell of the tables in ``folder`` and into the prose of their descriptors;
    record their hashes. Returns the columns."""
    poisoned = {}
    for number, name in enumerate(data.table_names(folder)):
        descriptor = data.read_descriptor(name, folder)
        for key in ("title", "description"):  # what lessons and data.describe() show of a descriptor
            descriptor[key] = f"{descriptor.get(key, '')} {PAYLOADS[(number + len(key)) % len(PAYLOADS)]}"
        tables.write_descriptor(name, descriptor, folder)
        csv_path = paths.table_csv(name, folder)
        frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
        columns = [c for c in free_text_columns(descriptor) if (name, c) not in COMPUTED_WITH and c in frame]
        for column in columns:
            if column == "url":
                frame[column] = [URL_PAYLOADS[i % len(URL_PAYLOADS)] for i in range(len(frame))]
            else:
                frame[column] = [f"{value} {PAYLOADS[(i + len(column)) % len(PAYLOADS)]}"
                                 for i, value in enumerate(frame[column])]
        if columns:
            csv_path.write_bytes(tables.to_csv_bytes(frame))
            keep_as_installed(name, folder)
            poisoned[name] = columns
    tables.write_package(folder)
    return poisoned


class LiveMarkup(HTMLParser):
    """Collects what a payload would make live: its own tags, event handlers, javascript: addresses, scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if MARKER in tag:
            self.found.append(f"<{tag}>")
        for attribute, value in attrs:
            value = (value or "").strip().lower()
            if attribute.startswith("on") or MARKER in attribute:
                self.found.append(f"<{tag} {attribute}=...>")
            elif attribute in ADDRESS_ATTRIBUTES and value.replace(" ", "").startswith(("javascript:", "vbscript:")):
                self.found.append(f"<{tag} {attribute}={value[:40]!r}>")
        kind = dict(attrs).get("type") or "text/javascript"
        self._in_script = tag == "script" and ("javascript" in kind or kind == "module")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, text):
        if self._in_script and MARKER in text:
            self.found.append(f"<script>{text.strip()[:60]}")


def live_markup(html: str) -> list[str]:
    parser = LiveMarkup()
    parser.feed(html)
    parser.close()
    return parser.found


def html_outputs(nb) -> list[str]:
    """Every output JupyterLab renders as HTML: text/html, text/markdown and SVG, also those inside explorers."""
    from nbconvert.filters import markdown2html

    outputs = [output for cell in nb.cells if cell.cell_type == "code" for output in cell.get("outputs", [])]
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    outputs += [output for model in state.values() for output in model.get("state", {}).get("outputs", [])]
    shown = []
    for output in outputs:
        bundle = output.get("data", {})
        assert "application/javascript" not in bundle, "a lesson output carries a script"
        shown += [bundle[kind] for kind in ("text/html", "image/svg+xml") if kind in bundle]
        if "text/markdown" in bundle:
            shown.append(markdown2html(bundle["text/markdown"]))
    return ["".join(text) if isinstance(text, list) else text for text in shown]


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(paths.DEFAULT_DATA_DIR, folder)
    columns = poison(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(paths.DATA_DIR_ENV, str(folder))
        data.forget_parsed()
        yield folder, columns
    data.forget_parsed()


@pytest.fixture(scope="module")
def executed(hostile_data):
    """Every lesson executed once on the hostile folder (reused by the lesson and the site checks).

    A lesson's own checks of the data ("Revise the sentences on ...") fail on payload text: the lesson goes on past
    them, as a reader running every cell would, so that every later output is checked too.
    """
    import nbformat

    from utils.tools import site
    from utils.tools.notebook_runner import run_notebook

    with site.figure_data_in_kernels():  # as the site's build runs them, so that the site can be built from these
        return [(path, run_notebook(nbformat.read(path, as_version=4), path.parent, timeout=300, allow_errors=True))
                for path in course.notebook_files()]


def test_the_payloads_reach_every_kind_of_text(hostile_data):
    folder, columns = hostile_data
    # The copy is served: load() accepts the recorded hashes, and the payload is in the typed table.
    events = data.load("events", folder)
    assert events["summary"].str.contains(MARKER, regex=False).all()
    assert data.load("sources", folder)["url"].str.contains(MARKER, regex=False).all()
    for table, column in [("events", "title"), ("claims", "claim"), ("claims", "evidence"), ("exercises", "note"),
                          ("sources", "title"), ("milex_suspicions", "finding"), ("arms_transfers", "supplier_name"),
                          ("alliance_burden_members", "country"), ("nato_members", "country"),
                          ("nato_members", "note"), ("memberships", "note")]:
        assert column in columns[table], f"{table}.{column} carries no payload"
    for table in BURDEN_TABLES:
        assert MARKER in data.describe(table, folder).title, f"{table}'s descriptor carries no payload"


def test_the_parser_finds_live_payloads():
    for payload in [p for i, p in enumerate(PAYLOADS) if i not in (3, 5)]:  # 3 needs an attribute, 5 Markdown
        assert live_markup(f"<p>{payload}</p>"), payload
    assert live_markup(f"<a href='{PAYLOADS[3]}'>x</a>")
    assert live_markup(f'<a href="{URL_PAYLOADS[1]}">x</a>')
    assert not live_markup(f"<p>{__import__('html').escape(PAYLOADS[0])}</p>")


def test_the_sources_list_escapes_titles_and_links_only_web_addresses():
    listed = pd.DataFrame({
        "source_id": ["a", "b", "c", "d"], "title": [PAYLOADS[0], "Plain", "Third", "Fourth"],
        "url": ["https://example.org/?q=1&x=2", URL_PAYLOADS[0], URL_PAYLOADS[1], "httpx://example.org"],
        "tier": ["news"] * 4, "outlet": ["A", "B", "C", "D"], "aligned_with": [PAYLOADS[1], None, None, None]})
    shown = sourcing.reading_list(["a", "b", "c", "d"], sources=listed)
    assert live_markup(shown) == []
    assert shown.count("<a href=") == 2  # neither the javascript: nor the httpx: address is a link
    assert "href='https://example.org/?q=1&amp;x=2'" in shown
    assert "&lt;script&gt;" in shown


def test_no_lesson_output_holds_live_markup(executed):
    reached = {}
    for path, nb in executed:
        outputs = html_outputs(nb)
        for output in outputs:
            assert live_markup(output) == [], f"{path.name}: live markup in an output: {live_markup(output)[:3]}"
        reached[path.name] = sum(MARKER in output for output in outputs)
    # The payloads did reach the lessons' tables and lists (escaped): the check above looked at them.
    showing = [name for name, count in reached.items() if count]
    assert len(showing) >= 5, reached


def test_lesson_09_shows_the_payloads_of_its_tables_as_text(executed):
    lessons = {path.name: nb for path, nb in executed}
    assert sorted(lessons) == [path.name for path in course.notebook_files()] and BURDEN_LESSON in lessons
    outputs = html_outputs(lessons[BURDEN_LESSON])
    # NATO's members in 1964 and those above the US in the newest year, the notes on France and Iceland: each shows
    # its payloads, escaped. (The table of tables cuts the titles at pandas' 50 characters, before their payload.)
    showing = [output for output in outputs if MARKER in output]
    assert len(showing) >= 3, f"{BURDEN_LESSON}: payloads in {len(showing)} outputs"
    for output in outputs:
        assert live_markup(output) == [], f"{BURDEN_LESSON}: {live_markup(output)[:3]}"
    # The explorer drew its figure into the widget state (the site shows it with its source line and alt text).
    state = lessons[BURDEN_LESSON].metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    figures = [output for model in state.values() for output in model.get("state", {}).get("outputs", [])
               if "image/png" in output.get("data", {})]
    assert figures and MARKER in figures[0]["metadata"]["image/png"]["source"]


@pytest.mark.parametrize("table", BURDEN_TABLES)
def test_describe_shows_a_descriptor_as_text(hostile_data, table):
    # Lesson 09's footer sends readers to data.describe(name), which JupyterLab renders as Markdown.
    from nbconvert.filters import markdown2html

    folder, _ = hostile_data
    markdown = data.describe(table, folder)._repr_markdown_()
    shown = markdown2html(markdown)
    assert MARKER in shown and live_markup(shown) == [], live_markup(shown)[:3]
    prose = markdown.split("```")[0]  # before the fields table, which is code
    assert "$" not in prose.replace("\\$", ""), "a dollar sign left for JupyterLab to read as maths"


def test_no_page_of_the_site_holds_live_markup(executed, tmp_path):
    from utils.tools import publish

    # The lessons ran past their author checks, which fail on payload text: their errors are expected here.
    pages = publish.build_html(tmp_path / "site", executed={path.name: nb for path, nb in executed},
                               allow_errors=True)
    assert len(pages) >= len(executed) + 1
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert live_markup(text) == [], f"{page.name}: {live_markup(text)[:3]}"
    assert any(MARKER in page.read_text(encoding="utf-8") for page in pages)
