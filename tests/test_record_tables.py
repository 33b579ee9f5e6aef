"""Tests of the hand-built record tables: memberships, events, secretaries_general, collective_forces,
deployment_2022, russian_bases, foreign_facilities, exercises and assistance_requests.

The schema checks (types, enums, patterns, keys, source ids) run in test_data_tables.py through frictionless;
these tests check what a schema cannot express: date order, precision conventions, coverage, and that the
questions the notebooks ask are answered by ``load()`` without any cleaning.
"""

import re

import pandas as pd
import pytest

from utils.read import data
from utils import paths
from utils.write import validation

RECORD_TABLES = [
    "memberships",
    "events",
    "secretaries_general",
    "collective_forces",
    "deployment_2022",
    "russian_bases",
    "foreign_facilities",
    "exercises",
    "assistance_requests",
]

#: The column names other parts of the collection rely on (the contract); tables may add more.
CONTRACT_COLUMNS = {
    "memberships": ["organisation", "country", "member_name", "role", "start", "start_precision", "end",
                    "end_precision", "note", "source_id"],
    "events": ["event_id", "date", "date_precision", "category", "title", "summary", "countries", "source_id"],
    "secretaries_general": ["name", "country", "start", "start_precision", "end", "end_precision", "acting", "note",
                            "source_id"],
    "collective_forces": ["force", "established", "figure", "figure_year", "figure_kind", "reported_by", "disputed",
                          "source_id"],
    "deployment_2022": ["contributor", "personnel_low", "personnel_high", "note", "source_id"],
    "russian_bases": ["host", "facility", "location", "personnel", "agreement_until", "agreement_until_precision",
                      "note", "source_id"],
    "foreign_facilities": ["host", "user_state", "facility", "place", "opened", "opened_precision", "closed",
                           "closed_precision", "status", "disputed", "note", "source_id"],
    "exercises": ["year", "name", "host", "troops", "source_id"],
    "assistance_requests": ["date", "date_precision", "requester", "situation", "article_invoked", "outcome",
                            "csto_response", "source_id"],
}

#: (start column, end column) pairs whose order is checked.
DATE_PAIRS = [("start", "end"), ("date", "end_date"), ("arrival", "departure"), ("appointed", "start"), ("opened", "closed")]

#: The day the record tables were last checked: their provenance "retrieved" date (the notebooks take it as "now").
TODAY = pd.Timestamp(data.read_descriptor("events")["provenance"]["retrieved"])


@pytest.fixture(scope="module")
def tables():
    return {name: data.load(name) for name in RECORD_TABLES}


def _precision_columns(frame):
    """(date column, its precision column) for every date column that has one."""
    pairs = []
    for column in frame.columns:
        if column.endswith("_precision"):
            base = column[: -len("_precision")]
            pairs.append((base, column))
    return pairs


@pytest.mark.parametrize("name", RECORD_TABLES)
def test_contract_columns_are_present(tables, name):
    missing = [c for c in CONTRACT_COLUMNS[name] if c not in tables[name].columns]
    assert not missing, f"{name} lacks contract columns {missing}"


@pytest.mark.parametrize("name", RECORD_TABLES)
def test_dates_have_a_matching_valid_precision(tables, name):
    frame = tables[name]
    pairs = _precision_columns(frame)
    for date_col, prec_col in pairs:
        assert date_col in frame.columns, f"{name}: {prec_col} has no date column {date_col}"
        dates, precisions = frame[date_col], frame[prec_col]
        assert pd.api.types.is_datetime64_any_dtype(dates), f"{name}.{date_col} did not load as dates"
        # A precision exactly when there is a date.
        assert (dates.isna() == precisions.isna()).all(), f"{name}: {date_col} and {prec_col} must be empty together"
        assert set(precisions.dropna()) <= {"day", "month", "year"}
        month = precisions == "month"
        year = precisions == "year"
        assert (dates[month].dt.day == 1).all(), f"{name}.{date_col}: month precision must store the 1st"
        assert ((dates[year].dt.day == 1) & (dates[year].dt.month == 1)).all(), (
            f"{name}.{date_col}: year precision must store 1 January"
        )


