"""Executing notebooks headless (tests, the static site, the benchmark) without the widget hang.

nbclient waits for a cell's reply with one long ``get_msg(timeout=...)`` on the kernel's shell channel. With
ipywidgets in the cell, that wait sometimes returns only when the whole timeout has run out although the reply has
long arrived (about one run in ten here; jupyter/nbclient issue #312). :class:`ShellPolling` asks for the reply in
short slices instead, so a cell ends as soon as its reply is there. JupyterLab is not affected: it is only the
headless executor.
"""

from __future__ import annotations

import time
from pathlib import Path
from queue import Empty

import nbformat
from nbclient import NotebookClient

#: Longest single wait on the shell channel, in seconds.
POLL_SLICE = 0.2


class ShellPolling:
    """Mixin for :class:`nbclient.NotebookClient` (and nbconvert's ExecutePreprocessor, a subclass of it)."""

    async def async_start_new_kernel_client(self):
        client = await super().async_start_new_kernel_client()
        channel = client.shell_channel
        wait = channel.get_msg

        async def get_msg_in_slices(timeout=None):
            deadline = None if timeout is None else time.monotonic() + timeout
            while True:
                remaining = POLL_SLICE if deadline is None else max(0.0, min(POLL_SLICE, deadline - time.monotonic()))
                try:
                    return await wait(timeout=remaining)
                except Empty:
                    if deadline is not None and time.monotonic() >= deadline:
                        raise

        channel.get_msg = get_msg_in_slices
        return client


class NotebookRunner(ShellPolling, NotebookClient):
    """A NotebookClient that does not hang on cells with widgets."""


def run_notebook(nb: nbformat.NotebookNode, folder: Path, timeout: int = 180) -> nbformat.NotebookNode:
    """Execute ``nb`` in place, in a fresh ``python3`` kernel started in ``folder`` (as JupyterLab would)."""
    NotebookRunner(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    return nb
