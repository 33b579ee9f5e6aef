"""The collection's figure style: one theme, one colour per state, and the finishing step every figure gets.

A lesson draws its figures itself, with pandas and seaborn, in the notebook. Then it calls :func:`finish`, which
adds what every figure of the collection carries: a title that states the finding, the source line (with the
edition) under the plot, and alternative text (derived from the title and from what the axes show). The alt text is
stored in the output's metadata, and the static site and the PDF handouts put it on the image; JupyterLab's image
renderer does not read that field, so in Lab a screen reader meets the figure without it. Helpers that draw a whole figure are named ``draw_*`` and exist only where the drawing
is not the lesson (a membership Gantt chart, a map).

Figures are drawn once: :func:`finish` lays the figure out itself (tight layout with room for the title and
the source line) and leaves no layout engine behind, so the PNG is written without the inline backend's "tight
bounding box" or a layout pass, each of which draws the figure an extra time; and :func:`set_theme` removes
pyplot's after-cell redraw, which the inline backend does not need (its docstring lists each change it makes to
the kernel; everything a Matplotlib style can set is in ``csto.mplstyle`` beside this file). The PNG output carries its alt text in the
output's metadata (``metadata["image/png"]["alt"]``).
"""

from __future__ import annotations

import functools
import io
import os
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from utils.read.countries import iso3

if TYPE_CHECKING:
    import pandas as pd

# Paul Tol's "muted" qualitative palette for the nine states that were ever parties to the treaty
# (https://personal.sron.nl/~pault/), Okabe-Ito for the main outside suppliers, and fixed colours for every other
# state that appears in the data: one colour per state, the same in every figure of the collection.
# Armenia and Kazakhstan are darker than Tol's sand and cyan, which stand out from white at under 2:1: a line needs
# 3:1 (WCAG 2.1, non-text contrast). Their colours were chosen to stay apart from every other state's colour in
# normal vision and in simulated deuteranopia and protanopia (tests/test_colours.py measures both).
COUNTRY_COLOURS: dict[str, str] = {
    "RUS": "#882255",  # wine
    "ARM": "#8877FF",  # lavender
    "BLR": "#117733",  # green
    "KAZ": "#4499AA",  # steel teal
    "KGZ": "#CC6677",  # rose
    "TJK": "#332288",  # indigo
    "AZE": "#44AA99",  # teal
    "GEO": "#999933",  # olive
    "UZB": "#AA4499",  # purple
    "CHN": "#E69F00",
    "FRA": "#0072B2",
    "IND": "#009E73",
    "ISR": "#56B4E9",
    "TUR": "#D55E00",
    "USA": "#000000",
    "UKR": "#F0E442",
    "SUN": "#882255",  # the Soviet Union shares Russia's colour: SIPRI lists it as a separate supplier before 1992
    # Smaller suppliers: distinct, fixed colours (so Slovakia is the same brown in every figure).
    "SVK": "#A6761D",
    "CZE": "#7570B3",
    "POL": "#E7298A",
    "DEU": "#66A61E",
    "ITA": "#1B9E77",
    "ESP": "#17BECF",
    "KOR": "#5254A3",
    "JOR": "#BD9E39",
    "ZAF": "#843C39",
    "CAN": "#D6616B",
    "BGR": "#637939",
    "GRC": "#3182BD",
    "IRN": "#756BB1",
    "PAK": "#31A354",
    "PRK": "#636363",
    "MNE": "#E6550D",
}

#: Set in the kernels of a site build (utils.tools.site): each figure's output then also carries the rows it plots,
#: with their source and licence, for the figure's "Data" file.
FIGURE_DATA_ENV = "CSTO_FIGURE_DATA"

#: Colour for everything else ("other suppliers", unknown states).
OTHER_COLOUR = "#BBBBBB"

#: Figure sizes (inches) that fit JupyterLab's notebook column at 100 dpi without being scaled down.
WIDTH, HEIGHT = 9.0, 4.8

#: Point sizes of the text finish() adds: the title that states the finding, and the source line under the plot.
TITLE_SIZE, SOURCE_SIZE = 17.0, 10.5


