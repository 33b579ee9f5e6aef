"""The SIPRI arms-transfers importer: the two official exports in ../shared, and bad files built here."""

import json

import openpyxl
import pytest

from utils.read import countries
from utils import paths
from utils.write.importers import sipri_arms
from utils.write.importers.fair_use import LIMIT
from utils.write import tables

from helpers import assert_reproduces_data, source_error

ANNUAL = "trade_2023.csv"
REGISTER = "trade-register.csv"

PREAMBLE = [
    "Transfers of major conventional arms from All countries  to All countries . Deals with deliveries or orders "
    "made for year range '2000' to '2030' ",
    "A '?' in a column indicates uncertain data. The 'Number delivered' and the 'Year(s) of deliveries' refer only "
    "to deliveries in the selected year(s).",
    "An empty field for 'Number ordered' indicates that data is not yet available.",
    "SIPRI trend-indicator values (TIVs) are in millions.",
    "An empty field for 'SIPRI TIV for total order' indicates that data (on the number ordered and/or the TIV per "
    "unit) is not available.",
    "A '0' for 'SIPRI TIV of delivered weapons' indicates that the volume of deliveries is between 0 and 0.5 million "
    "SIPRI TIV; and an empty field indicates that no deliveries have been identified.",
    "Figures may not add up to stated totals due to the conventions of rounding.",
    "For the method used for the SIPRI TIV and explanations of the conventions; abbreviations and acronyms see "
    "<https://www.sipri.org/databases/armstransfers/sources-and-methods>.",
    "",
    "Source: SIPRI Arms Transfers Database (c) SIPRI.",
    "Data generated: 3 Jan 2025 9:16:02 PM",
]
ANNUAL_HEADER = (
    "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,Order date,"
    "Order date is estimate,Numbers delivered,Numbers delivered is estimate,Delivery year,Delivery year is estimate,"
    "Status,SIPRI estimate,TIV deal unit,TIV delivery values,Local production"
)
ANNUAL_ROWS = [
    "1,Russia,Armenia,Su-30SM,FGA aircraft,Aircraft,2019,No,4,No,2020,No,New,25,25,100,No",
    "2,Russia,Armenia,Iskander,SSM launcher,Missiles,2015,Yes,2,No,2016,No,New,10,10,20,No",
    "3,Jordan,Armenia,Osa,SAM system,Air defence systems,2015,No,2,No,2016,Yes,Second hand,5,5,10.5,No",
    "4,Israel,Azerbaijan,Barak-8,SAM system,Air defence systems,2016,No,1,No,2017,No,New,50,50,50,No",
    "5,United States,Japan,F-35A,FGA aircraft,Aircraft,2012,No,4,No,2017,No,New,60,60,240,No",
]
REGISTER_HEADER = (
    "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,Number delivered, ,"
    "Year(s) of delivery,status,Comments,SIPRI TIV per unit,SIPRI TIV for total order,SIPRI TIV of delivered weapons"
)
REGISTER_ROWS = [
    "Armenia,Russia,2019,,4,,Su-30SM,FGA aircraft,4,,2020,New,,25,100,100",
    "Kazakhstan,Russia,2015,?,6,?,Su-30SM,FGA aircraft,6,,2023; 2024,New,,25,150,150",
    "Kazakhstan,Turkiye,2022,,2,,Anka,armed UAV,2,,2024,New,,3,6,6",
    "Georgia,Ukraine,1997,,1,,Grif,patrol craft,1,,1997,Second hand,,0.5,0.5,0.5",
]


def _write(tmp_path, lines, name="export.csv", generated="3 Jan 2025 9:16:02 PM", encoding="ascii"):
    preamble = PREAMBLE[:-1] + [f"Data generated: {generated}"]
    path = tmp_path / name
    path.write_text("\n".join(preamble + lines) + "\n", encoding=encoding)
    return path


# --------------------------------------------------------------------------------------------- real files


