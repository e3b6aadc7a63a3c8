# One command per chore.  `make demo` and `make test` are the README's two set-up commands;
# .ci/run calls `make test` too.  Installing is skipped when .venv is up to date with pyproject.toml.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install test lint format bench demo score clean

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

demo: install
	$(BIN)/eduplan demo

score: install
	$(BIN)/python ../shared/tools/score_plan.py --gold ../shared/corpus/gold \
	    --cmd '$(BIN)/eduplan parse {file} --format json' --show-misses

clean:
	rm -rf eduplan-demo .pytest_cache .mypy_cache .ruff_cache .hypothesis