def colour_of(country: str) -> str:
    """The collection's colour for a state given as ISO3 code or display name (grey if it has none)."""
    code = country if country in COUNTRY_COLOURS else iso3(country)
    return COUNTRY_COLOURS.get(code or "", OTHER_COLOUR)


def palette(countries: Iterable[str]) -> dict[str, str]:
    """A seaborn ``palette=`` mapping for the given states (codes or names, as they appear in the data)."""
    return {country: colour_of(country) for country in countries}


#: The collection's Matplotlib style: font sizes, figure size and dpi, grid, colour cycle (all a style can set).
STYLE = Path(__file__).with_name("csto.mplstyle")


def set_theme() -> None:
    """Set up this kernel for the collection's figures: the style, and what a style cannot do.

    1. Applies :data:`STYLE` (``csto.mplstyle``) to matplotlib's settings; seaborn draws with them too.

    Once per process, under IPython (a lesson calls this once, in its set-up cell, right after the imports;
    :func:`new_figure` calls it again, which changes nothing):

    2. registers :func:`png_with_alt` as the renderer of figures: a figure becomes a PNG carrying its alt text in
       the output's metadata, and is **closed once rendered** (so it is shown once, and a cell that returns the
       figure does not show it twice);
    3. sets pandas' ``styler.format.escape`` to ``"html"``: a styled table (``DataFrame.style``) **escapes every
       cell** as a plain DataFrame does, so a value from data/ is shown, never run as HTML;
    4. with the inline backend, **removes pyplot's after-cell redraw hook** (``plt.uninstall_repl_displayhook()``):
       each figure is drawn once, for its PNG, instead of twice;
    5. calls **``gc.freeze()``**: the objects alive so far (the imported libraries) are left out of the garbage
       collector's full scans, which otherwise stall an explorer's redraw for 100-200 ms.
    """
    plt.style.use(STYLE)
    _prepare_kernel()


@functools.cache
def _prepare_kernel() -> None:
    """Steps 2-5 of :func:`set_theme`, once per process."""
    _register_png_formatter()
    _escape_styled_tables()
    _draw_each_figure_once()
    _spare_imports_from_garbage_collection()


def _escape_styled_tables() -> None:
    """Make ``DataFrame.style`` escape every cell as a plain DataFrame does: a value from data/ is shown, never run."""
    import pandas  # seaborn has imported it already

    pandas.set_option("styler.format.escape", "html")


def _draw_each_figure_once() -> None:
    """With the inline backend, stop pyplot drawing every changed figure after each cell (no-op elsewhere).

    pyplot's IPython hook redraws each stale figure when a cell ends, for GUI windows; the inline backend then draws
    the figure again to write its PNG. In a notebook the first drawing is thrown away: without it, each figure is
    drawn once (it cost 40-60 ms per figure). The PNG is the same.
    """
    import matplotlib

    backend = matplotlib.get_backend()
    if "inline" not in backend:
        return
    # pyplot loads its backend, and installs the hook, when the first figure is made: load it now (the same backend,
    # so no figure is affected), then remove the hook.
    plt.switch_backend(backend)
    plt.uninstall_repl_displayhook()


def _spare_imports_from_garbage_collection() -> None:
    """Keep the objects created so far (the imported stack: pandas, matplotlib, seaborn...) out of the collector's scans.

    Python's full garbage collection walks every live object; in a notebook kernel that is mostly the imported
    libraries, which live as long as the kernel. A full pass stalled an explorer's redraw for 100-200 ms and cost
    each lesson about 80 ms; after ``gc.freeze()`` the collector skips them (they are still freed normally).
    """
    import gc

    gc.freeze()


# --------------------------------------------------------------------------------------------- sources


#: Kinds of source (``sources.kind``) whose figures are the course's calculations: a figure filters, sums, divides or
#: reshapes an official dataset's values. SIPRI asks that calculations from its data are not attributed to it, so
#: the source line says whose data they are calculated from instead of naming the dataset as the source.
COMPUTED_FROM = frozenset({"official dataset"})


