"""The Correlates of War (NMC) and UCDP/PRIO importers: the files in ../shared, and files built here."""

import pytest

from utils.read import countries, data
from utils import paths
from utils.write.importers import cow, ucdp
from utils.write import tables

from helpers import assert_reproduces_data, source_error

NMC = "NMC-60-abridged.csv"
UCDP = "UcdpPrioConflict_v25_1.csv"

NMC_HEADER = "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version"
UCDP_HEADER = (
    "conflict_id;location;side_a;side_a_id;side_a_2nd;side_b;side_b_id;side_b_2nd;incompatibility;territory_name;"
    "year;intensity_level;cumulative_intensity;type_of_conflict;start_date;start_prec;start_date2;start_prec2;"
    "ep_end;ep_end_date;ep_end_prec;gwno_a;gwno_a_2nd;gwno_b;gwno_b_2nd;gwno_loc;region;version"
)
UCDP_ROWS = [
    "388;Azerbaijan;Government of Azerbaijan;52;;Republic of Artsakh;330;Government of Armenia;1;Nagorno-Karabakh;"
    "2020;2;1;2;29-12-1991;1;27-9-2020;1;1;10-11-2020;;373;;;371;373;1;25.1",
    "13324;Kyrgyzstan, Tajikistan;Government of Kyrgyzstan;180;;Government of Tajikistan;178;;1;Common Border;"
    "2021;1;0;2;29-4-2021;1;29-4-2021;1;1;1-5-2021;;703;;702;;702, 703;3;25.1",
    "11342;India;Government of India;141;;GNLA;1163;;1;Garoland;2012;1;0;3;29-5-1997;1;15-11-2012;1;1;21-12-2012;;"
    "750;;;;750;3;25.1",
]


def _nmc_rows():
    """One row per treaty state for 2015 and 2016, plus a state outside the treaty."""
    rows = []
    for ccode, (abbreviation, _) in cow.STATES.items():
        for year in (2015, 2016):
            rows.append(f"{abbreviation},{ccode},{year},1000,{ccode % 100},1,1,1,1,0.01,2021")
    rows.append("USA,2,2016,600000,1300,1,1,1,1,0.14,2021")
    return rows


@pytest.fixture(scope="session")
def imported(shared_sources):
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(paths.DATA_DIR_ENV, raising=False)
        return {
            NMC: cow.read(shared_sources / "cow_nmc" / NMC),
            UCDP: ucdp.read(shared_sources / "ucdp_acd" / UCDP),
        }


def _write(tmp_path, lines, name, newline="\n"):
    path = tmp_path / name
    path.write_bytes((newline.join(lines) + newline).encode("utf-8"))
    return path


# --------------------------------------------------------------------------------------------- real files


@pytest.mark.shared
@pytest.mark.parametrize("name,table", [(NMC, "personnel"), (UCDP, "conflicts")])
def test_each_file_reproduces_data_exactly(imported, name, table):
    result = imported[name]
    assert list(result.tables) == [table]
    assert_reproduces_data(result, table)


@pytest.mark.shared
def test_cow_milper_is_converted_from_thousands(imported):
    frame = imported[NMC].tables["personnel"]
    cow_rows = frame[frame["source_id"] == "cow_nmc_6"].set_index(["country", "year"])
    # 2016 milper in thousands, as quoted in cow_nmc/PROVENANCE.md
    quoted = {"RUS": 798, "BLR": 48, "ARM": 45, "GEO": 21, "AZE": 67, "TJK": 9, "KGZ": 11, "UZB": 48, "KAZ": 39}
    for code, thousands in quoted.items():
        assert cow_rows.loc[(code, "2016"), "active_personnel"] == str(thousands * 1000)
    assert cow_rows["series"].eq("cow_military_personnel").all()
    years = cow_rows.index.get_level_values("year").astype(int)
    assert years.min() == 1992 and years.max() == 2016
    assert {"wb_personnel", "cow_nmc_6"} == set(frame["source_id"]), "the World Bank rows in data/ must be kept"


