"""Rebuild the data from a new official release and report what changed.

Usage::

    python -m utils.write.refresh SOURCE FILE [--comparison OLDER_FILE] [--dry-run] [--all] [--retrieved YYYY-MM-DD]

SOURCE names the publisher format: ``milex`` (SIPRI Military Expenditure workbook), ``arms`` (SIPRI Arms
Transfers export), ``worldbank``, ``cow``, ``ucdp``. FILE is the official file exactly as downloaded.

The command reads FILE with the source's importer, builds the new tables, validates them against their
descriptors, prints a change report (rows added and removed, values revised beyond rounding, largest first,
years added, status changes, and claims whose verdict changes) and then writes every new table and descriptor
at once. If anything fails, nothing in the data folder changes. ``--dry-run`` prints the report only.

Examples::

    # see what a new SIPRI release would change, without writing anything
    python -m utils.write.refresh milex ~/Downloads/SIPRI-Milex-data-1949-2026.xlsx --dry-run
    # install it
    python -m utils.write.refresh milex ~/Downloads/SIPRI-Milex-data-1949-2026.xlsx

SIPRI military expenditure (``milex``) keeps two releases: every measure of the newest release, and the
constant-US$ series of one older release so that notebooks can show how SIPRI revises its figures.

* A newer (or the same) release replaces the newest release's rows; the comparison rows stay.
* ``--comparison OLDER_FILE`` also replaces the comparison release with OLDER_FILE's constant-US$ series.
* An older release than the newest in the data is compared with it (what did the newer release revise?) and
  is not installed: with ``--dry-run`` that report is the whole point; without it the command stops with
  exit status 1. To keep an older release for comparison, pass it with ``--comparison``.
* Releases are compared like with like: current US$, shares and per-capita figures directly; constant-US$
  series directly when their price base is the same, and otherwise after converting the newer release to the
  older price base with each country's own current/constant ratio in that base year (rows labelled
  "(rebased)"), so that a new price base alone does not show up as a revision of every value.
* A new release needs its id (``sipri_milex_YYYY``) in ``data/sources.csv`` first: every row cites one.

Set ``CSTO_DATA_DIR`` to refresh a copy of the data folder instead of ``data/``. Running the command again on
the files that built the data reproduces the data folder byte for byte.

Values outside the bounds a table's descriptor states (years after the source's release, money or counts no state
reaches, shares above 1) are refused like any other bad input. One refresh writes at a time: a second one waits
for the first (up to ``$CSTO_LOCK_TIMEOUT`` seconds, default 60) and then reads the tables it wrote; a refresh
killed half way is completed or undone by the next command (see :mod:`utils.write.transaction`).

Exit status: 0 success (or dry run), 1 bad input, validation failure or another refresh still running (data
unchanged), 2 usage error, 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

if __name__ == "__main__":
    # Run as a command: until main() is under way, Ctrl-C ends the command with one line (no traceback of an
    # import), and writes nothing since nothing has started.
    import os as _os
    import signal as _signal

    def _interrupted_early(*_):
        _os.write(2, b"Interrupted: nothing was written.\n")
        _os._exit(130)

    _signal.signal(_signal.SIGINT, _interrupted_early)

import argparse
import datetime as dt
import importlib
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from utils import paths
from utils.read import data
from utils.write import tables, transaction, validation
from utils.write.importers import SourceFormatError

#: Source name on the command line -> importer module. Imported only when used, so a missing importer only
#: breaks its own source.
IMPORTERS = {
    "milex": "utils.write.importers.sipri_milex",
    "arms": "utils.write.importers.sipri_arms",
    "worldbank": "utils.write.importers.worldbank",
    "cow": "utils.write.importers.cow",
    "ucdp": "utils.write.importers.ucdp",
}

#: Revisions printed unless --all is given.
DEFAULT_LIMIT = 25


class RefreshError(Exception):
    """A refresh that cannot go ahead; the message is shown to the user as is (exit status 1)."""


@dataclass
class Plan:
    """What a refresh would write, and the report explaining it."""

    tables: dict[str, tuple[Any, dict[str, Any]]] = field(default_factory=dict)  # name -> (frame, descriptor)
    report: list[str] = field(default_factory=list)
    refusal: str | None = None  # set when the input is valid but must not be installed


# --------------------------------------------------------------------------------------------- command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m utils.write.refresh",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Rebuild data tables from an official file and report what changed: rows added and removed,\n"
            "values revised beyond rounding (largest first), years added, status changes and claim verdicts.\n"
            "Every table is validated before anything is written, and all files are written or none."
        ),
        epilog=(
            "examples:\n"
            "  python -m utils.write.refresh milex SIPRI-Milex-data-1949-2025_v1.2.xlsx --dry-run   # report only\n"
            "  python -m utils.write.refresh milex SIPRI-Milex-data-1949-2025_v1.2.xlsx             # install\n"
            "  python -m utils.write.refresh milex NEWEST.xlsx --comparison OLDER.xlsx   # also change the comparison release\n"
            "\n"
            "milex keeps every measure of the newest release plus one older release's constant-US$ series.\n"
            "A file older than the newest release in the data is compared with it but not installed.\n"
            "\n"
            "Set CSTO_DATA_DIR to refresh a copy of the data folder instead of data/.\n"
            "One refresh writes at a time: a second one waits up to CSTO_LOCK_TIMEOUT seconds (default 60).\n"
            "Exit status: 0 ok (or dry run), 1 bad input, validation failure or busy (data unchanged),\n"
            "2 usage error, 130 interrupted."
        ),
    )
    parser.add_argument("source", choices=sorted(IMPORTERS), metavar="SOURCE",
                        help="which publisher format FILE is: " + ", ".join(IMPORTERS))
    parser.add_argument("file", type=Path, metavar="FILE", help="the official file, exactly as downloaded")
    parser.add_argument("--dry-run", action="store_true", help="print the change report, write nothing")
    parser.add_argument("--comparison", type=Path, metavar="OLDER_FILE",
                        help="milex only: keep this older release's constant-US$ series for comparing revisions")
    parser.add_argument("--all", action="store_true", help=f"list every revision (default: the {DEFAULT_LIMIT} largest)")
    parser.add_argument("--retrieved", type=_iso_date, metavar="YYYY-MM-DD",
                        help="date the file was downloaded (default: kept if the file is unchanged, else today)")
    parser.add_argument("--data-dir", type=Path, metavar="FOLDER",
                        help="the data folder to refresh (default: data/, or $CSTO_DATA_DIR when set)")
    parser.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    return parser


def _iso_date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, found {text!r}") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit status."""
    parser = _parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.comparison is not None and args.source != "milex":
        parser.error("--comparison applies to milex only")
    state = {"written": False}
    try:
        return run(args, state)
    except KeyboardInterrupt:
        if state["written"]:
            print("Interrupted after the new files were written: the data folder holds the new version.",
                  file=sys.stderr)
        else:
            print("Interrupted: nothing was written.", file=sys.stderr)
        return 130
    except (SourceFormatError, RefreshError, validation.DataValidationError, transaction.FolderBusy,
            transaction.FolderNotWritable) as error:
        print(f"error: {error}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 1
    except OSError as error:  # permission denied, disk full...: name the user's file, not a staging one
        where = f" ({error.filename})" if error.filename and "csto-refresh-" not in str(error.filename) else ""
        print(f"error: {error.strerror or error}{where}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 1
    except Exception as error:  # a failure nobody anticipated: still no traceback for users, data untouched
        if args.debug:
            raise
        print(f"error: unexpected failure while refreshing {args.source} from {args.file}: "
              f"{type(error).__name__}: {error}", file=sys.stderr)
        print("Nothing was written. Run again with --debug to see the traceback.", file=sys.stderr)
        return 1


def run(args: argparse.Namespace, state: dict | None = None) -> int:
    """Import, plan, validate, report and (unless dry run) write. Raises on bad input.

    A writing run holds the data folder's lock from before the importer reads the current tables until the new
    files are in place (:mod:`utils.write.transaction`), so two refreshes feeding one table never lose an update.
    """

    state = state if state is not None else {}
    folder = args.data_dir.expanduser().resolve() if args.data_dir else paths.data_dir()
    if not folder.is_dir():
        raise RefreshError(f"{folder}: no such data folder")
    _remove_stale_stages()
    for path in [args.file] + ([args.comparison] if args.comparison else []):
        if not path.exists():
            raise RefreshError(f"{path}: no such file")
        if path.is_dir():
            raise RefreshError(f"{path}: is a folder; expected the official file itself")
    if args.dry_run:
        if transaction.interrupted(folder):
            for note in transaction.finish_interrupted(folder):
                print(note, file=sys.stderr)
        return _refresh(args, folder, state)
    with transaction.writing(folder, announce=lambda line: print(line, file=sys.stderr)) as notes:
        for note in notes:
            print(note, file=sys.stderr)
        return _refresh(args, folder, state)


def _refresh(args: argparse.Namespace, folder: Path, state: dict) -> int:
    module = _importer(args.source)
    result = module.read(args.file, progress=None)
    if args.source == "milex":
        plan = _plan_milex(module, result, args, folder)
    else:
        plan = _plan_generic(module, result, args, folder)

    contents: dict[str, tuple[bytes, bytes]] = {}
    if plan.tables:
        contents, claims_lines = _stage_and_validate(plan, folder, args)
        plan.report += claims_lines
    for line in plan.report:
        print(line)
    if plan.refusal:
        print(f"error: {plan.refusal}", file=sys.stderr)
        return 1
    if args.dry_run:
        print("Dry run: nothing written.")
        return 0
    written = _commit(folder, contents, f"refresh {args.source} {args.file.name}")
    state["written"] = True
    shown = paths.display(folder)
    if written:
        print(f"Wrote {', '.join(p.name for p in written)} in {shown}.")
    else:
        print(f"{shown} already holds exactly these files: nothing to write.")
    return 0


def _importer(source: str):
    name = IMPORTERS[source]
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name == name:
            raise RefreshError(f"the {source} importer ({name}) is not available in this checkout") from None
        raise


def _retrieved(args: argparse.Namespace, sha256: str | None, previous: dict[str, Any] | None) -> str:
    """The retrieval date to record: as given, or kept when the same file is imported again, else today."""
    if args.retrieved:
        return args.retrieved
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


def _plan_milex(module, result, args: argparse.Namespace, folder: Path) -> Plan:
    new = result.tables[module.TABLE]
    info = result.provenance[module.TABLE]
    current, current_descriptor = _current(module.TABLE, folder)
    current_info = (current_descriptor or {}).get("provenance", {})
    current_release = current_info.get("release")
    if current is not None and current_release is None:
        current_release = int(current["release"].max())

    plan = Plan()
    plan.report.append(f"{args.file.name}: {_release_summary(info)}.")
    if current is not None:
        plan.report.append(f"{paths.display(folder)}/milex.csv: {_data_summary(current_info)}.")

    if current is not None and info["release"] < current_release:
        if args.comparison is not None:
            raise RefreshError(
                f"{args.file.name} is the {info['release']} release, older than the {current_release} release in "
                f"the data; give the newest release as FILE and the older one with --comparison"
            )
        plan.report.append(
            f"This file is an OLDER release than the data: below is what the {current_release} release revised "
            f"relative to it. It will not be installed."
        )
        newest = current[current["release"] == current_release]
        plan.report += _release_report(module, _as_stored(new, current_descriptor), newest, args)
        plan.report += _milex_suspicions(args, folder, new, newer=newest)[1]
        plan.refusal = (
            f"{args.file.name} is the {info['release']} release, older than the {current_release} release in "
            f"milex.csv: not installed. To keep its constant-US$ series for comparison run: "
            f"python -m utils.write.refresh milex <the {current_release} workbook> --comparison {args.file}"
        )
        if args.dry_run:
            plan.refusal = None
        return plan

    # The comparison release: from --comparison, else the one already in the data.
    comparison_info = None
    comparison = None
    comparison_full = None
    if args.comparison is not None:
        older = module.read(args.comparison, progress=None)
        comparison_info = dict(older.provenance[module.TABLE])
        comparison_full = older.tables[module.TABLE]
        comparison = module.comparison_rows(comparison_full)
        comparison_info["retrieved"] = _retrieved(
            args, comparison_info["source_sha256"], current_info.get("comparison")
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
    info["retrieved"] = _retrieved(args, info["source_sha256"], current_info)
    import pandas as pd

    frame = module.tidy(pd.concat([new] + ([comparison] if comparison is not None else []), ignore_index=True))
    descriptor = module.build_descriptor(_milex_provenance(module, info, comparison_info))
    plan.tables[module.TABLE] = (frame, descriptor)

    stored = _as_stored(frame, descriptor)
    old_newest = current[current["release"] == current_release] if current is not None else None
    suspicions, suspicion_lines = _milex_suspicions(
        args, folder, new, comparison=(comparison_full, args.comparison) if comparison_full is not None else None,
        kept_release=comparison_info["release"] if comparison_info is not None and comparison_full is None else None,
        previous_newest=old_newest if current is not None and current_release != info["release"] else None,
    )
    from utils.write.importers import consistency

    plan.tables[consistency.TABLE] = (suspicions, consistency.build_descriptor(
        consistency.provenance_for(descriptor["provenance"])))
    alliance_lines = _plan_alliances(plan, result, descriptor["provenance"], new, suspicions, folder)
    if current is None:
        plan.report.append(f"milex.csv does not exist yet: it will be created with {len(frame)} rows.")
        plan.report += suspicion_lines + alliance_lines
        return plan
    new_newest = stored[stored["release"] == info["release"]]
    if info["release"] == current_release:
        plan.report.append(f"Same release as the data ({info['release']}): comparing value by value.")
    else:
        plan.report.append(f"New release: replaces the {current_release} release's rows.")
    plan.report += _release_report(module, old_newest, new_newest, args)
    plan.report += _comparison_report(current, current_info, stored, comparison_info)
    plan.report += suspicion_lines + alliance_lines
    return plan


def _plan_alliances(plan: Plan, result, milex_provenance: dict[str, Any], release, suspicions, folder: Path) -> list[str]:
    """Add the burden-sharing tables computed from the release to the plan; return their report lines.

    They need the NATO members' rows of the workbook and the membership tables of the data folder; without
    either, the tables in the folder are kept as they are and the report says why.
    """
    from utils.read import metrics
    from utils.write.importers import alliances

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
    built = alliances.build(states, nato_members, memberships, milex_provenance["source_id"][0],
                            suspect=set(zip(doubted["iso3"], doubted["year"], doubted["measure"])))
    table, members = built
    descriptor = alliances.build_descriptor(milex_provenance)
    plan.tables[alliances.TABLE] = (table, descriptor)
    plan.tables[alliances.MEMBERS_TABLE] = (members, alliances.build_members_descriptor(milex_provenance))
    old, _ = _current(alliances.TABLE, folder)
    return alliances.change_report(old, _as_stored(table, descriptor))


def _milex_suspicions(args, folder: Path, new, comparison=None, kept_release=None, previous_newest=None,
                      newer=None):
    """Suspected errors in the release(s) being installed (utils.write.importers.consistency): (table, report lines).

    A comparison release kept from the data keeps the suspicions recorded for it (its workbook is not read).
    """
    from utils.write.importers import consistency

    gdp, _ = _current("gdp", folder)
    kept = None
    if kept_release is not None:
        recorded, _ = _current(consistency.TABLE, folder)
        if recorded is not None:
            # The comparison release's own suspicions, and what comparing the new release with it found.
            same = recorded["release"] == int(new["release"].iloc[0])
            kept = recorded[(recorded["release"] == kept_release)
                            | (same & (recorded["check"] == "between_releases"))]
    return consistency.refresh_findings(new, args.file, gdp, comparison=comparison, kept=kept,
                                        previous_newest=previous_newest, newer=newer)


def _release_summary(info: dict[str, Any]) -> str:
    first, last = info["years"]
    return f"{info['edition']} (constant {info['price_base']} US$; years {first}-{last})"


def _data_summary(info: dict[str, Any]) -> str:
    text = f"{info['edition']} (constant {info['price_base']} US$)" if info.get("edition") else "SIPRI data"
    comparison = info.get("comparison")
    if comparison:
        text += f", plus the constant {comparison['price_base']} US$ series of {comparison['edition']}"
    return text


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


def _release_report(module, old, new, args: argparse.Namespace) -> list[str]:
    """Compare two SIPRI releases like with like, measure by measure."""
    from utils.write.importers import changes as table_changes

    old_release, new_release = int(old["release"].iloc[0]), int(new["release"].iloc[0])
    if old_release == new_release:
        lines = ["", f"Changes between the data and the file (both the {new_release} release), measure by measure:"]
    else:
        lines = ["", f"Changes from the {old_release} release to the {new_release} release, measure by measure:"]
    import pandas as pd

    rows, notes, total = [], [], table_changes.Changes()
    old_measures, new_measures = set(old["measure"]), set(new["measure"])
    old_constant = sorted(m for m in old_measures if m.startswith("constant_usd_"))
    new_constant = sorted(m for m in new_measures if m.startswith("constant_usd_"))
    if len(old_constant) == 1 and len(new_constant) == 1 and old_constant != new_constant:
        # Different price bases: express the newer release at the older base (which it covers) and compare.
        newer_base, older_base = int(new_constant[0][-4:]), int(old_constant[0][-4:])
        if older_base < newer_base:
            rebased, missing = module.rebase(new, older_base)
            new = pd.concat([new[new["measure"] != new_constant[0]], rebased], ignore_index=True)
            label = f"{old_constant[0]} (rebased)"
            new.loc[new["measure"] == old_constant[0], "measure"] = label
            old = old.assign(measure=old["measure"].replace(old_constant[0], label))
            old = old[~((old["measure"] == label) & old["iso3"].isin(missing))]
            new_measures, old_measures = set(new["measure"]), set(old["measure"])
            notes.append(
                f"{label}: the {new_release} release's {new_constant[0]} series converted to {older_base} prices with "
                f"each country's own current/constant ratio for {older_base} in that release, then compared"
                + (f"; not rebased (no {older_base} figures): {', '.join(missing)}" if missing else "") + "."
            )
    for measure in sorted(old_measures | new_measures, key=_measure_order):
        if measure not in old_measures or measure not in new_measures:
            notes.append(_unpaired_measure(measure, old_measures, new_measures, old, new))
            continue
        changes = table_changes.compare(
            old[old["measure"] == measure], new[new["measure"] == measure],
            keys=["iso3", "year", "measure"], value_columns=["value"], status_column="status",
        )
        total.extend(changes)
        rows.append([measure, str(changes.rows_added), str(changes.rows_removed),
                     str(len(changes.revisions)), str(len(changes.status_changes))])
    lines += table_changes.table_lines(["measure (compared directly)", "rows added", "rows removed", "values revised",
                                   "status changes"], rows)
    lines += [note for note in notes if note]
    lines += _changes_details(total, args, label_columns=("country", "year", "measure"))
    return lines


def _unpaired_measure(measure: str, old_measures: set, new_measures: set, old, new) -> str:
    """A note on a measure present in one release only: usually the constant-US$ series moving to a new base."""
    old_constant = sorted(m for m in old_measures if m.startswith("constant_usd_"))
    new_constant = sorted(m for m in new_measures if m.startswith("constant_usd_"))
    if measure.startswith("constant_usd_") and old_constant and new_constant:
        if measure not in new_constant:
            return ""  # reported once, with the new release's measure
        return (f"{old_constant[0]} -> {measure}: rebased from {old_constant[0][-4:]} to {measure[-4:]} prices, so "
                f"every value changes; not compared value by value (compare current_usd and the shares instead).")
    if measure in new_measures:
        return f"{measure}: new in the {int(new['release'].iloc[0])} release ({int((new['measure'] == measure).sum())} rows)."
    return f"{measure}: not in the {int(new['release'].iloc[0])} release ({int((old['measure'] == measure).sum())} rows dropped)."


def _changes_details(changes, args, label_columns) -> list[str]:
    from utils.write.importers import changes as table_changes

    lines = []
    if changes.years_added:
        lines.append(f"Years added: {_span(changes.years_added)}")
    if changes.years_removed:
        lines.append(f"Years removed: {_span(changes.years_removed)}")
    if changes.empty and not changes.years_added:
        lines.append("No change in these measures: every value, status and year is the same (within rounding).")
        return lines
    limit = None if args.all else DEFAULT_LIMIT
    count = len(changes.revisions)
    shown = f" (the {limit} largest; --all lists every one)" if limit is not None and count > limit else ""
    lines.append(f"Values revised beyond rounding (more than {table_changes.RELATIVE_TOLERANCE:.2%}), largest first: "
                 f"{count}{shown}")
    for revision in changes.revisions:
        _name_country(revision.label)
    if count:
        lines += table_changes.format_revisions(changes.revisions, limit, label_columns, show=_show_milex)
        lines += _revisions_by_country(changes.revisions)
    count = len(changes.status_changes)
    statuses = changes.status_changes if limit is None else changes.status_changes[:limit]
    shown = f" (the first {limit}; --all lists every one)" if len(statuses) < count else ""
    lines.append(f"Status changes: {count}{shown}")
    rows = []
    for change in statuses:
        _name_country(change.label)
        value = "" if table_changes.missing(change.new_value) else _show_value(change.label, change.new_value)
        rows.append([str(change.label.get(c, "")) for c in label_columns] + [change.old, change.new, value])
    if rows:
        lines += table_changes.table_lines(list(label_columns) + ["old status", "new status", "new value"], rows)
    return lines


def _revisions_by_country(revisions) -> list[str]:
    """Per country: how many values were revised and in which years, so that no country's revision is hidden
    below the largest-first cut (e.g. a small revision to one state's 2020 figure)."""
    from utils.write.importers import changes as table_changes

    by_country: dict[str, list[int]] = {}
    for revision in revisions:
        country = str(revision.label.get("country", revision.label.get("iso3", "")))
        by_country.setdefault(country, []).append(int(revision.label.get("year", 0)))
    if len(by_country) < 1 or not any(by_country):
        return []
    rows = [[country, str(len(years)), _span(sorted(set(years)))] for country, years in sorted(by_country.items())]
    return ["Revised values by country:"] + table_changes.table_lines(["country", "values", "years"], rows)


def _name_country(label: dict) -> None:
    from utils.read import countries

    if "iso3" in label and "country" not in label:
        label["country"] = countries.name_of(label["iso3"])


def _show_milex(revision, value: float) -> str:
    return _show_value(revision.label, value)


def _show_value(label: dict, value: float) -> str:
    measure = str(label.get("measure", ""))
    if measure.startswith("share_"):
        return f"{value * 100:.2f}%"
    return f"{value:,.1f}"


def _span(years: list[int]) -> str:
    """Sorted years as runs: [1992, 1993, 1994, 2008] -> "1992-1994, 2008"."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{run[0]}-{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs)


def _measure_order(measure: str):
    stems = ("constant_usd", "current_usd", "share_gdp", "share_govt", "per_capita")
    stem = "constant_usd" if measure.startswith("constant_usd_") else measure
    return (stems.index(stem) if stem in stems else len(stems), measure)


def _comparison_report(current, current_info, stored, comparison_info) -> list[str]:
    """One or two lines on the comparison release (kept, replaced, added)."""
    old = current_info.get("comparison")
    if old is None and comparison_info is None:
        return ["Comparison release: none (add one with --comparison OLDER_FILE)."]
    if comparison_info is None:
        return [f"Comparison release: {old['edition']} removed."]
    rows_new = int((stored["release"] == comparison_info["release"]).sum())
    if old is None:
        return [f"Comparison release: {comparison_info['edition']} added ({rows_new} rows)."]
    if old.get("source_sha256") == comparison_info.get("source_sha256"):
        return [f"Comparison release: {old['edition']} kept ({rows_new} rows, constant "
                f"{comparison_info['price_base']} US$, from {comparison_info['source_file']})."]
    rows_old = int((current["release"] == old["release"]).sum())
    return [f"Comparison release: {old['edition']} ({old['source_file']}, {rows_old} rows) replaced by "
            f"{comparison_info['edition']} ({comparison_info['source_file']}, {rows_new} rows)."]


# --------------------------------------------------------------------------------------------- other sources


def _plan_generic(module, result, args: argparse.Namespace, folder: Path) -> Plan:
    """Replace each table the importer produced; its descriptor must exist (or the importer provides one)."""
    from utils.write.importers import bounds
    from utils.write.importers import changes as table_changes

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
                f"the {args.source} importer produced columns {sorted(frame.columns)} for {name}, but "
                f"{name}.resource.json lists {sorted(fields)}"
            )
        frame = frame[fields]
        previous = dict(descriptor.get("provenance", {}))
        update = dict(result.provenance.get(name, {}))
        provenance = {**previous, **update}
        provenance["retrieved"] = _retrieved(args, update.get("source_sha256"), previous)
        if "builder" not in update:
            provenance["builder"] = f"python -m utils.write.refresh {args.source} {args.file.name}"
        descriptor = {k: v for k, v in descriptor.items() if k not in ("hash", "bytes")}
        # The bounds of plausible values, years up to the source's release (utils.write.importers.bounds).
        descriptor = bounds.apply(descriptor, name, result.latest_year.get(name))
        descriptor["provenance"] = provenance
        plan.tables[name] = (frame, descriptor)

        plan.report.append(f"{name}: {len(frame)} rows from {args.file.name}.")
        if current is None:
            plan.report.append(f"  {name}.csv does not exist yet: it will be created.")
            continue
        stored = _as_stored(frame, descriptor)
        keys = descriptor["schema"].get("primaryKey") or []
        keys = [keys] if isinstance(keys, str) else list(keys)
        numeric = [f["name"] for f in descriptor["schema"]["fields"]
                   if f.get("type") in ("number", "integer") and f["name"] not in keys]
        status = "status" if "status" in fields and "status" not in keys else None
        if not keys:
            keys = [c for c in fields if c not in numeric and c != status]
        changes = table_changes.compare(current, stored, keys=keys, value_columns=numeric, status_column=status,
                                   year_column="year" if "year" in fields else None)
        plan.report.append(f"  rows added {changes.rows_added}, removed {changes.rows_removed}; "
                           f"{len(changes.revisions)} values revised, {len(changes.status_changes)} status changes")
        limit = None if args.all else DEFAULT_LIMIT
        if changes.years_added:
            plan.report.append(f"  years added: {_span(changes.years_added)}")
        if changes.revisions:
            plan.report += table_changes.format_revisions(changes.revisions, limit, list(keys[:4]) + ["column"])
        if changes.empty and not changes.years_added:
            plan.report.append("  No change.")
    return plan


# --------------------------------------------------------------------------------------------- validate, write


def _stage_and_validate(plan: Plan, folder: Path, args) -> tuple[dict[str, tuple[bytes, bytes]], list[str]]:
    """Write the new tables into a copy of the data folder, validate them there, and compare claim verdicts."""

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
                f"the new {name} table built from {args.file.name} does not match {name}.resource.json: "
                f"{problems[0] if problems else error}" + (f" (and {more} more problems)" if more else "")
            ) from None
    unchanged = all(_already_validated(folder, name, csv, d) for name, (csv, d) in contents.items())
    if unchanged:
        return contents, ["Claims: the data would not change, so no verdict can change."]
    # The claims are computed on a copy of the data folder holding the new tables, in a temporary folder named
    # after this process, so that the next run can delete it if this one is killed.
    stage_root = Path(tempfile.mkdtemp(prefix=f"{_STAGE_PREFIX}{os.getpid()}-"))
    try:
        stage = stage_root / "data"
        shutil.copytree(folder, stage, ignore=shutil.ignore_patterns(".*"))
        for name, (csv, descriptor_bytes) in contents.items():
            paths.table_csv(name, stage).write_bytes(csv)
            paths.table_descriptor(name, stage).write_bytes(descriptor_bytes)
        claims = [line.replace(str(stage), paths.display(folder)) for line in claims_report(folder, stage)]
    finally:
        shutil.rmtree(stage_root, ignore_errors=True)
    return contents, claims


_STAGE_PREFIX = "csto-refresh-"


def _remove_stale_stages() -> None:
    """Delete the temporary folders of refreshes that were killed (their process no longer exists)."""
    for stage in Path(tempfile.gettempdir()).glob(f"{_STAGE_PREFIX}*"):
        pid = stage.name[len(_STAGE_PREFIX):].split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stage, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but belongs to someone else
        return True
    return True


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


def claims_report(old_folder: Path, new_folder: Path) -> list[str]:
    """Claims whose computed verdict differs between the current and the new data (skipped if unavailable)."""
    try:
        claims = importlib.import_module("utils.read.claims")
    except ModuleNotFoundError as error:
        if error.name == "utils.read.claims":
            return ["Claims: check skipped (utils.read.claims is not available)."]
        return [f"Claims: check skipped (utils.read.claims could not be imported: {error})."]
    check = getattr(claims, "check_claims", None)
    if check is None:
        return ["Claims: check skipped (utils.read.claims has no check_claims function)."]
    try:
        before, after = check(old_folder), check(new_folder)
        columns = ["claim_id", "computed_verdict"] + (
            ["computed_label"] if "computed_label" in before.columns and "computed_label" in after.columns else []
        )
        merged = before[columns].merge(after[columns], on="claim_id", how="outer", suffixes=("_old", "_new"))
    except Exception as error:  # the claims check is advisory: report it, do not block the refresh
        reason = " ".join(f"{type(error).__name__}: {error}".split())
        return [f"Claims: check skipped (check_claims failed: {reason[:160]}{'...' if len(reason) > 160 else ''})."]
    changed = merged[merged["computed_verdict_old"].astype("string").fillna("-")
                     != merged["computed_verdict_new"].astype("string").fillna("-")]
    if changed.empty:
        return [f"Claims: {len(merged)} checked, no verdict changes."]
    lines = [f"Claims whose verdict changes: {len(changed)} of {len(merged)}"]
    for row in changed.sort_values("claim_id").to_dict("records"):
        line = f"  {row['claim_id']}: {row['computed_verdict_old']} -> {row['computed_verdict_new']}"
        if "computed_label_new" in row:
            line += f" (computed: {_short(row['computed_label_old'])} -> {_short(row['computed_label_new'])})"
        lines.append(line)
    return lines


def _short(text, width: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _commit(folder: Path, contents: dict[str, tuple[bytes, bytes]], command: str) -> list[Path]:
    """Write every table's CSV and descriptor, all or none (see :mod:`utils.write.transaction`)."""

    files = {}
    for name, (csv, descriptor_bytes) in contents.items():
        files[paths.table_csv(name, folder).name] = csv
        files[paths.table_descriptor(name, folder).name] = descriptor_bytes
    done = transaction.commit(folder, tables.with_package(folder, files), command)
    data.forget_parsed()
    return done


if __name__ == "__main__":
    from utils.write.transaction import run_as_command

    raise SystemExit(run_as_command(main, "Interrupted: nothing was written."))
