# One task runner for humans, the README and CI.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: demo test evals lint bench serve clean install-check

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11+ is required (set PYTHON=python3.11)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

demo: $(STAMP)  ## ingest the starter knowledge and answer a few questions, offline
	COPILOT_DATA_DIR=$${COPILOT_DATA_DIR:-.data/demo} $(BIN)/copilot demo

test: $(STAMP)  ## the whole test suite, offline
	$(BIN)/python -m pytest

evals: $(STAMP)  ## our eval suites, offline, gated on quality floors (CI runs this too)
	@mkdir -p .data
	$(BIN)/copilot eval evals/suites/*.yaml --junit .data/evals-junit.xml \
		--fail-under pass=0.78 --fail-under hit@3=0.96 --fail-under abstain_precision=0.87
	@# operator outputs on the evaluation communities: floors on dev only (held-out is reported);
	@# dev holds communities written by people who never saw the engine: floors are what it reaches
	@# (measured 2026-12-08 on a fresh data dir, 28 dev communities: drafts 455/495, summaries
	@# 539/551, stats 267/285, suggestions 103/104; the last two added, written blind (an
	@# open-source Slack, a Chengdu garden's WeChat), are the harder part and set the drafts floor;
	@# the stats misses are question counts 2-5 off the writers' hand counts (some count admins'
	@# polls, which the health numbers leave out), and bot posts, which maker-hub's writer counts)
	$(BIN)/python -m evals.outputs --split dev --json .data/evals-outputs.json \
		--fail-under drafts.checks=0.91 --fail-under summaries.checks=0.97 \
		--fail-under stats.checks=0.93 --fail-under suggestions.checks=0.95

lint: $(STAMP)
	$(BIN)/ruff check copilot connectors evals tests bench
	$(BIN)/ruff format --check copilot connectors evals tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

install-check:  ## pip install . (not editable) into a fresh venv and run it outside the tree
	PYTHON=$(PYTHON) .ci/install-check

bench: $(STAMP)
	$(BIN)/python bench/ingest_throughput.py
	$(BIN)/python bench/retrieval_latency.py

serve: $(STAMP)
	$(BIN)/copilot serve

clean:
	rm -rf .data .pytest_cache .mypy_cache .ruff_cache