@pytest.mark.shared
def test_ucdp_conflicts_of_the_treaty_states(imported):
    result = imported[UCDP]
    frame = result.tables["conflicts"]
    assert frame["year"].astype(int).between(1991, 2024).all()
    # Version 25.1 covers conflict-years up to 2024: the descriptor's latest year and bounds say so.
    assert result.latest_year["conflicts"] == 2024
    assert result.provenance["conflicts"]["source_files"][0]["latest_year"] == 2024
    karabakh = frame[frame["conflict_id"] == "388"].set_index("year")
    wars = set(karabakh.index[karabakh["intensity_level"] == "2"])
    assert wars == {"1992", "1993", "1994", "2020"}
    assert karabakh.loc["2020", ["countries", "countries_primary", "countries_secondary"]].tolist() == [
        "ARM;AZE", "AZE", "ARM"]
    assert karabakh.loc["2020", "start_date"] == "1991-12-29"  # re-saved as 29-12-1991
    border = frame[frame["conflict_id"] == "13324"]
    assert border["year"].tolist() == ["2021", "2022"] and border["countries"].eq("KGZ;TJK").all()
    assert border["type_of_conflict"].eq("2").all()
    assert {"401", "13243"} <= set(frame["conflict_id"])  # Chechnya; Russia vs Ukraine
    assert frame["source_id"].eq("ucdp_acd_25_1").all()
    skipped = result.provenance["conflicts"]["source_files"][0]["skipped"]
    assert skipped.startswith("conflict 11349 (China), lines 42-43")
    involved = data.split_list(frame["countries"]).explode()
    assert set(involved) <= set(countries.TREATY_PARTIES)


# --------------------------------------------------------------------------------------------- files built here


def test_nmc_rows_become_persons(tmp_path, empty_data):
    result = cow.read(_write(tmp_path, [NMC_HEADER, *_nmc_rows()], "NMC.csv"))
    frame = result.tables["personnel"].set_index(["country", "year"])
    assert frame.loc[("GEO", "2016"), "active_personnel"] == str(72 * 1000)  # ccode 372
    assert len(frame) == 18 and "USA" not in frame.index.get_level_values("country")


def test_ucdp_pristine_and_resaved_layouts_give_the_same_table(tmp_path, empty_data):
    resaved = ucdp.read(_write(tmp_path, [UCDP_HEADER, *UCDP_ROWS], "resaved.csv", newline="\r\n"))
    pristine_rows = []
    for row in UCDP_ROWS:
        cells = row.split(";")
        for index in (14, 16, 19):
            if cells[index]:
                day, month, year = cells[index].split("-")
                cells[index] = f"{year}-{int(month):02d}-{int(day):02d}"
        pristine_rows.append(",".join(f'"{c}"' if "," in c else c for c in cells))
    pristine = ucdp.read(_write(tmp_path, [UCDP_HEADER.replace(";", ","), *pristine_rows], "pristine.csv"))
    assert tables.to_csv_bytes(resaved.tables["conflicts"]) == tables.to_csv_bytes(pristine.tables["conflicts"])
    assert resaved.tables["conflicts"]["conflict_id"].tolist() == ["388", "13324"]  # India is not involved


def test_ucdp_skips_a_split_record_that_does_not_concern_the_nine(tmp_path, empty_data):
    split = ["11349;China;Government of China;135;;ETIM;1156;;1;East Turkestan" + ";" * 18,
             ";2008;1;0;3;5-4-1990;1;10-8-2008;1;1;29-8-2008;,710,;,;710;3;25.1" + ";" * 12]
    result = ucdp.read(_write(tmp_path, [UCDP_HEADER, UCDP_ROWS[0], *split, UCDP_ROWS[1]], "split.csv"))
    assert result.tables["conflicts"]["conflict_id"].tolist() == ["388", "13324"]
    assert "conflict 11349 (China), lines 3-4" in result.provenance["conflicts"]["source_files"][0]["skipped"]


def test_nmc_empty_file(tmp_path):
    path = tmp_path / "NMC.csv"
    path.write_text("")
    assert "empty" in source_error(cow.read, path)


def test_nmc_missing_column(tmp_path):
    header = NMC_HEADER.replace("milper,", "")
    rows = [",".join(r.split(",")[:4] + r.split(",")[5:]) for r in _nmc_rows()]
    assert "row 1: column 'milper' is missing" in source_error(cow.read, _write(tmp_path, [header, *rows], "NMC.csv"))


def test_nmc_text_in_milper(tmp_path):
    rows = _nmc_rows()
    rows[0] = rows[0].replace(",65,", ",sixty-five,")
    message = source_error(cow.read, _write(tmp_path, [NMC_HEADER, *rows], "NMC.csv"))
    assert "row 2, column E ('milper'): expected a number, found 'sixty-five'" in message


def test_nmc_negative_milper(tmp_path):
    rows = _nmc_rows()
    rows[1] = rows[1].replace(",65,", ",-65,")
    message = source_error(cow.read, _write(tmp_path, [NMC_HEADER, *rows], "NMC.csv"))
    assert "row 3, column E ('milper')" in message and "-9 for missing" in message


def test_nmc_unknown_country_code(tmp_path):
    rows = _nmc_rows()
    rows[6] = rows[6].replace("GRG,372", "XYZ,372")
    message = source_error(cow.read, _write(tmp_path, [NMC_HEADER, *rows], "NMC.csv"))
    assert "row 8, column A ('stateabb'): unknown country: state code 372 is 'XYZ'" in message


