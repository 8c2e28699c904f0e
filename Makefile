# Guichet — the README's commands. `make demo` starts the platform, `make test` runs every test.
SHELL := /bin/sh
.DEFAULT_GOAL := help

VENV    := .venv
TOOLS   := .tools
BIN     := $(VENV)/bin
MANAGE  := $(BIN)/python manage.py
HOST    ?= 127.0.0.1
PORT    ?= 8000
UV_VERSION := 0.13.9
# Interpreters come from the machine; never let uv download one.
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

# uv from the PATH when there is one, otherwise installed once into .tools/ with pip.
UV := $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)

.PHONY: help install demo run test lint format bench messages clean

help:
	@echo "make demo    install, migrate, load the demo data and serve http://$(HOST):$(PORT)"
	@echo "make test    install what the tests need and run the whole suite"
	@echo "make lint    ruff, formatting, mypy, import contracts, Django checks"
	@echo "make bench   print the performance figures"
	@echo "make messages  update and compile the translations"

$(TOOLS)/bin/uv:
	@py=$$(scripts/find-python) || exit 1; \
	  echo "Installing uv with $$py"; \
	  "$$py" -m venv $(TOOLS) && $(TOOLS)/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	@py=$$(scripts/find-python) || exit 1; \
	  $(UV) sync --locked --python "$$py" --quiet
	@touch $@

install: $(VENV)/.installed

demo: install
	@$(MANAGE) migrate --noinput
	@$(MANAGE) load_demo
	@HOST=$(HOST) PORT=$(PORT) BIN=$(BIN) scripts/run-demo

run: install
	@HOST=$(HOST) PORT=$(PORT) BIN=$(BIN) scripts/run-demo

# Two workers; the browser tests stay together on one (one server, one browser).
PYTEST_ARGS ?= -n 2 --dist loadgroup
test: install
	@$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy guichet
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python scripts/check-messages

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# On SQLite, then on PostgreSQL when one answers (BENCH_DATABASE_URL; a throwaway database).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/guichet_bench
bench: install
	@DJANGO_SETTINGS_MODULE=config.settings.test DATABASE_URL= $(BIN)/python -m bench
	@if $(BIN)/python scripts/database-answers "$(BENCH_DATABASE_URL)"; then \
	  DJANGO_SETTINGS_MODULE=config.settings.test DATABASE_URL="$(BENCH_DATABASE_URL)" $(BIN)/python -m bench; \
	else echo "PostgreSQL does not answer at $(BENCH_DATABASE_URL): benchmarks ran on SQLite only."; fi

messages: install
	$(MANAGE) makemessages -l fr -l en --no-obsolete --ignore=.venv --ignore=.tools --ignore=var --ignore=tests --ignore="*/tests/*"
	$(MANAGE) compilemessages --ignore=.venv --ignore=.tools

clean:
	rm -rf $(VENV) $(TOOLS) var/static
