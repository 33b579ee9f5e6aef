"""What the static site adds beside each figure and lesson (utils.tools.site), checked without building the site:

- a figure's rows are read back from what it draws, and its Data file names the source and the licence;
- each figure gets a Data link and a Cite line, each lesson a notebook to download and a Binder launch;
- the "Cite this course" page and the offline link check.
(tests/browser/test_site.py builds the whole site and opens it in Chromium.)
"""

import re

import matplotlib

matplotlib.use("Agg")

import nbformat
import pandas as pd
import pytest
import seaborn as sns

from utils.paths import REPO_ROOT
from utils.read import plots
from utils.read.plots.figure_data import plotted_rows
from utils.tools import site

pytestmark = pytest.mark.usefixtures("close_figures")

SHARES = pd.DataFrame({"year": [2000, 2001, 2002] * 2, "share": [0.1, 0.2, 0.3, 0.5, 0.4, 0.6],
                       "country": ["Russia"] * 3 + ["Armenia"] * 3})


def test_rows_are_read_back_from_lines_bars_and_heat_maps():
    fig, ax = plots.new_figure()
    sns.lineplot(SHARES, x="year", y="share", hue="country", ax=ax)
    rows = plotted_rows(fig)
    assert list(rows.columns) == ["country", "year", "share"] and len(rows) == 6
    assert rows.iloc[0].tolist() == ["Russia", 2000, 0.1]
    fig, ax = plots.new_figure()
    sns.barplot(SHARES, x="country", y="share", hue="year", errorbar=None, ax=ax)
    rows = plotted_rows(fig)
    assert sorted(zip(rows["year"], rows["country"], rows["share"]))[0] == ("2000", "Armenia", 0.5)
    fig, ax = plots.new_figure()
    sns.heatmap(SHARES.pivot(index="country", columns="year", values="share"), ax=ax)
    rows = plotted_rows(fig)
    assert len(rows) == 6 and set(rows["country"]) == {"Armenia", "Russia"}


def test_dates_are_read_back_as_dates_also_from_a_reference_line_drawn_at_a_timestamp():
    # Lesson 06's timeline of bases: spells melted into date points, and a dashed line at a date (an axvline at a
    # Timestamp, in the colour of a series: a reference all the same).
    spells = pd.DataFrame({"date": pd.to_datetime(["2001-12-01", "2014-06-03", "1995-01-01", "2044-01-01"]),
                           "base": ["Manas", "Manas", "Gyumri", "Gyumri"], "user": ["US", "US", "Russia", "Russia"]})
    fig, ax = plots.new_figure()
    sns.lineplot(spells, x="date", y="base", hue="user", units="base", estimator=None, ax=ax)
    ax.axvline(pd.Timestamp("2011-12-20"), linestyle="--")
    ax.set(xlabel="Year", ylabel="Facility")
    rows = plotted_rows(fig)
    assert sorted(rows["Year"]) == ["1995-01-01", "2001-12-01", "2014-06-03", "2044-01-01"]  # the axvline is no data
    assert set(zip(rows["user"], rows["Facility"])) == {("US", "Manas"), ("Russia", "Gyumri")}


def test_a_histogram_gives_each_bin_its_edges():
    fig, ax = plots.new_figure()
    sns.histplot(x=[-0.9, -0.8, -0.1, 0.2, 0.3, 0.35], bins=[-1, -0.5, 0, 0.5, 1], ax=ax)
    rows = plotted_rows(fig)
    assert rows[["from", "to", "Count"]].values.tolist() == [[-1, -0.5, 2], [-0.5, 0, 1], [0, 0.5, 3], [0.5, 1, 0]]


def test_a_figure_of_sipri_data_carries_its_rows_source_and_licence(monkeypatch):
    monkeypatch.setenv(plots.FIGURE_DATA_ENV, "1")
    fig, ax = plots.new_figure()
    sns.lineplot(SHARES, x="year", y="share", hue="country", ax=ax)
    plots.finish(fig, "Russia's share fell", "sipri_milex_2026")
    _, metadata = plots.png_with_alt(fig)
    header = [line for line in metadata["csto_rows"].splitlines() if line.startswith("#")]
    assert header[0] == "# Rows plotted in the figure: Russia's share fell"
    assert header[1].startswith("# Calculations from SIPRI data: SIPRI Military Expenditure Database 2026")
    assert header[2].startswith("# Licence: SIPRI fair use: non-commercial use only")
    monkeypatch.delenv(plots.FIGURE_DATA_ENV)
    fig, ax = plots.new_figure()
    sns.lineplot(SHARES, x="year", y="share", ax=ax)
    plots.finish(fig, "Outside a site build", "sipri_milex_2026")
    assert "csto_rows" not in plots.png_with_alt(fig)[1]  # lessons in JupyterLab carry no data copy


