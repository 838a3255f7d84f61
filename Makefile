# The two commands of the README, and the ones developers use in between.
PYTHON ?= python3

.PHONY: run install test test-deps check bench

## Install and start the whole system on SQLite, with demo tickets in an empty database.
run: install
	campusdesk run --demo

install:
	$(PYTHON) -m pip install --quiet -e .

## Install what the tests need (Chromium and axe-core included) and run every test.
test: test-deps check

test-deps:
	bash scripts/install-test-deps.sh

## Run every test, assuming the test dependencies are installed.
check:
	$(PYTHON) -m pytest -n 2 --dist loadgroup

## The benchmarks recorded in docs/performance.md (one million tickets; needs wrk).
BENCH_DIR ?= /tmp/campusdesk-bench
bench:
	rm -rf $(BENCH_DIR)
	CAMPUSDESK_DATA_DIR=$(BENCH_DIR) campusdesk seed --tickets 1000000 --seed 1 --quiet
	$(PYTHON) bench/bench_queries.py --data-dir $(BENCH_DIR)
	$(PYTHON) bench/bench_api.py --data-dir $(BENCH_DIR) --seconds 10
	$(PYTHON) bench/bench_classifier.py
	$(PYTHON) bench/analytics.py
