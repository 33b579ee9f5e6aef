"""Checks of a SIPRI Military Expenditure release against itself: suspected errors in the official figures.

A release is installed as SIPRI publishes it. But an official workbook can carry its own errors, and a share
computed from a broken series teaches a revision that never happened. This module looks for the errors that
leave a trace inside the workbook, records each one as a row of the ``milex_suspicions`` table and writes one
line per finding, with the words "suspected error", into the change report of ``python -m utils.write.refresh milex``.

The checks, and why each cannot fire on a consistent series
-----------------------------------------------------------
**Broken link in the price chain** (:func:`check_price_chain`, measure ``constant_usd_<base>``). SIPRI's
constant-dollar figure is local-currency spending divided by the country's consumer price index (rebased to the
price-base year) and converted at the base year's exchange rate. So local currency / constant dollars is the
price index up to a constant, and local currency / current dollars is the exchange rate of each year. A broken
link in SIPRI's deflator chain shows as a jump (or fall) of the implied price index in one year that

1. its neighbouring years do not show: the log growth of the index that year differs from the median of the two
   years either side by more than :data:`PRICE_JUMP` (a factor of about 1.28), and
2. the exchange rate does not share: real inflation, even hyperinflation, drags the currency down with it, so
   the same comparison for the exchange rate absorbs most of a real jump. The break is flagged only when the jump
   of the constant/current ratio (price jump minus exchange-rate jump) also exceeds :data:`PRICE_JUMP`, in the
   same direction.

Devaluations (the rouble in 2014-15, the tenge in 2015, the Belarusian rouble in 2011) move the exchange rate,
not the price index, so condition 1 keeps them out; the hyperinflation of the early 1990s and of Belarus in 1999
moves both, so condition 2 keeps it out. A break splits the series into blocks; the block holding the price-base
year is right by construction (there constant and current dollars coincide), and every block whose accumulated
break factor differs from it by more than :data:`BLOCK_FACTOR` is recorded as suspect (two breaks that cancel
leave the years before them consistent).

**Share of GDP** (:func:`check_share_of_gdp`, measure ``share_gdp``): SIPRI's share against its own current
dollars over the World Bank's GDP in current dollars (table ``gdp``). The two GDP sources differ a little, and a
lot when annual averages meet hyperinflation, so a year is flagged only when the two disagree by more than a
factor of :data:`SHARE_FACTOR` and the price index of that year grew by less than :data:`HYPERINFLATION`.

**A row holding another state's figures** (:func:`check_copied_rows`, any measure): at least
:data:`COPIED_RUN` consecutive figures identical to another treaty party's, possibly shifted by a few years. Two
states never spend identical fractions of GDP for years on end; a misaligned paste does.

**Between two releases** (:func:`compare_releases`, measure ``constant_usd``): when the price base moves, every
constant-dollar figure changes by one factor per country. After converting the newer release to the older price
base (with its own current/constant ratio in that year) and allowing for revisions of local currency (through the
change in current dollars, which carries the same revision), the two must agree; a block of years off by more
than :data:`BLOCK_FACTOR` is the footprint of a broken link in one of the two releases.

The thresholds were calibrated on the four SIPRI workbooks in ``../shared/sources/sipri_milex`` (releases 2024,
2024 re-issue, 2025, 2026) for the nine treaty parties; ``tests/test_consistency.py`` pins what fires in each.

Notebooks read the findings with ``utils.read.data.load("milex_suspicions")`` and mark affected values with
:func:`utils.read.metrics.flag_suspect`.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd

from utils.read import countries
from utils.read.vocabulary import SUSPICION_COLUMNS
from utils.write.importers import changes as table_changes
from utils.write.importers import remembered_by_content
from utils.write.importers import sipri_milex

TABLE = "milex_suspicions"

#: Log-growth excess (about a factor of 1.28) a one-year move of the implied price index, and of the
#: constant/current ratio, must exceed for a broken link. Outside high-inflation years the largest genuine excess
#: in the four releases is 0.15 (Kyrgyzstan 2008); the breaks found are 0.30 (Azerbaijan 2007, 2024 release),
#: 0.36 (Azerbaijan 2010, same) and 0.65 (Kazakhstan 2020, 2026 release).
PRICE_JUMP = 0.25

#: A block of years whose constant-dollar figures are off by more than this factor is suspect.
BLOCK_FACTOR = 1.15

#: SIPRI's share of GDP and current US$ / World Bank GDP must disagree by more than this factor to be flagged.
#: Outside high-inflation years the largest disagreement in the four releases, apart from the figures flagged,
#: is Tajikistan 2000-2004: a factor of 2.0 in every release (left unflagged; the two GDP sources differ there).
#: Belarus 2002-2005 in the 2026 release disagrees by 3.7 to 7.1 times.
SHARE_FACTOR = 2.5

#: A year whose implied price index grew more than this (50 %) is a high-inflation year: annual-average GDP and
#: exchange-rate conversions diverge, so the share check leaves it out.
HYPERINFLATION = 1.5

#: Consecutive identical non-zero figures that make a row a copy of another state's.
COPIED_RUN = 5

#: Largest shift, in years, between a copied row and its original.
COPIED_MAX_SHIFT = 10

#: Columns of the ``milex_suspicions`` table, in order.
COLUMNS = SUSPICION_COLUMNS

CHECKS = ("price_chain", "share_of_gdp", "copied_row", "between_releases")

LOCAL_CURRENCY_SHEET = "Local currency calendar years"

#: The ``sources`` id of the World Bank GDP series the share check compares with (table ``gdp``).
GDP_SOURCE = "wb_gdp"


# --------------------------------------------------------------------------------------------- reading


@remembered_by_content
def read_local_currency(path: Path | str) -> pd.DataFrame:
    """The treaty parties' spending in local currency (calendar years) from a SIPRI workbook.

    Returns ``iso3``, ``year``, ``value`` (missing where SIPRI has no figure). The ``milex`` table does not keep
    this measure; the checks need it only while the workbook is imported. Remembered like the importer's own read
    (:func:`utils.write.importers.remembered_by_content`).
    """
    from utils.write.importers import SourceFormatError
    from utils.write.importers import sipri_milex
    from utils.write.importers.excel import FontColours, open_workbook

    path = Path(path)
    workbook = open_workbook(path)
    try:
        names = {name.strip().lower(): name for name in workbook.sheetnames}
        sheet = names.get(LOCAL_CURRENCY_SHEET.lower())
        if sheet is None:
            raise SourceFormatError(path, f"sheet '{LOCAL_CURRENCY_SHEET}' is missing; expected it beside the "
                                          "US$ sheets (the consistency checks read local currency from it)")
        spec = sipri_milex.SheetSpec("local_currency", LOCAL_CURRENCY_SHEET, ("Country", "Currency", "Notes"), 7,
                                     "local currency")
        parsed = sipri_milex.read_sheet(path, workbook[sheet], spec, FontColours(workbook))
    finally:
        workbook.close()
    return pd.DataFrame([(code, year, value) for code, year, value, _ in parsed.records],
                        columns=["iso3", "year", "value"]).astype({"year": "int64", "value": "float64"})


# --------------------------------------------------------------------------------------------- helpers


def _wide(frame: pd.DataFrame, measure: str | None = None) -> pd.DataFrame:
    """Countries x years of one measure (``constant_usd`` matches any price base); zeros and blanks are NaN."""
    if measure is not None:
        if measure == "constant_usd":
            frame = frame[frame["measure"].astype(str).str.startswith("constant_usd_")]
        else:
            frame = frame[frame["measure"].astype(str) == measure]
    if frame.empty:
        return pd.DataFrame()
    # One figure per country and year (the first, as pivot_table's "first" would take, but several times faster).
    wide = frame.drop_duplicates(["iso3", "year"]).pivot(index="iso3", columns="year", values="value")
    wide = wide.astype(float).where(lambda v: v > 0)
    return wide.reindex(columns=range(int(wide.columns.min()), int(wide.columns.max()) + 1))


def _log_growth(level: pd.Series) -> pd.Series:
    """ln(x_t / x_{t-1}) for consecutive years; NaN where either year is missing."""
    return np.log(level / level.shift(1))


def _excess(growth: pd.Series) -> pd.Series:
    """Each year's log growth minus the median of the (up to) two years either side; NaN with fewer than two."""
    out = {}
    years = list(growth.index)
    for position, year in enumerate(years):
        if pd.isna(growth[year]):
            out[year] = np.nan
            continue
        around = [growth[years[i]] for i in range(max(0, position - 2), min(len(years), position + 3))
                  if i != position and pd.notna(growth[years[i]])]
        out[year] = growth[year] - float(np.median(around)) if len(around) >= 2 else np.nan
    return pd.Series(out, dtype=float)


