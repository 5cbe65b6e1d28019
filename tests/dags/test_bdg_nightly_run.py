"""Real runs of the three DAGs through Airflow's dag.test(), in-process, on one generated province:
bdg_nightly (twice: the second run on the same inbox changes nothing), bdg_period_report, bdg_reminders."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pendulum
import pytest

from bdg import airflow_local
from sample.generate import generate_inbox

AS_OF = "2026-12-21"


def warehouse_snapshot(warehouse) -> dict[str, list[tuple]]:
    """Every row of every table and view, sorted; `dq.results` (a log that grows with each check run) is
    reduced to the latest run's findings without its run id and time."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        relations = con.execute(
            "select table_schema, table_name from information_schema.tables where table_schema <> 'dq' order by all"
        ).fetchall()
        snapshot = {f"{schema}.{name}": con.execute(f'select * from "{schema}"."{name}" order by all').fetchall()
                    for schema, name in relations}  # fmt: skip
        snapshot["dq.results (latest run)"] = con.execute(
            "select suite, expectation, severity, success, unit_code, report_year, report_type, observed "
            "from dq.results where run_id = (select max_by(run_id, run_at) from dq.results) order by all"
        ).fetchall()
    return snapshot


@pytest.fixture(scope="module")
def nightly(airflow_db, tmp_path_factory):
    """One generated province (10 units) through bdg_nightly; the env stays set for the module's tests."""
    root = tmp_path_factory.mktemp("nightly")
    generated = generate_inbox(
        root / "inbox", provinces=1, units_per_province=10, year=2026, report_type="NAM",
        late_rate=0.2, missing_rate=0.1, bad_rate=0.2, seed=7,
    )  # fmt: skip
    warehouse, out = root / "bdg.duckdb", root / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BDG_INBOX", str(generated.out_dir))
        patch.setenv("BDG_OUT_DIR", str(out))
        patch.setenv("BDG_WAREHOUSE", str(warehouse))
        patch.setenv("BDG_REFERENCE_DIR", str(generated.reference_dir))
        patch.setenv("BDG_PARSE_BATCH_FILES", "4")  # several mapped parse tasks even for 10 units
        state = airflow_local.run_dag("bdg_nightly", {"as_of_date": AS_OF})
        yield {"state": state, "generated": generated, "warehouse": warehouse, "out": out}


def test_nightly_dag_run_fills_the_warehouse(nightly):
    assert nightly["state"] == "success"
    warehouse, out = nightly["warehouse"], nightly["out"]
    expected = {unit["unit_code"]: unit["expected_status"] for unit in nightly["generated"].manifest["units"]}
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
                "select unit_code from dq.results where not success and unit_code is not null "
                "and suite = 'reporting_completeness'"
            ).fetchall()
        }
        # the generated units also overspend and the like: the reviewer's checks name them, as warnings only
        other_severities = {
            row[0]
            for row in con.execute(
                "select distinct severity from dq.results where not success and suite <> 'reporting_completeness'"
            ).fetchall()
        }
    assert statuses == expected
    assert failing_units == {code for code, status in expected.items() if status != "on_time"}
    assert other_severities <= {"warning"}
    assert (out / "bao_cao_bdg_2026_NAM.xlsx").stat().st_size > 0
    # publish: the status file and the chase list for the period the as-of date is about
    status = json.loads((out / "status" / "status_2026_NAM.json").read_text(encoding="utf-8"))
    assert {unit["unit_code"]: unit["status"] for unit in status["units"]} == expected
    assert status["as_of_date"] == AS_OF
    assert (out / "don_doc_bdg_2026_NAM.xlsx").stat().st_size > 0
    assert (out / "cong_van_don_doc_bdg_2026_NAM.docx").stat().st_size > 0
    # the loader committed every staged batch and cleaned up after itself
    assert not any((out / "staging").glob("*/*"))


def test_second_nightly_run_on_the_same_inbox_changes_nothing(nightly):
    before = warehouse_snapshot(nightly["warehouse"])
    assert airflow_local.run_dag("bdg_nightly", {"as_of_date": AS_OF}) == "success"
    after = warehouse_snapshot(nightly["warehouse"])
    assert after.keys() == before.keys()
    changed = [name for name in before if before[name] != after[name]]
    assert changed == []


def test_period_report_dag_builds_the_ministry_report(nightly):
    out = nightly["out"]
    for stale in out.glob("bao_cao_bdg_2026_NAM.*"):
        stale.unlink()
    assert airflow_local.run_dag("bdg_period_report", {"year": 2026, "period": "NAM"}) == "success"
    assert (out / "bao_cao_bdg_2026_NAM.xlsx").stat().st_size > 0
    assert (out / "bao_cao_bdg_2026_NAM.html").stat().st_size > 0
    # then the dbt docs, one static page with the exposures the reports are
    docs = (out / "dbt_docs" / "index.html").read_text(encoding="utf-8")
    assert "ministry_workbook" in docs and "chase_list" in docs


def test_reminders_dag_writes_the_chase_list_inside_the_due_window_only(nightly):
    out = nightly["out"]
    inside = pendulum.datetime(2026, 12, 5, 8, tz="Asia/Ho_Chi_Minh")  # 5 days after the 30/11 due date
    assert airflow_local.run_dag("bdg_reminders", logical_date=inside) == "success"
    folder = out / "reminders" / "2026-12-05"
    assert (folder / "don_doc_bdg_2026_NAM.xlsx").stat().st_size > 0
    assert (folder / "cong_van_don_doc_bdg_2026_NAM.docx").stat().st_size > 0

    outside = pendulum.datetime(2026, 8, 1, 8, tz="Asia/Ho_Chi_Minh")  # no due date within 14 days
    assert airflow_local.run_dag("bdg_reminders", logical_date=outside) == "success"
    assert not (out / "reminders" / dt.date(2026, 8, 1).isoformat()).exists()
