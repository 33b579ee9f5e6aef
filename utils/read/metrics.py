"""Measures computed from the official tables: who pays, who supplies, who fields the troops.

Every function is pure: it takes the table it needs as a DataFrame (``milex=``, ``arms=``, ``personnel=``) and,
when none is passed, reads it with :func:`utils.read.data.load`, so a notebook can simply call
``russia_share_of_milex(2020)`` while a test or the refresh report passes its own frames. Nothing here draws.

Three families:

* **Military spending** (table ``milex``, SIPRI): :func:`russia_share_of_milex`, :func:`russia_share_by_year`,
  :func:`milex_editions`; and the figures the release's own consistency checks suspect (table
  ``milex_suspicions``): :func:`flag_suspect`, :func:`suspect_values`, :func:`undo_suspect_breaks`,
  :func:`russia_share_suspect_comparison`. Shares are in **per cent** (0-100), as the two articles state them.
* **Arms imports** (table ``arms_transfers``, SIPRI trend-indicator values, TIV): :func:`import_share`,
  :func:`import_share_by_window`, :func:`supplier_breakdown`, :func:`top_supplier`.
* **Personnel** (table ``personnel``): :func:`personnel_ratio`, :func:`russia_share_of_personnel`.

Editions: the ``milex`` table holds more than one SIPRI release (to show how revisions move a figure), and the
spending functions work on ONE release at a time: the newest unless ``edition`` names another, by its full name
(``"SIPRI Military Expenditure Database 2024"``) or its release year (``2024``). The ``arms_transfers`` table is
different: a single annual series stitched from two SIPRI exports (its ``method`` column says which rows are
exact and which approximate), so the arms functions use every row unless ``method`` or ``edition`` narrows them.
"""

from __future__ import annotations

import functools
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from utils import paths
from utils.read import countries, data
from utils.read.vocabulary import SUSPICION_COLUMNS, edition_year

#: The six members of the CSTO (as of 2026). Russia's share of their spending is both articles' "95 %" claim.
CSTO_MEMBERS: tuple[str, ...] = countries.CSTO_MEMBERS

#: Name of the arms-transfer table in ``data/``.
ARMS_TABLE = "arms_transfers"


# --------------------------------------------------------------------------------------------- shared helpers


def given_or_loaded(frame: pd.DataFrame | None, name: str) -> pd.DataFrame:
    """The frame passed in, or table ``name`` from the data folder in use (imported late: keeps this module light)."""
    if frame is not None:
        return frame
    return data.load(name)



def _editions_newest_first(frame: pd.DataFrame) -> list[str]:
    """The editions in ``frame``, newest first.

    Newest means: latest data year, then highest ``release`` (when the table has that column), then the highest
    year in the edition's name. A frame without an ``edition`` column is one edition, returned as ``[""]``.
    """
    if "edition" not in frame.columns:
        return [""]
    keys = []
    for edition, rows in frame.groupby("edition", sort=False):
        release = rows["release"].max() if "release" in rows.columns else None
        release = int(release) if release is not None and pd.notna(release) else edition_year(edition) or 0
        keys.append((int(rows["year"].max()), release, str(edition)))
    return [edition for *_, edition in sorted(keys, reverse=True)]


def _one_edition(frame: pd.DataFrame, edition: str | int | None, table: str) -> tuple[pd.DataFrame, str]:
    """The rows of one edition (the newest when ``edition`` is None) and that edition's name."""
    editions = _editions_newest_first(frame)
    if "edition" not in frame.columns:
        return frame, ""
    if edition is None:
        chosen = editions[0]
    elif str(edition) in editions:
        chosen = str(edition)
    else:
        # A release year: match the table's release column, else the year in the edition's name.
        wanted = int(edition) if str(edition).isdigit() else None
        matches: list[str] = []
        if wanted is not None and "release" in frame.columns:
            matches = sorted(set(frame.loc[frame["release"] == wanted, "edition"].astype(str)))
        if wanted is not None and not matches:
            matches = [e for e in editions if edition_year(e) == wanted]
        if len(matches) != 1:
            raise ValueError(
                f"{table}: no single edition matches {edition!r}; editions present: {', '.join(editions)}"
            )
        chosen = matches[0]
    return frame[frame["edition"].astype(str) == chosen], chosen