@pytest.mark.parametrize("name", RECORD_TABLES)
def test_end_dates_do_not_precede_start_dates(tables, name):
    frame = tables[name]
    for first, second in DATE_PAIRS:
        if first in frame.columns and second in frame.columns:
            both = frame[first].notna() & frame[second].notna()
            bad = frame[both & (frame[second] < frame[first])]
            assert bad.empty, f"{name}: {second} before {first} in rows {bad.index.tolist()}"


@pytest.mark.parametrize("name", RECORD_TABLES)
def test_no_date_lies_after_today_unless_planned(tables, name):
    frame = tables[name]
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]) and column not in ("term_scheduled_end", "agreement_until"):
            late = frame[frame[column] > TODAY]
            if "status" in frame.columns:
                late = late[late["status"] == "occurred"]
            assert late.empty, f"{name}.{column}: dates after {TODAY.date()} in rows {late.index.tolist()}"


@pytest.mark.parametrize("name", RECORD_TABLES)
def test_every_row_cites_a_non_seed_source(tables, name):
    sources = data.load("sources").set_index("source_id")
    cited = data.split_list(tables[name]["source_id"])
    for index, ids in cited.items():
        assert ids, f"{name} row {index} cites no source"
        assert all(i in sources.index for i in ids), f"{name} row {index}: unknown source in {ids}"
        kinds = sources.loc[ids, "kind"]
        # A seed may be cited, but only by its own id and never as the only support for a fact.
        assert (kinds != "seed article").any(), f"{name} row {index} rests on seed articles alone: {ids}"


def test_sources_cited_by_record_tables_have_unique_urls():
    sources = data.load("sources")
    cited = set()
    for name in RECORD_TABLES:
        cited |= set(data.split_list(data.load(name)["source_id"]).explode().dropna())
    mine = sources[sources["source_id"].isin(cited)]
    duplicated = mine[mine["url"].duplicated(keep=False)]
    assert duplicated.empty, f"one URL under several ids: {duplicated[['source_id', 'url']].values.tolist()}"


# ------------------------------------------------------------------------------------------------ memberships


def test_uzbekistan_second_exit_is_answered_directly(tables):
    members = tables["memberships"]
    spells = members.query("organisation in ['CST', 'CSTO'] and country == 'UZB' and role == 'member'").sort_values("start")
    assert len(spells) == 2
    first, second = spells.iloc[0], spells.iloc[1]
    assert (first["organisation"], first["end"].year) == ("CST", 1999)
    assert second["organisation"] == "CSTO"
    assert second["start"] == pd.Timestamp("2006-06-23")
    assert second["end"] == pd.Timestamp("2012-12-19")
    assert second["end_reason"] == "membership suspended"
    assert "June 2012" in second["note"]


def test_armenia_is_a_formal_member_with_a_frozen_spell(tables):
    arm = tables["memberships"].query("organisation == 'CSTO' and country == 'ARM'")
    member = arm[arm["role"] == "member"]
    assert len(member) == 1 and member["end"].isna().all() and (member["start"] <= TODAY).all()
    frozen = arm[arm["role"] == "participation_frozen"]
    assert len(frozen) == 1
    assert frozen["start"].iloc[0].year == 2024 and frozen["end"].isna().all()


def test_csto_members_in_2026_are_the_six(tables):
    members = tables["memberships"]
    active = members[(members["organisation"] == "CSTO") & (members["role"] == "member") & (members["start"] <= TODAY)
                     & (members["end"].isna() | (members["end"] >= TODAY))]
    assert sorted(active["country"]) == ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"]


