# Two commands do all set-up on a fresh machine (Python 3.11+, no conda):
#   make lab    create .venv if needed, install the locked environment, start JupyterLab at notebooks/00_start_here.ipynb
#   make test   the same set-up, then every test (unit, data, notebook hygiene, nbval, browser)
# The install step re-runs only when pyproject.toml or requirements.lock changed (the stamp records the last install).
# It installs with uv when uv can be had (seconds) and with pip otherwise (about a minute), from the same lock.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LOCK   := requirements.lock
PORT   ?= 8888
# auto: uv when it can be had, else pip. INSTALLER=pip or INSTALLER=uv forces one.
INSTALLER ?= auto
# Per-cell timeout for nbval, in seconds: generous for a slow CI machine, short enough to catch a hang.
CELL_TIMEOUT ?= 120
# Python may keep compiled bytecode in .venv: some machines set PYTHONDONTWRITEBYTECODE, and then every kernel, test
# process and command compiles pandas, matplotlib and the rest from source again (about 2 s of CPU each, measured).
unexport PYTHONDONTWRITEBYTECODE
# Lab and the test kernels read the project's Jupyter settings (no news popup, no build check).
export JUPYTER_CONFIG_PATH := $(CURDIR)/jupyter_config
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
START  := notebooks/00_start_here.ipynb

.PHONY: install lab present test test-fast html student pdf bench lock upgrade floor git-filter clean \
	hub hub-install hub-link hub-lock bench-hub

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing csto-notebooks and its locked dependencies into $(VENV) (once)..."
	@$(BIN)/python tools/install.py install --installer $(INSTALLER)
	@# The kernel "python3" is this venv, under the name the notebooks store, so they open unmodified.
	@$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (ipykernel)" >/dev/null
	@touch $(STAMP)

install: $(STAMP) git-filter

# Saved outputs never reach git: .gitattributes sends notebooks through the nbstripout filter, configured here for
# this clone (cell ids kept, so a clean notebook passes through unchanged). Git config is shared by all worktrees
# of a repository, so a linked worktree leaves it to the main checkout.
# The language details a kernel writes on first run are dropped too, so a run-and-saved notebook shows no change.
NBSTRIPOUT := '$(CURDIR)/$(BIN)/python' -m nbstripout --keep-id --extra-keys '$(foreach k,codemirror_mode \
	file_extension mimetype nbconvert_exporter pygments_lexer version,metadata.language_info.$(k))'
git-filter: $(STAMP)
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		if [ "$$(git rev-parse --path-format=absolute --git-dir)" = "$$(git rev-parse --path-format=absolute --git-common-dir)" ]; then \
			git config filter.nbstripout.clean "$(NBSTRIPOUT)" && \
			git config filter.nbstripout.smudge cat && \
			git config diff.ipynb.textconv "$(NBSTRIPOUT) -t"; \
		else echo "  (linked git worktree: the notebook output filter is set up by make in the main checkout)"; fi; \
	fi

# A terminal opened in Lab inherits the server's PATH, which starts with the venv, so `python -m utils...` typed
# there runs the course's own Python (lesson 08's terminal steps).
define serve_lab
	@TOKEN=$$($(BIN)/python -c "import secrets; print(secrets.token_hex(16))"); \
	echo ""; \
	echo "  JupyterLab$(1): http://127.0.0.1:$(PORT)/lab/tree/$(START)?token=$$TOKEN"; \
	echo "  (stop with Ctrl-C)"; echo ""; \
	PATH='$(CURDIR)/$(BIN)':"$$PATH" exec $(BIN)/jupyter lab --no-browser $(ROOT_FLAG) --ip=127.0.0.1 --port=$(PORT) --ServerApp.port_retries=0 \
		--IdentityProvider.token=$$TOKEN --ServerApp.root_dir=$(CURDIR) --LabApp.default_url=/lab/tree/$(START) $(2)
endef

lab: install
	$(call serve_lab,)

# The same Lab, notebooks and kernel in projector size. jupyter_config/projector is a JupyterLab settings folder
# holding the theme settings of the projector profile (large code, content and UI fonts). Lab applies font sizes
# from a settings folder only, not from defaults, so make present runs Lab on a fresh copy of it: the user's own
# settings are left alone, and changes made while presenting never touch the profile. It also starts from an empty
# workspaces folder, so the tabs and panels of the last make lab are not reopened, and loads
# jupyter_config/projector-page/custom/custom.css (Lab's --LabApp.custom_css reads custom/custom.css from the
# Jupyter config dir): a prompt column wide enough for "[12]:" at the projector's code size.
PROJECTOR := $(CURDIR)/build/projector
present: export JUPYTERLAB_SETTINGS_DIR := $(PROJECTOR)/settings
present: export JUPYTERLAB_WORKSPACES_DIR := $(PROJECTOR)/workspaces
present: export JUPYTER_CONFIG_DIR := $(PROJECTOR)/config
present: install
	@rm -rf $(PROJECTOR) && mkdir -p $(PROJECTOR)/workspaces && cp -r jupyter_config/projector $(PROJECTOR)/settings \
		&& cp -r jupyter_config/projector-page $(PROJECTOR)/config
	$(call serve_lab, in projector size,--LabApp.custom_css=True)

