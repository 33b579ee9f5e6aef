"""The World Bank WDI importer: the three files in ../shared, and API / long-layout files built here."""

import pytest

from utils.read import countries
from utils import paths
from utils.write.importers import worldbank

from helpers import assert_reproduces_data, source_error

PERSONNEL_FILE = "API_MS.MIL.TOTL.P1_DS2_en_csv_v2_115556__SUBSET_CSTO9_plus_World.csv"
FILES = {"population.csv": "population", "gdp.csv": "gdp", PERSONNEL_FILE: "personnel"}

#: World Bank names of the nine (the importer must accept 'Russian Federation' and 'Kyrgyz Republic').
WB_NAMES = {code: countries.name_of(code) for code in countries.TREATY_PARTIES}
WB_NAMES.update(RUS="Russian Federation", KGZ="Kyrgyz Republic")


@pytest.fixture(scope="session")
def imported(shared_sources):
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(paths.DATA_DIR_ENV, raising=False)
        folder = shared_sources / "worldbank_wdi"
        return {name: worldbank.read(folder / name) for name in FILES}


# --------------------------------------------------------------------------------------------- real files


@pytest.mark.shared
@pytest.mark.parametrize("name", list(FILES))
def test_each_file_reproduces_data_exactly(imported, name):
    table = FILES[name]
    result = imported[name]
    assert list(result.tables) == [table], "the indicator is recognised from the content, not the file name"
    assert_reproduces_data(result, table)


@pytest.mark.shared
def test_values_quoted_in_the_provenance_notes(imported):
    population = imported["population.csv"].tables["population"].set_index(["country", "year"])["value"]
    assert population["RUS", "2020"] == "145245148"
    assert population["ARM", "2020"] == "2961500"
    assert population["KAZ", "2024"] == "20592571"
    gdp = imported["gdp.csv"].tables["gdp"]
    assert float(gdp.set_index(["country", "year"]).loc[("RUS", "2020"), "value"]) == pytest.approx(1.493e12, rel=1e-3)
    assert gdp["year"].astype(int).max() == 2023 and gdp["year"].astype(int).min() == 1992
    assert set(gdp["country"]) == set(countries.TREATY_PARTIES)
    assert imported["gdp.csv"].provenance["gdp"]["edition"] == "WDI, latest year 2023"


@pytest.mark.shared
def test_personnel_marks_the_1995_break_and_keeps_the_cow_rows(imported):
    result = imported[PERSONNEL_FILE]
    files = {entry["role"]: entry for entry in result.provenance["personnel"]["source_files"]}
    assert files["wb_personnel"]["edition"] == "WDI, last updated 2026-04-08"
    assert files["cow_nmc_6"]["file"] == "NMC-60-abridged.csv", "the COW file's entry must be kept"
    frame = result.tables["personnel"]
    wb = frame[frame["source_id"] == "wb_personnel"].set_index(["country", "year"])
    assert wb.loc[("KAZ", "1994"), ["active_personnel", "series"]].tolist() == ["18000", "wb_excluding_paramilitary"]
    assert wb.loc[("KAZ", "1995"), ["active_personnel", "series"]].tolist() == ["74500", "wb_including_paramilitary"]
    assert wb.loc[("ARM", "2018"), "active_personnel"] == "48800"
    assert wb.index.get_level_values("year").astype(int).max() == 2020
    assert "WLD" not in set(frame["country"])
    assert {"wb_personnel", "cow_nmc_6"} == set(frame["source_id"]), "the COW rows in data/ must be kept"


# --------------------------------------------------------------------------------------------- files built here


def _api(tmp_path, indicator="MS.MIL.TOTL.P1", name="Armed forces personnel, total", updated="2026-04-08",
         values=None, drop=(), extra_rows=()):
    years = list(range(1990, 2001))
    values = values or {}
    lines = ['"Data Source","World Development Indicators",', "", f'"Last Updated Date","{updated}",', ""]
    lines.append(",".join(f'"{c}"' for c in ["Country Name", "Country Code", "Indicator Name", "Indicator Code",
                                               *map(str, years)]) + ",")
    for code in [*countries.TREATY_PARTIES, "WLD"]:
        if code in drop:
            continue
        wb_name = WB_NAMES.get(code, "World")
        cells = [values.get((code, y), str(1000 * (y - 1980)) if y >= 1992 else "") for y in years]
        lines.append(",".join(f'"{c}"' for c in [wb_name, code, name, indicator, *cells]) + ",")
    lines += extra_rows
    path = tmp_path / f"API_{indicator}_DS2_en_csv_v2_1.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _long(tmp_path, world, russia, rows=(), name="series.csv"):
    lines = ["Country Name,Country Code,Year,Value"]
    for code in countries.TREATY_PARTIES:
        value = russia if code == "RUS" else russia / 10
        lines += [f"{WB_NAMES[code]},{code},{year},{value}" for year in (2019, 2020)]
    if world is not None:
        lines += [f"World,WLD,{year},{world}" for year in (2019, 2020)]
    lines += rows
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_api_layout_personnel(tmp_path, empty_data):
    result = worldbank.read(_api(tmp_path))
    frame = result.tables["personnel"]
    assert list(frame.columns) == worldbank.PERSONNEL_COLUMNS
    assert frame["year"].astype(int).min() == 1992 and frame["year"].astype(int).max() == 2000
    assert frame.loc[frame["year"] == "1995", "series"].eq("wb_including_paramilitary").all()
    assert frame.loc[frame["year"] == "1994", "series"].eq("wb_excluding_paramilitary").all()
    assert frame.loc[(frame["country"] == "RUS") & (frame["year"] == "1992"), "country_name"].item() == "Russia"


