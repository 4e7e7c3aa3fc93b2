# Two commands on a fresh machine:  `make run`  (install + build the fact base + run)  and  `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lock kb lint bench docker-check eval eval-frozen train clean

# Dependencies come from the lock files only (every package pinned with its hashes); the code runs from
# this folder, it is not installed. `make lock` regenerates them after pyproject.toml changes.
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
UV_VERSION := 0.13.9

$(STAMP): $(DEV_LOCK)
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r $(DEV_LOCK)
	touch $(STAMP)

install: $(STAMP)

# Regenerate both lock files from pyproject.toml with uv, installed into a throwaway venv (not a project
# dependency): the dev lock (runtime + dev extras) first, then the runtime lock (the image's) held to the
# same versions. Pins already in the files are kept; `make lock UPGRADE=1` moves all to the newest allowed.
# Both target CPython 3.11+ on any platform (--universal) and carry the hashes of every file on the index.
LOCK_FLAGS := --universal --python-version 3.11 --generate-hashes --quiet --custom-compile-command 'make lock'
lock:
	@set -e; tool=$$(mktemp -d); trap 'rm -rf "$$tool"' EXIT; \
	$(PY) -m venv "$$tool" && "$$tool/bin/pip" install --quiet uv==$(UV_VERSION); \
	"$$tool/bin/uv" pip compile pyproject.toml --extra dev $(LOCK_FLAGS) $(if $(UPGRADE),--upgrade) -o $(DEV_LOCK); \
	"$$tool/bin/uv" pip compile pyproject.toml -c $(DEV_LOCK) $(LOCK_FLAGS) -o $(LOCK); \
	echo "$(DEV_LOCK): $$(grep -c '^[a-z]' $(DEV_LOCK)) packages; $(LOCK) (runtime, the image): $$(grep -c '^[a-z]' $(LOCK))"

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

# build and smoke-test the image with docker or podman; says "skipped" (exit 0) where neither works
docker-check:
	bash scripts/docker_check.sh

# the question sets, scored with the team's scorer: the training sets the ranker learns from (figures on them
# are training figures), articles never tuned on (each added to the shipped ones in a separate fact base),
# and the leave-one-article-out cross-validation that estimates how the engine does on unseen wording
SCORE := $(BIN)/python tests/data/score.py --quiet
UNSEEN := var/unseen
eval: $(STAMP) kb/facts.db
	@echo "training sets (tuned on):"
	@for f in training/*.jsonl; do printf '  %-36s ' $$f; $(SCORE) --cases $$f -- $(BIN)/python scripts/ask.py --jsonl | tail -n 1; done
	@echo "unseen articles (never tuned on):"
	@for d in tests/data/unseen tests/data/unseen2; do \
	  rm -rf $(UNSEEN) && mkdir -p $(UNSEEN)/articles && cp kb/articles/* $$d/articles/*.txt $(UNSEEN)/articles/; \
	  $(BIN)/python scripts/build_kb.py --articles $(UNSEEN)/articles --db $(UNSEEN)/facts.db > /dev/null; \
	  printf '  %-36s ' $$d; $(SCORE) --cases $$d/questions.jsonl -- $(BIN)/python scripts/ask.py --jsonl --db $(UNSEEN)/facts.db | tail -n 1; done
	@$(BIN)/python scripts/train_ranker.py --check

# the frozen residents' set: never tuned on; score it once, at the end of a piece of work
eval-frozen: $(STAMP) kb/facts.db
	@$(SCORE) --cases tests/data/frozen/residents_frozen.jsonl -- $(BIN)/python scripts/ask.py --jsonl | tail -n 1

# retrain the ranker and its calibration from training (writes intents/ranker.json)
train: $(STAMP) kb/facts.db
	$(BIN)/python scripts/train_ranker.py

clean:
	rm -rf $(VENV) kb/facts.db .pytest_cache
