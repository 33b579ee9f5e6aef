"""Importer for SIPRI Arms Transfers Database exports (``python -m utils.write.refresh arms FILE``).

SIPRI publishes two CSV layouts, both after the same 11-line preamble ending in ``Data generated: <date>``:

* the **trade register** (``trade-register.csv``): one row per deal, with the deal's delivery years as a
  ``2018; 2019; 2020`` list and the TIV of everything delivered under the deal, latin-1 encoded;
* the **deliveries by year** export (``trade_2023.csv``): one row per deal and delivery year, headed
  ``SIPRI AT Database ID``, with the exact TIV delivered in that year.

``read`` tells them apart from the header row and builds:

``arms_transfers``
    Annual TIV delivered (millions) to the nine treaty states, one row per supplier, recipient and year.
    Years covered by a deliveries-by-year export are summed exactly from it (``method`` =
    ``exact_annual_export``). Other years from 1992 on are taken from the trade register by splitting each
    deal's delivered TIV equally over its delivery years (``method`` = ``equal_split_of_register``), which is
    an approximation. Importing one layout replaces only its own rows and keeps the other layout's rows from
    ``data/``, so the table is the same whichever file is imported first. (If a new deliveries-by-year export
    covers fewer years than the one it replaces, import the register again to fill the years it gave up.)
``arms_deals`` (trade register only)
    The deals behind the figures -- what was bought, from whom, when -- for the eight treaty states other than
    Russia, and deals whose delivered TIV is at least :data:`DEAL_TIV_THRESHOLD` million: limits that keep the
    shipped extracts within SIPRI's fair-use allowance while keeping nearly all of the volume.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from utils.read import countries
from utils.write.importers import ImportResult, SourceFormatError
from utils.write.importers import common
from utils.write.importers import bounds

SOURCE = "arms"

#: Recipients kept in the extracts: every state that was ever party to the Collective Security Treaty.
RECIPIENTS: tuple[str, ...] = countries.TREATY_PARTIES

#: First year kept: the treaty was signed in May 1992.
FIRST_YEAR = 1992

#: Deals in ``arms_deals`` have a delivered TIV of at least this many millions (fair-use limit, see module doc).
DEAL_TIV_THRESHOLD = 5.0

#: Recipients of the deals in ``arms_deals``: the treaty states buying arms, Russia being the supplier whose
#: weight the notebooks study (Russia's own imports stay in ``arms_transfers``). Also a fair-use limit.
DEAL_RECIPIENTS: tuple[str, ...] = tuple(code for code in RECIPIENTS if code != "RUS")

#: Values of the ``method`` column of ``arms_transfers``.
EXACT = "exact_annual_export"
EQUAL_SPLIT = "equal_split_of_register"

#: The database name the fair-use count groups by (SIPRI allows at most 3,500 data units per database).
FAIR_USE_DATABASE = "SIPRI Arms Transfers Database"

#: Source ids of the releases already listed in data/sources.csv, by date of data generation.
KNOWN_RELEASES = {"2025-03-13": "sipri_at_2025", "2025-01-03": "sipri_at_2025jan"}

TRANSFER_COLUMNS = [
    "supplier", "supplier_name", "recipient", "recipient_name", "year", "tiv", "method", "edition", "source_id",
]
DEAL_COLUMNS = [
    "recipient", "recipient_name", "supplier", "supplier_name", "order_year", "order_year_uncertain",
    "designation", "description", "number_ordered", "number_delivered", "delivery_years", "status",
    "tiv_delivered", "edition", "source_id",
]
#: Columns of each table that hold SIPRI data values (counted against the fair-use allowance).
TRANSFER_UNIT_COLUMNS = ["tiv"]
DEAL_UNIT_COLUMNS = [
    "order_year", "order_year_uncertain", "designation", "description", "number_ordered", "number_delivered",
    "delivery_years", "status", "tiv_delivered",
]

NOTEBOOKS = ["04_arms_trade.ipynb"]
LICENCE_TERMS = (
    "SIPRI Arms Transfers Database (c) SIPRI: free non-commercial use with attribution, citing "
    "'SIPRI Arms Transfers Database, <date of data generation>, https://www.sipri.org/databases/armstransfers'. "
    "Only extracts are shipped, kept below SIPRI's fair-use allowance of 3,500 data units per database."
)

# SIPRI's names of states, mapped to ISO 3166 alpha-3 codes (former states to their ISO 3166-3 codes).
SIPRI_STATES: dict[str, str] = {
    "Afghanistan": "AFG", "Albania": "ALB", "Algeria": "DZA", "Angola": "AGO", "Antigua and Barbuda": "ATG",
    "Argentina": "ARG", "Armenia": "ARM", "Aruba": "ABW", "Australia": "AUS", "Austria": "AUT",
    "Azerbaijan": "AZE", "Bahamas": "BHS", "Bahrain": "BHR", "Bangladesh": "BGD", "Barbados": "BRB",
    "Belarus": "BLR", "Belgium": "BEL", "Belize": "BLZ", "Benin": "BEN", "Bhutan": "BTN", "Bolivia": "BOL",
    "Bosnia-Herzegovina": "BIH", "Botswana": "BWA", "Brazil": "BRA", "Brunei": "BRN", "Bulgaria": "BGR",
    "Burkina Faso": "BFA", "Burundi": "BDI", "Cabo Verde": "CPV", "Cambodia": "KHM", "Cameroon": "CMR",
    "Canada": "CAN", "Central African Republic": "CAF", "Chad": "TCD", "Chile": "CHL", "China": "CHN",
    "Colombia": "COL", "Comoros": "COM", "Congo": "COG", "Costa Rica": "CRI", "Cote d'Ivoire": "CIV",
    "Croatia": "HRV", "Cuba": "CUB", "Cyprus": "CYP", "Czechia": "CZE", "Czechoslovakia": "CSK",
    "DR Congo": "COD", "Denmark": "DNK", "Djibouti": "DJI", "Dominican Republic": "DOM",
    "East Germany (GDR)": "DDR", "Ecuador": "ECU", "Egypt": "EGY", "El Salvador": "SLV",
    "Equatorial Guinea": "GNQ", "Eritrea": "ERI", "Estonia": "EST", "Ethiopia": "ETH", "Fiji": "FJI",
    "Finland": "FIN", "France": "FRA", "Gabon": "GAB", "Gambia": "GMB", "Georgia": "GEO", "Germany": "DEU",
    "Ghana": "GHA", "Greece": "GRC", "Grenada": "GRD", "Guatemala": "GTM", "Guinea": "GIN",
    "Guinea-Bissau": "GNB", "Guyana": "GUY", "Haiti": "HTI", "Honduras": "HND", "Hungary": "HUN",
    "Iceland": "ISL", "India": "IND", "Indonesia": "IDN", "Iran": "IRN", "Iraq": "IRQ", "Ireland": "IRL",
    "Israel": "ISR", "Italy": "ITA", "Jamaica": "JAM", "Japan": "JPN", "Jordan": "JOR", "Kazakhstan": "KAZ",
    "Kenya": "KEN", "Kiribati": "KIR", "Kuwait": "KWT", "Kyrgyzstan": "KGZ", "Laos": "LAO", "Latvia": "LVA",
    "Lebanon": "LBN", "Lesotho": "LSO", "Liberia": "LBR", "Libya": "LBY", "Lithuania": "LTU",
    "Luxembourg": "LUX", "Madagascar": "MDG", "Malawi": "MWI", "Malaysia": "MYS", "Maldives": "MDV",
    "Mali": "MLI", "Malta": "MLT", "Mauritania": "MRT", "Mauritius": "MUS", "Mexico": "MEX",
    "Micronesia": "FSM", "Moldova": "MDA", "Mongolia": "MNG", "Montenegro": "MNE", "Morocco": "MAR",
    "Mozambique": "MOZ", "Myanmar": "MMR", "Namibia": "NAM", "Nepal": "NPL", "Netherlands": "NLD",
    "New Zealand": "NZL", "Nicaragua": "NIC", "Niger": "NER", "Nigeria": "NGA", "North Korea": "PRK",
    "North Macedonia": "MKD", "Norway": "NOR", "Oman": "OMN", "Pakistan": "PAK", "Palau": "PLW",
    "Palestine": "PSE", "Panama": "PAN", "Papua New Guinea": "PNG", "Paraguay": "PRY", "Peru": "PER",
    "Philippines": "PHL", "Poland": "POL", "Portugal": "PRT", "Qatar": "QAT", "Romania": "ROU",
    "Russia": "RUS", "Rwanda": "RWA", "Saint Kitts and Nevis": "KNA", "Saint Vincent": "VCT", "Samoa": "WSM",
    "Saudi Arabia": "SAU", "Senegal": "SEN", "Serbia": "SRB", "Seychelles": "SYC", "Sierra Leone": "SLE",
    "Singapore": "SGP", "Slovakia": "SVK", "Slovenia": "SVN", "Solomon Islands": "SLB", "Somalia": "SOM",
    "South Africa": "ZAF", "South Korea": "KOR", "South Sudan": "SSD", "South Yemen": "YMD",
    "Soviet Union": "SUN", "Spain": "ESP", "Sri Lanka": "LKA", "Sudan": "SDN", "Suriname": "SUR",
    "Sweden": "SWE", "Switzerland": "CHE", "Syria": "SYR", "Taiwan": "TWN", "Tajikistan": "TJK",
    "Tanzania": "TZA", "Thailand": "THA", "Timor-Leste": "TLS", "Togo": "TGO", "Tonga": "TON",
    "Trinidad and Tobago": "TTO", "Tunisia": "TUN", "Turkiye": "TUR", "Turkmenistan": "TKM", "Tuvalu": "TUV",
    "UAE": "ARE", "Uganda": "UGA", "Ukraine": "UKR", "United Kingdom": "GBR", "United States": "USA",
    "Uruguay": "URY", "Uzbekistan": "UZB", "Vanuatu": "VUT", "Venezuela": "VEN", "Viet Nam": "VNM",
    "Western Sahara": "ESH", "Yemen": "YEM", "Yugoslavia": "YUG", "Zambia": "ZMB", "Zimbabwe": "ZWE",
    "eSwatini": "SWZ",
}

#: Entities SIPRI lists that have no ISO code of their own: kept under SIPRI's name. Non-state actors
#: (names ending in '*'), international organisations ('**') and 'unknown ...' entries are kept as well.
NON_ISO_NAMES: frozenset[str] = frozenset({
    "Biafra", "Katanga", "Kosovo", "Libya GNC", "North Yemen", "Northern Cyprus", "South Vietnam",
    "Yemen Arab Republic (North Yemen)",
})

_REGISTER_KEY = "Year(s) of delivery"
_ANNUAL_KEYS = ("SIPRI AT Database ID", "Delivery year")
_REGISTER_COLUMNS = (
    "Recipient", "Supplier", "Year of order", "Number ordered", "Weapon designation", "Weapon description",
    "Number delivered", "Year(s) of delivery", "status", "SIPRI TIV of delivered weapons",
)
_ANNUAL_COLUMNS = (
    "SIPRI AT Database ID", "Supplier", "Recipient", "Designation", "Description", "Delivery year", "Status",
    "TIV delivery values",
)
_WHAT = "a SIPRI Arms Transfers Database CSV export (trade register, or deliveries by year)"


# --------------------------------------------------------------------------------------------- entry point


def read(path: Path | str, progress: Callable[[str], Any] | None = None,
         folder: Path | None = None) -> ImportResult:
    """Read a SIPRI arms-transfers export and return the ``arms_transfers`` (and ``arms_deals``) extracts.

    ``progress`` is an optional callback receiving short status messages. Raises
    :class:`~utils.write.importers.SourceFormatError` for a file that is not a SIPRI export in a known layout or
    holds a value that cannot be right (text in a number column, a negative TIV, an unknown country ...). The
    other export's rows of ``arms_transfers`` and the recorded retrieval dates are those of ``folder``, the data
    folder the refresh writes into (None: the default data folder).
    """
    path = Path(path)
    common.report(progress, f"reading {path.name}")
    export = _parse(path, common.read_text(path, _WHAT))
    common.report(progress, f"{path.name}: {export.layout} layout, data generated {export.generated}")
    if export.layout == "annual":
        return _from_annual(export, folder)
    return _from_register(export, folder)


# --------------------------------------------------------------------------------------------- parsing


class _Export:
    """A parsed export: layout, edition, header and the data records with their line numbers."""

    def __init__(self, path: Path, layout: str, generated: str, header: list[str], header_line: int,
                 records: list[tuple[int, list[str]]], repaired: list[int]) -> None:
        self.path, self.layout, self.generated, self.header = path, layout, generated, header
        self.header_line, self.records, self.repaired = header_line, records, repaired

    @property
    def latest_year(self) -> int:
        """The latest year a delivery or an order can have: the year the export was generated."""
        return int(self.generated[:4])

    @property
    def source_id(self) -> str:
        return KNOWN_RELEASES.get(self.generated, "sipri_at_" + self.generated.replace("-", ""))

    def col(self, name: str) -> int:
        return self.header.index(name)

    def where(self, name: str) -> str:
        return common.where(self.header, name)


def _parse(path: Path, text: str) -> _Export:
    rows = list(_csv_rows(path, text))
    header_at = next(
        (i for i, (_, row) in enumerate(rows[:30]) if "Supplier" in row and "Recipient" in row), None
    )
    if header_at is None:
        first = rows[0][1] if rows else []
        raise SourceFormatError(
            path,
            f"expected {_WHAT}: SIPRI's preamble, then a header row naming 'Supplier' and 'Recipient' "
            f"(line 12); none in the first 30 lines (line 1 reads {','.join(first)[:60]!r})",
        )
    header_line, header = rows[header_at]
    preamble = [",".join(r) for _, r in rows[:header_at]]
    generated = _data_generated(path, preamble, header_line)
    _check_scope(path, preamble, header_line)

    if _REGISTER_KEY in header:
        layout, required = "register", _REGISTER_COLUMNS
    elif all(key in header for key in _ANNUAL_KEYS):
        layout, required = "annual", _ANNUAL_COLUMNS
    else:
        raise SourceFormatError(
            path,
            f"unknown layout: the header has neither {_REGISTER_KEY!r} (trade register) nor "
            f"'SIPRI AT Database ID' and 'Delivery year' (deliveries by year)",
            row=header_line,
        )
    for name in required:
        if name not in header:
            raise SourceFormatError(
                path, f"column {name!r} is missing from the header of this {layout} export", row=header_line
            )
    if layout == "register":
        for name in ("Year of order", "Number ordered", "Number delivered"):
            flag = header.index(name) + 1
            if flag >= len(header) or header[flag].strip():
                raise SourceFormatError(
                    path, f"expected the unnamed '?' flag column right after {name!r}", row=header_line
                )

    records, repaired = _complete_records(path, rows[header_at + 1:], len(header), layout)
    return _Export(path, layout, generated, header, header_line, records, repaired)


def _csv_rows(path: Path, text: str):
    """(line number, fields) for every non-empty CSV record, the line being where the record starts."""
    for start, fields in common.csv_records(path, text):
        if any(field.strip() for field in fields):
            yield start, fields


def _data_generated(path: Path, preamble: list[str], header_line: int) -> str:
    """ISO date from the preamble's 'Data generated: 13 Mar 2025 10:02:49 AM' line."""
    for line in preamble:
        match = re.match(r"\s*Data generated:\s*(.+?)\s*$", line)
        if match:
            stamp = match.group(1).strip().strip(",")
            for pattern in ("%d %b %Y %I:%M:%S %p", "%d %B %Y %I:%M:%S %p", "%d %b %Y %H:%M:%S", "%d %b %Y"):
                try:
                    return datetime.strptime(stamp, pattern).date().isoformat()
                except ValueError:
                    continue
            raise SourceFormatError(path, f"cannot read the date in 'Data generated: {stamp}'")
    raise SourceFormatError(
        path,
        "SIPRI's preamble is missing or altered: no 'Data generated: <date>' line above the header "
        f"(line {header_line}), so the edition is unknown; use the file exactly as exported by SIPRI",
    )


