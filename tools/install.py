"""Install the locked environment into a venv: fast with uv when it can be had, with pip otherwise.

Run by the Makefile with the venv's own Python (standard library only: nothing is installed yet).

    python tools/install.py install [--venv .venv] [--lock requirements.lock] [--installer auto|uv|pip]
    python tools/install.py lock [--upgrade]      re-resolve requirements.lock within pyproject.toml's bounds (and
                                                  write its copy for Binder)
    python tools/install.py binder                write binder/requirements.txt from requirements.lock
    python tools/install.py floor                 install the lowest allowed versions in .venv-floor, run the
                                                  fast suite there and, if it passes, record it in
                                                  requirements-floor.lock (with the hash of the bounds it tested)

Both installers install exactly the versions of the lock, whose hashes they check, then the project itself (editable,
without dependencies), so the two paths give the same environment. uv is taken from PATH, from the venv, or installed
into the venv with pip (about 3 s). uv does not read pip's configuration, so the index set-up pip is given
(``pip config list``: index-url, extra-index-url, find-links, ...) is handed to uv as options; a setting uv cannot
honour, no uv to be had, or a failing uv install leaves the job to pip, with one line saying why.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LOCK = REPO / "requirements.lock"
FLOOR_LOCK = REPO / "requirements-floor.lock"
#: What Binder installs: the lock without the packages only the tests need (see binder_requirements).
BINDER_REQUIREMENTS = REPO / "binder" / "requirements.txt"
#: The uv release installed into the venv when none is on PATH (a pin, so the fast path does not move either).
UV_VERSION = "0.13.9"
#: The lock: one set of versions for Python 3.11 and newer on every platform, with the hashes of all their files.
LOCK_OPTIONS = ["--universal", "--python-version", "3.11", "--fork-strategy", "fewest", "--generate-hashes",
                "--extra", "test", "--quiet"]
#: The floor: every declared package at its lower bound (what they need at the newest that fits), for this machine's
#: Python and platform, where it is tested.
FLOOR_OPTIONS = ["--resolution", "lowest-direct", "--generate-hashes", "--extra", "test", "--quiet"]
#: The fast suite, as `make test-fast` runs it; the floor environment must pass it.
FAST_SUITE = ["-m", "pytest", "-p", "no:cacheprovider", "-n", "auto", "--dist", "loadfile", "-m", "not browser", "tests"]

#: pip settings that change nothing about where packages come from.
HARMLESS_PIP_SETTINGS = {
    "disable-pip-version-check", "no-python-version-warning", "quiet", "verbose", "progress-bar", "root-user-action",
    "no-warn-script-location", "require-virtualenv", "no-input", "retries", "log", "no-color", "break-system-packages",
    "cache-dir",  # pip's cache; uv keeps its own
}


class CannotUseUv(Exception):
    """Why uv cannot stand in for pip here (printed as the one line of the fallback)."""


# ------------------------------------------------------------------------------------------------ pip's settings


def pip_settings(python: str) -> dict[str, str]:
    """pip's effective settings (files and PIP_* variables), as ``pip config list`` reports them."""
    listed = subprocess.run([python, "-m", "pip", "config", "list"], capture_output=True, text=True, check=True)
    return parse_pip_config_list(listed.stdout)


def parse_pip_config_list(text: str) -> dict[str, str]:
    """``global.extra-index-url='a b'`` lines -> {"extra-index-url": "a b"}; PIP_* variables win, then [install]."""
    rank = {"global": 0, "install": 1, ":env:": 2}
    found: dict[str, tuple[int, str]] = {}
    for line in text.splitlines():
        match = re.match(r"^([^.]+)\.([A-Za-z0-9_-]+)='(.*)'$", line.strip())
        if not match:
            continue
        section, key, value = match.groups()
        if section not in rank:
            continue  # settings of other pip commands (download, wheel, ...)
        key = key.replace("_", "-")
        if key not in found or rank[section] >= found[key][0]:
            found[key] = (rank[section], value)
    return {key: value for key, (_, value) in found.items()}


