"""The `report_consistency` suite: figures of a unit's reports that contradict each other.

Batches:
- `annual_vs_six_month`: the annual report of a unit is not below its own 6-month report;
- `spending_vs_allocation`: a report's activities do not cost more than the budget it says was allocated.

**Annual ≥ 6-month.** The annual period (15/11 of the previous year – 14/11) contains the 6-month one
(15/11 – 14/5), so every cumulative count of the annual report (activities, participants, budget, cases,
victims) is at least the 6-month figure of the same unit and year. Stocks (leaders, planning pool) are
not cumulative and are not compared. Compared only when both reports of the unit are accepted; a report
without rows counts 0. The finding is about the annual report (report_type 'NAM'). Severity `warning`:
which of the two is wrong needs a look, and the annual figure may be the right one.

**Spending ≤ allocation.** Per unit and period, the sum of its activity budgets (HoatDong «Kinh phí»,
`marts.fct_activities.budget_vnd`, a blank counts 0) is at most the budget allocated for gender equality
that the same report states (ChiTieu «Kinh phí bố trí cho bình đẳng giới», indicator `KINH_PHI_BDG` in
`marts.fct_indicators`). A report that states no allocation — the indicator blank, or 0, i.e. no dedicated
budget line — is not compared: there is nothing to exceed. Severity `warning`: activities may also be
funded from other sources, the reviewer asks which.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from expectations.checks import Batch, Check, Scope, ge_pair, vn_number, with_row_ids
from expectations.validity import BUDGET_INDICATOR

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

SUITE_NAME = "report_consistency"

# measure → (fact table, SQL expression summed per unit and period, Vietnamese label)
CUMULATIVE_MEASURES: dict[str, tuple[str, str, str]] = {
    "activity_items": ("marts.fct_activities", "quantity", "số hoạt động (lượt)"),
    "participants_total": ("marts.fct_activities", "participants_total", "người tham gia"),
    "participants_female": ("marts.fct_activities", "participants_female", "người tham gia là nữ"),
    "budget_vnd": ("marts.fct_activities", "budget_vnd", "kinh phí hoạt động (đồng)"),
    "cases_detected": ("marts.fct_gbv_cases", "cases_detected", "số vụ phát hiện"),
    "cases_handled": ("marts.fct_gbv_cases", "cases_handled", "số vụ đã xử lý"),
    "victims": ("marts.fct_gbv_cases", "coalesce(victims_female, 0) + coalesce(victims_male, 0)", "nạn nhân"),
    "victims_supported": ("marts.fct_gbv_cases", "victims_supported", "nạn nhân được hỗ trợ"),
}


def unit_period_measures(measures: dict[str, tuple[str, str, str]]) -> str:
    """SQL of one row per accepted report (unit × year × type) × measure with its value (0 when the
    report has no rows). Reused by the outlier suite."""
    parts = []
    for measure, (fact, expression, _) in measures.items():
        parts.append(
            f"""
            select
                reports.unit_code, reports.report_year, reports.report_type, '{measure}' as measure,
                cast(coalesce(sum({expression}), 0) as double) as value
            from reports
            left join {fact} as fact
                on
                    fact.unit_code = reports.unit_code
                    and fact.report_year = reports.report_year
                    and fact.report_type = reports.report_type
            group by all
            """
        )
    return f"""
        with reports as (
            select distinct unit_code, report_year, report_type
            from marts.fct_submissions
            where status = 'loaded' and unit_code is not null
        )
        {" union all ".join(parts)}
    """


def read_annual_vs_six_month(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    # Pairs are about the year; a run scoped to either report type of the year checks them.
    year_scope = Scope(report_year=scope.report_year)
    where, params = year_scope.where("annual")
    frame = con.execute(
        f"""
        with measures as ({unit_period_measures(CUMULATIVE_MEASURES)})
        select
            annual.unit_code,
            annual.report_year,
            annual.report_type,
            annual.measure,
            annual.value as annual_value,
            six_month.value as six_month_value
        from measures as annual
        inner join measures as six_month
            on
                annual.unit_code = six_month.unit_code
                and annual.report_year = six_month.report_year
                and annual.measure = six_month.measure
                and six_month.report_type = '6T'
        where annual.report_type = 'NAM' and {where}
        order by annual.unit_code, annual.report_year, annual.measure
        """,
        params,
    ).df()
    return with_row_ids(frame)


def _observed(row) -> str:
    label = CUMULATIVE_MEASURES[row["measure"]][2]
    return (
        f"{label}: báo cáo năm {vn_number(row['annual_value'])} < báo cáo 6 tháng {vn_number(row['six_month_value'])}"
    )


CHECKS: tuple[Check, ...] = (
    Check(
        "annual_not_below_six_month",
        "warning",
        "Số liệu cộng dồn của báo cáo năm không nhỏ hơn báo cáo 6 tháng của cùng đơn vị, cùng năm.",
        ge_pair("annual_value", "six_month_value"),
        _observed,
    ),
)


def read_spending_vs_allocation(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per report in scope that states an allocation (> 0): the allocated budget and the sum of
    its activity budgets (0 without activities or budgets)."""
    where, params = scope.where("allocations")
    frame = con.execute(
        f"""
        with

        allocations as (
            select unit_code, report_year, report_type, value_number as allocated_vnd
            from marts.fct_indicators
            where indicator_code = ? and value_number > 0
        ),

        spending as (
            select unit_code, report_year, report_type, cast(coalesce(sum(budget_vnd), 0) as double) as spent_vnd
            from marts.fct_activities
            group by all
        )

        select
            allocations.unit_code,
            allocations.report_year,
            allocations.report_type,
            cast(allocations.allocated_vnd as double) as allocated_vnd,
            coalesce(spending.spent_vnd, 0) as spent_vnd
        from allocations
        left join spending
            on
                allocations.unit_code = spending.unit_code
                and allocations.report_year = spending.report_year
                and allocations.report_type = spending.report_type
        where {where}
        order by allocations.unit_code, allocations.report_year, allocations.report_type
        """,
        [BUDGET_INDICATOR, *params],
    ).df()
    return with_row_ids(frame)


def _observed_spending(row) -> str:
    return (
        f"Kinh phí các hoạt động {vn_number(row['spent_vnd'])} đồng vượt kinh phí được bố trí "
        f"{vn_number(row['allocated_vnd'])} đồng"
    )


SPENDING_CHECKS: tuple[Check, ...] = (
    Check(
        "activity_spending_not_above_allocation",
        "warning",
        "Tổng kinh phí các hoạt động không vượt kinh phí được bố trí cho bình đẳng giới mà đơn vị báo cáo "
        "(chỉ tiêu «Kinh phí bố trí cho bình đẳng giới»).",
        ge_pair("allocated_vnd", "spent_vnd"),
        _observed_spending,
    ),
)

BATCHES: tuple[Batch, ...] = (
    Batch(
        SUITE_NAME,
        "annual_vs_six_month",
        "marts.fct_activities, marts.fct_gbv_cases, marts.fct_submissions",
        read_annual_vs_six_month,
        CHECKS,
    ),
    Batch(
        SUITE_NAME,
        "spending_vs_allocation",
        "marts.fct_activities, marts.fct_indicators",
        read_spending_vs_allocation,
        SPENDING_CHECKS,
    ),
)
