"""The SIPRI military expenditure importer on the four official workbooks in ../shared/sources/sipri_milex."""


import openpyxl
import pandas as pd
import pytest

from utils.read import countries, data
from utils import paths
from utils.write.importers import sipri_milex
from utils.write import tables

pytestmark = pytest.mark.shared

NEWEST = "SIPRI-Milex-data-1949-2025_v1.2.xlsx"
CORRECTED_2024 = "SIPRI-Milex-data-1949-2023.xlsx"

#: What PROVENANCE.md says about each workbook: release, price base, last data year.
WORKBOOKS = {
    NEWEST: (2026, 2024, 2025),
    "SIPRI-Milex-data-1949-2024_2.xlsx": (2025, 2023, 2024),
    CORRECTED_2024: (2024, 2022, 2023),
    "SIPRI-Milex-data-1948-2023.xlsx": (2024, 2022, 2023),
}
STEMS = ("constant_usd", "current_usd", "share_gdp", "share_govt", "per_capita")


@pytest.fixture(scope="session")
def imported(shared_sources):
    """Each workbook imported once per test session (kept as (result, None) pairs for the tests that unpack them)."""
    return {name: (sipri_milex.read(shared_sources / "sipri_milex" / name, progress=False), None) for name in WORKBOOKS}


@pytest.mark.parametrize("name", list(WORKBOOKS))
def test_every_workbook_imports_with_release_and_price_base_read_from_the_file(imported, name):
    result, _ = imported[name]
    release, base, last = WORKBOOKS[name]
    info = result.provenance["milex"]
    assert (info["release"], info["price_base"], info["years"]) == (release, base, [1992, last])
    assert info["edition"] == f"SIPRI Military Expenditure Database {release}"
    assert info["edition_from"] == "front-page citation"
    frame = result.tables["milex"]
    assert list(frame.columns) == sipri_milex.COLUMNS
    assert set(frame["iso3"]) == set(countries.TREATY_PARTIES)
    assert set(frame["measure"]) == {f"constant_usd_{base}", "current_usd", "share_gdp", "share_govt", "per_capita"}
    # one row per country, year and measure: 9 x years x 5
    assert len(frame) == 9 * (last - 1992 + 1) * 5
    assert not frame.duplicated(["iso3", "year", "measure"]).any()
    assert frame["country"].eq(frame["iso3"].map(countries.name_of)).all()
    assert "Kyrgyzstan" in set(frame["country"]) and "Kyrgyz Republic" not in set(frame["country"])
    empty = frame["value"].isna()
    assert (empty == frame["status"].isin(["no_data", "not_a_state"])).all()
    assert set(frame["status"]) <= set(sipri_milex.STATUSES)
    assert (frame["value"].dropna() >= 0).all()
    # shares are fractions: SIPRI stores 4.1 % as 0.041
    shares = frame.loc[frame["measure"].str.startswith("share_"), "value"].dropna()
    assert shares.max() < 1
    assert frame.loc[frame["measure"] == f"constant_usd_{base}", "unit"].eq(
        f"US$ million, constant {base} prices and exchange rates").all()


def test_values_match_an_independent_read_with_pandas(imported, shared_sources):
    """Every treaty party's constant and GDP-share figures equal what pandas reads from the same sheets."""
    result, _ = imported[NEWEST]
    frame = result.tables["milex"]
    path = shared_sources / "sipri_milex" / NEWEST
    for sheet, measure in (("Constant (2024) US$", "constant_usd_2024"), ("Share of GDP", "share_gdp")):
        raw = pd.read_excel(path, sheet_name=sheet, header=5)
        raw = raw[raw["Country"].isin([sipri_milex.SIPRI_NAMES[c][0] for c in countries.TREATY_PARTIES])]
        ours = frame[frame["measure"] == measure]
        for row in raw.itertuples(index=False):
            code = countries.iso3(row.Country)
            for year in range(1992, 2026):
                expected = raw.loc[raw["Country"] == row.Country, year].iloc[0]
                got = ours[(ours["iso3"] == code) & (ours["year"] == year)].iloc[0]
                if isinstance(expected, str):
                    assert pd.isna(got["value"]) and got["status"] == {"...": "no_data", "xxx": "not_a_state"}[expected]
                else:
                    assert got["value"] == expected, (code, year, measure)