def test_each_figure_gets_a_data_file_and_a_cite_line(tmp_path):
    output = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="},
                                    metadata={"image/png": {"alt": "A chart.", "source": "Source: x",
                                                                  "csto_rows": "# source\nyear,value\n2000,1\n"}})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Military spending"),
                                         nbformat.v4.new_code_cell("", outputs=[output])])
    site.FigureFiles(tmp_path).preprocess(nb, {"metadata": {"name": "03_military_spending"}})
    meta = nb.cells[1].outputs[0].metadata["image/png"]
    assert meta["csto_data_href"] == "data/03_military_spending-figure-1.csv" and "csto_rows" not in meta
    assert (tmp_path / meta["csto_data_href"]).read_text() == "# source\nyear,value\n2000,1\n"
    assert "Military spending, figure 1" in meta["csto_cite"] and site.citation()["repository-code"] in meta["csto_cite"]


def test_lessons_launch_on_binder_from_the_repository_citation_cff_names():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert site.binder_url("00_start_here.ipynb") in readme  # the badge and the site launch the same repository
    assert site.binder_url("03_military_spending.ipynb").endswith("urlpath=lab/tree/notebooks/03_military_spending.ipynb")


def test_cite_page_gives_the_reference_the_bibtex_and_every_table_terms():
    text = site.cite_page().cells[0].source
    citation = site.citation()
    assert citation["repository-code"] in text and f"version = {{{citation['version']}}}" in text
    for name in re.findall(r"^\| `(\w+)` \|", text, re.MULTILINE):
        assert (REPO_ROOT / "data" / f"{name}.csv").exists()
    assert "`milex` | SIPRI Military Expenditure Database 2026" in text and "non-commercial" in text


def test_link_check_finds_missing_pages_and_anchors(tmp_path):
    (tmp_path / "index.html").write_text('<a href="a.html#top">A</a> <a href="b.html">B</a> <a href="https://x.org">X</a>'
                                         '<img src="data:image/png;base64,AA"> <a href="#here">here</a><p id="here"></p>')
    (tmp_path / "a.html").write_text('<h1 id="top">A</h1><a href="index.html#nowhere">back</a>')
    assert site.broken_links(tmp_path) == ["a.html: index.html#nowhere (no such anchor)", "index.html: b.html (no such file)"]


def test_a_map_lists_the_states_it_colours():
    from utils.read.maps import draw_map

    ax = draw_map(fill={"ARM": "#8877FF", "RUS": "#882255"}, legend={"ARM": "Armenia (frozen)"})
    rows = plotted_rows(ax.figure)
    assert rows.to_dict("records") == [{"state": "Armenia (frozen)", "iso3": "ARM"}, {"state": "Russia", "iso3": "RUS"}]


def test_make_html_executes_each_notebook_it_is_not_given(tmp_path):
    """The tests hand ``build_html`` lessons they ran already; ``make html`` gives none, and each is executed."""
    from executed_notebooks import as_stored
    from utils import course
    from utils.tools import publish

    given = {path.name: as_stored(path) for path in course.notebook_files() if not path.name.startswith("00_")}
    publish.build_html(tmp_path, executed=given)
    start = (tmp_path / "00_start_here.html").read_text(encoding="utf-8")
    assert "jp-OutputArea-output" in start, "the start page was rendered without running it"


def test_the_build_finds_an_error_shown_in_place_of_an_output_also_inside_an_explorer():
    from utils.tools import publish

    error = nbformat.v4.new_output("error", ename="TypeError", evalue="not a number", traceback=[])
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("ax.plot()", outputs=[error])])
    nb.metadata["widgets"] = {publish.WIDGET_STATE_MIME: {"state": {"m1": {
        "model_name": "OutputModel", "state": {"outputs": [dict(error, evalue="in the explorer")]}}}}}
    assert publish.shown_errors(nb) == ["cell 1: TypeError: not a number", "an explorer: TypeError: in the explorer"]
    assert publish.shown_errors(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])) == []
