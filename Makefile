# Two entry points for a newcomer (see README.md): `make dashboard` and `make test`.
# Both create .venv on first use and install the package from this checkout.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
# The CPU build of PyTorch; an unpinned torch would pull a multi-GB CUDA build.
TORCH  ?= torch==2.13.0

.PHONY: setup dashboard test bench

$(BIN)/reviewdb: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH)"
	$(BIN)/python -m pip install --quiet -e ".[test]"
	# bytecode for the checkout, as pip writes it for an installed package: an editable
	# install has none, and every start compiled it again (0.3 s a process)
	$(BIN)/python -m compileall -q reviewdb app reproductions
	touch $(BIN)/reviewdb

setup: $(BIN)/reviewdb

## The main job: the dashboard on the embedded SQLite database with the bundled catalog.
dashboard: setup
	$(BIN)/reviewdb dashboard

## The test suite (PostgreSQL and browser tests run where REVIEWDB_TEST_PG_URL / chromium exist).
test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests"; fi; exit $$status

bench: setup
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done
