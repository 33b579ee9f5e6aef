"""A practice release: a small workbook in SIPRI's own layout, with a few changes planted in it.

The refresh command (``python -m utils.write.refresh milex FILE``) needs SIPRI's official workbook, which the
collection cannot ship (SIPRI's terms allow extracts only). To practise the whole workflow, dry run, report and a
real write on a copy of the data folder, :func:`write_practice_release` rebuilds a workbook from the collection's
own extract of the newest release (table ``milex``), in the layout the importer
(:mod:`utils.write.importers.sipri_milex`) reads: the five data sheets with their titles, header rows and label
columns, regional headings, ``...`` for no data, ``xxx`` before independence, estimates in a blue font and highly
uncertain figures in a red one, and the citation on the front page. Then it plants a few changes and keeps its
own record of them, so a student's reading of the change report can be checked against what was planted:

* **revised figures**: for a few country-years, spending is revised up or down by 4 to 12 %; as in a real
  revision of local-currency spending, every spending measure of that country-year moves by the same factor
  (constant and current US$, share of GDP, share of government spending, per person);
* **a changed flag**: one figure SIPRI marks as its own estimate (blue) is given as reported (black), value
  unchanged, as happens when a government publishes the number SIPRI had estimated.

The extract keeps no spending in local currency, so the workbook's ``Local currency calendar years`` sheet (which
the refresh's consistency checks read) says ``...`` (no data) throughout: the checks that need local currency find
nothing in the practice file, while those that compare releases or shares of GDP still run.

The file is generated at run time (nothing binary is committed), in well under a second, and the same
``variant`` always plants the same changes. The front page says plainly that it is a practice file.

**Where lesson 08 works.** The practice release and the copy of the data folder it is installed into live in one
stable place, :func:`workspace` (``build/lesson08/`` in the repository; ``build/`` is never committed), so that the
lesson's cells and the commands it shows for a terminal, typed in the repository's folder, name the same files::

    python -m utils.write.refresh milex build/lesson08/practice-milex-release.xlsx --dry-run
    python -m utils.write.refresh milex build/lesson08/practice-milex-release.xlsx --data-dir build/lesson08/data

Every step recreates what it needs when it is missing and nothing deletes the folder, so the steps can be run in
any order, again and again, in the notebook or a terminal. ``python -m utils.write.practice`` prepares the folder
from a terminal. Test runs that execute the lesson side by side give each run its own folder with
``$CSTO_PRACTICE_DIR``.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from utils import paths
from utils.read import countries
from utils.write import transaction
from utils.write.importers import sipri_milex

#: Environment variable naming another folder for lesson 08's practice files (tests running the lesson in parallel).
WORKSPACE_ENV = "CSTO_PRACTICE_DIR"

#: The name of the data copy inside the workspace.
DATA_COPY = "data"

#: File name of the practice workbook (SIPRI's own names look like ``SIPRI-Milex-data-1949-2025_v1.2.xlsx``).
FILE_NAME = "practice-milex-release.xlsx"

#: Spending measures: a revision of a country-year's spending moves all of them by the same factor.
SPENDING_STEMS = ("constant_usd", "current_usd", "share_gdp", "share_govt", "per_capita")

#: First year of each sheet, as in SIPRI's workbook (years before 1992 are "xxx" for the post-Soviet states).
FIRST_YEARS = {"constant_usd": 1949, "current_usd": 1949, "share_gdp": 1949, "share_govt": 1988, "per_capita": 1988}

#: SIPRI's local-currency sheet: its name, its labels before the years and its header row.
LOCAL_CURRENCY = ("Local currency calendar years", ("Country", "Currency", "Notes"), 7)

#: Regional headings and the treaty parties under each, in SIPRI's order.
BLOCKS = (
    ("Europe", None),
    ("Eastern Europe", ("ARM", "AZE", "BLR", "GEO", "RUS")),
    ("Asia & Oceania", None),
    ("Central Asia", ("KAZ", "KGZ", "TJK", "UZB")),
)

#: Font colours SIPRI uses for its flags (the importer reads blue as an estimate, red as highly uncertain).
FLAG_COLOURS = {"estimate": "FF0070C0", "uncertain": "FFFF0000"}

#: What the report calls each kind of planted change.
REVISED, FLAG_CHANGED = "revised", "flag changed"


@dataclass(frozen=True)
class PracticeRelease:
    """The practice workbook and the generator's record of what it planted (one row per changed value)."""

    path: Path
    planted: pd.DataFrame  # iso3, country, year, measure, change, old_value, new_value, old_status, new_status
    edition: str