def _high_inflation_around(price_growth: pd.Series, year: int) -> bool:
    """True when the price index grew more than :data:`HYPERINFLATION` in a year within two of ``year``.

    In such years annual-average prices and exchange rates part ways for real, so a jump says nothing.
    """
    near = [price_growth.get(y) for y in range(year - 2, year + 3) if y != year]
    return any(pd.notna(g) and g > math.log(HYPERINFLATION) for g in near)


def _release_info(frame: pd.DataFrame) -> tuple[int, str, str, int]:
    release = int(frame["release"].iloc[0])
    edition = str(frame["edition"].iloc[0])
    constant = sorted(m for m in frame["measure"].astype(str).unique() if m.startswith("constant_usd_"))
    if len(constant) != 1:
        raise ValueError(f"milex, {edition}: expected one constant-dollar measure, found {constant or 'none'}")
    return release, edition, constant[0], int(constant[0][-4:])


def _row(frame: pd.DataFrame, code: str, measure: str, first: int, last: int, break_year: int | None, check: str,
         factor: float, finding: str) -> dict[str, Any]:
    release, edition = int(frame["release"].iloc[0]), str(frame["edition"].iloc[0])
    return {"release": release, "edition": edition, "iso3": code, "country": countries.name_of(code),
            "measure": measure, "first_year": int(first), "last_year": int(last),
            "break_year": None if break_year is None else int(break_year), "check": check,
            "factor": round(float(factor), 4), "finding": finding, "source_id": f"sipri_milex_{release}"}


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def _fold(factor: float) -> str:
    """1.94 -> "1.94 times"; 0.70 -> "0.70 times (a fall of 30%)"."""
    return f"{factor:.2f} times" if factor >= 1 else f"{factor:.2f} times (a fall of {1 - factor:.0%})"