def test_georgia_signature_date_is_recorded_both_ways(tables):
    geo = tables["memberships"].query("organisation == 'CST' and country == 'GEO'")
    assert len(geo) == 2 and geo["disputed"].all()
    assert set(geo["start"].dt.month) == {9, 12}
    assert geo["source_id"].nunique() == 2


def test_cst_had_nine_parties_and_six_renewed(tables):
    cst = tables["memberships"].query("organisation == 'CST'")
    assert cst["country"].nunique() == 9
    lapsed = cst[cst["end_reason"] == "treaty not renewed"]["country"].unique()
    assert sorted(lapsed) == ["AZE", "GEO", "UZB"]


def test_spells_of_one_status_do_not_overlap(tables):
    members = tables["memberships"][~tables["memberships"]["disputed"]]
    for key, spells in members.groupby(["organisation", "country", "role"]):
        spells = spells.sort_values("start")
        # An open spell (no end) may only be the last one.
        assert spells["end"].iloc[:-1].notna().all(), f"an ongoing spell is followed by another for {key}"
        assert (spells["start"].iloc[1:].to_numpy() >= spells["end"].iloc[:-1].to_numpy()).all(), f"overlapping spells for {key}"


def test_pa_observers_and_sco_enlargement(tables):
    members = tables["memberships"]
    pa = members.query("organisation == 'CSTO-PA' and role == 'observer'")
    assert set(pa["country"]) >= {"SRB", "AFG"}
    afg = pa[pa["country"] == "AFG"]
    assert afg["end"].dt.year.tolist() == [2021]
    sco_blr = members.query("organisation == 'SCO' and country == 'BLR' and role == 'member'")
    assert sco_blr["start"].tolist() == [pd.Timestamp("2024-07-04")]


# ------------------------------------------------------------------------------------------------ events


def test_events_cover_1991_to_2026(tables):
    events = tables["events"]
    assert len(events) >= 80
    years = events["date"].dt.year
    assert years.min() == 1991 and years.max() == 2026
    # No decade-long hole: every five-year window has events.
    for start in range(1991, 2026, 5):
        assert years.between(start, start + 4).any(), f"no events in {start}-{start + 4}"


def test_events_include_the_key_milestones(tables):
    events = tables["events"].set_index("event_id")
    assert events.loc["cst_signed", "date"] == pd.Timestamp("1992-05-15")
    assert events.loc["kz_deployment", "category"] == "deployment"
    assert events.loc["uzb_suspended", "date"] == pd.Timestamp("2012-12-19")
    assert events.loc["arm_freeze", "date"].year == 2024


def test_multi_country_events_list_each_country_once(tables):
    lists = data.split_list(tables["events"]["countries"])
    assert lists.map(lambda items: len(items) == len(set(items))).all()


# ------------------------------------------------------------------------------------------------ requests


def test_only_kazakhstan_2022_led_to_a_deployment(tables):
    deployed = tables["assistance_requests"].query("outcome == 'deployed'")
    assert deployed["requester"].tolist() == ["KAZ"]
    assert (deployed["date"].dt.year.tolist(), deployed["date"].dt.month.tolist()) == ([2022], [1])
    assert deployed["article_invoked"].str.contains("Art. 4").all()


def test_requests_cover_the_cases_in_the_research_notes(tables):
    requests = tables["assistance_requests"]
    seen = set(zip(requests["requester"], requests["date"].dt.year))
    for case in [("KGZ", 2010), ("ARM", 2021), ("ARM", 2022), ("TJK", 2021), ("TJK", 2013), ("KAZ", 2022)]:
        assert case in seen, f"missing request {case}"
    outcomes = data.read_descriptor("assistance_requests")["schema"]["fields"]
    enum = next(f for f in outcomes if f["name"] == "outcome")["constraints"]["enum"]
    assert enum == ["deployed", "declined", "consultations only", "fact-finding only", "material aid only", "no response"]


# ------------------------------------------------------------------------------------------------ forces