def newest_release(milex: pd.DataFrame) -> pd.DataFrame:
    """The rows of the newest release in a ``milex`` table (every measure)."""
    newest = int(milex["release"].max())
    return milex[milex["release"] == newest]


def plant_changes(release: pd.DataFrame, variant: int = 1, revisions: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(changed release, record of the changes)``: ``revisions`` revised country-years and one changed flag.

    The choice depends only on ``variant`` (a fixed random generator), so the same variant plants the same changes.
    """
    rng = np.random.default_rng(variant)
    changed = release.copy()
    stem = changed["measure"].str.replace(r"_\d{4}$", "", regex=True)
    constant = changed[stem == "constant_usd"]
    last_year = int(constant["year"].max())
    # Revise recent, reported figures of the six members: what a new release most often corrects.
    candidates = constant[
        constant["iso3"].isin(countries.CSTO_MEMBERS) & (constant["status"] == "reported")
        & constant["year"].between(last_year - 9, last_year) & constant["value"].notna()
    ]
    chosen_countries = rng.choice(sorted(candidates["iso3"].unique()), size=revisions, replace=False)
    records = []
    for code in chosen_countries:
        years = sorted(candidates.loc[candidates["iso3"] == code, "year"])
        year = int(rng.choice(years))
        factor = 1 + rng.choice([-1, 1]) * rng.uniform(0.04, 0.12)
        where = (changed["iso3"] == code) & (changed["year"] == year) & changed["value"].notna()
        for index in changed.index[where]:
            old = float(changed.at[index, "value"])
            new = float(f"{old * factor:.6g}")  # a published figure has few digits
            changed.at[index, "value"] = new
            records.append((code, year, changed.at[index, "measure"], REVISED, old, new,
                            changed.at[index, "status"], changed.at[index, "status"]))
    # One SIPRI estimate given as reported: another country-year, same value, new flag in every sheet.
    estimates = constant[(constant["status"] == "estimate") & ~constant["iso3"].isin(chosen_countries)
                         & constant["iso3"].isin(countries.CSTO_MEMBERS)]
    pick = estimates.iloc[int(rng.integers(len(estimates)))]
    code, year = pick["iso3"], int(pick["year"])
    where = (changed["iso3"] == code) & (changed["year"] == year) & (changed["status"] == "estimate")
    for index in changed.index[where]:
        value = float(changed.at[index, "value"])
        changed.at[index, "status"] = "reported"
        records.append((code, year, changed.at[index, "measure"], FLAG_CHANGED, value, value, "estimate", "reported"))
    planted = pd.DataFrame(records, columns=["iso3", "year", "measure", "change", "old_value", "new_value",
                                             "old_status", "new_status"])
    planted.insert(1, "country", planted["iso3"].map(countries.name_of))
    return changed, planted.sort_values(["change", "iso3", "year", "measure"], ignore_index=True)


def write_workbook(release: pd.DataFrame, path: Path | str) -> Path:
    """Write one release of ``milex`` rows as a workbook in SIPRI's layout (the importer reads it back exactly)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    path = Path(path)
    release_year = int(release["release"].iloc[0])
    price_base = int(release["price_base"].dropna().iloc[0])
    last_year = int(release["year"].max())
    fonts = {status: Font(color=colour) for status, colour in FLAG_COLOURS.items()}
    stem = release["measure"].str.replace(r"_\d{4}$", "", regex=True)

    workbook = Workbook(write_only=True)
    front = workbook.create_sheet("Front page")
    front.append(["PRACTICE FILE: not published by SIPRI."])
    front.append(["Generated by csto-notebooks from its extract of the release below, with a few figures changed "
                  "on purpose, to practise the refresh command. Never cite it."])
    front.append([f"Layout and figures follow: {sipri_milex.DATABASE} {release_year}, {sipri_milex.URL}"])
    sheets = [(LOCAL_CURRENCY[0], "Military expenditure by country, in local currency (practice copy: no data)",
               LOCAL_CURRENCY[1], LOCAL_CURRENCY[2], 1949, None)]
    for spec in sipri_milex.SHEETS:
        name = f"Constant ({price_base}) US$" if spec.measure == "constant_usd" else spec.sheet
        title = f"{spec.unit.format(base=price_base)} (practice copy of SIPRI's sheet '{name}')"
        if spec.measure == "constant_usd":
            title = f"Military expenditure by country, in constant ({price_base}) US$ m. (practice copy)"
        rows = release.loc[stem == spec.measure, ["iso3", "year", "value", "status"]]
        values = {(code, int(year)): (value, status) for code, year, value, status in rows.itertuples(index=False)}
        sheets.append((name, title, spec.labels, spec.header_row, FIRST_YEARS[spec.measure], values))
    for name, title, labels, header_row, first_year, values in sheets:
        sheet = workbook.create_sheet(name)
        years = list(range(first_year, last_year + 1))
        sheet.append([title])
        for _ in range(header_row - 2):
            sheet.append([])
        sheet.append(list(labels) + years)
        padding = [None] * (len(labels) - 1)
        for block, codes in BLOCKS:
            sheet.append([block])
            for code in codes or ():
                row = [sipri_milex.SIPRI_NAMES[code][0], *padding]
                for year in years:
                    if year < sipri_milex.FIRST_YEAR:
                        row.append("xxx")
                        continue
                    if values is None:
                        row.append("...")
                        continue
                    value, status = values[(code, year)]
                    if status == "not_a_state":
                        row.append("xxx")
                    elif pd.isna(value):
                        row.append("...")
                    else:
                        cell = WriteOnlyCell(sheet, value=float(value))
                        if status in fonts:
                            cell.font = fonts[status]
                        row.append(cell)
                sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Saved beside the file and then renamed: a terminal reading the workbook meanwhile sees the old file or the new
    # one, never half of one.
    partial = path.with_name(f".{path.name}.partial")
    workbook.save(partial)
    os.replace(partial, path)
    return path


def write_practice_release(folder: Path | str, variant: int = 1, milex: pd.DataFrame | None = None) -> PracticeRelease:
    """Write the practice workbook into ``folder`` and return it with the record of the planted changes.

    ``milex`` defaults to the table in use (``utils.read.data.load("milex")``); only its newest release is used.
    """
    if milex is None:
        from utils.read import data

        milex = data.load("milex")
    release = newest_release(milex)
    changed, planted = plant_changes(release, variant)
    path = write_workbook(changed, Path(folder) / FILE_NAME)
    return PracticeRelease(path=path, planted=planted, edition=str(release["edition"].iloc[0]))


def workspace() -> Path:
    """The folder where lesson 08 keeps its practice release and data copy: ``build/lesson08/`` in the repository,
    or ``$CSTO_PRACTICE_DIR``; created when missing."""
    override = os.environ.get(WORKSPACE_ENV)
    folder = Path(override).expanduser().resolve() if override else paths.REPO_ROOT / "build" / "lesson08"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def data_copy(folder: Path | str | None = None, *, fresh: bool = False) -> Path:
    """The copy of the data folder inside the workspace (``build/lesson08/data``), made from ``data/`` when missing.

    ``fresh=True`` makes it again from ``data/`` even if it exists (what was installed or edited in it before is
    replaced), under the copy's own lock, so a refresh running in a terminal at the same moment waits for it.
    """
    copy = Path(folder or workspace()) / DATA_COPY
    if (copy / "milex.resource.json").is_file() and not fresh:
        return copy
    copy.mkdir(parents=True, exist_ok=True)
    with transaction.writing(copy):
        for old in copy.iterdir():
            shutil.rmtree(old) if old.is_dir() else old.unlink()
        for table in paths.DEFAULT_DATA_DIR.iterdir():
            if table.is_file():
                shutil.copy2(table, copy / table.name)
    return copy


def run_refresh(*arguments: str | Path, data_dir: Path | str | None = None) -> tuple[int, str]:
    """Run ``python -m utils.write.refresh ARGUMENTS`` in this process; return its exit status and everything it printed.

    ``data_dir`` refreshes another data folder (the command's ``--data-dir``), so a notebook can install a release
    into a throw-away copy without changing the folder its own tables come from.
    """
    import contextlib
    import io

    from utils.write import refresh

    command = [str(argument) for argument in arguments]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        status = refresh.main(command)
    return status, printed.getvalue()


def main(argv: list[str] | None = None) -> int:
    """``python -m utils.write.practice [FOLDER]``: write the practice release and a copy of the data into FOLDER
    (default ``build/lesson08``), as lesson 08's section 2 does, and print the commands that use them."""
    arguments = sys.argv[1:] if argv is None else argv
    folder = Path(arguments[0]) if arguments else workspace()
    release = write_practice_release(folder)
    copy = data_copy(folder)
    print(f"practice release: {paths.display(release.path)}\ndata copy: {paths.display(copy)}\n")
    print(f"python -m utils.write.refresh milex {paths.display(release.path)} --dry-run")
    print(f"python -m utils.write.refresh milex {paths.display(release.path)} --data-dir {paths.display(copy)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