# --------------------------------------------------------------------------------------------- single release


def check_price_chain(release: pd.DataFrame, local_currency: pd.DataFrame) -> list[dict[str, Any]]:
    """Broken links in the constant-dollar series of one release (rule in the module docstring).

    ``release``: the ``milex`` rows of ONE release (needs its constant and current US$ measures);
    ``local_currency``: :func:`read_local_currency` of the same workbook. One finding per suspect block.
    """
    _, _, measure, base = _release_info(release)
    constant, current = _wide(release, "constant_usd"), _wide(release, "current_usd")
    local = _wide(local_currency.assign(measure="local"), "local")
    findings = []
    for code in constant.index:
        if code not in current.index or code not in local.index:
            continue
        years = constant.columns
        prices = (local.loc[code].reindex(years) / constant.loc[code])
        rates = (local.loc[code].reindex(years) / current.loc[code].reindex(years))
        price_growth, rate_growth = _log_growth(prices), _log_growth(rates)
        price_excess, rate_excess = _excess(price_growth), _excess(rate_growth)
        unexplained = price_excess - rate_excess
        breaks = [year for year in years
                  if abs(price_excess.get(year, np.nan)) > PRICE_JUMP and abs(unexplained.get(year, np.nan)) > PRICE_JUMP
                  and np.sign(price_excess[year]) == np.sign(unexplained[year])
                  and not _high_inflation_around(price_growth, year)]
        if not breaks:
            continue
        have = [int(y) for y in years if pd.notna(constant.loc[code, y])]
        # Blocks between breaks; each block's factor relative to the block holding the price-base year.
        edges = [min(have)] + breaks + [max(have) + 1]
        blocks = [(edges[i], edges[i + 1] - 1) for i in range(len(edges) - 1)]
        # The log level of each block's price index, relative to the first block: the sum of the breaks before it.
        levels = list(np.concatenate([[0.0], np.cumsum([unexplained[year] for year in breaks])]))
        anchor = next((i for i, (a, b) in enumerate(blocks) if a <= base <= b), len(blocks) - 1)
        for index, (first, last) in enumerate(blocks):
            factor = math.exp(levels[index] - levels[anchor])
            # Constant dollars = local currency / price index: a price index too LOW makes the figures too HIGH.
            value_factor = 1 / factor
            if abs(math.log(value_factor)) <= math.log(BLOCK_FACTOR):
                continue
            years_with_data = [y for y in have if first <= y <= last]
            if not years_with_data:
                continue
            first, last = min(years_with_data), max(years_with_data)
            # The break that separates this block from the price-base block (the one nearer to it).
            cut = breaks[index] if index < anchor else breaks[index - 1]
            jump = math.exp(price_growth[cut])
            rate = math.exp(rate_growth[cut])
            near = [math.exp(price_growth[y]) for y in range(cut - 2, cut + 3)
                    if y != cut and y in price_growth.index and pd.notna(price_growth[y])]
            finding = (
                f"the price index implied by local currency and {measure} moves {_fold(jump)} from {cut - 1} to "
                f"{cut} (neighbouring years {min(near):.2f}-{max(near):.2f}) while the exchange rate moves "
                f"{rate:.2f} times: a broken link in the deflator chain, not inflation; the {measure} figures for "
                f"{_span(first, last)} look {_fold(value_factor)} what the rest of the series implies"
            )
            findings.append(_row(release, code, measure, first, last, cut, "price_chain", value_factor, finding))
    return findings


