"""
### bdg_nightly — the nightly load of gender-equality reports

Every night at 01:00 (Asia/Ho_Chi_Minh): new workbooks in the inbox are parsed, validated and loaded
into the DuckDB warehouse (`raw`), dbt builds staging and marts (cosmos, `dbt build` per node), Great
Expectations names missing, late and rejected units (`dq.results`), and the ministry workbook is written.

Configuration comes from the environment: `BDG_INBOX`, `BDG_OUT_DIR`, `BDG_WAREHOUSE`, `BDG_REFERENCE_DIR`.
Param `as_of_date` (YYYY-MM-DD) re-evaluates a past date; by default the run's own date is used.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag, task

from bdg.orchestration import DEFAULT_ARGS, WAREHOUSE_POOL, dbt_task_group


@dag(
    schedule="0 1 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Ho_Chi_Minh"),
    catchup=False,
    max_active_runs=1,
    tags=["bdg", "nightly"],
    default_args=DEFAULT_ARGS,
    doc_md=__doc__,
    params={"as_of_date": Param("", type="string", description="Ngày đánh giá YYYY-MM-DD (trống: ngày chạy)")},
)
def bdg_nightly():
    @task(pool=WAREHOUSE_POOL)
    def ingest(params=None, data_interval_end=None, dag_run=None) -> dict:
        from bdg.orchestration import nightly_ingest

        return nightly_ingest(params, data_interval_end, getattr(dag_run, "run_after", None))

    @task(pool=WAREHOUSE_POOL)
    def check(run: dict) -> dict:
        from bdg.orchestration import nightly_check

        return nightly_check(run)

    @task
    def report(run: dict, checks: dict) -> str:
        from bdg.orchestration import nightly_report

        return nightly_report(run)

    run = ingest()
    checks = check(run)
    run >> dbt_task_group() >> checks
    report(run, checks)


bdg_nightly()
