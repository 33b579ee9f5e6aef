"""What a refresh would write, and why: import, plan, stage, validate and commit (``python -m utils.write.refresh``).

The command line (:mod:`utils.write.refresh`) parses the arguments and prints; everything it runs is here and takes
plain values: the source's name, the official file, the data folder, and an :class:`Options` for the rest. The
report's wording lives in :mod:`utils.write.refresh_report`.

A refresh runs in these steps, each one a function:

1. :func:`check_inputs`: the data folder and the files exist (and the folder can be written, unless a dry run);
2. :func:`read_files`: read the official file(s) where the reading depends on the file alone (a SIPRI workbook:
   the slow part, 129 s for a sheet of 95 MB), before anything in the data folder is looked at;
3. :func:`prepare`: note the state of the data folder (:func:`snapshot`), then :func:`plan_refresh` (build every
   new table and its descriptor, and the report lines comparing them with the tables in the data folder) and
   :func:`stage_and_validate` (validate the new tables against their descriptors and grade the claims on a copy of
   the data folder holding them);
4. :func:`commit`: write every table and descriptor, all or none (:mod:`utils.write.transaction`).

Steps 1 to 3 run without the data folder's lock, so that a refresh reading a large file never keeps another
writer waiting; the command takes the lock for step 4 only, after checking that the folder is still in the state
the plan was made against (:mod:`utils.write.refresh` says what it does when it is not).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from utils import paths
from utils.read import data, metrics
from utils.write import refresh_report as report
from utils.write import tables, transaction, validation
from utils.write.importers import (ImportResult, SourceFormatError, alliances, bounds, consistency, cow, plausibility,
                                   sipri_arms, sipri_milex, ucdp, worldbank)
from utils.write.importers import changes as table_changes

#: Source name on the command line -> importer module.
IMPORTERS = {"milex": sipri_milex, "arms": sipri_arms, "worldbank": worldbank, "cow": cow, "ucdp": ucdp}

#: Revisions listed in the report unless every one is asked for (the command's --all).
DEFAULT_LIMIT = 25


class RefreshError(Exception):
    """A refresh that cannot go ahead; the message is shown to the user as is (exit status 1)."""


@dataclass(frozen=True)
class Options:
    """What to refresh from: the source's name, its official file, and how."""

    source: str  # a key of IMPORTERS
    file: Path  # the official file, exactly as downloaded
    comparison: Path | None = None  # milex only: an older release whose constant-US$ series is kept for comparison
    retrieved: str | None = None  # YYYY-MM-DD; None keeps the recorded date for an unchanged file, else today
    limit: int | None = DEFAULT_LIMIT  # revisions listed in the report; None lists every one
    accept_upheaval: bool = False  # install a release that would replace most rows or flip most claim verdicts


@dataclass
class Plan:
    """What a refresh would write, and the report explaining it."""

    tables: dict[str, tuple[Any, dict[str, Any]]] = field(default_factory=dict)  # name -> (frame, descriptor)
    summary: list[str] = field(default_factory=list)  # the report's opening sentences
    report: list[str] = field(default_factory=list)  # its details
    refusal: str | None = None  # set when the input is valid but must not be installed (a dry run still reports)
    implausible: list[str] = field(default_factory=list)  # values implausible for their country (plausibility)
    replaced: list[tuple[str, int, int]] = field(default_factory=list)  # (table, rows removed, rows installed)
    # Filled by prepare():
    contents: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)  # name -> (CSV, descriptor) to write
    claims: list[str] = field(default_factory=list)  # the report's claims lines
    based_on: dict[str, str] = field(default_factory=dict)  # snapshot() of the data folder the plan was made against


@dataclass
class Reading:
    """What a refresh read from the official file(s) alone, before looking at the data folder (:func:`read_files`).

    Empty for an importer that merges its rows with the tables in the data folder as it reads: that one is read by
    :func:`plan_refresh`, after the folder's :func:`snapshot`, so that what it read is checked like the rest.
    """

    result: ImportResult | None = None  # the file, as its importer read it
    comparison: ImportResult | None = None  # milex: the --comparison file
    local_currency: dict[Path, Any] = field(default_factory=dict)  # milex: file -> local-currency frame or its error

    def importer_result(self) -> ImportResult | None:
        """A copy of the file's reading that planning may change (a second plan starts from the file as read)."""
        return _copied(self.result)

    def comparison_result(self) -> ImportResult | None:
        return _copied(self.comparison)

    def local_currency_of(self, path: Path):
        """The local-currency sheet of ``path`` as read (consistency.read_local_currency), or its error again."""
        found = self.local_currency.get(Path(path))
        if found is None:
            found = self.local_currency[Path(path)] = _local_currency(path)
        if isinstance(found, SourceFormatError):
            raise found
        return found.copy()


