"""Maps of the treaty area: the outlines in ``data/boundaries`` drawn in an equal-area projection with matplotlib.

Drawing a map is not what the lessons teach, so it is a helper: :func:`draw_map` fills each state with the colour
a lesson chose (members by their collection colour, others grey) and returns the Axes. What goes *on* the map is
the lesson's own work with pandas and seaborn: :func:`project` turns longitudes and latitudes into the map's x and
y, so points can be drawn with ``sns.scatterplot(data=..., x="x", y="y", ...)`` on the same Axes.

The projection is Albers equal-area conic (standard parallels 40° and 65° N, centred on 75° E), which keeps the
areas of the states comparable: on a plain longitude-latitude grid, Russia would look about twice its size against
the Central Asian states.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection

from utils.read import data
from utils.read.countries import name_of

#: Projection parameters (degrees): standard parallels, latitude of origin, central meridian.
PARALLELS, ORIGIN_LAT, CENTRAL_LON = (40.0, 65.0), 50.0, 75.0
#: The part of the globe shown by default (west, east, south, north, in degrees): the treaty area from Belarus to
#: Kyrgyzstan, with Russia up to Lake Baikal's longitude; the Far East is cut off.
EXTENT: tuple[float, float, float, float] = (22.0, 110.0, 31.0, 72.0)
#: Fill of states not named in a map's ``fill`` mapping, and the colour of every border.
LAND, BORDER, SEA = "#EEEEEE", "#FFFFFF", "#F4F8FB"


def project(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Map coordinates (x, y) of longitudes and latitudes in degrees (arrays or scalars)."""
    phi1, phi2 = np.radians(PARALLELS)
    n = (np.sin(phi1) + np.sin(phi2)) / 2
    c = np.cos(phi1) ** 2 + 2 * n * np.sin(phi1)
    rho0 = np.sqrt(c - 2 * n * np.sin(np.radians(ORIGIN_LAT))) / n
    theta = n * np.radians(np.asarray(lon, dtype=float) - CENTRAL_LON)
    rho = np.sqrt(c - 2 * n * np.sin(np.radians(np.asarray(lat, dtype=float)))) / n
    return rho * np.sin(theta), rho0 - rho * np.cos(theta)


@lru_cache(maxsize=4)
def _projected_outlines(content_key: str) -> dict[str, list[np.ndarray]]:
    """Each state's outer rings, projected (cached per version of the boundaries table)."""
    outlines: dict[str, list[np.ndarray]] = {}
    for row in data.load("boundaries").itertuples():
        rings = []
        for polygon in json.loads(row.geometry)["coordinates"]:
            lon, lat = np.asarray(polygon[0]).T  # outer ring only: lakes and enclaves are below the map's scale
            x, y = project(lon, lat)
            rings.append(np.column_stack([x, y]))
        outlines[row.iso3] = rings
    return outlines


def outlines() -> dict[str, list[np.ndarray]]:
    """Projected outer rings of every state in ``data/boundaries``, by ISO3 code."""
    return _projected_outlines(data.read_descriptor("boundaries").get("hash", ""))


def label_point(iso3: str) -> tuple[float, float]:
    """A point inside a state's largest piece where its name can go (the piece's vertex mean, in map units)."""
    rings = outlines()[iso3]
    largest = max(rings, key=lambda ring: np.ptp(ring[:, 0]) * np.ptp(ring[:, 1]))
    return float(largest[:, 0].mean()), float(largest[:, 1].mean())


def draw_map(
    ax: plt.Axes | None = None,
    fill: Mapping[str, str] | None = None,
    *,
    hatch: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    legend: Mapping[str, str] | None = None,
    extent: tuple[float, float, float, float] = EXTENT,
) -> plt.Axes:
    """Draw the states, each filled with ``fill[iso3]`` (others light grey); return the Axes.

    ``hatch`` adds a hatch pattern per state (e.g. a frozen membership), ``labels`` writes a name on a state
    (best kept for large states), ``legend`` lists states with their fill, e.g. ``{"ARM": "Armenia (frozen)"}``.
    """
    if ax is None:
        from utils.read.plots import new_figure

        _, ax = new_figure(9.0, 5.6)
    fill, hatch = dict(fill or {}), dict(hatch or {})
    shapes = outlines()
    order = sorted(shapes, key=lambda code: code in fill)  # coloured states last, so their borders stay visible
    polygons, colours = [], []
    for code in order:
        for ring in shapes[code]:
            polygons.append(ring)
            colours.append(fill.get(code, LAND))
    ax.add_collection(PolyCollection(polygons, facecolors=colours, edgecolors=BORDER, linewidths=0.6))
    for code, pattern in hatch.items():
        for ring in shapes.get(code, []):
            ax.add_patch(plt.Polygon(ring, fill=False, hatch=pattern, edgecolor="#555555", linewidth=0))
    for code, text in (labels or {}).items():
        if code in shapes:
            x, y = label_point(code)
            ax.annotate(text, (x, y), ha="center", va="center", fontsize="small", color="#222222",
                        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.7, "linewidth": 0})
    if legend:
        from matplotlib.patches import Patch

        handles = [Patch(facecolor=fill.get(code, LAND), hatch=hatch.get(code), edgecolor="#555555", label=text)
                   for code, text in legend.items()]
        ax.legend(handles=handles, loc="lower left", frameon=True, framealpha=0.9, ncols=2)
    west, east, south, north = extent
    edge = np.linspace(west, east, 25)  # parallels curve in a conic projection: sample the whole edge
    x, y = project(np.concatenate([edge, edge]), np.concatenate([np.full(25, south), np.full(25, north)]))
    ax.set_xlim(x.min(), x.max())
    ax.set_ylim(y.min(), y.max())
    ax.set(xlabel="", ylabel="", aspect="equal")
    ax.csto_kind = "map"  # read by utils.read.plots.describe for the alt text
    # What the map shows, as rows: the site's "Data" file for the figure (utils.read.plots.figure_data).
    ax.csto_rows = [{"state": (legend or {}).get(code, name_of(code)), "iso3": code} for code in fill]
    ax.set_facecolor(SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return ax


def with_map_coordinates(frame: pd.DataFrame, lon: str = "lon", lat: str = "lat") -> pd.DataFrame:
    """``frame`` with the map's ``x`` and ``y`` columns added from its longitude and latitude columns."""
    x, y = project(frame[lon].to_numpy(), frame[lat].to_numpy())
    return frame.assign(x=x, y=y)
