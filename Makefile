# riskdesk: `make run` opens the app, `make test` runs the whole suite, `make bench` measures.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test bench lint install clean-venv

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/riskdesk

lint: $(STAMP)
	$(VENV)/bin/ruff check riskdesk tests benchmarks
	$(VENV)/bin/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q $(PYTEST_ARGS)

# Every benchmarks/bench_*.py; writes benchmarks/RESULTS.md; fails when a goal is missed.
# `make bench BENCH="startup cli"` runs some; BENCH_QUICK=1 is a smoke test (small sizes).
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/run.py $(BENCH)

clean-venv:
	rm -rf $(VENV)