def _check_scope(path: Path, preamble: list[str], header_line: int) -> None:
    """The export must cover all suppliers and all recipients: a restricted export (say, 'to Armenia')
    would silently drop the other states' rows from the tables."""
    for line in preamble:
        match = re.search(r"arms from (.+?)\s+to (.+?)\s*\.", line)
        if match:
            supplier, recipient = (part.strip() for part in match.groups())
            if supplier != "All countries" or recipient != "All countries":
                raise SourceFormatError(
                    path, f"this export is restricted to transfers from {supplier} to {recipient}; export the "
                    "register from 'All countries' to 'All countries' so that no state's rows are lost",
                    row=1,
                )
            return
    raise SourceFormatError(
        path, "SIPRI's preamble is missing or altered: no 'Transfers of major conventional arms from ... to ...' "
        f"line above the header (line {header_line}); use the file exactly as exported by SIPRI",
    )


def _complete_records(path: Path, rows, width: int, layout: str) -> tuple[list[tuple[int, list[str]]], list[int]]:
    """Check every record has ``width`` fields, re-joining register deals whose comment spilled onto a
    second line (a known defect of SIPRI's register export: an unquoted line break inside 'Comments')."""
    records, repaired = [], []
    i = 0
    while i < len(rows):
        line, fields = rows[i]
        if len(fields) < width and layout == "register" and i + 1 < len(rows):
            next_fields = rows[i + 1][1]
            if len(fields) + len(next_fields) - 1 == width:
                fields = fields[:-1] + [f"{fields[-1]} {next_fields[0]}".strip()] + next_fields[1:]
                repaired.append(line)
                i += 1
        if len(fields) != width:
            raise SourceFormatError(
                path, f"expected {width} fields as in the header, found {len(fields)}", row=line
            )
        records.append((line, fields))
        i += 1
    return records, repaired


