# Two commands for a fresh machine with Python 3.11:
#   make run   - virtualenv, pinned dependencies, SQLite, demo data, http://127.0.0.1:8000
#   make test  - the whole test suite (PostgreSQL and Redis when DATABASE_URL/REDIS_URL are set)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIN := --quiet --strip-extras --no-header --no-emit-index-url --no-emit-find-links

.PHONY: run test e2e bench screenshots lint lock messages

$(BIN)/python:
	@$(PYTHON) -c "import sys; sys.exit(sys.version_info < (3, 11))" || \
		{ echo "Python 3.11 or newer is needed (PYTHON=$(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(VENV)/.dev
	$(BIN)/pytest

# The end-to-end journeys in Chromium (scripts/install-browser.sh installs it, as root);
# screenshots of each journey land in test-artifacts/.
e2e: $(VENV)/.dev
	E2E_REQUIRE_BROWSER=1 $(BIN)/pytest tests/e2e

# Timings and query counts of the main pages and API lists on a large county (benchmarks/),
# against DATABASE_URL (SQLite by default); the table lands in test-artifacts/bench.json.
bench: $(VENV)/.dev
	$(BIN)/pytest benchmarks

# Refresh the README's screenshots in docs/screenshots/ from the demo data.
screenshots: $(VENV)/.dev
	E2E_REQUIRE_BROWSER=1 E2E_UPDATE_DOCS=1 $(BIN)/pytest tests/e2e/test_chair_tour.py

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null

# Re-pin requirements*.txt after editing requirements*.in.
lock: $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile $(PIN) requirements.in -o requirements.txt
	$(BIN)/pip-compile $(PIN) requirements-dev.in -o requirements-dev.txt

# Refresh the Chinese catalogue after changing texts (needs GNU gettext).
messages: $(VENV)/.dev
	$(BIN)/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=staticfiles --ignore=tests
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv
