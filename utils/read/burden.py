"""Burden-sharing in alliances: Olson and Zeckhauser's rank test and the largest member's shares.

Olson and Zeckhauser ("An Economic Theory of Alliances", 1966) predicted that in an alliance sharing a public good
(deterrence) the members with the larger economies carry a heavier burden: a positive rank correlation between
members' GDP and their military spending as a share of GDP. This module holds the one definition of that test used
both by the importer (which computes it for every year while reading SIPRI's workbook) and by lesson 09:

* :func:`rank_correlation` -- Spearman's rho: Pearson's correlation of the two variables' ranks (ties share the
  average rank, as in :func:`scipy.stats.spearmanr`);
* :func:`permutation_p_value` -- how often a random pairing of the same values correlates at least as strongly:
  one-sided (the theory predicts a *positive* correlation), exact for up to :data:`EXACT_UP_TO` members, otherwise
  estimated from :data:`PERMUTATIONS` seeded random pairings;
* :func:`critical_rho` -- the smallest rho that is significant for a sample of n members (about 0.83 for six);
* :func:`year_summary` -- one alliance-year: members with data, the largest member's share of the members'
  spending and of their GDP, rho and its p-value.

Nothing here reads files or draws; the functions take plain sequences or DataFrames.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

#: Up to this many members the p-value is exact: every one of the n! pairings is tried (8! = 40,320).
EXACT_UP_TO = 8

#: Random pairings drawn above EXACT_UP_TO members, from a fixed seed so that a re-import reproduces the table byte
#: for byte. With 10,000 the estimate of a p-value near 0.05 is good to about 0.002 (one standard error).
PERMUTATIONS = 10_000

#: Seed of the random pairings: the year Olson and Zeckhauser published.
SEED = 1966

#: Comparisons of correlations allow for floating-point noise (a pairing that ties the observed rho counts).
_TOLERANCE = 1e-9


def ranks(values: Sequence[float]) -> np.ndarray:
    """Ranks from 1 (smallest) to n; tied values share the average of their ranks (as ``Series.rank()`` does)."""
    values = np.asarray(values, dtype=float)
    order = values.argsort(kind="stable")
    _, first, counts = np.unique(values[order], return_index=True, return_counts=True)
    result = np.empty(len(values))
    result[order] = np.repeat(first + (counts + 1) / 2, counts)   # tied ranks first+1 .. first+count, averaged
    return result


def rank_correlation(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rank correlation of two equally long sequences (NaN when either has no spread)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"expected two sequences of the same length; got {x.shape} and {y.shape}")
    if len(x) < 2:
        return float("nan")
    rx, ry = ranks(x), ranks(y)
    rx, ry = rx - rx.mean(), ry - ry.mean()
    spread = math.sqrt((rx @ rx) * (ry @ ry))
    return float(rx @ ry / spread) if spread > 0 else float("nan")


@functools.lru_cache(maxsize=64)
def _pairings(n: int, permutations: int, seed: int) -> tuple[np.ndarray, bool]:
    """Row i is one re-pairing of n members (an ordering of 0..n-1): all n! of them up to EXACT_UP_TO members,
    else ``permutations`` random ones drawn from ``seed``; and whether the set is exhaustive.

    Remembered per n: a refresh tests about a hundred alliance-years with some twenty different member counts,
    and each test is valid on its own whichever random pairings it shares with another year.
    """
    if n <= EXACT_UP_TO:
        return np.array(list(itertools.permutations(range(n)))), True
    keys = np.random.default_rng(seed).random((permutations, n))
    return keys.argsort(axis=1), False


def _pairing_correlations(x: Sequence[float], y: Sequence[float], permutations: int, seed: int):
    """Rho of the observed pairing, the rho of every re-pairing (:func:`_pairings`), and whether exact."""
    rx, ry = ranks(x), ranks(y)
    rx, ry = rx - rx.mean(), ry - ry.mean()
    spread = math.sqrt((rx @ rx) * (ry @ ry))
    observed = float(rx @ ry / spread)
    orders, exact = _pairings(len(rx), permutations, seed)
    # The spread of the ranks does not change when they are re-paired, so one division serves every pairing.
    return observed, ry[orders] @ rx / spread, exact


def permutation_p_value(x: Sequence[float], y: Sequence[float], permutations: int = PERMUTATIONS,
                        seed: int = SEED) -> float:
    """One-sided p-value of Spearman's rho against "no association": the chance that a random pairing of the
    same values gives a rho at least as large as the observed one.

    Exact (all n! pairings) for n <= :data:`EXACT_UP_TO`; otherwise ``(k + 1) / (permutations + 1)`` where k of
    ``permutations`` seeded random pairings reach the observed rho (the observed pairing counts as one of them, so
    the estimate is never 0). NaN when fewer than three members or when either variable has no spread.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) != len(y):
        raise ValueError(f"expected two sequences of the same length; got {len(x)} and {len(y)}")
    if len(x) < 3 or np.isnan(rank_correlation(x, y)):
        return float("nan")
    observed, paired, exact = _pairing_correlations(x, y, permutations, seed)
    reached = int(np.count_nonzero(paired >= observed - _TOLERANCE))
    return reached / len(paired) if exact else (reached + 1) / (len(paired) + 1)


