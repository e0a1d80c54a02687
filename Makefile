# Clientfolio: `make run` and `make test` are all a new user needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(STAMP)

run: $(STAMP)
	$(BIN)/clientfolio migrate --noinput
	$(BIN)/clientfolio demo
	@echo ""
	@echo "Clientfolio is at http://$(HOST):$(PORT)/  (Ctrl+C stops it and its worker)"
	@DEBUG=$${DEBUG:-true} $(BIN)/clientfolio worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=$${DEBUG:-true} $(BIN)/clientfolio runserver $(HOST):$(PORT)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy clientfolio
	$(BIN)/deptry .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=clientfolio.settings_test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=clientfolio.settings_test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n 2 --dist worksteal --durations=15 $(PYTEST_ARGS)

messages: $(DEV_STAMP)
	cd clientfolio && ../$(BIN)/django-admin makemessages -l zh_Hans -l en --no-obsolete --no-location
	cd clientfolio && ../$(BIN)/django-admin compilemessages

bench: $(DEV_STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var/static
