"""Changing the data folder safely: one writer at a time, and every file of a change or none.

Every command that writes the data folder (``python -m utils.write.refresh``, ``python -m utils.write.tables record``) does so
inside :func:`writing`, which takes a lock, and through :func:`commit`, which moves all its files in or none.
Things live *beside* the data folder, never inside it, so that ``data/`` only ever holds tables:

``.data.lock``
    The lock (:mod:`filelock`). A second writer waits up to ``$CSTO_LOCK_TIMEOUT`` seconds (default 60) for the
    first to finish, then stops with one line. A writer holds it only to check what it read and to write: a refresh
    reads its file and plans without it, and under it checks that the tables it planned against are unchanged (or
    plans again), so a second refresh feeding the same table keeps the first one's rows.
``.data.pending/``
    The new files, written and flushed to disk before any of them replaces a file in ``data/``, plus hard links
    to the files they replace (for putting them back).
``.data.pending/journal.json``
    Written once every new file is staged: the change is then decided. If the writer dies between two renames,
    the next command that writes the folder (a refresh, ``record``, ``validate``, ``recover``) finishes the renames
    and prints one line saying so. A change interrupted by an exception (Ctrl-C included) is undone by the writer
    itself; if it dies while undoing, the journal says so and the next command finishes undoing. A pending folder
    without a journal is a change that never started, and is deleted.
``.data.csto-refresh-<pid>-<random>/``
    A refresh's scratch copy of the data holding its new tables, where the claims are graded (:func:`scratch`);
    deleted when the refresh ends, also when the command is stopped by Ctrl-C, ``kill`` (SIGTERM) or a closed
    terminal (SIGHUP), which :func:`run_as_command` turns into an exception. Only SIGKILL (``kill -9``, the
    out-of-memory killer), a power cut, or a signal to a notebook kernel running the refresh in-process (lesson 08)
    can leave one: the next refresh, ``record`` or ``recover`` on the folder deletes it once its process no longer
    exists. (When the folder holding ``data/`` cannot be written, a dry run uses the temporary folder instead,
    ``$TMPDIR/csto-refresh-<pid>-<random>/``, swept the same way.)

(``.data`` stands for the data folder's own name: ``CSTO_DATA_DIR=/x/copy`` uses ``/x/.copy.lock``.)
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

from utils.paths import display, lock_path, pending_path

#: Environment variable: how many seconds a second writer waits for the lock (default 60).
LOCK_TIMEOUT_ENV = "CSTO_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 60.0

#: Test hook: ``CSTO_TEST_PAUSE=<point>:<file>`` makes a writer create <file> when it reaches <point> (a refresh's
#: ``checking`` while it grades the claims in its scratch folder and ``planned`` before it asks for the lock; then
#: ``locked``, ``staged``, ``journal``, ``rename-1``, ``rename-2`` ...) and wait there until the file is deleted, so
#: that a test can run a second writer meanwhile, or kill this one at exactly that point.
PAUSE_ENV = "CSTO_TEST_PAUSE"

#: Name of a refresh's scratch folders (after ``.data.`` beside the data folder), followed by its process id.
STAGE_PREFIX = "csto-refresh-"


class FolderBusy(Exception):
    """Another process is writing the data folder and did not finish in time (message: one line)."""


class FolderNotWritable(Exception):
    """The data folder (or the folder holding it) cannot be written (message: one line)."""


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised like Ctrl-C (:func:`run_as_command`) so that what a command started is undone and
    its scratch folder deleted."""


def journal_path(folder: Path) -> Path:
    # Inside the pending folder, so that one stat of that folder tells a reader whether anything is left to do.
    return pending_path(folder) / "journal.json"


# --------------------------------------------------------------------------------------------- lock


@contextlib.contextmanager
def writing(folder: Path, *, announce=None) -> Iterator[list[str]]:
    """Hold the data folder's lock; finish or undo any interrupted change first.

    Yields the notes of that recovery (lines for the user, usually none). ``announce`` is called with one line
    if the lock is busy and the caller has to wait.
    """
    from filelock import FileLock, Timeout

    folder = Path(folder)
    check_writable(folder)
    timeout = _lock_timeout()
    lock = FileLock(str(lock_path(folder)), timeout=timeout)
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if announce is not None:
                announce(f"Waiting for another refresh or record to finish writing {display(folder)} "
                         f"(up to {timeout:g} s)...")
            lock.acquire(timeout=timeout)
    except Timeout:
        raise FolderBusy(
            f"another refresh (or record) is writing {display(folder)}: still busy after {timeout:g} s; "
            f"try again when it has finished (${LOCK_TIMEOUT_ENV} sets the wait)"
        ) from None
    except OSError as error:
        raise FolderNotWritable(
            f"cannot write to {display(folder)}: cannot create its lock file {display(lock_path(folder))} "
            f"({error.strerror or error})"
        ) from None
    try:
        pause("locked")
        notes = recover(folder)
        _remove_legacy_temporaries(folder)
        yield notes
    finally:
        lock.release()