def test_api_layout_population_goes_to_the_population_table(tmp_path, empty_data):
    result = worldbank.read(_api(tmp_path, indicator="SP.POP.TOTL", name="Population, total"))
    assert list(result.tables) == ["population"]
    assert set(result.tables["population"]["unit"]) == {"persons"}
    assert set(result.tables["population"]["edition"]) == {"WDI, last updated 2026-04-08"}


@pytest.mark.parametrize("world,russia,table", [
    (7.8e9, 1.45e8, "population"), (8.5e13, 1.5e12, "gdp"), (2.7e7, 1.0e6, "personnel"),
    (None, 1.45e8, "population"),  # no World row: Russia's values decide
])
def test_long_layout_indicator_is_recognised_from_the_values(tmp_path, empty_data, world, russia, table):
    result = worldbank.read(_long(tmp_path, world, russia))
    assert list(result.tables) == [table]


def test_empty_file(tmp_path):
    path = tmp_path / "API_SP.POP.TOTL.csv"
    path.write_text("\n\n")
    assert "empty" in source_error(worldbank.read, path)


def test_wrong_preamble_without_last_updated_date(tmp_path):
    path = _api(tmp_path)
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:2] + ["", ""] + lines[4:]) + "\n")
    message = source_error(worldbank.read, path)
    assert "row 5" in message and "Last Updated Date" in message


def test_wrong_header(tmp_path):
    path = tmp_path / "gdp.csv"
    path.write_text("Country,Code,Year,GDP\nArmenia,ARM,2020,1\n")
    message = source_error(worldbank.read, path)
    assert "row 1" in message and "unknown layout" in message


def test_text_in_a_year_column(tmp_path):
    message = source_error(worldbank.read, _api(tmp_path, values={("AZE", 1995): "n/a"}))
    # AZE is the second data row (line 7); the year columns start at E with 1990, so 1995 is J
    assert "row 7, column J (1995): expected a number, found 'n/a'" in message


def test_negative_value(tmp_path):
    message = source_error(worldbank.read, _long(tmp_path, 7.8e9, 1.45e8, rows=["Armenia,ARM,2018,-5"]))
    assert "row 22, column D ('Value'): expected a number of at least 0, found '-5'" in message


def test_duplicated_row(tmp_path):
    message = source_error(worldbank.read, _long(tmp_path, 7.8e9, 1.45e8, rows=["Armenia,ARM,2020,3000000"]))
    assert "row 22: duplicated row: ARM 2020 already appears on line 3" in message


def test_treaty_state_missing(tmp_path):
    assert "no values for UZB" in source_error(worldbank.read, _api(tmp_path, drop=("UZB",)))


def test_country_name_does_not_match_its_code(tmp_path):
    path = _api(tmp_path)
    path.write_text(path.read_text().replace('"Armenia","ARM"', '"Narnia","ARM"'))
    message = source_error(worldbank.read, path)
    assert "row 6, column A ('Country Name'): Country Name 'Narnia' does not match Country Code 'ARM'" in message


def test_unrecognisable_long_file(tmp_path):
    message = source_error(worldbank.read, _long(tmp_path, 55.0, 3.0))
    assert "cannot tell which indicator" in message


def test_indicator_not_used_by_the_collection(tmp_path):
    path = _api(tmp_path, indicator="MS.MIL.XPND.GD.ZS", name="Military expenditure (% of GDP)")
    message = source_error(worldbank.read, path)
    assert "column D ('Indicator Code')" in message and "MS.MIL.XPND.GD.ZS" in message


# --------------------------------------------------------------------------------------------- impossible values


@pytest.mark.parametrize("rows,expected", [
    (["Armenia,ARM,3000,3000000"], "row 22, column C ('Year'): expected a year from 1900 to "),
    (["Armenia,ARM,2018,99999999999999999999999"], "row 22, column D ('Value'): expected a number from 0 to "
                                                   "10,000,000,000 (persons: more than the world's population)"),
])
def test_long_layout_values_that_cannot_be(tmp_path, empty_data, rows, expected):
    message = source_error(worldbank.read, _long(tmp_path, 7.8e9, 1.45e8, rows=rows))
    assert expected in message


def test_api_layout_values_that_cannot_be(tmp_path, empty_data):
    message = source_error(worldbank.read, _api(tmp_path, values={("RUS", 1995): "1e300"}))
    assert "column J (1995): expected a number from 0 to 10,000,000 (persons: twice the largest army" in message
    lines = _api(tmp_path).read_text(encoding="utf-8").replace('"2000"', '"2999"')
    path = tmp_path / "API_future.csv"
    path.write_text(lines, encoding="utf-8")
    message = source_error(worldbank.read, path)
    assert "(2999): expected a year from 1900 to 2026 (the World Bank updated the file on 2026-04-08)" in message
