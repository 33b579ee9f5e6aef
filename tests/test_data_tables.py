"""Data tests: every committed table matches its descriptor, its checksum and the sources table."""

import json

import pandas as pd
import pytest

from utils.read import data, sourcing
from utils import paths
from utils.write import validation

TABLES = data.table_names(paths.DEFAULT_DATA_DIR)


def test_every_csv_has_a_descriptor_and_every_descriptor_a_csv():
    folder = paths.DEFAULT_DATA_DIR
    csvs = {p.stem for p in folder.glob("*.csv")}
    described = set(TABLES)
    assert csvs - described == set(), f"tables without a descriptor: {sorted(csvs - described)}"
    assert described - csvs == set(), f"descriptors without a table: {sorted(described - csvs)}"


@pytest.mark.parametrize("name", TABLES)
def test_table_is_valid_against_its_schema(name):
    validation.validate_table(name, paths.DEFAULT_DATA_DIR)


@pytest.mark.parametrize("name", TABLES)
def test_checksum_matches_the_recorded_one(name):
    descriptor = data.read_descriptor(name, paths.DEFAULT_DATA_DIR)
    content = paths.table_csv(name, paths.DEFAULT_DATA_DIR).read_bytes()
    assert descriptor.get("hash") == data.sha256_of(content), (
        f"data/{name}.csv changed since its checksum was recorded: "
        f"run `python -m utils.write.tables record {name}` once the edit is intended"
    )
    assert descriptor.get("bytes") == len(content)


@pytest.mark.parametrize("name", TABLES)
def test_descriptor_has_provenance(name):
    descriptor = data.read_descriptor(name, paths.DEFAULT_DATA_DIR)
    provenance = descriptor.get("provenance", {})
    for key in ("source", "edition", "retrieved", "licence_terms", "builder", "notebooks"):
        assert provenance.get(key), f"{name}.resource.json: provenance lacks {key!r}"
    for field in descriptor["schema"]["fields"]:
        assert field.get("type"), f"{name}: column {field['name']!r} has no type"


@pytest.mark.parametrize("name", [name for name in TABLES if name != "sources"])  # the register of sources itself
def test_hand_built_tables_cite_sources(name):
    descriptor = data.read_descriptor(name, paths.DEFAULT_DATA_DIR)
    columns = [f["name"] for f in descriptor["schema"]["fields"]]
    is_official = descriptor["provenance"]["builder"].startswith(("python -m utils.write.refresh", "python -m utils.write.importers."))
    assert is_official or "source_id" in columns, f"{name} is hand-built but has no source_id column"


@pytest.mark.parametrize("name", TABLES)
def test_loaded_columns_match_the_schema(name):
    frame = data.load(name)
    descriptor = data.read_descriptor(name, paths.DEFAULT_DATA_DIR)
    assert list(frame.columns) == [f["name"] for f in descriptor["schema"]["fields"]]
    assert len(frame) > 0


def test_descriptors_are_canonical_json():
    for name in TABLES:
        path = paths.table_descriptor(name, paths.DEFAULT_DATA_DIR)
        text = path.read_text(encoding="utf-8")
        assert json.loads(text)["name"] == name, f"{path.name}: 'name' should be {name!r}"


# ------------------------------------------------------------------------------------------------ sourcing rule
# Every hand-built table cites sources; utils/read/sourcing.py grades each source by tier. The rule: no fact rests only on
# an aggregator, mirror or unknown site, and a contested fact carries at least two sources from independent outlets.

#: Tables whose rows state facts, each with its source_id column.
FACT_TABLES = [
    "memberships", "events", "secretaries_general", "collective_forces", "deployment_2022", "russian_bases",
    "foreign_facilities", "exercises", "assistance_requests", "claims",
]

#: Claims ledger verdicts that assert something about the world (interpretive and unverifiable rows assert nothing).
FACTUAL_VERDICTS = {"holds", "holds with caveat", "outdated", "wrong"}


def _facts(name):
    frame = data.load(name)
    if name == "claims":
        frame = frame[frame["verdict"].isin(FACTUAL_VERDICTS)]
    return frame


def test_tier_vocabulary_is_defined_once():
    # The descriptor's enum is the one in utils.read.sourcing, in the same order (strongest first).
    fields = data.read_descriptor("sources", paths.DEFAULT_DATA_DIR)["schema"]["fields"]
    tier = next(f for f in fields if f["name"] == "tier")
    assert tier["constraints"]["enum"] == list(sourcing.TIERS)
    assert sourcing.WEAK_TIER == list(sourcing.TIERS)[-1]


def test_every_source_has_a_tier_and_an_outlet():
    sources = data.load("sources")
    assert sources["tier"].isin(list(sourcing.TIERS)).all()
    assert sources["outlet"].str.strip().str.len().gt(0).all()
    # The seed articles are the texts under review, never evidence: they rank with unknown sites.
    assert (sources.loc[sources["kind"] == "seed article", "tier"] == sourcing.WEAK_TIER).all()