def test_disputed_force_sizes_stand_side_by_side(tables):
    forces = tables["collective_forces"]
    # 'troops' and 'personnel' are both headcounts of the whole force, so they compete with each other.
    forces = forces.assign(measure=forces["figure_kind"].replace({"personnel": "troops"}))
    for (force, kind), rows in forces[forces["disputed"]].groupby(["force", "measure"]):
        assert len(rows) >= 2, f"{force} {kind}: a disputed figure needs the competing rows"
        assert rows["figure"].nunique() >= 2, f"{force} {kind}: disputed but every row gives the same size"
        assert rows["source_id"].nunique() >= 2, f"{force} {kind}: disputed rows must cite different sources"
    crrf = forces.query("force == 'CRRF' and figure_kind == 'troops'")
    assert {20000, 18000} <= set(crrf["figure"])


def test_deployment_ranges_and_dates(tables):
    deployment = tables["deployment_2022"].set_index("contributor")
    ranged = deployment.dropna(subset=["personnel_low", "personnel_high"])
    assert (ranged["personnel_low"] <= ranged["personnel_high"]).all()
    total = deployment.loc["ALL"]
    assert total["personnel_low"] < total["personnel_high"] and bool(total["disputed"])
    assert total["arrival"] == pd.Timestamp("2022-01-06") and total["departure"] == pd.Timestamp("2022-01-19")
    contributors = set(deployment.index) - {"ALL"}
    assert contributors == {"RUS", "BLR", "ARM", "KGZ", "TJK"}


def test_bases_agreements_outlast_their_start(tables):
    bases = tables["russian_bases"]
    assert set(bases["host"]) == {"ARM", "BLR", "KAZ", "KGZ", "TJK"}
    assert bases.loc[bases["facility_id"] == "base_201", "agreement_until"].dt.year.tolist() == [2042]


def test_exercise_years_match_their_dates(tables):
    exercises = tables["exercises"]
    assert (exercises["year"] == exercises["start"].dt.year).all()
    assert exercises.loc[exercises["status"] == "cancelled", "troops"].isna().all()


def test_secretaries_general_succeed_each_other(tables):
    sgs = tables["secretaries_general"].sort_values("start")
    assert sgs["end"].isna().sum() == 1 and pd.isna(sgs["end"].iloc[-1]), "only the latest office-holder is in office"
    full = sgs[~sgs["acting"]]
    assert full["sg_number"].tolist() == list(range(1, len(full) + 1))
    # Each tenure starts no earlier than the month in which the previous one ended.
    previous_end = sgs["end"].iloc[:-1].dt.to_period("M").reset_index(drop=True)
    next_start = sgs["start"].iloc[1:].dt.to_period("M").reset_index(drop=True)
    assert (next_start >= previous_end).all()


# ------------------------------------------------------------------------------------------------ wording


def _shingles(text, size=8):
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def test_text_fields_are_not_copied_from_seeds_or_research_notes(tables):
    shared = paths.REPO_ROOT.parent / "shared"
    originals = list((shared / "seeds").glob("*.txt")) + [shared / "research" / "csto_facts.md"]
    originals = [p for p in originals if p.exists()]
    if not originals:
        pytest.skip(f"seed articles and research notes not found under {shared}")
    reference = set()
    for path in originals:
        reference |= _shingles(path.read_text(encoding="utf-8"))
    text_columns = ["note", "summary", "title", "situation", "csto_response"]
    for name, frame in tables.items():
        for column in [c for c in text_columns if c in frame.columns]:
            for index, text in frame[column].dropna().items():
                copied = _shingles(text) & reference
                assert not copied, f"{name}.{column} row {index} repeats source wording: {sorted(copied)[:2]}"


# ------------------------------------------------------------------------------------------------ corrections (issue 12)
# Facts once recorded wrongly or left open; each test pins the corrected reading so that a later edit cannot quietly
# bring the old one back.


