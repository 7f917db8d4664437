# Kopdig: two commands do all set-up on a fresh machine with Python 3.11.
#   make demo   create the virtualenv, install, migrate, load the demo and serve http://127.0.0.1:8000
#   make test   create/update the virtualenv with test dependencies and run the whole suite
#   make lint   ruff check, ruff format --check and the import contracts (lint-imports)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: demo test install install-test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: install
	$(BIN)/kopdig demo --port $(PORT)

test: install-test
	$(BIN)/kopdig compile_translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

bench: install-test
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var
