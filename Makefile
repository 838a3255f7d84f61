# The two commands of the README, and the ones developers use in between.
PYTHON ?= python3

.PHONY: run install test test-deps check bench constraints

## Install and start the whole system on SQLite, with demo tickets in an empty database.
run: install
	campusdesk run --demo

install:
	$(PYTHON) -m pip install --quiet -c constraints.txt -e .

## Install what the tests need (Chromium and axe-core included) and run every test.
test: test-deps check

test-deps:
	bash scripts/install-test-deps.sh

## Lint, check the formatting and run every test, assuming the test dependencies are installed.
check:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m pytest -n 2 --dist loadgroup

## Rewrite constraints.txt: the newest versions setup.cfg allows, resolved in a fresh virtual
## environment in a temporary folder. Run `make test` with them before committing the file.
constraints:
	set -e; venv=$$(mktemp -d); trap 'rm -rf "$$venv"' EXIT; \
	$(PYTHON) -m venv "$$venv"; \
	"$$venv/bin/python" -m pip install --quiet -e '.[test]'; \
	version=$$("$$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	{ echo "# The exact versions the tests pass with: pip install -c constraints.txt -e '.[test]'"; \
	  echo "# (pip freeze of the test environment on Python $$version, without CampusDesk itself.)"; \
	  echo "# Refresh with \`make constraints\` (the newest versions setup.cfg allows, resolved in a fresh"; \
	  echo "# virtual environment), run \`make test\` with them, then commit. See docs/development.md."; \
	  "$$venv/bin/python" -m pip freeze --exclude-editable; } > "$$venv/constraints.txt"; \
	mv "$$venv/constraints.txt" constraints.txt

## The benchmarks recorded in docs/performance.md (one million tickets in SQLite and in the
## PostgreSQL database BENCH_DB; needs wrk).
BENCH_DIR ?= /tmp/campusdesk-bench
BENCH_POSTGRES ?= postgresql://postgres@127.0.0.1:5432
BENCH_DB ?= campusdesk_bench
bench:
	rm -rf $(BENCH_DIR)
	psql $(BENCH_POSTGRES)/postgres -q -c 'DROP DATABASE IF EXISTS $(BENCH_DB)' -c 'CREATE DATABASE $(BENCH_DB)'
	CAMPUSDESK_DATA_DIR=$(BENCH_DIR) campusdesk seed --tickets 1000000 --seed 1 --quiet
	CAMPUSDESK_DATA_DIR=$(BENCH_DIR) CAMPUSDESK_DATABASE_URL=$(BENCH_POSTGRES)/$(BENCH_DB) \
		campusdesk seed --tickets 1000000 --seed 1 --quiet
	$(PYTHON) bench/bench_queries.py --data-dir $(BENCH_DIR) --database-url $(BENCH_POSTGRES)/$(BENCH_DB)
	$(PYTHON) bench/bench_api.py --data-dir $(BENCH_DIR) --database-url $(BENCH_POSTGRES)/$(BENCH_DB) \
		--seconds 10
	$(PYTHON) bench/bench_classifier.py
	$(PYTHON) bench/analytics.py