def _copied(result: ImportResult | None) -> ImportResult | None:
    if result is None:
        return None
    return ImportResult(tables={name: frame.copy() for name, frame in result.tables.items()},
                        provenance=copy.deepcopy(result.provenance), latest_year=dict(result.latest_year),
                        inputs={name: frame.copy() for name, frame in result.inputs.items()})


def _local_currency(path: Path):
    try:
        return consistency.read_local_currency(path)
    except SourceFormatError as error:  # reported by the consistency checks as a check that could not run
        return error


# --------------------------------------------------------------------------------------------- inputs


def check_inputs(folder: Path, options: Options, writing: bool = False) -> None:
    """Refuse a missing data folder or file, and (``writing``) a folder this user cannot write, before anything is
    read; clear the scratch folders of refreshes that were killed."""
    if not folder.is_dir():
        raise RefreshError(f"{folder}: no such data folder")
    remove_stale_stages(folder)
    for path in [options.file] + ([options.comparison] if options.comparison else []):
        if not path.exists():
            raise RefreshError(f"{path}: no such file")
        if path.is_dir():
            raise RefreshError(f"{path}: is a folder; expected the official file itself")
    if writing:
        transaction.check_writable(folder)


def read_files(options: Options) -> Reading:
    """Read the official file(s) when the reading depends on them alone (the importer's ``READS_ONLY_ITS_FILE``).

    The milex importer's does: its workbook, the ``--comparison`` workbook and their local-currency sheets are read
    here, once, even if the refresh has to plan again. The other importers merge with the tables in the data
    folder as they read (the other source's rows of ``personnel``, the recorded retrieval dates): their files are
    read with the plan, and again if it is made again. They are CSV files read in seconds.
    """
    module = IMPORTERS[options.source]
    if not getattr(module, "READS_ONLY_ITS_FILE", False):
        return Reading()
    reading = Reading(result=module.read(options.file, progress=None))
    if options.source == "milex":
        if options.comparison is not None:
            reading.comparison = module.read(options.comparison, progress=None)
        for path in [options.file] + ([options.comparison] if options.comparison is not None else []):
            reading.local_currency[Path(path)] = _local_currency(path)
    return reading


def snapshot(folder: Path) -> dict[str, str]:
    """The state of the data folder a plan is made against: the sha256 of every file in it.

    Every file, not only the tables the refresh replaces: the plan also reads others (gdp for the consistency
    checks, the membership tables, sources for validation, every table for the claims). The folder holds a few MB,
    hashed in milliseconds. A folder in the middle of a change never equals a settled one.
    """
    if transaction.interrupted(folder):
        return {"": "a change was under way"}
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(Path(folder).iterdir()) if path.is_file() and not path.name.startswith(".")}


def prepare(options: Options, folder: Path, reading: Reading | None = None) -> Plan:
    """Plan the refresh against ``folder`` as it is now, validate the new tables and grade the claims.

    Returns the plan with the files to write (``contents``), the claims lines, any refusal, and the folder's
    :func:`snapshot` taken before anything in it was read (``based_on``).
    """
    based_on = snapshot(folder)
    plan = plan_refresh(options, folder, reading)
    plan.based_on = based_on
    if plan.tables:
        plan.contents, plan.claims = stage_and_validate(plan, folder, options.file.name)
        plan.refusal = plan.refusal or upheaval(plan, plan.claims, options)
    if plan.implausible:  # reported after the claims, refused before any upheaval: the first line says what to fix
        plan.report += ["Values implausible for their country:"] + [f"  {line}" for line in plan.implausible]
        plan.refusal = plausibility.refusal(plan.implausible, options.file.name) or plan.refusal
    return plan


def plan_refresh(options: Options, folder: Path, reading: Reading | None = None) -> Plan:
    """Plan the new tables against those in ``folder``, from ``reading`` (:func:`read_files`; read here if None)."""
    module = IMPORTERS[options.source]
    reading = reading if reading is not None else read_files(options)
    result = reading.importer_result()
    if result is None:  # an importer that merges with the tables in ``folder`` as it reads
        result = module.read(options.file, progress=None, folder=folder)
    if options.source == "milex":
        return _plan_milex(module, result, options, folder, reading)
    return _plan_generic(module, result, options, folder)


