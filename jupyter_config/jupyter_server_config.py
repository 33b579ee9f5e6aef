"""Terminals opened in JupyterLab run the course's own Python first (``make lab``, ``make present``, the hub).

Lesson 08 has students type ``python -m utils.write.refresh ...`` in a Lab terminal. Jupyter starts a terminal as a
login shell, and a login shell rebuilds PATH from /etc/profile and the user's profile (pyenv, conda...), so the
environment's folder put first by ``make lab`` would be lost and ``python`` would be another Python, without the
course's packages. Here the terminal is an interactive bash that reads the user's usual settings and then puts the
folder of the Python running this server (the course's environment) first on PATH (see terminal.bashrc).
"""

import shutil
import sys
from pathlib import Path

bash = shutil.which("bash")
if bash:  # elsewhere (no bash) Jupyter's default shell is kept
    c.ServerApp.terminado_settings = {  # noqa: F821 (c is the config object Jupyter passes in)
        "shell_command": ["env", f"CSTO_COURSE_BIN={Path(sys.executable).parent}", bash,
                          "--rcfile", str(Path(__file__).with_name("terminal.bashrc")), "-i"],
    }
