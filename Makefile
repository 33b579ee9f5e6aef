# Two commands do all set-up on a fresh machine (Python 3.11+, no conda):
#   make lab    create .venv if needed, install the project, start JupyterLab at notebooks/00_start_here.ipynb
#   make test   the same set-up, then every test (unit, data, notebook hygiene, nbval, browser)
# The install step re-runs only when pyproject.toml changed (the stamp file records the last install).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8888
# Per-cell timeout for nbval, in seconds: generous for a slow CI machine, short enough to catch a hang.
CELL_TIMEOUT ?= 120
# Lab and the test kernels read the project's Jupyter settings (no news popup, no build check).
export JUPYTER_CONFIG_PATH := $(CURDIR)/jupyter_config
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: install lab test test-fast html student bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing csto-notebooks and its dependencies into $(VENV) (about a minute, once)..."
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (csto-notebooks)" >/dev/null
	@touch $(STAMP)

install: $(STAMP)

lab: $(STAMP)
	@TOKEN=$$($(BIN)/python -c "import secrets; print(secrets.token_hex(16))"); \
	echo ""; \
	echo "  JupyterLab: http://127.0.0.1:$(PORT)/lab/tree/notebooks/00_start_here.ipynb?token=$$TOKEN"; \
	echo "  (stop with Ctrl-C)"; echo ""; \
	exec $(BIN)/jupyter lab --no-browser $(ROOT_FLAG) --ip=127.0.0.1 --port=$(PORT) --ServerApp.port_retries=0 \
		--IdentityProvider.token=$$TOKEN --ServerApp.root_dir=$(CURDIR) \
		--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb

test: $(STAMP)
	$(BIN)/python -m pytest -p no:cacheprovider -n auto --dist loadfile \
		--nbval-lax --nbval-current-env --nbval-cell-timeout=$(CELL_TIMEOUT) \
		--nbval-sanitize-with tests/nbval_sanitize.cfg tests notebooks

test-fast: $(STAMP)
	$(BIN)/python -m pytest -p no:cacheprovider -n auto --dist loadfile -m "not browser" tests

# A static, self-contained site of the executed notebooks (build/html/index.html), for projection or handouts.
html: $(STAMP)
	$(BIN)/python -m utils.publish html

# The notebooks without their worked solutions (build/student/), for handing out.
student: $(STAMP)
	$(BIN)/python -m utils.publish student

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf build .pytest_cache