def test_font_colours_become_statuses(imported, shared_sources):
    """Blue figures are SIPRI estimates, red ones uncertain: checked against openpyxl's full (styled) reader."""
    result, _ = imported[NEWEST]
    frame = result.tables["milex"].set_index(["iso3", "year", "measure"])
    workbook = openpyxl.load_workbook(shared_sources / "sipri_milex" / NEWEST)
    sheet = workbook["Constant (2024) US$"]
    header = [cell.value for cell in sheet[6]]
    seen = {"estimate": 0, "uncertain": 0, "reported": 0}
    for row in sheet.iter_rows(min_row=8):
        code = countries.iso3(str(row[0].value))
        if code not in countries.TREATY_PARTIES:
            continue
        for cell, year in zip(row, header):
            if not isinstance(year, int) or year < 1992 or not isinstance(cell.value, float):
                continue
            colour = cell.font.color
            # The 2026 workbook uses the legacy palette: index 12 is blue, 10 is red.
            expected = {12: "estimate", 10: "uncertain"}.get(colour.indexed if colour is not None else None, "reported")
            assert frame.loc[(code, year, "constant_usd_2024"), "status"] == expected, (code, year)
            seen[expected] += 1
    assert all(seen.values()), seen  # the check covered all three kinds


def test_russia_2020_and_the_comparison_release_in_data():
    milex = data.load("milex")
    row = milex[(milex["iso3"] == "RUS") & (milex["year"] == 2020) & (milex["measure"] == "constant_usd_2024")
                & (milex["edition"] == "SIPRI Military Expenditure Database 2026")]
    assert len(row) == 1
    assert round(row["value"].iloc[0], 1) == 67165.7
    assert row["status"].iloc[0] == "reported"
    assert set(milex["release"]) == {2026, 2024}
    assert set(milex.loc[milex["release"] == 2024, "measure"]) == {"constant_usd_2022"}


def test_russia_value_is_stored_exactly_as_in_the_workbook(imported):
    result, _ = imported[NEWEST]
    frame = result.tables["milex"]
    source = frame[(frame["iso3"] == "RUS") & (frame["year"] == 2020) & (frame["measure"] == "constant_usd_2024")]
    milex = data.load("milex")
    stored = milex[(milex["iso3"] == "RUS") & (milex["year"] == 2020) & (milex["measure"] == "constant_usd_2024")]
    assert stored["value"].iloc[0] == source["value"].iloc[0] == 67165.6897219991


@pytest.mark.parametrize("release, measure, expected", [(2024, "constant_usd_2022", 95.4), (2026, "constant_usd_2024", 93.9)])
def test_russia_share_of_the_six_members_2020(release, measure, expected):
    milex = data.load("milex")
    rows = milex[(milex["release"] == release) & (milex["measure"] == measure) & (milex["year"] == 2020)
                 & milex["iso3"].isin(countries.CSTO_MEMBERS)].set_index("iso3")["value"]
    assert rows.notna().all() and len(rows) == 6
    assert round(rows["RUS"] / rows.sum() * 100, 1) == expected


def test_newest_and_corrected_2024_workbooks_reproduce_data_milex(imported):
    newest, _ = imported[NEWEST]
    older, _ = imported[CORRECTED_2024]
    frame = sipri_milex.tidy(pd.concat(
        [newest.tables["milex"], sipri_milex.comparison_rows(older.tables["milex"])], ignore_index=True))
    assert tables.to_csv_bytes(frame) == paths.table_csv("milex", paths.DEFAULT_DATA_DIR).read_bytes()


def test_both_2024_uploads_hold_the_same_figures(imported):
    first, _ = imported["SIPRI-Milex-data-1948-2023.xlsx"]
    corrected, _ = imported[CORRECTED_2024]
    a, b = first.tables["milex"], corrected.tables["milex"]
    assert a[["iso3", "year", "measure", "status"]].equals(b[["iso3", "year", "measure", "status"]])
    pd.testing.assert_series_equal(a["value"], b["value"])


def test_rebase_uses_the_release_own_ratio(imported):
    """Rebased to 2023 prices, the 2026 release gives Russia 2020 exactly what the 2025 release gave (no revision)."""
    newest, _ = imported[NEWEST]
    older, _ = imported["SIPRI-Milex-data-1949-2024_2.xlsx"]
    rebased, missing = sipri_milex.rebase(newest.tables["milex"], 2023)
    assert missing == ["UZB"]  # SIPRI has no 2023 figure for Uzbekistan
    pick = lambda f, m: f[(f["iso3"] == "RUS") & (f["year"] == 2020) & (f["measure"] == m)]["value"].iloc[0]
    assert pick(rebased, "constant_usd_2023") == pytest.approx(pick(older.tables["milex"], "constant_usd_2023"), rel=1e-9)

