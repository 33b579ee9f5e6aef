"""Tests for the claims ledger (data/claims.csv) and utils.read.claims, which recomputes its numeric claims.

The central test: for every claim with a ``checked_by`` function, the verdict the function reaches on the shipped
data must equal the ledger's verdict. A data refresh that changes such a verdict fails here, naming the claim.
"""

import inspect
import shutil

import pandas as pd
import pytest

from utils.read import claims, data
from utils import paths
from utils.read.vocabulary import ARTICLE_LABELS
from utils.write import tables
from helpers import keep_as_installed

LEDGER = data.load("claims")
CHECKED = LEDGER[LEDGER["checked_by"].notna()]

#: The claim ids of the project's fact base (000-01..000-37, 001-01..001-19): every one must be in the ledger.
FACT_BASE_IDS = [f"000-{n:02d}" for n in range(1, 38)] + [f"001-{n:02d}" for n in range(1, 20)]


# --------------------------------------------------------------------------------------------- the ledger


def test_ledger_covers_both_articles_and_the_whole_fact_base():
    assert LEDGER["claim_id"].is_unique
    assert len(LEDGER) >= 56
    assert set(LEDGER["article"]) == {claims.ARTICLE_2020_21, claims.ARTICLE_2017}
    # Lessons name the articles through ARTICLE_LABELS: every key in the ledger must have a reader's name there.
    assert set(LEDGER["article"]) == set(ARTICLE_LABELS)
    missing = sorted(set(FACT_BASE_IDS) - set(LEDGER["claim_id"]))
    assert not missing, f"fact-base claims missing from the ledger: {missing}"


def test_claim_ids_match_their_article():
    wrong = LEDGER.loc[LEDGER["claim_id"].str.slice(0, 3) != LEDGER["article"], "claim_id"].tolist()
    assert not wrong, f"claim ids whose prefix does not name their article: {wrong}"


def test_verdicts_and_true_when_written_are_consistent():
    assert set(LEDGER["verdict"]) <= set(claims.VERDICTS)
    judged = LEDGER[LEDGER["verdict"].isin(["interpretive", "unverifiable"])]
    assert judged["true_when_written"].isna().all(), "interpretive/unverifiable claims cannot be true or false"
    outdated = LEDGER[LEDGER["verdict"] == "outdated"]
    assert outdated["true_when_written"].eq(True).all(), "an outdated claim was true when written, by definition"
    wrong = LEDGER[LEDGER["verdict"] == "wrong"]
    assert wrong["true_when_written"].ne(True).all()


def test_every_claim_is_assigned_to_a_topic_notebook():
    expected = {"history": "01_history.ipynb", "forces": "02_force_structure.ipynb",
                "spending": "03_military_spending.ipynb", "arms": "04_arms_trade.ipynb",
                "lapses": "05_institutional_lapses.ipynb", "politics": "06_politics_and_partners.ipynb"}
    assert LEDGER["notebook"].notna().all()
    mismatched = LEDGER[LEDGER["topic"].map(expected) != LEDGER["notebook"]]
    assert mismatched.empty, mismatched[["claim_id", "topic", "notebook"]].to_string()


#: Tokens ignored when comparing wording: country codes and month abbreviations (a list of dates or codes is a
#: fact, not a copied sentence). Numbers are ignored too (only letters are kept).
_NEUTRAL = {"arm", "aze", "blr", "geo", "kaz", "kgz", "rus", "tjk", "uzb",
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}


