# Interra: `make run` serves the platform with demo data; `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_BOOT := $(shell scripts/find-python.sh)
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
LOCALES := fr en nl ar fa ps uk ru tr es ti

.PHONY: help install system-deps browser-deps messages run worker test lint check pytest \
        makemessages bench screenshots clean

help:
	@echo "make run    install everything, load the Liège demo, serve http://127.0.0.1:8000"
	@echo "make test   lint, checks and the whole test suite (SQLite, or DATABASE_URL)"
	@echo "make bench  print the performance benchmarks"

$(UV):
	@test -n "$(PYTHON_BOOT)" || { echo "No Python >= 3.12 found (see above)." >&2; exit 1; }
	$(PYTHON_BOOT) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv>=0.9,<1"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON_BOOT)
	@touch $@

install: system-deps $(VENV)/.synced messages

system-deps:
	@scripts/system-deps.sh

browser-deps:
	@scripts/system-deps.sh browser

# Compiled catalogues are build products, made from the committed .po files.
messages: $(VENV)/.synced
	@cd src/interra && ../../$(PY) ../../manage.py compilemessages --ignore=.venv -v0

run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo --if-empty
	$(MANAGE) demo_links
	@echo "Serving on http://127.0.0.1:8000 (Ctrl-C stops the server, the worker and the scheduler)"
	@trap 'kill 0' EXIT INT TERM; \
	  $(MANAGE) db_worker & \
	  $(MANAGE) run_scheduler & \
	  $(MANAGE) runserver 127.0.0.1:8000

worker: install
	$(MANAGE) db_worker

lint: $(VENV)/.synced
	$(VENV)/bin/ruff check .

check: install
	DJANGO_SETTINGS_MODULE=interra.config.settings.test $(MANAGE) check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=interra.config.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=interra.config.settings.test $(MANAGE) check_templates

pytest: install browser-deps
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test: lint check pytest

bench: install
	$(PY) bench/room_finder.py
	$(PY) bench/agenda_load.py
	$(PY) bench/impact_scale.py
	$(PY) bench/planner.py

# Regenerate the .po catalogues after changing user-visible strings.
makemessages: $(VENV)/.synced
	cd src/interra && ../../$(PY) ../../manage.py makemessages $(LOCALES:%=-l %) --no-obsolete --ignore=static --ignore=locale --add-location=file -v0

clean:
	rm -rf $(VENV) $(TOOLS) var/static