def test_deployment_total_records_tokayevs_figure(tables):
    total = tables["deployment_2022"].set_index("contributor").loc["ALL"]
    assert total["personnel_low"] <= 2030 <= total["personnel_high"]
    assert "2,030" in total["note"] and "250" in total["note"] and "10 January" in total["note"]
    assert "45th" in tables["deployment_2022"].set_index("contributor").loc["RUS", "note"]


def test_rubezh_2025_and_indestructible_brotherhood_2023_were_held(tables):
    exercises = tables["exercises"].set_index("exercise_id")
    rubezh = exercises.loc["rubezh_2025"]
    assert rubezh["status"] == "held"
    assert (rubezh["start"], rubezh["end"]) == (pd.Timestamp("2025-09-17"), pd.Timestamp("2025-09-20"))
    assert (rubezh["troops"], rubezh["equipment"]) == (1200, 500)
    assert exercises.loc["ib_2023", "status"] == "held"
    events = tables["events"].set_index("event_id")
    assert events.loc[["rubezh_2025", "ib_2023"], "status"].eq("occurred").all()


def test_interaction_2022_records_both_end_dates(tables):
    row = tables["exercises"].set_index("exercise_id").loc["interaction_2022"]
    assert bool(row["disputed"]) and "8 October" in row["note"] and "13 October" in row["note"]
    assert row["troops"] == 6500


def test_exercise_status_and_dates_agree(tables):
    exercises = tables["exercises"]
    # A held exercise lies in the past; an announced one carries no size until a report confirms it took place.
    held = exercises[exercises["status"] == "held"]
    assert (held["start"] <= TODAY).all()
    announced = exercises[exercises["status"] == "announced"]
    assert announced["troops"].isna().all(), "no troop figure for an exercise not confirmed as held"


def test_moscow_summit_2026_says_plainly_what_is_known(tables):
    row = tables["events"].set_index("event_id").loc["moscow_2026"]
    assert row["date"] == pd.Timestamp("2026-11-11")
    if row["status"] == "planned":
        assert "No source" in row["summary"], "a planned event past its date must say that no outcome was found"


@pytest.mark.parametrize("name,text", [("events", "summary"), ("exercises", "note")])
def test_rows_still_pending_after_their_date_say_no_outcome_was_found_by_the_day_checked(tables, name, text):
    # A row still planned or announced when the tables were checked must say so plainly, naming that day, so a
    # reader knows how old the silence is (validate warns of these rows; re-checking them updates the day).
    checked_on = f"found by {TODAY.day} {TODAY:%B %Y}"
    frame = tables[name].set_index(tables[name].columns[0])
    pending = [re.search(r"\((\w+)\): status", line).group(1)
               for line in validation.pending_rows_past_their_date(name, today=TODAY.date())]
    assert name != "events" or "moscow_2026" in pending
    vague = [key for key in pending if checked_on not in frame.at[key, text]]
    assert not vague, f"{name}: rows past their date that do not say '... {checked_on}': {vague}"


def test_events_reach_november_2026_with_the_2024_to_2026_record(tables):
    events = tables["events"].set_index("event_id")
    for event_id in ["forces_status_2024", "arm_outside_2024", "security_strategy_2025", "plan_2026", "moscow_2026"]:
        assert event_id in events.index, f"missing event {event_id}"
    assert events.loc["forces_status_2024", "date"] == pd.Timestamp("2024-11-28")
    assert events.loc["security_strategy_2025", "date"] == events.loc["bishkek_2025", "date"]
    assert events["date"].max() >= pd.Timestamp("2026-11-01")


def test_russian_base_strengths_follow_the_official_figures(tables):
    bases = tables["russian_bases"].set_index("facility_id")
    assert (bases.loc["kant", "personnel"], bases.loc["kant", "personnel_year"]) == (400, 2013)
    assert bases.loc["gyumri_102", "personnel"] == 3000
    # The higher figures stand beside them in the note, and the rows are marked as contested.
    assert "700" in bases.loc["kant", "note"] and "5,000" in bases.loc["gyumri_102", "note"]
    assert bases.loc[["kant", "gyumri_102"], "disputed"].all()
    # The Belarus sites were extended by 25 years from 2021.
    assert bases.loc[["vileyka_43", "volga_radar"], "agreement_until"].dt.year.eq(2046).all()


