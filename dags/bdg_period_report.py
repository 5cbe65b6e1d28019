"""
### bdg_period_report — the report to the Ministry of Home Affairs for a period

Runs the morning after each due date (1/6 for the 6-month report, 1/12 for the annual one) and on manual
trigger with params `year` and `period` (6T or NAM): the ministry workbook, the HTML report with charts and
the draft narrative, from the marts the nightly load keeps current, into `BDG_OUT_DIR`; then the warehouse's
dbt documentation (models, tests, sources, the exposures that feed these reports) as one static page,
`BDG_OUT_DIR/dbt_docs/index.html`.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag, task

from bdg import tasks
from bdg.dag_config import TIMEZONE, WAREHOUSE_POOL, WAREHOUSE_QUEUE, asset, default_args


@dag(
    schedule="0 6 1 6,12 *",
    start_date=pendulum.datetime(2026, 1, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    tags=["bdg", "report"],
    default_args=default_args(),
    doc_md=__doc__,
    params={
        "year": Param(None, type=["null", "integer"], description="Năm báo cáo (trống: kỳ vừa đến hạn)"),
        "period": Param(None, type=["null", "string"], enum=[None, "6T", "NAM"], description="6T hoặc NAM"),
    },
)
def bdg_period_report():
    @task(pool=WAREHOUSE_POOL, queue=WAREHOUSE_QUEUE, inlets=[asset("marts")], outlets=[asset("report")])
    def ministry_report(params=None, data_interval_end=None, dag_run=None) -> dict:
        return tasks.period_report(params, data_interval_end, getattr(dag_run, "run_after", None))

    @task(pool=WAREHOUSE_POOL, queue=WAREHOUSE_QUEUE, inlets=[asset("marts")])
    def dbt_docs(data_interval_end=None, dag_run=None) -> str:
        return tasks.dbt_docs(data_interval_end, getattr(dag_run, "run_after", None))

    ministry_report() >> dbt_docs()


bdg_period_report()