def _retrieved(given: str | None, sha256: str | None, previous: dict[str, Any] | None) -> str:
    """The retrieval date to record: as given, or kept when the same file is imported again, else today."""
    if given:
        return given
    if previous and sha256 and previous.get("source_sha256") == sha256 and previous.get("retrieved"):
        return previous["retrieved"]
    return dt.date.today().isoformat()


# --------------------------------------------------------------------------------------------- current data


def _current(name: str, folder: Path):
    """The table as it is in the data folder (typed via its descriptor) and its descriptor; Nones if absent."""

    descriptor_path = paths.table_descriptor(name, folder)
    csv_path = paths.table_csv(name, folder)
    if not descriptor_path.exists() or not csv_path.exists():
        return None, None
    descriptor = data.read_descriptor(name, folder)
    return data.read_typed(csv_path.read_bytes(), descriptor), descriptor


def _as_stored(frame, descriptor):
    """A frame as it will read back from its CSV (so old and new compare with the same dtypes)."""

    return data.read_typed(tables.to_csv_bytes(frame), descriptor)


# --------------------------------------------------------------------------------------------- milex


def _plan_milex(module, result, options: Options, folder: Path, reading: Reading) -> Plan:
    new = result.tables[module.TABLE]
    info = result.provenance[module.TABLE]
    current, current_descriptor = _current(module.TABLE, folder)
    current_info = (current_descriptor or {}).get("provenance", {})
    current_release = current_info.get("release")
    if current is not None and current_release is None:
        current_release = int(current["release"].max())

    plan = Plan()
    shown_folder = paths.display(folder) if current is not None else None
    plan.report += report.milex_heading(options.file.name, info, shown_folder, current_info)

    if current is not None and info["release"] < current_release:
        if options.comparison is not None:
            raise RefreshError(
                f"{options.file.name} is the {info['release']} release, older than the {current_release} release in "
                f"the data; give the newest release as FILE and the older one with --comparison"
            )
        plan.report.append(report.older_release_note(current_release))
        newest = current[current["release"] == current_release]
        lines, changes = report.release_report(module, _as_stored(new, current_descriptor), newest, options.limit)
        suspicion_lines = _milex_suspicions(reading, options.file, folder, new, newer=newest)[1]
        plan.report += lines + report.suspicion_report(suspicion_lines)
        plan.summary = report.milex_summary(options.file.name, info["release"], current_release, changes,
                                            suspicion_lines)
        plan.refusal = (
            f"{options.file.name} is the {info['release']} release, older than the {current_release} release in "
            f"milex.csv: not installed. To keep its constant-US$ series for comparison run: "
            f"python -m utils.write.refresh milex <the {current_release} workbook> --comparison {options.file}"
        )
        return plan

    # The comparison release: from --comparison, else the one already in the data.
    comparison_info = None
    comparison = None
    comparison_full = None
    if options.comparison is not None:
        older = reading.comparison_result() or module.read(options.comparison, progress=None)
        comparison_info = dict(older.provenance[module.TABLE])
        comparison_full = older.tables[module.TABLE]
        comparison = module.comparison_rows(comparison_full)
        comparison_info["retrieved"] = _retrieved(
            options.retrieved, comparison_info["source_sha256"], current_info.get("comparison")
        )
    elif current is not None and current_info.get("comparison"):
        comparison_info = dict(current_info["comparison"])
        comparison = current[current["release"] == comparison_info["release"]]
    if comparison_info is not None and comparison_info["release"] >= info["release"]:
        raise RefreshError(
            f"the comparison release ({comparison_info['release']}) must be older than the release installed "
            f"({info['release']}); give the newest release as FILE and the older one with --comparison"
        )

    info = dict(info)
    info["retrieved"] = _retrieved(options.retrieved, info["source_sha256"], current_info)

    frame = module.tidy(pd.concat([new] + ([comparison] if comparison is not None else []), ignore_index=True))
    descriptor = plausibility.apply(module.build_descriptor(_milex_provenance(module, info, comparison_info)), "milex")
    plan.tables[module.TABLE] = (frame, descriptor)

    stored = _as_stored(frame, descriptor)
    old_newest = current[current["release"] == current_release] if current is not None else None
    suspicions, suspicion_lines = _milex_suspicions(
        reading, options.file, folder, new,
        comparison=(comparison_full, options.comparison) if comparison_full is not None else None,
        kept_release=comparison_info["release"] if comparison_info is not None and comparison_full is None else None,
        previous_newest=old_newest if current is not None and current_release != info["release"] else None,
    )

    plan.tables[consistency.TABLE] = (suspicions, consistency.build_descriptor(
        consistency.provenance_for(descriptor["provenance"])))
    alliance_lines = _plan_alliances(plan, result, descriptor["provenance"], new, suspicions, folder)
    if current is None:
        plan.implausible += plausibility.findings("milex", None, stored[stored["release"] == info["release"]])
        plan.report.append(report.new_table_note(len(frame)))
        plan.report += report.suspicion_report(suspicion_lines) + alliance_lines
        plan.summary = report.milex_summary(options.file.name, info["release"], None, None, suspicion_lines)
        return plan
    new_newest = stored[stored["release"] == info["release"]]
    plan.implausible += plausibility.findings("milex", old_newest, new_newest, notes=plan.report)
    plan.report.append(report.release_note(info["release"], current_release))
    lines, changes = report.release_report(module, old_newest, new_newest, options.limit)
    plan.report += lines
    plan.report += report.comparison_report(current, current_info, stored, comparison_info)
    plan.report += report.suspicion_report(suspicion_lines) + alliance_lines
    plan.summary = report.milex_summary(options.file.name, info["release"], current_release, changes, suspicion_lines)
    return plan


