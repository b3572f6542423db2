# The project's commands. Each does its own set-up (apt, venv, Maven, databases) idempotently.
.PHONY: run test services stop lint format bench help

help:
	@echo "make run       set up, load demo data and serve the portal at http://127.0.0.1:5000"
	@echo "make test      set up and run the whole test suite against real services"
	@echo "make services  start PostgreSQL, Redis and Solr only"
	@echo "make stop      stop everything this checkout started"
	@echo "make lint      ruff check and format check"
	@echo "make bench     run the benchmarks (see benchmarks/README.md)"

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh $(PYTEST_ARGS)

services:
	@bash scripts/services-up.sh

stop:
	@bash scripts/stop.sh

lint:
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	@.venv/bin/ruff check --fix . && .venv/bin/ruff format .

bench:
	@bash scripts/bench.sh
