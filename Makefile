# Two commands on a fresh machine:  `make run`  (install + build the fact base + run)  and  `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lock kb lint bench docker-check eval clean

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

# build and smoke-test the image with docker or podman; says "skipped" (exit 0) where neither works
docker-check:
	bash scripts/docker_check.sh

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
