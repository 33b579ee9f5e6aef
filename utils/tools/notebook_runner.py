"""Executing notebooks headless (tests, the static site, the benchmark) without stalls.

    python -m utils.tools.notebook_runner notebooks/03_military_spending.ipynb ...   # run each, say how long it took

nbclient waits for messages with long waits: ``get_msg(timeout=<cell timeout>)`` on the shell channel for a cell's
reply, and ``get_msg(timeout=None)`` on the IOPub channel for its outputs. With the asyncio ZMQ sockets that
jupyter_client uses, such a wait sometimes does not wake when the message arrives (the socket's readiness is signalled
by an edge that can be consumed by the other channel's poll), and returns only when its timeout runs out or another
message comes (jupyter/nbclient issue #312). On the shell channel that was the whole cell timeout (~180 s); on IOPub,
after the reply, nbclient gives the outputs ``iopub_timeout`` (4 s) and then goes on without the rest of them.

:class:`ShellPolling` asks both channels in short slices instead: each new ``poll`` checks the socket afresh, so a
wait ends at most ``POLL_SLICE`` after its message arrived. JupyterLab is not affected: it is only the headless
executor.

Set ``CSTO_MESSAGE_LOG`` to a file name to append one line per message received on either channel (receive time,
delay since the kernel sent it, channel, type, how long the wait for it took): a delay of seconds is a stall.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path
from queue import Empty

import nbformat
from jupyter_core.utils import run_sync
from nbclient import NotebookClient

#: Longest single wait on a channel, in seconds.
POLL_SLICE = 0.2
#: Environment variable naming a file that gets one line per message received (see the module's docstring).
MESSAGE_LOG_ENV = "CSTO_MESSAGE_LOG"


def _log_message(log: Path, channel: str, msg: dict, waited: float) -> None:
    sent = msg.get("header", {}).get("date")
    now = datetime.datetime.now(datetime.timezone.utc)
    delay = (now - sent).total_seconds() if isinstance(sent, datetime.datetime) else float("nan")
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"{now.isoformat()}\t{delay:.3f}\t{channel}\t{msg.get('msg_type', '?')}\t{waited:.3f}\t{os.getpid()}\n")


def wait_in_slices(channel, name: str, log: Path | None) -> None:
    """Make ``channel.get_msg`` wait in slices of at most ``POLL_SLICE`` seconds, up to the timeout it is given."""
    wait = channel.get_msg

    async def get_msg_in_slices(timeout=None):
        started = time.monotonic()
        deadline = None if timeout is None else started + timeout
        while True:
            remaining = POLL_SLICE if deadline is None else max(0.0, min(POLL_SLICE, deadline - time.monotonic()))
            try:
                msg = await wait(timeout=remaining)
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise
                continue
            if log is not None:
                _log_message(log, name, msg, time.monotonic() - started)
            return msg

    channel.get_msg = get_msg_in_slices


class ShellPolling:
    """Mixin for :class:`nbclient.NotebookClient` (and nbconvert's ExecutePreprocessor, a subclass of it)."""

    async def async_start_new_kernel_client(self):
        client = await super().async_start_new_kernel_client()
        log = Path(os.environ[MESSAGE_LOG_ENV]) if os.environ.get(MESSAGE_LOG_ENV) else None
        wait_in_slices(client.shell_channel, "shell", log)
        wait_in_slices(client.iopub_channel, "iopub", log)
        return client

    # nbclient binds its synchronous twin to its own coroutine (``run_sync(async_start_new_kernel_client)`` in the
    # class body), so an override of the coroutine alone is skipped by the synchronous path that nbconvert's
    # ExecutePreprocessor.preprocess takes (``setup_kernel``): bind the twin to this one.
    start_new_kernel_client = run_sync(async_start_new_kernel_client)


class NotebookRunner(ShellPolling, NotebookClient):
    """A NotebookClient that does not stall waiting for messages that have arrived."""


def run_notebook(nb: nbformat.NotebookNode, folder: Path, timeout: int = 180,
                 allow_errors: bool = False) -> nbformat.NotebookNode:
    """Execute ``nb`` in place, in a fresh ``python3`` kernel started in ``folder`` (as JupyterLab would);
    ``allow_errors``: go on past a failing cell, as a reader pressing Run All would."""
    NotebookRunner(nb, timeout=timeout, kernel_name="python3", allow_errors=allow_errors,
                   resources={"metadata": {"path": str(folder)}}).execute()
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m utils.tools.notebook_runner", description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=180, help="seconds a cell may take (default 180)")
    args = parser.parse_args(argv)
    failed = 0
    for path in args.notebooks:
        started = time.monotonic()
        try:
            run_notebook(nbformat.read(path, as_version=4), path.resolve().parent, timeout=args.timeout)
        except Exception as error:  # noqa: BLE001 - report every notebook, then fail
            failed += 1
            print(f"{path}: failed after {time.monotonic() - started:.1f} s: {str(error).strip().splitlines()[-1]}")
        else:
            print(f"{path}: ran in {time.monotonic() - started:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
