"""environment.yml and pyproject.toml must describe the same environment."""

import re
import tomllib

import pytest

from utils.paths import REPO_ROOT

REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")


def _parse(requirement: str) -> tuple[str, str]:
    name, bounds = REQUIREMENT.match(requirement).groups()
    return name.lower().replace("_", "-"), bounds.replace(" ", "")


def _pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    return dict(_parse(r) for r in requirements)


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
            conda[name] = bounds
    return conda, pip


def test_same_packages_and_bounds():
    conda, _ = _conda_requirements()
    conda.pop("python", None)
    conda.pop("pip", None)
    assert conda == _pyproject_requirements()


def test_pip_section_installs_the_project():
    _, pip = _conda_requirements()
    assert "-e ." in pip


@pytest.mark.parametrize("package", ["pandas", "seaborn", "matplotlib", "ipywidgets", "jupyterlab", "nbval"])
def test_core_packages_have_upper_bounds(package):
    bounds = _pyproject_requirements()[package]
    assert "<" in bounds and ">=" in bounds, f"{package} should be pinned to a known-good range, got {bounds!r}"
