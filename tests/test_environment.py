"""One environment: pyproject.toml's bounds, the lock the tests pass with, environment.yml, Binder and the installer.

- environment.yml names the same packages with the same bounds as pyproject.toml;
- requirements.lock pins every declared package inside its bounds, and what is installed is what it pins;
- the lower bounds were last tested (``make floor``) exactly as they stand;
- the installer hands uv the package sources pip is configured with, or leaves the job to pip;
- the files Binder reads install the project in a fresh environment where the start notebook runs;
- the fast suite does not need Playwright.
"""

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.version import Version

from utils.paths import REPO_ROOT

REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")
LOCK_LINE = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def _load_installer():
    spec = importlib.util.spec_from_file_location("csto_install", REPO_ROOT / "tools" / "install.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


installer = _load_installer()


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _parse(requirement: str) -> tuple[str, str]:
    name, bounds = REQUIREMENT.match(requirement).groups()
    return _name(name), bounds.replace(" ", "")


def _declared() -> list[str]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    return requirements


def _pyproject_requirements() -> dict[str, str]:
    return dict(_parse(r) for r in _declared())


#: conda-forge names that differ from the PyPI names in pyproject.toml (conda-forge's "playwright" is not the Python
#: package: Microsoft's own channel used that name; conda-forge ships the Python package as playwright-python).
CONDA_FORGE_NAMES = {"playwright": "playwright-python"}


def _conda_requirements() -> tuple[dict[str, str], list[str]]:
    # PyYAML comes with frictionless, one of the project's dependencies.
    import yaml

    spec = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    conda, pip = {}, []
    for item in spec["dependencies"]:
        if isinstance(item, dict):
            pip += item.get("pip", [])
        else:
            name, bounds = _parse(item)
            pypi_name = {conda_name: pypi for pypi, conda_name in CONDA_FORGE_NAMES.items()}.get(name, name)
            conda[pypi_name] = bounds
    return conda, pip


def _lock(path: Path) -> dict[str, str]:
    """{name: version} of the lock's entries that apply to this interpreter and platform."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = LOCK_LINE.match(line)
        if match:
            name, version, marker = match.groups()
            if marker is None or Marker(marker).evaluate():
                pins[_name(name)] = version
    return pins


# ------------------------------------------------------------------------------------------------ bounds and lock


def test_same_packages_and_bounds():
    conda, _ = _conda_requirements()
    conda.pop("python", None)
    conda.pop("pip", None)
    assert conda == _pyproject_requirements()


def test_conda_names_are_conda_forges():
    import yaml

    spec = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    conda_names = {_parse(item)[0] for item in spec["dependencies"] if isinstance(item, str)}
    for pypi, conda_name in CONDA_FORGE_NAMES.items():
        assert pypi not in conda_names and conda_name in conda_names, f"environment.yml should name {conda_name}"


def test_pip_section_installs_the_project():
    _, pip = _conda_requirements()
    assert "-e ." in pip


@pytest.mark.parametrize("package", ["pandas", "seaborn", "matplotlib", "ipywidgets", "jupyterlab", "nbval"])
def test_core_packages_have_upper_bounds(package):
    bounds = _pyproject_requirements()[package]
    assert "<" in bounds and ">=" in bounds, f"{package} should be pinned to a known-good range, got {bounds!r}"


def test_lock_pins_every_declared_package_within_its_bounds():
    pins = _lock(installer.LOCK)
    for text in _declared():
        requirement = Requirement(text)
        name = _name(requirement.name)
        assert name in pins, f"requirements.lock has no {name}: run make lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock pins {name}=={pins[name]}, outside pyproject.toml's {requirement.specifier}"
        )


def test_installed_versions_equal_the_lock():
    """What runs is what the tests passed with: every locked package is installed at its locked version.

    ``make floor`` runs this suite in the floor environment and points CSTO_LOCK at the floor versions.
    """
    lock = Path(os.environ.get("CSTO_LOCK", installer.LOCK))
    wrong = {}
    for name, version in _lock(lock).items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "missing"
        if installed != version:
            wrong[name] = f"{installed} (locked {version})"
    assert not wrong, f"installed versions differ from {lock.name}: {wrong}; run make install"


def test_floor_run_is_current():
    recorded = installer.recorded_floor_hash()
    assert recorded is not None, "no floor run recorded: run make floor"
    assert recorded == installer.bounds_hash(), (
        "pyproject.toml's bounds changed since the last floor run: run make floor (it installs the lowest allowed "
        "versions, runs the fast suite and records the pass in requirements-floor.lock)"
    )


def test_floor_lock_is_at_the_lower_bounds():
    """The recorded floor installs each declared package at exactly its lower bound."""
    pins = _lock(installer.FLOOR_LOCK)
    for text in _declared():
        requirement = Requirement(text)
        lower = [s.version for s in requirement.specifier if s.operator == ">="]
        name = _name(requirement.name)
        assert lower, f"{name} has no lower bound in pyproject.toml"
        assert name in pins and Version(pins[name]) == Version(lower[0]), (
            f"requirements-floor.lock has {name}=={pins.get(name)}, not its lower bound {lower[0]}"
        )


def test_bounds_hash_follows_the_bounds(monkeypatch, tmp_path):
    """The floor check can fail: a changed bound gives another hash."""
    original = installer.bounds_hash()
    text = (REPO_ROOT / "pyproject.toml").read_text().replace('"pandas>=', '"pandas>=0.1,')
    (tmp_path / "pyproject.toml").write_text(text)
    monkeypatch.setattr(installer, "REPO", tmp_path)
    assert installer.bounds_hash() != original


# ------------------------------------------------------------------------------------------------ the installer

MIRROR_CONFIG = """\
:env:.find-links='/opt/wheels'
:env:.default-timeout='180'
global.cert='/etc/ssl/certs/ca-certificates.crt'
global.constraint='/etc/xdg/pip/constraints.txt'
global.extra-index-url='file:///opt/pypi/simple file:///opt/pypi-more/simple'
global.find-links='/somewhere/else'
"""


def test_pip_config_is_read_with_pips_precedence():
    settings = installer.parse_pip_config_list(MIRROR_CONFIG)
    assert settings["find-links"] == "/opt/wheels"  # PIP_FIND_LINKS wins over the config file
    assert settings["extra-index-url"] == "file:///opt/pypi/simple file:///opt/pypi-more/simple"


def test_uv_gets_pips_package_sources():
    options, env = installer.uv_index_options(installer.parse_pip_config_list(MIRROR_CONFIG))
    pairs = list(zip(options, options[1:]))
    assert ("--index", "file:///opt/pypi/simple") in pairs and ("--index", "file:///opt/pypi-more/simple") in pairs
    assert ("--index-strategy", "unsafe-best-match") in pairs  # pip's way: best version across all indexes
    assert ("--find-links", "/opt/wheels") in pairs
    assert ("--constraint", "/etc/xdg/pip/constraints.txt") in pairs
    assert env == {"SSL_CERT_FILE": "/etc/ssl/certs/ca-certificates.crt", "UV_HTTP_TIMEOUT": "180"}


def test_a_setting_uv_cannot_honour_leaves_the_job_to_pip():
    with pytest.raises(installer.CannotUseUv, match="client-cert"):
        installer.uv_index_options({"index-url": "https://mirror.example/simple", "client-cert": "/me.pem"})


def test_no_uv_to_be_had_falls_back_to_pip(monkeypatch, tmp_path, capsys):
    """uv missing and not installable: pip installs the same lock, and one line says so."""
    calls = []

    def fail_to_find(venv, python):
        raise installer.CannotUseUv("uv 0.0 could not be installed (no network)")

    monkeypatch.setattr(installer, "find_uv", fail_to_find)
    monkeypatch.setattr(installer, "pip_settings", lambda python: {})
    monkeypatch.setattr(installer, "install_with_pip", lambda venv, lock: calls.append((venv, lock)))
    used = installer.install(tmp_path, installer.LOCK, "auto")
    assert used == "pip" and calls == [(tmp_path, installer.LOCK)]
    lines = [line for line in capsys.readouterr().out.splitlines() if "pip instead" in line]
    assert len(lines) == 1 and "could not be installed" in lines[0]


# ------------------------------------------------------------------------------------------------ browser tests


def test_fast_suite_does_not_import_playwright():
    """With ``-m "not browser"`` the browser test files are not even collected, so Playwright may be absent."""
    code = (
        "import sys; sys.modules['playwright'] = None\n"  # any import of playwright now fails
        "import pytest\n"
        "sys.exit(pytest.main(['-p', 'no:cacheprovider', '-p', 'no:xdist', '-q', '--co', '-m', 'not browser', "
        "'tests/browser']))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True)
    assert done.returncode == 5, f"collecting tests/browser without Playwright failed:\n{done.stdout[-2000:]}"
    assert "error" not in done.stdout.lower()


# ------------------------------------------------------------------------------------------------ Binder


def test_binder_installs_the_lock_without_the_test_tools():
    """binder/requirements.txt is what the lock gives for the runtime requirements, byte for byte."""
    written = (REPO_ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8")
    expected = installer.binder_requirements(installer.LOCK.read_text(encoding="utf-8"), installer.runtime_requirements())
    assert written == expected, "binder/requirements.txt differs from the lock: run python tools/install.py binder"
    assert "-r " not in written  # a file of its own, so repo2docker can install it before copying the repository


def test_binder_copy_keeps_every_runtime_package_and_drops_the_test_tools():
    binder = _lock(REPO_ROOT / "binder" / "requirements.txt")
    lock = _lock(installer.LOCK)
    for requirement in installer.runtime_requirements():
        name = _name(Requirement(requirement).name)
        assert binder.get(name) == lock[name], f"Binder's copy lacks {name} at the locked version"
    # nbformat and nbconvert are test requirements too, but Jupyter itself needs them: they stay.
    assert {"nbformat", "nbconvert", "jupyterlab-widgets"} <= binder.keys()
    assert not {"pytest", "pytest-xdist", "nbval", "playwright", "pypdf", "execnet"} & binder.keys()
    assert all(version == lock[name] for name, version in binder.items())


def test_binder_copy_follows_the_lock_when_a_test_tool_is_added():
    """The copy is derived, not listed: a new test-only package and what only it needs stay out of it."""
    extra = (
        "pytest-timeout==2.4.0 \\\n    --hash=sha256:00\n    # via csto-notebooks (pyproject.toml)\n"
        "only-for-timeout==1.0 \\\n    --hash=sha256:11\n    # via pytest-timeout\n"
        "shared-helper==1.0 \\\n    --hash=sha256:22\n    # via\n    #   pytest-timeout\n    #   seaborn\n"
    )
    text = installer.binder_requirements(installer.LOCK.read_text(encoding="utf-8") + extra,
                                         installer.runtime_requirements())
    assert "shared-helper==1.0" in text
    assert "pytest-timeout==" not in text and "only-for-timeout==" not in text


def test_binder_postbuild_has_no_branch_that_cannot_run():
    """repo2docker gives Python 3 one environment for server and kernel: nothing in postBuild may wait for two."""
    assert "KERNEL_PYTHON_PREFIX" not in (REPO_ROOT / "binder" / "postBuild").read_text(encoding="utf-8")


def test_binder_files_install_the_project_and_the_start_notebook_runs(tmp_path):
    """What repo2docker does with binder/, in a fresh venv: install requirements.txt, run postBuild, run 00."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    requirements = REPO_ROOT / "binder" / "requirements.txt"
    assert (REPO_ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    uv = shutil.which("uv") or shutil.which("uv", path=str(Path(sys.executable).parent))
    if uv:  # the same file through uv, with pip's package sources: seconds instead of a minute
        options, env = installer.uv_index_options(installer.pip_settings(sys.executable))
        subprocess.run([uv, "pip", "install", "--quiet", "--python", python, *options, "-r", str(requirements)],
                       check=True, env={**os.environ, **env})
    else:
        subprocess.run([python, "-m", "pip", "install", "--quiet", "-r", str(requirements)], check=True)
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}", "VIRTUAL_ENV": str(venv)}
    env.pop("JUPYTER_CONFIG_PATH", None)
    subprocess.run(["bash", str(REPO_ROOT / "binder" / "postBuild")], cwd=REPO_ROOT, env=env, check=True,
                   capture_output=True)
    # binder/start gives the server the project's Jupyter settings.
    paths = subprocess.run([str(REPO_ROOT / "binder" / "start"), python, "-m", "jupyter", "--paths", "--json"],
                           env=env, capture_output=True, text=True, check=True)
    assert json.loads(paths.stdout)["config"][0] == str(REPO_ROOT / "jupyter_config")
    run = (
        "import nbformat, sys\n"
        "from nbclient import NotebookClient\n"
        "nb = nbformat.read(sys.argv[1], as_version=4)\n"
        "NotebookClient(nb, timeout=300, kernel_name='python3', resources={'metadata': {'path': sys.argv[2]}}).execute()\n"
        "from jupyter_client.kernelspec import KernelSpecManager\n"
        "print(KernelSpecManager().get_kernel_spec('python3').argv[0])\n"
    )
    start = REPO_ROOT / "notebooks" / "00_start_here.ipynb"
    done = subprocess.run([python, "-c", run, str(start), str(start.parent)], env=env, capture_output=True, text=True,
                          cwd=tmp_path)
    assert done.returncode == 0, f"00_start_here.ipynb failed in the Binder environment:\n{done.stderr[-3000:]}"
    assert done.stdout.strip().splitlines()[-1] == python  # the kernel is the Binder environment itself
