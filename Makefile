# Clausier — the two commands of the README:
#   make run    set everything up and serve the portal with demo data on http://127.0.0.1:5000
#   make test   set everything up and run the whole test suite (SQLite, then PostgreSQL)
# Both work on a fresh machine with Python 3.11+, git, make and apt (run as root or with sudo
# so that the system packages the tests need can be installed).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app portal
PYTEST_ARGS ?=

.PHONY: run setup db demo test test-sqlite test-postgres lint i18n bench clean help

help:
	@echo "make run      set up, migrate, load demo data and serve on http://127.0.0.1:5000"
	@echo "make test     set up and run the whole test suite on SQLite and PostgreSQL"
	@echo "make lint     ruff check and format check"
	@echo "make i18n     extract strings and update the fr/nl/en catalogs"
	@echo "make bench    run the benchmarks in bench/ and print their figures"

$(VENV)/.installed: pyproject.toml
	scripts/bootstrap-venv "$(PYTHON)" "$(VENV)"
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed
	$(BIN)/python -m portal.i18n_tools compile

db: setup
	$(FLASK) db upgrade

demo: db
	$(FLASK) demo load

run: demo
	@echo "Clausier runs on http://127.0.0.1:5000 — demo accounts and password: see README.md"
	$(FLASK) run --host 127.0.0.1 --port 5000

test: setup
	scripts/system-deps
	scripts/run-tests $(PYTEST_ARGS)

test-sqlite: setup
	PORTAL_TEST_SKIP_POSTGRES=1 scripts/run-tests $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check portal tests bench migrations/env.py
	$(BIN)/ruff format --check portal tests bench

i18n: setup
	$(FLASK) i18n update
	$(FLASK) i18n compile

bench: setup
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache htmlcov .coverage
	find portal -name '*.mo' -delete