def critical_rho(n: int, alpha: float = 0.05) -> float:
    """The smallest rho whose exact one-sided p-value is at most ``alpha`` for n members without ties
    (n <= :data:`EXACT_UP_TO`): with six members, 0.829."""
    if not 3 <= n <= EXACT_UP_TO:
        raise ValueError(f"exact critical values are computed for 3 to {EXACT_UP_TO} members; got {n}")
    base = np.arange(1.0, n + 1)
    centred = base - base.mean()
    rhos = np.array(list(itertools.permutations(centred))) @ centred / (centred @ centred)
    values = np.unique(np.round(rhos, 9))
    tail = [(rho, np.count_nonzero(rhos >= rho - _TOLERANCE) / len(rhos)) for rho in values]
    significant = [rho for rho, p in tail if p <= alpha]
    return float(min(significant)) if significant else float("nan")


def implied_gdp(current_usd: pd.Series, share_gdp: pd.Series) -> pd.Series:
    """GDP implied by SIPRI's own figures: spending in current US$ divided by spending as a share of GDP
    (same unit as ``current_usd``); NaN where the share is missing or zero."""
    return current_usd / share_gdp.where(share_gdp > 0)


def year_summary(members: pd.DataFrame) -> dict:
    """The burden test for one alliance-year.

    ``members`` has one row per member: ``iso3``, ``current_usd`` (any money unit) and ``share_gdp`` (a fraction),
    either possibly missing. Returns ``members_with_data`` (members with both figures), ``largest_member`` (the
    biggest spender), its ``largest_share_of_spending`` (per cent of the spending of every member with a spending
    figure) and ``largest_share_of_gdp`` (per cent of the GDP of the members with both figures, GDP implied as
    spending / share of GDP), ``spearman_rho`` (GDP against share of GDP, members with both figures) and its
    one-sided ``p_value``.
    """
    return summary_of_arrays(members["iso3"].to_numpy(), members["current_usd"].to_numpy(dtype=float),
                             members["share_gdp"].to_numpy(dtype=float))


def summary_of_arrays(codes: np.ndarray, spending: np.ndarray, share: np.ndarray) -> dict:
    """:func:`year_summary` on plain arrays (the importer tests a hundred alliance-years this way, quickly)."""
    with_spending = ~np.isnan(spending)
    both = with_spending & ~np.isnan(share) & (np.nan_to_num(share) > 0)
    largest = int(np.nanargmax(np.where(with_spending, spending, -np.inf)))
    gdp = spending[both] / share[both]
    largest_gdp = spending[largest] / share[largest] if both[largest] else float("nan")
    return {
        "members_with_data": int(both.sum()),
        "largest_member": str(codes[largest]),
        "largest_share_of_spending": float(100 * spending[largest] / spending[with_spending].sum()),
        "largest_share_of_gdp": float(100 * largest_gdp / gdp.sum()),
        "spearman_rho": rank_correlation(gdp, share[both]),
        "p_value": permutation_p_value(gdp, share[both]),
    }
