"""Recompute the numeric claims of the two articles under review from the official tables, and grade each one.

The claims ledger (table ``claims``) records, for every claim of the two articles, a verdict reached by
reading sources. For the claims that official data can test, the ledger's ``checked_by`` column names a function
in this module. Each such function recomputes the claim from the tables (``milex``, ``arms_transfers``), grades it
with the rule below and returns a :class:`ClaimCheck`. :func:`check_claims` runs them all -- on ``data/`` or on
another data folder -- and says where the data's verdict and the ledger's verdict disagree, which is how a data
refresh reveals a claim whose verdict has changed::

    from utils.read import claims
    claims.milex_share_95_2020()            # one claim, with every computation behind its verdict
    claims.check_claims()                   # all of them, against the ledger
    claims.check_claims("/path/to/new/data")
    claims.check_scenarios()                # every computation behind every verdict, long form

The grading rule (the same for every claim)
-------------------------------------------
1. A claim is computed under several **scenarios**: every release of the data that covers it (``milex`` holds
   two SIPRI releases; ``arms_transfers`` is a single stitched series, so there each window is one scenario),
   and -- when the claim names no exact year or window -- each data year its author could have used (SIPRI
   publishes a year's figures the following spring, so an article of late 2020 could rest on 2019 or 2020 data;
   see :data:`DATA_YEARS`). These are the "as written" scenarios. Claims made in the present tense are also
   computed on the **latest** data (newest release, last year; or the table's last window).
2. Each scenario gets a grade. For a share: ``holds`` if it lies within the tolerance's ``holds`` band of the
   stated value, ``close`` if within its ``caveat`` band, else ``off``. The bands follow how precisely the article
   states the number (:data:`WHOLE_PERCENT` for "94 %": +/-1 and +/-5 percentage points, i.e. rounding plus a
   small revision margin; :data:`ROUND_ESTIMATE` for a hedged round figure such as "eighty percent, according to
   estimates": +/-5 and +/-10). For a yes/no statement ("Russia is the main supplier of every member"):
   ``holds`` if true in that scenario, else ``off``.
3. Verdict from the "as written" grades: ``holds`` if every scenario holds; ``holds with caveat`` if at least one
   holds or is close (the claim depends on the release, the year or the window); ``wrong`` if none does.
4. Then the latest grades, for present-tense claims that passed step 3: if none of them passes, the verdict is
   ``outdated`` (true when written, no longer); if they are mixed and step 3 gave ``holds``, it becomes
   ``holds with caveat``.

5. Suspected errors: a scenario that rests on a figure the release's own consistency checks suspect (table
   ``milex_suspicions``, see :mod:`utils.write.importers.consistency`) is shown with ``suspect`` true but left out of
   steps 3 and 4, so that a broken official series cannot decide a verdict. The verdict is also computed with
   those scenarios (``verdict_with_suspect``); ``suspect_note`` names them and says whether they would change it
   ("the verdict depends on suspect data"). When every scenario is suspect the verdict is ``unverifiable``.

Scenarios marked ``context`` (e.g. a neighbouring window) are shown for the reader and never change a verdict.
Claims that no scenario can compute (the data do not cover them) get ``unverifiable``.
"""

from __future__ import annotations

import inspect
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import pandas as pd

from utils import paths
from utils.read import countries, data, metrics
from utils.read.countries import CSTO_MEMBERS
from utils.read.vocabulary import ARTICLE_2017, ARTICLE_2020_21

#: The data years each article's author could have used for a claim stated without a year: the last one or two
#: years SIPRI could have published by then (it publishes a year's data the following spring). The 2020-21 article
#: dates from about late 2020 to mid-2021, so 2019 or 2020; the 2017 article from early 2017, so 2015 or 2016.
DATA_YEARS: dict[str, tuple[int, ...]] = {ARTICLE_2020_21: (2019, 2020), ARTICLE_2017: (2015, 2016)}

#: The verdict vocabulary shared with the ``claims`` table.
VERDICTS: tuple[str, ...] = ("holds", "holds with caveat", "outdated", "wrong", "unverifiable", "interpretive")

#: Length of SIPRI's customary comparison window for arms transfers, in years.
FIVE_YEARS = 5

#: Tables a check function may ask for, by parameter name.
TABLE_PARAMETERS = ("milex", "arms_transfers", "personnel", "milex_suspicions")

#: Of those, the tables a folder may lack: the check then runs without them (no recorded suspicion).
OPTIONAL_TABLES = ("milex_suspicions",)


@dataclass(frozen=True)
class Tolerance:
    """How far a recomputed value may lie from the stated one: ``holds`` band, then ``caveat`` band (same unit)."""

    holds: float
    caveat: float
    unit: str = "percentage points"