def check_share_of_gdp(release: pd.DataFrame, gdp: pd.DataFrame | None,
                       local_currency: pd.DataFrame | None = None) -> list[dict[str, Any]]:
    """Years whose share of GDP disagrees with current US$ / World Bank GDP by more than :data:`SHARE_FACTOR`.

    ``gdp``: the ``gdp`` table (``country``, ``year``, ``value`` in current US$). High-inflation years (implied
    price index up by more than :data:`HYPERINFLATION`, known only when ``local_currency`` is given) are skipped.
    Consecutive flagged years form one finding.
    """
    if gdp is None or gdp.empty:
        return []
    share, current = _wide(release, "share_gdp"), _wide(release, "current_usd")
    world_bank = gdp.pivot_table(index="country", columns="year", values="value", aggfunc="first") / 1e6
    constant = _wide(release, "constant_usd")
    local = _wide(local_currency.assign(measure="local"), "local") if local_currency is not None else None
    findings = []
    for code in share.index:
        if code not in current.index or code not in world_bank.index:
            continue
        implied = current.loc[code] / world_bank.loc[code].reindex(current.columns)
        ratio = share.loc[code].reindex(current.columns) / implied
        inflation = pd.Series(1.0, index=ratio.index)  # without local currency every year is judged
        if local is not None and code in local.index and code in constant.index:
            inflation = np.exp(_log_growth(local.loc[code].reindex(constant.columns) / constant.loc[code]))
            inflation = inflation.reindex(ratio.index)
        # Years of high or unknown inflation (the first year of a series included) are not judged.
        off = [int(y) for y in ratio.index if pd.notna(ratio[y]) and abs(math.log(ratio[y])) > math.log(SHARE_FACTOR)
               and pd.notna(inflation.get(y)) and inflation.get(y) <= HYPERINFLATION]
        for first, last in table_changes.year_runs(off):
            worst = max(range(first, last + 1), key=lambda y: abs(math.log(ratio[y])))
            finding = (
                f"SIPRI's share of GDP is {_fold(ratio[worst])} its own current US$ over World Bank GDP in {worst} "
                f"({share.loc[code, worst]:.2%} against {implied[worst]:.2%})"
                + (f"; {_span(first, last)} all disagree by more than {SHARE_FACTOR:g} times" if first != last else "")
            )
            row = _row(release, code, "share_gdp", first, last, None, "share_of_gdp", ratio[worst], finding)
            findings.append(dict(row, source_id=f"{row['source_id']};{GDP_SOURCE}"))
    return findings


def check_copied_rows(release: pd.DataFrame, gdp: pd.DataFrame | None = None) -> list[dict[str, Any]]:
    """Rows holding another treaty party's figures (:data:`COPIED_RUN` or more identical values in a row).

    Which of the two is the copy: the one whose figures disagree with its own other measures (for ``share_gdp``,
    with current US$ / World Bank GDP); if that cannot tell, both are reported.
    """
    findings = []
    for measure in sorted(release["measure"].astype(str).unique()):
        wide = _wide(release, measure)
        codes = list(wide.index)
        years = list(wide.columns)
        shifts = range(-COPIED_MAX_SHIFT, COPIED_MAX_SHIFT + 1)
        same = {shift: _equal_figures(wide, shift) for shift in shifts}
        for position, a in enumerate(codes):
            for b_position in range(position + 1, len(codes)):
                b = codes[b_position]
                for shift in shifts:
                    flags = same[shift][position, b_position]
                    if flags.sum() < COPIED_RUN:  # most pairs: too few equal figures at all
                        continue
                    run = _longest_run(years, flags)
                    if run is None or run[1] - run[0] + 1 < COPIED_RUN:
                        continue
                    copy, original, offset = _which_is_the_copy(release, gdp, measure, a, b, shift, run)
                    for code, other, sign in ((copy, original, offset),) if copy else ((a, b, shift), (b, a, -shift)):
                        first, last = (run[0], run[1]) if code == a else (run[0] + shift, run[1] + shift)
                        finding = (
                            f"{_span(first, last)}: the {last - first + 1} figures are identical, digit for digit, "
                            f"to {countries.name_of(other)}'s {_span(first + sign, last + sign)}"
                            + (f" (shifted by {abs(sign)} years)" if sign else "")
                            + ": a row holding another state's figures"
                        )
                        row = _row(release, code, measure, first, last, None, "copied_row", 1.0, finding)
                        # World Bank GDP told which row is the copy: cite it too.
                        findings.append(dict(row, source_id=f"{row['source_id']};{GDP_SOURCE}") if copy else row)
    return findings


