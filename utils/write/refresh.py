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
reaches, shares above 1) are refused like any other bad input. The file is read and the refresh planned without
locking the data folder; the lock is held only to write. One refresh writes at a time: a second one waits for the
first (up to ``$CSTO_LOCK_TIMEOUT`` seconds, default 60); if the folder changed after it made its plan (another
refresh or ``record`` wrote it), it plans again against the tables now there, from the file already read, so the
other writer's change is kept. A refresh killed half way is completed or undone by the next command, and a refresh
stopped at any point leaves no scratch folder behind, except after SIGKILL (see :mod:`utils.write.transaction`).

The command line is this module alone (arguments, printing, exit status); what it runs takes plain values:
:mod:`utils.write.refresh_plan` imports, plans, validates and writes, :mod:`utils.write.refresh_report` words the
change report.

Exit status: 0 success (or dry run), 1 bad input, validation failure or another refresh still running (data
unchanged), 2 usage error, 130 interrupted (Ctrl-C, SIGTERM or SIGHUP).
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
import sys
from pathlib import Path
from typing import Sequence

from utils import paths
from utils.write import refresh_plan, refresh_report, transaction, validation
from utils.write.importers import SourceFormatError
from utils.write.refresh_plan import DEFAULT_LIMIT, IMPORTERS, Options, RefreshError


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
    parser.add_argument("--accept-upheaval", action="store_true",
                        help="install a release whose report shows it would replace most rows or flip most claim "
                             "verdicts (read the report from --dry-run first)")
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
    options = Options(source=args.source, file=args.file, comparison=args.comparison, retrieved=args.retrieved,
                      limit=None if args.all else DEFAULT_LIMIT, accept_upheaval=args.accept_upheaval)
    state = {"written": False}
    try:
        folder = args.data_dir.expanduser().resolve() if args.data_dir else paths.data_dir()
        return run(options, folder, args.dry_run, state)
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
        named = error.filename and transaction.STAGE_PREFIX not in str(error.filename)
        where = f" ({error.filename})" if named else ""
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


def run(options: Options, folder: Path, dry_run: bool = False, state: dict | None = None) -> int:
    """Read, plan, validate, report and (unless ``dry_run``) write; return the exit status. Raises on bad input.

    The file is read and the refresh planned without the data folder's lock, so that another writer is not kept
    waiting while a large workbook is read; the lock (:mod:`utils.write.transaction`) is held only to check that the
    folder is as the plan found it, and to write. ``state["written"]`` becomes True once the new files are in place
    (what an interruption then means).
    """

    state = state if state is not None else {}
    refresh_plan.check_inputs(folder, options, writing=not dry_run)
    if transaction.interrupted(folder):  # a change cut short is finished or undone before the folder is read
        for note in transaction.finish_interrupted(folder):
            print(note, file=sys.stderr)
    reading = refresh_plan.read_files(options)
    plan = refresh_plan.prepare(options, folder, reading)
    if dry_run or plan.refusal:  # nothing to write: no lock needed
        return _report(plan, dry_run)
    transaction.pause("planned")
    with transaction.writing(folder, announce=lambda line: print(line, file=sys.stderr)) as notes:
        for note in notes:
            print(note, file=sys.stderr)
        if refresh_plan.snapshot(folder) != plan.based_on:
            # Another refresh or record wrote the folder since the plan was made, and writing this plan could undo
            # its change (COW and the World Bank both rebuild personnel; milex keeps the comparison release it
            # finds). Plan again, now under the lock, against the tables now there, rather than refuse with "run
            # the command again": it is as safe (the new plan is made and written under the lock, as every refresh
            # was before), it is simpler for the user, whose only remedy would be to run the same command and wait
            # for the same file to be read again, and two refreshes feeding one table still both land. The cost,
            # in this race only: the lock is held while planning (seconds; a workbook is not read again, the CSV
            # importers' files are). The report printed below is the one of the plan written.
            print(f"Note: {paths.display(folder)} changed while {options.file.name} was being read and planned "
                  f"(another refresh or record wrote it): planning again against the tables now there.",
                  file=sys.stderr)
            plan = refresh_plan.prepare(options, folder, reading)
        status = _report(plan, dry_run=False)
        if status:
            return status
        written = refresh_plan.commit(folder, plan.contents, f"refresh {options.source} {options.file.name}")
        state["written"] = True
    shown = paths.display(folder)
    if written:
        print(f"Wrote {', '.join(p.name for p in written)} in {shown}.")
    else:
        print(f"{shown} already holds exactly these files: nothing to write.")
    return 0


def _report(plan: refresh_plan.Plan, dry_run: bool) -> int:
    """Print the change report; then the dry run's last line or the refusal. Returns 1 for a refusal, else 0."""
    for line in refresh_report.printed(plan.summary, plan.report, plan.claims):
        print(line)
    if dry_run:  # an older milex release is refused only when it would be installed: its report is the point
        print("Dry run: nothing written.")
        return 0
    if plan.refusal:
        print(f"error: {plan.refusal}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(transaction.run_as_command(main, "Interrupted: nothing was written."))
