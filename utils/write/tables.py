"""Writing tables to ``data/``: the canonical CSV and descriptor layout, ``record``, and the ``tables`` command.

    python -m utils.write.tables list               every table with its title, source and row count
    python -m utils.write.tables validate [NAME...]  validate tables in full (all if none named); warn of rows
                                                     still planned or announced after their date
    python -m utils.write.tables record NAME...      validate an edited hand-built table and record its checksum
    python -m utils.write.tables recover             finish or undo a change to data/ that was cut short

Every write goes through :mod:`utils.write.transaction`: one writer at a time, all files or none.
"""

from __future__ import annotations

if __name__ == "__main__":
    # Run as a command: until main() is under way, Ctrl-C ends the command with one line (no traceback of an
    # import), and writes nothing since nothing has started.
    import os as _os
    import signal as _signal

    def _interrupted_early(*_):
        _os.write(2, b"Interrupted: the data folder is as it was.\n")
        _os._exit(130)

    _signal.signal(_signal.SIGINT, _interrupted_early)

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from utils import paths
from utils.read import data
from utils.write import transaction
from utils.write.validation import DataValidationError, pending_rows_past_their_date, validate_table


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The canonical CSV encoding of a table (so importers reproduce ``data/`` byte for byte)."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def descriptor_bytes(descriptor: dict[str, Any]) -> bytes:
    """A descriptor in the collection's canonical JSON layout (stable key order, 2-space indent)."""
    text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    # A file name given under an ASCII locale (LANG=C) arrives with its non-ASCII bytes escaped as surrogates:
    # write the name as the UTF-8 it almost always is, rather than fail.
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace").encode("utf-8")


def atomic_write(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` so that readers see either the old or the new file, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_descriptor(name: str, descriptor: dict[str, Any], folder: Path | None = None) -> None:
    """Write a descriptor in the canonical layout (for building new tables and test folders)."""
    atomic_write(paths.table_descriptor(name, folder), descriptor_bytes(descriptor))


def record(name: str, folder: Path | None = None) -> str:
    """Validate table ``name`` in full and store its current sha256 and size in its descriptor.

    Holds the data folder's write lock (:mod:`utils.write.transaction`), so it never interleaves with a refresh.
    """
    folder = folder or paths.data_dir()
    with transaction.writing(folder):
        validate_table(name, folder)
        content = paths.table_csv(name, folder).read_bytes()
        descriptor = data.read_descriptor(name, folder)
        descriptor["hash"] = data.sha256_of(content)
        descriptor["bytes"] = len(content)
        transaction.commit(folder, {paths.table_descriptor(name, folder).name: descriptor_bytes(descriptor)},
                           f"record {name}")
    data.forget_parsed()
    return descriptor["hash"]


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m utils.write.tables", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list every table with its title, source and row count")
    check = commands.add_parser("validate", help="validate tables in full (all tables if none named)")
    check.add_argument("names", nargs="*")
    keep = commands.add_parser("record", help="validate an edited table and record its new checksum")
    keep.add_argument("names", nargs="+")
    commands.add_parser("recover", help="finish or undo a change to the data folder that was cut short")
    args = parser.parse_args(list(argv) if argv is not None else None)

    try:
        folder = paths.data_dir()
        if transaction.interrupted(folder):
            for note in transaction.finish_interrupted(folder):
                print(note, file=sys.stderr)
        if args.command == "list":
            print(data.tables().to_string(index=False))
        elif args.command == "validate":
            names = args.names or data.table_names(folder)
            if not names:
                raise FileNotFoundError(f"{paths.display(folder)} holds no tables (no NAME.resource.json files)")
            for name in names:
                validate_table(name)
                print(f"{name}: valid")
                for warning in pending_rows_past_their_date(name, folder):
                    print(warning, file=sys.stderr)
        elif args.command == "record":
            for name in args.names:
                print(f"{name}: recorded {record(name)}")
                for warning in pending_rows_past_their_date(name, folder):
                    print(warning, file=sys.stderr)
        else:
            print(f"{paths.display(folder)}: no change left unfinished.")
    except (DataValidationError, KeyError, FileNotFoundError, transaction.FolderBusy,
            transaction.FolderNotWritable, data.TableRefused) as error:
        print(f"error: {error.args[0] if isinstance(error, KeyError) else error}", file=sys.stderr)
        return 1
    except OSError as error:  # permission denied, disk full...: one line, no traceback
        where = f" ({paths.display(Path(error.filename))})" if error.filename else ""
        print(f"error: {error.strerror or error}{where}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(transaction.run_as_command(main, "Interrupted: the data folder is as it was."))