def source_text(*source_ids: str) -> str:
    """The source line for the given ``source_id``s, read from the ``sources`` table.

    Official datasets come first as ``"Calculations from SIPRI data: <title>, <url>"``; documents cited as they are
    (news, statements, reference works) follow as ``"Source: <title>, <url>"``.
    """
    from utils.read import data  # imported here so that `import utils.read.plots` stays light

    sources = data.load("sources").set_index("source_id")
    computed, cited = {}, []
    for source_id in source_ids:
        if source_id not in sources.index:
            raise KeyError(f"source_id {source_id!r} is not in data/sources.csv")
        row = sources.loc[source_id]
        text = f"{row['title']}, {row['url']}" if str(row["url"]).startswith("http") else str(row["title"])
        if row["kind"] in COMPUTED_FROM:
            computed.setdefault(str(row["outlet"]), []).append(text)
        else:
            cited.append(text)
    lines = []
    if computed:
        lines.append(f"Calculations from {and_list(computed)} data: " + "; ".join(sum(computed.values(), [])))
    if cited:
        lines.append(("Source: " if len(cited) == 1 else "Sources: ") + "; ".join(cited))
    return "\n".join(lines)


def cited_sources(frame: pd.DataFrame, column: str = "source_id") -> list[str]:
    """The distinct source ids cited by the rows of ``frame`` (list-valued cells split), in first-seen order."""
    from utils.read.data import split_list  # imported here so that `import utils.read.plots` stays light

    if column not in frame.columns or frame.empty:
        return []
    ids = split_list(frame[column].astype("string")).explode().dropna()
    return list(dict.fromkeys(ids))


# --------------------------------------------------------------------------------------------- finishing


def _figure_of(target) -> Figure:
    """The Figure behind an Axes, a seaborn FacetGrid / JointGrid, or a Figure."""
    if isinstance(target, Figure):
        return target
    for attribute in ("figure", "fig"):  # Axes and seaborn grids both expose their figure
        fig = getattr(target, attribute, None)
        if isinstance(fig, Figure):
            return fig
    raise TypeError(f"finish() needs a Figure, an Axes or a seaborn grid, not {type(target).__name__}")


def _wrap(text: str, width_inches: float, points: float, bold: bool = False) -> str:
    """Wrap text to the figure's width (an average glyph is about 0.55 em wide, 0.62 em in bold)."""
    characters = max(40, int(width_inches * 72 / (points * (0.62 if bold else 0.55))))
    return "\n".join(textwrap.fill(line, characters) if line else "" for line in text.split("\n"))


def finish(
    target,
    title: str,
    *source_ids: str,
    note: str | None = None,
    rows: pd.DataFrame | None = None,
    table: str | None = None,
    alt: str | None = None,
    max_listed: int = 3,
) -> Figure:
    """Give a figure its finding-stating title, its source line and its alt text; return the Figure.

    ``target`` is what seaborn returned: an Axes (``sns.lineplot``...), a FacetGrid (``sns.relplot``...) or a Figure.
    The sources are named as ``source_ids`` and/or given as the ``rows`` drawn from a hand-built ``table`` (each row
    cites its own sources): up to ``max_listed`` distinct sources are listed, more rows' sources are summarised with
    a pointer to the table (named ``source_ids`` are then still listed). ``note`` stands above the source line. ``alt`` replaces the generated description of what the
    figure plots (the title always opens the alt text).
    """
    fig = _figure_of(target)
    if rows is not None:
        if table is None:
            raise TypeError("finish(rows=...) needs the table= the rows come from")
        ids = cited_sources(rows)
        if 0 < len(ids) + len(source_ids) <= max_listed:
            source_ids = tuple(dict.fromkeys([*source_ids, *ids]))
        else:
            summary = f"Sources: {len(ids)} sources, cited row by row in the table '{table}'."
            note = f"{note}\n{summary}" if note else summary
    width, height = fig.get_size_inches()
    # Titles quote money ("$67.2bn"); escaped, so that matplotlib does not read "$...$" as mathematics.
    title_text = _wrap(title, width, TITLE_SIZE, bold=True).replace("$", r"\$")
    footer = source_text(*source_ids) if source_ids else ""
    if note:
        footer = f"{note}\n{footer}" if footer else note
    footer_text = _wrap(footer, width, SOURCE_SIZE).replace("$", r"\$")

    fig.suptitle(title_text, x=0.01, y=0.99, ha="left", va="top", fontsize=TITLE_SIZE, fontweight="bold")
    if footer_text:
        fig.text(0.01, 0.01, footer_text, ha="left", va="bottom", fontsize=SOURCE_SIZE, color="#444444")
    bottom = (footer_text.count("\n") + 1) * SOURCE_SIZE * 1.4 / 72 + 0.12 if footer_text else 0.05
    right = 1.0
    for legend in fig.legends:  # seaborn grids put their legend beside the axes: keep room for it
        right = min(right, 1 - legend.get_window_extent().width / fig.dpi / width - 0.01)
    # tight_layout already keeps room for the suptitle; the rect keeps room for the source line and any legend.
    fig.tight_layout(rect=(0, bottom / height, right, 1))
    # Laid out once and for all. tight_layout leaves a placeholder layout engine behind, and with any engine set,
    # savefig draws the whole figure a first time before drawing it into the PNG.
    fig.set_layout_engine(None)
    fig.csto_alt = f"{title.rstrip('.')}. {alt or describe(fig)}"
    fig.csto_source = footer.replace("\n", " ")
    fig.csto_source_ids = list(dict.fromkeys([*source_ids, *(ids if rows is not None else [])]))
    fig.csto_finished = True
    _register_png_formatter()
    return fig