def _plan_alliances(plan: Plan, result, milex_provenance: dict[str, Any], release, suspicions, folder: Path) -> list[str]:
    """Add the burden-sharing tables computed from the release to the plan; return their report lines.

    They need every NATO member's rows in the workbook and the membership tables of the data folder; without
    either, the tables in the folder are kept as they are and the report says why.
    """
    states = result.inputs.get("alliance_states")
    nato_members, _ = _current("nato_members", folder)
    memberships, _ = _current("memberships", folder)
    if nato_members is None or memberships is None:
        return [f"{alliances.TABLE}: not rebuilt: the data folder has no nato_members or memberships table."]
    missing = alliances.missing_members(states)
    if missing:
        names = ", ".join(alliances.NATO_SIPRI_NAMES[code][0] for code in missing[:3])
        return [f"{alliances.TABLE}: not rebuilt: {milex_provenance['source_file']} has no row for {len(missing)} of "
                f"the {len(alliances.NATO_SIPRI_NAMES)} NATO members ({names}{', ...' if len(missing) > 3 else ''}); "
                f"the burden-sharing tables in the data folder are kept as they are."]
    doubted = metrics.flag_suspect(release, suspicions)
    doubted = doubted[doubted["suspect"] & doubted["measure"].isin(["current_usd", "share_gdp"])]
    table, members = alliances.build(states, nato_members, memberships, milex_provenance["source_id"][0],
                                     suspect=set(zip(doubted["iso3"], doubted["year"], doubted["measure"])))
    descriptor = alliances.build_descriptor(milex_provenance)
    plan.tables[alliances.TABLE] = (table, descriptor)
    plan.tables[alliances.MEMBERS_TABLE] = (members, alliances.build_members_descriptor(milex_provenance))
    old, _ = _current(alliances.TABLE, folder)
    return alliances.change_report(old, _as_stored(table, descriptor))


def _milex_suspicions(reading: Reading, file: Path, folder: Path, new, comparison=None, kept_release=None,
                      previous_newest=None, newer=None):
    """Suspected errors in the release(s) being installed (utils.write.importers.consistency): (table, report lines).

    A comparison release kept from the data keeps the suspicions recorded for it (its workbook is not read).
    """
    gdp, _ = _current("gdp", folder)
    kept = None
    if kept_release is not None:
        recorded, _ = _current(consistency.TABLE, folder)
        if recorded is not None:
            # The comparison release's own suspicions, and what comparing the new release with it found.
            same = recorded["release"] == int(new["release"].iloc[0])
            kept = recorded[(recorded["release"] == kept_release)
                            | (same & (recorded["check"] == "between_releases"))]
    return consistency.refresh_findings(new, file, gdp, comparison=comparison, kept=kept,
                                        previous_newest=previous_newest, newer=newer,
                                        local_currency=reading.local_currency_of)


