"""Simulated students: start a rehearsal hub and drive it over HTTP as a browser would.

A :class:`Student` logs in through the hub's login form (with its XSRF token), follows the course's nbgitpuller link
(waiting while the hub starts their server, then reading nbgitpuller's progress stream as its page does), opens the
lesson, and runs it cell by cell in a kernel of their own through the Jupyter server's REST and websocket API, as
JupyterLab's Run All does. :func:`running_hub` starts ``hub/launch.py`` and, however it ends, stops every process the
hub started. Used by tests/test_hub.py and benchmarks/hub.py; only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import requests
import websocket

HUB_DIR = Path(__file__).resolve().parent
REPO = HUB_DIR.parent
LOGIN_ERROR = re.compile(r'<p class="login_error">(.*?)</p>', re.DOTALL)
XSRF_FIELD = re.compile(r'name="_xsrf" value="([^"]+)"')


class StudentError(Exception):
    """Something a student would see go wrong (a refused login, a failed pull, a cell that raised)."""


class KernelDied(StudentError):
    """The student's kernel died while a cell ran."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ------------------------------------------------------------------------------------------------ the hub


def hub_processes(state: Path) -> list[int]:
    """Every live process started for the hub whose state folder is ``state`` (their environment names it)."""
    marker = f"CSTO_HUB_DIR={state}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:  # gone, or not ours to read
            continue
    return found


