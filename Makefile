# civicbridge: `make demo` runs the platform, `make test` passes the whole suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
PROFILE ?= opole
CIVICBRIDGE_DATA_DIR ?= $(CURDIR)/data
export CIVICBRIDGE_DATA_DIR
PYTEST_WORKERS ?= 2

# A Python >= 3.12: on PATH, or through pyenv.
PYTHON ?= $(shell scripts/find-python.sh)

.PHONY: help install demo serve worker test test-sqlite test-postgres test-browser lint format bench messages clean

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
	$(VENV)/bin/civicbridge demo --profile $(PROFILE) --host $(HOST) --port $(PORT)

serve: install
	$(VENV)/bin/civicbridge serve --host $(HOST) --port $(PORT)

worker: install
	$(VENV)/bin/civicbridge worker

test: install
	scripts/test-services.sh install
	$(MAKE) lint
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

prepare-search: install
	SECRET_KEY=unused CIVICBRIDGE_DATA_DIR=$${TEST_DATA_DIR:-/tmp/civicbridge-test-data} $(VENV)/bin/civicbridge prepare_search

test-sqlite: install prepare-search
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile

test-postgres: install prepare-search
	scripts/test-services.sh run-postgres $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile -m "not browser"

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/python -m civicbridge makemigrations --check --dry-run

messages: install
	cd src/civicbridge && ../../$(VENV)/bin/python -m civicbridge makemessages -l pl -l tr --no-obsolete --ignore='*/node_modules/*'
	cd src/civicbridge && ../../$(VENV)/bin/python -m civicbridge compilemessages

bench: install
	scripts/test-services.sh install
	SECRET_KEY=bench-only-not-secret CIVICBRIDGE_DATA_DIR=$${BENCH_DATA_DIR:-/tmp/civicbridge-bench-data} \
		scripts/test-services.sh run-postgres $(PY) -m bench.run

clean:
	rm -rf $(VENV) node_modules
