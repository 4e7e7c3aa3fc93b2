# Two commands on a fresh machine:  `make run`  (install + build the fact base + run)  and  `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install kb lint bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

kb/facts.db: $(STAMP) $(wildcard kb/articles/*) kb/gazetteer.yaml
	$(BIN)/python scripts/build_kb.py

kb: kb/facts.db

# the bot with TELEGRAM_BOT_TOKEN set, else a console chat on the same engine
run: $(STAMP) kb/facts.db
	$(BIN)/python -m bot

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) kb/facts.db .pytest_cache