def _runs(text: str, n: int = 8) -> set[tuple[str, ...]]:
    """Every run of ``n`` consecutive words of ``text`` (lower case, letters only, neutral tokens dropped)."""
    words = [w for w in "".join(c.lower() if c.isalpha() else " " for c in text).split()
             if len(w) > 1 and w not in _NEUTRAL]
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.parametrize("reference", ["articles", "fact base"])
def test_claims_are_paraphrased_not_copied(reference):
    """No claim or evidence cell repeats a run of eight words from the two articles or from the fact base."""
    shared = paths.REPO_ROOT.parent / "shared"
    if reference == "articles":  # the course's copies of the two articles under review
        files = sorted((shared / "seeds").glob("*.txt"))
    else:
        files = [shared / "research" / "csto_facts.md"]
    files = [f for f in files if f.is_file()]
    if not files:
        pytest.skip(f"{reference} not found under {shared}")
    reference_runs = set().union(*(_runs(f.read_text(encoding="utf-8")) for f in files))
    copied = {row.claim_id: sorted(" ".join(r) for r in (_runs(row.claim) | _runs(row.evidence)) & reference_runs)[:2]
              for row in LEDGER.itertuples()}
    copied = {k: v for k, v in copied.items() if v}
    assert not copied, f"claims or evidence repeating the {reference}' wording: {copied}"


# --------------------------------------------------------------------------------------------- checked_by


@pytest.mark.parametrize("dotted", sorted(CHECKED["checked_by"].unique()))
def test_checked_by_resolves_to_a_check_function(dotted):
    function = claims.resolve(dotted)
    assert callable(function)
    assert "." not in dotted, "the ledger names a function of utils/read/claims.py, not a module path"
    parameters = list(inspect.signature(function).parameters)
    assert parameters and set(parameters) <= set(claims.TABLE_PARAMETERS), parameters


def test_every_check_function_is_used_by_the_ledger():
    used = set(CHECKED["checked_by"].str.rpartition(".")[2])
    checks = {name for name, f in inspect.getmembers(claims, inspect.isfunction)
              if f.__module__ == "utils.read.claims" and not name.startswith("_")
              and "return" in f.__annotations__ and f.__annotations__["return"] in ("ClaimCheck", claims.ClaimCheck)}
    assert checks, "no check functions found"
    assert checks <= used, f"check functions no ledger row uses: {sorted(checks - used)}"


def test_resolve_rejects_unknown_names():
    for name in ("no_such_check", "utils.read.claims.milex_share_95_2020", "_finish", "resolve_typo", "pd"):
        with pytest.raises(ValueError, match="is not a claim check"):
            claims.resolve(name)
    assert claims.resolve("milex_share_95_2020") is claims.milex_share_95_2020


@pytest.mark.parametrize("claim_id", CHECKED["claim_id"].tolist())
def test_data_verdict_equals_ledger_verdict(claim_id):
    row = CHECKED.set_index("claim_id").loc[claim_id]
    result = claims.resolve(row["checked_by"])()
    assert result.claim_id == claim_id, f"{row['checked_by']} checks {result.claim_id}, not {claim_id}"
    assert result.verdict in claims.VERDICTS
    assert result.verdict == row["verdict"], (
        f"claim {claim_id}: the ledger says {row['verdict']!r} but the data now give {result.verdict!r}.\n"
        f"{result}\nUpdate the verdict and evidence in data/claims.csv (then `python -m utils.write.tables record claims`) "
        "if the new data are right."
    )


def test_a_check_shows_its_scenarios():
    result = claims.milex_share_95_2020()
    as_written = result.scenarios[result.scenarios["when"] == "as written"]
    assert set(as_written["scenario"]) == {"2019", "2020"}
    by_release = as_written.set_index(["scenario", "data"])["value"]
    assert by_release[("2020", "SIPRI Military Expenditure Database 2024")] == pytest.approx(95.4, abs=0.05)
    assert by_release[("2020", "SIPRI Military Expenditure Database 2026")] == pytest.approx(93.9, abs=0.05)
    assert result.computed == pytest.approx(93.9, abs=0.05)
    assert "holds with caveat" in str(result)
    assert result.to_dict()["scenarios"][0]["when"] == "as written"


# --------------------------------------------------------------------------------------------- the grading rule


@pytest.mark.parametrize(
    "value, expected",
    [(95.4, "holds"), (94.0, "holds"), (93.9, "close"), (90.0, "close"), (89.9, "off"), (None, "n/a")],
)
def test_grade_value_bands(value, expected):
    assert claims.grade_value(value, 95.0, claims.WHOLE_PERCENT) == expected