# --------------------------------------------------------------------------------------------- names


def _code(export: _Export, name: str, line: int, column: str) -> str:
    """ISO3 code of a SIPRI state name, or the name itself for a non-state or an entity without one."""
    name = name.strip()
    if name in SIPRI_STATES:
        return SIPRI_STATES[name]
    if name in NON_ISO_NAMES or name.endswith("*") or name.lower().startswith("unknown"):
        return name
    alias = countries.iso3(name)
    if alias is not None:
        return alias
    raise SourceFormatError(
        export.path,
        f"unknown country or actor {name!r}: add it to SIPRI_STATES (with its ISO3 code) or NON_ISO_NAMES "
        "in utils/write/importers/sipri_arms.py",
        row=line,
        column=export.where(column),
    )


def _display(code: str, sipri_name: str) -> str:
    """Display name: the collection's own name where it has one, else SIPRI's."""
    return countries.COUNTRY_NAMES.get(code, sipri_name.strip())


# --------------------------------------------------------------------------------------------- deliveries by year


def _from_annual(export: _Export, folder: Path | None) -> ImportResult:
    """Exact annual TIV from the deliveries-by-year export, plus the register's rows for other years."""
    path = export.path
    c = {name: export.col(name) for name in _ANNUAL_COLUMNS}
    seen: dict[tuple[int, int], int] = {}
    totals: dict[tuple[str, str, int], float] = defaultdict(float)
    names: dict[str, str] = {}
    for line, f in export.records:
        deal = common.parse_number(path, f[c["SIPRI AT Database ID"]], row=line, integer=True, allow_empty=False,
                                   column=export.where("SIPRI AT Database ID"))
        year = _year(export, f[c["Delivery year"]], line, "Delivery year")
        tiv = common.parse_number(path, f[c["TIV delivery values"]], row=line, allow_empty=False,
                                  column=export.where("TIV delivery values"), **bounds.limit("arms_transfers", "tiv"))
        if (deal, year) in seen:
            raise SourceFormatError(
                path, f"duplicated row: deal {deal}, delivery year {year} already appears on line {seen[deal, year]}",
                row=line,
            )
        seen[deal, year] = line
        recipient = _code(export, f[c["Recipient"]], line, "Recipient")
        supplier = _code(export, f[c["Supplier"]], line, "Supplier")
        if recipient in RECIPIENTS and year >= FIRST_YEAR:
            totals[supplier, recipient, year] += tiv
            names[supplier] = _display(supplier, f[c["Supplier"]])
    if not seen:
        raise SourceFormatError(path, "the export has a header but no data rows")

    edition = export.generated
    rows = [
        _transfer_row(supplier, names[supplier], recipient, year, tiv, EXACT, edition, export.source_id)
        for (supplier, recipient, year), tiv in totals.items()
    ]
    exact_years = {row["year"] for row in rows}
    span = (min(exact_years), max(exact_years)) if exact_years else None
    kept = [
        row for row in _current_transfers(folder)
        if row["method"] == EQUAL_SPLIT and not (span and span[0] <= int(row["year"]) <= span[1])
    ]
    entry = common.source_file_entry(
        path, "arms_transfers", folder, role=EXACT, edition=f"data generated {edition}", source_id=export.source_id,
        builder=f"python -m utils.write.refresh arms {path.name}", latest_year=export.latest_year,
    )
    table = _transfers_table(rows + kept)
    provenance = _transfer_provenance(entry, table, folder)
    return ImportResult(
        tables={"arms_transfers": table}, provenance={"arms_transfers": provenance},
        latest_year={"arms_transfers": bounds.latest_of(provenance["source_files"]) or export.latest_year},
    )


