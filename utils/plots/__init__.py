"""The collection's figure style: one theme, one colour per country, and a source line under every figure.

Topic modules (``utils.plots.spending``, ``utils.plots.arms`` ...) hold pure plot functions: data in, a
matplotlib Figure out, no global state touched beyond the theme. Every one of them calls
:func:`finish` so that each figure carries a title stating its finding and the source line with the edition.
The small text helpers shared by the topic modules (:func:`shorten`, :func:`and_list`) live here too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import matplotlib.pyplot as plt
import seaborn as sns

from utils.countries import iso3

if TYPE_CHECKING:
    import pandas as pd

# Paul Tol's "muted" qualitative palette: nine colours distinguishable with the common forms of colour-blindness
# (https://personal.sron.nl/~pault/). One colour per treaty party, the same in every figure of the collection.
COUNTRY_COLOURS: dict[str, str] = {
    "RUS": "#882255",  # wine
    "ARM": "#DDCC77",  # sand
    "BLR": "#117733",  # green
    "KAZ": "#88CCEE",  # cyan
    "KGZ": "#CC6677",  # rose
    "TJK": "#332288",  # indigo
    "AZE": "#44AA99",  # teal
    "GEO": "#999933",  # olive
    "UZB": "#AA4499",  # purple
    # Suppliers outside the treaty area: the Okabe-Ito palette, also colour-blind safe.
    "CHN": "#E69F00",
    "FRA": "#0072B2",
    "IND": "#009E73",
    "ISR": "#56B4E9",
    "TUR": "#D55E00",
    "USA": "#000000",
    "UKR": "#F0E442",
    "SUN": "#882255",  # the Soviet Union shares Russia's colour: SIPRI lists it as a separate supplier before 1992
}

#: Colour for everything else ("other suppliers", unknown states).
OTHER_COLOUR = "#BBBBBB"

#: Colours of the event categories of the ``events`` table, the same in every topic's figures (Paul Tol's "bright"
#: and "light" palettes: colour-blind safe). Categories not listed here get :data:`OTHER_COLOUR`.
CATEGORY_COLOURS: dict[str, str] = {
    "treaty": "#4477AA",
    "membership": "#EE6677",
    "summit": "#228833",
    "leadership": "#CCBB44",
    "forces": "#66CCEE",
    "exercise": "#AA3377",
    "crisis": "#BB5566",
    "request": "#EE8866",
    "deployment": "#000000",
    "bases": "#99DDFF",
    "statement": "#AAAA00",
    "agreement": "#44BB99",
    "conflict": "#882255",
    "arms": "#DDAA33",
    "operation": "#004488",
    "institution": "#999933",
}


def colour_of(country: str) -> str:
    """The collection's colour for a country given as ISO3 code or display name (grey if it has none)."""
    code = country if country in COUNTRY_COLOURS else iso3(country)
    return COUNTRY_COLOURS.get(code or "", OTHER_COLOUR)


def palette(countries: Iterable[str]) -> dict[str, str]:
    """A seaborn ``palette=`` mapping for the given countries (codes or names, as they appear in the data)."""
    return {country: colour_of(country) for country in countries}


def set_theme() -> None:
    """Apply the collection's seaborn theme (idempotent; every plot function calls it)."""
    sns.set_theme(
        context="notebook",
        style="whitegrid",
        font_scale=1.0,
        rc={
            "figure.figsize": (9.0, 4.8),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.titlesize": 13,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
        },
    )


def source_text(*source_ids: str) -> str:
    """``"Source: <title> (<url>)"`` for the given ``source_id``s, read from the ``sources`` table."""
    from utils import data  # imported here so that `import utils.plots` stays light

    sources = data.load("sources").set_index("source_id")
    parts = []
    for source_id in source_ids:
        if source_id not in sources.index:
            raise KeyError(f"source_id {source_id!r} is not in data/sources.csv")
        row = sources.loc[source_id]
        parts.append(f"{row['title']}, {row['url']}")
    label = "Source" if len(parts) == 1 else "Sources"
    return f"{label}: " + "; ".join(parts)


def cited_sources(frame: pd.DataFrame, column: str = "source_id") -> list[str]:
    """The distinct source ids cited by the rows of ``frame`` (list-valued cells split), in first-seen order."""
    from utils.data import split_list  # imported here so that `import utils.plots` stays light

    if column not in frame.columns or frame.empty:
        return []
    ids = split_list(frame[column].astype("string")).explode().dropna()
    return list(dict.fromkeys(ids))


def finish(
    fig: plt.Figure,
    title: str,
    *source_ids: str,
    note: str | None = None,
    rows: pd.DataFrame | None = None,
    table: str | None = None,
    max_listed: int = 3,
) -> plt.Figure:
    """Give ``fig`` its finding-stating title and the source line (with edition) underneath it.

    The sources are either named as ``source_ids``, or given as the ``rows`` drawn from a hand-built ``table``, whose
    rows cite one or more sources each: a figure drawing rows that cite at most ``max_listed`` sources lists them in
    full; one citing more (or none) points to the table instead, where every row carries its own source.
    An optional ``note`` stands above the source line.

    The source line sits below the axes; notebooks' inline backend saves with ``bbox_inches="tight"``,
    so it is always part of the image (and of HTML exports and handouts).
    """
    if rows is not None:
        if source_ids or table is None:
            raise TypeError("finish() takes either source ids, or rows= together with the table= they come from")
        ids = cited_sources(rows)
        if 0 < len(ids) <= max_listed:
            source_ids = tuple(ids)
        else:
            summary = (
                f"Sources: {len(ids)} sources, cited row by row in the table '{table}' "
                f"(utils.data.load('{table}'); details in utils.data.load('sources'))."
            )
            note = f"{note}\n{summary}" if note else summary
    # Titles quote money ("$67.2bn"); escaped, so that matplotlib does not read "$...$" as mathematics.
    fig.suptitle(title.replace("$", r"\$"), x=0.01, ha="left", fontsize=13, fontweight="bold")
    footer = source_text(*source_ids) if source_ids else ""
    if note:
        footer = f"{note}\n{footer}" if footer else note
    if footer:
        fig.text(0.01, -0.01, footer, ha="left", va="top", fontsize=8, color="#444444", wrap=True)
    fig.tight_layout()
    return fig


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending with an ellipsis when it was cut (for tick labels)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def and_list(items: Iterable[str]) -> str:
    """``["A", "B", "C"]`` -> ``"A, B and C"`` (for titles; an empty list gives an empty string)."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def new_figure(width: float = 9.0, height: float = 4.8, **subplots) -> tuple[plt.Figure, plt.Axes]:
    """A figure in the collection's theme (so every plot function starts the same way)."""
    set_theme()
    return plt.subplots(figsize=(width, height), **subplots)
