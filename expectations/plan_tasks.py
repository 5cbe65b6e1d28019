"""The `plan_tasks` suite: no task of the province plan is overdue for its lead units.

Reads `marts.rpt_plan_task_status` (one row per plan task × lead unit, built from the plan's appendix and
the units' NhiemVu sheets): a task whose due date has passed at the as-of date and that the unit has not
reported done is a finding about that unit. Severity `warning`: it is chased, it does not make a figure
of the ministry report wrong. A warehouse without an imported plan yields no rows and no finding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from expectations.checks import Batch, Check, Scope, ge_not_in, vn_date, with_row_ids

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

SUITE_NAME = "plan_tasks"
_STATUS_VI = {"in_progress": "đang thực hiện", "not_started": "chưa thực hiện", "no_report": "chưa báo cáo"}
_COLUMNS = ["unit_code", "report_year", "report_type", "task_code", "due_date", "status", "overdue_state"]


def _read(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    import pandas as pd

    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'marts' "
        "and table_name = 'rpt_plan_task_status'"
    ).fetchone()[0]
    if not exists:
        return with_row_ids(pd.DataFrame(columns=_COLUMNS))
    condition, params = ("plan_year = ?", [int(scope.report_year)]) if scope.report_year else ("true", [])
    frame = con.execute(
        f"""
        select unit_code, plan_year as report_year, 'NAM' as report_type, task_code, due_date, status,
               case when is_overdue then 'overdue' else 'ok' end as overdue_state
        from marts.rpt_plan_task_status
        where {condition}
        order by unit_code, task_code
        """,
        params,
    ).df()
    return with_row_ids(frame)


BATCHES = (
    Batch(
        suite=SUITE_NAME,
        name="task_status",
        source="marts.rpt_plan_task_status",
        read=_read,
        checks=(
            Check(
                name="no_overdue_plan_task",
                severity="warning",
                description_vi="Đơn vị chủ trì hoàn thành nhiệm vụ của Kế hoạch đúng thời hạn",
                build=ge_not_in("overdue_state", ("overdue",)),
                observed=lambda row: (
                    f"{row['task_code']}: hạn {vn_date(row['due_date'])}, "
                    f"{_STATUS_VI.get(row['status'], row['status'])}"
                ),
            ),
        ),
    ),
)
