"""The burden-sharing test (utils.read.burden): Spearman's rho and its one-sided permutation p-value.

Checked three ways: against scipy (spearmanr for rho, permutation_test for the p-value), against an example worked
by hand, and against the exact critical values of Spearman's rho that tables print (0.9 for five, 0.829 for six).
"""

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from utils.read import burden


def _rho(x, y):
    return stats.spearmanr(x, y).statistic


def _rho_against(y):
    """Spearman's rho of each row of ``a`` with ``y``, for scipy.stats.permutation_test(vectorized=True): ranks by
    scipy's rankdata, checked against spearmanr below."""
    ry = stats.rankdata(y) - (len(y) + 1) / 2

    def statistic(a, axis=-1):
        ra = stats.rankdata(a, axis=axis)
        ra = ra - ra.mean(axis=axis, keepdims=True)
        return (ra @ ry) / np.sqrt((ra ** 2).sum(axis=axis) * (ry @ ry))

    return statistic


@pytest.mark.parametrize("seed", range(6))
def test_rho_equals_scipy_spearmanr_with_and_without_ties(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 32))
    x = rng.lognormal(size=n)
    y = x * rng.lognormal(sigma=0.8, size=n)
    y[: n // 4] = np.round(y[: n // 4], 0)          # some ties, ranked by their average rank
    x[-3:] = x[-1]
    assert burden.rank_correlation(x, y) == pytest.approx(_rho(x, y), abs=1e-12)


def test_average_ranks_of_ties_are_those_of_pandas():
    values = [3.0, 1.0, 3.0, 2.0, 3.0, 0.5]
    assert list(burden.ranks(values)) == list(pd.Series(values).rank())


def test_a_hand_worked_example():
    """Five members; ranks (1,2,3,4,5) against (2,1,4,3,5): d = (-1, 1, -1, 1, 0), sum of d squared = 4,
    rho = 1 - 6 * 4 / (5 * (25 - 1)) = 0.8. Pairings of five with a sum of d squared of at most 4: the identity,
    the 4 swaps of neighbours and the 3 pairs of disjoint neighbour swaps, 8 of 120: p = 8/120."""
    gdp, burden_share = [10, 20, 30, 40, 50], [0.02, 0.01, 0.04, 0.03, 0.05]
    assert burden.rank_correlation(gdp, burden_share) == pytest.approx(0.8)
    assert burden.permutation_p_value(gdp, burden_share) == pytest.approx(8 / 120)


def test_exact_p_value_equals_scipy_permutation_test():
    rng = np.random.default_rng(11)
    for n in (4, 6, 8):
        x, y = rng.normal(size=n), rng.normal(size=n)
        assert _rho_against(y)(x) == pytest.approx(_rho(x, y))
        exact = stats.permutation_test((x,), _rho_against(y), permutation_type="pairings", vectorized=True,
                                       alternative="greater", n_resamples=np.inf).pvalue
        assert burden.permutation_p_value(x, y) == pytest.approx(exact, abs=1e-9), n


def test_random_pairings_agree_with_scipy_within_sampling_error():
    rng = np.random.default_rng(3)
    x = rng.normal(size=20)
    y = 0.4 * x + rng.normal(size=20)
    ours = burden.permutation_p_value(x, y)
    theirs = stats.permutation_test((x,), _rho_against(y), permutation_type="pairings", alternative="greater",
                                    vectorized=True, n_resamples=20_000, rng=np.random.default_rng(4)).pvalue
    # Two Monte Carlo estimates (10,000 and 20,000 re-pairings): their difference has a standard error below 0.005.
    assert abs(ours - theirs) < 0.02
    assert burden.permutation_p_value(x, y) == ours, "seeded: the same value on every call"


def test_p_value_is_one_sided():
    x = [1, 2, 3, 4, 5, 6]
    assert burden.permutation_p_value(x, x) == pytest.approx(1 / 720)            # perfect agreement
    assert burden.permutation_p_value(x, x[::-1]) == pytest.approx(1.0)          # perfect disagreement: no evidence


@pytest.mark.parametrize("n, critical", [(4, 1.0), (5, 0.9), (6, 0.829), (7, 0.714), (8, 0.643)])
def test_critical_values_match_the_printed_tables(n, critical):
    assert burden.critical_rho(n) == pytest.approx(critical, abs=5e-4)


def test_critical_value_for_six_is_significant_and_the_next_one_down_is_not():
    values = np.arange(1, 7)
    rhos = [_rho(values, order) for order in itertools.permutations(values)]
    at = burden.critical_rho(6)
    assert np.mean(np.array(rhos) >= at - 1e-9) <= 0.05
    below = max(r for r in rhos if r < at - 1e-9)
    assert np.mean(np.array(rhos) >= below - 1e-9) > 0.05


def test_too_few_members_or_no_spread_give_no_p_value():
    assert np.isnan(burden.permutation_p_value([1, 2], [2, 1]))
    assert np.isnan(burden.permutation_p_value([1, 2, 3], [5, 5, 5]))
    with pytest.raises(ValueError):
        burden.rank_correlation([1, 2, 3], [1, 2])


def test_year_summary_of_a_small_alliance():
    members = pd.DataFrame({
        "iso3": ["AAA", "BBB", "CCC", "DDD"],
        "current_usd": [900.0, 50.0, 30.0, 20.0],
        "share_gdp": [0.03, 0.01, 0.02, None],     # DDD has no share: counted for spending, not for GDP or the test
    })
    result = burden.year_summary(members)
    assert result["largest_member"] == "AAA" and result["members_with_data"] == 3
    assert result["largest_share_of_spending"] == pytest.approx(90.0)
    gdp = {"AAA": 30_000, "BBB": 5_000, "CCC": 1_500}
    assert result["largest_share_of_gdp"] == pytest.approx(100 * 30_000 / sum(gdp.values()))
    # GDP ranks (3, 2, 1) against burden ranks (3, 1, 2): rho = 0.5
    assert result["spearman_rho"] == pytest.approx(0.5)
    assert result["p_value"] == pytest.approx(3 / 6)     # the two neighbour swaps tie at 0.5, with the identity
