"""Start the rehearsal hub (`make hub`) after checking what a hub needs, each problem told in one line.

    CSTO_HUB_PASSWORD=... [HUB_PORT=8000] .venv/bin/python hub/launch.py

Checks, in order: the password is set (never a default), the port is a free port on 127.0.0.1, JupyterHub and the
proxy are installed. Then JupyterHub runs in the foreground with hub/jupyterhub_config.py until Ctrl-C.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import sys
from pathlib import Path

HUB = Path(__file__).resolve().parent
REPO = HUB.parent
PROXY = HUB / "node_modules" / ".bin" / "configurable-http-proxy"
MIN_PASSWORD = 8  # JupyterHub's shared-password authenticator refuses shorter ones


class CannotStart(Exception):
    """Why the hub cannot start (the one line printed)."""


def check_password(environ: dict[str, str]) -> None:
    password = environ.get("CSTO_HUB_PASSWORD", "")
    if not password:
        raise CannotStart("set CSTO_HUB_PASSWORD to the password students will log in with "
                          f"({MIN_PASSWORD}+ characters), e.g. CSTO_HUB_PASSWORD='pick-one' make hub")
    if len(password) < MIN_PASSWORD:
        raise CannotStart(f"CSTO_HUB_PASSWORD is {len(password)} characters long; use {MIN_PASSWORD} or more")


def check_port(environ: dict[str, str]) -> int:
    text = environ.get("HUB_PORT") or "8000"
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise CannotStart(f"HUB_PORT={text!r} is not a port number (1-65535)")
    port = int(text)
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise CannotStart(f"port {port} on 127.0.0.1 is already in use: stop what runs there or choose another, "
                              f"e.g. HUB_PORT={port + 1} make hub") from None
    return port


def check_installed() -> None:
    if importlib.util.find_spec("jupyterhub") is None or importlib.util.find_spec("nbgitpuller") is None:
        raise CannotStart("JupyterHub is not installed in this environment: run make hub (it installs it)")
    if not PROXY.exists():
        raise CannotStart("the proxy (configurable-http-proxy) is not installed in hub/node_modules: run make hub "
                          "(it needs npm)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> int:
    environ = dict(os.environ)
    try:
        check_password(environ)
        port = check_port(environ)
        check_installed()
    except CannotStart as reason:
        print(f"make hub: {reason}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(REPO))
    from utils import course

    state = Path(environ.get("CSTO_HUB_DIR") or REPO / "build" / "hub").resolve()
    state.mkdir(parents=True, exist_ok=True)
    environ.update(HUB_PORT=str(port), CSTO_HUB_DIR=str(state),
                   CSTO_HUB_API_PORT=str(free_port()), CSTO_HUB_PROXY_API_PORT=str(free_port()))
    repo = environ.get("CSTO_HUB_REPO") or course.default_course_repo()
    print(f"\n  Rehearsal hub: http://127.0.0.1:{port}/  (any user name, the password in CSTO_HUB_PASSWORD)\n"
          f"  Each login pulls {repo} into the student's home and opens the start page;\n"
          f"  a lesson's link: python -m utils.course hub-link http://127.0.0.1:{port} --lesson 03\n"
          f"  REHEARSAL ONLY: every student's server runs as this same system user ({state / 'homes'}/NAME);\n"
          f"  students are not isolated from each other. Idle servers stop after an hour. Stop with Ctrl-C.\n",
          flush=True)
    jupyterhub = Path(sys.executable).parent / "jupyterhub"
    os.chdir(state)
    os.execve(str(jupyterhub), [str(jupyterhub), "-f", str(HUB / "jupyterhub_config.py")], environ)
    return 0  # not reached


if __name__ == "__main__":
    raise SystemExit(main())