def _year(export: _Export, text: str, line: int, column: str) -> int:
    """A year, not after the year SIPRI generated the export (a delivery cannot be recorded before it happens)."""
    year = common.parse_number(export.path, text, row=line, integer=True, allow_empty=False,
                               column=export.where(column), minimum=1900, maximum=export.latest_year,
                               reason=f"SIPRI generated this export on {export.generated}", what="a year")
    return int(year)


# --------------------------------------------------------------------------------------------- register


def _from_register(export: _Export, folder: Path | None) -> ImportResult:
    """Deal table from the register, and its equal-split annual rows for the years no exact export covers."""
    path = export.path
    c = {name: export.col(name) for name in _REGISTER_COLUMNS}
    flag = {name: export.col(name) + 1 for name in ("Year of order", "Number ordered", "Number delivered")}
    deals: list[dict[str, Any]] = []
    seen_rows: dict[tuple[str, ...], int] = {}
    for line, f in export.records:
        recipient = _code(export, f[c["Recipient"]], line, "Recipient")
        supplier = _code(export, f[c["Supplier"]], line, "Supplier")
        order_year = _year(export, f[c["Year of order"]], line, "Year of order")
        number_ordered = common.parse_number(path, f[c["Number ordered"]], row=line, integer=True,
                                             column=export.where("Number ordered"),
                                             **bounds.limit("arms_deals", "number_ordered"))
        number_delivered = common.parse_number(path, f[c["Number delivered"]], row=line, integer=True,
                                               column=export.where("Number delivered"),
                                               **bounds.limit("arms_deals", "number_delivered"))
        tiv = common.parse_number(path, f[c["SIPRI TIV of delivered weapons"]], row=line,
                                  column=export.where("SIPRI TIV of delivered weapons"),
                                  **{**bounds.limit("arms_deals", "tiv_delivered"), "minimum": 0})
        years = _delivery_years(export, f[c[_REGISTER_KEY]], line)
        for name, index in flag.items():
            if f[index].strip() not in ("", "?"):
                raise SourceFormatError(
                    path, f"expected '?' or an empty cell in the flag column after {name!r}, found {f[index]!r}",
                    row=line, column=f"{common.column_letter(index)} (the flag after '{name}')",
                )
        if recipient not in RECIPIENTS:
            continue
        key = tuple(f)
        if key in seen_rows:
            raise SourceFormatError(path, f"duplicated row: the same deal already appears on line {seen_rows[key]}",
                                    row=line)
        seen_rows[key] = line
        deals.append({
            "recipient": recipient, "recipient_name": _display(recipient, f[c["Recipient"]]),
            "supplier": supplier, "supplier_name": _display(supplier, f[c["Supplier"]]),
            "order_year": order_year, "order_year_uncertain": f[flag["Year of order"]].strip() == "?",
            "designation": f[c["Weapon designation"]].strip(), "description": f[c["Weapon description"]].strip(),
            "number_ordered": number_ordered, "number_delivered": number_delivered,
            "delivery_years": years, "status": f[c["status"]].strip(), "tiv_delivered": tiv, "line": line,
        })
    if not export.records:
        raise SourceFormatError(path, "the export has a header but no data rows")

    edition, source_id = export.generated, export.source_id
    deal_rows = _deal_rows(export, deals)
    transfer_rows = _equal_split_rows(deals, edition, source_id)

    # Years that an exact (deliveries-by-year) import already covers keep their exact rows.
    exact = [row for row in _current_transfers(folder) if row["method"] == EXACT]
    if exact:
        first, last = min(int(r["year"]) for r in exact), max(int(r["year"]) for r in exact)
        transfer_rows = [row for row in transfer_rows if not first <= row["year"] <= last]

    repaired = (
        f"; {len(export.repaired)} deals whose 'Comments' spilled onto a second line were re-joined "
        f"(lines {', '.join(map(str, export.repaired))})" if export.repaired else ""
    )
    builder = f"python -m utils.write.refresh arms {path.name}"
    transfer_entry = common.source_file_entry(
        path, "arms_transfers", folder, role=EQUAL_SPLIT, edition=f"data generated {edition}", source_id=source_id,
        builder=builder, latest_year=export.latest_year,
    )
    deal_entry = common.source_file_entry(
        path, "arms_deals", folder, role="register", edition=f"data generated {edition}", source_id=source_id,
        builder=builder, note=f"{len(deals)} deals with the nine recipients, {len(deal_rows)} kept{repaired}",
        latest_year=export.latest_year,
    )
    transfers = _transfers_table(transfer_rows + exact)
    transfer_provenance = _transfer_provenance(transfer_entry, transfers, folder)
    return ImportResult(
        tables={"arms_transfers": transfers, "arms_deals": _deals_table(deal_rows)},
        provenance={
            "arms_transfers": transfer_provenance,
            "arms_deals": _deal_provenance(deal_entry, deals, deal_rows),
        },
        latest_year={
            "arms_transfers": bounds.latest_of(transfer_provenance["source_files"]) or export.latest_year,
            "arms_deals": export.latest_year,
        },
    )


