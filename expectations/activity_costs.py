"""The `activity_costs` batch of the `report_outliers` suite: an activity far dearer than the same activities
of the province.

Per activity row (`marts.fct_activities`) with a budget (Kinh phí > 0) two costs:
- **cost per participant**: budget_vnd / participants_total, when participants_total > 0;
- **cost per session**: budget_vnd / quantity (Số lượng: sessions or items), when quantity > 0.
Each is compared with the same cost of every activity row of the same type (Loại hoạt động) in the same
province and period (the row itself included), when there are at least `MIN_PEERS` of them. The statistic
and thresholds are the outlier suite's (`expectations.modified_z`: modified z-score on log(1 + x) above
3.5, at least 3 times the median) with an absolute floor per cost (`FLOORS`), so an 87.000.000 đồng
commune workshop where the province's workshops cost a few million fires, and a cheap activity never
does. Zero-cost rows are left out (not a cost to compare). Severity `warning`: a dear activity may be
real, the reviewer asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from expectations.checks import Batch, Check, Scope, ge_between, vn_number, with_row_ids
from expectations.modified_z import MIN_PEERS, Z_LIMIT, log_value, scored_sql
from expectations.outliers import SUITE_NAME
from ingest.form_bdg1 import ACTIVITY_TYPES

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

# cost → (denominator column, Vietnamese unit of the denominator, absolute floor above the median in đồng)
COSTS: dict[str, tuple[str, str, float]] = {
    "cost_per_participant": ("participants_total", "người", 500_000),
    "cost_per_session": ("quantity", "lượt", 20_000_000),
}
FLOORS = {cost: floor for cost, (_, _, floor) in COSTS.items()}
_KEYS = ("unit_code", "report_year", "report_type", "file_sha256", "source_row", "measure")

_COSTS_SQL = """
with

activities as (
    select
        activities.unit_code, activities.report_year, activities.report_type, activities.file_sha256,
        activities.source_row, activities.activity_type_code, units.province_code,
        cast(activities.budget_vnd as double) as budget_vnd,
        cast(activities.participants_total as double) as participants_total,
        cast(activities.quantity as double) as quantity
    from marts.fct_activities as activities
    left join marts.dim_units as units
        on activities.unit_code = units.unit_code
    where activities.budget_vnd > 0
),

costs as ({costs}),

targets as (
    select * from costs where {where}
),

references_joined as (
    -- peers: the activity rows of the same type, province and period (the row itself included; a blank
    -- province is a province of its own)
    select {target_keys}, 'peer' as reference, peers.value, peers.log_value
    from targets
    inner join costs as peers
        on
            targets.province_code is not distinct from peers.province_code
            and targets.activity_type_code = peers.activity_type_code
            and targets.report_year = peers.report_year
            and targets.report_type = peers.report_type
            and targets.measure = peers.measure
),

{scored},

activity_rows as (
    select distinct
        unit_code, report_year, report_type, file_sha256, source_row, activity_type_code, budget_vnd,
        participants_total, quantity
    from targets
)

select
    activity_rows.*,
    {cost_columns}
from activity_rows
{cost_joins}
order by
    activity_rows.unit_code, activity_rows.report_year, activity_rows.report_type, activity_rows.source_row
"""


def read_activity_costs(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per activity row in scope with a budget and a positive denominator: budget, participants,
    quantity, and per cost (`COSTS`) its value, peer count, peer median and score (`<cost>_z`, NaN when the
    value cannot be an outlier or there are too few peers)."""
    where, params = scope.where()
    costs = " union all ".join(
        f"""
        select *, '{cost}' as measure, budget_vnd / {denominator} as value,
            {log_value(f"budget_vnd / {denominator}")} as log_value
        from activities
        where {denominator} > 0
        """
        for cost, (denominator, _, _) in COSTS.items()
    )
    cost_columns = ",\n    ".join(
        f"{cost}.value as {cost}, {cost}.reference_count as {cost}_peer_count, "
        f"{cost}.reference_median as {cost}_peer_median, case when {cost}.can_be_outlier then {cost}.z end as {cost}_z"
        for cost in COSTS
    )
    cost_joins = "\n".join(
        f"""left join scored as {cost}
    on
        {" and ".join(f"activity_rows.{key} = {cost}.{key}" for key in _KEYS if key != "measure")}
        and {cost}.measure = '{cost}'"""
        for cost in COSTS
    )
    sql = _COSTS_SQL.format(
        costs=costs,
        where=where,
        target_keys=", ".join(f"targets.{key}" for key in _KEYS),
        scored=scored_sql(_KEYS, {"peer": MIN_PEERS}, FLOORS),
        cost_columns=cost_columns,
        cost_joins=cost_joins,
    )
    frame = con.execute(sql, params).df()
    for cost in COSTS:
        for column in (cost, f"{cost}_peer_median", f"{cost}_z"):
            frame[column] = frame[column].astype(float)
    return with_row_ids(frame)


def _activity_type(code: Any) -> str:
    try:
        return ACTIVITY_TYPES.label(code)
    except KeyError:
        return str(code)


def _observed(cost: str):
    """'HoatDong dòng 7 (Tập huấn, bồi dưỡng): kinh phí 87.000.000 đồng / 1 lượt = 87.000.000 đồng/lượt;
    trung vị 12 hoạt động cùng loại trong tỉnh, cùng kỳ: 3.000.000 đồng/lượt; z = 6,1'."""
    denominator, unit, _ = COSTS[cost]

    def observed(row: Mapping[str, Any]) -> str:
        return (
            f"HoatDong dòng {int(row['source_row'])} ({_activity_type(row['activity_type_code'])}): "
            f"kinh phí {vn_number(row['budget_vnd'])} đồng / {vn_number(row[denominator])} {unit} = "
            f"{vn_number(round(row[cost]))} đồng/{unit}; trung vị {int(row[f'{cost}_peer_count'])} hoạt động "
            f"cùng loại trong tỉnh, cùng kỳ: {vn_number(round(row[f'{cost}_peer_median']))} đồng/{unit}; "
            f"z = {vn_number(round(row[f'{cost}_z'], 1))}"
        )

    return observed


CHECKS: tuple[Check, ...] = (
    Check(
        "cost_per_participant_not_far_above_peers",
        "warning",
        "Kinh phí trên một người tham gia của hoạt động không cao bất thường so với các hoạt động cùng loại "
        "trong tỉnh, cùng kỳ.",
        ge_between("cost_per_participant_z", None, Z_LIMIT),
        _observed("cost_per_participant"),
    ),
    Check(
        "cost_per_session_not_far_above_peers",
        "warning",
        "Kinh phí trên một lượt (buổi, sản phẩm) của hoạt động không cao bất thường so với các hoạt động cùng "
        "loại trong tỉnh, cùng kỳ.",
        ge_between("cost_per_session_z", None, Z_LIMIT),
        _observed("cost_per_session"),
    ),
)

BATCHES: tuple[Batch, ...] = (
    Batch(SUITE_NAME, "activity_costs", "marts.fct_activities, marts.dim_units", read_activity_costs, CHECKS),
)
