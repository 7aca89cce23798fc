# One task runner: a person and CI run the same targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
ROLODEX_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
export ROLODEX_TEST_POSTGRES_URL

.PHONY: serve test test-sqlite test-postgres lint bench install dev browser screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(STAMP)

install: $(STAMP)
dev: $(DEV_STAMP)

## Start the service on SQLite (./rolodex.db) at http://127.0.0.1:8000
serve: $(STAMP)
	$(BIN)/rolodex serve --demo --database-url $${ROLODEX_DATABASE_URL:-sqlite:///rolodex.db}

## Debian's Chromium, for the browser tests (installed once, when missing; needs root or sudo)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## Every test, on SQLite and then on PostgreSQL, after ruff and mypy
test: $(DEV_STAMP) browser lint
	$(BIN)/pytest -n 2 -p no:cacheprovider --db=sqlite
	$(BIN)/pytest -n 2 -p no:cacheprovider --db=postgres

## Remake the README's screenshots (docs/screenshots) with the browser tests
screenshots: $(DEV_STAMP) browser
	ROLODEX_UPDATE_SCREENSHOTS=1 $(BIN)/pytest -p no:cacheprovider --db=sqlite tests/apidocs/test_browser.py tests/console/test_browser.py

test-sqlite: $(DEV_STAMP) browser
	$(BIN)/pytest -n 2 -p no:cacheprovider --db=sqlite

test-postgres: $(DEV_STAMP)
	$(BIN)/pytest -n 2 -p no:cacheprovider --db=postgres

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

## Every door vs the Python floor vs json-server, with wrk, on SQLite and PostgreSQL
## (CLIENTS=1000000 for the big book); figures go to bench/RESULTS.md
bench: $(DEV_STAMP)
	@command -v wrk >/dev/null || { echo "bench needs wrk: apt-get install wrk"; exit 1; }
	$(BIN)/python -m bench.doors_bench --db sqlite --clients $${CLIENTS:-10000}
	$(BIN)/python -m bench.doors_bench --db postgres --clients $${CLIENTS:-10000}

clean:
	rm -rf $(VENV) rolodex.db rolodex.db-wal rolodex.db-shm
