"""The collection's vocabulary, defined once: measures and releases of SIPRI's data, membership roles, outcomes of
requests for help, claim verdicts, and how each reads in a title, an axis label or a menu.

Countries and their colours live in :mod:`utils.read.countries`; the figure style in :mod:`utils.read.plots`. Everything
here is plain data and small pure functions, so notebooks, importers and tests agree on one meaning per word.
"""

from __future__ import annotations

import re

import pandas as pd

# --------------------------------------------------------------------------------------------- SIPRI milex

#: Measures stored as fractions in ``milex``; shown as per cent.
PERCENT_MEASURES = frozenset({"share_gdp", "share_govt"})

#: SIPRI's colour flags, as the importer stores them in ``milex.status``, and what each means for a reader.
STATUS_LABELS: dict[str, str] = {
    "reported": "figure as reported",
    "estimate": "SIPRI estimate",
    "uncertain": "highly uncertain (SIPRI)",
    "no_data": "no data",
    "not_a_state": "not a state in that year",
}

_CONSTANT = re.compile(r"^constant_usd_(\d{4})$")


#: The consistency checks behind the ``milex_suspicions`` table (column ``check``), in words for tables and notes.
SUSPICION_LABELS: dict[str, str] = {
    "price_chain": "constant dollars jump against the same release's current dollars (broken price chain)",
    "between_releases": "against the previous release, one factor for a block of years and another for the rest",
    "copied_row": "the figures repeat another state's, digit for digit (copied row)",
    "share_of_gdp": "share of GDP far from SIPRI's own spending divided by World Bank GDP",
}


def constant_base(measure: str) -> int | None:
    """The price-base year of a ``constant_usd_<base>`` measure (``None`` for any other measure)."""
    match = _CONSTANT.match(str(measure))
    return int(match.group(1)) if match else None


#: Words for each measure but the constant-dollar ones (whose words name their price base): (unit for axes,
#: name for titles, menus and tables). Written out in names, not "US$": two dollar signs in one table or text are
#: read as mathematics by JupyterLab.
_MEASURE_WORDS: dict[str, tuple[str, str]] = {
    "current_usd": ("US$ million, current prices", "spending in current US dollars"),
    "share_gdp": ("% of GDP", "spending as a share of GDP"),
    "share_govt": ("% of government spending", "spending as a share of government spending"),
    "per_capita": ("US$ per person, current prices", "spending per person"),
}


def measure_unit(measure: str) -> str:
    """Short axis label for a ``milex`` measure: its unit only ("US$ million, constant 2024 prices", "% of GDP")."""
    base = constant_base(measure)
    if base is not None:
        return f"US$ million, constant {base} prices"
    return _MEASURE_WORDS.get(measure, (measure, measure))[0]


def measure_title(measure: str) -> str:
    """Short name of a measure for titles, menus and tables ("spending in constant 2024 US dollars")."""
    base = constant_base(measure)
    if base is not None:
        return f"spending in constant {base} US dollars"
    return _MEASURE_WORDS.get(measure, (measure, measure))[1]


def edition_year(edition: str) -> int | None:
    """The last four-digit year in an edition's name (``"SIPRI Military Expenditure Database 2026"`` -> 2026)."""
    years = re.findall(r"(?<!\d)(\d{4})(?!\d)", str(edition))
    return int(years[-1]) if years else None


def edition_label(edition: str) -> str:
    """``"SIPRI Military Expenditure Database 2026"`` -> ``"2026 release"``."""
    year = edition_year(edition)
    return f"{year} release" if year else str(edition)


def edition_source_id(edition: str) -> str:
    """The ``sources`` id of a SIPRI milex edition (``"... Database 2026"`` -> ``"sipri_milex_2026"``)."""
    if str(edition).startswith("sipri_"):
        return str(edition)
    year = edition_year(edition)
    return f"sipri_milex_{year}" if year else str(edition)


def editions(milex: pd.DataFrame) -> list[str]:
    """The releases in a ``milex`` table, oldest first."""
    return sorted(milex["edition"].dropna().unique(), key=lambda e: (edition_year(e) or 0, str(e)))


def constant_measure(milex: pd.DataFrame, edition: str) -> str:
    """The ``constant_usd_<base>`` measure of one release (each release has its own price base)."""
    present = milex.loc[milex["edition"] == edition, "measure"].unique()
    constant = sorted((m for m in present if constant_base(m) is not None), key=constant_base)
    if not constant:
        raise ValueError(f"release {edition!r} of milex has no constant_usd_<base> measure")
    return constant[-1]


# --------------------------------------------------------------------------------------------- SIPRI arms transfers

#: How the rows of ``arms_transfers`` were made (its ``method`` column), in words for tables, notes and menus.
ARMS_METHOD_LABELS: dict[str, str] = {
    "exact_annual_export": "exact yearly figures (SIPRI's deliveries by year)",
    "equal_split_of_register": "estimated: each deal in SIPRI's register spread evenly over its delivery years",
}


def arms_method_label(method: str) -> str:
    """Words for an ``arms_transfers.method`` value (the value itself if it is not a known method)."""
    return ARMS_METHOD_LABELS.get(str(method), str(method))


# --------------------------------------------------------------------------------------------- memberships

