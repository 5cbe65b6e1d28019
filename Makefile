# Two commands do everything on a fresh machine with Python 3.11 and pip:
#   make demo   — sample province inbox through the nightly DAG (Airflow dag.test) into ./out
#   make test   — the test suite
PYTHON ?= python3
UV := $(PYTHON) -m uv

.PHONY: install demo test lint bench clean

install:
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen

demo: install
	$(UV) run bdg demo --out out

test: install
	$(UV) run pytest

lint: install
	$(UV) run ruff check .
	$(UV) run ruff check --select AIR dags/

clean:
	rm -rf out warehouse .pytest_cache

bench: install
	$(UV) run python -m sample.bench --out bench
