"""A real run of bdg_nightly through Airflow's dag.test(): ingest → cosmos dbt → expectations → report."""

from __future__ import annotations

import duckdb

from bdg import airflow_local
from bdg.generate import generate_inbox


def test_nightly_dag_run_fills_the_warehouse(airflow_db, tmp_path, monkeypatch):
    generated = generate_inbox(
        tmp_path / "inbox", provinces=1, units_per_province=10, year=2026, report_type="NAM",
        late_rate=0.2, missing_rate=0.1, bad_rate=0.2, seed=7,
    )  # fmt: skip
    warehouse, out = tmp_path / "bdg.duckdb", tmp_path / "out"
    monkeypatch.setenv("BDG_INBOX", str(generated.out_dir))
    monkeypatch.setenv("BDG_OUT_DIR", str(out))
    monkeypatch.setenv("BDG_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("BDG_REFERENCE_DIR", str(generated.reference_dir))

    state = airflow_local.run_dag("bdg_nightly", {"as_of_date": "2026-12-21"})

    assert state == "success"
    expected = {unit["unit_code"]: unit["expected_status"] for unit in generated.manifest["units"]}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        statuses = dict(
            con.execute(
                "select unit_code, status from marts.rpt_reporting_status where report_year = 2026 "
                "and report_type = 'NAM'"
            ).fetchall()
        )
        failing_units = {
            row[0]
            for row in con.execute(
                "select unit_code from dq.results where not success and unit_code is not null"
            ).fetchall()
        }
    assert statuses == expected
    assert failing_units == {code for code, status in expected.items() if status != "on_time"}
    assert (out / "bao_cao_bdg_2026_NAM.xlsx").stat().st_size > 0