@pytest.mark.parametrize(
    "as_written, latest, expected",
    [
        (["holds", "holds"], [], "holds"),
        (["holds", "close"], [], "holds with caveat"),
        (["off", "close"], [], "holds with caveat"),
        (["off", "off"], [], "wrong"),
        (["n/a"], [], "unverifiable"),
        (["holds"], ["off"], "outdated"),
        (["holds", "close"], ["off", "off"], "outdated"),
        (["holds"], ["holds", "off"], "holds with caveat"),
        (["holds"], ["close"], "holds with caveat"),
        (["off"], ["holds"], "wrong"),
    ],
)
def test_verdict_rule(as_written, latest, expected):
    assert claims.verdict_from(as_written, latest) == expected


# --------------------------------------------------------------------------------------------- check_claims


def test_check_claims_on_the_shipped_data_agrees_everywhere():
    table = claims.check_claims()
    assert list(table.columns)[:2] == ["claim_id", "checked_by"]
    for column in ("stated_value", "computed", "computed_verdict", "ledger_verdict", "agrees"):
        assert column in table.columns
    assert sorted(table["claim_id"]) == sorted(CHECKED["claim_id"])
    disagreeing = table.loc[~table["agrees"], ["claim_id", "computed_verdict", "ledger_verdict"]]
    assert disagreeing.empty, disagreeing.to_string()


def _copy_tables(target, names=("sources", "claims", "milex", "arms_transfers")):
    for name in names:
        folder = paths.DEFAULT_DATA_DIR
        for path in (paths.table_csv(name, folder), paths.table_descriptor(name, folder)):
            shutil.copy(path, target / path.name)


def test_check_claims_reports_a_changed_verdict_on_modified_data(tmp_path, monkeypatch):
    """Cut Russia's 2019-2020 spending to a quarter in every release: the 95 % claim must turn 'wrong'."""
    _copy_tables(tmp_path)
    milex = pd.read_csv(tmp_path / "milex.csv", dtype=str, keep_default_na=False)
    constant = milex["measure"].str.startswith("constant_usd")
    hit = (milex["iso3"] == "RUS") & milex["year"].isin(["2019", "2020"]) & constant
    assert hit.sum() >= 4
    milex.loc[hit, "value"] = (milex.loc[hit, "value"].astype(float) / 4).map(repr)
    (tmp_path / "milex.csv").write_bytes(tables.to_csv_bytes(milex))
    keep_as_installed("milex", tmp_path)  # as a refresh installing such a release would
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)

    before = claims.check_claims()
    after = claims.check_claims(tmp_path)
    changed = claims.changed_verdicts(before, after)
    assert changed["claim_id"].tolist() == ["000-28"]
    assert changed["verdict_before"].iloc[0] == "holds with caveat"
    assert changed["verdict_after"].iloc[0] == "wrong"
    flagged = after.set_index("claim_id")
    assert not flagged.loc["000-28", "agrees"]
    assert flagged.loc["000-33", "agrees"]
    # The environment is restored afterwards: data/ is in use again.
    assert paths.data_dir() == paths.DEFAULT_DATA_DIR


def test_comparing_two_folders_grades_only_the_claims_whose_tables_differ(tmp_path, monkeypatch):
    """A refresh compares verdicts before and after: the claims that read only unchanged tables cannot change, so
    check_claims_between leaves them out (the same marker on both sides) and grades the others as check_claims."""
    _copy_tables(tmp_path)
    milex = pd.read_csv(tmp_path / "milex.csv", dtype=str, keep_default_na=False)
    hit = (milex["iso3"] == "RUS") & milex["year"].isin(["2019", "2020"]) & milex["measure"].str.startswith("constant")
    milex.loc[hit, "value"] = (milex.loc[hit, "value"].astype(float) / 4).map(repr)
    (tmp_path / "milex.csv").write_bytes(tables.to_csv_bytes(milex))
    keep_as_installed("milex", tmp_path)
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)

    before, after = claims.check_claims_between(paths.DEFAULT_DATA_DIR, tmp_path)
    full_before, full_after = claims.check_claims(), claims.check_claims(tmp_path)
    assert before["claim_id"].tolist() == full_before["claim_id"].tolist() == after["claim_id"].tolist()
    reads = {name: set(inspect.signature(claims.resolve(name)).parameters) & set(claims.TABLE_PARAMETERS)
             for name in full_before["checked_by"]}
    skipped = [reads[name] <= {"arms_transfers", "personnel"} for name in full_before["checked_by"]]
    assert any(skipped) and not all(skipped)
    for side, full in ((before, full_before), (after, full_after)):
        assert (side.loc[skipped, "computed_verdict"] == claims.SAME_DATA).all()
        graded = [not s for s in skipped]
        assert side.loc[graded, "computed_verdict"].tolist() == full.loc[graded, "computed_verdict"].tolist()
    changed = claims.changed_verdicts(before, after)
    assert changed["claim_id"].tolist() == ["000-28"]