# --------------------------------------------------------------------------------------------- alt text


def _kind_of(ax) -> str:
    """What an Axes shows, in a word or two."""
    from matplotlib.collections import PatchCollection, PathCollection, PolyCollection
    from matplotlib.patches import Polygon, Rectangle

    if getattr(ax, "csto_kind", None):
        return ax.csto_kind
    if ax.images:
        return "heat map"
    patches = [p for p in ax.patches if p.get_visible()]
    if any(isinstance(p, Polygon) for p in patches) or any(isinstance(c, PatchCollection) for c in ax.collections):
        return "map" if not ax.axison else "area chart"
    if sum(isinstance(p, Rectangle) for p in patches) >= 2:
        return "bar chart"
    if [line for line in ax.lines if len(line.get_xdata()) > 2]:
        shaded = any(isinstance(c, PolyCollection) and len(c.get_paths()) and len(c.get_paths()[0].vertices)
                     for c in ax.collections)
        return "line chart with shaded bands" if shaded else "line chart"
    if any(isinstance(c, PathCollection) for c in ax.collections):
        return "dot chart"
    return "chart"


def _legend_labels(fig: Figure, ax) -> list[str]:
    legend = ax.get_legend() or (fig.legends[0] if fig.legends else None)
    if legend is None:
        return []
    return [t.get_text() for t in legend.get_texts() if t.get_text() and not t.get_text().startswith("_")]


def describe(fig: Figure) -> str:
    """A plain description of what each panel of a figure plots: kind, axes, series (for alt text)."""
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.has_data()]
    if not panels:
        return "A figure without data."
    parts = []
    shown = panels if len(panels) <= 4 else panels[:1]
    for ax in shown:
        kind = _kind_of(ax)
        sentence = f"{'An' if kind[0] in 'aeiou' else 'A'} {kind}"
        if ax.get_title():
            sentence += f" titled '{ax.get_title()}'"
        x_label, y_label = ("", "") if kind == "map" else (ax.get_xlabel(), ax.get_ylabel())
        if kind == "map":
            sentence += " of the states from Belarus and Armenia to Kyrgyzstan and Tajikistan"
        elif y_label and x_label:
            sentence += f" of {y_label} against {x_label}"
        elif y_label or x_label:
            sentence += f" of {y_label or x_label}"
        labels = _legend_labels(fig, ax)
        if labels:
            sentence += f"; the legend lists {and_list(labels[:12])}" + (" and others" if len(labels) > 12 else "")
        parts.append(sentence + ".")
    if len(panels) > len(shown):
        parts.append(f"{len(panels)} panels of the same kind, one per group.")
    return " ".join(parts).replace("\n", " ").replace(r"\$", "$")


