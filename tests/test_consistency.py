"""Consistency checks of SIPRI releases (utils.write.importers.consistency): real breaks fire, consistent series never."""

import math
import subprocess
import sys

import pandas as pd
import pytest

from utils.read import data
from utils import paths
from utils.write.importers import consistency, sipri_milex

EDITION = "SIPRI Military Expenditure Database 2026"
YEARS = range(1992, 2026)


# --------------------------------------------------------------------------------------------- synthetic releases


def release(series: dict[str, dict[str, dict[int, float]]], release_year: int = 2026, base: int = 2024):
    """``milex`` rows of one release from {iso3: {measure: {year: value}}}; constant_usd gets the base."""
    rows = []
    for code, measures in series.items():
        for measure, values in measures.items():
            name = f"constant_usd_{base}" if measure == "constant_usd" else measure
            for year, value in values.items():
                rows.append({"iso3": code, "year": year, "measure": name, "value": value, "release": release_year,
                             "edition": f"SIPRI Military Expenditure Database {release_year}"})
    return pd.DataFrame(rows)


def country(inflation: dict[int, float] | None = None, devaluation: dict[int, float] | None = None,
            base: int = 2024, spending: float = 1000.0):
    """A self-consistent country: local currency, price index, exchange rate, constant and current US$.

    Spending grows 3 % a year in real terms; prices rise 7 % a year unless ``inflation`` says otherwise; the
    currency loses what inflation takes plus any ``devaluation`` factor of a year.
    """
    inflation, devaluation = inflation or {}, devaluation or {}
    price, rate, local, current, constant = {}, {}, {}, {}, {}
    p, e = 1.0, 10.0
    for year in YEARS:
        if year > YEARS[0]:
            p *= inflation.get(year, 1.07)
            e *= inflation.get(year, 1.07) / 1.02 * devaluation.get(year, 1.0)
        price[year], rate[year] = p, e
        local[year] = spending * 1.03 ** (year - YEARS[0]) * p
    for year in YEARS:
        current[year] = local[year] / rate[year]
        constant[year] = local[year] / price[year] * price[base] / rate[base]
    return {"local": local, "constant_usd": constant, "current_usd": current}


def split(parts: dict):
    """(milex rows, local-currency rows) from {iso3: country(...)}."""
    milex = release({code: {m: v for m, v in c.items() if m != "local"} for code, c in parts.items()})
    local = pd.DataFrame([(code, year, value) for code, c in parts.items() for year, value in c["local"].items()],
                         columns=["iso3", "year", "value"])
    return milex, local


def test_a_consistent_series_is_never_flagged():
    milex, local = split({"KAZ": country(), "RUS": country(spending=60000.0)})
    assert consistency.check_release(milex, local).empty


def test_a_planted_deflator_break_is_flagged_with_its_years_and_size():
    kaz = country()
    # A broken link: constant dollars for 1993-2019 come out 1.9 times too high, local and current untouched.
    kaz["constant_usd"] = {y: v * (1.9 if y <= 2019 else 1.0) for y, v in kaz["constant_usd"].items()}
    milex, local = split({"KAZ": kaz, "RUS": country(spending=60000.0)})
    found = consistency.check_release(milex, local)
    assert found["iso3"].tolist() == ["KAZ"]
    row = found.iloc[0]
    assert (row["check"], row["first_year"], row["last_year"], row["break_year"]) == ("price_chain", 1992, 2019, 2020)
    assert row["factor"] == pytest.approx(1.9, rel=0.01)
    line = consistency.report_lines(found)[0]
    assert "suspected error" in line and "Kazakhstan" in line and "constant_usd_2024" in line and "2019/2020" in line


def test_a_block_of_years_with_a_broken_link_is_flagged_but_not_the_years_around_it():
    aze = country()
    aze["constant_usd"] = {y: v * (1.45 if 2007 <= y <= 2009 else 1.0) for y, v in aze["constant_usd"].items()}
    found = consistency.check_release(*split({"AZE": aze}))
    assert found[["first_year", "last_year"]].values.tolist() == [[2007, 2009]]
    assert found["factor"].iloc[0] == pytest.approx(1.45, rel=0.01)


def test_a_devaluation_is_not_a_suspected_error():
    # The rouble in 2014-15 and the tenge in 2015: the currency loses a third or more in a year, prices do not.
    milex, local = split({"RUS": country(devaluation={2014: 1.3, 2015: 1.6}, inflation={2015: 1.16}),
                          "KAZ": country(devaluation={2015: 1.5, 2016: 1.3}, inflation={2016: 1.15},
                                          spending=2000.0)})
    assert consistency.check_release(milex, local).empty


