# mlworkbench: `make lab` to set up and start, `make test` to run every suite.
# Everything a fresh clone needs is installed from here (PyPI, npm, Debian's chromium).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
PY := $(BIN)/python
export PATH := $(BIN):$(PATH)
PYTHON ?= python3
LAB_PORT ?= 8888
UI_TEST_PORT ?= 18931
DEMO := demo

.PHONY: lab test install frontend demo api check-api check-wheel test-python test-js test-ui test-checks ui-deps chromium bench clean labelstudio

## Create .venv, install Python and JS dependencies, build the frontend.
install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml package.json
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -U pip
	$(PY) -m pip install -q -e ".[lab,test]"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (mlworkbench)" >/dev/null
	touch $@

## Build the frontend and link it into the venv's JupyterLab (later builds are served at once).
frontend: install
	jlpm install --immutable || jlpm install
	jlpm build
	jupyter labextension develop --overwrite . >/dev/null
	jupyter server extension enable mlworkbench --sys-prefix >/dev/null

## Generate the demo data (locally, no download) and register it in the demo workspace.
demo: install
	$(PY) -m mlworkbench.demo $(DEMO)

## Start JupyterLab on the demo workspace with the workbench open.
lab: frontend demo
	mkdir -p $(DEMO)/.jupyter/labconfig
	echo '{"mlworkbenchOpenOnStart": "true"}' > $(DEMO)/.jupyter/labconfig/page_config.json
	cd $(DEMO) && JUPYTER_CONFIG_PATH=$(CURDIR)/$(DEMO)/.jupyter exec jupyter lab --allow-root \
	  --ip 127.0.0.1 --port $(LAB_PORT) --ServerApp.root_dir=.

## A real Label Studio server for the bridge's tests and bench, in its own venv: label-studio pins
## exact versions (Django, pyarrow, pytz...) that conflict with .venv. Installed once (about 2 min).
LS_VENV := .venv-labelstudio
labelstudio: $(LS_VENV)/.installed

$(LS_VENV)/.installed:
	test -x $(LS_VENV)/bin/python || $(PYTHON) -m venv $(LS_VENV)
	$(LS_VENV)/bin/python -m pip install -q -U pip
	$(LS_VENV)/bin/python -m pip install -q "label-studio==1.23.*"
	touch $@

## Regenerate openapi.json and src/api/types.ts from the pydantic models.
api: install
	$(PY) scripts/generate_api.py
	jlpm generate:api

## Fail when the committed openapi.json or src/api/types.ts differ from the models.
check-api: frontend
	$(PY) scripts/generate_api.py --check
	committed=$$(mktemp) && cp src/api/types.ts $$committed && jlpm generate:api >/dev/null && \
	if cmp -s src/api/types.ts $$committed; then echo "src/api/types.ts is up to date"; \
	else cp $$committed src/api/types.ts; echo "src/api/types.ts is stale: run 'make api' and commit it."; exit 1; fi

chromium:
	command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

ui-deps: frontend chromium
	cd ui-tests && (jlpm install --immutable || jlpm install)

test-js: frontend
	jlpm test

test-ui: ui-deps labelstudio
	cd ui-tests && CI=$${CI:-} UI_TEST_PORT=$(UI_TEST_PORT) jlpm test

## The wheel a user installs carries the prebuilt labextension (no Node.js) and enables the server.
## It builds in venvs of its own, so it needs nothing from `install` and runs beside it in `test`.
check-wheel:
	PYTHON=$(PYTHON) scripts/check_wheel.sh 2>&1 | grep -v "^WARNING: Location"

test-python: install labelstudio
	$(PY) -m pytest -q -p no:cacheprovider --durations=15

## Install test needs and run every suite.
## The three installs that need nothing from each other run side by side first (pip and npm wait
## on the network while the wheel's webpack build works): about 3 minutes less than in a row.
## Then the suites run side by side: the browser tests, the API check and jest (both after the
## frontend build), and pytest, which needs no frontend and so starts at once. Each leaves part
## of a core idle (a page load, a kernel start, Label Studio answering): pytest, the long pole
## (26 min), no longer waits for the frontend build, the API check and jest (about 6 min).
## Each suite's output is printed whole when it ends; --keep-going lets all finish (and report)
## when one fails.
test:
	$(MAKE) --no-print-directory -j3 --output-sync=target install labelstudio check-wheel
	$(MAKE) --no-print-directory -j3 --keep-going --output-sync=target test-python test-ui test-checks

## The API check and jest (what `test` runs beside pytest and the browser tests).
test-checks: check-api test-js

## Benchmarks side by side with their anchors (bare DuckDB, JupySQL); prints ratios.
## JupySQL (an anchor) lives in its own venv: its lab plugin must not load in `make lab`.
BENCH_VENV := .venv-bench
bench: frontend labelstudio
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install -q -U pip
	$(BENCH_VENV)/bin/python -m pip install -q -e ".[lab,test,bench]"
	$(BENCH_VENV)/bin/jupyter server extension enable mlworkbench --sys-prefix >/dev/null
	$(BENCH_VENV)/bin/python bench/run.py

clean:
	rm -rf lib mlworkbench/labextension node_modules ui-tests/node_modules $(VENV) $(BENCH_VENV) $(LS_VENV) tsconfig.tsbuildinfo
