# Two commands: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: prepare run test lint types unit chat migrate clean format bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Bytecode and parsed texts made ahead: a worker that cannot write beside the code (the
# systemd unit in the README) would otherwise make them again on every start, 0.3 s or more.
prepare: $(STAMP)
	$(BIN)/python -m compileall -q bot flows
	$(BIN)/python -c "from bot import i18n; [i18n.bundle(lang) for lang in i18n.available()]"

run: $(STAMP)
	$(BIN)/python -m bot

chat: $(STAMP)
	$(BIN)/python -m bot chat

migrate: $(STAMP)
	$(BIN)/python -m bot migrate

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

types: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

test: lint types unit

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) data .mypy_cache .pytest_cache .ruff_cache

# Benchmarks (not tests): prints a table and writes bench/results.json.
bench: $(STAMP)
	$(BIN)/python -m bench.run