def png_with_alt(fig: Figure):
    """PNG of a figure drawn once, with its alt text as output metadata (``metadata["image/png"]["alt"]``)."""
    buffer = io.BytesIO()
    finished = getattr(fig, "csto_finished", False)
    # A figure laid out by finish() is written as it is (one draw); any other figure, e.g. a student's own, keeps
    # the inline backend's tight bounding box so nothing is cut off.
    # zlib level 1: PNG encoding took a fifth of a figure's time at the default level 6, for files ~1.3x smaller.
    fig.savefig(buffer, format="png", bbox_inches=None if finished else "tight", facecolor="white",
                pil_kwargs={"compress_level": 1})
    alt = getattr(fig, "csto_alt", None) or describe(fig)
    metadata = {"alt": alt}
    if getattr(fig, "csto_finished", False):
        metadata["source"] = fig.csto_source  # the source line, also for tests of what a figure claims
        if os.environ.get(FIGURE_DATA_ENV):
            rows = _rows_with_terms(fig)
            if rows:
                metadata["csto_rows"] = rows
    # Shown once: a figure that a cell returns (e.g. a last line `plots.finish(...)`) is rendered here by the
    # display hook; closing it keeps the inline backend from showing it a second time at the end of the cell.
    plt.close(fig)
    return buffer.getvalue(), metadata


def _rows_with_terms(fig: Figure) -> str | None:
    """The figure's plotted rows as CSV, headed by its title, source line and licences (None if it plots no rows)."""
    from utils.read.plots.figure_data import as_csv, plotted_rows

    if plotted_rows(fig).empty:
        return None
    title = fig._suptitle.get_text().replace("\n", " ").replace(r"\$", "$") if fig._suptitle else ""
    licences = "; ".join(f"{entry['title']} ({entry['path']})" for entry in licences_of(fig.csto_source_ids))
    return as_csv(fig, [f"Rows plotted in the figure: {title}", fig.csto_source,
                        f"Licence: {licences or 'see LICENSE-content'}"])


def licences_of(source_ids: Iterable[str]) -> list[dict]:
    """The ``licenses`` entries a figure citing ``source_ids`` is under: those of the extracts built from them (an
    official dataset's), else those of the hand-built tables whose rows cite them."""
    from utils.read import data

    wanted, extracts, compilations = set(source_ids), {}, {}
    for name in data.table_names():
        descriptor = data.read_descriptor(name)
        if name == "sources" or "source_id" not in {f["name"] for f in descriptor["schema"]["fields"]}:
            continue
        cited = set(data.split_list(data.load(name)["source_id"].astype("string")).explode().dropna())
        if wanted & cited:
            hand_built = str(descriptor.get("provenance", {}).get("builder", "")).startswith("hand-built")
            for entry in descriptor.get("licenses", []):
                (compilations if hand_built else extracts).setdefault(entry.get("title"), entry)
    return list((extracts or compilations).values())


def _register_png_formatter() -> None:
    """Make IPython render matplotlib figures with :func:`png_with_alt` (no-op outside IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is part of the stack
        return
    shell = get_ipython()
    if shell is None:
        return
    shell.display_formatter.formatters["image/png"].for_type(Figure, png_with_alt)


# --------------------------------------------------------------------------------------------- small text helpers


def and_list(items: Iterable[str]) -> str:
    """``["A", "B", "C"]`` -> ``"A, B and C"`` (for titles; an empty list gives an empty string)."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def new_figure(width: float = WIDTH, height: float = HEIGHT, **subplots) -> tuple[Figure, plt.Axes]:
    """A figure in the collection's theme (for helpers and for figures a notebook builds panel by panel)."""
    set_theme()
    return plt.subplots(figsize=(width, height), **subplots)


__all__ = [
    "COUNTRY_COLOURS", "OTHER_COLOUR", "WIDTH", "HEIGHT", "TITLE_SIZE", "SOURCE_SIZE", "STYLE", "colour_of", "palette", "set_theme",
    "source_text", "cited_sources", "finish", "describe", "and_list", "new_figure",
]