def _milex_provenance(module, info: dict[str, Any], comparison: dict[str, Any] | None) -> dict[str, Any]:
    """The provenance block of the milex descriptor, in a fixed key order (the file must be reproducible)."""
    base = module.base_provenance()
    source_ids = [info["source_id"]] + ([comparison["source_id"]] if comparison else [])
    # Files are named by their names only: a reader has the publisher's file wherever it was downloaded to.
    builder = f"python -m utils.write.refresh milex {info['source_file']}"
    if comparison:
        builder += f" --comparison {comparison['source_file']}"
    keys = ("edition", "release", "price_base", "years", "citation", "retrieved", "source_file",
            "source_sha256", "source_bytes", "edition_from")
    provenance: dict[str, Any] = {"source": base["source"], "source_id": list(dict.fromkeys(source_ids))}
    provenance.update({key: info[key] for key in keys})
    if comparison:
        provenance["comparison"] = {
            "measures": [f"constant_usd_{comparison['price_base']}"],
            "source_id": comparison["source_id"],
            **{key: comparison[key] for key in keys},
        }
    for key in ("licence_terms", "fair_use_database", "fair_use_unit_columns"):
        provenance[key] = base[key]
    provenance["builder"] = builder
    provenance["notebooks"] = base["notebooks"]
    return provenance


# --------------------------------------------------------------------------------------------- other sources


def _plan_generic(module, result, options: Options, folder: Path) -> Plan:
    """Replace each table the importer produced; its descriptor must exist (or the importer provides one)."""
    plan = Plan()
    for name, frame in result.tables.items():
        current, descriptor = _current(name, folder)
        if descriptor is None:
            make = getattr(module, "descriptor", None)
            if make is None:
                raise RefreshError(
                    f"{paths.display(paths.table_descriptor(name, folder))} does not exist: write the table's descriptor "
                    f"(schema and provenance) first, then run the refresh again"
                )
            descriptor = make(name)
        fields = [f["name"] for f in descriptor["schema"]["fields"]]
        if set(frame.columns) != set(fields):
            raise RefreshError(
                f"the {options.source} importer produced columns {sorted(frame.columns)} for {name}, but "
                f"{name}.resource.json lists {sorted(fields)}"
            )
        frame = frame[fields]
        previous = dict(descriptor.get("provenance", {}))
        update = dict(result.provenance.get(name, {}))
        provenance = {**previous, **update}
        provenance["retrieved"] = _retrieved(options.retrieved, update.get("source_sha256"), previous)
        if "builder" not in update:
            provenance["builder"] = f"python -m utils.write.refresh {options.source} {options.file.name}"
        descriptor = {k: v for k, v in descriptor.items() if k not in ("hash", "bytes")}
        # The bounds of plausible values, years up to the source's release (utils.write.importers.bounds).
        descriptor = plausibility.apply(bounds.apply(descriptor, name, result.latest_year.get(name)), name)
        descriptor["provenance"] = provenance
        plan.tables[name] = (frame, descriptor)

        plan.report += report.table_heading(name, len(frame), options.file.name, exists=current is not None)
        if current is None:
            plan.implausible += plausibility.findings(name, None, _as_stored(frame, descriptor))
            plan.summary.append(report.table_summary(name, None))
            continue
        stored = _as_stored(frame, descriptor)
        plan.implausible += plausibility.findings(name, current, stored, notes=plan.report)
        keys = descriptor["schema"].get("primaryKey") or []
        keys = [keys] if isinstance(keys, str) else list(keys)
        numeric = [f["name"] for f in descriptor["schema"]["fields"]
                   if f.get("type") in ("number", "integer") and f["name"] not in keys]
        status = "status" if "status" in fields and "status" not in keys else None
        if not keys:
            keys = [c for c in fields if c not in numeric and c != status]
        changes = table_changes.compare(current, stored, keys=keys, value_columns=numeric, status_column=status,
                                        year_column="year" if "year" in fields else None)
        plan.replaced.append((name, changes.rows_removed, len(current)))
        plan.report += report.table_report(changes, keys, options.limit)
        plan.summary.append(report.table_summary(name, changes))
    return plan


# --------------------------------------------------------------------------------------------- validate, write


