# Two commands do everything from a fresh clone:
#   make run    set up .venv and run the main job (the default comparison and its report, see README)
#   make test   set up .venv, check the import contracts (lint-imports) and run the test suite (tests marked
#               long only when CI is set, as in CI; see README)
# and a one-minute first look before the long main job:
#   make example  set up .venv and compare seven scenarios on the small catchment (report in sweeps/example/report/)
# Set-up is idempotent: the virtual environment is rebuilt only when pyproject.toml changes.

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# The first interpreter found that is Python >= 3.12 (Mesa 3.5 needs it). Override with `make PYTHON=/path/to/python3.12`.
PYTHON ?= $(shell for c in python3.12 python3.13 python3; do \
	  if $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v $$c; exit 0; fi; \
	done; \
	if command -v pyenv >/dev/null 2>&1; then \
	  for v in $$(pyenv versions --bare 2>/dev/null | grep -E '^3\.1[2-9]' | sort -V); do \
	    p="$$(pyenv root)/versions/$$v/bin/python3"; [ -x "$$p" ] && { echo "$$p"; exit 0; }; \
	  done; \
	fi)

.PHONY: setup example run test test-fast bench docs clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: no Python >= 3.12 found; install one or pass PYTHON=..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,viz]'
	@touch $(STAMP)

setup: $(STAMP)

# the first look: seven scenarios against usual care on the small catchment, then their report (about a minute)
example: $(STAMP)
	$(PY) -m experiments.sweep -m +experiment=example
	$(PY) -m experiments.compare sweeps/example

# the main job: baseline and every scenario file, paired (CRN), on all cores; then the steering-group report
run: $(STAMP)
	$(PY) -m experiments.sweep -m +experiment=default_comparison
	$(PY) -m experiments.compare sweeps/default_comparison

# lint-imports first (about a second): the import contracts in pyproject.toml (imports run one way, no cycles)
# --dist loadscope keeps each module's fixtures (shared model runs) on one worker
# tests marked long run when CI is set (tests/conftest.py); PYTEST_ARGS=--run-long runs them here too
test: $(STAMP)
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -q -n auto --dist loadscope $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(PY) -m pytest -q -n auto --dist loadscope -m "not slow"

bench: $(STAMP)
	$(PY) -m experiments.benchmark

docs: $(STAMP)
	$(PY) -m sim.docs

clean:
	rm -rf $(VENV) outputs multirun .pytest_cache
