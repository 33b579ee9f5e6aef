"""Comparing two releases (editions) of a data set, and the figures of notebook 08, "Updating the data".

SIPRI publishes its Military Expenditure Database once a year, and each release revises past years as well as adding
the latest one. ``data/milex.csv`` keeps two editions side by side (column ``edition``): every measure of the newest
release and the constant-dollar series of an older one, so the collection can show which conclusions move with
the release and which hold. (``python -m utils.refresh`` prints its own change report when a release is installed;
it compares like with like and leaves constant-dollar series in different price bases aside. The functions here
make that comparison possible for the two releases already in the data.)

Constant-dollar series of different releases are in different price bases: the 2024 release in 2022 US$, the 2026
release in 2024 US$. SIPRI converts a country's spending to constant dollars with that country's price index and
its exchange rate in the base year, so moving from one base year to another multiplies the whole series by one
factor per country. :func:`price_base_factors` reads that factor from the newer release itself (its constant and
current figures for the older base year), and :func:`compare_editions` applies it, so that the *revision* left
over is what SIPRI really changed: zero where it changed nothing, the same percentage in every year where it changed
the conversion (a revised exchange rate or price index), and a figure of its own where it revised the spending.

All functions are pure: DataFrames in, a DataFrame, a dict or a matplotlib Figure out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import SymLogNorm

from utils import metrics
from utils.countries import COUNTRY_NAMES, CSTO_MEMBERS
from utils.importers._changes import RELATIVE_TOLERANCE
from utils.plots import colour_of, finish, new_figure

#: Line styles for editions, newest solid: a reader tells the releases apart without relying on colour.
EDITION_STYLES: tuple[str, ...] = ("-", "--", ":", "-.")

#: Differences smaller than this fraction are rounding and float noise, not revisions: the same threshold
#: ``python -m utils.refresh`` uses for "beyond rounding" in its change report.
ROUNDING = RELATIVE_TOLERANCE


def _constant_measure(rows: pd.DataFrame, edition: str) -> str:
    measures = sorted(m for m in rows["measure"].astype(str).unique() if m.startswith("constant_usd"))
    if len(measures) != 1:
        raise ValueError(f"edition {edition!r} has {len(measures)} constant-dollar measures ({measures}); expected one")
    return measures[0]


def price_base_factors(
    table: pd.DataFrame, edition: str, base_year: int, current_measure: str = "current_usd"
) -> pd.Series:
    """Per country: the factor that converts ``base_year`` dollars into ``edition``'s constant dollars.

    In any release, a country's spending in its price-base year is the same in constant and in current dollars;
    so ``edition``'s constant figure for ``base_year`` divided by its current-dollar figure for ``base_year``
    is the factor SIPRI's own conversion applies between the two bases. Countries without both figures are absent.
    """
    rows = table[(table["edition"].astype(str) == edition) & (table["year"] == base_year)]
    constant = rows[rows["measure"] == _constant_measure(table[table["edition"].astype(str) == edition], edition)]
    current = rows[rows["measure"] == current_measure]
    ratio = constant.set_index("iso3")["value"].astype(float) / current.set_index("iso3")["value"].astype(float)
    ratio = ratio.replace([np.inf, -np.inf], np.nan).dropna()
    ratio.name = "factor"
    return ratio


def compare_editions(
    table: pd.DataFrame,
    old: str,
    new: str,
    measure: str | None = None,
    countries: Iterable[str] | None = None,
    key: Sequence[str] = ("iso3", "year"),
    factors: Mapping[str, float] | pd.Series | None = None,
    rebase: bool = True,
) -> pd.DataFrame:
    """One row per country and year present in both editions: the old and new values and the revision.

    ``table`` is in long form with the columns of ``key``, ``edition``, ``value`` (and ``measure`` if
    ``measure`` is given; constant-dollar series of two editions have different measure names, so select them
    beforehand). Rows where either edition has no value are dropped: a missing value is not a revision.

    Rebasing: ``factors`` (e.g. from :func:`price_base_factors`) gives each country's conversion factor; a country
    without one gets the median of its new/old ratios, which assumes most of its years were not revised (column
    ``factor_from`` says which). With ``rebase=False`` (unit-free measures such as shares) the factor is 1.

    Columns returned: the ``key`` columns, ``old``, ``new``, ``factor``, ``factor_from``, ``old_rebased``
    (= old x factor), ``revision`` (new - old_rebased, in the new edition's unit), ``revision_pct`` (revision
    as % of old_rebased) and ``revised`` (True beyond rounding).
    """
    frame = table
    if measure is not None:
        frame = frame[frame["measure"] == measure]
    if countries is not None:
        frame = frame[frame[key[0]].isin(list(countries))]
    editions = set(frame["edition"].astype(str).unique())
    for edition in (old, new):
        if edition not in editions:
            raise ValueError(f"edition {edition!r} is not in the table (editions present: {sorted(editions)})")
    columns = [*key, "value"]
    before = frame.loc[frame["edition"].astype(str) == old, columns].rename(columns={"value": "old"})
    after = frame.loc[frame["edition"].astype(str) == new, columns].rename(columns={"value": "new"})
    both = before.merge(after, on=list(key), how="inner").dropna(subset=["old", "new"])
    both = both.astype({"old": float, "new": float})
    if rebase:
        ratio = (both["new"] / both["old"]).where(both["old"] > 0)
        median = ratio.groupby(both[key[0]]).transform("median")
        given = both[key[0]].map(pd.Series(factors, dtype=float)) if factors is not None else pd.Series(np.nan, index=both.index)
        both["factor"] = given.fillna(median).fillna(1.0).astype(float)
        both["factor_from"] = np.where(given.notna(), "price conversion", "median ratio")
    else:
        both["factor"] = 1.0
        both["factor_from"] = "none"
    both["old_rebased"] = both["old"] * both["factor"]
    both["revision"] = both["new"] - both["old_rebased"]
    both["revision_pct"] = (both["revision"] / both["old_rebased"] * 100).where(both["old_rebased"] != 0)
    both["revised"] = both["revision"].abs() > ROUNDING * both[["new", "old_rebased"]].abs().max(axis=1)
    return both.sort_values(list(key)).reset_index(drop=True)


def revision_summary(comparison: pd.DataFrame, base_year: int | None = None, spread: float = 1.0) -> pd.DataFrame:
    """A change report per country: years compared and revised, and what kind of revision it was.

    After :func:`price_base_factors`, the old release's own price-base year (``base_year``, e.g. 2022 for the 2024
    release) is revised only if its figure itself changed -- or if the conversion between the releases changed (a
    revised exchange rate or price index), which moves *every* year by the same percentage. So the revision in
    ``base_year`` is taken as the country's *shift*, and years that move differently from it (by more than
    ``spread`` percentage points) count as revisions of the figures themselves. A base-year revision that most
    other years do not share is a revision of that year's figure, not a shift. Without ``base_year`` the median
    revision is the candidate shift.

    Columns: ``iso3``, ``country``, ``years_compared``, ``years_revised`` (beyond rounding), ``shift_pct``,
    ``years_off_shift``, ``largest_pct`` and ``largest_year`` (the revision furthest from zero), and ``pattern``:
    ``unchanged``, ``uniform shift``, ``shift + N years``, ``N years`` (no shift) or ``most years`` (more than
    half the years revised differently from the shift: a series revised throughout). Sorted by the largest revision.
    """
    rows = []
    for code, group in comparison.groupby("iso3", sort=True):
        pct = group["revision_pct"].astype(float)
        revised = group["revised"].astype(bool) if "revised" in group.columns else pct.abs() > ROUNDING * 100
        at_base = pct[group["year"] == base_year] if base_year is not None else pd.Series(dtype=float)
        shift = float(at_base.iloc[0]) if len(at_base) else float(pct.median())
        # A shift is real only if it is not zero and most years share it; otherwise the base year's own figure
        # was revised (or there is no common shift), and each year counts on its own.
        shift_real = abs(shift) > spread and ((pct - shift).abs() <= spread).mean() > 0.5
        if shift_real:
            off = int(((pct - shift).abs() > spread).sum())
        else:
            off = int(((pct.abs() > spread) & revised).sum())
        largest = group.loc[pct.abs().idxmax()]
        plural = lambda n: f"{n} year{'s' if n != 1 else ''}"  # noqa: E731
        if not revised.any():
            pattern = "unchanged"
        elif off > len(group) / 2:
            pattern = "most years"
        elif shift_real:
            pattern = "uniform shift" if off == 0 else f"shift + {plural(off)}"
        else:
            pattern = plural(max(off, 1))
        rows.append(
            {
                "iso3": code,
                "country": COUNTRY_NAMES.get(code, code),
                "years_compared": int(len(group)),
                "years_revised": int(revised.sum()),
                "shift_pct": shift if shift_real else 0.0,
                "years_off_shift": off,
                "largest_pct": float(largest["revision_pct"]),
                "largest_year": int(largest["year"]),
                "pattern": pattern,
            }
        )
    summary = pd.DataFrame(rows)
    return summary.reindex(summary["largest_pct"].abs().sort_values(ascending=False).index).reset_index(drop=True)


def milex_comparison(milex: pd.DataFrame, old: str, new: str) -> pd.DataFrame:
    """The constant-dollar series of two ``milex`` editions compared, the old one converted to the new prices.

    The older edition's price-base year is read from its ``price_base`` column; the conversion factors come from
    the newer edition (:func:`price_base_factors`).
    """
    old_rows = milex[milex["edition"].astype(str) == old]
    base_year = int(old_rows.loc[old_rows["measure"] == _constant_measure(old_rows, old), "price_base"].dropna().iloc[0])
    factors = price_base_factors(milex, new, base_year)
    constant = milex[milex["measure"].astype(str).str.startswith("constant_usd")]
    return compare_editions(constant, old, new, factors=factors)


def member_shares(
    milex: pd.DataFrame, editions: Iterable[str], members: Sequence[str] = CSTO_MEMBERS
) -> pd.DataFrame:
    """Each member's share (%) of the members' constant-dollar spending, per edition and year (complete years only).

    Long form (``iso3``, ``year``, ``edition``, ``value``), computed with :func:`utils.metrics.russia_share_by_year`
    for each member in turn. Shares are unit-free, so two editions compare without any rebasing.
    """
    parts = []
    for edition in editions:
        for code in members:
            share = metrics.russia_share_by_year(edition, members=members, milex=milex, leader=code)
            share = share[share["complete"]]
            parts.append(pd.DataFrame({"iso3": code, "year": share["year"], "edition": edition, "value": share["share"]}))
    return pd.concat(parts, ignore_index=True)


@dataclass(frozen=True)
class RevisionView:
    """One way of comparing two releases: the comparison table, its unit, and how to show the revision."""

    comparison: pd.DataFrame
    unit: str
    in_points: bool  # revision shown in the unit's points (shares) rather than in % of the old value
    threshold: float  # revisions smaller than this (in % or points) are not counted as revised years in titles
    converted: bool  # the older release was converted to the newer one's prices before comparing


def revision_views(
    milex: pd.DataFrame, old: str, new: str, members: Sequence[str] = CSTO_MEMBERS
) -> dict[str, RevisionView]:
    """The ways the release explorer compares two releases, by name.

    * spending in the newer release's constant dollars (the older release converted), revision in %;
    * each member's share of the members' spending, revision in percentage points.
    """
    new_rows = milex[milex["edition"].astype(str) == new]
    base = int(new_rows.loc[new_rows["measure"] == _constant_measure(new_rows, new), "price_base"].dropna().iloc[0])
    shares = member_shares(milex, [old, new], members)
    return {
        f"Spending (constant {base} US$ m)": RevisionView(
            milex_comparison(milex, old, new), f"US$ m, constant {base} prices", in_points=False, threshold=1.0,
            converted=True,
        ),
        "Share of the members' spending (%)": RevisionView(
            compare_editions(shares, old, new, rebase=False), "% of the members' total", in_points=True, threshold=0.1,
            converted=False,
        ),
    }


# --------------------------------------------------------------------------------------------- figures


def _name(code: str) -> str:
    return COUNTRY_NAMES.get(code, code)


def plot_revision_scatter(
    comparison: pd.DataFrame,
    old_label: str,
    new_label: str,
    unit: str = "US$ m",
    label_top: int = 4,
    highlight: Iterable[tuple[str, int]] | None = None,
    title: str | None = None,
    source_ids: tuple[str, ...] = (),
) -> plt.Figure:
    """Old edition (rebased) against new edition, one dot per country-year, log scales, diagonal = unrevised.

    Points off the diagonal are real revisions. The country-years in ``highlight`` (``("KGZ", 2020)``...) are
    labelled; without it, the ``label_top`` largest revisions in % terms.
    """
    fig, ax = new_figure(9.0, 6.0)
    for code, group in comparison.groupby("iso3", sort=True):
        ax.scatter(group["old_rebased"], group["new"], s=22, color=colour_of(code), alpha=0.85,
                   edgecolor="white", linewidth=0.4, label=_name(code))
    positive = comparison[(comparison["old_rebased"] > 0) & (comparison["new"] > 0)]
    low = min(positive["old_rebased"].min(), positive["new"].min()) / 1.5
    high = max(positive["old_rebased"].max(), positive["new"].max()) * 1.5
    ax.plot([low, high], [low, high], color="#333333", linewidth=0.8, zorder=0)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(low, high)
    ax.set_ylim(low, high)
    if highlight is not None:
        wanted = set(highlight)
        biggest = comparison[[(c, int(y)) in wanted for c, y in zip(comparison["iso3"], comparison["year"])]]
    else:
        order = comparison["revision_pct"].abs().sort_values(ascending=False).index
        biggest = comparison.reindex(order).head(label_top)
    # Labels sit in the two empty corners of the plot: revisions up (points above the diagonal) in the upper left,
    # revisions down in the lower right, stacked in the order of their points so that leader lines do not cross.
    ups = biggest[biggest["revision_pct"] >= 0].sort_values("new", ascending=False)
    downs = biggest[biggest["revision_pct"] < 0].sort_values("new", ascending=False)
    for rows, x, top in ((ups, 0.03, 0.95), (downs, 0.55, 0.28)):
        for rank, (_, row) in enumerate(rows.iterrows()):
            ax.annotate(
                f"{_name(row['iso3'])} {int(row['year'])}: {row['revision_pct']:+.0f}%",
                (row["old_rebased"], row["new"]), xytext=(x, top - 0.065 * rank), textcoords="axes fraction",
                ha="left", va="center", fontsize=8,
                arrowprops={"arrowstyle": "-", "color": "#555555", "linewidth": 0.6, "shrinkB": 3},
            )
    ax.set_xlabel(f"{old_label}, rebased to the new price base ({unit}, log scale)")
    ax.set_ylabel(f"{new_label} ({unit}, log scale)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    return finish(fig, title or f"{new_label} against {old_label}: points off the diagonal were revised", *source_ids)


def plot_share_by_edition(
    shares: pd.DataFrame,
    labels: dict[str, str] | None = None,
    highlight_year: int | None = None,
    country: str = "RUS",
    editions: Sequence[str] | None = None,
    title: str | None = None,
    source_ids: tuple[str, ...] = (),
) -> plt.Figure:
    """One line per edition: the leading country's share (%) of the members' total each year.

    ``shares`` has the columns ``edition``, ``year`` and ``share`` (per cent), as returned by
    :func:`utils.metrics.russia_share_by_year` (concatenated over editions); rows with ``complete`` False are
    left out when that column is present. ``editions`` orders the lines, newest first (solid);
    by default the edition names sorted in reverse, which puts "2026" before "2024". ``highlight_year`` marks
    one year's values on each line.
    """
    if "complete" in shares.columns:
        shares = shares[shares["complete"].astype(bool)]
    fig, ax = new_figure(9.0, 4.6)
    editions = list(editions or sorted(shares["edition"].astype(str).unique(), reverse=True))
    for style, edition in zip(EDITION_STYLES, editions):
        line = shares[shares["edition"].astype(str) == edition].sort_values("year")
        # Missing (incomplete) years become gaps in the line rather than straight segments across them.
        years = range(int(line["year"].min()), int(line["year"].max()) + 1) if len(line) else []
        line = line.set_index("year").reindex(years).rename_axis("year").reset_index()
        label = (labels or {}).get(edition, edition)
        # Small markers keep a year that stands alone between gaps visible.
        ax.plot(line["year"], line["share"], linestyle=style, color=colour_of(country), linewidth=1.8,
                marker="o", markersize=2.5,
                alpha=1.0 if style == "-" else 0.8, label=label)
        if highlight_year is not None:
            point = line[line["year"] == highlight_year]
            if not point.empty:
                value = float(point["share"].iloc[0])
                ax.plot(highlight_year, value, marker="o", color=colour_of(country))
                # newest release's label below its point, older ones above: the two never overprint
                ax.annotate(f"{value:.1f}%", (highlight_year, value), xytext=(7, -13) if style == "-" else (-36, 8),
                            textcoords="offset points", fontsize=9, fontweight="bold")
    ax.set_xlabel("Year")
    ax.set_ylabel(f"{_name(country)}'s share of members' spending (%)")
    ax.legend(loc="lower right", fontsize=9)
    return finish(fig, title or f"{_name(country)}'s share by release", *source_ids)


def plot_revision_heatmap(
    comparison: pd.DataFrame,
    first_year: int | None = None,
    clip: float = 100.0,
    title: str | None = None,
    source_ids: tuple[str, ...] = (),
) -> plt.Figure:
    """Countries x years, coloured by the revision in % (after rebasing); white = unchanged, dark grey = not in both.

    The colour scale is symmetric-logarithmic (linear within +/-1 %), so a shift of a few per cent (a changed
    conversion) is as visible as a doubling; it saturates at +/- ``clip`` %, and cells beyond are labelled.
    """
    frame = comparison if first_year is None else comparison[comparison["year"] >= first_year]
    grid = frame.pivot_table(index="iso3", columns="year", values="revision_pct", aggfunc="first")
    grid = grid.loc[grid.abs().max(axis=1).sort_values(ascending=False).index]
    fig, ax = new_figure(10.0, max(2.6, 0.42 * len(grid) + 1.8))
    # Red = revised up, blue = revised down (a diverging map readable with colour-blindness); grey = no data.
    cmap = plt.get_cmap("RdBu_r").with_extremes(bad="#A9A9A9")
    norm = SymLogNorm(linthresh=1.0, linscale=0.6, vmin=-clip, vmax=clip, base=10)
    image = ax.imshow(np.ma.masked_invalid(grid.to_numpy(float)), aspect="auto", cmap=cmap, norm=norm,
                      interpolation="nearest")
    years = list(grid.columns)
    step = max(1, len(years) // 12)
    ax.set_xticks(range(0, len(years), step), [str(y) for y in years[::step]])
    ax.set_yticks(range(len(grid)), [_name(c) for c in grid.index])
    for (i, j), value in np.ndenumerate(grid.to_numpy(float)):
        if np.isfinite(value) and abs(value) > clip:
            ax.text(j, i, f"{value:+.0f}", ha="center", va="center", fontsize=7, color="white", rotation=90)
    ax.grid(False)
    ticks = [t for t in (-100, -10, -1, 0, 1, 10, 100) if abs(t) <= clip]
    bar = fig.colorbar(image, ax=ax, shrink=0.9, pad=0.01, extend="both", ticks=ticks)
    bar.ax.set_yticklabels([f"{t:+d}" if t else "0" for t in ticks])
    bar.set_label("Revision, % (log scale beyond ±1)")
    ax.set_xlabel("Year (dark grey: no figure in one of the two releases)")
    return finish(fig, title or "Where the new release revised the old one", *source_ids)


def plot_release_comparison(
    comparison: pd.DataFrame,
    iso3: str,
    old_label: str,
    new_label: str,
    unit: str = "US$ m",
    in_points: bool = False,
    threshold: float = 1.0,
    title: str | None = None,
    source_ids: tuple[str, ...] = (),
) -> plt.Figure:
    """One country's series in two releases (top) and the revision between them (bottom).

    The revision is in % of the old value, or with ``in_points`` in the unit itself (for shares: percentage
    points). The default title counts the years revised by more than ``threshold`` (% or points) and names the
    largest revision, or says the series is unchanged.
    """
    series = comparison[comparison["iso3"] == iso3].sort_values("year")
    if series.empty:
        raise ValueError(f"{iso3!r} has no year covered by both releases in this comparison")
    fig, (top, bottom) = new_figure(9.0, 5.6, nrows=2, sharex=True, height_ratios=[2.2, 1])
    colour = colour_of(iso3)
    # Years missing from either release become gaps in the lines, not straight segments across them.
    lines = series.set_index("year").reindex(range(int(series["year"].min()), int(series["year"].max()) + 1))
    top.plot(lines.index, lines["new"], color=colour, linewidth=2.0, label=new_label)
    top.plot(lines.index, lines["old_rebased"], color=colour, linewidth=1.6, linestyle="--", label=old_label)
    top.set_ylabel(unit)
    top.set_ylim(bottom=0)
    top.legend(loc="upper left", fontsize=9)
    column, label, suffix = ("revision", "Revision (points)", " points") if in_points else ("revision_pct", "Revision (%)", "%")
    bars = series[column].fillna(0)
    bottom.bar(series["year"], bars, color=np.where(bars >= 0, "#B2182B", "#2166AC"), width=0.8)
    bottom.axhline(0, color="#333333", linewidth=0.8)
    bottom.set_ylabel(label)
    bottom.set_xlabel("Year")
    if title is None:
        revised = series[series[column].abs() > threshold]
        if not revised.empty:
            largest = revised.loc[revised[column].abs().idxmax()]
            title = (f"{_name(iso3)}: {len(revised)} of {len(series)} years revised by more than {threshold:g}{suffix}; "
                     f"largest {largest[column]:+.1f}{suffix} ({int(largest['year'])})")
        else:
            title = f"{_name(iso3)}: no year revised by more than {threshold:g}{suffix}"
    return finish(fig, title, *source_ids)
