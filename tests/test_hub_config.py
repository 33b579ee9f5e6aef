"""The hub's pieces without a running hub: the link command, the launcher's refusals, the config, the locks."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from packaging.requirements import Requirement
from traitlets.config import Config

from utils import course
from utils.paths import REPO_ROOT

HUB = REPO_ROOT / "hub"
LOCK_LINE = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)")


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------------------------------------ the link


def test_the_link_pulls_the_course_into_one_folder_and_opens_the_lesson():
    link = course.hub_link("https://hub.example.edu/", lesson="3", repo="https://github.com/org/course",
                           branch="spring")
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://hub.example.edu/hub/user-redirect/git-pull"
    assert parse_qs(parts.query) == {
        "repo": ["https://github.com/org/course"], "branch": ["spring"], "targetpath": ["csto-notebooks"],
        "urlpath": ["lab/tree/csto-notebooks/notebooks/03_military_spending.ipynb"]}


def test_without_a_lesson_the_link_opens_the_start_page_and_keeps_a_hubs_path_prefix():
    link = course.hub_link("https://uni.example.edu/jupyter", repo="https://github.com/org/course")
    assert link.startswith("https://uni.example.edu/jupyter/hub/user-redirect/git-pull?")
    assert parse_qs(urlsplit(link).query)["urlpath"] == ["lab/tree/csto-notebooks/notebooks/00_start_here.ipynb"]


def test_a_local_clone_is_linked_by_its_absolute_path():
    link = course.hub_link("http://127.0.0.1:8000", repo=str(REPO_ROOT / "notebooks" / ".."))
    assert parse_qs(urlsplit(link).query)["repo"] == [str(REPO_ROOT)]


def test_a_bare_repository_is_a_clone_too(tmp_path):
    # CI clones the course from a bare repository, so "origin" is a folder without a .git inside
    bare = tmp_path / "course.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    link = course.hub_link("http://127.0.0.1:8000", repo=str(bare))
    assert parse_qs(urlsplit(link).query)["repo"] == [str(bare.resolve())]
    with pytest.raises(course.HubLinkError, match="neither a URL nor a git clone"):
        course.hub_link("http://127.0.0.1:8000", repo=str(tmp_path))


@pytest.mark.parametrize("arguments, message", [
    (["hub-link", "hub.example.edu"], "hub-link: hub URL 'hub.example.edu' is not an address like https://"),
    (["hub-link", "https://h.example.edu", "--lesson", "42"], "hub-link: no lesson '42': the lessons are numbered 00, 01"),
    (["hub-link", "https://h.example.edu", "--repo", "/nonexistent/folder"],
     "hub-link: --repo '/nonexistent/folder' is neither a URL nor a git clone on this machine"),
    (["hub-link", "https://h.example.edu", "--repo", "https://x.example/c", "--branch", " "], "hub-link: --branch is empty"),
])
def test_bad_input_to_the_link_command_is_one_line(arguments, message):
    done = subprocess.run([sys.executable, "-m", "utils.course", *arguments], capture_output=True, text=True,
                          cwd=REPO_ROOT)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and done.stderr.startswith(message), done.stderr


def test_the_link_command_prints_the_link():
    done = subprocess.run([sys.executable, "-m", "utils.course", "hub-link", "https://h.example.edu", "--lesson", "03",
                           "--repo", "https://x.example/c"], capture_output=True, text=True, cwd=REPO_ROOT)
    assert done.returncode == 0
    assert done.stdout.strip() == course.hub_link("https://h.example.edu", "03", "https://x.example/c")


# ------------------------------------------------------------------------------------------------ the launcher


def launch(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("CSTO_HUB_PASSWORD", "HUB_PORT")}
    return subprocess.run([sys.executable, str(HUB / "launch.py")], env={**clean, **env}, capture_output=True,
                          text=True, timeout=60)


def refused_with_one_line(done: subprocess.CompletedProcess, expected: str) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("make hub: ") and expected in lines[0], done.stderr


def test_the_hub_refuses_to_start_without_a_password():
    refused_with_one_line(launch({}), "set CSTO_HUB_PASSWORD")


def test_the_hub_refuses_a_short_password():
    refused_with_one_line(launch({"CSTO_HUB_PASSWORD": "abc"}), "CSTO_HUB_PASSWORD is 3 characters long")


def test_the_hub_refuses_a_port_in_use():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        refused_with_one_line(launch({"CSTO_HUB_PASSWORD": "long-enough", "HUB_PORT": str(port)}),
                              f"port {port} on 127.0.0.1 is already in use")


def test_the_hub_refuses_a_port_that_is_not_a_number():
    refused_with_one_line(launch({"CSTO_HUB_PASSWORD": "long-enough", "HUB_PORT": "80a"}), "not a port number")


def test_a_missing_proxy_is_named_with_the_command_that_installs_it(monkeypatch, tmp_path):
    launcher = _load(HUB / "launch.py", "hub_launch")
    monkeypatch.setattr(launcher, "PROXY", tmp_path / "configurable-http-proxy")
    monkeypatch.setattr(launcher.importlib.util, "find_spec", lambda name: object())
    with pytest.raises(launcher.CannotStart, match="configurable-http-proxy.*run make hub"):
        launcher.check_installed()


def test_make_hub_without_npm_says_so_in_one_line(tmp_path):
    """A machine without npm: the proxy's install step names what is missing (make's own status line follows)."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("make", "sh", "id", "git", "touch"):
        found = subprocess.run(["sh", "-c", f"command -v {tool}"], capture_output=True, text=True).stdout.strip()
        (tools / tool).symlink_to(found)
    done = subprocess.run([str(tools / "make"), "-o", ".venv/.installed-stamp", "-o", ".venv/.hub-installed-stamp",
                           "-W", "hub/package.json", "hub/node_modules/.bin/configurable-http-proxy"],
                          cwd=REPO_ROOT, env={"PATH": str(tools)}, capture_output=True, text=True)
    assert done.returncode != 0
    assert "make hub: npm is missing" in done.stdout
    assert "Installing" not in done.stdout


