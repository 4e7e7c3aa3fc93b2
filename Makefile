# Two commands on a fresh machine:  `make run`  (install + build the fact base + run)  and  `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install kb lint bench eval clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

kb/facts.db: $(STAMP) $(wildcard kb/articles/*) kb/gazetteer.yaml kb/china_places.tsv
	$(BIN)/python scripts/build_kb.py

kb: kb/facts.db

# the bot with TELEGRAM_BOT_TOKEN set, else a console chat on the same engine
run: $(STAMP) kb/facts.db
	$(BIN)/python -m bot

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

# the question sets: the shared dev set (when ../shared is there) and the project's held-out sets
EVAL_SETS := $(wildcard ../shared/eval/dev.jsonl) $(wildcard tests/data/heldout*.jsonl)
# and unseen articles: two articles the engine was never tuned on, added to the shipped ones in a separate base
UNSEEN := var/unseen
eval: $(STAMP) kb/facts.db
	@for f in $(EVAL_SETS); do printf '%-28s ' $$f; \
	  $(BIN)/python tests/data/score.py --quiet --cases $$f -- $(BIN)/python scripts/ask.py --jsonl | tail -n 1; done
	@rm -rf $(UNSEEN) && mkdir -p $(UNSEEN)/articles && cp kb/articles/* tests/data/unseen/articles/*.txt $(UNSEEN)/articles/
	@$(BIN)/python scripts/build_kb.py --articles $(UNSEEN)/articles --db $(UNSEEN)/facts.db > /dev/null
	@printf '%-28s ' tests/data/unseen; $(BIN)/python tests/data/score.py --quiet --cases tests/data/unseen/questions.jsonl \
	  -- $(BIN)/python scripts/ask.py --jsonl --db $(UNSEEN)/facts.db | tail -n 1

clean:
	rm -rf $(VENV) kb/facts.db .pytest_cache
