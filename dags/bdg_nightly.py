"""
### bdg_nightly — the nightly load of gender-equality reports

Every night at 01:00 (Asia/Ho_Chi_Minh), for the run's as-of date (`as_of`; param `as_of_date` re-evaluates
a past date): new inbox files (`discover`) parsed to Parquet by mapped tasks (`parse`, any worker), committed
by the one writer (`load`; pool `bdg_warehouse` and queue `$BDG_WAREHOUSE_QUEUE`, as every warehouse task);
dbt source freshness (`freshness`: stale is a warning in `OUT/alerts/`, not a failure) and ONE `dbt build`
(`transform`: `bdg.steps.transform_step`, as `bdg run`); the expectations (`dq.results`), then the status, chase
list and letter (`publish`) and the period's reports (`report`; held back in `du_thao/` by error findings). Env:
`BDG_INBOX`, `BDG_OUT_DIR`, `BDG_WAREHOUSE`, `BDG_REFERENCE_DIR`, `BDG_STAGING_DIR`; alerts: `OUT/alerts/`, `bdg_smtp`.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag, task

from bdg import tasks
from bdg.dag_config import AS_OF_HELP, TIMEZONE, WAREHOUSE_POOL, WAREHOUSE_QUEUE, asset, default_args


@dag(
    schedule="0 1 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    tags=["bdg", "nightly"],
    default_args=default_args(),
    doc_md=__doc__,
    params={"as_of_date": Param(None, type=["null", "string"], format="date", description=AS_OF_HELP)},
)
def bdg_nightly():
    @task
    def as_of(params=None, data_interval_end=None, dag_run=None) -> str:
        return tasks.as_of_for_run(params, data_interval_end, getattr(dag_run, "run_after", None)).isoformat()

    @task(pool=WAREHOUSE_POOL, queue=WAREHOUSE_QUEUE)
    def discover() -> list[dict]:
        return tasks.discover()

    @task
    def parse(batch: dict, run_id=None) -> str:
        return tasks.parse(batch, run_id)

    @task(pool=WAREHOUSE_POOL, queue=WAREHOUSE_QUEUE, trigger_rule="none_failed", outlets=[asset("raw")])
    def load(batches: list[dict], run_id=None) -> dict:
        return tasks.load(batches, run_id)

    @task(pool=WAREHOUSE_POOL, queue=WAREHOUSE_QUEUE)
    def freshness(as_of_date: str) -> dict:
        return tasks.source_freshness(as_of_date)

    @task(pool=WAREHOUSE_POOL, queue=WAREHOUSE_QUEUE)
    def transform(as_of_date: str) -> None:
        tasks.transform(as_of_date)

    @task(pool=WAREHOUSE_POOL, queue=WAREHOUSE_QUEUE, outlets=[asset("marts"), asset("dq")])  # built, checked
    def expectations(as_of_date: str) -> dict:
        return tasks.expectations(as_of_date)

    @task(pool=WAREHOUSE_POOL, queue=WAREHOUSE_QUEUE, outlets=[asset("status"), asset("chase")])
    def publish(as_of_date: str) -> dict:
        return tasks.publish(as_of_date)

    @task(pool=WAREHOUSE_POOL, queue=WAREHOUSE_QUEUE, outlets=[asset("report")])
    def report(as_of_date: str, checks: dict) -> dict:
        return tasks.report(as_of_date, checks)

    as_of_date = as_of()
    batches = discover()
    loaded = load(batches)  # the planned batches: the loader fails when one of them was not staged
    as_of_date >> parse.expand(batch=batches) >> loaded
    checks = expectations(as_of_date)
    loaded >> freshness(as_of_date) >> transform(as_of_date) >> checks
    publish(as_of_date) << checks
    report(as_of_date, checks)


bdg_nightly()
