# civicbridge: `make demo` runs the platform, `make test` passes the whole suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
PROFILE ?= opole
CIVICBRIDGE_DATA_DIR ?= $(CURDIR)/data
TEST_DATA_DIR ?= /tmp/civicbridge-test-data
# Settings for commands that load Django outside the demo and the tests.
TOOL_ENV := SECRET_KEY=unused-by-tools CIVICBRIDGE_DATA_DIR=$(TEST_DATA_DIR)
PYTEST_WORKERS ?= 2

# A Python >= 3.12: on PATH, or through pyenv.
PYTHON ?= $(shell scripts/find-python.sh)

.PHONY: help install demo serve worker test prepare-search test-sqlite test-postgres lint bench messages clean

help:
	@echo "make demo   run civicbridge with demo data at http://$(HOST):$(PORT) (SQLite)"
	@echo "make test   install what the tests need and run the whole suite (SQLite and PostgreSQL)"
	@echo "make lint   ruff"
	@echo "make bench  national-scale benchmark (see bench/README.md)"

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "civicbridge needs Python 3.12 or newer. Install it (e.g. 'apt-get install python3.12' or 'pyenv install 3.13') and run make again."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

install: $(VENV)/.installed node_modules/.package-lock.json

demo: install
	CIVICBRIDGE_DATA_DIR=$(CIVICBRIDGE_DATA_DIR) $(VENV)/bin/civicbridge demo --profile $(PROFILE) --host $(HOST) --port $(PORT)

serve: install
	CIVICBRIDGE_DATA_DIR=$(CIVICBRIDGE_DATA_DIR) $(VENV)/bin/civicbridge serve --host $(HOST) --port $(PORT)

worker: install
	CIVICBRIDGE_DATA_DIR=$(CIVICBRIDGE_DATA_DIR) $(VENV)/bin/civicbridge worker

test: install
	scripts/test-services.sh install
	$(MAKE) lint
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

prepare-search: install
	$(TOOL_ENV) $(VENV)/bin/civicbridge prepare_search

test-sqlite: install prepare-search
	CIVICBRIDGE_DATA_DIR=$(TEST_DATA_DIR) $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile

test-postgres: install prepare-search
	CIVICBRIDGE_DATA_DIR=$(TEST_DATA_DIR) scripts/test-services.sh run-postgres scripts/test-services.sh run-redis \
		$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile -m "not browser"

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(TOOL_ENV) $(VENV)/bin/civicbridge makemigrations --check --dry-run

# Catalogs up to date with the code, each app's in its own folder, no translation lost
# (scripts/messages.sh says how). Needs GNU gettext (Debian's gettext).
messages: install
	$(TOOL_ENV) PY=$(PY) scripts/messages.sh

# PostgreSQL as in production: durable (fsync, synchronous commit, full pages; the tests' clusters
# keep them off) with the memory docs/operators.md recommends. BENCH_* knobs: bench/README.md.
BENCH_PG_SETTINGS := fsync = on;synchronous_commit = on;full_page_writes = on;shared_buffers = 1GB;effective_cache_size = 8GB;jit = off;random_page_cost = 1.1;max_parallel_workers_per_gather = 0
bench: install
	scripts/test-services.sh install
	SECRET_KEY=bench-only-not-secret CIVICBRIDGE_DATA_DIR=$${BENCH_DATA_DIR:-/tmp/civicbridge-bench-data} \
		BENCH_SCALES=$${BENCH_SCALES:-1,3} TEST_PG_SETTINGS="$(BENCH_PG_SETTINGS)" \
		scripts/test-services.sh run-postgres scripts/test-services.sh run-redis $(PY) -m bench.run

clean:
	rm -rf $(VENV) node_modules