#: Organisations in the order figures list them: the treaty and its organisation first, then the others.
ORGANISATIONS: dict[str, str] = {
    "CST": "Collective Security Treaty (1992)",
    "CSTO": "Collective Security Treaty Organization (2002)",
    "CSTO-PA": "CSTO Parliamentary Assembly",
    "EAEU": "Eurasian Economic Union",
    "SCO": "Shanghai Cooperation Organisation",
    "CIS": "Commonwealth of Independent States",
}

#: Roles that keep a state a formal member: it has stepped back ("frozen", or a suspension it announced itself
#: while the Council had not acted) but has not left.
FORMAL_MEMBER_ROLES: tuple[str, ...] = ("member", "participation_frozen", "participation_suspended")

#: Readable labels for roles stored with underscores.
ROLE_LABELS: dict[str, str] = {
    "member": "member",
    "participation_frozen": "member, frozen",
    "participation_suspended": "member, suspending",
    "observer": "observer",
    "dialogue_partner": "dialogue partner",
}

# --------------------------------------------------------------------------------------------- events

#: Colours of the event categories of the ``events`` table (Paul Tol's "bright" and "light" palettes).
CATEGORY_COLOURS: dict[str, str] = {
    "treaty": "#4477AA",
    "membership": "#EE6677",
    "summit": "#228833",
    "leadership": "#CCBB44",
    "forces": "#66CCEE",
    "exercise": "#AA3377",
    "crisis": "#BB5566",
    "request": "#EE8866",
    "deployment": "#000000",
    "bases": "#99DDFF",
    "statement": "#AAAA00",
    "agreement": "#44BB99",
    "conflict": "#882255",
    "arms": "#DDAA33",
    "operation": "#004488",
    "institution": "#999933",
}

# --------------------------------------------------------------------------------------------- requests for help

#: The coded outcomes of a request for help, from the most help given to the least.
OUTCOMES: tuple[str, ...] = (
    "deployed",
    "material aid only",
    "fact-finding only",
    "consultations only",
    "declined",
    "no response",
)

#: Colour and marker per outcome: blues for some help, ochre for talk, reds for none (readable in grey too).
OUTCOME_STYLES: dict[str, dict[str, str]] = {
    "deployed": {"colour": "#004488", "marker": "*"},
    "material aid only": {"colour": "#6699CC", "marker": "D"},
    "fact-finding only": {"colour": "#88CCEE", "marker": "s"},
    "consultations only": {"colour": "#DDAA33", "marker": "o"},
    "declined": {"colour": "#BB5566", "marker": "X"},
    "no response": {"colour": "#882255", "marker": "v"},
}

# --------------------------------------------------------------------------------------------- claim verdicts

#: The verdicts in the order a reader weighs them: from "the claim stands" to "it cannot be checked".
VERDICTS: tuple[str, ...] = ("holds", "holds with caveat", "outdated", "wrong", "unverifiable", "interpretive")

#: One colour per verdict (Okabe-Ito / Tol colours, colour-blind safe).
VERDICT_COLOURS: dict[str, str] = {
    "holds": "#009E73",
    "holds with caveat": "#8FD3B8",
    "outdated": "#E69F00",
    "wrong": "#D55E00",
    "unverifiable": "#BBBBBB",
    "interpretive": "#9C8CC4",
}

# --------------------------------------------------------------------------------------------- consistency checks

def in_words(text: str) -> str:
    """``text`` with every ``milex`` measure id replaced by its words ("constant_usd_2024" -> "spending in
    constant 2024 US dollars"), for findings and report lines shown to readers."""
    return re.sub(r"\b(constant_usd_\d{4}|current_usd|share_gdp|share_govt|per_capita)\b",
                  lambda match: measure_title(match.group(1)), str(text))

# --------------------------------------------------------------------------------------------- conflict-years (UCDP)

#: How a treaty state took part in a UCDP conflict-year, as lessons 05 and 06 name it.
#: "at home": an internal conflict (UCDP types 3 and 4) in which the state's government is a primary party;
#: "against another state": an interstate conflict (type 2) in which it is a primary party, wherever it was fought;
#: "supporting a side abroad": a secondary party, which sent troops to support a side in someone else's conflict.
CONFLICT_KINDS: tuple[str, ...] = ("at home", "against another state", "supporting a side abroad")

#: Dark for the state's own conflicts, light for support sent abroad (readable in grey too).
CONFLICT_KIND_COLOURS: dict[str, str] = {
    "at home": "#332288",
    "against another state": "#CC3311",
    "supporting a side abroad": "#BBBBBB",
}

# --------------------------------------------------------------------------------------------- the two articles

#: The two articles the course checks, by their key in the ``claims`` table's ``article`` column (the first three
#: characters of each claim id).
ARTICLE_2020_21 = "000"  # "Russia's response to NATO is not a failure (yet)", Nickeled & Dimed, about late 2020 to 2021
ARTICLE_2017 = "001"     # "CSTO: A Military Pact to Defend Russian Influence", an unsigned web commentary, early 2017

#: The two articles as a reader names them (the ``claims`` table's ``article`` column -> words).
ARTICLE_LABELS: dict[str, str] = {
    ARTICLE_2020_21: "2020–21 article",
    ARTICLE_2017: "2017 article",
}


#: Columns of the ``milex_suspicions`` table (suspected errors the release checks found in a SIPRI release).
SUSPICION_COLUMNS = ["release", "edition", "iso3", "country", "measure", "first_year", "last_year", "break_year",
                     "check", "factor", "finding", "source_id"]
