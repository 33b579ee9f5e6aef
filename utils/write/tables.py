"""Writing tables to ``data/``: the canonical CSV and descriptor layout, ``record``, and the ``tables`` command.

    python -m utils.write.tables list               every table with its title, source and row count
    python -m utils.write.tables validate [NAME...]  validate tables in full (all if none named); warn of rows
                                                     still planned or announced after their date
    python -m utils.write.tables record NAME...      validate an edited hand-built table and record its checksum
                                                     (an official extract is rebuilt by its importer instead)
    python -m utils.write.tables recover             finish or undo a change to data/ that was cut short, and
                                                     delete the scratch folders of refreshes killed with SIGKILL
    python -m utils.write.tables package             write data/datapackage.json again from the descriptors

Every write goes through :mod:`utils.write.transaction`: one writer at a time, all files or none. A write that
changes a descriptor also rewrites ``datapackage.json`` (see :func:`with_package`), so that the folder stays one
Frictionless data package.
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


# --------------------------------------------------------------------------------------------- the data package

#: The folder as one Frictionless data package: every table's descriptor, plus the foreign keys the schemas allow.
PACKAGE = "datapackage.json"
#: A ``source_id`` that holds one id (its pattern allows no ``;`` list) can refer to the ``sources`` table.
SINGLE_ID = ";"


def _package_resource(descriptor: dict[str, Any], names: set[str]) -> dict[str, Any]:
    """A table's descriptor as the package lists it: the same, with a foreign key from a single-valued
    ``source_id`` to ``sources`` (list-valued ones, "a;b", cannot be expressed as a Table Schema foreign key)."""
    resource = json.loads(json.dumps(descriptor))
    fields = {field["name"]: field for field in resource.get("schema", {}).get("fields", [])}
    pattern = fields.get("source_id", {}).get("constraints", {}).get("pattern", SINGLE_ID)
    if resource.get("name") != "sources" and "sources" in names and SINGLE_ID not in pattern:
        keys = resource["schema"].setdefault("foreignKeys", [])
        reference = {"fields": "source_id", "reference": {"resource": "sources", "fields": "source_id"}}
        if reference not in keys:
            keys.append(reference)
    return resource


def package_descriptor(folder: Path | None = None, replaced: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The data package of ``folder``, with ``replaced`` descriptors (name -> descriptor) in place of the stored ones."""
    folder = folder or paths.data_dir()
    replaced = replaced or {}
    names = sorted(set(data.table_names(folder)) | set(replaced))
    descriptors = {name: replaced.get(name) or data.read_descriptor(name, folder) for name in names}
    return {
        "name": "csto-notebooks-data",
        "title": "Tables of csto-notebooks, a course on the Collective Security Treaty Organization",
        "description": (
            "The course's hand-built tables (sourced row by row in 'sources') and its extracts of official data "
            "(SIPRI, World Bank, Correlates of War, UCDP/PRIO, Natural Earth, GeoNames). Each resource's 'licenses' "
            "gives its own terms: third-party extracts stay under their publishers' terms (SIPRI's: non-commercial "
            "use only), and its 'provenance' says where it comes from and how it is rebuilt."
        ),
        "homepage": _repository(),
        "licenses": [{
            "name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0, for the compilation and the hand-built tables; each resource's "
                     "own 'licenses' takes precedence",
        }],
        "resources": [_package_resource(descriptors[name], set(names)) for name in names],
    }


def _repository() -> str:
    """The repository's address, as CITATION.cff gives it (the one place it is written)."""
    import yaml  # PyYAML comes with frictionless

    citation = paths.REPO_ROOT / "CITATION.cff"
    return yaml.safe_load(citation.read_text(encoding="utf-8"))["repository-code"] if citation.exists() else ""


def package_bytes(folder: Path | None = None, replaced: dict[str, dict[str, Any]] | None = None) -> bytes:
    return descriptor_bytes(package_descriptor(folder, replaced))


def with_package(folder: Path, files: dict[str, bytes]) -> dict[str, bytes]:
    """``files`` (file name -> content) to write into ``folder``, plus the data package as it will be after them."""
    suffix = ".resource.json"
    replaced = {name.removesuffix(suffix): json.loads(content) for name, content in files.items() if name.endswith(suffix)}
    return {**files, PACKAGE: package_bytes(folder, replaced)}


def write_package(folder: Path | None = None) -> list[Path]:
    """Write the data package again from the stored descriptors (after editing one by hand); returns what changed."""
    folder = folder or paths.data_dir()
    with transaction.writing(folder):
        return transaction.commit(folder, with_package(folder, {}), "package")


class OfficialExtract(ValueError):
    """``record`` was asked to keep an edit of a table that an importer builds from an official file."""


def record(name: str, folder: Path | None = None) -> str:
    """Validate hand-built table ``name`` in full and store its current sha256 and size in its descriptor.

    Refuses an official extract (:func:`utils.read.data.is_hand_built` is False): its figures come from the source's
    file through its importer, so an edit is undone by rebuilding, never blessed here. Holds the data folder's write
    lock (:mod:`utils.write.transaction`), so it never interleaves with a refresh.
    """
    folder = folder or paths.data_dir()
    descriptor = data.read_descriptor(name, folder)
    if not data.is_hand_built(descriptor):
        builder = descriptor.get("provenance", {}).get("builder") or "python -m utils.write.refresh SOURCE FILE"
        raise OfficialExtract(
            f"{name} is an official extract ({descriptor.get('provenance', {}).get('source', 'an official file')}): "
            f"it is never edited by hand, so record will not keep an edit of it. Rebuild it from the source's file "
            f"with {builder} (or undo the edit with git checkout -- {paths.display(paths.table_csv(name, folder))})"
        )
    with transaction.writing(folder):
        validate_table(name, folder)
        content = paths.table_csv(name, folder).read_bytes()
        descriptor = data.read_descriptor(name, folder)
        descriptor["hash"] = data.sha256_of(content)
        descriptor["bytes"] = len(content)
        files = {paths.table_descriptor(name, folder).name: descriptor_bytes(descriptor)}
        transaction.commit(folder, with_package(folder, files), f"record {name}")
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
    commands.add_parser("package", help=f"write {PACKAGE} again from the descriptors")
    args = parser.parse_args(list(argv) if argv is not None else None)

    folder: Path | None = None
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
        elif args.command == "package":
            written = write_package(folder)
            print(f"{paths.display(folder / PACKAGE)}: {'written' if written else 'already up to date'}")
        else:
            removed = transaction.remove_dead_scratch(folder)
            if removed:
                print(f"Deleted {len(removed)} scratch folder{'s' if len(removed) > 1 else ''} of killed refreshes "
                      f"({', '.join(paths.display(path) for path in removed)}).")
            print(f"{paths.display(folder)}: no change left unfinished.")
    except (DataValidationError, OfficialExtract, KeyError, FileNotFoundError, transaction.FolderBusy,
            transaction.FolderNotWritable, data.TableRefused) as error:
        print(f"error: {error.args[0] if isinstance(error, KeyError) else error}", file=sys.stderr)
        return 1
    except OSError as error:  # permission denied, disk full...: one line, no traceback
        # A full disk (ENOSPC) names no file: name the folder being written, so the user knows which disk.
        target = Path(error.filename) if error.filename else folder
        where = f" ({paths.display(target)})" if target else ""
        print(f"error: {error.strerror or error}{where}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(transaction.run_as_command(main, "Interrupted: the data folder is as it was."))
