"""JupyterHub for rehearsing a class on one machine (`make hub`): every student's server opens the course.

Started by hub/launch.py, which checks the password, the port and the proxy first and passes them in the environment:

    CSTO_HUB_PASSWORD   the rehearsal password every student logs in with (required; no default)
    HUB_PORT            the port students open on 127.0.0.1 (default 8000)
    CSTO_HUB_DIR        where the hub keeps its database, cookie secret and the students' homes (default build/hub)
    CSTO_HUB_REPO       the repository each login pulls (default: this clone's origin, else this clone's folder)
    CSTO_HUB_BRANCH     its branch (default main)

REHEARSAL ONLY: the local process spawner runs every student's server as the same system user as the hub, in a
folder of its own under CSTO_HUB_DIR/homes; students are not isolated from each other. For a real class use The
Littlest JupyterHub or Zero to JupyterHub (docs/hub.md).
"""

import os
import sys
from pathlib import Path

from utils import course, paths

c = get_config()  # noqa: F821  (JupyterHub's config loader provides get_config)

state = Path(os.environ.get("CSTO_HUB_DIR") or paths.REPO_ROOT / "build" / "hub").resolve()
homes = state / "homes"
homes.mkdir(parents=True, exist_ok=True)
venv_bin = Path(sys.executable).parent

# --- where students connect, and the hub's own ports (loopback only) ------------------------------------------------
c.JupyterHub.bind_url = f"http://127.0.0.1:{os.environ.get('HUB_PORT', '8000')}"
c.JupyterHub.hub_ip = "127.0.0.1"
# launch.py picks free ports for the hub's internal API and the proxy's API, so a rehearsal never collides with
# another service on the machine; run by hand, JupyterHub's defaults (8081 and HUB_PORT + 1) apply.
if os.environ.get("CSTO_HUB_API_PORT"):
    c.JupyterHub.hub_port = int(os.environ["CSTO_HUB_API_PORT"])
if os.environ.get("CSTO_HUB_PROXY_API_PORT"):
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ['CSTO_HUB_PROXY_API_PORT']}"
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")
# configurable-http-proxy, installed from npm into hub/node_modules by make hub.
c.ConfigurableHTTPProxy.command = [str(paths.REPO_ROOT / "hub" / "node_modules" / ".bin" / "configurable-http-proxy")]

# --- who may log in: any name, with the one rehearsal password ------------------------------------------------------
# SharedPasswordAuthenticator is JupyterHub's successor to DummyAuthenticator's password (deprecated in 5.3).
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ["CSTO_HUB_PASSWORD"]
c.Authenticator.allow_all = True

# --- each student's server: a home of their own, the course opened on arrival --------------------------------------
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = str(homes / "{username}")
c.Spawner.notebook_dir = str(homes / "{username}")
c.Spawner.cmd = [str(venv_bin / "jupyterhub-singleuser")]
if os.geteuid() == 0:  # Jupyter refuses to run as root without being told (containers, CI)
    c.Spawner.args = ["--ServerApp.allow_root=True"]
c.Spawner.environment = {
    # A terminal opened in a student's Lab runs the course's Python (lesson 08 types python -m utils.write.refresh),
    # as under make lab; JupyterHub would otherwise pass on the hub's own PATH.
    "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}",
    # The student's kernels import the course's helpers, and so read the data, from the student's own copy.
    "PYTHONPATH": lambda spawner: str(homes / spawner.user.name / course.HUB_COURSE_FOLDER),
    # The project's Jupyter settings (no news pop-up, no build check), as make lab has them.
    "JUPYTER_CONFIG_PATH": str(paths.REPO_ROOT / "jupyter_config"),
    # JupyterLab, not the classic notebook, shows what nbgitpuller pulled.
    "NBGITPULLER_APP": "lab",
    # Marks every process of this hub, so a test can find and end them all.
    "CSTO_HUB_DIR": str(state),
}
# Logging in pulls the course (the first time a clone, afterwards nbgitpuller's merge) and opens the start page.
login_link = course.hub_link("http://127.0.0.1", repo=os.environ.get("CSTO_HUB_REPO") or None,
                             branch=os.environ.get("CSTO_HUB_BRANCH", "main"))
c.Spawner.default_url = "/git-pull?" + login_link.split("?", 1)[1]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

# --- servers idle for an hour are stopped (their files stay) --------------------------------------------------------
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={os.environ.get('CSTO_HUB_IDLE', '3600')}"],
    "environment": {"CSTO_HUB_DIR": str(state)},
}]