@pytest.fixture(scope="session")
def imported(shared_sources):
    """Both official exports, each imported once against the committed data folder."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(paths.DATA_DIR_ENV, raising=False)
        folder = shared_sources / "sipri_arms_transfers"
        return {name: sipri_arms.read(folder / name) for name in (ANNUAL, REGISTER)}


@pytest.mark.shared
@pytest.mark.parametrize("name,tables", [(ANNUAL, ["arms_transfers"]), (REGISTER, ["arms_transfers", "arms_deals"])])
def test_each_export_reproduces_data_exactly(imported, name, tables):
    result = imported[name]
    assert sorted(result.tables) == sorted(tables)
    for table in tables:
        descriptor = assert_reproduces_data(result, table)
        assert list(result.tables[table].columns) == [f["name"] for f in descriptor["schema"]["fields"]]


def _share(frame, recipient, first, last):
    rows = frame[(frame["recipient"] == recipient) & frame["year"].astype(int).between(first, last)]
    tiv = rows["tiv"].astype(float)
    return round(100 * tiv[rows["supplier"] == "RUS"].sum() / tiv.sum(), 1)


@pytest.mark.shared
@pytest.mark.parametrize("recipient,first,last,expected", [
    ("ARM", 2015, 2020, 94.5), ("AZE", 2013, 2017, 62.0), ("KAZ", 2010, 2019, 83.1), ("KAZ", 2014, 2023, 89.5),
])
def test_russia_shares_match_the_provenance_sanity_checks(imported, recipient, first, last, expected):
    transfers = imported[ANNUAL].tables["arms_transfers"]
    window = transfers[transfers["year"].astype(int).between(first, last)]
    assert set(window["method"]) == {sipri_arms.EXACT}, "the check windows must use exact annual figures only"
    assert _share(transfers, recipient, first, last) == expected


@pytest.mark.shared
def test_methods_cover_disjoint_years_and_the_whole_span(imported):
    transfers = imported[REGISTER].tables["arms_transfers"]
    years = {method: set(group["year"].astype(int)) for method, group in transfers.groupby("method")}
    assert years[sipri_arms.EXACT] == set(range(2000, 2024))
    assert years[sipri_arms.EQUAL_SPLIT] & years[sipri_arms.EXACT] == set()
    assert min(years[sipri_arms.EQUAL_SPLIT]) == 1992 and max(years[sipri_arms.EQUAL_SPLIT]) == 2024
    assert set(transfers["recipient"]) == set(countries.TREATY_PARTIES)
    assert transfers.loc[transfers["method"] == sipri_arms.EXACT, "edition"].eq("2025-01-03").all()
    assert transfers.loc[transfers["method"] == sipri_arms.EQUAL_SPLIT, "source_id"].eq("sipri_at_2025").all()
    # suppliers: ISO3 codes, or SIPRI's name kept for an unknown supplier
    assert "unknown supplier(s)" in set(transfers["supplier"])
    assert {"RUS", "ISR", "TUR", "UKR"} <= set(transfers["supplier"])


@pytest.mark.shared
def test_importing_in_either_order_gives_the_same_tables(shared_sources, tmp_path, monkeypatch):
    folder = shared_sources / "sipri_arms_transfers"
    outputs = []
    for order in ((ANNUAL, REGISTER), (REGISTER, ANNUAL)):
        target = tmp_path / "-".join(order)
        target.mkdir()
        monkeypatch.setenv(paths.DATA_DIR_ENV, str(target))
        for name in order:
            result = sipri_arms.read(folder / name)
            for table, frame in result.tables.items():
                paths.table_csv(table, target).write_bytes(tables.to_csv_bytes(frame))
                descriptor = {"name": table, "provenance": result.provenance[table]}
                paths.table_descriptor(table, target).write_text(json.dumps(descriptor), encoding="utf-8")
        outputs.append({t: paths.table_csv(t, target).read_bytes() for t in ("arms_transfers", "arms_deals")})
    assert outputs[0] == outputs[1]
    assert outputs[0]["arms_transfers"] == paths.table_csv("arms_transfers", paths.DEFAULT_DATA_DIR).read_bytes()


@pytest.mark.shared
def test_register_defects_are_repaired_and_deals_selected(imported):
    result = imported[REGISTER]
    note = result.provenance["arms_deals"]["source_files"][0]["note"]
    assert "4 deals whose 'Comments' spilled onto a second line were re-joined" in note
    deals = result.tables["arms_deals"]
    assert set(deals["recipient"]) == set(sipri_arms.DEAL_RECIPIENTS)
    assert deals["tiv_delivered"].astype(float).min() >= sipri_arms.DEAL_TIV_THRESHOLD
    assert deals["delivery_years"].str.fullmatch(r"\d{4}(;\d{4})*").all()
    assert deals["order_year_uncertain"].isin(["true", "false"]).all()
    # Kyrgyzstan's Turkish drones (7.2-9 million TIV) are kept; its 1.6 million second-hand An-2 is not
    kgz = set(deals.loc[deals["recipient"] == "KGZ", "designation"])
    assert {"Bayraktar TB2", "Akinci", "Aksungur", "S-125T Pechora-2T"} <= kgz and "An-2" not in kgz


@pytest.mark.shared
def test_fair_use_units_stay_well_below_sipri_limit(imported):
    counted = 0
    for table in ("arms_transfers", "arms_deals"):
        provenance = imported[REGISTER].provenance[table]
        assert provenance["fair_use_database"] == "SIPRI Arms Transfers Database"
        frame = imported[REGISTER].tables[table]
        counted += int((frame[provenance["fair_use_unit_columns"]] != "").sum().sum())
    assert counted <= 0.9 * LIMIT, f"{counted} SIPRI data units: keep a margin below {LIMIT}"


# --------------------------------------------------------------------------------------------- layouts built here


def test_annual_layout_sums_by_supplier_recipient_year(tmp_path, empty_data):
    result = sipri_arms.read(_write(tmp_path, [ANNUAL_HEADER, *ANNUAL_ROWS]))
    frame = result.tables["arms_transfers"]
    assert list(frame.columns) == sipri_arms.TRANSFER_COLUMNS
    assert frame[["supplier", "recipient", "year", "tiv"]].values.tolist() == [
        ["JOR", "ARM", "2016", "10.5"], ["RUS", "ARM", "2016", "20.0"], ["RUS", "ARM", "2020", "100.0"],
        ["ISR", "AZE", "2017", "50.0"],
    ]  # Japan is not a treaty state; rows sorted by recipient, year, supplier
    assert set(frame["edition"]) == {"2025-01-03"} and set(frame["source_id"]) == {"sipri_at_2025jan"}


def test_register_layout_splits_evenly_and_rejoins_a_spilled_comment(tmp_path, empty_data):
    rows = REGISTER_ROWS[:1] + [
        "Kazakhstan,Russia,2015,?,6,?,Su-30SM,FGA aircraft,6,,2023; 2024,New,Part of a larger deal",
        ",25,150,150",
    ] + REGISTER_ROWS[2:]
    path = _write(tmp_path, [REGISTER_HEADER, *rows], generated="13 Mar 2025 10:02:49 AM", encoding="latin-1")
    result = sipri_arms.read(path)
    transfers = result.tables["arms_transfers"]
    kaz = transfers[(transfers["recipient"] == "KAZ") & (transfers["supplier"] == "RUS")]
    assert kaz[["year", "tiv"]].values.tolist() == [["2023", "75.0"], ["2024", "75.0"]]
    assert set(transfers["method"]) == {sipri_arms.EQUAL_SPLIT}
    deals = result.tables["arms_deals"]
    # the 0.5 TIV Georgian deal is below the threshold; the rest are kept
    columns = ["recipient", "supplier", "designation", "delivery_years", "order_year_uncertain"]
    assert deals[columns].values.tolist() == [
        ["ARM", "RUS", "Su-30SM", "2020", "false"], ["KAZ", "RUS", "Su-30SM", "2023;2024", "true"],
        ["KAZ", "TUR", "Anka", "2024", "false"],
    ]
    assert "re-joined (lines 14)" in result.provenance["arms_deals"]["source_files"][0]["note"]


def test_same_file_twice_gives_identical_bytes(tmp_path, empty_data):
    path = _write(tmp_path, [REGISTER_HEADER, *REGISTER_ROWS], generated="13 Mar 2025 10:02:49 AM")
    first, second = sipri_arms.read(path), sipri_arms.read(path)
    for table in first.tables:
        assert tables.to_csv_bytes(first.tables[table]) == tables.to_csv_bytes(second.tables[table])


# --------------------------------------------------------------------------------------------- bad input


def test_empty_file(tmp_path):
    path = tmp_path / "trade.csv"
    path.write_text("")
    assert "empty" in source_error(sipri_arms.read, path)


def test_milex_workbook_given_to_the_arms_importer(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Share of GDP"
    book.active["A6"] = "Country"
    path = tmp_path / "SIPRI-Milex-data-1949-2025.xlsx"
    book.save(path)
    assert "Excel workbook" in source_error(sipri_arms.read, path)


def test_missing_preamble(tmp_path):
    path = tmp_path / "stripped.csv"
    path.write_text("\n".join([ANNUAL_HEADER, *ANNUAL_ROWS]) + "\n")
    assert "no 'Data generated: <date>' line" in source_error(sipri_arms.read, path)


def test_export_restricted_to_some_states(tmp_path):
    path = _write(tmp_path, [ANNUAL_HEADER, *ANNUAL_ROWS])
    path.write_text(path.read_text().replace("to All countries .", "to Armenia ."))
    message = source_error(sipri_arms.read, path)
    assert "row 1: this export is restricted to transfers from All countries to Armenia" in message


def test_wrong_header(tmp_path):
    path = _write(tmp_path, ["stateabb,ccode,year,milex,milper", "RUS,365,2016,1,798"])
    assert "header row naming 'Supplier' and 'Recipient'" in source_error(sipri_arms.read, path)


def test_missing_column(tmp_path):
    header = ANNUAL_HEADER.replace(",TIV delivery values", "")
    rows = [",".join(r.split(",")[:15] + r.split(",")[16:]) for r in ANNUAL_ROWS]
    message = source_error(sipri_arms.read, _write(tmp_path, [header, *rows]))
    assert "row 12" in message and "'TIV delivery values' is missing" in message


def test_text_in_a_number_column(tmp_path):
    rows = ANNUAL_ROWS[:2] + [ANNUAL_ROWS[2].replace(",10.5,", ",ten,")]
    message = source_error(sipri_arms.read, _write(tmp_path, [ANNUAL_HEADER, *rows]))
    assert "row 15, column P ('TIV delivery values'): expected a number, found 'ten'" in message


def test_negative_tiv(tmp_path):
    rows = [REGISTER_ROWS[0].replace(",25,100,100", ",25,100,-100")]
    path = _write(tmp_path, [REGISTER_HEADER, *rows], generated="13 Mar 2025 10:02:49 AM")
    message = source_error(sipri_arms.read, path)
    assert "row 13, column P ('SIPRI TIV of delivered weapons')" in message and "from 0 to 100,000" in message
    assert "found '-100'" in message


def test_duplicated_row(tmp_path):
    message = source_error(sipri_arms.read, _write(tmp_path, [ANNUAL_HEADER, *ANNUAL_ROWS, ANNUAL_ROWS[1]]))
    assert "row 18: duplicated row: deal 2, delivery year 2016 already appears on line 14" in message


def test_unknown_country(tmp_path):
    rows = [ANNUAL_ROWS[0].replace("Russia", "Narnia")]
    message = source_error(sipri_arms.read, _write(tmp_path, [ANNUAL_HEADER, *rows]))
    assert "row 13, column B ('Supplier'): unknown country or actor 'Narnia'" in message


def test_record_with_missing_fields(tmp_path):
    rows = [REGISTER_ROWS[0], "Armenia,Russia,2019,,4"]
    path = _write(tmp_path, [REGISTER_HEADER, *rows], generated="13 Mar 2025 10:02:49 AM")
    message = source_error(sipri_arms.read, path)
    assert "row 14: expected 16 fields as in the header, found 5" in message


def test_bad_input_leaves_data_unchanged(tmp_path):
    before = {p.name: p.read_bytes() for p in paths.DEFAULT_DATA_DIR.glob("arms_*")}
    rows = [ANNUAL_ROWS[0].replace("Russia", "Narnia")]
    source_error(sipri_arms.read, _write(tmp_path, [ANNUAL_HEADER, *rows]))
    assert {p.name: p.read_bytes() for p in paths.DEFAULT_DATA_DIR.glob("arms_*")} == before


# --------------------------------------------------------------------------------------------- impossible values


@pytest.mark.parametrize("old,new,expected", [
    (",2020,New,,25,100,100", ",2020; 2999,New,,25,100,100",
     "column K ('Year(s) of delivery'): expected a year from 1900 to 2025 (SIPRI generated this export on "
     "2025-03-13), found '2999'"),
    (",25,100,100", ",25,100,1e308", "column P ('SIPRI TIV of delivered weapons'): expected a number from 0 to 100,000"),
    (",4,,Su-30SM", ",99999999999999999999999,,Su-30SM", "column E ('Number ordered'): expected a number from 0 to "
                                                          "1,000,000"),
])
def test_register_values_that_cannot_be(tmp_path, old, new, expected):
    rows = [REGISTER_ROWS[0].replace(old, new)] + REGISTER_ROWS[1:]
    path = _write(tmp_path, [REGISTER_HEADER, *rows], generated="13 Mar 2025 10:02:49 AM")
    message = source_error(sipri_arms.read, path)
    assert "row 13, " in message and expected in message


def test_annual_tiv_that_cannot_be(tmp_path):
    rows = [ANNUAL_ROWS[0].replace(",25,25,100,No", ",25,25,1e308,No")] + ANNUAL_ROWS[1:]
    message = source_error(sipri_arms.read, _write(tmp_path, [ANNUAL_HEADER, *rows]))
    assert "row 13, column P ('TIV delivery values'): expected a number from 0 to 100,000 (million TIV" in message