# ------------------------------------------------------------------------------------------------ the config


def hub_config(tmp_path, **env) -> Config:
    settings = {"CSTO_HUB_PASSWORD": "long-enough", "HUB_PORT": "8123", "CSTO_HUB_DIR": str(tmp_path),
                "CSTO_HUB_REPO": "https://github.com/org/course", **env}
    config = Config()
    old = dict(os.environ)
    os.environ.update({key: value for key, value in settings.items() if value is not None})
    for key in [key for key, value in settings.items() if value is None]:
        os.environ.pop(key, None)
    try:
        exec(compile((HUB / "jupyterhub_config.py").read_text(), "jupyterhub_config.py", "exec"),
             {"get_config": lambda: config, "__file__": str(HUB / "jupyterhub_config.py")})
    finally:
        os.environ.clear()
        os.environ.update(old)
    return config


def test_the_config_serves_loopback_with_the_instructors_password_and_a_home_per_student(tmp_path):
    c = hub_config(tmp_path)
    assert c.JupyterHub.bind_url == "http://127.0.0.1:8123"
    assert c.JupyterHub.authenticator_class == "shared-password"
    assert c.SharedPasswordAuthenticator.user_password == "long-enough"
    assert c.JupyterHub.spawner_class == "jupyterhub.spawner.SimpleLocalProcessSpawner"
    assert c.SimpleLocalProcessSpawner.home_dir_template == str(tmp_path / "homes" / "{username}")
    assert c.Spawner.cmd == [str(Path(sys.executable).parent / "jupyterhub-singleuser")]

    class Spawner:  # what JupyterHub passes to a callable environment value
        class user:
            name = "ana"

    assert c.Spawner.environment["PYTHONPATH"](Spawner) == str(tmp_path / "homes" / "ana" / "csto-notebooks")
    # A student's terminal finds the course's Python first (lesson 08's terminal steps).
    assert c.Spawner.environment["PATH"].split(os.pathsep)[0] == str(Path(sys.executable).parent)


def test_every_login_pulls_the_course_and_opens_the_start_page(tmp_path):
    c = hub_config(tmp_path, CSTO_HUB_BRANCH="spring")
    url = urlsplit(c.Spawner.default_url)
    assert url.path == "/git-pull"
    assert parse_qs(url.query) == {
        "repo": ["https://github.com/org/course"], "branch": ["spring"], "targetpath": ["csto-notebooks"],
        "urlpath": ["lab/tree/csto-notebooks/notebooks/00_start_here.ipynb"]}


def test_the_idle_culler_stops_servers_idle_for_an_hour(tmp_path):
    c = hub_config(tmp_path)
    (culler,) = c.JupyterHub.services
    assert culler["command"][1:] == ["-m", "jupyterhub_idle_culler", "--timeout=3600"]
    (role,) = c.JupyterHub.load_roles
    assert role["services"] == [culler["name"]]
    assert set(role["scopes"]) == {"list:users", "read:users:activity", "read:servers", "delete:servers"}


def test_the_config_has_no_default_password(tmp_path):
    with pytest.raises(KeyError, match="CSTO_HUB_PASSWORD"):
        hub_config(tmp_path, CSTO_HUB_PASSWORD=None)


# ------------------------------------------------------------------------------------------------ the locks


