"""Every table says under which terms it may be used, and data/ is one Frictionless data package.

- each descriptor has a standard ``licenses`` entry: the course's own tables CC BY 4.0, SIPRI's extracts SIPRI's
  non-commercial fair use, every other third party its own terms;
- no provenance names a path outside the repository (a reader has no ``../shared``);
- ``data/datapackage.json`` lists every table as its descriptor has it, with the foreign keys the schemas can express,
  and validates with ``frictionless``, rows and keys.
"""

import json
import re
import shutil

import frictionless
import pytest

from utils.paths import REPO_ROOT
from utils.read import data
from utils.write import tables

DATA = REPO_ROOT / "data"
NAMES = data.table_names(DATA)
#: Licence ids of the Open Definition that a ``licenses`` entry may name (others give a title and a path only).
OPEN_DEFINITION_IDS = {"CC-BY-4.0", "CC0-1.0", "ODC-PDDL-1.0", "ODC-BY-1.0", "other-pd"}
#: Hand-built tables: the course's own compilations, under CC BY 4.0 (see LICENSE-content).
HAND_BUILT = {"sources", "memberships", "events", "secretaries_general", "collective_forces", "deployment_2022",
              "russian_bases", "foreign_facilities", "exercises", "assistance_requests", "claims"}
#: Paths a reader of the repository cannot follow: a parent folder, an absolute path, a home folder.
OUTSIDE = re.compile(r"(^|[\s'\"(=])(\.\./|/(work|home|tmp|root|Users)/|~/)")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.mark.parametrize("name", NAMES)
def test_every_table_has_a_standard_licence_entry(name):
    licenses = data.read_descriptor(name, DATA).get("licenses")
    assert licenses, f"{name}.resource.json has no 'licenses' entry"
    for entry in licenses:
        assert entry.get("title") and str(entry.get("path", "")).startswith("https://"), (
            f"{name}: a licence entry needs a title and the address of its terms, got {entry}")
        assert entry.get("name") is None or entry["name"] in OPEN_DEFINITION_IDS, (
            f"{name}: licence name {entry['name']!r} is not an Open Definition id; give a title and a path instead")


#: Third-party tables: where their publisher's terms are, and the licence id they carry, if any.
PUBLISHERS = {
    "milex": ("sipri.org", None), "milex_suspicions": ("sipri.org", None),
    "arms_transfers": ("sipri.org", None), "arms_deals": ("sipri.org", None),
    "population": ("worldbank.org", "CC-BY-4.0"), "gdp": ("worldbank.org", "CC-BY-4.0"),
    "personnel": ("correlatesofwar.org", "CC-BY-4.0"), "conflicts": ("ucdp.uu.se", "CC-BY-4.0"),
    "boundaries": ("naturalearthdata.com", "other-pd"), "places": ("geonames.org", "CC-BY-4.0"),
}


@pytest.mark.parametrize("name", [n for n in NAMES if n in HAND_BUILT or n in PUBLISHERS])
def test_licence_matches_the_source(name):
    licenses = data.read_descriptor(name, DATA)["licenses"]
    names = {entry.get("name") for entry in licenses}
    if name in HAND_BUILT:
        assert names == {"CC-BY-4.0"}, f"{name} is the course's own compilation: CC BY 4.0"
        return
    where, licence_id = PUBLISHERS[name]
    assert any(where in entry["path"] for entry in licenses), f"{name}: its publisher's terms ({where}) are not named"
    if where == "sipri.org":  # SIPRI allows non-commercial use only: no open licence may be claimed for its data
        assert names == {None} and all("non-commercial" in entry["title"] for entry in licenses), licenses
    else:
        assert licence_id in names, f"{name}: its publisher licenses it as {licence_id}"


@pytest.mark.parametrize("name", NAMES)
def test_no_provenance_path_outside_the_repository(name):
    descriptor = data.read_descriptor(name, DATA)
    found = [text for text in _strings(descriptor.get("provenance", {})) if OUTSIDE.search(text)]
    assert not found, f"{name}.resource.json names paths a reader does not have: {found}"


def test_outside_paths_are_recognised():
    assert OUTSIDE.search("python -m utils.write.refresh milex ../shared/sources/x.xlsx")
    assert OUTSIDE.search("/work/main/data") and not OUTSIDE.search("data/milex.csv and utils/read")


# ------------------------------------------------------------------------------------------------ the data package


def test_datapackage_is_written_from_the_descriptors():
    stored = (DATA / tables.PACKAGE).read_text(encoding="utf-8")
    assert stored == tables.package_bytes(DATA).decode("utf-8"), (
        f"data/{tables.PACKAGE} differs from the descriptors: run python -m utils.write.tables package")
    package = json.loads(stored)
    assert [r["name"] for r in package["resources"]] == NAMES


def test_official_tables_refer_to_their_sources():
    package = json.loads((DATA / tables.PACKAGE).read_text(encoding="utf-8"))
    keyed = {r["name"] for r in package["resources"] if r["schema"].get("foreignKeys")}
    assert {"milex", "arms_transfers", "arms_deals", "population", "gdp", "personnel", "conflicts"} <= keyed


def test_datapackage_validates_rows_and_keys():
    report = frictionless.validate(DATA / tables.PACKAGE)
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]


def test_a_source_id_missing_from_sources_breaks_the_package(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    gdp = folder / "gdp.csv"
    gdp.write_text(gdp.read_text(encoding="utf-8").replace(",wb_gdp\n", ",wb_nowhere\n", 1), encoding="utf-8")
    (folder / tables.PACKAGE).write_bytes(tables.package_bytes(folder))
    report = frictionless.validate(folder / tables.PACKAGE)
    assert "foreign-key" in {error.type for task in report.tasks for error in task.errors}