def test_hyperinflation_is_not_a_suspected_error():
    # Belarus in the 1990s (and 1999), and again in 2011-12: prices and the currency fall together.
    milex, local = split({"BLR": country(inflation={1993: 12.9, 1994: 23.3, 1995: 8.1, 1996: 1.5, 1997: 1.6,
                                                    1998: 1.7, 1999: 3.9, 2000: 2.7, 2011: 1.53, 2012: 1.59})})
    assert consistency.check_release(milex, local).empty


def test_share_of_gdp_far_from_current_dollars_over_gdp_is_flagged():
    blr = country()
    gdp = pd.DataFrame([("BLR", y, v * 1e6 / 0.013) for y, v in blr["current_usd"].items()],
                       columns=["country", "year", "value"])
    blr["share_gdp"] = {y: 0.013 * (7.0 if y == 2003 else 1.0) for y in YEARS}
    milex, local = split({"BLR": blr})
    found = consistency.check_release(milex, local, gdp)
    assert found[["check", "first_year", "last_year"]].values.tolist() == [["share_of_gdp", 2003, 2003]]
    assert found["factor"].iloc[0] == pytest.approx(7.0)
    # The same shares with GDP that agrees are not flagged.
    blr["share_gdp"][2003] = 0.013
    assert consistency.check_release(*split({"BLR": blr}), gdp).empty


def test_a_row_holding_another_states_figures_is_flagged():
    geo, blr = country(), country()
    geo["share_gdp"] = {y: 0.01 + 0.001 * (y % 7) + 0.0001 * (y % 3) for y in YEARS}
    blr["share_gdp"] = {y: geo["share_gdp"][y + 4] if y + 4 in geo["share_gdp"] else 0.015 for y in YEARS}
    found = consistency.check_copied_rows(release({"GEO": {"share_gdp": geo["share_gdp"]},
                                                   "BLR": {"share_gdp": blr["share_gdp"]}}))
    # Without GDP the check cannot tell which row is the copy, so it names both.
    assert {(f["iso3"], f["first_year"], f["last_year"]) for f in found} == {("BLR", 1992, 2021), ("GEO", 1996, 2025)}


def test_two_releases_differing_by_one_flat_factor_agree_and_a_block_does_not():
    old = country(base=2023)
    new = country(base=2024)
    older = release({"KAZ": {m: v for m, v in old.items() if m != "local"}}, release_year=2025, base=2023)
    newer = release({"KAZ": {m: v for m, v in new.items() if m != "local"}}, release_year=2026, base=2024)
    assert consistency.compare_releases(older, newer) == []
    broken = dict(new, constant_usd={y: v * (2.0 if y <= 2019 else 1.0) for y, v in new["constant_usd"].items()})
    newer = release({"KAZ": {m: v for m, v in broken.items() if m != "local"}}, release_year=2026, base=2024)
    found = consistency.compare_releases(older, newer)
    assert [(f["release"], f["first_year"], f["last_year"], f["break_year"]) for f in found] == [(2026, 1992, 2019, 2020)]


# --------------------------------------------------------------------------------------------- the real releases


@pytest.fixture(scope="module")
def releases(shared_sources):
    folder = shared_sources / "sipri_milex"
    out = {}
    for name in ("SIPRI-Milex-data-1948-2023.xlsx", "SIPRI-Milex-data-1949-2023.xlsx",
                 "SIPRI-Milex-data-1949-2024_2.xlsx", "SIPRI-Milex-data-1949-2025_v1.2.xlsx"):
        path = folder / name
        out[name] = (sipri_milex.read(path, progress=False).tables["milex"], consistency.read_local_currency(path))
    return out


def _found(frame):
    return sorted((r.iso3, r.measure, int(r.first_year), int(r.last_year), r.check) for r in frame.itertuples())


