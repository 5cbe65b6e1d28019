"""What every BDG DAG shares, kept out of the DAG files: the one-writer pool and its queue, the assets that
link the DAGs, retries with a time limit and the failure alert, the `as_of_date` param's help.

Importing this module does no work and does not import airflow (`bdg.airflow_local` imports it before
Airflow's configuration is set); the functions import what they need.
"""

from __future__ import annotations

import datetime as dt
import functools
import os

from ingest.periods import LOCAL_TZ_NAME

TIMEZONE = LOCAL_TZ_NAME  # DAG start dates: pendulum.datetime(..., tz=TIMEZONE)
# The pool of the tasks that open the warehouse. Size 1 for the embedded file (DuckDB has one writer, and a
# writer excludes other processes' readers). On a DuckLake readers never wait and writers of different
# provinces commit at once, so it may have more slots (`airflow pools set bdg_warehouse 4 "…"`): the nightly's
# own tasks still run one after another (their dependencies), others (a period report, the docs) beside them.
WAREHOUSE_POOL = "bdg_warehouse"
# The Celery queue of the same tasks, read when the DAG file is parsed (environment only, no database):
# `airflow celery worker --queues default,bdg_warehouse` on the hosts that may open the warehouse (the lake's
# catalog and data path reachable), plain `default` workers for the parse tasks. Unset: Airflow's default queue.
WAREHOUSE_QUEUE = os.environ.get("BDG_WAREHOUSE_QUEUE") or "default"
EXECUTION_TIMEOUT_MINUTES = 60  # per task try: a province's whole dbt build takes minutes, not an hour
AS_OF_HELP = "Ngày đánh giá (trống: ngày của lần chạy)"  # the `as_of_date` param, a date picker in the UI

# Assets: what each step leaves behind, so one DAG's output can be seen (and scheduled on) by another.
ASSET_URIS = {
    "raw": "x-bdg://warehouse/raw",  # raw.* after the loader committed the night's files
    "marts": "x-bdg://warehouse/marts",  # staging + marts after dbt build
    "dq": "x-bdg://warehouse/dq",  # dq.results after the expectations
    "status": "x-bdg://out/status",  # status_<year>_<type>.json
    "chase": "x-bdg://out/chase",  # the chase list and the draft reminder letter
    "report": "x-bdg://out/report",  # the ministry workbook, HTML report and narrative
}


def default_args() -> dict:
    """Retries with exponential backoff, a time limit and the failure alert, for every task of every BDG DAG."""
    from bdg.alerts import alert_on_failure

    return {
        "owner": "so-noi-vu",
        "retries": 2,
        "retry_delay": dt.timedelta(minutes=2),
        "retry_exponential_backoff": True,
        "max_retry_delay": dt.timedelta(minutes=30),
        "on_failure_callback": alert_on_failure,
        # A hung task would hold the one-writer pool and block every DAG.
        "execution_timeout": dt.timedelta(minutes=EXECUTION_TIMEOUT_MINUTES),
    }


@functools.cache
def asset(key: str):
    """The Airflow Asset for one of ASSET_URIS ('raw', 'marts', 'dq', 'status', 'chase', 'report')."""
    from airflow.sdk import Asset

    return Asset(name=f"bdg_{key}", uri=ASSET_URIS[key], group="bdg")