def _delivery_years(export: _Export, text: str, line: int) -> list[int]:
    """'2018; 2019; 2020' -> [2018, 2019, 2020] (an empty cell: no deliveries yet)."""
    years = []
    for part in text.split(";"):
        if part.strip():
            years.append(_year(export, part, line, _REGISTER_KEY))
    return years


def _deal_rows(export: _Export, deals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Deals with the eight recipients, a delivery from 1992 on and a delivered TIV at the threshold or above."""
    kept, keys = [], {}
    for deal in deals:
        if deal["recipient"] not in DEAL_RECIPIENTS:
            continue
        if not deal["delivery_years"] or max(deal["delivery_years"]) < FIRST_YEAR:
            continue
        if deal["tiv_delivered"] is None or deal["tiv_delivered"] < DEAL_TIV_THRESHOLD:
            continue
        key = tuple(deal[k] for k in ("recipient", "supplier", "order_year", "designation", "description"))
        key += (tuple(deal["delivery_years"]),)
        if key in keys:
            raise SourceFormatError(
                export.path, f"duplicated deal: {deal['designation']!r} from {deal['supplier_name']} to "
                f"{deal['recipient_name']} ordered {deal['order_year']} already appears on line {keys[key]}",
                row=deal["line"],
            )
        keys[key] = deal["line"]
        kept.append({
            **deal,
            "delivery_years": ";".join(str(y) for y in deal["delivery_years"]),
            "edition": export.generated, "source_id": export.source_id,
        })
    return kept


def _equal_split_rows(deals: list[dict[str, Any]], edition: str, source_id: str) -> list[dict[str, Any]]:
    """Each deal's delivered TIV split equally over its delivery years, summed by supplier, recipient, year."""
    totals: dict[tuple[str, str, int], float] = defaultdict(float)
    names: dict[str, str] = {}
    for deal in deals:
        years, tiv = deal["delivery_years"], deal["tiv_delivered"]
        if not years or tiv is None:
            continue
        for year in years:
            if year >= FIRST_YEAR:
                totals[deal["supplier"], deal["recipient"], year] += tiv / len(years)
                names[deal["supplier"]] = deal["supplier_name"]
    return [
        _transfer_row(supplier, names[supplier], recipient, year, tiv, EQUAL_SPLIT, edition, source_id)
        for (supplier, recipient, year), tiv in totals.items()
    ]


def _ranges(years: list[int]) -> str:
    """[1992, 1993, 1994, 2024] -> '1992-1994, 2024'."""
    spans: list[list[int]] = []
    for year in years:
        if spans and year == spans[-1][1] + 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in spans)


