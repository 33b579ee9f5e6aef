"""Data tests: every committed table matches its descriptor, its checksum and the sources table."""

import json

import pytest

from utils import data, paths

TABLES = data.table_names(paths.DEFAULT_DATA_DIR)


def test_every_csv_has_a_descriptor_and_every_descriptor_a_csv():
    folder = paths.DEFAULT_DATA_DIR
    csvs = {p.stem for p in folder.glob("*.csv")}
    described = set(TABLES)
    assert csvs - described == set(), f"tables without a descriptor: {sorted(csvs - described)}"
    assert described - csvs == set(), f"descriptors without a table: {sorted(described - csvs)}"


@pytest.mark.parametrize("name", TABLES)
def test_table_is_valid_against_its_schema(name):
    data.validate_table(name, paths.DEFAULT_DATA_DIR)


@pytest.mark.parametrize("name", TABLES)
def test_checksum_matches_the_recorded_one(name):
    descriptor = data.read_descriptor(name, paths.DEFAULT_DATA_DIR)
    content = paths.table_csv(name, paths.DEFAULT_DATA_DIR).read_bytes()
    assert descriptor.get("hash") == data.sha256_of(content), (
        f"data/{name}.csv changed since its checksum was recorded: "
        f"run `python -m utils.data record {name}` once the edit is intended"
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


@pytest.mark.parametrize("name", TABLES)
def test_hand_built_tables_cite_sources(name):
    descriptor = data.read_descriptor(name, paths.DEFAULT_DATA_DIR)
    if name == "sources":
        return
    columns = [f["name"] for f in descriptor["schema"]["fields"]]
    is_official = descriptor["provenance"]["builder"].startswith(("python -m utils.refresh", "python -m utils.importers."))
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