def _equal_figures(wide: pd.DataFrame, shift: int) -> np.ndarray:
    """``same[i, j, k]``: state i's figure for year k equals state j's for year k + ``shift`` (both present).

    Every pair at once, as arrays: this runs for every measure and shift. Equal means equal to 1e-12 relative, as
    ``math.isclose``; a missing figure is never equal to anything.
    """
    mine = wide.to_numpy(dtype=float)
    theirs = wide.reindex(columns=[year + shift for year in wide.columns]).to_numpy(dtype=float)
    a, b = mine[:, None, :], theirs[None, :, :]
    return np.abs(a - b) <= 1e-12 * np.maximum(np.abs(a), np.abs(b))


def _longest_run(years: list[int], flags: np.ndarray) -> tuple[int, int] | None:
    """(first, last) year of the longest run of consecutive True flags; None if no flag is True."""
    best, start = None, None
    for year, flag in zip(years, flags.tolist()):
        if not flag:
            start = None
            continue
        start = year if start is None else start
        if best is None or year - start > best[1] - best[0]:
            best = (start, year)
    return best


def _which_is_the_copy(release, gdp, measure, a, b, shift, run) -> tuple[str | None, str | None, int]:
    """For a copied ``share_gdp`` run: the state whose shares there disagree more with current US$ / GDP."""
    if measure != "share_gdp" or gdp is None or gdp.empty:
        return None, None, 0
    share, current = _wide(release, "share_gdp"), _wide(release, "current_usd")
    world_bank = gdp.pivot_table(index="country", columns="year", values="value", aggfunc="first") / 1e6

    def disagreement(code: str, years: range) -> float:
        if code not in current.index or code not in world_bank.index:
            return math.nan
        ratio = share.loc[code].reindex(years) / (current.loc[code].reindex(years)
                                                  / world_bank.loc[code].reindex(years))
        return float(np.nanmedian(np.abs(np.log(ratio.astype(float))))) if ratio.notna().any() else math.nan

    off_a = disagreement(a, range(run[0], run[1] + 1))
    off_b = disagreement(b, range(run[0] + shift, run[1] + shift + 1))
    if pd.isna(off_a) or pd.isna(off_b) or abs(off_a - off_b) < math.log(BLOCK_FACTOR):
        return None, None, 0
    return (a, b, shift) if off_a > off_b else (b, a, -shift)


# --------------------------------------------------------------------------------------------- two releases