def test_armenia_2021_request_cites_article_2(tables):
    row = tables["assistance_requests"].set_index("request_id").loc["arm_2021_syunik"]
    assert "Art. 2" in row["article_invoked"]
    assert (row["date"], row["date_precision"]) == (pd.Timestamp("2021-05-13"), "day")


def test_kyrgyzstan_joined_the_eaeu_on_12_august_2015_in_table_and_ledger(tables):
    members = tables["memberships"]
    kgz = members.query("organisation == 'EAEU' and country == 'KGZ' and role == 'member'")
    assert kgz["start"].tolist() == [pd.Timestamp("2015-08-12")]
    claim = data.load("claims").set_index("claim_id").loc["001-13"]
    assert "12 Aug 2015" in claim["evidence"] and "not verified" not in claim["evidence"]


def test_early_year_stock_taking_claim_is_graded_with_caveat():
    claim = data.load("claims").set_index("claim_id").loc["000-15"]
    assert claim["verdict"] == "holds with caveat"
    assert "Joint Staff" in claim["evidence"]


# ------------------------------------------------------------------------------------------------ foreign facilities


def test_manas_dates_agree_with_the_events_table(tables):
    manas = tables["foreign_facilities"].set_index("facility_id").loc["manas"]
    events = tables["events"].set_index("event_id")
    assert (manas["opened"], manas["opened_precision"]) == (
        events.at["manas_opens", "date"], events.at["manas_opens", "date_precision"])
    assert (manas["closed"], manas["closed_precision"]) == (
        events.at["manas_closes", "date"], events.at["manas_closes", "date_precision"])
    assert manas["closed"] == pd.Timestamp("2014-06-03")


def test_foreign_facilities_stand_at_mapped_towns_of_their_host(tables):
    # The map joins the table to data/places.csv by town name; a town in another state would be drawn wrongly.
    places = data.load("places").set_index("place")
    facilities = tables["foreign_facilities"]
    missing = sorted(set(facilities["place"]) - set(places.index))
    assert not missing, f"foreign_facilities: add {missing} to PLACES in utils/write/importers/geography.py"
    assert (places.loc[facilities["place"], "iso3"].to_numpy() == facilities["host"].to_numpy()).all()
    assert not facilities[["host", "user_state"]].isin(["RUS"]).any().any(), "Russia's facilities belong in russian_bases"


def test_contested_facilities_are_marked_and_closed_ones_are_dated_consistently(tables):
    facilities = tables["foreign_facilities"].set_index("facility_id")
    # The reported Chinese post is denied by both governments: contested, with no date of closure.
    china = facilities.loc["shaymak"]
    assert (china["user_state"], china["status"], bool(china["disputed"])) == ("CHN", "disputed", True)
    assert pd.isna(china["closed"])
    # India's Ayni presence: contested, and over by 2022 by the Indian accounts.
    ayni = facilities.loc["ayni"]
    assert bool(ayni["disputed"]) and ayni["closed"].year == 2022
    # A status of 'disputed' always comes with the disputed mark; a closing date only with status 'closed'.
    assert facilities.loc[facilities["status"] == "disputed", "disputed"].all()
    assert (facilities.loc[facilities["closed"].notna(), "status"] == "closed").all()
    # K2 closed before Termez, which Germany kept after the US left Uzbekistan.
    assert facilities.at["karshi_khanabad", "closed"] == pd.Timestamp("2005-11-21")
    assert facilities.at["termez", "closed"] == pd.Timestamp("2015-12-11")


# --------------------------------------------------------------------------------------------- record is strict
# `record` is the gate of every hand-built fact: what it accepts, load() serves. Each case below was once recorded.