# --------------------------------------------------------------------------------------------- tables


def _transfer_row(supplier, supplier_name, recipient, year, tiv, method, edition, source_id) -> dict[str, Any]:
    return {
        "supplier": supplier, "supplier_name": supplier_name, "recipient": recipient,
        "recipient_name": countries.name_of(recipient), "year": year,
        # Rounded to 3 decimals: SIPRI's values have at most 2, so this only removes floating-point noise
        # from sums (and keeps equal splits to a thousandth of a million TIV).
        "tiv": round(tiv, 3), "method": method, "edition": edition, "source_id": source_id,
    }


def _current_transfers(folder: Path | None) -> list[dict[str, str]]:
    current = common.current_table("arms_transfers", folder)
    if current is None or "method" not in current.columns:
        return []
    return current.to_dict("records")


def _transfers_table(rows: list[dict[str, Any]]):
    return common.string_table(
        rows, TRANSFER_COLUMNS, sort_by=lambda r: (r["recipient"], int(r["year"]), r["supplier"])
    )


def _deals_table(rows: list[dict[str, Any]]):
    return common.string_table(
        rows, DEAL_COLUMNS,
        sort_by=lambda r: (r["recipient"], r["supplier"], r["order_year"], r["designation"], r["description"],
                           r["delivery_years"]),
    )