def test_check_claims_on_a_folder_without_a_table_reports_not_computable(tmp_path):
    _copy_tables(tmp_path, names=("sources", "claims", "milex"))
    table = claims.check_claims(tmp_path).set_index("claim_id")
    assert table.loc["000-33", "computed_verdict"] == "not computable"
    assert "arms_transfers" in table.loc["000-33", "computed_label"]
    assert table.loc["000-28", "computed_verdict"] == "holds with caveat"


# --------------------------------------------------------------------------------------------- checks on synthetic tables


def _arms(rows):
    # A delivery to Georgia in 2000 makes the table's years start there, as in the real table (1992 on).
    frame = pd.DataFrame([("GEO", "UKR", 2000, 1.0), *rows], columns=["recipient", "supplier", "year", "tiv"])
    return frame.assign(method="exact_annual_export", edition="test")


def test_share_check_grades_a_synthetic_window():
    # Russia 80 of 100 TIV to Armenia in 2015-2020: 14 points from the stated 94 %, so "wrong".
    arms = _arms([("ARM", "RUS", 2016, 80.0), ("ARM", "JOR", 2018, 20.0), ("ARM", "RUS", 2021, 500.0)])
    result = claims.armenia_imports_from_russia_2015_20(arms_transfers=arms)
    assert result.computed == pytest.approx(80.0)
    assert result.verdict == "wrong"
    # Within one point of 94 % it holds.
    arms = _arms([("ARM", "RUS", 2016, 94.5), ("ARM", "JOR", 2018, 5.5), ("AZE", "ISR", 2022, 1.0)])
    assert claims.armenia_imports_from_russia_2015_20(arms_transfers=arms).verdict == "holds"


def test_a_window_outside_the_table_is_unverifiable():
    arms = _arms([("ARM", "RUS", 2021, 10.0), ("ARM", "RUS", 2022, 10.0)])
    arms = arms[arms["year"] > 2016]  # the table now starts in 2021, after the window 2015-2020
    result = claims.armenia_imports_from_russia_2015_20(arms_transfers=arms)
    assert result.verdict == "unverifiable" and result.computed is None


def test_yes_no_check_turns_outdated_when_the_latest_window_fails():
    rows = [(m, "RUS", y, 10.0) for m in ("ARM", "BLR", "KAZ", "KGZ", "TJK") for y in range(2011, 2021)]
    rows += [("ARM", "IND", 2023, 100.0)]
    result = claims.russia_top_supplier_to_members_2020(arms_transfers=_arms(rows))
    assert result.verdict == "outdated"
    assert result.computed == 4.0  # in 2019-2023 Russia still tops four of the five
    rows = rows[:-1] + [("ARM", "RUS", 2023, 1.0)]
    assert claims.russia_top_supplier_to_members_2020(arms_transfers=_arms(rows)).verdict == "holds"