#: Outlets that follow a government's line without being state media, and that government (issue of the fact check
#: of December 2026). Their tier stays what it is; the mark tells readers whose line they follow.
GOVERNMENT_ALIGNED = {"Azernews": "AZE", "Trend": "AZE", "APA": "AZE", "Report.az": "AZE", "Caliber.Az": "AZE",
                      "Vestnik Kavkaza": "AZE", "EADaily": "RUS", "Regnum": "RUS"}


def test_government_aligned_outlets_carry_the_mark_and_state_media_do_not():
    sources = data.load("sources")
    by_outlet = sources.groupby("outlet")["aligned_with"].agg(lambda codes: set(codes.fillna("")))
    for outlet, code in GOVERNMENT_ALIGNED.items():
        assert by_outlet.get(outlet) == {code}, f"every source from {outlet} should have aligned_with {code}"
    # One outlet, one mark (a reprint keeps its outlet's); state media already say whose word they carry.
    assert by_outlet.map(len).eq(1).all(), by_outlet[by_outlet.map(len) > 1].to_dict()
    assert sources.loc[sources["tier"] == "state_media", "aligned_with"].isna().all()


def test_reading_list_shows_each_tier_with_the_aligned_mark_strongest_first():
    sources = pd.DataFrame({
        "source_id": ["mirror", "wire", "paper", "aligned"],
        "title": ["A <copy>", "Wire story", "Paper", "Aligned report"],
        "url": ["https://example.org/a?x=1&y=2", "https://example.org/w", "no public address", "https://example.org/t"],
        "tier": ["aggregator", "state_media", "news", "news"],
        "aligned_with": [None, None, None, "AZE"],
    })
    html = sourcing.reading_list(["mirror", "wire", "unknown_id", "paper", "aligned", "wire"], sources)
    items = html.split("<li>")[1:]
    assert "<summary>4 sources" in html
    assert [item.split(" (")[-1].split(")")[0] for item in items] == [
        "news", "news, government-aligned: Azerbaijan", "state media", "aggregator"]
    assert items[0].startswith("Paper (") and "href" not in items[0]  # no web address, no link
    assert "A &lt;copy&gt;" in items[-1] and "x=1&amp;y=2" in items[-1]  # titles and addresses are escaped


def test_lessons_render_tiers_only_through_the_reading_list():
    # One place draws a source list with its tiers: a lesson that builds its own <li> items would drop the marks.
    for path in sorted(paths.NOTEBOOKS_DIR.glob("0*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")
        # A list item with a link is a list of sources (a folded list of claims and their evidence is not).
        assert not ("<li>" in code and "href" in code), \
            f"{path.name} builds its own list of sources: use sourcing.reading_list"


@pytest.mark.parametrize("name", FACT_TABLES)
def test_no_fact_rests_only_on_aggregators_mirrors_or_unknown_sites(name):
    marked = sourcing.mark_weak(_facts(name))
    weak = marked[marked["weakly_sourced"]]
    key = marked.columns[0]
    assert weak.empty, (
        f"{name}: rows citing only aggregator-tier sources: "
        f"{weak[[key, 'source_id']].values.tolist()} -- add an official, research, news or state-media source"
    )


@pytest.mark.parametrize("name", FACT_TABLES)
def test_contested_facts_carry_two_independent_sources(name):
    frame = data.load(name)
    thin = [
        (group, rows["source_id"].tolist())
        for group, rows in sourcing.contested_groups(name, frame)
        if sourcing.independent_outlets(rows) < 2
    ]
    assert not thin, f"{name}: contested facts with fewer than two independent non-aggregator sources: {thin}"


def test_mark_weak_flags_rows_whose_every_source_is_an_aggregator():
    sources = data.load("sources").set_index("source_id")
    mirror = sources.index[sources["tier"] == sourcing.WEAK_TIER][0]
    official = sources.index[sources["tier"] == "official"][0]
    rows = pd.DataFrame({"source_id": [mirror, f"{mirror};{official}", official]})
    marked = sourcing.mark_weak(rows)
    assert marked["weakly_sourced"].tolist() == [True, False, False]
    assert marked["best_tier"].tolist() == [sourcing.WEAK_TIER, "official", "official"]
    labels = sourcing.with_mark(pd.Series(["a", "b", "c"]), marked["weakly_sourced"])
    assert labels.tolist() == ["a" + sourcing.WEAK_MARK, "b", "c"]


def test_independent_outlets_counts_reprints_of_one_outlet_once():
    sources = data.load("sources")
    by_outlet = sources[sources["tier"] != sourcing.WEAK_TIER].groupby("outlet")["source_id"].apply(list)
    one_outlet = next(ids for ids in by_outlet if len(ids) >= 2)[:2]
    other = next(ids for outlet, ids in by_outlet.items() if ids[0] not in one_outlet)[0]
    same = pd.DataFrame({"source_id": [";".join(one_outlet)]})
    assert sourcing.independent_outlets(same) == 1
    assert sourcing.independent_outlets(pd.DataFrame({"source_id": [";".join(one_outlet + [other])]})) == 2
