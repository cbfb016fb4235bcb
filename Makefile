# govbridge: the two commands of the README, plus the checks CI runs.
#   make demo   set up .venv and run the main job end to end, offline
#   make test   set up .venv and run the whole test suite
#   make check  ruff (lint and format) and mypy --strict
#   make bench  the benchmarks in benchmarks/
#   make docs   regenerate docs/cli.md from --help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test check bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/govbridge demo

test: $(STAMP)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

docs: $(STAMP)
	$(BIN)/python -m govbridge.cli._docs > docs/cli.md
	$(BIN)/python -m govbridge.kb._docs > docs/instruments.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
