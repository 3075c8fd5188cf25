# newsflow — the two commands of the README are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NEWSFLOW := $(BIN)/newsflow
NATIVE := $(VENV)/newsflow-native/stamp.json

# The test run uses its own broker and PostgreSQL ports and data directory, so it never meets
# `make run` (nor `newsflow postgres start`).
TEST_ENV := NEWSFLOW_KAFKA_PORT=$${NEWSFLOW_TEST_KAFKA_PORT:-19092} \
	NEWSFLOW_KAFKA_CONTROLLER_PORT=$${NEWSFLOW_TEST_KAFKA_CONTROLLER_PORT:-19093} \
	NEWSFLOW_POSTGRES_PORT=$${NEWSFLOW_TEST_POSTGRES_PORT:-15432} \
	NEWSFLOW_DATA_DIR=data/test NEWSFLOW_LOG_FORMAT=json

.PHONY: install prerequisites test-prerequisites run test lint typecheck schemas clean

# What the machine lacks (Java, Maven, python3-venv; for the tests Chromium, promtool and
# PostgreSQL's server) is installed first, or make stops here and prints the one command that
# installs it.
prerequisites:
	@PYTHON=$(PYTHON) bash deploy/prerequisites.sh run

test-prerequisites:
	@PYTHON=$(PYTHON) bash deploy/prerequisites.sh test

install: prerequisites $(STAMP) $(NATIVE)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --editable '.[test,native]'
	$(NEWSFLOW) compile  # numba kernels into their disk cache: no service start pays for it
	touch $@

# The parser's compiled modules, rebuilt when a parser module changed and their build no longer
# matches the sources (the parser uses the pure-Python modules until then).
$(NATIVE): $(STAMP) $(wildcard services/parser/*.py)
	$(NEWSFLOW) compile --native-only
	touch $@

run: prerequisites install
	$(NEWSFLOW) run --push seeds

test: test-prerequisites install lint typecheck
	@$(TEST_ENV) $(NEWSFLOW) postgres exec -- $(NEWSFLOW) kafka exec -- $(BIN)/pytest -p no:cacheprovider --durations=25

lint: install
	$(BIN)/ruff check services tests bench
	$(BIN)/ruff format --check services tests bench

typecheck: install
	$(BIN)/mypy

schemas: install
	$(NEWSFLOW) schemas

clean:
	rm -rf $(VENV) data/test .mypy_cache .ruff_cache .pytest_cache