#: A share stated to the whole per cent ("94 %"): within 1 point holds (rounding plus small revisions), within 5
#: points is close.
WHOLE_PERCENT = Tolerance(holds=1.0, caveat=5.0)

#: A hedged round figure ("eighty percent, according to estimates"): read to the nearest ten, so within 5 points
#: holds and within 10 is close.
ROUND_ESTIMATE = Tolerance(holds=5.0, caveat=10.0)


@dataclass(frozen=True)
class ClaimCheck:
    """The outcome of recomputing one claim.

    ``computed`` is the headline figure (described by ``computed_label``); ``scenarios`` holds every computation
    behind the verdict, one row per scenario: ``when`` ("as written", "latest" or "context"), ``scenario``,
    ``data`` (the release, or how the arms figures of the window were made), ``value`` and ``grade``.
    """

    claim_id: str
    stated_value: str
    stated: float | None
    computed: float | None
    computed_label: str
    unit: str
    tolerance: float | None
    verdict: str
    rule: str
    scenarios: pd.DataFrame = field(repr=False)
    verdict_with_suspect: str | None = None
    suspect_note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The check as a plain dict (scenarios as a list of records)."""
        out = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "scenarios"}
        out["scenarios"] = self.scenarios.to_dict("records")
        return out

    def __str__(self) -> str:
        computed = "n/a" if self.computed is None or pd.isna(self.computed) else f"{self.computed:.1f}"
        lines = [
            f"{self.claim_id}: stated {self.stated_value}; computed {computed} {self.unit} ({self.computed_label})",
            f"  verdict: {self.verdict}  [{self.rule}]",
        ]
        for row in self.scenarios.itertuples():
            value = "n/a" if pd.isna(row.value) else f"{row.value:.1f}"
            mark = " (suspect data: not counted)" if getattr(row, "suspect", False) else ""
            lines.append(f"  - {row.when}: {row.scenario} [{row.data}]: {value} -> {row.grade}{mark}")
        if self.suspect_note:
            lines.append(f"  note: {self.suspect_note}")
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------- grading


def grade_value(value: float | None, stated: float, tolerance: Tolerance) -> str:
    """``holds``, ``close`` or ``off`` for one recomputed value; ``n/a`` when it could not be computed."""
    if value is None or pd.isna(value):
        return "n/a"
    gap = abs(float(value) - stated)
    # A hair of slack so that a value exactly on a band's edge is not lost to floating-point rounding.
    if gap <= tolerance.holds + 1e-9:
        return "holds"
    if gap <= tolerance.caveat + 1e-9:
        return "close"
    return "off"


def _combine(grades: Sequence[str]) -> str | None:
    graded = [g for g in grades if g != "n/a"]
    if not graded:
        return None
    if all(g == "holds" for g in graded):
        return "holds"
    if any(g in ("holds", "close") for g in graded):
        return "holds with caveat"
    return "wrong"


def verdict_from(as_written: Sequence[str], latest: Sequence[str] = ()) -> str:
    """The verdict from the grades of the "as written" and "latest" scenarios (rule in the module docstring)."""
    verdict = _combine(as_written)
    if verdict is None:
        return "unverifiable"
    now = _combine(latest)
    if verdict != "wrong" and now is not None:
        if now == "wrong":
            return "outdated"
        if now == "holds with caveat" and verdict == "holds":
            return "holds with caveat"
    return verdict


def _scenario_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["when", "scenario", "data", "value", "grade", "suspect"])
    return frame.astype({"value": float}).assign(suspect=frame["suspect"].astype("boolean").fillna(False).astype(bool))


def _verdicts(scenarios: pd.DataFrame) -> tuple[str, str, str]:
    """(verdict without the suspect scenarios, verdict with them, note) -- rule in the module docstring."""

    def verdict_of(rows: pd.DataFrame) -> str:
        return verdict_from(rows.loc[rows["when"] == "as written", "grade"].tolist(),
                            rows.loc[rows["when"] == "latest", "grade"].tolist())

    suspect = scenarios["suspect"] & scenarios["when"].isin(["as written", "latest"])
    trusted, everything = verdict_of(scenarios[~suspect]), verdict_of(scenarios)
    if not suspect.any():
        return trusted, everything, ""
    which = scenarios[suspect]
    listed = "; ".join(f"{r.scenario} [{r.data}]" + (f" ({r.suspect_what})" if getattr(r, "suspect_what", "") else "")
                       for r in which.itertuples())
    note = (f"{len(which)} scenario(s) rest on figures the release's own consistency checks suspect to be errors "
            f"({listed}) and are left out of the verdict; ")
    note += ("with them the verdict would be the same." if trusted == everything else
             f"with them it would be '{everything}': the verdict depends on suspect data.")
    return trusted, everything, note


def _finish(
    claim_id: str,
    stated_value: str,
    stated: float | None,
    rows: list[dict[str, Any]],
    headline: dict[str, Any] | None,
    unit: str,
    tolerance: Tolerance | None,
    rule: str,
) -> ClaimCheck:
    what = {i: r.get("suspect_what", "") for i, r in enumerate(rows)}
    scenarios = _scenario_frame(rows)
    verdict, with_suspect, note = _verdicts(scenarios.assign(suspect_what=pd.Series(what, dtype=object)))
    return ClaimCheck(
        claim_id=claim_id,
        stated_value=stated_value,
        stated=stated,
        computed=None if headline is None else headline["value"],
        computed_label="" if headline is None else f"{headline['scenario']} [{headline['data']}]",
        unit=unit,
        tolerance=None if tolerance is None else tolerance.holds,
        verdict=verdict,
        rule=rule,
        scenarios=scenarios,
        verdict_with_suspect=with_suspect,
        suspect_note=note,
    )


# --------------------------------------------------------------------------------------------- military spending


def _milex_share_check(claim_id: str, article: str, stated: float, milex: pd.DataFrame | None,
                       milex_suspicions: pd.DataFrame | None = None) -> ClaimCheck:
    """Russia's share of the six members' spending, per edition and data year, against a stated per cent.

    A year in which a member has no figure is left out (``n/a``): a share over five members would overstate
    Russia's weight. So is a release without a constant-dollar series. A scenario resting on a figure the
    release's own consistency checks suspect (table ``milex_suspicions``) is shown but not counted: the verdict
    is computed without it, and ``suspect_note`` says whether counting it would change the verdict.
    """
    milex = metrics.given_or_loaded(milex, "milex")
    suspicions = metrics.milex_suspicions(milex_suspicions)
    rows: list[dict[str, Any]] = []
    complete: dict[str, pd.DataFrame] = {}
    for edition in metrics.milex_editions(milex)["edition"]:
        try:
            by_year = metrics.russia_share_by_year(edition, "constant_usd", CSTO_MEMBERS, milex,
                                                   suspicions=suspicions)
        except ValueError:  # no constant-dollar series in this release
            continue
        complete[edition] = by_year[by_year["complete"]]
        for year in DATA_YEARS[article]:
            found = complete[edition][complete[edition]["year"] == year]
            rows.append(_share_scenario("as written", str(year), edition, found, stated))
    newest = next(iter(complete), None)  # milex_editions lists the newest release first
    if newest is not None and len(complete[newest]):
        latest = complete[newest].iloc[[-1]]
        rows.append(_share_scenario("latest", str(int(latest["year"].iloc[0])), newest, latest, stated))
    # The headline: the newest release's last data year the author could use -- unless a suspect figure gives it,
    # then the nearest scenario that rests on none (an earlier year, else an older release).
    order = [(edition, str(year)) for edition in complete for year in reversed(DATA_YEARS[article])]
    candidates = [r for key in order for r in rows
                  if (r["data"], r["scenario"]) == key and r["when"] == "as written" and r["value"] is not None]
    headline = next((r for r in candidates if not r["suspect"]), candidates[0] if candidates else None)
    return _finish(
        claim_id, f"{stated:g}%", stated, rows, headline, "% of the six members' spending", WHOLE_PERCENT,
        "SIPRI constant US$, six CSTO members; each release x data year the author could use; latest complete "
        "year of the newest release; +/-1 pt holds, +/-5 pt close",
    )


def _share_scenario(when: str, scenario: str, edition: str, found: pd.DataFrame, stated: float) -> dict[str, Any]:
    value = float(found["share"].iloc[0]) if len(found) else None
    suspect = bool(len(found) and found["suspect"].iloc[0])
    what = ", ".join(countries_named(found["suspect_members"].iloc[0])) if suspect else ""
    return {"when": when, "scenario": scenario, "data": edition, "value": value,
            "grade": grade_value(value, stated, WHOLE_PERCENT), "suspect": suspect,
            "suspect_what": f"{what} figure suspect" if what else ""}


def countries_named(codes: str) -> list[str]:
    """``"KAZ;BLR"`` -> ``["Kazakhstan", "Belarus"]``."""
    return [countries.name_of(code) for code in str(codes).split(";") if code]


def milex_share_95_2020(milex: pd.DataFrame | None = None, milex_suspicions: pd.DataFrame | None = None) -> ClaimCheck:
    """Claim 000-28: Russia pays 95 % of the members' military spending (the 2020-21 article; data of about 2020).

    Russia's share of the six members' SIPRI military expenditure (constant US$) in 2019 and 2020, in every
    release of the ``milex`` table, and in the newest release's last year. The 2024 release gives 95.4 % for
    2020; the 2026 release, after revising Kyrgyz spending up, gives 93.9 %. Its 2019 figure (90.2 %) rests on a
    Kazakh constant-dollar series the consistency checks suspect (a broken link in SIPRI's deflator chain), so that
    scenario is shown but not counted.
    """
    return _milex_share_check("000-28", ARTICLE_2020_21, 95.0, milex, milex_suspicions)


def milex_share_95_2016(milex: pd.DataFrame | None = None, milex_suspicions: pd.DataFrame | None = None) -> ClaimCheck:
    """Claim 001-03: Russia pays 95 % of the members' military spending (the 2017 article; data 2015-16)."""
    return _milex_share_check("001-03", ARTICLE_2017, 95.0, milex, milex_suspicions)


# --------------------------------------------------------------------------------------------- arms imports


def _arms_years(arms: pd.DataFrame) -> tuple[int, int]:
    return int(arms["year"].min()), int(arms["year"].max())


def _share_check(
    claim_id: str,
    recipient: str,
    stated: float,
    windows: Sequence[tuple[int, int]],
    arms: pd.DataFrame | None,
    tolerance: Tolerance,
    latest_lengths: Sequence[int] = (),
    context: Sequence[tuple[int, int]] = (),
    headline_window: tuple[int, int] | None = None,
) -> ClaimCheck:
    """Russia's share of ``recipient``'s TIV imports over explicit windows (and optionally the latest ones).

    The arms table is one stitched series, so each window is one scenario; its ``data`` cell says which SIPRI
    method produced the years it spans. A window the table does not cover is ``n/a``.
    """
    arms = metrics.given_or_loaded(arms, metrics.ARMS_TABLE)
    first, last = _arms_years(arms)
    rows: list[dict[str, Any]] = []

    def add(when: str, start: int, end: int) -> None:
        covered = first <= start and end <= last
        value = metrics.import_share(recipient, "RUS", start, end, arms=arms) if covered else float("nan")
        value = None if pd.isna(value) else value
        grade = "context" if when == "context" else grade_value(value, stated, tolerance)
        rows.append({"when": when, "scenario": f"{start}-{end}", "data": metrics.window_methods(start, end, arms),
                     "value": value, "grade": grade})

    for start, end in windows:
        add("as written", start, end)
    for length in latest_lengths:
        add("latest", last - length + 1, last)
    for start, end in context:
        add("context", start, end)
    target = f"{headline_window[0]}-{headline_window[1]}" if headline_window else f"{windows[0][0]}-{windows[0][1]}"
    headline = next((r for r in rows if r["scenario"] == target and r["value"] is not None), None)
    window_text = ", ".join(f"{a}-{b}" for a, b in windows)
    latest_text = (f"; latest {'/'.join(map(str, latest_lengths))}-year window(s) of the table"
                   if latest_lengths else "")
    return _finish(
        claim_id, f"{stated:g}%", stated, rows, headline, f"% of {recipient}'s arms imports (TIV)", tolerance,
        f"Russia's share of {recipient}'s SIPRI TIV imports over {window_text}{latest_text}; "
        f"+/-{tolerance.holds:g} pt holds, +/-{tolerance.caveat:g} pt close",
    )


def armenia_imports_from_russia_2015_20(arms_transfers: pd.DataFrame | None = None) -> ClaimCheck:
    """Claim 000-33: SIPRI says Russia supplied 94 % of Armenia's arms purchases in 2015-2020.

    The window is the article's own; SIPRI's published figure was for 2016-20, shown as context (there were no
    deliveries to Armenia in 2015, so both windows give the same share).
    """
    return _share_check("000-33", "ARM", 94.0, [(2015, 2020)], arms_transfers, WHOLE_PERCENT,
                        context=[(2016, 2020)])


def azerbaijan_imports_from_russia_2013_17(arms_transfers: pd.DataFrame | None = None) -> ClaimCheck:
    """Claim 000-34: Russia supplied 65 % of Azerbaijan's arms imports in 2013-2017.

    The data give about 62 % for 2013-17; the neighbouring windows 2012-16 (about 66.7 %) and 2014-18 are shown
    as context, since the article's figure probably came from an older SIPRI release.
    """
    return _share_check("000-34", "AZE", 65.0, [(2013, 2017)], arms_transfers, WHOLE_PERCENT,
                        context=[(2012, 2016), (2014, 2018)])


def kazakhstan_imports_from_russia_decade(arms_transfers: pd.DataFrame | None = None) -> ClaimCheck:
    """Claim 000-21: about 80 % of Kazakhstan's military purchases come from Russia (the 2020-21 article; no window
    given).

    Computed over the ten- and five-year windows ending in each data year the author could use (2019, 2020) and
    over the table's last ten and five years; a hedged round figure, so :data:`ROUND_ESTIMATE` applies. The
    headline is the decade 2010-19.
    """
    windows = [(end - length + 1, end) for end in DATA_YEARS[ARTICLE_2020_21] for length in (10, FIVE_YEARS)]
    return _share_check("000-21", "KAZ", 80.0, windows, arms_transfers, ROUND_ESTIMATE,
                        latest_lengths=(10, FIVE_YEARS), headline_window=(2010, 2019))


# --------------------------------------------------------------------------------------------- yes/no checks on arms


def _yes_no_check(
    claim_id: str,
    stated_value: str,
    stated: float | None,
    article: str,
    arms: pd.DataFrame | None,
    measure: Callable[[pd.DataFrame, int, int], tuple[float, bool, str]],
    unit: str,
    rule: str,
    lengths: Sequence[int] = (FIVE_YEARS,),
) -> ClaimCheck:
    """A statement evaluated on windows: as written (windows ending in the article's data years) and latest.

    ``measure(arms, start, end)`` returns (headline value, statement true?, short description).
    """
    arms = metrics.given_or_loaded(arms, metrics.ARMS_TABLE)
    first, last = _arms_years(arms)
    rows: list[dict[str, Any]] = []

    def add(when: str, start: int, end: int) -> None:
        if start < first or end > last:
            rows.append({"when": when, "scenario": f"{start}-{end}: not in the table", "data": "",
                         "value": None, "grade": "n/a"})
            return
        value, true, description = measure(arms, start, end)
        rows.append({"when": when, "scenario": f"{start}-{end}: {description}",
                     "data": metrics.window_methods(start, end, arms), "value": value,
                     "grade": "holds" if true else "off"})

    for end in DATA_YEARS[article]:
        for length in lengths:
            add("as written", end - length + 1, end)
    for length in lengths:
        add("latest", last - length + 1, last)
    headline = next(r for r in rows if r["when"] == "latest")
    return _finish(claim_id, stated_value, stated, rows, headline, unit, None, rule)


def _russia_tops_every_member(arms: pd.DataFrame, start: int, end: int) -> tuple[float, bool, str]:
    others = [m for m in CSTO_MEMBERS if m != "RUS"]
    tops = {m: metrics.top_supplier(m, start, end, arms=arms) for m in others}
    not_russia = {m: t for m, t in tops.items() if t != "RUS"}
    description = "Russia first for all" if not not_russia else "not Russia for " + ", ".join(
        f"{m} ({t or 'no deliveries'})" for m, t in not_russia.items())
    count = len(others) - len(not_russia)
    return float(count), count == len(others), description


def russia_top_supplier_to_members_2020(arms_transfers: pd.DataFrame | None = None) -> ClaimCheck:
    """Claim 000-20: Russia is the largest arms supplier to every other member (the 2020-21 article; data of about
    2020).

    For each of the five other members, the supplier of the most TIV over the five-year windows ending in 2019
    and 2020 (as written) and over the table's last five years. The value is how many of the five have Russia
    as their top supplier.
    """
    return _yes_no_check(
        "000-20", "5 of 5 other members", 5.0, ARTICLE_2020_21, arms_transfers, _russia_tops_every_member,
        "other members whose top supplier is Russia",
        "top TIV supplier of each other member over 5-year windows; holds only if Russia tops all five",
    )


def russia_top_supplier_to_members_2016(arms_transfers: pd.DataFrame | None = None) -> ClaimCheck:
    """Claim 001-12: Russia is the de facto main arms dealer of every member (the 2017 article; data 2015-16)."""
    return _yes_no_check(
        "001-12", "5 of 5 other members", 5.0, ARTICLE_2017, arms_transfers, _russia_tops_every_member,
        "other members whose top supplier is Russia",
        "top TIV supplier of each other member over 5-year windows; holds only if Russia tops all five",
    )


def _russia_first_for_azerbaijan(arms: pd.DataFrame, start: int, end: int) -> tuple[float, bool, str]:
    breakdown = metrics.supplier_breakdown("AZE", start, end, arms=arms)
    if breakdown.empty:
        return float("nan"), False, "no deliveries"
    russia = breakdown.loc[breakdown["supplier"] == "RUS", "share"]
    share = float(russia.iloc[0]) if len(russia) else 0.0
    first = str(breakdown["supplier"].iloc[0])
    return share, first == "RUS", f"top supplier {first}, Russia {share:.0f}%"


def russia_main_supplier_to_azerbaijan(arms_transfers: pd.DataFrame | None = None) -> ClaimCheck:
    """Claim 000-43: Russia was still Azerbaijan's primary arms supplier (the 2020-21 article; data of about 2020).

    Whether Russia delivered the most TIV to Azerbaijan over the ten- and five-year windows ending in 2019 and
    2020, and over the table's last ten and five years. The value is Russia's share in per cent.
    """
    return _yes_no_check(
        "000-43", "Russia first", None, ARTICLE_2020_21, arms_transfers, _russia_first_for_azerbaijan,
        "% of AZE's arms imports (TIV) from Russia",
        "is Russia Azerbaijan's top TIV supplier over 10- and 5-year windows",
        lengths=(10, FIVE_YEARS),
    )


def _both_mostly_russian(arms: pd.DataFrame, start: int, end: int) -> tuple[float, bool, str]:
    shares = {m: metrics.import_share(m, "RUS", start, end, arms=arms) for m in ("TJK", "KGZ")}
    # No deliveries at all in a window says nothing about dependence either way: count it as not shown.
    lowest = min(shares.values())
    description = ", ".join(f"{m} {s:.0f}% from Russia" for m, s in shares.items())
    return lowest, bool(lowest > 50), description


def tajikistan_kyrgyzstan_depend_on_russian_arms(arms_transfers: pd.DataFrame | None = None) -> ClaimCheck:
    """Claim 000-47: Tajikistan and Kyrgyzstan depend on Russian military equipment (the 2020-21 article; data of
    about 2020).

    Read as: Russia delivered most (over 50 %) of each country's TIV imports, over the five-year windows ending
    in 2019 and 2020 and over the table's last five years. The value is the lower of the two shares.
    """
    return _yes_no_check(
        "000-47", "most arms from Russia", None, ARTICLE_2020_21, arms_transfers, _both_mostly_russian,
        "% of imports from Russia (lower of TJK, KGZ)",
        "Russia's share of each country's TIV imports over 5-year windows; holds if above 50% for both",
    )


def _other_suppliers_of_kazakhstan(arms: pd.DataFrame, start: int, end: int) -> tuple[float, bool, str]:
    breakdown = metrics.supplier_breakdown("KAZ", start, end, arms=arms)
    # Deliveries SIPRI could not attribute are not "another power".
    others = breakdown[(breakdown["supplier"] != "RUS") & ~breakdown["supplier"].str.startswith("unknown")]
    names = ", ".join(others["supplier"].head(4))
    return float(len(others)), len(others) >= 2, f"{len(others)} other suppliers ({names})"


def kazakhstan_buys_from_other_suppliers(arms_transfers: pd.DataFrame | None = None) -> ClaimCheck:
    """Claim 001-14: Kazakhstan keeps buying arms from powers other than Russia (the 2017 article; data 2015-16).

    Holds in a window if at least two identified suppliers other than Russia delivered major arms to Kazakhstan;
    five-year windows ending in 2015 and 2016 (as written) and the table's last five years. The value is the
    number of such suppliers.
    """
    return _yes_no_check(
        "001-14", "several other suppliers", None, ARTICLE_2017, arms_transfers, _other_suppliers_of_kazakhstan,
        "suppliers other than Russia",
        "identified suppliers other than Russia with deliveries to KAZ over 5-year windows; holds if at least two",
    )


# --------------------------------------------------------------------------------------------- all claims


def resolve(name: str) -> Callable[..., ClaimCheck]:
    """The check function a ``checked_by`` cell names (``milex_share_95_2020``, a function of this module).

    The ledger names functions, not modules, so that moving code never invalidates the data."""
    function = globals().get(str(name))
    if not callable(function) or str(name).startswith("_") or not isinstance(function, types.FunctionType):
        raise ValueError(f"checked_by {name!r} is not a claim check: name a public function of utils/read/claims.py")
    return function


def _folder(folder: str | Path | None) -> Path:
    """The data folder to grade: ``folder`` if given, else the one in use."""
    return Path(folder).expanduser().resolve() if folder is not None else paths.data_dir()


def _ledger_csv(folder: Path) -> Path:
    """The claims ledger ``folder`` is graded against: its own if it has one, else the repository's."""
    own = paths.table_csv("claims", folder)
    return own if own.exists() else paths.table_csv("claims", paths.DEFAULT_DATA_DIR)


def _ledger(folder: Path) -> pd.DataFrame:
    """The claims ledger of :func:`_ledger_csv` (the verdicts a refresh compares to)."""
    return data.load("claims", _ledger_csv(folder).parent)


#: Outcomes of :func:`_run_checks` by the content of the tables they read. The same bytes give the same verdicts,
#: and the same tables are graded several times: a refresh grades the data before and after, its dry run and the
#: real run grade the same pair, lesson 07 asks for verdicts and then for scenarios. Two folders' worth is enough.
_OUTCOMES_BY_CONTENT: dict[tuple, list] = {}
_OUTCOMES_KEPT = 4

#: The result of each check function by the content of the tables it reads. A refresh of one table (milex) grades a
#: folder in which the others are unchanged: the checks that read only those (arms transfers, personnel) are not
#: run again. Only results are kept, never errors, so a folder's own refusal is always reported.
_RESULT_BY_INPUTS: dict[tuple, Any] = {}
_RESULTS_KEPT = 200


def _content_key(where: Path) -> tuple:
    """The sha256 of every table the checks read in ``where`` (None where absent), and of the ledger used."""
    def digest(path: Path) -> str | None:
        return data.sha256_of(path.read_bytes()) if path.exists() else None

    return (*(digest(paths.table_csv(name, where)) for name in TABLE_PARAMETERS), digest(_ledger_csv(where)))


def _run_checks(folder: str | Path | None, ledger: pd.DataFrame | None) -> list[tuple[Any, ClaimCheck | Exception]]:
    """Run every ``checked_by`` function of the ledger on the tables of ``folder``: (ledger row, result or error).

    Without an explicit ``ledger``, outcomes are remembered by the content of the tables (:data:`_OUTCOMES_BY_CONTENT`).
    """
    if ledger is not None:
        return _run_checks_uncached(folder, ledger)
    key = _content_key(_folder(folder))
    if key not in _OUTCOMES_BY_CONTENT:
        if len(_OUTCOMES_BY_CONTENT) >= _OUTCOMES_KEPT:
            _OUTCOMES_BY_CONTENT.pop(next(iter(_OUTCOMES_BY_CONTENT)))  # the oldest
        _OUTCOMES_BY_CONTENT[key] = _run_checks_uncached(folder, None)
    return _OUTCOMES_BY_CONTENT[key]


def _run_checks_uncached(folder: str | Path | None, ledger: pd.DataFrame | None,
                         skip: frozenset[str] = frozenset()) -> list[tuple[Any, ClaimCheck | Exception | None]]:
    """Run the ledger's checks on ``folder``; a check that reads only tables named in ``skip`` is not run (None)."""
    outcomes: list[tuple[Any, ClaimCheck | Exception | None]] = []
    where = _folder(folder)
    claims = ledger if ledger is not None else _ledger(where)
    checkable = claims[claims["checked_by"].notna() & (claims["checked_by"].astype("string") != "")]
    tables: dict[str, pd.DataFrame] = {}
    digests: dict[str, str] = {}
    for claim in checkable.itertuples(index=False):
        try:
            function = resolve(str(claim.checked_by))
            wanted = [p for p in inspect.signature(function).parameters if p in TABLE_PARAMETERS
                      and not (p in OPTIONAL_TABLES and not paths.table_csv(p, where).exists())]
            if skip and set(wanted) <= skip:
                outcomes.append((claim, None))
                continue
            for name in wanted:
                if name not in tables:
                    tables[name] = data.load(name, where)  # refuses an unrecorded edit, cached result or not
                    digests[name] = data.sha256_of(paths.table_csv(name, where).read_bytes())
            key = (str(claim.checked_by), *((name, digests[name]) for name in wanted))
            if key not in _RESULT_BY_INPUTS:
                if len(_RESULT_BY_INPUTS) >= _RESULTS_KEPT:
                    _RESULT_BY_INPUTS.pop(next(iter(_RESULT_BY_INPUTS)))  # the oldest
                _RESULT_BY_INPUTS[key] = function(**{name: tables[name] for name in wanted})
            outcomes.append((claim, _RESULT_BY_INPUTS[key]))
        except (ValueError, KeyError, FileNotFoundError, data.TableRefused) as error:
            outcomes.append((claim, error))
    return outcomes


def check_claims(folder: str | Path | None = None, ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Recompute every claim the ledger marks as data-checkable, on the tables of ``folder`` (default: ``data/``).

    One row per claim: ``claim_id``, ``checked_by``, ``stated_value`` (the ledger's), ``stated`` (number, where
    the claim has one), ``computed``, ``computed_label``, ``unit``, ``tolerance`` (the "holds" band, in the
    claim's unit), ``computed_verdict``, ``ledger_verdict``, ``agrees``, ``verdict_with_suspect`` (the verdict if
    scenarios resting on suspect figures counted) and ``suspect_note`` (empty when none do). A check that fails to run (a table
    missing from the folder, say) is reported with ``computed_verdict`` "not computable" and the error in
    ``computed_label``. The ledger is ``folder``'s own ``claims`` table if it has one, else the repository's.
    """
    return _verdict_rows(_run_checks(folder, ledger))


#: The computed verdict :func:`check_claims_between` gives, on both sides, a claim whose tables are the same in both.
SAME_DATA = "same data"


def check_claims_between(old_folder: str | Path, new_folder: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`check_claims` of two data folders, to compare their verdicts (what a refresh would change).

    A claim whose check reads only tables that are byte for byte the same in both folders, graded against the same
    ledger, cannot change its verdict: it is not run, and both sides give it the computed verdict
    :data:`SAME_DATA`. A refresh of ``milex`` so grades only the claims that read ``milex`` or ``milex_suspicions``.
    """
    old_key, new_key = _content_key(_folder(old_folder)), _content_key(_folder(new_folder))
    same = frozenset(name for name, before, after in zip(TABLE_PARAMETERS, old_key, new_key) if before == after)
    if old_key[-1] != new_key[-1]:  # different ledgers: every claim may be graded differently
        same = frozenset()
    return (_verdict_rows(_run_checks_uncached(old_folder, None, skip=same)),
            _verdict_rows(_run_checks_uncached(new_folder, None, skip=same)))


def _verdict_rows(outcomes: list[tuple[Any, ClaimCheck | Exception | None]]) -> pd.DataFrame:
    """The :func:`check_claims` frame of the outcomes of :func:`_run_checks_uncached`."""
    rows = []
    for claim, outcome in outcomes:
        row = {"claim_id": claim.claim_id, "checked_by": claim.checked_by, "ledger_verdict": claim.verdict,
               # The stated value shown is the ledger's (the article's words), whatever the function calls it.
               "stated_value": "" if pd.isna(claim.stated_value) else str(claim.stated_value)}
        if isinstance(outcome, ClaimCheck):
            row.update(stated=outcome.stated, computed=outcome.computed, computed_label=outcome.computed_label,
                       unit=outcome.unit, tolerance=outcome.tolerance, computed_verdict=outcome.verdict,
                       verdict_with_suspect=outcome.verdict_with_suspect, suspect_note=outcome.suspect_note)
        elif outcome is None:  # not run: its tables are the same in the folder it is compared with
            row.update(stated=None, computed=None, computed_label="", unit="", tolerance=None,
                       computed_verdict=SAME_DATA, verdict_with_suspect=SAME_DATA, suspect_note="")
        else:
            row.update(stated=None, computed=None, computed_label=f"error: {outcome}", unit="", tolerance=None,
                       computed_verdict="not computable", verdict_with_suspect="not computable", suspect_note="")
        rows.append(row)
    columns = ["claim_id", "checked_by", "stated_value", "stated", "computed", "computed_label", "unit",
               "tolerance", "computed_verdict", "ledger_verdict", "agrees", "verdict_with_suspect", "suspect_note"]
    out = pd.DataFrame(rows, columns=[c for c in columns if c != "agrees"])
    out["suspect_note"] = out["suspect_note"].fillna("").astype(str)
    out["agrees"] = out["computed_verdict"].astype("string") == out["ledger_verdict"].astype("string")
    out = out.astype({"stated": float, "computed": float, "tolerance": float})
    return out[columns]


def check_scenarios(folder: str | Path | None = None, ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every scenario behind every checked claim, long form: ``claim_id`` plus the columns of
    :attr:`ClaimCheck.scenarios` (``when``, ``scenario``, ``data``, ``value``, ``grade``, ``suspect``).

    Shows how much each answer depends on the release, the year or the window chosen.
    """
    frames = [outcome.scenarios.assign(claim_id=claim.claim_id)
              for claim, outcome in _run_checks(folder, ledger) if isinstance(outcome, ClaimCheck)]
    columns = ["claim_id", "when", "scenario", "data", "value", "grade", "suspect"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def changed_verdicts(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Claims whose computed verdict differs between two :func:`check_claims` results (e.g. old and new data).

    Columns: ``claim_id``, ``verdict_before``, ``verdict_after``, ``computed_before``, ``computed_after``.
    """
    merged = before.merge(after, on="claim_id", how="outer", suffixes=("_before", "_after"))
    differs = merged["computed_verdict_before"].astype("string").ne(merged["computed_verdict_after"].astype("string"))
    changed = merged[differs.fillna(True).astype(bool)]  # a claim present on one side only counts as changed
    return changed.rename(
        columns={"computed_verdict_before": "verdict_before", "computed_verdict_after": "verdict_after"}
    )[["claim_id", "verdict_before", "verdict_after", "computed_before", "computed_after"]].reset_index(drop=True)
