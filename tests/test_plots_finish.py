"""The collection's figure finishing (``utils.read.plots.finish``) and the small text helpers the topic modules share."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

import seaborn as sns

from utils.read import plots
from utils.read.plots import and_list, cited_sources, finish, new_figure

from helpers import footer_of

pytestmark = pytest.mark.usefixtures("close_figures")


def test_title_dollar_signs_are_escaped_so_they_are_not_read_as_mathematics():
    fig, _ = new_figure()
    finish(fig, "Spending rose from $5.1bn to $6.0bn", "seed_000")
    assert fig._suptitle.get_text() == r"Spending rose from \$5.1bn to \$6.0bn"
    assert footer_of(fig).startswith("Source: ")


def test_rows_citing_few_sources_list_them_and_many_point_to_the_table():
    rows = pd.DataFrame({"source_id": ["seed_000;seed_001", "seed_001", "seed_000"]})
    assert cited_sources(rows) == ["seed_000", "seed_001"]
    fig, _ = new_figure()
    finish(fig, "Few", rows=rows, table="events", note="A note.")
    footer = footer_of(fig)
    assert footer.startswith("A note.\nSources: ") and "cited row by row" not in footer
    fig, _ = new_figure()
    finish(fig, "Many", rows=rows, table="events", max_listed=1)
    assert footer_of(fig) == "Sources: 2 sources, cited row by row in the table 'events'."


def test_rows_need_their_table_and_add_to_named_sources():
    rows = pd.DataFrame({"source_id": ["seed_000"]})
    fig, _ = new_figure()
    with pytest.raises(TypeError, match="table="):
        finish(fig, "No table", rows=rows)
    fig, _ = new_figure()
    finish(fig, "Both", "seed_001", rows=rows, table="events")
    assert footer_of(fig).startswith("Sources: ") and footer_of(fig).count(";") == 1
    fig, _ = new_figure()
    finish(fig, "Many", "seed_001", rows=pd.DataFrame({"source_id": ["seed_000;sipri_milex_2026"]}), table="events",
           max_listed=2)
    assert footer_of(fig).splitlines()[0] == "Sources: 2 sources, cited row by row in the table 'events'."


def test_text_helpers():
    assert and_list([]) == "" and and_list(["Armenia"]) == "Armenia"
    assert and_list(["Armenia", "Belarus", "Russia"]) == "Armenia, Belarus and Russia"


def test_alt_text_opens_with_the_title_and_says_what_is_plotted():
    frame = pd.DataFrame({"year": [2020, 2021, 2022] * 2, "value": [1, 2, 3, 2, 3, 4],
                          "state": ["Russia"] * 3 + ["Belarus"] * 3})
    plots.set_theme()
    ax = sns.lineplot(frame, x="year", y="value", hue="state", palette=plots.palette(["Russia", "Belarus"]))
    ax.set(xlabel="Year", ylabel="US$ million")
    fig = finish(ax, "Both rise", "seed_000")
    assert fig.csto_alt == "Both rise. A line chart of US$ million against Year; the legend lists Russia and Belarus."
    assert finish(new_figure()[0], "Custom", "seed_000", alt="Two bars.").csto_alt == "Custom. Two bars."


def test_png_output_carries_the_alt_text_and_finished_figures_skip_the_tight_bounding_box(monkeypatch):
    fig, ax = new_figure()
    ax.plot([1, 2, 3], [1, 4, 9])
    calls = []
    original = fig.savefig
    monkeypatch.setattr(fig, "savefig", lambda *a, **k: (calls.append(k.get("bbox_inches")), original(*a, **k))[1])
    png, metadata = plots.png_with_alt(fig)
    assert png.startswith(b"\x89PNG") and metadata["alt"].startswith("A line chart")
    finish(fig, "Squares grow", "seed_000")
    png, metadata = plots.png_with_alt(fig)
    assert calls == ["tight", None] and metadata == {"alt": fig.csto_alt, "source": fig.csto_source}
    assert metadata["source"].startswith("Source: ")


def test_every_state_in_the_arms_data_has_its_own_fixed_colour():
    from utils.read import data

    suppliers = set(data.load("arms_transfers")["supplier"]) - {"unknown supplier(s)"}
    missing = sorted(s for s in suppliers if plots.colour_of(s) == plots.OTHER_COLOUR)
    assert not missing, f"states without a collection colour: {missing}"
    distinct = {code: colour for code, colour in plots.COUNTRY_COLOURS.items() if code != "SUN"}
    assert len(set(distinct.values())) == len(distinct), "two states share a colour"


def test_in_a_notebook_a_finished_figure_is_drawn_once(tmp_path):
    """pyplot's after-cell redraw is switched off under the inline backend: the PNG is the only drawing."""
    import nbformat

    from utils.tools.notebook_runner import run_notebook

    code = nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook(cells=[
        code("import seaborn as sns\nfrom matplotlib.figure import Figure\nfrom utils.read import plots\nplots.set_theme()\n"
             "drawings = []\ndraw = Figure.draw\n\n"
             "def counting_draw(self, renderer):\n    drawings.append(self)\n    return draw(self, renderer)\n\n"
             "Figure.draw = counting_draw"),
        code("ax = sns.lineplot(x=[1, 2, 3], y=[1, 3, 2])\nplots.finish(ax, 'A line');"),
        code("print(len(drawings))"),
    ])
    run_notebook(nb, tmp_path, timeout=120)
    pngs = [o for o in nb.cells[1].outputs if "image/png" in o.get("data", {})]
    assert len(pngs) == 1 and pngs[0]["metadata"]["image/png"]["alt"].startswith("A line.")
    assert nb.cells[2].outputs[0]["text"].strip() == "1", "the figure was drawn more than once"


def test_figures_of_official_datasets_say_whose_data_they_are_calculated_from():
    """SIPRI asks that calculations from its data are not attributed to it: the source line says whose data the
    figure is calculated from, for every official dataset, and cites other documents as sources."""
    from utils.read import data

    sources = data.load("sources")
    datasets = sources[sources["kind"] == "official dataset"]
    assert len(datasets) >= 5
    for row in datasets.itertuples():
        assert plots.source_text(row.source_id).startswith(f"Calculations from {row.outlet} data: {row.title}")
    first, second = plots.source_text("sipri_milex_2026", "wb_gdp", "seed_000").splitlines()
    assert first.startswith("Calculations from SIPRI and World Bank data: SIPRI Military Expenditure Database 2026")
    assert second.startswith("Source: ") and "Calculations" not in plots.source_text("seed_000", "seed_001")
    fig, _ = new_figure()
    finish(fig, "Shares", "sipri_milex_2026", note="Dotted: estimates.")
    assert footer_of(fig).splitlines()[1].startswith("Calculations from SIPRI data: ")
