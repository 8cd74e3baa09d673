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
PORT ?= 8000

.PHONY: help install install-prod system-deps browser-deps messages run dev worker test lint check pytest \
        makemessages bench screenshots clean

help:
	@echo "make run    install everything, load the Liège demo, serve http://127.0.0.1:8000"
	@echo "            (gunicorn, task worker and scheduler, as in production; PORT=... to move)"
	@echo "make dev    the same demo on Django's autoreloading development server"
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

# A production server: the locked dependencies without the dev group (no test tools).
install-prod: system-deps | $(UV)
	$(UV) sync --frozen --no-dev --python $(PYTHON_BOOT)
	@rm -f $(VENV)/.synced
	@cd src/interra && ../../$(PY) ../../manage.py compilemessages --ignore=.venv -v0

system-deps:
	@scripts/system-deps.sh

browser-deps:
	@scripts/system-deps.sh browser

# Compiled catalogues are build products, made from the committed .po files.
messages: $(VENV)/.synced
	@cd src/interra && ../../$(PY) ../../manage.py compilemessages --ignore=.venv -v0

# The real thing on one machine: gunicorn (several processes x threads), the task worker
# and the scheduler, production settings with ONE_SERVER=1 and HTTPS=0 (scripts/run.sh).
run: install
	@PORT=$(PORT) scripts/run.sh

# The autoreloading development server (DEBUG on), with the worker and the scheduler.
dev: install
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo --if-empty
	SITE_URL=http://127.0.0.1:$(PORT) $(MANAGE) demo_links
	@echo "Development server on http://127.0.0.1:$(PORT) (Ctrl-C stops the server, the worker and the scheduler)"
	@export SITE_URL=http://127.0.0.1:$(PORT); trap 'kill $$(jobs -p) 2>/dev/null' EXIT INT TERM; \
	  $(MANAGE) db_worker & \
	  $(MANAGE) run_scheduler & \
	  $(MANAGE) runserver 127.0.0.1:$(PORT)

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
