# One command per chore.  `make demo` and `make test` are the README's two set-up commands;
# .ci/run calls `make test` too.  Installing is skipped when .venv is up to date with pyproject.toml.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install test lint format bench bench-registry demo score clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || { echo "creating $(VENV)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

test: install
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

bench: install
	$(BIN)/python benchmarks/bench_parse.py
	$(BIN)/python benchmarks/bench_tables.py
	$(BIN)/python benchmarks/bench_ledger_import.py
	$(BIN)/python benchmarks/bench_registry.py
	$(BIN)/python benchmarks/bench_loop.py
	$(BIN)/python benchmarks/bench_dashboard.py
	$(BIN)/python benchmarks/bench_levels.py
	$(BIN)/python benchmarks/bench_convert.py
	$(BIN)/python benchmarks/bench_ocr.py

demo: install
	$(BIN)/eduplan demo

score: install
	$(BIN)/python ../shared/tools/score_plan.py --gold ../shared/corpus/gold \
	    --cmd '$(BIN)/eduplan parse {file} --format json' --show-misses

clean:
	rm -rf eduplan-demo .pytest_cache .mypy_cache .ruff_cache .hypothesis

# The registry at 1,000 plans on SQLite and PostgreSQL (EDUPLAN_TEST_POSTGRES_URL, else the local
# server; skipped when it does not answer): import rate, then latency under 32 clients. ~4 minutes.
bench-registry: install
	$(BIN)/python benchmarks/bench_registry.py $(ARGS)
