"""
### bdg_nightly — the nightly load of gender-equality reports

Every night at 01:00 (Asia/Ho_Chi_Minh): the run's as-of date is fixed (`as_of`), the inbox's new
workbooks are found (`discover`), parsed and
validated to Parquet by mapped tasks, one per batch (`parse`, any worker), committed by the one writer
(`load`, pool `bdg_warehouse`), dbt builds staging and marts (cosmos), Great Expectations names missing, late
and rejected units (`dq.results`), then the status, the chase list and the period's workbook are published.

Configuration: env `BDG_INBOX`, `BDG_OUT_DIR`, `BDG_WAREHOUSE`, `BDG_REFERENCE_DIR`, `BDG_STAGING_DIR`;
alerts go to `OUT/alerts/` and, with connection `bdg_smtp`, by e-mail. Param `as_of_date` (YYYY-MM-DD)
re-evaluates a past date; by default the run's own date is used.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag, task

from bdg import orchestration as bdg
from bdg.orchestration import WAREHOUSE_POOL, asset


@dag(
    schedule="0 1 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz=bdg.TIMEZONE),
    catchup=False,
    max_active_runs=1,
    tags=["bdg", "nightly"],
    default_args=bdg.default_args(),
    doc_md=__doc__,
    params={"as_of_date": Param("", type="string", description="Ngày đánh giá YYYY-MM-DD (trống: ngày chạy)")},
)
def bdg_nightly():
    @task
    def as_of(params=None, data_interval_end=None, dag_run=None) -> str:
        return bdg.as_of_for_run(params, data_interval_end, getattr(dag_run, "run_after", None)).isoformat()

    @task(pool=WAREHOUSE_POOL)
    def discover() -> list[list[dict]]:
        return bdg.discover()

    @task
    def parse(batch: list[dict], run_id=None) -> str:
        return bdg.parse(batch, run_id)

    @task(pool=WAREHOUSE_POOL, trigger_rule="none_failed", outlets=[asset("raw")])
    def load(run_id=None) -> dict:
        return bdg.load(run_id)

    @task(pool=WAREHOUSE_POOL, outlets=[asset("marts"), asset("dq")])  # the marts, built and checked
    def expectations(as_of_date: str) -> dict:
        return bdg.expectations(as_of_date)

    @task(pool=WAREHOUSE_POOL, outlets=[asset("status"), asset("chase")])
    def publish(as_of_date: str) -> dict:
        return bdg.publish(as_of_date)

    @task(pool=WAREHOUSE_POOL, outlets=[asset("report")])
    def report(as_of_date: str) -> str:
        return report.workbook(as_of_date)

    as_of_date = as_of()
    loaded = as_of_date >> parse.expand(batch=discover()) >> load()
    checked = expectations(as_of_date)
    loaded >> bdg.dbt_task_group() >> checked
    checked >> [publish(as_of_date), report(as_of_date)]


bdg_nightly()