def _codes_matching(values: pd.Series, code: str) -> pd.Series:
    """True where a country column equals ``code``, whether it holds ISO3 codes or names ("Russia" == "RUS")."""
    target = countries.iso3(code) or code
    # Decide once per distinct value, then match with isin (the claims call this for every window they grade).
    matching = [value for value in values.dropna().unique() if (countries.iso3(str(value)) or str(value)) == target]
    return values.isin(matching).astype(bool)


def _as_code(value: str) -> str:
    """ISO3 code of a country name or code; non-states (e.g. ``unknown supplier(s)``) keep their own name."""
    return countries.iso3(value) or value


# --------------------------------------------------------------------------------------------- military spending


def milex_editions(milex: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per release in the ``milex`` table, newest first.

    Columns: ``edition``, ``release`` (year published), ``price_base`` (of its constant-dollar series),
    ``first_year``, ``last_year``, ``measures`` (the measures it holds, ``;``-separated).
    """
    milex = given_or_loaded(milex, "milex")
    rows = []
    for edition in _editions_newest_first(milex):
        part = milex if edition == "" else milex[milex["edition"].astype(str) == edition]
        measures = sorted(part["measure"].astype(str).unique())
        constant = [m for m in measures if m.startswith("constant_usd")]
        base = edition_year(constant[0]) if constant else None
        release = part["release"].max() if "release" in part.columns else edition_year(edition)
        rows.append(
            {
                "edition": edition,
                "release": int(release) if release is not None and pd.notna(release) else pd.NA,
                "price_base": base if base is not None else pd.NA,
                "first_year": int(part["year"].min()),
                "last_year": int(part["year"].max()),
                "measures": ";".join(measures),
            }
        )
    return pd.DataFrame(rows).astype({"release": "Int64", "price_base": "Int64"})


def _one_measure(frame: pd.DataFrame, measure: str, edition: str) -> pd.DataFrame:
    """Rows of one measure. ``constant_usd`` matches the edition's ``constant_usd_<price base>``."""
    measures = frame["measure"].astype(str)
    if measure == "constant_usd":
        chosen = sorted(m for m in measures.unique() if m.startswith("constant_usd"))
    else:
        chosen = [measure] if (measures == measure).any() else []
    if len(chosen) != 1:
        available = ", ".join(sorted(measures.unique()))
        raise ValueError(f"milex, edition {edition!r}: no single measure {measure!r} (measures present: {available})")
    return frame[measures == chosen[0]]


# --------------------------------------------------------------------------------------------- suspected errors

#: Ways :func:`russia_share_by_year` treats figures the consistency checks suspect (table ``milex_suspicions``).
SUSPECT_TREATMENTS = ("keep", "exclude", "undo")

#: Checks whose ``factor`` measures a break in a constant-dollar series (so dividing by it undoes the break).
_BREAK_CHECKS = ("price_chain", "between_releases")


def milex_suspicions(suspicions: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ``milex_suspicions`` table (suspected errors in the SIPRI releases), or an empty one with its columns
    when the data folder has none (e.g. a partial copy): no recorded suspicion then means none is known."""
    if suspicions is not None:
        return suspicions
    if not paths.table_csv("milex_suspicions", paths.data_dir()).exists():
        return pd.DataFrame(columns=SUSPICION_COLUMNS)
    return data.load("milex_suspicions")


def suspect_values(suspicions: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per figure a recorded suspicion covers: ``edition``, ``iso3``, ``measure``, ``year``, ``checks``
    (the checks that flagged it, ``;``-separated), ``break_factor`` (how many times too high the figure looks,
    from a price-chain or between-releases check; NaN for the others) and ``finding`` (the first finding's text).
    """
    table = milex_suspicions(suspicions)
    # Kept by the suspicions' content: every chart and claim that marks suspect figures asks again, with the same rows.
    recorded = tuple(table[_SUSPICION_FIELDS].itertuples(index=False, name=None))
    return _suspect_values_of(recorded).copy()


_SUSPICION_FIELDS = ["edition", "iso3", "measure", "first_year", "last_year", "check", "factor", "finding"]


@functools.lru_cache(maxsize=8)
def _suspect_values_of(recorded: tuple) -> pd.DataFrame:
    rows = []
    for edition, iso3, measure, first_year, last_year, check, factor, finding in recorded:
        for year in range(int(first_year), int(last_year) + 1):
            rows.append((str(edition), str(iso3), str(measure), year, str(check),
                         float(factor) if str(check) in _BREAK_CHECKS else np.nan, str(finding)))
    columns = ["edition", "iso3", "measure", "year", "check", "factor", "finding"]
    long = pd.DataFrame(rows, columns=columns)
    keys = ["edition", "iso3", "measure", "year"]
    if long.empty:
        return pd.DataFrame(columns=keys + ["checks", "break_factor", "finding"]).astype({"year": "int64"})
    # Several checks may flag the same figure; the price-chain factor (read inside the release) comes first.
    long["_order"] = long["check"].map({"price_chain": 0, "between_releases": 1}).fillna(2)
    long = long.sort_values(keys + ["_order"], kind="stable")
    grouped = long.groupby(keys, sort=True)
    # Built-in aggregations only ("first" skips NaN): this runs for every chart and claim that marks suspect figures.
    out = grouped.agg(break_factor=("factor", "first"), finding=("finding", "first"))
    out.insert(0, "checks", long.drop_duplicates(keys + ["check"]).groupby(keys, sort=True)["check"].agg(";".join))
    return out.reset_index()


def flag_suspect(frame: pd.DataFrame, suspicions: pd.DataFrame | None = None) -> pd.DataFrame:
    """A copy of a ``milex``-like frame with a boolean ``suspect`` column (and ``suspicion``, the checks that
    flagged the figure, empty when none), so that a table or chart can mark the figures not to trust.

    ``frame`` needs ``iso3``, ``year`` and ``measure``; with an ``edition`` column figures are matched per
    release, without one any release's suspicion of that country, year and measure counts.
    """
    flagged = suspect_values(suspicions)
    keys = ["iso3", "measure", "year"] + (["edition"] if "edition" in frame.columns else [])
    # Several releases may flag one figure (when matched without the edition): each check named once.
    checks = flagged[keys].assign(suspicion=flagged["checks"].str.split(";")).explode("suspicion")
    lookup = checks.drop_duplicates().groupby(keys, as_index=False)["suspicion"].agg(";".join)
    left = frame.copy()
    probe = left[keys].astype({"iso3": str, "measure": str, "year": "int64"} | ({"edition": str} if "edition" in keys else {}))
    merged = probe.merge(lookup.astype({"year": "int64"}), on=keys, how="left")
    left["suspicion"] = merged["suspicion"].fillna("").to_numpy()
    left["suspect"] = left["suspicion"] != ""
    return left


def undo_suspect_breaks(milex: pd.DataFrame | None = None, suspicions: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ``milex`` table with each constant-dollar figure inside a suspected broken link divided by the size of
    the break (``break_factor``), plus a boolean ``adjusted`` column.

    An estimate of what the series would be had the link not broken, assuming the break is the only error (for
    Kazakhstan in the 2026 release it brings 1993-2019 back in line with 2020 onwards and with the 2025 release).
    Figures suspected for other reasons (e.g. a copied share-of-GDP row) are left as they are: there is no factor
    to undo them with.
    """
    milex = given_or_loaded(milex, "milex")
    flagged = suspect_values(suspicions).dropna(subset=["break_factor"])
    keys = ["edition", "iso3", "measure", "year"]
    probe = milex[keys].astype({"edition": str, "iso3": str, "measure": str, "year": "int64"})
    factor = probe.merge(flagged[keys + ["break_factor"]].astype({"year": "int64"}), on=keys, how="left")["break_factor"]
    out = milex.copy()
    factor = factor.to_numpy(dtype=float)
    out["adjusted"] = ~np.isnan(factor) & out["value"].notna().to_numpy()
    out["value"] = np.where(out["adjusted"], out["value"].to_numpy(dtype=float) / np.where(np.isnan(factor), 1, factor),
                            out["value"].to_numpy(dtype=float))
    return out


def russia_share_by_year(
    edition: str | int | None = None,
    measure: str = "constant_usd",
    members: Sequence[str] = CSTO_MEMBERS,
    milex: pd.DataFrame | None = None,
    leader: str = "RUS",
    suspect: str = "keep",
    exclude_suspect: bool = False,
    suspicions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Russia's share of the members' combined military spending, every year of one edition.

    Returns one row per year with ``year``, ``edition``, ``measure``, ``russia`` (the leader's spending),
    ``members_total``, ``members_reporting`` (how many of ``members`` have a figure that year), ``complete``
    (all of them do), ``share`` in per cent, ``suspect`` (a figure of that year is suspected to be an error of
    the release: see table ``milex_suspicions``) and ``suspect_members`` (whose, ``;``-separated). In an
    incomplete year the share is still computed over the members that report, but it overstates the leader's
    weight: check ``complete`` before quoting it.

    ``suspect`` says what to do with suspect figures: ``"keep"`` them as published (default), ``"exclude"``
    the years they touch (share NaN; ``exclude_suspect=True`` is the same), or ``"undo"`` the suspected broken
    links (:func:`undo_suspect_breaks`; ``suspect`` then marks the years whose figures were adjusted).
    ``suspicions`` defaults to the data folder's ``milex_suspicions`` table, even when ``milex`` is passed in
    (figures are matched by edition, country, measure and year); pass an empty frame to ignore it.
    """
    if exclude_suspect:
        suspect = "exclude"
    if suspect not in SUSPECT_TREATMENTS:
        raise ValueError(f"suspect must be one of {', '.join(SUSPECT_TREATMENTS)}; got {suspect!r}")
    milex = given_or_loaded(milex, "milex")
    rows, chosen = _one_edition(milex, edition, "milex")
    rows = _one_measure(rows, measure, chosen)
    rows = rows[rows["iso3"].isin(list(members))]
    if suspect == "undo":
        rows = undo_suspect_breaks(rows, suspicions).drop(columns="adjusted")
    flags = flag_suspect(rows[["iso3", "year", "measure", "edition"]] if "edition" in rows.columns
                         else rows[["iso3", "year", "measure"]], suspicions)
    flagged = flags[flags["suspect"]].groupby("year")["iso3"].agg(lambda c: ";".join(sorted(set(map(str, c)))))
    # One value per member and year within an edition and measure (the table's primary key), so pivot, not sum:
    # a missing figure must stay missing, not become 0.
    values = rows.pivot(index="year", columns="iso3", values="value").astype(float)
    values = values.reindex(columns=list(members))
    reporting = values.notna().sum(axis=1)
    total = values.sum(axis=1, min_count=1)
    out = pd.DataFrame(
        {
            "year": values.index.astype(int),
            "edition": chosen,
            "measure": str(rows["measure"].iloc[0]) if len(rows) else measure,
            "russia": values[leader].to_numpy(dtype=float),
            "members_total": total.to_numpy(dtype=float),
            "members_reporting": reporting.to_numpy(dtype=int),
        }
    )
    out["complete"] = out["members_reporting"] == len(members)
    out["share"] = 100 * out["russia"] / out["members_total"]
    out["suspect_members"] = out["year"].map(flagged).astype(object).where(lambda v: v.notna(), "").astype(str)
    out["suspect"] = out["suspect_members"] != ""
    if suspect == "exclude":
        out.loc[out["suspect"], "share"] = np.nan
    return out.reset_index(drop=True)


def russia_share_suspect_comparison(
    years: Sequence[int] = (2019, 2020),
    members: Sequence[str] = CSTO_MEMBERS,
    milex: pd.DataFrame | None = None,
    suspicions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Russia's share in ``years`` in every release of the table, computed every way a reader should see it.

    One row per release, year and ``basis``: ``"constant US$, as published"``, ``"constant US$, suspect breaks
    undone"`` (:func:`undo_suspect_breaks`), ``"constant US$, suspect years excluded"`` (NaN where a figure is
    suspect) and ``"current US$"`` (where the release has it: current dollars carry no deflator, so a broken
    price chain cannot touch them). Columns: ``edition``, ``year``, ``basis``, ``share`` (per cent; NaN when a
    member has no figure), ``suspect`` and ``suspect_members`` (figures of that basis suspected, or for the
    "undone" basis adjusted, that year).
    """
    milex = given_or_loaded(milex, "milex")
    rows = []
    for edition in milex_editions(milex)["edition"]:
        bases = [("constant US$, as published", "constant_usd", "keep"),
                 ("constant US$, suspect breaks undone", "constant_usd", "undo"),
                 ("constant US$, suspect years excluded", "constant_usd", "exclude"),
                 ("current US$", "current_usd", "keep")]
        for basis, measure, treatment in bases:
            try:
                table = russia_share_by_year(edition, measure, members, milex, suspect=treatment,
                                             suspicions=suspicions).set_index("year")
            except ValueError:  # e.g. a comparison release without current US$
                continue
            for year in years:
                if year not in table.index:
                    continue
                share = table.loc[year, "share"] if table.loc[year, "complete"] else np.nan
                rows.append({"edition": edition, "year": int(year), "basis": basis, "share": float(share),
                             "suspect": bool(table.loc[year, "suspect"]),
                             "suspect_members": str(table.loc[year, "suspect_members"])})
    return pd.DataFrame(rows, columns=["edition", "year", "basis", "share", "suspect", "suspect_members"])


def russia_share_of_milex(
    year: int,
    edition: str | int | None = None,
    measure: str = "constant_usd",
    members: Sequence[str] = CSTO_MEMBERS,
    milex: pd.DataFrame | None = None,
    require_complete: bool = True,
) -> float:
    """Russia's military spending as a per cent of the combined spending of ``members`` in ``year``.

    >>> round(russia_share_of_milex(2020, edition=2024), 1)     # doctest: +SKIP
    95.4

    Raises ``ValueError`` when the year is not in the edition, or when a member has no figure that year and
    ``require_complete`` is true (a share over five of six members is not the share the articles speak of).
    """
    table = russia_share_by_year(edition, measure, members, milex)
    row = table[table["year"] == year]
    if row.empty:
        raise ValueError(
            f"milex, edition {table['edition'].iloc[0] if len(table) else edition!r}: no year {year} "
            f"(years {table['year'].min()}-{table['year'].max()})"
        )
    row = row.iloc[0]
    if require_complete and not row["complete"]:
        raise ValueError(
            f"milex, edition {row['edition']!r}, {year}: only {row['members_reporting']} of {len(members)} members "
            f"have a {row['measure']} figure, so Russia's share would be overstated (pass require_complete=False "
            "to compute it anyway)"
        )
    return float(row["share"])


# --------------------------------------------------------------------------------------------- arms imports


def _arms_table(arms: pd.DataFrame | None, edition: str | None = None, method: str | None = None) -> pd.DataFrame:
    """The arms-transfer rows to use: the whole table unless ``edition`` or ``method`` narrows it.

    The ``arms_transfers`` table is one annual series per supplier and recipient, stitched from two SIPRI
    exports (column ``method``: exact annual figures for 2000-2023, an equal split of the deal register for the
    other years). Its rows are therefore NOT alternative editions of the same years, and by default every row
    is used; pass ``method="exact_annual_export"`` to stay inside the exact figures.
    """
    arms = given_or_loaded(arms, ARMS_TABLE)
    if edition is not None:
        arms = arms[arms["edition"].astype(str) == str(edition)]
    if method is not None:
        arms = arms[arms["method"].astype(str) == method]
    if arms.empty:
        raise ValueError(f"{ARMS_TABLE}: no rows for edition={edition!r}, method={method!r}")
    return arms


def _arms_rows(recipient: str, arms: pd.DataFrame) -> pd.DataFrame:
    """The deliveries to ``recipient``, with a ``supplier_code`` column (ISO3 where the supplier is a known state)."""
    rows = arms[_codes_matching(arms["recipient"], recipient)]
    return rows.assign(supplier_code=rows["supplier"].astype("string").map(_as_code))


def _window(rows: pd.DataFrame, arms: pd.DataFrame, start: int | None, end: int | None) -> pd.DataFrame:
    """Rows inside the inclusive window; ``None`` ends default to the table's first/last year."""
    start = int(arms["year"].min()) if start is None else int(start)
    end = int(arms["year"].max()) if end is None else int(end)
    if start > end:
        raise ValueError(f"window start {start} is after its end {end}")
    return rows[rows["year"].between(start, end)]


def arms_coverage(arms: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which years each method (and edition) of the arms-transfer table covers: a table for the "Data used" cell.

    Columns: ``method``, ``edition``, ``first_year``, ``last_year``, ``rows``; sorted by first year.
    """
    arms = given_or_loaded(arms, ARMS_TABLE)
    keys = [c for c in ("method", "edition") if c in arms.columns]
    if not keys:
        return pd.DataFrame({"first_year": [int(arms["year"].min())], "last_year": [int(arms["year"].max())],
                             "rows": [len(arms)]})
    out = arms.groupby(keys, as_index=False).agg(
        first_year=("year", "min"), last_year=("year", "max"), rows=("year", "size")
    )
    return out.sort_values("first_year", ignore_index=True)


def window_methods(start: int, end: int, arms: pd.DataFrame | None = None) -> str:
    """How the figures of a window were made, e.g. ``"exact_annual_export 2020-2023; equal_split_of_register 2024"``."""
    arms = given_or_loaded(arms, ARMS_TABLE)
    if "method" not in arms.columns:
        return ""
    inside = arms[arms["year"].between(start, end)]
    parts = []
    for method, rows in inside.groupby("method", sort=False):
        first, last = int(rows["year"].min()), int(rows["year"].max())
        parts.append((first, f"{method} {first}" + (f"-{last}" if last != first else "")))
    return "; ".join(text for _, text in sorted(parts))


def supplier_breakdown(
    recipient: str,
    start: int | None = None,
    end: int | None = None,
    arms: pd.DataFrame | None = None,
    edition: str | None = None,
    method: str | None = None,
) -> pd.DataFrame:
    """Each supplier's TIV deliveries to ``recipient`` over the inclusive window ``start``-``end``, largest first.

    Columns: ``supplier`` (ISO3 where it is a known state), ``tiv`` (SIPRI TIV, millions) and ``share`` (per cent
    of the recipient's total in the window). ``start``/``end`` default to the table's first/last year.
    """
    table = _arms_table(arms, edition, method)
    rows = _window(_arms_rows(recipient, table), table, start, end)
    totals = rows.groupby("supplier_code")["tiv"].sum()
    totals = totals[totals > 0].sort_values(ascending=False, kind="stable")
    out = pd.DataFrame({"supplier": totals.index.astype(str), "tiv": totals.to_numpy(dtype=float)})
    out["share"] = 100 * out["tiv"] / out["tiv"].sum() if len(out) else pd.Series(dtype=float)
    return out


def import_share(
    recipient: str,
    supplier: str = "RUS",
    start: int | None = None,
    end: int | None = None,
    arms: pd.DataFrame | None = None,
    edition: str | None = None,
    method: str | None = None,
) -> float:
    """Per cent of ``recipient``'s TIV imports delivered by ``supplier`` over the inclusive years ``start``-``end``.

    >>> round(import_share("ARM", "RUS", 2015, 2020), 1)      # doctest: +SKIP
    94.5

    Returns NaN when the recipient received nothing in the window (a share of nothing is undefined).
    """
    table = _arms_table(arms, edition, method)
    rows = _window(_arms_rows(recipient, table), table, start, end)
    total = rows["tiv"].sum()
    if total <= 0:
        return float("nan")
    from_supplier = rows.loc[_codes_matching(rows["supplier_code"], supplier), "tiv"].sum()
    return float(100 * from_supplier / total)


def import_share_by_window(
    recipient: str,
    supplier: str = "RUS",
    window_lengths: Iterable[int] | None = None,
    arms: pd.DataFrame | None = None,
    edition: str | None = None,
    method: str | None = None,
) -> pd.DataFrame:
    """The supplier's share of the recipient's imports over many windows, to show how a "share" moves with them.

    ``window_lengths`` (years, e.g. ``(5, 10)``) gives every window of those lengths inside the table's years;
    None gives every window ``start <= end``. Columns: ``start``, ``end``, ``length``, ``supplier_tiv``,
    ``total_tiv``, ``share`` (per cent; NaN where nothing was delivered). Computed with cumulative sums, so all
    windows cost one pass over the years.
    """
    table = _arms_table(arms, edition, method)
    rows = _arms_rows(recipient, table)
    years = np.arange(int(table["year"].min()), int(table["year"].max()) + 1)
    is_supplier = _codes_matching(rows["supplier_code"], supplier)
    total = rows.groupby("year")["tiv"].sum().reindex(years, fill_value=0.0).to_numpy(dtype=float)
    ours = rows[is_supplier].groupby("year")["tiv"].sum().reindex(years, fill_value=0.0).to_numpy(dtype=float)
    cum_total, cum_ours = np.concatenate([[0.0], total.cumsum()]), np.concatenate([[0.0], ours.cumsum()])

    starts, ends = np.meshgrid(np.arange(len(years)), np.arange(len(years)), indexing="ij")
    keep = ends >= starts
    if window_lengths is not None:
        keep &= np.isin(ends - starts + 1, sorted({int(n) for n in window_lengths}))
    s, e = starts[keep], ends[keep]
    window_total = cum_total[e + 1] - cum_total[s]
    window_ours = cum_ours[e + 1] - cum_ours[s]
    safe_total = np.where(window_total > 0, window_total, 1.0)
    share = np.where(window_total > 0, 100 * window_ours / safe_total, np.nan)
    return pd.DataFrame(
        {
            "start": years[s],
            "end": years[e],
            "length": e - s + 1,
            "supplier_tiv": window_ours,
            "total_tiv": window_total,
            "share": share,
        }
    ).sort_values(["length", "start"], ignore_index=True)


def top_supplier(
    recipient: str,
    start: int | None = None,
    end: int | None = None,
    arms: pd.DataFrame | None = None,
    edition: str | None = None,
    method: str | None = None,
) -> str | None:
    """The supplier that delivered the most TIV to ``recipient`` in the window (None if nothing was delivered)."""
    breakdown = supplier_breakdown(recipient, start, end, arms, edition, method)
    return None if breakdown.empty else str(breakdown["supplier"].iloc[0])


# --------------------------------------------------------------------------------------------- personnel


def _personnel_rows(
    year: int, personnel: pd.DataFrame | None, source_id: str | None, countries_wanted: Sequence[str]
) -> pd.Series:
    """Active personnel per country in ``year`` from one source; raises when the choice of source is ambiguous."""
    personnel = given_or_loaded(personnel, "personnel")
    rows = personnel[(personnel["year"] == year) & personnel["country"].isin(list(countries_wanted))]
    if source_id is not None:
        rows = rows[rows["source_id"].astype(str) == source_id]
    elif "source_id" in rows.columns and rows["source_id"].nunique() > 1:
        sources = ", ".join(sorted(rows["source_id"].astype(str).unique()))
        raise ValueError(
            f"personnel, {year}: several sources give figures ({sources}); "
            "pass source_id= to choose one (sources count personnel differently)"
        )
    values = rows.groupby("country")["active_personnel"].sum(min_count=1)
    missing = [c for c in countries_wanted if c not in values.index or pd.isna(values.get(c))]
    if missing:
        which = f" from {source_id}" if source_id else ""
        raise ValueError(f"personnel, {year}: no figure{which} for {', '.join(missing)}")
    return values.reindex(list(countries_wanted)).astype(float)


def personnel_ratio(
    numerator: str | Sequence[str] = "RUS",
    denominator: str | Sequence[str] | None = None,
    year: int | None = None,
    source_id: str | None = None,
    personnel: pd.DataFrame | None = None,
    members: Sequence[str] = CSTO_MEMBERS,
) -> float:
    """Active personnel of ``numerator`` divided by that of ``denominator`` in ``year`` (one source).

    ``numerator``/``denominator`` are an ISO3 code or a list of codes (summed). The denominator defaults to the
    ``members`` other than those in the numerator: ``personnel_ratio("RUS", year=2020, source_id="wb_personnel")``
    is Russia's troops per soldier of the five other members. ``year`` is required.
    """
    if year is None:
        raise ValueError("personnel_ratio needs a year")
    top = [numerator] if isinstance(numerator, str) else list(numerator)
    if denominator is None:
        bottom = [m for m in members if m not in top]
    else:
        bottom = [denominator] if isinstance(denominator, str) else list(denominator)
    values = _personnel_rows(year, personnel, source_id, top + [c for c in bottom if c not in top])
    below = values[bottom].sum()
    if below <= 0:
        raise ValueError(f"personnel, {year}: the denominator ({', '.join(bottom)}) has no personnel")
    return float(values[top].sum() / below)


def russia_share_of_personnel(
    year: int,
    source_id: str | None = None,
    members: Sequence[str] = CSTO_MEMBERS,
    personnel: pd.DataFrame | None = None,
    leader: str = "RUS",
) -> float:
    """Russia's active personnel as a per cent of all ``members``' active personnel in ``year`` (one source)."""
    values = _personnel_rows(year, personnel, source_id, list(members))
    return float(100 * values[leader] / values.sum())
