"""
### bdg_nightly — the nightly load of gender-equality reports

Every night at 01:00 (Asia/Ho_Chi_Minh): the run's as-of date is fixed (`as_of`), the inbox's new
workbooks are found (`discover`), parsed and
validated to Parquet by mapped tasks, one per batch (`parse`, any worker), committed by the one writer
(`load`, pool `bdg_warehouse`), dbt builds staging and marts (cosmos), Great Expectations names missing, late
and rejected units (`dq.results`), then the status, the chase list and letter, and the period's reports
are written: the same `bdg.steps` as `bdg run`; error findings hold the reports back in `du_thao/`.

Configuration: env `BDG_INBOX`, `BDG_OUT_DIR`, `BDG_WAREHOUSE`, `BDG_REFERENCE_DIR`, `BDG_STAGING_DIR`;
alerts go to `OUT/alerts/` and, with connection `bdg_smtp`, by e-mail. Param `as_of_date` (YYYY-MM-DD)
re-evaluates a past date; by default the run's own date is used.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag, task

from bdg import tasks
from bdg.dag_config import TIMEZONE, WAREHOUSE_POOL, asset, dbt_task_group, default_args


@dag(
    schedule="0 1 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    tags=["bdg", "nightly"],
    default_args=default_args(),
    doc_md=__doc__,
    params={"as_of_date": Param("", type="string", description="Ngày đánh giá YYYY-MM-DD (trống: ngày chạy)")},
)
def bdg_nightly():
    @task
    def as_of(params=None, data_interval_end=None, dag_run=None) -> str:
        return tasks.as_of_for_run(params, data_interval_end, getattr(dag_run, "run_after", None)).isoformat()

    @task(pool=WAREHOUSE_POOL)
    def discover() -> list[dict]:
        return tasks.discover()

    @task
    def parse(batch: dict, run_id=None) -> str:
        return tasks.parse(batch, run_id)

    @task(pool=WAREHOUSE_POOL, trigger_rule="none_failed", outlets=[asset("raw")])
    def load(batches: list[dict], run_id=None) -> dict:
        return tasks.load(batches, run_id)

    @task(pool=WAREHOUSE_POOL, outlets=[asset("marts"), asset("dq")])  # the marts, built and checked
    def expectations(as_of_date: str) -> dict:
        return tasks.expectations(as_of_date)

    @task(pool=WAREHOUSE_POOL, outlets=[asset("status"), asset("chase")])
    def publish(as_of_date: str) -> dict:
        return tasks.publish(as_of_date)

    @task(pool=WAREHOUSE_POOL, outlets=[asset("report")])
    def report(as_of_date: str, checks: dict) -> dict:
        return tasks.report(as_of_date, checks)

    as_of_date = as_of()
    batches = discover()
    loaded = load(batches)  # the planned batches: the loader fails when one of them was not staged
    as_of_date >> parse.expand(batch=batches) >> loaded
    checks = expectations(as_of_date)
    loaded >> dbt_task_group() >> checks
    publish(as_of_date) << checks
    report(as_of_date, checks)


bdg_nightly()