def compare_releases(older: pd.DataFrame, newer: pd.DataFrame, older_local: pd.DataFrame | None = None,
                     newer_local: pd.DataFrame | None = None) -> list[dict[str, Any]]:
    """Blocks of years where two releases' constant-dollar series differ by more than a new price base explains.

    Both frames are ``milex`` rows of one release each, with their constant and current US$ measures; the
    ``*_local`` frames (:func:`read_local_currency`) are optional. The newer release is converted to the older
    price base with its own current/constant ratio in that year (as :func:`utils.write.importers.sipri_milex.rebase`
    does), and its revision of local currency is divided out (measured on local currency when both are given,
    else on current US$, which carries the same revision); what remains should be 1 in every year.

    A finding is attributed to the release whose own constant/current ratio jumps at the edge of the block (the
    one with the broken link); its ``release`` column says which.
    """
    from utils.write.importers import sipri_milex

    _, old_edition, old_measure, old_base = _release_info(older)
    _, new_edition, new_measure, _ = _release_info(newer)
    if _wide(older, "current_usd").empty or _wide(newer, "current_usd").empty:
        return []
    rebased, _ = sipri_milex.rebase(newer, old_base)
    same_base = _wide(rebased, "constant_usd")
    old_constant, new_constant = _wide(older, "constant_usd"), _wide(newer, "constant_usd")
    if older_local is not None and newer_local is not None:
        revision = (_wide(newer_local.assign(measure="local"), "local")
                    / _wide(older_local.assign(measure="local"), "local"))
        revised_on = "local currency"
    else:
        revision = _wide(newer, "current_usd") / _wide(older, "current_usd")
        revised_on = "current US$"
    findings = []
    for code in same_base.index.intersection(old_constant.index).intersection(revision.index):
        years = old_constant.columns.intersection(same_base.columns).intersection(revision.columns)
        left = (same_base.loc[code, years] / old_constant.loc[code, years]) / revision.loc[code, years]
        off = [int(y) for y in years if pd.notna(left[y]) and abs(math.log(left[y])) > math.log(BLOCK_FACTOR)]
        change = new_constant.loc[code].reindex(years) / old_constant.loc[code, years]
        for first, last in table_changes.year_runs(off):
            block = [y for y in range(first, last + 1) if pd.notna(change[y])]
            rest = [y for y in years if (y < first or y > last) and pd.notna(change[y]) and pd.notna(left[y])]
            if not block or not rest:
                continue
            factor = float(np.median(left.loc[first:last].dropna()))
            break_year = last + 1 if last < max(rest) else first
            # Which release holds the break: the one whose constant/current ratio jumps there.
            jumps = {}
            for name, frame in (("older", older), ("newer", newer)):
                ratio = _wide(frame, "constant_usd").loc[code] / _wide(frame, "current_usd").loc[code]
                jumps[name] = abs(_excess(_log_growth(ratio.reindex(years))).get(break_year, 0.0) or 0.0)
            culprit, other_edition = (newer, old_edition) if jumps["newer"] >= jumps["older"] else (older, new_edition)
            if max(jumps.values()) <= PRICE_JUMP:
                continue  # neither release's constant/current ratio breaks there: a revision of current US$
            finding = (
                f"between the {old_edition[-4:]} and {new_edition[-4:]} releases the constant-US$ series changes "
                f"{float(np.median(change[block])):.2f} times for {_span(first, last)} but "
                f"{float(np.median(change[rest])):.2f} times for the other years, which {revised_on} does not "
                f"explain: one factor for a block of years and another for the rest; the "
                f"{_release_info(culprit)[1][-4:]} release's constant/current ratio jumps at the edge "
                f"(block off by {_fold(factor if culprit is newer else 1 / factor)} against the "
                f"{other_edition[-4:]} release)"
            )
            measure = new_measure if culprit is newer else old_measure
            findings.append(_row(culprit, code, measure, first, last, break_year, "between_releases",
                                 factor if culprit is newer else 1 / factor, finding))
    return findings


# --------------------------------------------------------------------------------------------- the table


