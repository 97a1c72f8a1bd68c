# Two commands set everything up on a machine with Python 3.11+ and make:
#   make demo   venv, install, migrate + seed the default SQLite file, summary, monthly CSV
#   make test   dev dependencies, ruff, mypy, pytest on SQLite and PostgreSQL
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO_OUT ?= out/monthly.csv

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/tracker demo --out $(DEMO_OUT)
	@echo "next: put tracker on your PATH with '. $(VENV)/bin/activate' (or 'pipx install .'), then: tracker --help"

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest -q

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/bench_reports.py

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
