"""The states the collection is about, their ISO3 codes and display names.

Kept apart from ``utils.read.data`` so that importers, metrics and plots agree on one list without importing pandas.
"""

from __future__ import annotations

#: The six members of the CSTO (as of 2026; Armenia froze its participation in 2024 but remains a member).
CSTO_MEMBERS: tuple[str, ...] = ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK")

#: Every state that was ever a party to the 1992 Collective Security Treaty.
TREATY_PARTIES: tuple[str, ...] = ("ARM", "AZE", "BLR", "GEO", "KAZ", "KGZ", "RUS", "TJK", "UZB")

#: Display names used in tables, titles and legends.
COUNTRY_NAMES: dict[str, str] = {
    "ARM": "Armenia",
    "AZE": "Azerbaijan",
    "BLR": "Belarus",
    "GEO": "Georgia",
    "KAZ": "Kazakhstan",
    "KGZ": "Kyrgyzstan",
    "RUS": "Russia",
    "TJK": "Tajikistan",
    "UZB": "Uzbekistan",
    # Arms suppliers and other states that appear in the figures.
    "CHN": "China",
    "FRA": "France",
    "IND": "India",
    "ISR": "Israel",
    "TUR": "Turkiye",
    "USA": "United States",
    "UKR": "Ukraine",
    "CAN": "Canada",
    "DEU": "Germany",
    "GBR": "United Kingdom",
    "ITA": "Italy",
    "ESP": "Spain",
    "KOR": "South Korea",
    "JOR": "Jordan",
    "ZAF": "South Africa",
    "SRB": "Serbia",
    "CZE": "Czechia",
    "POL": "Poland",
    "AFG": "Afghanistan",
    "IRN": "Iran",
    "SUN": "Soviet Union",
}

#: Other spellings found in official files, mapped to ISO3 (SIPRI writes "Kyrgyz Republic", the World Bank
#: "Russian Federation", SIPRI's arms database "Turkiye").
ALIASES: dict[str, str] = {
    "Kyrgyz Republic": "KGZ",
    "Russian Federation": "RUS",
    "Turkey": "TUR",
    "Türkiye": "TUR",
    "United States of America": "USA",
    "United States": "USA",
    "UK": "GBR",
    "Czech Republic": "CZE",
    "Korea, South": "KOR",
    "South Korea": "KOR",
    "Soviet Union": "SUN",
    "USSR": "SUN",
}


def iso3(name: str) -> str | None:
    """ISO3 code for a country name or alias (``"Kyrgyz Republic"`` -> ``"KGZ"``); None if unknown."""
    if name in COUNTRY_NAMES:
        return name
    if name in ALIASES:
        return ALIASES[name]
    for code, display in COUNTRY_NAMES.items():
        if display == name:
            return code
    return None


def name_of(code: str) -> str:
    """Display name for an ISO3 code; the code itself (e.g. a non-state supplier's name) if unknown."""
    return COUNTRY_NAMES.get(code, code)