def _is_true(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def uv_index_options(settings: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """uv options (and environment) giving uv the package sources pip is configured with.

    Raises CannotUseUv naming any setting that uv cannot honour in the same way.
    """
    options: list[str] = []
    env: dict[str, str] = {}
    unknown = []
    for key, value in settings.items():
        items = value.split()
        if key == "index-url":
            options += ["--default-index", value.strip()]
        elif key == "extra-index-url":
            for url in items:
                options += ["--index", url]
            # pip picks the best version across all its indexes; uv by default stops at the first index that has a
            # package. The lock's hashes make pip's way safe here.
            options += ["--index-strategy", "unsafe-best-match"]
        elif key == "find-links":
            for location in items:
                options += ["--find-links", location]
        elif key == "no-index":
            if _is_true(value):
                options.append("--no-index")
        elif key == "trusted-host":
            for host in items:
                options += ["--allow-insecure-host", host]
        elif key == "constraint":
            for path in items:
                options += ["--constraint", path]
        elif key == "cert":
            env["SSL_CERT_FILE"] = value.strip()
        elif key in ("timeout", "default-timeout"):
            env["UV_HTTP_TIMEOUT"] = value.strip()
        elif key == "no-cache-dir":
            if _is_true(value):
                options.append("--no-cache")
        elif key == "proxy":
            env["HTTPS_PROXY"] = env["HTTP_PROXY"] = value.strip()
        elif key not in HARMLESS_PIP_SETTINGS:
            unknown.append(key)
    if unknown:
        raise CannotUseUv(f"pip is configured with {', '.join(sorted(unknown))}, which uv cannot be given")
    return options, env


# ------------------------------------------------------------------------------------------------ finding uv


def find_uv(venv: Path, python: str) -> str:
    """uv from PATH or the venv; else install the pinned uv into the venv with pip (pip's own index set-up)."""
    for candidate in (shutil.which("uv"), venv / "bin" / "uv"):
        if candidate and Path(candidate).exists():
            return str(candidate)
    result = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", f"uv=={UV_VERSION}"],
        capture_output=True, text=True,
    )
    if result.returncode != 0 or not (venv / "bin" / "uv").exists():
        reason = (result.stderr.strip().splitlines() or ["no uv wheel for this platform"])[-1]
        raise CannotUseUv(f"uv {UV_VERSION} could not be installed ({reason[:120]})")
    return str(venv / "bin" / "uv")


def uv_command(venv: Path, python: str) -> tuple[str, list[str], dict[str, str]]:
    """The uv executable, the index options pip would use, and the environment to run uv in."""
    options, env = uv_index_options(pip_settings(python))  # before fetching uv: a refusal costs nothing
    return find_uv(venv, python), options, {**os.environ, **env}


# ------------------------------------------------------------------------------------------------ installing


def install_with_uv(venv: Path, lock: Path) -> None:
    python = str(venv / "bin" / "python")
    uv, options, env = uv_command(venv, python)
    base = [uv, "pip", "install", "--python", python, "--quiet", *options]
    # uv checks every hash the lock gives (--verify-hashes is its default); --require-hashes would also demand
    # pins of pip's configured constraints, which are not requirements.
    subprocess.run([*base, "--verify-hashes", "-r", str(lock)], env=env, check=True, cwd=REPO)
    subprocess.run([*base, "--no-deps", "-e", str(REPO)], env=env, check=True, cwd=REPO)


def install_with_pip(venv: Path, lock: Path) -> None:
    python = str(venv / "bin" / "python")
    base = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*base, "--require-hashes", "-r", str(lock)], check=True, cwd=REPO)
    subprocess.run([*base, "--no-deps", "-e", str(REPO)], check=True, cwd=REPO)


def install(venv: Path, lock: Path, installer: str) -> str:
    """Install ``lock`` and the project into ``venv``; returns the installer that did it."""
    start = time.perf_counter()
    used = "pip"
    if installer in ("auto", "uv"):
        try:
            install_with_uv(venv, lock)
            used = "uv"
        except (CannotUseUv, subprocess.CalledProcessError, OSError) as error:
            if installer == "uv":
                raise
            reason = error if isinstance(error, CannotUseUv) else "uv failed"
            print(f"  {reason}: installing with pip instead (about a minute).", flush=True)
    if used == "pip":
        install_with_pip(venv, lock)
    print(f"  installed {lock.name} with {used} in {time.perf_counter() - start:.0f} s", flush=True)
    return used