def _edit(folder, name, row, **values):
    """Set cells of row ``row`` of ``folder/name.csv`` (as text, as a person editing the file would)."""
    from utils.write import tables as writer

    frame = pd.read_csv(paths.table_csv(name, folder), dtype=str, keep_default_na=False)
    for column, value in values.items():
        frame.loc[row, column] = value
    paths.table_csv(name, folder).write_bytes(writer.to_csv_bytes(frame))


def _refused(folder, name, *expected):
    """``record`` refuses the table with a message holding each of ``expected``; the descriptor is unchanged."""
    from utils.write import tables as writer
    from utils.write.validation import DataValidationError

    before = paths.table_descriptor(name, folder).read_bytes()
    with pytest.raises(DataValidationError) as refused:
        writer.record(name, folder)
    for text in expected:
        assert text in str(refused.value), str(refused.value)
    assert paths.table_descriptor(name, folder).read_bytes() == before
    return str(refused.value)


def test_record_refuses_five_billion_exercise_troops(data_copy):
    _edit(data_copy, "exercises", 0, troops="5000000000")
    _refused(data_copy, "exercises", "column 'troops'", "5000000000")


def test_every_numeric_column_of_a_hand_built_table_has_a_ceiling_and_a_floor():
    for name in data.table_names():
        descriptor = data.read_descriptor(name)
        if not data.is_hand_built(descriptor):
            continue
        for field in descriptor["schema"]["fields"]:
            if field.get("type") in ("integer", "number", "year"):
                assert {"minimum", "maximum"} <= set(field.get("constraints", {})), f"{name}.{field['name']}"


def test_record_refuses_a_numeric_column_without_a_maximum(data_copy):
    from utils.write import tables as writer

    descriptor = data.read_descriptor("exercises", data_copy)
    next(f for f in descriptor["schema"]["fields"] if f["name"] == "troops")["constraints"].pop("maximum")
    writer.write_descriptor("exercises", descriptor, data_copy)
    _refused(data_copy, "exercises", "column 'troops'", "no maximum")


def test_record_refuses_an_exercise_held_in_2150_and_one_held_after_the_edition(data_copy):
    _edit(data_copy, "exercises", 0, year="2150", start="2150-08-02", end="2150-08-06")
    _refused(data_copy, "exercises", "column 'year'")
    shutil_copy_back(data_copy, "exercises")
    _edit(data_copy, "exercises", 0, year="2027", start="2027-08-02", end="2027-08-06")
    message = _refused(data_copy, "exercises", "2027-08-02 is after this table's edition", "'held'", "'announced'")
    assert "\n  ... and" not in message or "column 'year'" in message
    _edit(data_copy, "exercises", 0, status="announced")  # a planned exercise may lie ahead
    from utils.write import tables as writer

    writer.record("exercises", data_copy)
    assert data.load("exercises", data_copy).loc[0, "year"] == 2027


def test_record_refuses_an_event_that_occurred_in_2150_or_in_1066(data_copy):
    _edit(data_copy, "events", 0, date="2150-01-01")
    _refused(data_copy, "events", "2150-01-01 is after this table's edition", "status is 'occurred'", "'planned'")
    _edit(data_copy, "events", 0, date="1066-10-14")
    _refused(data_copy, "events", "column 'date'", "1066-10-14")


def test_record_refuses_a_ten_megabyte_summary(data_copy):
    _edit(data_copy, "events", 0, summary="x" * 10_000_000)
    _refused(data_copy, "events", "column 'summary'", "10,000,000 characters long")


def test_record_refuses_a_nul_byte_and_control_characters(data_copy):
    _edit(data_copy, "events", 3, summary="before\x00after")
    _refused(data_copy, "events", "row 5", "NUL byte")
    shutil_copy_back(data_copy, "events")
    _edit(data_copy, "events", 3, summary="before\x1bafter")
    _refused(data_copy, "events", "row 5, column 'summary'", "control character 27")