def stage_and_validate(plan: Plan, folder: Path, file_name: str) -> tuple[dict[str, tuple[bytes, bytes]],
                                                                          list[str]]:
    """Validate the new tables (``file_name``: the official file they come from, for messages) and compare claim
    verdicts on a copy of the data folder holding them. Returns each table's (CSV, descriptor) bytes and the
    report's claims lines."""

    contents = {}
    for name, (frame, descriptor) in plan.tables.items():
        csv = tables.to_csv_bytes(frame)
        descriptor = dict(descriptor)
        descriptor["hash"] = data.sha256_of(csv)
        descriptor["bytes"] = len(csv)
        contents[name] = (csv, tables.descriptor_bytes(descriptor))
    for name, (csv, descriptor_bytes) in contents.items():
        if _already_validated(folder, name, csv, descriptor_bytes):
            continue
        try:
            # Validated in memory against the user's folder (its sources table), so messages name their files.
            validation.validate_table(name, folder, content=csv, descriptor=json.loads(descriptor_bytes))
        except validation.DataValidationError as error:
            # Keep the report to two lines: the first problem, and how many more there are.
            problems = [line.strip() for line in str(error).splitlines()[1:] if line.strip()]
            more = sum(1 for p in problems[1:] if not p.startswith("..."))
            more += sum(int(p.split()[2]) for p in problems if p.startswith("... and"))
            raise RefreshError(
                f"the new {name} table built from {file_name} does not match {name}.resource.json: "
                f"{problems[0] if problems else error}" + (f" (and {more} more problems)" if more else "")
            ) from None
    unchanged = all(_already_validated(folder, name, csv, d) for name, (csv, d) in contents.items())
    if unchanged:
        return contents, [report.UNCHANGED_CLAIMS]
    # The claims are computed on a copy of the data folder holding the new tables, in a scratch folder beside it
    # named after this process: deleted when this block ends, and by the next command if this one is killed.
    with transaction.scratch(folder) as stage_root:
        stage = stage_root / "data"
        shutil.copytree(folder, stage, ignore=shutil.ignore_patterns(".*"))
        for name, (csv, descriptor_bytes) in contents.items():
            paths.table_csv(name, stage).write_bytes(csv)
            paths.table_descriptor(name, stage).write_bytes(descriptor_bytes)
        transaction.pause("checking")
        claims = [line.replace(str(stage), paths.display(folder)) for line in report.claims_report(folder, stage)]
    return contents, claims


def remove_stale_stages(folder: Path) -> None:
    """Delete the scratch folders of refreshes that were killed (their process no longer exists)."""
    transaction.remove_dead_scratch(folder)


def _already_validated(folder: Path, name: str, csv: bytes, descriptor_bytes: bytes) -> bool:
    """True when the new table is byte for byte the recorded one, under the same schema.

    A table was validated in full when its hash was recorded, so an identical file needs no second check (the
    rule ``utils.read.data.load`` follows too). It spares re-running a refresh on the same release the second or so
    that the validator takes to start.
    """

    if not paths.table_csv(name, folder).exists() or not paths.table_descriptor(name, folder).exists():
        return False
    recorded = data.read_descriptor(name, folder)
    new = json.loads(descriptor_bytes)
    return (
        recorded.get("hash") == data.sha256_of(csv)
        and paths.table_csv(name, folder).read_bytes() == csv
        and recorded.get("schema") == new.get("schema")
    )


def commit(folder: Path, contents: dict[str, tuple[bytes, bytes]], command: str) -> list[Path]:
    """Write every table's CSV and descriptor, all or none (see :mod:`utils.write.transaction`)."""

    files = {}
    for name, (csv, descriptor_bytes) in contents.items():
        files[paths.table_csv(name, folder).name] = csv
        files[paths.table_descriptor(name, folder).name] = descriptor_bytes
    done = transaction.commit(folder, tables.with_package(folder, files), command)
    data.forget_parsed()
    return done


#: A release that would remove more than this share of a table's installed rows, or flip more than this share of the
#: claim verdicts, is stopped until a maintainer has read its report (``--accept-upheaval``): swapped labels or a
#: shifted column look like that, a normal release does not.
UPHEAVAL_SHARE = 0.5


def upheaval(plan: Plan, claims_lines: list[str], options: Options) -> str | None:
    """The refusal of a release that would replace most rows or flip most verdicts, unless accept_upheaval."""
    if options.accept_upheaval:
        return None
    reasons = [f"remove {removed:,} of the {installed:,} rows of {name}" for name, removed, installed in plan.replaced
               if installed and removed > UPHEAVAL_SHARE * installed]
    counts = next((re.search(r"(\d+) of (\d+)", line) for line in claims_lines if "verdict" in line
                   and re.search(r"(\d+) of (\d+)", line)), None)
    if counts and int(counts[1]) > UPHEAVAL_SHARE * int(counts[2]):
        reasons.append(f"change {counts[1]} of {counts[2]} claim verdicts")
    if not reasons:
        return None
    return (f"{options.file.name} would {' and '.join(reasons)}: more than a release normally changes (swapped labels "
            f"or a shifted column look like this). Not installed. Read the report above; to install it anyway run "
            f"the same command with --accept-upheaval")
