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
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

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


def modified_z(value: float, reference: list[float]) -> float:
    """Modified z-score of `value` against `reference` on the log(1 + x) scale (capped at ±Z_CAP)."""
    logs = sorted(math.log1p(max(v, 0.0)) for v in reference)
    y = math.log1p(max(value, 0.0))
    median = _median(logs)
    deviations = [abs(v - median) for v in logs]
    mad = _median(sorted(deviations))
    if mad > 0:
        z = 0.6745 * (y - median) / mad
    else:
        mean_ad = sum(deviations) / len(deviations)
        if mean_ad > 0:
            z = (y - median) / (1.253314 * mean_ad)
        else:
            z = 0.0 if y == median else math.copysign(Z_CAP, y - median)
    return max(-Z_CAP, min(Z_CAP, z))


def outlier_score(value: float, reference: list[float], floor: float) -> float | None:
    """The score to test against Z_LIMIT, or None when the value cannot be an outlier (zero, not
    above MIN_RATIO × median, or not above the median by `floor`)."""
    median = _median(sorted(reference))
    if value <= 0 or value < MIN_RATIO * median or value - median < floor:
        return None
    return modified_z(value, reference)


def _median(values: list[float]) -> float:
    n = len(values)
    middle = n // 2
    return values[middle] if n % 2 else (values[middle - 1] + values[middle]) / 2


def read_outlier_scores(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per report in scope × measure: value, peer and history medians, counts and scores (NaN
    where the value cannot be an outlier or the reference is too small)."""
    import pandas as pd

    measures = {name: (fact, expression, label) for name, (fact, expression, label, _) in MEASURES.items()}
    values = con.execute(
        f"""
        with measures as ({unit_period_measures(measures)})
        select measures.*, units.province_code, units.unit_kind
        from measures
        left join marts.dim_units as units
            on measures.unit_code = units.unit_code
        """
    ).df()
    peers = {
        key: group["value"].tolist()
        for key, group in values.groupby(
            ["province_code", "unit_kind", "report_year", "report_type", "measure"], dropna=False
        )
    }
    history = {
        key: group.sort_values("report_year")[["report_year", "value"]].values.tolist()
        for key, group in values.groupby(["unit_code", "report_type", "measure"])
    }
    rows = []
    for row in values.itertuples(index=False):
        if not scope.contains(int(row.report_year), str(row.report_type)):
            continue
        floor = MEASURES[row.measure][3]
        record = {
            "unit_code": row.unit_code,
            "report_year": int(row.report_year),
            "report_type": row.report_type,
            "measure": row.measure,
            "unit_kind": row.unit_kind,
            "value": float(row.value),
        }
        peer_values = peers[(row.province_code, row.unit_kind, row.report_year, row.report_type, row.measure)]
        record["peer_count"] = len(peer_values)
        record["peer_median"] = _median(sorted(peer_values))
        score = outlier_score(row.value, peer_values, floor) if len(peer_values) >= MIN_PEERS else None
        record["peer_z"] = math.nan if score is None else score
        earlier = [
            value
            for year, value in history[(row.unit_code, row.report_type, row.measure)]
            if row.report_year - HISTORY_YEARS <= year < row.report_year
        ]
        record["history_count"] = len(earlier)
        record["history_median"] = _median(sorted(earlier)) if earlier else math.nan
        score = outlier_score(row.value, earlier, floor) if len(earlier) >= MIN_HISTORY else None
        record["history_z"] = math.nan if score is None else score
        rows.append(record)
    columns = [
        "unit_code", "report_year", "report_type", "measure", "unit_kind", "value",
        "peer_count", "peer_median", "peer_z", "history_count", "history_median", "history_z",
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("value", "peer_median", "peer_z", "history_median", "history_z"):
        frame[column] = frame[column].astype(float)
    frame = frame.sort_values(["unit_code", "report_year", "report_type", "measure"])
    return with_row_ids(frame)


def _label(row) -> str:
    return MEASURES[row["measure"]][2]


def _observed_peers(row) -> str:
    return (
        f"{_label(row)} = {vn_number(row['value'])}; trung vị {int(row['peer_count'])} đơn vị cùng loại "
        f"{row['unit_kind']}: {vn_number(row['peer_median'])}; z = {vn_number(round(row['peer_z'], 1))}"
    )


def _observed_history(row) -> str:
    return (
        f"{_label(row)} = {vn_number(row['value'])}; trung vị {int(row['history_count'])} kỳ trước: "
        f"{vn_number(row['history_median'])}; z = {vn_number(round(row['history_z'], 1))}"
    )


CHECKS: tuple[Check, ...] = (
    Check(
        "no_outlier_against_peers",
        "warning",
        "Số liệu của đơn vị không cao bất thường so với các đơn vị cùng loại trong tỉnh, cùng kỳ.",
        ge_between("peer_z", None, Z_LIMIT),
        _observed_peers,
    ),
    Check(
        "no_outlier_against_own_history",
        "warning",
        "Số liệu của đơn vị không cao bất thường so với chính đơn vị ở các kỳ trước.",
        ge_between("history_z", None, Z_LIMIT),
        _observed_history,
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