def test_milex_check_skips_years_with_a_missing_member():
    rows = []
    for year in (2019, 2020, 2021):
        for code, value in {"RUS": 95.0, "ARM": 1.0, "BLR": 1.0, "KAZ": 1.0, "KGZ": 1.0, "TJK": 1.0}.items():
            missing = code == "TJK" and year == 2019
            rows.append({"iso3": code, "year": year, "measure": "constant_usd_2024",
                         "value": None if missing else value, "release": 2026,
                         "edition": "SIPRI Military Expenditure Database 2026"})
    result = claims.milex_share_95_2020(milex=pd.DataFrame(rows).astype({"value": float}))
    grades = result.scenarios.set_index(["when", "scenario"])["grade"]
    assert grades[("as written", "2019")] == "n/a"
    assert grades[("as written", "2020")] == "holds"
    assert result.verdict == "holds"


def test_check_scenarios_lists_every_computation_of_every_check():
    scenarios = claims.check_scenarios()
    assert set(scenarios["claim_id"]) == set(CHECKED["claim_id"])
    assert set(scenarios["when"]) <= {"as written", "latest", "context"}
    milex = scenarios[scenarios["claim_id"] == "000-28"]
    assert len(milex) == len(claims.milex_share_95_2020().scenarios)


# --------------------------------------------------------------------------------------------- suspect figures


def _milex_rows(values_by_year):
    rows = []
    for year, values in values_by_year.items():
        for code, value in values.items():
            rows.append({"iso3": code, "year": year, "measure": "constant_usd_2024", "value": value, "release": 2026,
                         "edition": "SIPRI Military Expenditure Database 2026"})
    return pd.DataFrame(rows).astype({"value": float})


def _suspicion(first, last, code="KAZ"):
    return pd.DataFrame([{"release": 2026, "edition": "SIPRI Military Expenditure Database 2026", "iso3": code,
                          "country": "Kazakhstan", "measure": "constant_usd_2024", "first_year": first,
                          "last_year": last, "break_year": last + 1, "check": "price_chain", "factor": 2.0,
                          "finding": "planted", "source_id": "sipri_milex_2026"}])


def test_a_suspect_scenario_is_shown_but_does_not_decide_the_verdict():
    others = {"ARM": 1.0, "BLR": 1.0, "KGZ": 1.0, "TJK": 1.0}
    milex = _milex_rows({2019: {"RUS": 95.0, "KAZ": 1.0, **others},    # 95 %: holds
                         2020: {"RUS": 95.0, "KAZ": 20.0, **others},   # 79 %: off, but Kazakhstan's figure is suspect
                         2021: {"RUS": 95.0, "KAZ": 1.0, **others}})
    result = claims.milex_share_95_2020(milex=milex, milex_suspicions=_suspicion(2020, 2020))
    scenarios = result.scenarios.set_index(["when", "scenario"])
    assert bool(scenarios.loc[("as written", "2020"), "suspect"])
    assert scenarios.loc[("as written", "2020"), "grade"] == "off"
    assert result.verdict == "holds"
    assert result.verdict_with_suspect == "holds with caveat"
    assert "depends on suspect data" in result.suspect_note and "Kazakhstan" in result.suspect_note
    # The headline avoids the suspect year.
    assert result.computed_label.startswith("2019")
    # Without the suspicion the same figures decide the verdict.
    plain = claims.milex_share_95_2020(milex=milex, milex_suspicions=_suspicion(2020, 2020).iloc[0:0])
    assert plain.verdict == "holds with caveat" and plain.suspect_note == ""


def test_when_every_scenario_is_suspect_the_claim_is_unverifiable():
    others = {"ARM": 1.0, "BLR": 1.0, "KGZ": 1.0, "TJK": 1.0}
    milex = _milex_rows({year: {"RUS": 95.0, "KAZ": 1.0, **others} for year in (2019, 2020)})
    result = claims.milex_share_95_2020(milex=milex, milex_suspicions=_suspicion(2019, 2020))
    assert result.verdict == "unverifiable"
    assert result.verdict_with_suspect == "holds"


def test_shipped_claims_note_the_suspect_kazakh_series():
    table = claims.check_claims().set_index("claim_id")
    for claim_id in ("000-28", "001-03"):
        assert "Kazakhstan" in table.loc[claim_id, "suspect_note"]
        assert table.loc[claim_id, "computed_verdict"] == table.loc[claim_id, "verdict_with_suspect"]
    assert table.loc["000-33", "suspect_note"] == ""
