"""The dbt project's unit tests (`unit_tests:` in the model YAML: status, rate and target rules), run on
their own against an empty warehouse: `dbt build --empty` creates every relation with no rows (the unit
tests need their parents' columns) and runs every unit test before its model; data tests are left to the
full suite, which builds real data."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bdg.steps import prepare_warehouse
from bdg.transform import run_dbt
from ingest.reference import resolve_reference_dir

pytestmark = pytest.mark.fast


def test_every_dbt_unit_test_passes(tmp_path):
    warehouse = tmp_path / "bdg.duckdb"
    prepare_warehouse(warehouse, resolve_reference_dir(None))
    work_dir = tmp_path / "dbt"

    run_dbt(["build", "--empty", "--exclude", "test_type:data"], warehouse, dt.date(2026, 12, 21), work_dir=work_dir)

    results = json.loads((work_dir / "target" / "run_results.json").read_text(encoding="utf-8"))["results"]
    unit_tests = [result for result in results if result["unique_id"].startswith("unit_test.")]
    assert len(unit_tests) >= 10, "the project's unit tests were not selected"
    assert {result["status"] for result in unit_tests} == {"pass"}