def _transfer_provenance(entry: dict[str, Any], table, folder: Path | None) -> dict[str, Any]:
    files = common.merged_source_files("arms_transfers", entry, folder=folder)
    for file in files:
        # The years each file supplies, from the finished table (an earlier import may have covered more).
        years = sorted({int(year) for year in table.loc[table["method"] == file["role"], "year"]})
        file["years"] = _ranges(years) or "none"
    return {
        "source": f"{FAIR_USE_DATABASE}, https://www.sipri.org/databases/armstransfers",
        "edition": "; ".join(f"{e['role']}: {e['edition']} ({e['years']})" for e in files),
        "retrieved": "; ".join(sorted({e["retrieved"] for e in files})),
        "licence_terms": LICENCE_TERMS,
        "builder": "; ".join(e["builder"] for e in files),
        "notebooks": NOTEBOOKS,
        "method": (
            f"{EXACT}: TIV delivered in the year, summed from SIPRI's deliveries-by-year export (exact). "
            f"{EQUAL_SPLIT}: each deal's delivered TIV in the trade register split equally over its delivery "
            "years (approximate), only for years the exact export does not cover."
        ),
        "source_files": files,
        **common.file_keys(files),
        "fair_use_database": FAIR_USE_DATABASE,
        "fair_use_unit_columns": TRANSFER_UNIT_COLUMNS,
    }


