# Ledgerport — the two commands are `make run` and `make test`; the rest are their parts.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV ?= .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
PORT ?= 8000
SANDBOX_PORT ?= 8001
MANAGE := $(BIN)/ledgerport
export PYTHONUNBUFFERED := 1

.PHONY: help install messages run test lint types mypy-baseline format bench bench-sync bench-load clean

help:
	@echo "make run    install, migrate, seed demo data, start web + worker + beat + sandbox"
	@echo "make test   install and run the whole suite (lint, types, tests)"
	@echo "make bench  performance benchmarks (bench-sync alone: the provider syncs, ~16 min)"
	@echo "make bench-load  50 users browsing a 1M-row company on the production server (~5 min)"

$(BIN)/uv:
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Exactly the locked versions; --inexact keeps uv itself in the environment.
# Then the optional C accelerators (the SIE reader's sie/_fastsie.c, the PostgreSQL import's
# ledger/_copyrows.c); without a C compiler it warns and both use their pure-Python paths
# (LEDGERPORT_SIE_PURE=1 forces those).
install: $(BIN)/uv
	$(BIN)/uv sync --locked --inexact --quiet
	$(BIN)/python src/ledgerport/build_accelerators.py --quiet

# Compiled with Babel so no system gettext is needed to run; `make messages-extract`
# (GNU gettext) refreshes the catalogues when texts change.
messages: install
	@for po in src/ledgerport/locale/*/LC_MESSAGES/django.po; do \
		$(BIN)/pybabel compile --use-fuzzy -i $$po -o $${po%.po}.mo >/dev/null || exit 1; done

messages-extract: install
	cd src/ledgerport && ../../$(MANAGE) makemessages -l sv -l nb -l en --no-obsolete --no-location --no-fuzzy-matching

run: messages
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) collectstatic --noinput --verbosity 0
	@echo
	@echo "  Ledgerport:  http://127.0.0.1:$(PORT)"
	@echo "  Sandbox:     http://127.0.0.1:$(SANDBOX_PORT)"
	@echo "  Firm login:   anna@demo-redovisning.se / ledgerport-demo"
	@echo "  Client login: kund@exempelbolaget.se / ledgerport-demo + one-time code (TOTP secret NRSWIZ3FOJYG64TUFVSGK3LPFV2G65DQ)"
	@echo "  BankID login: Tolvan Tolvansson 19121212-1212, approve in the sandbox test app http://127.0.0.1:$(SANDBOX_PORT)/bankid/app"
	@echo "  Ctrl-C stops everything."
	@echo
	WEB_PORT=$(PORT) SANDBOX_PORT=$(SANDBOX_PORT) \
	PUBLIC_URL=$${PUBLIC_URL:-http://127.0.0.1:$(PORT)} \
	SANDBOX_URL=$${SANDBOX_URL:-http://127.0.0.1:$(SANDBOX_PORT)} \
	$(BIN)/honcho start --procfile Procfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MAKE) --no-print-directory types
	$(BIN)/lint-imports --no-logo

# mypy over the product against mypy-baseline.txt, which may only shrink: a new error fails,
# and so does a listed one that no longer occurs (then `make mypy-baseline` rewrites the list).
types: install
	$(BIN)/python .ci/mypy_baseline.py check

mypy-baseline: install
	$(BIN)/python .ci/mypy_baseline.py update

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# First, before installing anything: Chromium and gettext (.ci/system-deps installs them as
# root with apt-get, or stops at once with the command to run).
test: system-deps messages lint
	$(BIN)/pytest $(PYTEST_ARGS)

system-deps:
	@.ci/system-deps

bench: install
	$(BIN)/python bench/sie_parse.py
	$(BIN)/python bench/ledger_import.py
	$(BIN)/python bench/mva_draft.py
	$(MAKE) --no-print-directory bench-sync

# Full Fortnox + Spiris syncs against the sandbox under the real rate limits (~14 + 1 min).
# Its own PostgreSQL database, dropped and re-created: BENCH_SYNC_DATABASE_URL.
BENCH_SYNC_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bench_sync
bench-sync: install
	DATABASE_URL=$(BENCH_SYNC_DATABASE_URL) $(BIN)/python bench/sync.py $(BENCH_SYNC_ARGS)

# 50 people browsing a firm whose largest client has 1,000,000 rows, against the server `make run`
# starts (core/serve.py). Its own PostgreSQL database, dropped and re-created: BENCH_LOAD_DATABASE_URL.
BENCH_LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bench_load
bench-load: messages
	BENCH_LOAD_DATABASE_URL=$(BENCH_LOAD_DATABASE_URL) $(BIN)/python bench/load.py $(BENCH_LOAD_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
