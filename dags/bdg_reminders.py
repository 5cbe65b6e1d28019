"""
### bdg_reminders — chasing units around each due date

Daily at 08:00, from 14 days before each due date of the reporting calendar to 14 days after (other days
the run stops at `due_window`): the chase list (units missing, rejected or late) and the draft reminder
letter for that period, dated the run's day, under `BDG_OUT_DIR/reminders/<date>/`.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag, task

from bdg import tasks
from bdg.dag_config import AS_OF_HELP, TIMEZONE, WAREHOUSE_POOL, WAREHOUSE_QUEUE, asset, default_args


@dag(
    schedule="0 8 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    tags=["bdg", "reminders"],
    default_args=default_args(),
    doc_md=__doc__,
    params={"as_of_date": Param(None, type=["null", "string"], format="date", description=AS_OF_HELP)},
)
def bdg_reminders():
    @task.short_circuit
    def due_window(params=None, data_interval_end=None, dag_run=None) -> dict | None:
        return tasks.reminder_period(params, data_interval_end, getattr(dag_run, "run_after", None))

    @task(pool=WAREHOUSE_POOL, queue=WAREHOUSE_QUEUE, inlets=[asset("marts")], outlets=[asset("chase")])
    def chase(period: dict) -> dict:
        return tasks.reminders(period)

    chase(due_window())


bdg_reminders()