@contextlib.contextmanager
def running_hub(state: Path, repo: Path | str, password: str, port: int | None = None,
                branch: str = "main", idle_seconds: int = 3600, log: Path | None = None) -> Iterator[str]:
    """A rehearsal hub on 127.0.0.1 whose logins pull ``repo``; yields its URL. Stops all its processes on exit."""
    state = state.resolve()
    port = port or free_port()
    env = {**os.environ, "CSTO_HUB_PASSWORD": password, "HUB_PORT": str(port), "CSTO_HUB_DIR": str(state),
           "CSTO_HUB_REPO": str(repo), "CSTO_HUB_BRANCH": branch, "CSTO_HUB_IDLE": str(idle_seconds),
           "JUPYTER_CONFIG_PATH": str(REPO / "jupyter_config")}
    state.mkdir(parents=True, exist_ok=True)
    log = log or state / "hub.log"
    with open(log, "ab") as out:
        hub = subprocess.Popen([sys.executable, str(HUB_DIR / "launch.py")], env=env, stdout=out,
                               stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if hub.poll() is not None:
                raise RuntimeError(f"the hub exited with {hub.returncode}; its log: {log}\n"
                                   + log.read_text(errors="replace")[-3000:])
            try:
                if requests.get(f"{url}/hub/api", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the hub did not answer within 90 s; its log: {log}")
            time.sleep(0.3)
        yield url
    finally:
        stop_hub(hub, state)


def stop_hub(hub: subprocess.Popen, state: Path) -> None:
    """SIGTERM lets JupyterHub stop the servers and the proxy it started; whatever is left is then killed."""
    if hub.poll() is None:
        hub.send_signal(signal.SIGTERM)
        try:
            hub.wait(timeout=30)
        except subprocess.TimeoutExpired:
            hub.kill()
            hub.wait()
    deadline = time.monotonic() + 10
    while (left := hub_processes(state)) and time.monotonic() < deadline:
        time.sleep(0.3)
    for pid in hub_processes(state):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


# ------------------------------------------------------------------------------------------------ whose process


def process_owners(state: Path) -> dict[int, str | None]:
    """{pid: the student it serves (JUPYTERHUB_USER), or None for the hub's own (hub, proxy, culler)}."""
    owners = {}
    for pid in hub_processes(state):
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        users = [item.split(b"=", 1)[1].decode() for item in environ if item.startswith(b"JUPYTERHUB_USER=")]
        owners[pid] = users[0] if users else None
    return owners


def student_processes(state: Path, user: str) -> dict[str, list[int]]:
    """The PIDs of ``user``'s single-user server and of their kernels."""
    found: dict[str, list[int]] = {"server": [], "kernel": []}
    for pid, owner in process_owners(state).items():
        if owner != user:
            continue
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if b"ipykernel_launcher" in command:
            found["kernel"].append(pid)
        elif b"jupyterhub-singleuser" in command:
            found["server"].append(pid)
    return found


# ------------------------------------------------------------------------------------------------ a student


class Student:
    """One student's browser: a cookie jar, and what it does on the hub."""

    def __init__(self, hub_url: str, name: str, password: str, timeout: float = 180):
        self.hub = hub_url.rstrip("/")
        self.name = name
        self.password = password
        self.timeout = timeout
        self.http = requests.Session()
        self.server = f"{self.hub}/user/{quote(name)}"

    # --- the hub's pages

    def log_in(self) -> None:
        """Fill in the login form; raises StudentError with the page's message if the hub refuses."""
        form = self.http.get(f"{self.hub}/hub/login", timeout=30)
        token = XSRF_FIELD.search(form.text)
        if not token:
            raise StudentError(f"no XSRF field in the login form (HTTP {form.status_code})")
        answer = self.http.post(f"{self.hub}/hub/login", timeout=self.timeout, data={
            "username": self.name, "password": self.password, "_xsrf": html.unescape(token.group(1))})
        if urlsplit(answer.url).path.endswith("/hub/login"):
            message = LOGIN_ERROR.search(answer.text)
            raise StudentError(message.group(1).strip() if message else f"login refused (HTTP {answer.status_code})")

    def open(self, link: str) -> requests.Response:
        """GET ``link`` as a browser would, waiting on the hub's 'server starting' page until the server answers."""
        page = self.http.get(link, timeout=self.timeout)
        deadline = time.monotonic() + self.timeout
        while "/spawn-pending/" in urlsplit(page.url).path:
            if time.monotonic() > deadline:
                raise StudentError(f"{self.name}'s server did not start within {self.timeout:.0f} s")
            time.sleep(0.5)  # the page's script polls the hub the same way, then goes on to `next`
            target = parse_qs(urlsplit(page.url).query).get("next", [link])[0]
            page = self.http.get(target if "://" in target else self.hub + target, timeout=self.timeout)
        page.raise_for_status()
        return page

    def follow_course_link(self, link: str) -> list[str]:
        """Click the nbgitpuller link: the server starts, the course is cloned or merged, the lesson page opens.

        Returns nbgitpuller's progress lines. Raises StudentError if the pull fails.
        """
        status_page = self.open(link)
        if "/git-pull" not in urlsplit(status_page.url).path:
            raise StudentError(f"the link led to {status_page.url}, not to nbgitpuller")
        query = urlsplit(status_page.url).query
        lines, finished = [], False
        # What the status page's script does: read the pull's event stream, then go to urlpath.
        with self.http.get(f"{self.server}/git-pull/api?{query}", stream=True, timeout=self.timeout) as events:
            events.raise_for_status()
            for raw in events.iter_lines(decode_unicode=True):
                if not raw or not raw.startswith("data:"):
                    continue
                event = json.loads(raw[5:])
                if event.get("output"):
                    lines.append(str(event["output"]).rstrip())
                if event.get("phase") == "error":
                    raise StudentError(f"nbgitpuller failed for {self.name}: {event.get('message')}")
                if event.get("phase") == "finished":
                    finished = True
                    break
        if not finished:
            raise StudentError(f"nbgitpuller's stream ended before the pull finished for {self.name}")
        urlpath = parse_qs(query).get("urlpath", [""])[0]
        self.open(f"{self.server}/{urlpath}")  # the Lab page; it also sets the server's XSRF cookie
        return lines

    # --- the Jupyter server's API

    def _xsrf(self) -> str:
        for cookie in self.http.cookies:
            if cookie.name == "_xsrf" and cookie.path.startswith(f"/user/{self.name}"):
                return cookie.value
        for cookie in self.http.cookies:
            if cookie.name == "_xsrf":
                return cookie.value
        raise StudentError("no XSRF cookie from the server: open a page first")

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"X-XSRFToken": self._xsrf(), **kwargs.pop("headers", {})}
        answer = self.http.request(method, f"{self.server}/api/{path}", headers=headers, timeout=self.timeout,
                                   **kwargs)
        if answer.status_code >= 400:
            raise StudentError(f"{method} {path}: HTTP {answer.status_code} {answer.text[:200]}")
        return answer

    def read_notebook(self, path: str) -> dict:
        return self.api("GET", f"contents/{quote(path)}", params={"content": 1}).json()["content"]

    def save_notebook(self, path: str, notebook: dict) -> None:
        self.api("PUT", f"contents/{quote(path)}", json={"type": "notebook", "format": "json", "content": notebook})

    def rename(self, path: str, new_path: str) -> None:
        self.api("PATCH", f"contents/{quote(path)}", json={"path": new_path})

    def start_kernel(self, path: str) -> str:
        """Open ``path`` with a kernel, as Lab does (a session); returns the kernel's id."""
        session = self.api("POST", "sessions", json={"path": path, "type": "notebook", "name": Path(path).name,
                                                     "kernel": {"name": "python3"}}).json()
        return session["kernel"]["id"]

    def wait_for_kernel(self, kernel_id: str, timeout: float = 60) -> None:
        """Wait until the kernel is back after an automatic restart (its state is 'starting' until first used)."""
        deadline = time.monotonic() + timeout
        while (state := self.api("GET", f"kernels/{kernel_id}").json()["execution_state"]) not in ("idle", "starting"):
            if time.monotonic() > deadline:
                raise StudentError(f"{self.name}'s kernel was still {state!r} after {timeout:.0f} s")
            time.sleep(0.5)

    def run_cells(self, kernel_id: str, sources: list[str], cell_timeout: float = 300,
                  on_cell=None) -> list[list[dict]]:
        """Run each source in the kernel in turn, as Run All does; returns each cell's outputs.

        Stops at the first cell that raises (StudentError) or a kernel that dies (KernelDied).
        ``on_cell(index)`` is called before each cell is sent.
        """
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)
        channel = websocket.create_connection(
            f"ws://{urlsplit(self.hub).netloc}/user/{quote(self.name)}/api/kernels/{kernel_id}/channels"
            f"?session_id={uuid.uuid4().hex}",
            header=[f"Cookie: {cookies}", f"X-XSRFToken: {self._xsrf()}"], origin=self.hub, timeout=cell_timeout)
        session = uuid.uuid4().hex
        results = []
        try:
            for index, source in enumerate(sources):
                if on_cell:
                    on_cell(index)
                results.append(self._execute(channel, session, index, source, cell_timeout))
        finally:
            channel.close()
        return results

    def _execute(self, channel, session: str, index: int, source: str, cell_timeout: float) -> list[dict]:
        msg_id = uuid.uuid4().hex
        channel.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": self.name, "session": session,
                       "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": source, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True},
        }))
        outputs, replied, idle = [], None, False
        deadline = time.monotonic() + cell_timeout
        while replied is None or not idle:
            if time.monotonic() > deadline:
                raise StudentError(f"{self.name}: cell {index} did not finish within {cell_timeout:.0f} s")
            try:
                frame = channel.recv()
            except websocket.WebSocketConnectionClosedException:
                raise KernelDied(f"{self.name}: the kernel's connection closed during cell {index}") from None
            except websocket.WebSocketTimeoutException:
                raise StudentError(f"{self.name}: no message from the kernel for {cell_timeout:.0f} s") from None
            if isinstance(frame, bytes):
                continue  # a message with binary buffers (widget state): nothing a headless run needs
            message = json.loads(frame)
            kind = message["header"]["msg_type"]
            if kind == "status" and message["content"]["execution_state"] in ("restarting", "dead", "autorestarting"):
                raise KernelDied(f"{self.name}: the kernel died during cell {index}")
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if kind == "execute_reply":
                replied = message["content"]
            elif kind == "status" and message["content"]["execution_state"] == "idle":
                idle = True
            elif kind in ("stream", "display_data", "execute_result", "error"):
                output = {"output_type": kind, **message["content"]}
                output.pop("transient", None)
                outputs.append(output)
        if replied.get("status") == "error":
            raise StudentError(f"{self.name}: cell {index} raised {replied.get('ename')}: {replied.get('evalue')}")
        return outputs

    def run_notebook(self, path: str, cell_timeout: float = 300, on_cell=None) -> dict:
        """Open the notebook at ``path`` with a kernel and Run All; returns the notebook with its new outputs."""
        notebook = self.read_notebook(path)
        code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
        kernel = self.start_kernel(path)
        outputs = self.run_cells(kernel, ["".join(cell["source"]) for cell in code], cell_timeout, on_cell)
        for count, (cell, cell_outputs) in enumerate(zip(code, outputs), start=1):
            cell["outputs"] = [_as_nbformat(output, count) for output in cell_outputs]
            cell["execution_count"] = count
        return notebook


def _as_nbformat(output: dict, count: int) -> dict:
    """A kernel message's content as the notebook stores it."""
    kind = output["output_type"]
    if kind == "stream":
        return {"output_type": "stream", "name": output["name"], "text": output["text"]}
    if kind == "error":
        return {"output_type": "error", "ename": output["ename"], "evalue": output["evalue"],
                "traceback": output["traceback"]}
    stored = {"output_type": kind, "data": output.get("data", {}), "metadata": output.get("metadata", {})}
    if kind == "execute_result":
        stored["execution_count"] = count
    return stored