def test_nmc_duplicated_row(tmp_path):
    rows = _nmc_rows()
    message = source_error(cow.read, _write(tmp_path, [NMC_HEADER, *rows, rows[0]], "NMC.csv"))
    assert "duplicated row: state 365 in 2015 already appears on line 2" in message


def test_ucdp_wrong_header(tmp_path):
    path = _write(tmp_path, ["id;place;year", "1;X;2020"], "ucdp.csv")
    assert "row 1: expected a UCDP/PRIO" in source_error(ucdp.read, path)


def test_ucdp_impossible_date(tmp_path):
    rows = [UCDP_ROWS[0].replace("27-9-2020", "31-2-2020")]
    message = source_error(ucdp.read, _write(tmp_path, [UCDP_HEADER, *rows], "ucdp.csv"))
    assert "row 2, column Q ('start_date2'): expected a date as yyyy-mm-dd or d-m-yyyy, found '31-2-2020'" in message


def test_ucdp_duplicated_conflict_year(tmp_path):
    message = source_error(ucdp.read, _write(tmp_path, [UCDP_HEADER, *UCDP_ROWS, UCDP_ROWS[1]], "ucdp.csv"))
    assert "row 5: duplicated row: conflict 13324 in 2021 already appears on line 3" in message


def test_ucdp_split_record_of_a_treaty_state_stops_the_import(tmp_path):
    # a line break inside territory_name ('Common Border'), each half padded to 28 cells as a spreadsheet does
    first = "13324;Kyrgyzstan, Tajikistan;Government of Kyrgyzstan;180;;Government of Tajikistan;178;;1;Common"
    rest = [" Border", "2022", "1", "0", "2", "29-4-2021", "1", "14-9-2022", "1", "1", "16-9-2022", "", "703", "",
            "702", "", "702, 703", "3", "25.1"]
    split = [first + ";" * 18, ";".join(rest + [""] * (28 - len(rest)))]
    message = source_error(ucdp.read, _write(tmp_path, [UCDP_HEADER, *split], "ucdp.csv"))
    assert "row 2: conflict 13324 (Kyrgyzstan, Tajikistan) is broken over two lines" in message


def test_ucdp_text_in_a_code_column(tmp_path):
    rows = [UCDP_ROWS[0].replace(";2020;2;1;2;", ";2020;war;1;2;")]
    message = source_error(ucdp.read, _write(tmp_path, [UCDP_HEADER, *rows], "ucdp.csv"))
    assert "row 2, column L ('intensity_level'): expected a whole number, found 'war'" in message


# --------------------------------------------------------------------------------------------- impossible values


def test_nmc_year_after_the_release_is_refused(tmp_path, empty_data):
    rows = _nmc_rows() + ["USA,2,3000,600000,1300,1,1,1,1,0.14,2021"]
    message = source_error(cow.read, _write(tmp_path, [NMC_HEADER, *rows], "nmc.csv"))
    assert "column C ('year'): expected a year from 1800 to 2021 (the file's release, version 2021), found 3000" in message


def test_nmc_personnel_that_no_state_has_is_refused(tmp_path, empty_data):
    rows = [row.replace(",1000,65,", ",1000,1e300,") for row in _nmc_rows()]
    message = source_error(cow.read, _write(tmp_path, [NMC_HEADER, *rows], "nmc.csv"))
    assert "column E ('milper'): expected a number of at most 10,000 (thousands of persons" in message


@pytest.mark.parametrize("old,new,expected", [
    (";2020;2;1;2;", ";2999;2;1;2;", "column K ('year'): expected a year from 1900 to 2024 (version 25.1, released "
                                     "in 2025, covers years up to 2024), found '2999'"),
    # The release year itself: 25.1 has no conflict-years of 2025.
    (";2020;2;1;2;", ";2025;2;1;2;", "column K ('year'): expected a year from 1900 to 2024"),
    ("388;Azerbaijan", "99999999999999999999999;Azerbaijan", "column A ('conflict_id'): expected a number from 1 to "
                                                             "999,999"),
    (";10-11-2020;", ";10-11-2025;", "column T ('ep_end_date'): expected a date in 2024 or before"),
])
def test_ucdp_values_that_cannot_be(tmp_path, empty_data, old, new, expected):
    rows = [UCDP_ROWS[0].replace(old, new)] + UCDP_ROWS[1:]
    message = source_error(ucdp.read, _write(tmp_path, [UCDP_HEADER, *rows], "ucdp.csv"))
    assert "row 2, " in message and expected in message