@pytest.mark.parametrize("formula", [
    '=HYPERLINK("https://example.org","click")', "=cmd|' /C calc'!A0", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
])
def test_record_refuses_a_spreadsheet_formula_in_a_text_field(data_copy, formula):
    _edit(data_copy, "exercises", 1, note=formula)
    _refused(data_copy, "exercises", "row 3, column 'note'", f"begins with {formula[0]!r}", "formula")


@pytest.mark.parametrize("start", ["\t", "\r"])
def test_record_refuses_a_cell_beginning_with_a_tab_or_carriage_return(data_copy, start):
    _edit(data_copy, "exercises", 1, note=f"{start}=1+1")
    message = _refused(data_copy, "exercises", "=1+1")
    assert "control character" in message or "formula" in message


def test_record_keeps_text_that_only_looks_like_a_formula(data_copy):
    from utils.write import tables as writer

    _edit(data_copy, "claims", 0, stated_value="-12%")
    _edit(data_copy, "claims", 1, stated_value="-")
    writer.record("claims", data_copy)
    assert data.load("claims", data_copy).loc[:1, "stated_value"].tolist() == ["-12%", "-"]


def shutil_copy_back(folder, name):
    """Put the repository's version of a table back into ``folder`` (between two cases of one test)."""
    paths.table_csv(name, folder).write_bytes(paths.table_csv(name, paths.DEFAULT_DATA_DIR).read_bytes())


# --------------------------------------------------------------------------------------------- official extracts


@pytest.mark.parametrize("edit", ["value", "deleted row"])
def test_record_refuses_an_official_extract_and_names_its_importer(data_copy, edit, capsys):
    from utils.write import tables as writer

    frame = pd.read_csv(paths.table_csv("milex", data_copy), dtype=str, keep_default_na=False)
    frame = frame.drop(index=5) if edit == "deleted row" else frame.assign(value=frame["value"].where(frame.index != 5, "99"))
    paths.table_csv("milex", data_copy).write_bytes(writer.to_csv_bytes(frame))
    before = paths.table_descriptor("milex", data_copy).read_bytes()
    with pytest.raises(writer.OfficialExtract, match="never edited by hand") as refused:
        writer.record("milex", data_copy)
    assert "python -m utils.write.refresh milex" in str(refused.value)
    assert paths.table_descriptor("milex", data_copy).read_bytes() == before
    assert writer.main(["record", "milex"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "official extract" in err and "utils.write.refresh milex" in err
    with pytest.raises(data.TableRefused, match="never edited by hand"):
        data.load("milex", data_copy)


def test_record_on_a_full_disk_names_the_folder(data_copy, monkeypatch, capsys):
    import errno

    from utils.write import tables as writer, transaction

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(transaction, "commit", full)
    assert writer.main(["record", "events"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err and paths.display(data_copy) in err


def test_a_reader_who_cannot_write_is_told_whom_to_ask_after_an_interrupted_change(data_copy, monkeypatch):
    import os

    paths.pending_path(data_copy).mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if str(path) == str(data_copy) else real_access(path, mode))
    with pytest.raises(data.TableRefused, match="cannot write to this folder: ask someone who can") as refused:
        data.load("events", data_copy)
    assert "\n" not in str(refused.value) and "recover" in str(refused.value)


def test_a_bound_message_shows_a_plain_number(data_copy):
    from utils.write import validation

    descriptor = data.read_descriptor("milex", data_copy)
    frame = pd.read_csv(paths.table_csv("milex", data_copy), dtype=str, keep_default_na=False)
    share = frame.index[frame["measure"].str.startswith("share_gdp")][0]
    frame.loc[share, "value"] = "4.1"  # a share given in per cent
    from utils.write import tables as writer

    with pytest.raises(validation.DataValidationError) as refused:
        validation.validate_table("milex", data_copy, content=writer.to_csv_bytes(frame), descriptor=descriptor)
    assert "value 4.1 is above 1" in str(refused.value) and "np.float64" not in str(refused.value)
