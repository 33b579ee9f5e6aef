"""What a publisher checks before release: the citation, the changelog and the licences agree with the project.

- CITATION.cff names the project as author, the repository the Binder badge launches, both licences, and the
  version and date that pyproject.toml, utils.__version__ and the newest CHANGELOG entry give;
- LICENSE-content and the README name every table in data/.
"""

import datetime
import re
import tomllib

import yaml

import utils
from utils.paths import REPO_ROOT

CITATION = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
BINDER_BADGE = re.compile(r"https://mybinder\.org/v2/gh/([\w.-]+)/([\w.-]+)/")
CHANGELOG_ENTRY = re.compile(r"^## (\d+\.\d+\.\d+) — (\d{4}-\d{2}-\d{2})$", re.MULTILINE)


def _tables() -> list[str]:
    return sorted(p.name.removesuffix(".resource.json") for p in (REPO_ROOT / "data").glob("*.resource.json"))


def test_citation_names_the_project_not_a_placeholder():
    names = [author.get("name", "") for author in CITATION["authors"]]
    assert names and all(names), "CITATION.cff needs an author"
    assert not any(re.search(r"\bauthors?\b|TODO|example", name, re.IGNORECASE) for name in names), names


def test_citation_repository_is_the_one_binder_launches():
    owner, name = BINDER_BADGE.search((REPO_ROOT / "README.md").read_text(encoding="utf-8")).groups()
    assert CITATION["repository-code"] == f"https://github.com/{owner}/{name}"


def test_citation_gives_both_licences():
    assert set(CITATION["license"]) == {"MIT", "CC-BY-4.0"}


def test_one_version_and_date_everywhere():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    version, released = CHANGELOG_ENTRY.search((REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")).groups()
    assert str(CITATION["version"]) == project["version"] == utils.__version__ == version
    assert CITATION["date-released"] == datetime.date.fromisoformat(released)


def test_licence_file_and_readme_name_every_table():
    licence = (REPO_ROOT / "LICENSE-content").read_text(encoding="utf-8")
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for table in _tables():
        assert re.search(rf"\b{table}\b", licence), f"LICENSE-content does not name the table {table}"
        assert re.search(rf"`{table}`", readme), f"the README does not name the table `{table}`"