def check_release(release: pd.DataFrame, local_currency: pd.DataFrame | None, gdp: pd.DataFrame | None = None,
                  older: pd.DataFrame | None = None, older_local: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every check on one release: a ``milex_suspicions`` frame (possibly empty).

    ``release``: the ``milex`` rows of one release as the importer reads them; ``local_currency``:
    :func:`read_local_currency` of its workbook (None skips the price-chain check); ``gdp``: the ``gdp`` table
    (None skips the share check); ``older``: the rows of an older release with current US$ (None skips the
    comparison between releases; ``older_local`` is its local currency, if known). Findings of the comparison
    that concern the older release are kept too (their ``release`` column says so).
    """
    rows: list[dict[str, Any]] = []
    if local_currency is not None:
        rows += check_price_chain(release, local_currency)
    rows += check_share_of_gdp(release, gdp, local_currency)
    rows += check_copied_rows(release, gdp)
    if older is not None:
        rows += compare_releases(older, release, older_local, local_currency)
    return tidy(pd.DataFrame(rows, columns=COLUMNS))


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical dtypes and order: newest release first, then country, measure, first year, check."""
    frame = frame[COLUMNS].copy()
    for column in ("release", "first_year", "last_year", "break_year"):
        frame[column] = frame[column].astype("Int64")
    frame["factor"] = frame["factor"].astype("float64")
    frame = frame.assign(_release=-frame["release"].astype("float64"))
    frame = frame.sort_values(["_release", "iso3", "measure", "first_year", "check"], kind="stable")
    return frame.drop(columns="_release").reset_index(drop=True)


def report_lines(suspicions: pd.DataFrame) -> list[str]:
    """One line per finding for the change report, each with the words "suspected error"."""
    lines = []
    for row in suspicions.itertuples(index=False):
        year = (f"{int(row.break_year) - 1}/{int(row.break_year)}" if pd.notna(row.break_year)
                else _span(int(row.first_year), int(row.last_year)))
        lines.append(f"  suspected error: {row.country}, {row.measure}, {year} ({row.edition[-4:]} release): "
                     f"{row.finding}.")
    return lines


def build_descriptor(provenance: dict[str, Any]) -> dict[str, Any]:
    """The ``milex_suspicions`` descriptor (``hash`` and ``bytes`` are added by the caller)."""
    parties = list(countries.TREATY_PARTIES)
    return {
        "name": TABLE,
        "path": f"{TABLE}.csv",
        "title": "Suspected errors in the SIPRI military expenditure releases (consistency checks)",
        "description": (
            "Findings of the consistency checks run on each SIPRI Military Expenditure release when it is imported "
            "(utils/write/importers/consistency.py): one row per suspect block of figures, naming the release, state, "
            "measure and years affected, the check that found it, the size of the break and what was found. The "
            "figures in milex.csv stay as SIPRI published them; this table says which of them not to trust. "
            "check: price_chain (the price index implied by local currency and constant US$ jumps in a year that "
            "neither its neighbours nor the exchange rate show: a broken link in the deflator chain); share_of_gdp "
            "(share of GDP against current US$ over World Bank GDP); copied_row (the row holds another state's "
            "figures); between_releases (one factor for a block of years and another for the rest between two "
            "releases)."
        ),
        "profile": "tabular-data-resource",
        "format": "csv",
        "encoding": "utf-8",
        "mediatype": "text/csv",
        "schema": {
            "fields": [
                {"name": "release", "type": "integer", "description": "Year SIPRI published the release checked",
                 "constraints": {"required": True, "minimum": 1990}},
                {"name": "edition", "type": "string", "description": "The release, as SIPRI asks it to be cited "
                 "(matches the edition column of milex)",
                 "constraints": {"required": True, "pattern": "^SIPRI Military Expenditure Database [0-9]{4}$"}},
                {"name": "iso3", "type": "string", "description": "ISO 3166-1 alpha-3 code of the state",
                 "constraints": {"required": True, "enum": parties}},
                {"name": "country", "type": "string", "description": "Display name",
                 "constraints": {"required": True, "enum": [countries.name_of(c) for c in parties]}},
                {"name": "measure", "type": "string", "description": "The milex measure whose figures are suspect",
                 "constraints": {"required": True,
                                 "pattern": "^(constant_usd_[0-9]{4}|current_usd|share_gdp|share_govt|per_capita)$"}},
                {"name": "first_year", "type": "integer", "description": "First year of the suspect figures",
                 "constraints": {"required": True, "minimum": 1992}},
                {"name": "last_year", "type": "integer", "description": "Last year of the suspect figures",
                 "constraints": {"required": True, "minimum": 1992}},
                {"name": "break_year", "type": "integer",
                 "description": "For a break in a series: the year after the break (the break lies between "
                                "break_year - 1 and break_year); empty for the other checks",
                 "constraints": {"minimum": 1992}},
                {"name": "check", "type": "string", "description": "The check that found it",
                 "constraints": {"required": True, "enum": list(CHECKS)}},
                {"name": "factor", "type": "number",
                 "description": "Size of the break: how many times the suspect figures are what the rest of the "
                                "release implies (price_chain, between_releases) or SIPRI's share over current "
                                "US$ / World Bank GDP in the worst year (share_of_gdp); 1 for copied_row",
                 "unit": "ratio", "constraints": {"required": True, "minimum": 0}},
                {"name": "finding", "type": "string", "description": "What was found, in words",
                 "constraints": {"required": True}},
                {"name": "source_id", "type": "string",
                 "description": "The release in the sources table, and the World Bank GDP series (wb_gdp) where the "
                                "finding rests on it (';'-separated)",
                 "constraints": {"required": True, "pattern": f"^sipri_milex_[0-9]{{4}}(;{GDP_SOURCE})?$"}},
            ],
            "primaryKey": ["release", "iso3", "measure", "first_year", "check"],
            "missingValues": [""],
        },
        "licenses": sipri_milex.LICENSES,  # SIPRI's figures, so SIPRI's terms
        "provenance": provenance,
    }


# --------------------------------------------------------------------------------------------- refresh


def provenance_for(milex_provenance: dict[str, Any]) -> dict[str, Any]:
    """The ``milex_suspicions`` provenance, derived from the ``milex`` one (same releases, builder, retrieval)."""
    return {
        "source": "Consistency checks (utils/write/importers/consistency.py) run on the SIPRI Military Expenditure "
                  "releases of milex.csv while they were imported, reading each workbook's local-currency, "
                  "constant-US$, current-US$ and share-of-GDP sheets, and World Bank GDP (gdp.csv) for the "
                  "share check",
        "source_id": list(milex_provenance.get("source_id", [])) + [GDP_SOURCE],
        "edition": milex_provenance.get("edition"),
        "retrieved": milex_provenance.get("retrieved"),
        "thresholds": {"PRICE_JUMP": PRICE_JUMP, "BLOCK_FACTOR": BLOCK_FACTOR, "SHARE_FACTOR": SHARE_FACTOR,
                       "HYPERINFLATION": HYPERINFLATION, "COPIED_RUN": COPIED_RUN},
        "licence_terms": milex_provenance.get("licence_terms"),
        "builder": milex_provenance.get("builder"),
        "notebooks": list(milex_provenance.get("notebooks", [])),
    }


def refresh_findings(
    new: pd.DataFrame,
    new_path: Path,
    gdp: pd.DataFrame | None,
    comparison: tuple[pd.DataFrame, Path] | None = None,
    kept: pd.DataFrame | None = None,
    previous_newest: pd.DataFrame | None = None,
    newer: pd.DataFrame | None = None,
    local_currency: Callable[[Path], pd.DataFrame] | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """The suspicions to record with a milex refresh, and the change-report lines about them.

    ``new``: the release being imported (from ``new_path``); ``comparison``: the older release's full rows and
    workbook when ``--comparison`` is given (checked the same way); ``kept``: the suspicion rows recorded for a
    comparison release kept from the data (its workbook is not at hand); ``previous_newest``: the release the new
    one replaces, as stored in the data (compared with it between releases); ``newer``: a newer release in the
    data when the file is an older one (compared with it; nothing is installed then). ``local_currency`` reads a
    workbook's local-currency sheet (default :func:`read_local_currency`; a refresh passes the sheets it read before
    planning, so that planning again does not open the workbooks again).
    """
    from utils.write.importers import SourceFormatError

    read_local = local_currency or read_local_currency
    skipped = []

    def local_currency_of(path: Path) -> pd.DataFrame | None:
        # The checks are advice on data SIPRI publishes: a workbook whose local-currency sheet cannot be read is
        # still installed, and the report says which check could not run.
        try:
            return read_local(path)
        except SourceFormatError as error:
            skipped.append(f"  price-chain check skipped for {Path(path).name}: {error.problem} "
                           f"(sheet '{error.sheet or LOCAL_CURRENCY_SHEET}').")
            return None

    local = local_currency_of(new_path)
    frames = [check_release(new, local, gdp)]
    releases = {int(new["release"].iloc[0])}
    older_local = None
    if comparison is not None:
        older, older_path = comparison
        older_local = local_currency_of(older_path)
        frames.append(check_release(older, older_local, gdp))
        frames.append(_between(older, new, older_local, local))
        releases.add(int(older["release"].iloc[0]))
    elif kept is not None and len(kept):
        frames.append(kept[COLUMNS])
        releases.update(int(r) for r in kept["release"].unique())
    if previous_newest is not None and len(previous_newest):
        frames.append(_between(previous_newest, new, None, None))
    if newer is not None and len(newer):
        frames.append(_between(new, newer, None, None))
        releases.add(int(newer["release"].iloc[0]))
    found = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) else None
    if found is None:
        found = pd.DataFrame(columns=COLUMNS)
    found = found[found["release"].astype(int).isin(releases)] if len(found) else found
    found = tidy(found.drop_duplicates(subset=["release", "iso3", "measure", "first_year", "check"]))
    edition = str(new["edition"].iloc[0])
    mine = found[found["release"] == int(new["release"].iloc[0])]
    compared = comparison is not None or previous_newest is not None or newer is not None
    lines = ["", f"Consistency checks of the {edition[-4:]} release (price chain, share of GDP, copied rows"
                 + (", between releases" if compared else "") + "):"]
    lines += skipped
    if gdp is None:
        lines.append("  share-of-GDP check skipped: the data folder has no gdp table.")
    if mine.empty:
        lines.append("  no suspected error: every treaty party's series is consistent.")
    else:
        lines += report_lines(mine)
        lines.append(f"  The figures are installed as SIPRI published them; the table {TABLE} records these "
                     "suspicions, and the lessons mark the figures they affect.")
    others = found[found["release"] != int(new["release"].iloc[0])]
    for release in sorted(others["release"].unique(), reverse=True) if len(others) else []:
        lines.append(f"Suspicions about the {int(release)} release:")
        lines += report_lines(others[others["release"] == release])
    return found, lines


def _between(older, newer, older_local, newer_local) -> pd.DataFrame:
    return pd.DataFrame(compare_releases(older, newer, older_local, newer_local), columns=COLUMNS)