def lock_pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = LOCK_LINE.match(line)
        if match:
            pins[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return pins


def test_the_hub_lock_pins_jupyterhub_nbgitpuller_and_the_culler_within_their_bounds():
    pins = lock_pins(HUB / "requirements.lock")
    wanted = [Requirement(line) for line in (HUB / "requirements.in").read_text().splitlines()
              if line.strip() and not line.startswith("#")]
    assert {r.name for r in wanted} == {"jupyterhub", "nbgitpuller", "jupyterhub-idle-culler"}
    for requirement in wanted:
        assert requirement.specifier.contains(pins[requirement.name]), (requirement, pins.get(requirement.name))
    text = (HUB / "requirements.lock").read_text()
    hashed = re.findall(r"^[A-Za-z0-9_.\-]+==\S+[^\n]*\\\n    --hash=sha256:[0-9a-f]{64}", text, re.MULTILINE)
    assert len(hashed) == len(pins), "every package of the hub lock carries its hashes"


def test_installing_the_hub_moves_no_package_the_lessons_were_tested_with():
    hub, lessons = lock_pins(HUB / "requirements.lock"), lock_pins(REPO_ROOT / "requirements.lock")
    moved = {name: (version, lessons[name]) for name, version in hub.items()
             if name in lessons and lessons[name] != version}
    assert not moved, f"hub/requirements.lock differs from requirements.lock (hub, lessons): {moved}; run make hub-lock"


def test_the_lab_lock_holds_none_of_the_hubs_packages():
    """make lab stays as light as it was: JupyterHub comes only with make hub."""
    assert not {"jupyterhub", "nbgitpuller", "jupyterhub-idle-culler"} & set(lock_pins(REPO_ROOT / "requirements.lock"))


def test_the_proxy_is_locked_at_the_version_package_json_pins():
    pinned = json.loads((HUB / "package.json").read_text())["dependencies"]["configurable-http-proxy"]
    locked = json.loads((HUB / "package-lock.json").read_text())["packages"]["node_modules/configurable-http-proxy"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned) and locked["version"] == pinned
    assert locked["integrity"].startswith("sha512-")


# ------------------------------------------------------------------------------------------------ sizing and production

SIZING = json.loads((HUB / "sizing.json").read_text())
DOCS = (REPO_ROOT / "docs" / "hub.md").read_text(encoding="utf-8")
VALUES_TEXT = (HUB / "values.yaml").read_text(encoding="utf-8")
benchmark = _load(REPO_ROOT / "benchmarks" / "hub.py", "benchmark_hub")


def values() -> dict:
    import yaml  # PyYAML comes with frictionless

    return yaml.safe_load(VALUES_TEXT)


def test_the_sizing_of_record_measured_ten_students_and_follows_the_rule():
    measured = SIZING["measured"]
    rows = measured["per_student"]
    assert measured["students"] >= 10 and len(rows) == measured["students"]
    assert measured["peak_mib_worst"] == round(max(row["peak_mib"] for row in rows))
    assert measured["seconds_worst"] == round(max(row["seconds"] for row in rows), 1)
    assert all(row["peak_mib"] > 0 and row["cpu_seconds"] > 0 for row in rows)
    assert SIZING["derived"] == benchmark.derive(measured), "hub/sizing.json's sizing is not derive()'s: re-run it"


def test_z2jh_values_ask_for_the_measured_memory_and_cpu_and_cull_after_an_hour():
    derived, singleuser = SIZING["derived"], values()["singleuser"]
    assert singleuser["memory"] == {"guarantee": derived["memory_guarantee"], "limit": derived["memory_limit"]}
    assert singleuser["cpu"] == {"guarantee": derived["cpu_guarantee"], "limit": derived["cpu_limit"]}
    assert values()["cull"]["enabled"] is True and values()["cull"]["timeout"] == 3600


def test_z2jh_logins_pull_the_published_course_as_the_link_command_does():
    published = re.search(r'^repository-code: "(.+)"$', (REPO_ROOT / "CITATION.cff").read_text(), re.MULTILINE)[1]
    link = course.hub_link("https://hub.example.edu", repo=published)
    singleuser = values()["singleuser"]
    assert singleuser["defaultUrl"] == "/git-pull?" + link.split("?", 1)[1]
    assert singleuser["extraEnv"]["PYTHONPATH"] == f"/home/jovyan/{course.HUB_COURSE_FOLDER}"


def test_the_z2jh_image_and_chart_follow_the_hub_lock():
    pins = lock_pins(HUB / "requirements.lock")
    for name in ("jupyterhub", "nbgitpuller"):
        assert f"{name}=={pins[name]}" in VALUES_TEXT, f"hub/values.yaml should name {name}=={pins[name]}"
    major = pins["jupyterhub"].split(".")[0]
    assert f"whose JupyterHub is {major}.x" in VALUES_TEXT and f"whose JupyterHub is {major}.x" in DOCS
    # The image is binder/'s environment plus the hub's lock.
    assert "-r /srv/csto-notebooks/hub/requirements.lock" in DOCS and "from `binder/`" in DOCS


def test_the_guide_shows_the_measured_sizing_and_the_same_limits_for_tljh():
    derived = SIZING["derived"]
    assert benchmark.sizing_table(SIZING) in DOCS, "docs/hub.md's table is not hub/sizing.json's: paste sizing_table()"
    assert benchmark.sizing_sentence(derived) in DOCS
    assert f"sudo tljh-config set limits.memory {derived['memory_limit']}\n" in DOCS
    assert "sudo tljh-config set services.cull.timeout 3600\n" in DOCS


def test_the_start_page_says_how_to_get_a_fresh_copy_of_a_lesson():
    page = json.loads((REPO_ROOT / "notebooks" / course.START_PAGE).read_text(encoding="utf-8"))
    text = " ".join("".join(cell["source"]) for cell in page["cells"] if cell["cell_type"] == "markdown")
    assert "For a fresh copy of a lesson, rename yours" in " ".join(text.split())