test: install hub-install
	$(BIN)/python -m pytest -p no:cacheprovider -n auto --dist loadfile --no-loadscope-reorder \
		--nbval-lax --nbval-current-env --nbval-cell-timeout=$(CELL_TIMEOUT) tests notebooks

test-fast: install hub-install
	$(BIN)/python -m pytest -p no:cacheprovider -n auto --dist loadfile --no-loadscope-reorder -m "not browser" tests

# After editing pyproject.toml's dependencies: resolve requirements.lock again, keeping the locked versions that fit.
lock: install
	$(BIN)/python tools/install.py lock

# Re-resolve requirements.lock to the newest versions within pyproject.toml's bounds, install them and run the tests.
upgrade: install
	$(BIN)/python tools/install.py lock --upgrade
	$(MAKE) test

# Install the lowest versions pyproject.toml allows into .venv-floor and run the fast suite there; on a pass the
# versions and a hash of the bounds are recorded in requirements-floor.lock (a test checks the hash is current).
floor: install
	$(BIN)/python tools/install.py floor

# A static, self-contained site of the executed notebooks (build/html/index.html), for projection or handouts.
html: install
	$(BIN)/python -m utils.tools.publish html

# The notebooks without their worked solutions (build/student/), for handing out.
student: install
	$(BIN)/python -m utils.tools.publish student

# Printable handouts (build/pdf/): one PDF per notebook and the whole course, printed from the static site by
# Debian's Chromium (sudo apt-get install chromium), solutions left out, figures kept whole across pages.
pdf: install
	$(BIN)/python -m utils.tools.publish pdf

bench: install
	$(BIN)/python benchmarks/run.py

# ---------------------------------------------------------------------------------------------- a class on a hub
# make hub: a JupyterHub on 127.0.0.1:$(HUB_PORT) to rehearse a class (docs/hub.md). REHEARSAL ONLY: every student's
# server runs as the same system user. JupyterHub, nbgitpuller and the idle culler come from hub/requirements.lock
# (installed into $(VENV) by make hub only: make lab stays as light as it was); the proxy from npm (hub/package-lock.json).
HUB_PORT ?= 8000
HUB_STAMP := $(VENV)/.hub-installed-stamp
HUB_PROXY := hub/node_modules/.bin/configurable-http-proxy

$(HUB_STAMP): $(STAMP) hub/requirements.lock
	@echo "Installing JupyterHub, nbgitpuller and the idle culler (hub/requirements.lock) into $(VENV) (once)..."
	@$(BIN)/python tools/install.py install --lock hub/requirements.lock --installer $(INSTALLER)
	@touch $@

$(HUB_PROXY): hub/package.json hub/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make hub: npm is missing; JupyterHub's proxy comes from npm (Node.js 20+): sudo apt-get install npm"; exit 1; }
	@echo "Installing JupyterHub's proxy (configurable-http-proxy, from npm) into hub/node_modules (once)..."
	@cd hub && npm ci --no-audit --no-fund --loglevel=error >/dev/null
	@touch $@

hub-install: $(HUB_STAMP) $(HUB_PROXY)

hub: install hub-install
	@HUB_PORT='$(HUB_PORT)' $(BIN)/python hub/launch.py

# The nbgitpuller link for a class: make hub-link HUB_URL=https://hub.example.edu [LESSON=03] [REPO=...] [BRANCH=main]
hub-link: install
	@$(BIN)/python -m utils.course hub-link "$(HUB_URL)" $(if $(LESSON),--lesson $(LESSON)) \
		$(if $(REPO),--repo "$(REPO)") $(if $(BRANCH),--branch $(BRANCH))

# After editing hub/requirements.in: resolve hub/requirements.lock again, at the versions requirements.lock pins for
# every package the two share (so installing the hub never moves a package the lessons were tested with).
hub-lock: install
	$(BIN)/python hub/lock.py

# Ten simulated students on a rehearsal hub: time per student and memory per student (docs/hub.md's sizing).
bench-hub: install hub-install
	$(BIN)/python benchmarks/hub.py

clean:
	rm -rf build .pytest_cache