def check_writable(folder: Path) -> None:
    """Refuse, in one line, a data folder this user cannot write (before a refresh spends minutes reading)."""
    if not os.access(folder, os.W_OK):
        raise FolderNotWritable(f"cannot write to {display(folder)}: permission denied")


def _lock_timeout() -> float:
    text = os.environ.get(LOCK_TIMEOUT_ENV, "")
    try:
        return max(0.0, float(text)) if text else DEFAULT_LOCK_TIMEOUT
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT


def interrupted(folder: Path) -> bool:
    """True when a change to ``folder`` was interrupted (or is under way): one ``stat``, cheap enough for load()."""
    return os.path.lexists(pending_path(folder))


def finish_interrupted(folder: Path) -> list[str]:
    """Take the lock, finish or undo an interrupted change, and return the note(s) saying what was done."""
    with writing(folder) as notes:
        return notes


# --------------------------------------------------------------------------------------------- commit


def commit(folder: Path, files: dict[str, bytes], command: str = "") -> list[Path]:
    """Replace ``folder/NAME`` by ``files[NAME]`` for every name, all or none; return the paths that changed.

    Must be called inside :func:`writing`. Files whose content is already the same are left alone.
    """
    folder = Path(folder)
    changed = {name: content for name, content in files.items()
               if not ((folder / name).is_file() and (folder / name).read_bytes() == content)}
    if not changed:
        return []
    pending, journal = pending_path(folder), journal_path(folder)
    shutil.rmtree(pending, ignore_errors=True)
    (pending / "old").mkdir(parents=True)
    names = list(changed)
    created = [name for name in names if not (folder / name).exists()]
    decided = False
    try:
        for name, content in changed.items():
            target = folder / name
            _write_synced(pending / name, content)
            mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
            os.chmod(pending / name, mode)
            if target.exists():
                _link_or_copy(target, pending / "old" / name)
        _sync_folder(pending)
        pause("staged")
        _write_journal(folder, {"direction": "forward", "files": names, "created": created, "command": command})
        decided = True
        pause("journal")
        for number, name in enumerate(names, start=1):
            os.replace(pending / name, folder / name)
            pause(f"rename-{number}")
        _sync_folder(folder)
        journal.unlink()
        _sync_folder(pending)
    except BaseException:
        if decided:
            # Undo: mark the journal first, so that a kill while undoing is finished by the next command.
            with contextlib.suppress(BaseException):
                _write_journal(folder, {"direction": "back", "files": names, "created": created,
                                        "command": command})
                _roll(folder, "back", names, created)
                journal.unlink(missing_ok=True)
        raise
    finally:
        if not journal.exists():
            shutil.rmtree(pending, ignore_errors=True)
    return [folder / name for name in names]


def recover(folder: Path) -> list[str]:
    """Finish (or undo) an interrupted change and delete leftovers. Call with the lock held."""
    folder = Path(folder)
    journal, pending = journal_path(folder), pending_path(folder)
    notes = []
    if journal.exists():
        try:
            entry = json.loads(journal.read_text(encoding="utf-8"))
            direction, names, created = entry["direction"], list(entry["files"]), list(entry.get("created", []))
        except (ValueError, KeyError, TypeError):
            # A journal is written whole (renamed into place), so this is not one of ours: leave data/ alone.
            raise FolderNotWritable(
                f"{display(journal)} is not a journal this collection wrote; move it away and run again"
            ) from None
        _roll(folder, direction, names, created)
        journal.unlink()
        what = f" ({entry['command']})" if entry.get("command") else ""
        verb = "finished" if direction == "forward" else "undid"
        notes.append(f"Note: {verb} an interrupted write to {display(folder)}{what}: "
                     f"{', '.join(names)} {'now hold the new version' if direction == 'forward' else 'are back as they were'}.")
    if pending.exists():
        shutil.rmtree(pending, ignore_errors=True)
    remove_dead_scratch(folder)
    return notes


# --------------------------------------------------------------------------------------------- scratch folders


