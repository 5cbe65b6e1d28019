"""The `report_outliers` suite: a unit's period totals far above its own history or its peers'.

Per accepted report (unit × period) and measure (activities, participants, budget, cases, victims):
- against **peers**: the units of the same kind (SO_NGANH, XA, PHUONG, …) of the same province and period,
  when there are at least `MIN_PEERS` of them (the unit included);
- against its **own history**: the unit's reports of the same type in up to `HISTORY_YEARS` earlier
  years, when there are at least `MIN_HISTORY`.

Score: the modified z-score of Iglewicz and Hoaglin, M = 0.6745 (y − median) / MAD, on y = log(1 + x):
counts and money are skewed, and on the log scale a tenfold jump scores the same for a small and a large
unit. When the MAD is 0 (most peers report the same value, e.g. 0 cases) the mean absolute deviation
stands in (M = (y − median) / (1.2533 · MeanAD)), as in common practice. A value is an outlier when
M > `Z_LIMIT` (3.5) **and** it is at least `MIN_RATIO` times the reference median **and** exceeds it by
the measure's `ABSOLUTE_FLOOR` — so small counts (4 cases where peers have 1) never fire, and a zero is
never flagged (low values are not flagged at all: a quiet period is plausible; data-entry errors
inflate: extra digits, money typed in đồng twice, a totals row typed as data). Severity `warning`.

DuckDB computes the medians, MADs and scores in one query (`median`, `mad`, a window for the mean absolute
deviation around the median); Python only formats the findings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from expectations.checks import Batch, Check, Scope, ge_between, vn_number, with_row_ids
from expectations.consistency import unit_period_measures

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

SUITE_NAME = "report_outliers"
Z_LIMIT = 3.5
MIN_RATIO = 3.0
MIN_PEERS = 8
MIN_HISTORY = 3
HISTORY_YEARS = 5
Z_CAP = 999.0  # an infinite score (all references equal) is stored as this

# measure → (fact table, SQL expression summed per report, label, absolute floor above the median)
MEASURES: dict[str, tuple[str, str, str, float]] = {
    "activity_items": ("marts.fct_activities", "quantity", "số hoạt động (lượt)", 20),
    "participants_total": ("marts.fct_activities", "participants_total", "người tham gia", 500),
    "budget_vnd": ("marts.fct_activities", "budget_vnd", "kinh phí hoạt động (đồng)", 200_000_000),
    "cases_detected": ("marts.fct_gbv_cases", "cases_detected", "số vụ phát hiện", 10),
    "victims": ("marts.fct_gbv_cases", "coalesce(victims_female, 0) + coalesce(victims_male, 0)", "nạn nhân", 10),
}


# One row per report × reference ('peers' or 'history') × reference value; the score's statistics are on
# y = ln(1 + max(x, 0)). `targets` are the reports in scope, the references come from the whole warehouse.
_SCORES_SQL = """
with

measures as ({measures}),

reports as (
    select measures.*, units.province_code, units.unit_kind, ln(1 + greatest(measures.value, 0)) as log_value
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

references_centred as (
    select
        *,
        median(log_value) over (
            partition by unit_code, report_year, report_type, measure, reference
        ) as log_median
    from references_joined
),

reference_stats as (
    select
        unit_code, report_year, report_type, measure, reference,
        count(*) as reference_count,
        median(value) as reference_median,
        any_value(log_median) as log_median,
        mad(log_value) as log_mad,
        avg(abs(log_value - log_median)) as log_mean_ad
    from references_centred
    group by all
),

scored as (
    select
        stats.*,
        targets.value,
        targets.unit_kind,
        -- modified z-score; the mean absolute deviation stands in for a zero MAD; all references equal:
        -- 0 for an equal value, else an infinite score stored as ±Z_CAP
        greatest(-{z_cap}, least({z_cap}, case
            when stats.log_mad > 0 then 0.6745 * (targets.log_value - stats.log_median) / stats.log_mad
            when stats.log_mean_ad > 0
                then (targets.log_value - stats.log_median) / (1.253314 * stats.log_mean_ad)
            else sign(targets.log_value - stats.log_median) * {z_cap}
        end)) as z,
        -- only a value far above the reference median can be an outlier (never a zero, never a low value)
        stats.reference_count >= case stats.reference when 'peer' then {min_peers} else {min_history} end
        and targets.value > 0
        and targets.value >= {min_ratio} * stats.reference_median
        and targets.value - stats.reference_median >= case targets.measure {floors} end as can_be_outlier
    from reference_stats as stats
    inner join targets
        on
            stats.unit_code = targets.unit_code
            and stats.report_year = targets.report_year
            and stats.report_type = targets.report_type
            and stats.measure = targets.measure
)

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
    floors = " ".join(f"when '{name}' then {floor}" for name, (*_, floor) in MEASURES.items())
    sql = _SCORES_SQL.format(
        measures=unit_period_measures(measures),
        where=where,
        history_years=HISTORY_YEARS,
        z_cap=Z_CAP,
        min_peers=MIN_PEERS,
        min_history=MIN_HISTORY,
        min_ratio=MIN_RATIO,
        floors=floors,
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
