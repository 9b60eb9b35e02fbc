# Two commands on a fresh machine: `make run` (set up + start the console bot on SQLite)
# and `make test` (set up + lint + type-check + the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ARGS   ?=

.PHONY: run extras test lint typecheck pytest bench docs-images clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: re-install only when pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e . 1>&2
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,discord,slack,queue]' 1>&2
	touch $@ $(VENV)/.installed-run $(VENV)/.installed-extras

$(VENV)/.installed-extras: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[discord,slack]' 1>&2
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	@$(BIN)/calcbot console $(ARGS)

# The libraries `calcbot discord` and `calcbot slack` need (discord.py, slack-bolt), beside the console's.
extras: $(VENV)/.installed-extras

test: $(VENV)/.installed-dev lint typecheck pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check bot plotting content tests benchmarks

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy bot

pytest: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q -n 2 --durations=15

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/solver.py
	$(BIN)/python benchmarks/plots.py
	$(BIN)/python benchmarks/store.py
	$(BIN)/python -m benchmarks.scheduler
	$(BIN)/python -m benchmarks.leaderboard
	$(BIN)/python -m benchmarks.generation

docs-images: $(VENV)/.installed-dev
	$(BIN)/python scripts/make_docs_images.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