@pytest.mark.shared
def test_what_fires_in_each_real_release(releases):
    gdp = data.load("gdp")
    fired = {name: _found(consistency.check_release(milex, local, gdp)) for name, (milex, local) in releases.items()}
    azerbaijan_2024 = [("AZE", "constant_usd_2022", 2007, 2009, "price_chain")]
    assert fired["SIPRI-Milex-data-1948-2023.xlsx"] == azerbaijan_2024
    assert fired["SIPRI-Milex-data-1949-2023.xlsx"] == azerbaijan_2024
    assert fired["SIPRI-Milex-data-1949-2024_2.xlsx"] == []
    assert fired["SIPRI-Milex-data-1949-2025_v1.2.xlsx"] == [
        ("BLR", "share_gdp", 1992, 2021, "copied_row"),
        ("BLR", "share_gdp", 2002, 2005, "share_of_gdp"),
        ("KAZ", "constant_usd_2024", 1993, 2019, "price_chain"),
    ]


@pytest.mark.shared
def test_kazakhstans_2026_break_matches_the_2025_release(releases):
    milex_2025, local_2025 = releases["SIPRI-Milex-data-1949-2024_2.xlsx"]
    milex_2026, local_2026 = releases["SIPRI-Milex-data-1949-2025_v1.2.xlsx"]
    found = consistency.compare_releases(milex_2025, milex_2026, local_2025, local_2026)
    assert [(f["iso3"], f["release"], f["first_year"], f["last_year"], f["break_year"]) for f in found] == [
        ("KAZ", 2026, 1993, 2019, 2020)]
    assert found[0]["factor"] == pytest.approx(2.06 / 1.06, rel=0.01)
    # The 2024 release's Azerbaijan block is the one the 2025 release corrected.
    milex_2024, local_2024 = releases["SIPRI-Milex-data-1949-2023.xlsx"]
    found = consistency.compare_releases(milex_2024, milex_2025, local_2024, local_2025)
    assert [(f["iso3"], f["release"], f["first_year"], f["last_year"]) for f in found] == [("AZE", 2024, 2007, 2009)]


@pytest.mark.shared
def test_refresh_dry_run_reports_kazakhstan_and_names_no_consistent_state(shared_sources):
    workbook = shared_sources / "sipri_milex" / "SIPRI-Milex-data-1949-2025_v1.2.xlsx"
    result = subprocess.run([sys.executable, "-m", "utils.write.refresh", "milex", str(workbook), "--dry-run"],
                            capture_output=True, text=True, cwd=paths.REPO_ROOT, check=False)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "suspected error" in line and "(2026 release)" in line]
    assert any("Kazakhstan" in line and "spending in constant 2024 US dollars" in line and "2019/2020" in line
               for line in lines)
    named = {line.split("suspected error: ")[1].split(",")[0] for line in lines}
    assert named == {"Kazakhstan", "Belarus"}


def test_the_recorded_suspicions_cover_the_releases_in_milex():
    table = data.load("milex_suspicions")
    milex = data.load("milex")
    assert set(table["edition"]) <= set(milex["edition"])
    kazakhstan = table[(table["iso3"] == "KAZ") & (table["check"] == "price_chain")]
    assert kazakhstan[["edition", "first_year", "last_year", "break_year"]].values.tolist() == [
        [EDITION, 1993, 2019, 2020]]
    assert math.isclose(kazakhstan["factor"].iloc[0], 1.92, rel_tol=0.01)


@pytest.mark.shared
def test_installing_the_2026_release_over_the_2025_one_records_the_suspicions(shared_sources, tmp_path, monkeypatch,
                                                                             capsys):
    import shutil

    from utils.write import refresh

    folder = tmp_path / "data"
    shutil.copytree(paths.DEFAULT_DATA_DIR, folder)
    for name in ("milex", "milex_suspicions"):
        paths.table_csv(name, folder).unlink()
        paths.table_descriptor(name, folder).unlink()
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(folder))
    sources = shared_sources / "sipri_milex"
    assert refresh.main(["milex", str(sources / "SIPRI-Milex-data-1949-2024_2.xlsx")]) == 0
    assert data.load("milex_suspicions").empty  # the 2025 release is consistent
    capsys.readouterr()
    assert refresh.main(["milex", str(sources / "SIPRI-Milex-data-1949-2025_v1.2.xlsx")]) == 0
    out = capsys.readouterr().out
    recorded = data.load("milex_suspicions")
    kazakhstan = recorded[recorded["iso3"] == "KAZ"].set_index("check")
    # Found inside the 2026 workbook and, against the 2025 release it replaces, between the two.
    assert set(kazakhstan.index) == {"price_chain", "between_releases"}
    assert (kazakhstan["break_year"] == 2020).all()
    assert "suspected error: Kazakhstan, spending in constant 2024 US dollars, 2019/2020 (2026 release)" in out
