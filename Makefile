# Two commands on a fresh machine:  `make run`  (install + build the fact base + run)  and  `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install kb lint bench eval eval-frozen train clean

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
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

# the question sets, scored with the team's scorer: the training sets the ranker learns from (figures on them
# are training figures), articles never tuned on (each added to the shipped ones in a separate fact base),
# and the leave-one-article-out cross-validation that estimates how the engine does on unseen wording
SCORE := $(BIN)/python tests/data/score.py --quiet
UNSEEN := var/unseen
eval: $(STAMP) kb/facts.db
	@echo "training sets (tuned on):"
	@for f in intents/training/*.jsonl; do printf '  %-36s ' $$f; $(SCORE) --cases $$f -- $(BIN)/python scripts/ask.py --jsonl | tail -n 1; done
	@echo "unseen articles (never tuned on):"
	@for d in tests/data/unseen tests/data/unseen2; do \
	  rm -rf $(UNSEEN) && mkdir -p $(UNSEEN)/articles && cp kb/articles/* $$d/articles/*.txt $(UNSEEN)/articles/; \
	  $(BIN)/python scripts/build_kb.py --articles $(UNSEEN)/articles --db $(UNSEEN)/facts.db > /dev/null; \
	  printf '  %-36s ' $$d; $(SCORE) --cases $$d/questions.jsonl -- $(BIN)/python scripts/ask.py --jsonl --db $(UNSEEN)/facts.db | tail -n 1; done
	@$(BIN)/python scripts/train_ranker.py --check

# the frozen residents' set: never tuned on; score it once, at the end of a piece of work
eval-frozen: $(STAMP) kb/facts.db
	@$(SCORE) --cases tests/data/frozen/residents_frozen.jsonl -- $(BIN)/python scripts/ask.py --jsonl | tail -n 1

# retrain the ranker and its calibration from intents/training (writes intents/ranker.json)
train: $(STAMP) kb/facts.db
	$(BIN)/python scripts/train_ranker.py

clean:
	rm -rf $(VENV) kb/facts.db .pytest_cache
