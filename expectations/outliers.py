"""The `report_outliers` suite: a unit's period totals far above its own history or its peers'.

Per accepted report (unit × period) and measure (activities, participants, budget, cases, victims, and
the cases detected of each case type — 127 trafficking cases where peers report 0–2 stand out even when
the unit's total of cases does not):
- against **peers**: the units of the same kind (SO_NGANH, XA, PHUONG, …) of the same province and period,
  when there are at least `MIN_PEERS` of them (the unit included);
- against its **own history**: the unit's reports of the same type in up to `HISTORY_YEARS` earlier
  years, when there are at least `MIN_HISTORY`.

Score and thresholds: `expectations.modified_z` (modified z-score on log(1 + x) above 3.5, at least 3
times the reference median and above it by the measure's absolute floor — so small counts, 4 cases where
peers have 1, never fire; low values are never flagged). A report without a row of a case type counts 0
cases of it. Severity `warning`.

DuckDB computes the medians, MADs and scores in one query (`median`, `mad`, a window for the mean absolute
deviation around the median); Python only formats the findings. The suite's other batch, an activity's
cost against the province's like activities, is `expectations.activity_costs`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from expectations.checks import Batch, Check, Scope, ge_between, vn_number, with_row_ids
from expectations.consistency import unit_period_measures
from expectations.modified_z import MIN_PEERS, Z_LIMIT, log_value, scored_sql
from ingest.form_bdg1 import CASE_TYPES

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

SUITE_NAME = "report_outliers"
MIN_HISTORY = 3
HISTORY_YEARS = 5
CASE_TYPE_FLOOR = 10  # cases above the reference median, as for all cases

# measure → (fact table, SQL expression summed per report, label, absolute floor above the median)
MEASURES: dict[str, tuple[str, str, str, float]] = {
    "activity_items": ("marts.fct_activities", "quantity", "số hoạt động (lượt)", 20),
    "participants_total": ("marts.fct_activities", "participants_total", "người tham gia", 500),
    "budget_vnd": ("marts.fct_activities", "budget_vnd", "kinh phí hoạt động (đồng)", 200_000_000),
    "cases_detected": ("marts.fct_gbv_cases", "cases_detected", "số vụ phát hiện", 10),
    "victims": ("marts.fct_gbv_cases", "coalesce(victims_female, 0) + coalesce(victims_male, 0)", "nạn nhân", 10),
    # the cases detected of each case type (code from ingest's vocabulary, a trusted literal)
    **{
        f"cases_detected.{code}": (
            "marts.fct_gbv_cases",
            f"case when case_type_code = '{code}' then cases_detected end",
            f"số vụ phát hiện ({label})",
            CASE_TYPE_FLOOR,
        )
        for code, label in CASE_TYPES.items
    },
}


# One row per report × reference ('peer' or 'history') × reference value; the score's statistics are on
# y = ln(1 + max(x, 0)). `targets` are the reports in scope, the references come from the whole warehouse.
_KEYS = ("unit_code", "report_year", "report_type", "measure")
_SCORES_SQL = """
with

measures as ({measures}),

reports as (
    select measures.*, units.province_code, units.unit_kind, {log_value} as log_value
    from measures
    left join marts.dim_units as units
        on measures.unit_code = units.unit_code
),

targets as (
    select * from reports where {where}
),

references_joined as (
    -- peers: the units of the same kind, province and period (the unit included; a blank kind or
    -- province is a kind or province of its own)
    select targets.unit_code, targets.report_year, targets.report_type, targets.measure,
        'peer' as reference, peers.value, peers.log_value
    from targets
    inner join reports as peers
        on
            targets.province_code is not distinct from peers.province_code
            and targets.unit_kind is not distinct from peers.unit_kind
            and targets.report_year = peers.report_year
            and targets.report_type = peers.report_type
            and targets.measure = peers.measure
    union all
    -- own history: the unit's reports of the same type in the HISTORY_YEARS years before
    select targets.unit_code, targets.report_year, targets.report_type, targets.measure,
        'history' as reference, earlier.value, earlier.log_value
    from targets
    inner join reports as earlier
        on
            targets.unit_code = earlier.unit_code
            and targets.report_type = earlier.report_type
            and targets.measure = earlier.measure
            and earlier.report_year between targets.report_year - {history_years} and targets.report_year - 1
),

{scored}

select
    targets.unit_code,
    targets.report_year,
    targets.report_type,
    targets.measure,
    targets.unit_kind,
    targets.value,
    peer.reference_count as peer_count,
    peer.reference_median as peer_median,
    case when peer.can_be_outlier then peer.z end as peer_z,
    coalesce(history.reference_count, 0) as history_count,
    history.reference_median as history_median,
    case when history.can_be_outlier then history.z end as history_z
from targets
left join scored as peer
    on
        targets.unit_code = peer.unit_code
        and targets.report_year = peer.report_year
        and targets.report_type = peer.report_type
        and targets.measure = peer.measure
        and peer.reference = 'peer'
left join scored as history
    on
        targets.unit_code = history.unit_code
        and targets.report_year = history.report_year
        and targets.report_type = history.report_type
        and targets.measure = history.measure
        and history.reference = 'history'
order by targets.unit_code, targets.report_year, targets.report_type, targets.measure
"""


def read_outlier_scores(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per report in scope × measure: value, peer and history medians, counts and scores (NaN
    where the value cannot be an outlier or the reference is too small). DuckDB computes the medians,
    MADs and scores."""
    measures = {name: (fact, expression, label) for name, (fact, expression, label, _) in MEASURES.items()}
    where, params = scope.where()
    floors = {name: floor for name, (*_, floor) in MEASURES.items()}
    sql = _SCORES_SQL.format(
        measures=unit_period_measures(measures),
        log_value=log_value("measures.value"),
        where=where,
        history_years=HISTORY_YEARS,
        scored=scored_sql(_KEYS, {"peer": MIN_PEERS, "history": MIN_HISTORY}, floors),
    )
    frame = con.execute(sql, params).df()
    for column in ("value", "peer_median", "peer_z", "history_median", "history_z"):
        frame[column] = frame[column].astype(float)
    return with_row_ids(frame)


def _observed(reference: str, compared_with: Callable[[Mapping[str, Any]], str]):
    """How a score against `reference` ('peer' or 'history') reads: value, reference median, z."""

    def observed(row) -> str:
        return (
            f"{MEASURES[row['measure']][2]} = {vn_number(row['value'])}; trung vị {int(row[f'{reference}_count'])} "
            f"{compared_with(row)}: {vn_number(row[f'{reference}_median'])}; "
            f"z = {vn_number(round(row[f'{reference}_z'], 1))}"
        )

    return observed


CHECKS: tuple[Check, ...] = (
    Check(
        "no_outlier_against_peers",
        "warning",
        "Số liệu của đơn vị không cao bất thường so với các đơn vị cùng loại trong tỉnh, cùng kỳ.",
        ge_between("peer_z", None, Z_LIMIT),
        _observed("peer", lambda row: f"đơn vị cùng loại {row['unit_kind']}"),
    ),
    Check(
        "no_outlier_against_own_history",
        "warning",
        "Số liệu của đơn vị không cao bất thường so với chính đơn vị ở các kỳ trước.",
        ge_between("history_z", None, Z_LIMIT),
        _observed("history", lambda row: "kỳ trước"),
    ),
)

BATCHES: tuple[Batch, ...] = (
    Batch(
        SUITE_NAME,
        "unit_period_totals",
        "marts.fct_activities, marts.fct_gbv_cases, marts.dim_units",
        read_outlier_scores,
        CHECKS,
    ),
)