def _deal_provenance(entry: dict[str, Any], deals: list[dict[str, Any]], kept: list[dict[str, Any]]) -> dict[str, Any]:
    eligible = [d for d in deals if d["recipient"] in DEAL_RECIPIENTS and d["delivery_years"]
                and max(d["delivery_years"]) >= FIRST_YEAR]
    total = sum(d["tiv_delivered"] or 0 for d in eligible)
    share = sum(d["tiv_delivered"] for d in kept) / total if total else 1.0
    return {
        "source": f"{FAIR_USE_DATABASE}, https://www.sipri.org/databases/armstransfers (trade register)",
        "edition": entry["edition"],
        "retrieved": entry["retrieved"],
        "licence_terms": LICENCE_TERMS,
        "builder": entry["builder"],
        "notebooks": NOTEBOOKS,
        "selection": (
            f"Deals with one of the eight treaty states other than Russia ({', '.join(DEAL_RECIPIENTS)}) as "
            f"recipient, at least one delivery from {FIRST_YEAR} and a delivered TIV of at least "
            f"{DEAL_TIV_THRESHOLD:g} million: {len(kept)} of their {len(eligible)} deals, holding {share:.1%} of "
            "the TIV delivered to them under all those deals."
        ),
        "source_files": [entry],
        **common.file_keys([entry]),
        "fair_use_database": FAIR_USE_DATABASE,
        "fair_use_unit_columns": DEAL_UNIT_COLUMNS,
    }