# ------------------------------------------------------------------------------------------------ lock and floor


def compile_lock(venv: Path, output: Path, extra: list[str], remake: str = "make upgrade",
                 compile_options: list[str] = LOCK_OPTIONS) -> None:
    """Resolve pyproject.toml's dependencies (with the test extra) into ``output``, with hashes.

    An existing ``output`` keeps its versions where they still fit (uv's rule), unless ``extra`` says --upgrade.
    """
    python = str(venv / "bin" / "python")
    uv, options, env = uv_command(venv, python)
    # Resolve against the main index only (PyPI unless pip is given another index-url): an extra local mirror
    # usually holds only this machine's wheels, and the lock must carry the hashes of every platform's files.
    main_index = [o for pair in zip(options, options[1:]) if pair[0] == "--default-index" for o in pair]
    command = [uv, "pip", "compile", *compile_options, *main_index, *extra,
               "--custom-compile-command", remake, "pyproject.toml", "-o", str(output)]
    subprocess.run(command, env=env, check=True, cwd=REPO)


def bounds() -> list[str]:
    """Every requirement pyproject.toml declares (dependencies and extras), normalised and sorted."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    requirements.append(f"python{project['requires-python']}")
    return sorted(r.replace(" ", "").lower() for r in requirements)


def bounds_hash() -> str:
    return hashlib.sha256("\n".join(bounds()).encode()).hexdigest()


def recorded_floor_hash(path: Path = FLOOR_LOCK) -> str | None:
    """The bounds hash recorded in the floor lock by the last passing floor run, if any."""
    if not path.exists():
        return None
    match = re.search(r"^# bounds-sha256: ([0-9a-f]{64})$", path.read_text(encoding="utf-8"), re.MULTILINE)
    return match.group(1) if match else None


def floor(venv: Path) -> int:
    """Lowest allowed versions into .venv-floor, the fast suite there, and the record of a pass."""
    floor_venv = REPO / ".venv-floor"
    candidate = REPO / "build" / "requirements-floor.candidate"
    candidate.parent.mkdir(parents=True, exist_ok=True)
    candidate.unlink(missing_ok=True)  # resolve afresh, not from the last candidate's versions
    compile_lock(venv, candidate, [], remake="make floor", compile_options=FLOOR_OPTIONS)
    if floor_venv.exists():
        shutil.rmtree(floor_venv)
    subprocess.run([sys.executable, "-m", "venv", str(floor_venv)], check=True)
    install(floor_venv, candidate, "auto")
    python = str(floor_venv / "bin" / "python")
    subprocess.run([python, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3",
                    "--display-name", "Python 3 (ipykernel)"], check=True, capture_output=True)
    print("  running the fast suite against the floor versions ...", flush=True)
    # CSTO_LOCK: the suite checks the installed versions against the floor, not against requirements.lock.
    env = {**os.environ, "JUPYTER_CONFIG_PATH": str(REPO / "jupyter_config"), "CSTO_LOCK": str(candidate)}
    # The checks of the floor record itself are left out: the record is what this run writes.
    record_checks = [f"--deselect=tests/test_environment.py::{name}"
                     for name in ("test_floor_run_is_current", "test_floor_lock_is_at_the_lower_bounds")]
    result = subprocess.run([python, *FAST_SUITE, *record_checks], cwd=REPO, env=env, capture_output=True, text=True)
    summary = (result.stdout.strip().splitlines() or ["(no output)"])[-1].strip("= ")
    if result.returncode != 0:
        print(result.stdout[-6000:])
        print(f"  the floor versions FAIL the fast suite ({summary}); raise the bounds in pyproject.toml "
              "(or make the code work at the floor) and run make floor again.")
        return 1
    header = (
        "# The lowest versions pyproject.toml allows (uv pip compile --resolution lowest-direct), written by\n"
        "# `make floor` after the fast suite passed with them. Do not edit: change the bounds and run make floor.\n"
        f"# bounds-sha256: {bounds_hash()}\n"
        f"# fast suite: {summary} (Python {platform_python(python)})\n"
    )
    FLOOR_LOCK.write_text(header + candidate.read_text(encoding="utf-8"), encoding="utf-8")
    print(f"  floor versions pass the fast suite ({summary}); recorded in {FLOOR_LOCK.name}")
    return 0


# ------------------------------------------------------------------------------------------------ Binder's copy

PROJECT = "csto-notebooks (pyproject.toml)"
BINDER_HEADER = """\
# What Binder (repo2docker) installs: requirements.lock without the packages only the tests need (pytest, nbval,
# Playwright, ...), same versions and hashes. Written by `make lock` / `make upgrade` (python tools/install.py binder);
# do not edit: tests/test_environment.py checks that it is what the lock gives. A file of its own, not a reference
# to ../requirements.lock, so that repo2docker installs it before copying the repository and caches that layer.
"""


def lock_entries(text: str) -> dict[str, tuple[str, set[str]]]:
    """{name: (the entry's lines, the names of the packages it is there for)} of a uv lock with "# via" comments."""
    entries: dict[str, tuple[list[str], set[str]]] = {}
    current = None
    for line in text.splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            current = re.split(r"[=<>!~; ]", line, maxsplit=1)[0].lower()
            entries[current] = ([line], set())
        elif current and line.startswith("    "):
            entries[current][0].append(line)
            via = re.sub(r"^\s*#\s*(via\s*)?", "", line) if line.lstrip().startswith("#") else ""
            if via:
                entries[current][1].add(PROJECT if via == PROJECT else via.split()[0].lower())
    return {name: ("\n".join(lines), parents) for name, (lines, parents) in entries.items()}


def binder_requirements(lock_text: str, runtime: list[str]) -> str:
    """The lock's entries that the ``runtime`` requirements need, following its "# via" comments.

    A package is kept when one of the packages it is there for is kept (or when the project asks for it by a
    runtime requirement); the test extra's packages, and what only they need, fall away. The universal lock's
    markers and hashes are kept as they are.
    """
    entries = lock_entries(lock_text)
    kept = {re.split(r"[=<>!~; \[]", requirement, maxsplit=1)[0].lower().replace("_", "-") for requirement in runtime}
    missing = kept - entries.keys()
    if missing:
        raise ValueError(f"requirements.lock has no {', '.join(sorted(missing))}: run make lock")
    grew = True
    while grew:
        grew = False
        for name, (_, parents) in entries.items():
            if name not in kept and parents & kept:
                kept.add(name)
                grew = True
    return BINDER_HEADER + "".join(block + "\n" for name, (block, _) in entries.items() if name in kept)


def runtime_requirements() -> list[str]:
    """pyproject.toml's dependencies, without its optional extras (the tests')."""
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]


def write_binder_requirements() -> None:
    text = binder_requirements(LOCK.read_text(encoding="utf-8"), runtime_requirements())
    BINDER_REQUIREMENTS.write_text(text, encoding="utf-8")
    print(f"  wrote {BINDER_REQUIREMENTS.relative_to(REPO)} ({text.count('==')} packages of the lock)")


def platform_python(python: str) -> str:
    return subprocess.run([python, "-c", "import platform; print(platform.python_version())"],
                          capture_output=True, text=True, check=True).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["install", "lock", "floor", "binder", "bounds-hash"])
    parser.add_argument("--venv", type=Path, default=REPO / ".venv")
    parser.add_argument("--lock", type=Path, default=LOCK)
    parser.add_argument("--installer", choices=["auto", "uv", "pip"], default=os.environ.get("INSTALLER", "auto"))
    parser.add_argument("--upgrade", action="store_true", help="lock: newest versions within the bounds")
    args = parser.parse_args(argv)
    if args.command == "install":
        try:
            install(args.venv, args.lock, args.installer)
        except CannotUseUv as reason:  # INSTALLER=uv asked for uv, and it cannot be used here
            print(f"  {reason}", file=sys.stderr)
            return 1
    elif args.command in ("lock", "floor"):
        try:
            if args.command == "floor":
                return floor(args.venv)
            compile_lock(args.venv, LOCK, ["--upgrade"] if args.upgrade else [])
            write_binder_requirements()
        except CannotUseUv as reason:  # resolving needs uv
            print(f"  {reason}: {args.command} needs uv", file=sys.stderr)
            return 1
    elif args.command == "binder":
        write_binder_requirements()
    else:
        print(bounds_hash())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
