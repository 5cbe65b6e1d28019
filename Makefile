# Two commands do everything on a fresh machine with Python 3.11 and pip:
#   make demo   — sample province inbox through the nightly DAG (Airflow dag.test) into ./out
#   make test   — the test suite (make test-fast: the quick tier for the edit-test loop)
PYTHON ?= python3
UV := $(PYTHON) -m uv

.PHONY: install demo test test-fast lint bench clean

install:
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen --quiet

demo: install
	$(UV) run bdg demo --out out

test: install
	$(UV) run pytest

# The edit-test tier (< 3 minutes): parser, loader, dbt unit tests, report rendering. CI runs `make test`.
test-fast: install
	$(UV) run pytest -m fast

# sqlfluff compiles the models through dbt, whose profile opens $$BDG_WAREHOUSE: a scratch file here.
lint: install
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run ruff check --select AIR dags/
	cd dbt_project && BDG_WAREHOUSE="$$(mktemp -d)/lint.duckdb" $(UV) run sqlfluff lint models --processes 2

clean:
	rm -rf out warehouse .pytest_cache

# National year: bdg ingest against a bare read, then the dbt build on the file and on a DuckLake loaded by
# two concurrent writers (needs PostgreSQL on 127.0.0.1:5432; make bench BENCH_ARGS=--skip-lake without it).
bench: install
	$(UV) run python -m sample.bench --out bench $(BENCH_ARGS)
