"""Resolve hub/requirements.lock from hub/requirements.in (`make hub-lock`).

The hub's packages (JupyterHub, nbgitpuller, the idle culler) are locked apart from requirements.lock, so `make lab`
installs none of them; every package the two locks share is held at requirements.lock's version, so installing the
hub never moves a package the lessons were tested with. Same resolver, options and hashes as tools/install.py lock.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

HUB = Path(__file__).resolve().parent
REPO = HUB.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+==[^\s;\\]+)(\s*;[^\\]+?)?\s*\\?$")


def _installer():
    spec = importlib.util.spec_from_file_location("csto_install", REPO / "tools" / "install.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def constraints(lock_text: str) -> str:
    """requirements.lock's pins (with their markers), without hashes: the constraints of the hub's resolution."""
    pins = []
    for line in lock_text.splitlines():
        match = PIN.match(line)
        if match:
            pins.append(match.group(1) + (match.group(2) or ""))
    return "\n".join(pins) + "\n"


def main() -> int:
    installer = _installer()
    venv = REPO / ".venv"
    uv, options, env = installer.uv_command(venv, str(venv / "bin" / "python"))
    main_index = [o for pair in zip(options, options[1:]) if pair[0] == "--default-index" for o in pair]
    pinned = REPO / "build" / "hub-constraints.txt"
    pinned.parent.mkdir(parents=True, exist_ok=True)
    pinned.write_text(constraints(installer.LOCK.read_text(encoding="utf-8")), encoding="utf-8")
    options = [o for o in installer.LOCK_OPTIONS if o not in ("--extra", "test")]
    subprocess.run([uv, "pip", "compile", *options, *main_index, "--custom-compile-command", "make hub-lock",
                    "-c", str(pinned), str(HUB / "requirements.in"), "-o", str(HUB / "requirements.lock")],
                   env=env, check=True, cwd=REPO)
    return 0


if __name__ == "__main__":
    sys.exit(main())