@contextlib.contextmanager
def scratch(folder: Path) -> Iterator[Path]:
    """A new empty folder beside ``folder`` for this process's scratch work, deleted when the block ends.

    Beside the data folder rather than in the temporary folder: on the same disk and under the same owner as the
    data, and found by the commands that look after the folder (:func:`recover`). Its name carries the process id,
    so that a folder left by a process killed with SIGKILL is told from one in use (:func:`remove_dead_scratch`).
    """
    folder = Path(folder)
    if os.access(folder.parent, os.W_OK):
        root = Path(tempfile.mkdtemp(prefix=f".{folder.name}.{STAGE_PREFIX}{os.getpid()}-", dir=folder.parent))
    else:  # a dry run on a folder that cannot be written beside
        root = Path(tempfile.mkdtemp(prefix=f"{STAGE_PREFIX}{os.getpid()}-"))
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def scratch_folders(folder: Path) -> list[Path]:
    """The scratch folders of refreshes of ``folder`` (beside it), and of any refresh in the temporary folder."""
    folder = Path(folder)
    return sorted([*folder.parent.glob(f".{folder.name}.{STAGE_PREFIX}*"),
                   *Path(tempfile.gettempdir()).glob(f"{STAGE_PREFIX}*")])


def remove_dead_scratch(folder: Path) -> list[Path]:
    """Delete the scratch folders of refreshes that were killed (their process no longer exists); return them."""
    removed = []
    for stage in scratch_folders(folder):
        pid = stage.name.partition(STAGE_PREFIX)[2].split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stage, ignore_errors=True)
            removed.append(stage)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but belongs to someone else
        return True
    return True


def _roll(folder: Path, direction: str, names: list[str], created: list[str]) -> None:
    pending = pending_path(folder)
    for name in names:
        if direction == "forward":
            staged = pending / name
            if staged.exists():
                os.replace(staged, folder / name)
            elif not (folder / name).exists():
                raise FolderNotWritable(
                    f"cannot finish the interrupted write to {display(folder)}: the new {name} is missing from "
                    f"{display(pending)}"
                )
        else:
            old = pending / "old" / name
            if old.exists():
                if (folder / name).exists() and os.path.samefile(old, folder / name):
                    continue  # never replaced (the backup is a hard link to it): nothing to undo
                os.replace(old, folder / name)
            elif name in created:
                (folder / name).unlink(missing_ok=True)
    _sync_folder(folder)


def _write_journal(folder: Path, entry: dict) -> None:
    tmp = pending_path(folder) / "journal.tmp"
    _write_synced(tmp, json.dumps(entry).encode("ascii"))  # ASCII: a file name may hold escaped bytes
    os.replace(tmp, journal_path(folder))
    _sync_folder(pending_path(folder))


def _write_synced(path: Path, content: bytes) -> None:
    with open(path, "wb") as out:
        out.write(content)
        out.flush()
        os.fsync(out.fileno())


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copy2(source, target)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (renames) to disk; not possible everywhere, and then not needed."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove_legacy_temporaries(folder: Path) -> None:
    """Delete ``.NAME.xxxx.tmp`` files that earlier versions staged inside data/ and a killed run left behind."""
    for leftover in folder.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def pause(point: str) -> None:
    """The test hook (:data:`PAUSE_ENV`): wait at ``point`` while the test's marker file exists; nothing otherwise."""
    setting = os.environ.get(PAUSE_ENV, "")
    wanted, _, marker = setting.partition(":")
    if not setting or wanted != point:
        return
    marker_path = Path(marker)
    marker_path.write_text(str(os.getpid()), encoding="utf-8")
    for _ in range(6000):  # until the test deletes the file (resume) or kills the process; at most ten minutes
        if not marker_path.exists():
            return
        time.sleep(0.05)
    print(f"{PAUSE_ENV}: nobody resumed or stopped the process at {point}", file=sys.stderr)


def _stop(signum, frame):
    raise Stopped(signal.Signals(signum).name)


def run_as_command(main, interrupted: str) -> int:
    """Run a command's ``main()`` as ``python -m ...`` does: text the terminal cannot encode is escaped (a non-ASCII
    file name under LANG=C), and Ctrl-C, SIGTERM or SIGHUP at any moment prints the one line ``interrupted`` and exits
    130, after undoing what was started (:class:`Stopped`)."""
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)  # from here on, Ctrl-C undoes what was started
        for name in ("SIGTERM", "SIGHUP"):  # kill and a closed terminal too (SIGKILL cannot be caught)
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), _stop)
        for stream in (sys.stdout, sys.stderr):
            stream.reconfigure(errors="backslashreplace")
        return main()
    except KeyboardInterrupt:
        print(interrupted, file=sys.stderr)
        return 130
