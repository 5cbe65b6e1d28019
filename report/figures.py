"""The figures of the report to Bộ Nội vụ, computed from the marts (one function per printed table).

`ministry_tables` returns one DataFrame per table, one row per printed row in print order; every renderer
(the workbook in `report.workbook`, the HTML report, the narrative) prints exactly these frames, so tests can
compare each output with the marts cell by cell.

Sources. The tables read `marts.*` (facts, `rpt_reporting_status`, `rpt_leadership_targets`, `dim_*`),
the institutional indicators from `staging.stg_raw__indicators` joined to the current submissions, and
the targets from `marts.rpt_targets` when that mart exists, else `staging.stg_raw__targets`; the plan
tasks from `marts.dim_plan_tasks` and `marts.rpt_plan_task_status` (absent in an older warehouse: the table
is then empty, as when no plan is imported for the year). Each query
sits in one small function named for what it reads, so moving a table onto a dedicated mart (e.g.
`rpt_ministry_annual`, `rpt_reporting_rates`) means changing that one function.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.form_bdg1 import ACTIVITY_TYPES, CASE_TYPES, PROGRAMMES, Vocabulary

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

REPORT_TYPES = ("6T", "NAM")
LOCAL_TZ = "Asia/Ho_Chi_Minh"
TOTAL_LABEL = "Tổng cộng"

# Keys of `ministry_tables`, in print order; `report.workbook.SHEETS` names the sheet of each.
TABLE_KEYS = (
    "summary",
    "activities",
    "gbv_cases",
    "leadership",
    "indicators",
    "news_by_quarter",
    "reporting_status",
    "units_to_chase",
    "plan_targets",
    "plan_tasks",
)

UNIT_GROUPS = Vocabulary(
    "unit_group",
    (
        ("state_agency", "Cơ quan quản lý nhà nước, chính quyền cấp tỉnh"),
        ("commune", "Chính quyền cấp xã (xã, phường, đặc khu)"),
    ),
)
UNIT_KINDS = Vocabulary(
    "unit_kind",
    (
        ("SO_NGANH", "Sở, ban, ngành"),
        ("DOAN_THE", "Mặt trận, đoàn thể"),
        ("TW", "Cơ quan Trung ương đóng trên địa bàn"),
        ("XA", "Xã"),
        ("PHUONG", "Phường"),
        ("DAC_KHU", "Đặc khu"),
    ),
)
STATUSES = Vocabulary(
    "reporting_status",
    (
        ("on_time", "Nộp đúng hạn"),
        ("late", "Nộp muộn"),
        ("rejected", "Bị từ chối (tệp không hợp lệ)"),
        ("missing", "Chưa nộp (đã quá hạn)"),
        ("pending", "Chưa đến hạn nộp"),
    ),
)
CHASE_STATUSES = ("missing", "rejected", "late")  # order of the chase list
QUARTER_NAMES = ("I", "II", "III", "IV")
# Activities that count as "communication sessions on gender-equality law" (target ≥ 2 per unit a year).
SESSION_ACTIVITY_TYPES = ("TRUYEN_THONG",)
NEWS_ACTIVITY_TYPE = "TIN_BAI"

# Used only when the warehouse carries no targets table (NQ 28/NQ-CP, QĐ 2282/QĐ-TTg, the plans).
DEFAULT_TARGETS = {
    "FEMALE_KEY_LEADER_STATE": (0.75, 0.6, 2025),
    "FEMALE_KEY_LEADER_COMMUNE": (0.65, None, None),
    "POOL_FEMALE_SHARE": (0.5, None, None),
    "POOL_FEMALE_TRAINED": (1.0, None, None),
    "GBV_VICTIMS_SUPPORTED": (0.9, 0.8, 2025),
    "PERPETRATORS_COUNSELLED": (0.7, 0.5, 2025),
}


@dataclass(frozen=True)
class Target:
    """A plan target as it applies to one year (the interim value up to its interim year)."""

    code: str
    name: str
    unit_group: str
    metric: str
    value: float
    legal_source: str


def period_label(report_year: int, report_type: str) -> str:
    """'Năm 2026' or '6 tháng đầu năm 2026'."""
    return f"Năm {report_year}" if report_type == "NAM" else f"6 tháng đầu năm {report_year}"


def previous_period(report_year: int, report_type: str) -> tuple[int, str]:
    """The period a report compares with: the same period of the previous year (cùng kỳ năm trước)."""
    return report_year - 1, report_type


# --------------------------------------------------------------------------------------------------
# Entry point


def ministry_tables(
    con: duckdb.DuckDBPyConnection, report_year: int, report_type: str, *, with_previous: bool = True
) -> dict[str, pd.DataFrame]:
    """Compute every table of the ministry report for one period.

    Inputs: an open DuckDB connection on the warehouse, the year, '6T' or 'NAM'; `with_previous` adds the
    same period of the previous year to the summary (when the warehouse holds accepted reports for it).
    Output: `TABLE_KEYS` → DataFrame, one row per printed row in print order. Every frame has `row_kind`
    ('section', 'item', 'total' or 'rate'), `stt` and `label` plus its figures; counts are `Int64`, rates
    are fractions (0..1, `Float64`) or NA when the denominator is 0. Every vocabulary code gets a row
    (zero when nothing was reported); a code in the marts that is not in the vocabulary gets a row
    labelled with the code, so totals always add up.
    Failure modes: `ValueError` for an unknown report type; `duckdb.Error` when a mart is missing.
    """
    if report_type not in REPORT_TYPES:
        raise ValueError(f"report_type must be one of {REPORT_TYPES}, got {report_type!r}")
    targets = read_targets(con, report_year)
    tables = {
        "activities": _activities(con, report_year, report_type),
        "gbv_cases": _gbv_cases(con, report_year, report_type, targets),
        "leadership": _leadership(con, report_year, targets),
        "indicators": _indicators(con, report_year, report_type, targets),
        "news_by_quarter": _news_by_quarter(con, report_year, report_type, targets),
        "reporting_status": _reporting_status(con, report_year, report_type),
        "units_to_chase": _units_to_chase(con, report_year, report_type),
    }
    tables["plan_targets"] = _plan_targets(con, report_year, report_type, targets, tables)
    tables["plan_tasks"] = plan_tasks(con, report_year, report_type)
    previous = None
    if with_previous:
        prev_year, prev_type = previous_period(report_year, report_type)
        if has_accepted_reports(con, prev_year, prev_type):
            previous = ministry_tables(con, prev_year, prev_type, with_previous=False)["summary"]
    tables["summary"] = _summary(tables, previous)
    return {key: tables[key] for key in TABLE_KEYS}


def has_accepted_reports(con, report_year: int, report_type: str) -> bool:
    """True when at least one accepted report of the period is in the warehouse."""
    row = con.execute(
        "select count(*) from marts.fct_submissions where is_accepted and report_year = ? and report_type = ?",
        [int(report_year), report_type],
    ).fetchone()
    return bool(row and row[0])


def as_of_date(con, report_year: int, report_type: str) -> dt.date | None:
    """The date the reporting status was judged at (the marts' as-of date)."""
    row = con.execute(
        "select max(as_of_date) from marts.rpt_reporting_status where report_year = ? and report_type = ?",
        [int(report_year), report_type],
    ).fetchone()
    return _as_date(row[0]) if row else None


# --------------------------------------------------------------------------------------------------
# Sources: one function per relation read, so a dedicated mart can replace it in one place.


def relation_columns(con, schema: str, name: str) -> set[str]:
    """Column names of `schema.name` (empty when it does not exist)."""
    rows = con.execute(
        "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchall()
    return {row[0] for row in rows}


def read_targets(con, report_year: int) -> dict[str, Target]:
    """Targets applying to `report_year`, by target code, in the targets table's order.

    From `marts.rpt_targets` when it exists with (target_code, report_year, target_value), else the
    reference targets (`staging.stg_raw__targets`: the interim value up to its interim year, the final
    value after it), else `DEFAULT_TARGETS`.
    """
    mart = relation_columns(con, "marts", "rpt_targets")
    if {"target_code", "report_year", "target_value"} <= mart:
        name = "target_name_vi" if "target_name_vi" in mart else "target_code"
        extra = {col: col if col in mart else "null" for col in ("unit_group", "metric", "legal_source")}
        rows = con.execute(
            f"""
            select target_code, {name}, {extra["unit_group"]}, {extra["metric"]}, target_value,
                   {extra["legal_source"]}
            from marts.rpt_targets where report_year = ? order by rowid
            """,
            [int(report_year)],
        ).fetchall()
        if rows:
            return {r[0]: Target(r[0], r[1] or r[0], r[2] or "all", r[3] or "", float(r[4]), r[5] or "") for r in rows}
    if relation_columns(con, "staging", "stg_raw__targets"):
        rows = con.execute(
            """
            select target_code, target_name_vi, unit_group, metric,
                   case when interim_value is not null and ? <= interim_year then interim_value
                        else target_value end,
                   legal_source
            from staging.stg_raw__targets
            """,
            [int(report_year)],
        ).fetchall()
        if rows:
            return {r[0]: Target(r[0], r[1], r[2], r[3], float(r[4]), r[5] or "") for r in rows}
    return {
        code: Target(code, code, "all", "", interim if interim is not None and report_year <= year else final, "")
        for code, (final, interim, year) in DEFAULT_TARGETS.items()
    }


def _target_value(targets: dict[str, Target], code: str) -> float | None:
    target = targets.get(code)
    return None if target is None else target.value


def _current_files_sql() -> str:
    # The files whose content is current (status 'loaded'), one row per file, for one period.
    return """
        select file_sha256, any_value(file_name) as file_name, any_value(unit_code) as unit_code,
               min(received_at) as received_at
        from marts.fct_submissions
        where status = 'loaded' and report_year = ? and report_type = ?
        group by file_sha256
    """


def _indicator_values(con, report_year: int, report_type: str) -> pd.DataFrame:
    """Institutional indicators (ChiTieu) of the current files, one row per unit × indicator."""
    return con.execute(
        f"""
        with current_files as ({_current_files_sql()})
        select current_files.unit_code, units.unit_kind, coalesce(units.is_commune, false) as is_commune,
               indicators.indicator_code, indicators.value_text, indicators.value_number,
               indicators.file_sha256, indicators.source_row
        from staging.stg_raw__indicators as indicators
        inner join current_files on indicators.file_sha256 = current_files.file_sha256
        left join marts.dim_units as units on units.unit_code = current_files.unit_code
        """,
        [int(report_year), report_type],
    ).df()


def _reporting_units(con, report_year: int, report_type: str) -> pd.DataFrame:
    """Units with a current (accepted) report for the period, with their kind and flags."""
    return con.execute(
        f"""
        with current_files as ({_current_files_sql()})
        select distinct current_files.unit_code, units.unit_kind,
               coalesce(units.is_commune, false) as is_commune,
               coalesce(units.is_ethnic_minority_area, false) as is_ethnic_minority_area
        from current_files
        left join marts.dim_units as units on units.unit_code = current_files.unit_code
        """,
        [int(report_year), report_type],
    ).df()


def period_bounds(con, report_year: int, report_type: str) -> tuple[dt.date, dt.date] | None:
    """(period_start, period_end) of the period (the earliest start and latest end across provinces)."""
    row = con.execute(
        "select min(period_start), max(period_end) from marts.dim_periods where report_year = ? and report_type = ?",
        [int(report_year), report_type],
    ).fetchone()
    if not row or row[0] is None:
        return None
    return _as_date(row[0]), _as_date(row[1])


def quarters(con, report_year: int, report_type: str) -> list[tuple[str, dt.date, dt.date]]:
    """The quarters of the period, counted from its start: [(name, first day, last day)].

    The reporting year runs 15/11 to 14/11, so quarter I is 15/11–14/02 and the 6-month report covers
    quarters I and II exactly; labels print the dates so nobody mistakes them for calendar quarters.
    """
    bounds = period_bounds(con, report_year, report_type)
    if bounds is None:
        return []
    start, end = bounds
    result = []
    for index, name in enumerate(QUARTER_NAMES):
        first = _add_months(start, 3 * index)
        if first > end:
            break
        last = min(_add_months(start, 3 * (index + 1)) - dt.timedelta(days=1), end)
        result.append((name, first, last))
    return result


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


# --------------------------------------------------------------------------------------------------
# Biểu 1: activities


ACTIVITY_MEASURES = (
    ("activities", "sum(quantity)"),
    ("participants_total", "sum(participants_total)"),
    ("participants_female", "sum(participants_female)"),
    ("participants_male", "sum(participants_male)"),
    ("participants_ethnic_minority", "sum(participants_ethnic_minority)"),
    ("budget_vnd", "sum(budget_vnd)"),
)
GBV_MEASURES = tuple(
    (name, f"sum({name})")
    for name in (
        "cases_detected",
        "cases_handled",
        "victims_female",
        "victims_male",
        "victims_children",
        "victims_supported",
        "perpetrators_counselled",
    )
)


def _aggregate(
    con, table: str, key: str | None, measures, report_year: int, report_type: str
) -> dict[str | None, dict[str, int]]:
    """Sums of `measures` per `key` (or one total row under key None) for one period; nulls count 0."""
    select = ", ".join(f"coalesce({expr}, 0)::bigint as {name}" for name, expr in measures)
    key_sql = f"{key} as code" if key else "null as code"
    group = " group by 1" if key else ""
    sql = f"select {key_sql}, {select} from {table} where report_year = ? and report_type = ?{group}"
    frame = con.execute(sql, [int(report_year), report_type]).df()
    names = [name for name, _ in measures]
    return {
        (None if _is_na(row["code"]) else str(row["code"])): {name: int(row[name]) for name in names}
        for row in frame.to_dict("records")
    }


def _vocabulary_rows(vocabulary: Vocabulary, sums: dict, names: list[str], **extra) -> list[dict]:
    codes = list(vocabulary.codes) + sorted(code for code in sums if code is not None and code not in vocabulary.codes)
    labels = dict(vocabulary.items)
    return [
        {
            "row_kind": "item",
            "stt": str(number),
            "code": code,
            "label": labels.get(code, code),
            **extra,
            **{name: sums.get(code, {}).get(name, 0) for name in names},
        }
        for number, code in enumerate(codes, start=1)
    ]


def _activities(con, report_year: int, report_type: str) -> pd.DataFrame:
    names = [name for name, _ in ACTIVITY_MEASURES]
    table = "marts.fct_activities"
    by_programme = _aggregate(con, table, "programme_code", ACTIVITY_MEASURES, report_year, report_type)
    by_type = _aggregate(con, table, "activity_type_code", ACTIVITY_MEASURES, report_year, report_type)
    total = _aggregate(con, table, None, ACTIVITY_MEASURES, report_year, report_type)[None]
    blank = dict.fromkeys(names)
    rows = [
        {"row_kind": "section", "stt": "I", "code": None, "label": "Theo chương trình", "dimension": None, **blank},
        *_vocabulary_rows(PROGRAMMES, by_programme, names, dimension="programme_code"),
        {"row_kind": "section", "stt": "II", "code": None, "label": "Theo loại hoạt động", "dimension": None, **blank},
        *_vocabulary_rows(ACTIVITY_TYPES, by_type, names, dimension="activity_type_code"),
        {"row_kind": "total", "stt": "", "code": None, "label": TOTAL_LABEL, "dimension": None, **total},
    ]
    return _frame(rows, ["row_kind", "stt", "code", "dimension", "label", *names], ints=names)


def activities_by_month(con, report_year: int, report_type: str) -> pd.DataFrame:
    """Activities (sum of Số lượng) per month of the activity date and programme, for the charts.

    Columns: month (first day), programme_code, activities. Rows without a date are left out.
    """
    return con.execute(
        """
        select cast(date_trunc('month', activity_date) as date) as month, programme_code,
               coalesce(sum(quantity), 0)::bigint as activities
        from marts.fct_activities
        where report_year = ? and report_type = ? and activity_date is not null
        group by all order by all
        """,
        [int(report_year), report_type],
    ).df()


# --------------------------------------------------------------------------------------------------
# Biểu 2: gender-based violence


def _ratio(numerator, denominator) -> float | None:
    if numerator is None or denominator is None or _is_na(numerator) or _is_na(denominator) or denominator == 0:
        return None
    return float(numerator) / float(denominator)


def _gbv_cases(con, report_year: int, report_type: str, targets: dict[str, Target]) -> pd.DataFrame:
    names = [name for name, _ in GBV_MEASURES]
    table = "marts.fct_gbv_cases"
    by_type = _aggregate(con, table, "case_type_code", GBV_MEASURES, report_year, report_type)
    total = _aggregate(con, table, None, GBV_MEASURES, report_year, report_type)[None]
    support_target = _target_value(targets, "GBV_VICTIMS_SUPPORTED")
    counselling_target = _target_value(targets, "PERPETRATORS_COUNSELLED")
    rows = [
        *_vocabulary_rows(CASE_TYPES, by_type, names),
        {"row_kind": "total", "stt": "", "code": None, "label": TOTAL_LABEL, **total},
    ]
    for row in rows:
        # Victims = female + male (children are counted within them); one perpetrator per detected case.
        row["support_rate"] = _ratio(row["victims_supported"], row["victims_female"] + row["victims_male"])
        row["support_target"] = support_target
        row["counselling_rate"] = _ratio(row["perpetrators_counselled"], row["cases_detected"])
        row["counselling_target"] = counselling_target
    columns = ["row_kind", "stt", "code", "label", *names]
    rates = ["support_rate", "support_target", "counselling_rate", "counselling_target"]
    return _frame(rows, columns + rates, ints=names, floats=rates)


# --------------------------------------------------------------------------------------------------
# Biểu 3: women in leadership


def _leadership(con, report_year: int, targets: dict[str, Target]) -> pd.DataFrame:
    frame = con.execute(
        """
        select unit_group, units_expected, units_reporting, units_with_female_key_leader,
               share_of_reporting, target_share, is_met, pool_female_share, pool_female_trained_share
        from marts.rpt_leadership_targets
        where report_year = ?
        """,
        [int(report_year)],
    ).df()
    by_group = {str(row["unit_group"]): row for row in frame.to_dict("records")}
    counts = ("units_expected", "units_reporting", "units_with_female_key_leader")
    codes = list(UNIT_GROUPS.codes) + sorted(code for code in by_group if code not in UNIT_GROUPS.codes)
    labels = dict(UNIT_GROUPS.items)
    pool_target = _target_value(targets, "POOL_FEMALE_SHARE")
    trained_target = _target_value(targets, "POOL_FEMALE_TRAINED")
    rows = []
    for number, code in enumerate(codes, start=1):
        mart = by_group.get(code, {})
        is_met = _value(mart.get("is_met"))
        rows.append(
            {
                "row_kind": "item",
                "stt": str(number),
                "code": code,
                "label": labels.get(code, code),
                **{name: int(_value(mart.get(name)) or 0) for name in counts},
                "share_of_reporting": _value(mart.get("share_of_reporting")),
                "target_share": _value(mart.get("target_share")),
                "assessment": _assessment(is_met),
                "pool_female_share": _value(mart.get("pool_female_share")),
                "pool_female_target": pool_target,
                "pool_female_trained_share": _value(mart.get("pool_female_trained_share")),
                "pool_female_trained_target": trained_target,
            }
        )
    total = {name: sum(row[name] for row in rows) for name in counts}
    rows.append(
        {
            "row_kind": "total",
            "stt": "",
            "code": None,
            "label": TOTAL_LABEL,
            **total,
            "share_of_reporting": _ratio(total["units_with_female_key_leader"], total["units_reporting"]),
            # Targets differ by group and the pool shares cannot be pooled from shares: left blank.
            "target_share": None,
            "assessment": None,
            "pool_female_share": None,
            "pool_female_target": None,
            "pool_female_trained_share": None,
            "pool_female_trained_target": None,
        }
    )
    rates = [
        "share_of_reporting",
        "target_share",
        "pool_female_share",
        "pool_female_target",
        "pool_female_trained_share",
        "pool_female_trained_target",
    ]
    columns = ["row_kind", "stt", "code", "label", *counts, "share_of_reporting", "target_share", "assessment"]
    columns += rates[2:]
    return _frame(rows, columns, ints=counts, floats=rates)


def _assessment(is_met) -> str | None:
    if is_met is None:
        return None
    return "Đạt" if is_met else "Chưa đạt"


def _assess(value, target) -> str | None:
    if value is None or target is None or _is_na(value) or _is_na(target):
        return None
    return _assessment(float(value) >= float(target) - 1e-9)


# --------------------------------------------------------------------------------------------------
# Biểu 4: institutional indicators and news items per quarter


def _indicators(con, report_year: int, report_type: str, targets: dict[str, Target]) -> pd.DataFrame:
    values = _indicator_values(con, report_year, report_type)

    def of(code: str, communes_only: bool = False):
        rows = values[values["indicator_code"] == code]
        return rows[rows["is_commune"]] if communes_only else rows

    def count_units(rows) -> int:
        return int(rows["unit_code"].nunique())

    def total(rows) -> int:
        return int(rows["value_number"].fillna(0).sum())

    ban = of("BAN_VSTBPN_KIEN_TOAN")
    ban_yes = int((ban["value_text"] == "CO").sum())
    shelters = of("SO_NOI_TAM_LANH", communes_only=True)
    shelter_units = int((shelters["value_number"].fillna(0) >= 1).sum())
    ntm = of("DAT_NTM_6_5")
    ntm_applicable = ntm[ntm["value_text"].isin(["CO", "KHONG"])]
    ntm_yes = int((ntm_applicable["value_text"] == "CO").sum())
    ban_target = _target_value(targets, "BAN_VSTBPN_CONSOLIDATED")
    shelter_target = 1.0 if "SHELTER_PER_COMMUNE" in targets else None

    def item(code, label, unit, reporting, value, share=None, target=None):
        return {
            "row_kind": "item",
            "code": code,
            "label": label,
            "measure_unit": unit,
            "units_reporting": reporting,
            "value": value,
            "share": share,
            "target": target,
            "assessment": _assess(share, target),
        }

    rows = [
        item(
            "BAN_VSTBPN_KIEN_TOAN",
            "Đơn vị đã kiện toàn Ban Vì sự tiến bộ của phụ nữ",
            "Đơn vị",
            count_units(ban),
            ban_yes,
            _ratio(ban_yes, count_units(ban)),
            ban_target,
        ),
        item(
            "SO_CONG_CHUC_BDG",
            "Công chức phụ trách công tác bình đẳng giới",
            "Người",
            count_units(of("SO_CONG_CHUC_BDG")),
            total(of("SO_CONG_CHUC_BDG")),
        ),
        item(
            "SO_NOI_TAM_LANH",
            "Nơi tạm lánh hỗ trợ người bị bạo lực trên cơ sở giới (cấp xã)",
            "Nơi",
            count_units(shelters),
            total(shelters),
        ),
        item(
            "XA_CO_NOI_TAM_LANH",
            "Xã, phường, đặc khu có ít nhất 01 nơi tạm lánh",
            "Xã",
            count_units(shelters),
            shelter_units,
            _ratio(shelter_units, count_units(shelters)),
            shelter_target,
        ),
        item(
            "SO_VAN_BAN_LONG_GHEP",
            "Văn bản QPPL được lồng ghép vấn đề bình đẳng giới",
            "Văn bản",
            count_units(of("SO_VAN_BAN_LONG_GHEP")),
            total(of("SO_VAN_BAN_LONG_GHEP")),
        ),
        item(
            "KINH_PHI_BDG",
            "Kinh phí bố trí cho công tác bình đẳng giới",
            "Đồng",
            count_units(of("KINH_PHI_BDG")),
            total(of("KINH_PHI_BDG")),
        ),
        item(
            "DAT_NTM_6_5",
            "Xã đạt tiêu chí 6.5 nông thôn mới (trên số xã áp dụng)",
            "Xã",
            count_units(ntm_applicable),
            ntm_yes,
            _ratio(ntm_yes, count_units(ntm_applicable)),
        ),
    ]
    for number, row in enumerate(rows, start=1):
        row["stt"] = str(number)
    columns = ["row_kind", "stt", "code", "label", "measure_unit", "units_reporting", "value", "share"]
    columns += ["target", "assessment"]
    return _frame(rows, columns, ints=["units_reporting", "value"], floats=["share", "target"])


def _news_by_commune_and_quarter(con, report_year: int, report_type: str, quarter_list) -> pd.DataFrame:
    """News items (Tin, bài) per reporting commune and quarter of the period, zero-filled."""
    import pandas as pd

    communes = _reporting_units(con, report_year, report_type)
    communes = sorted(communes[communes["is_commune"]]["unit_code"].astype(str))
    news = con.execute(
        """
        select activities.unit_code, activities.activity_date, coalesce(activities.quantity, 0) as quantity
        from marts.fct_activities as activities
        inner join marts.dim_units as units on units.unit_code = activities.unit_code
        where activities.report_year = ? and activities.report_type = ? and units.is_commune
          and activities.activity_type_code = ? and activities.activity_date is not null
        """,
        [int(report_year), report_type, NEWS_ACTIVITY_TYPE],
    ).df()
    days = pd.to_datetime(news["activity_date"]).dt.date if not news.empty else None
    records = []
    for name, first, last in quarter_list:
        in_quarter = news[(days >= first) & (days <= last)] if days is not None else news
        per_unit = in_quarter.groupby("unit_code")["quantity"].sum().to_dict() if len(in_quarter) else {}
        for unit in communes:
            records.append({"quarter": name, "unit_code": unit, "news_items": int(per_unit.get(unit, 0))})
    return pd.DataFrame(records, columns=["quarter", "unit_code", "news_items"])


def _news_by_quarter(con, report_year: int, report_type: str, targets: dict[str, Target]) -> pd.DataFrame:
    target = _target_value(targets, "NEWS_ITEMS_PER_QUARTER_COMMUNE")
    quarter_list = quarters(con, report_year, report_type)
    per_commune = _news_by_commune_and_quarter(con, report_year, report_type, quarter_list)
    rows = []
    for number, (name, first, last) in enumerate(quarter_list, start=1):
        part = per_commune[per_commune["quarter"] == name]
        communes = len(part)
        items = int(part["news_items"].sum())
        met = int((part["news_items"] >= target).sum()) if target is not None else None
        rows.append(
            {
                "row_kind": "item",
                "stt": str(number),
                "code": name,
                "label": f"Quý {name} ({first:%d/%m/%Y} – {last:%d/%m/%Y})",
                "communes_reporting": communes,
                "news_items": items,
                "news_per_commune": _ratio(items, communes),
                "communes_met": met,
                "share_met": _ratio(met, communes),
                "target_per_commune": target,
            }
        )
    columns = ["row_kind", "stt", "code", "label", "communes_reporting", "news_items", "news_per_commune"]
    columns += ["communes_met", "share_met", "target_per_commune"]
    return _frame(
        rows,
        columns,
        ints=["communes_reporting", "news_items", "communes_met"],
        floats=["news_per_commune", "share_met", "target_per_commune"],
    )


# --------------------------------------------------------------------------------------------------
# Biểu 5: reporting status


STATUS_COUNT_COLUMNS = ("units_expected", "on_time", "late", "rejected", "missing", "pending")


def _reporting_status(con, report_year: int, report_type: str) -> pd.DataFrame:
    frame = con.execute(
        """
        select unit_kind, status, count(*)::bigint as units
        from marts.rpt_reporting_status
        where report_year = ? and report_type = ?
        group by all
        """,
        [int(report_year), report_type],
    ).df()
    counts: dict[str, dict[str, int]] = {}
    for record in frame.to_dict("records"):
        kind = str(record["unit_kind"]) if not _is_na(record["unit_kind"]) else "KHAC"
        counts.setdefault(kind, {})[str(record["status"])] = int(record["units"])
    kinds = list(UNIT_KINDS.codes) + sorted(kind for kind in counts if kind not in UNIT_KINDS.codes)
    labels = dict(UNIT_KINDS.items)

    def figures(by_status: dict[str, int]) -> dict:
        row = {status: by_status.get(status, 0) for status in STATUSES.codes}
        row["units_expected"] = sum(row.values())
        row["received"] = row["on_time"] + row["late"]
        row["reporting_rate"] = _ratio(row["received"], row["units_expected"])
        row["on_time_rate"] = _ratio(row["on_time"], row["units_expected"])
        return row

    rows = []
    for kind in kinds:
        if kind not in counts and kind not in UNIT_KINDS.codes:
            continue
        rows.append(
            {
                "row_kind": "item",
                "stt": str(len(rows) + 1),
                "code": kind,
                "label": labels.get(kind, kind),
                **figures(counts.get(kind, {})),
            }
        )
    overall: dict[str, int] = {}
    for by_status in counts.values():
        for status, units in by_status.items():
            overall[status] = overall.get(status, 0) + units
    rows.append({"row_kind": "total", "stt": "", "code": None, "label": TOTAL_LABEL, **figures(overall)})
    ints = [*STATUS_COUNT_COLUMNS, "received"]
    columns = ["row_kind", "stt", "code", "label", *ints, "reporting_rate", "on_time_rate"]
    return _frame(rows, columns, ints=ints, floats=["reporting_rate", "on_time_rate"])


def _units_to_chase(con, report_year: int, report_type: str) -> pd.DataFrame:
    frame = con.execute(
        """
        with kinds as (
            select unit_kind, any_value(unit_kind_name_vi) as unit_kind_name_vi
            from marts.dim_units
            group by 1
        )
        select status.unit_code, status.unit_name, status.unit_kind,
               kinds.unit_kind_name_vi, status.status, status.deadline_date,
               status.first_received_at, status.days_late, status.rejected_file_count
        from marts.rpt_reporting_status as status
        left join kinds on kinds.unit_kind = status.unit_kind
        where status.report_year = ? and status.report_type = ?
          and status.status in ('missing', 'rejected', 'late')
        """,
        [int(report_year), report_type],
    ).df()
    labels = dict(STATUSES.items)
    records = sorted(frame.to_dict("records"), key=lambda r: (CHASE_STATUSES.index(r["status"]), str(r["unit_code"])))
    rows = []
    for number, record in enumerate(records, start=1):
        received = _value(record["first_received_at"])
        days_late = _value(record["days_late"])
        rejected = _value(record["rejected_file_count"])
        rows.append(
            {
                "row_kind": "item",
                "stt": str(number),
                "unit_code": str(record["unit_code"]),
                "label": _value(record["unit_name"]) or "",
                "unit_kind": _value(record["unit_kind_name_vi"]) or _value(record["unit_kind"]) or "",
                "status": record["status"],
                "status_label": labels[record["status"]],
                "deadline_date": _as_date(record["deadline_date"]),
                "first_received_date": _as_local_date(received),
                "days_late": None if days_late is None else int(days_late),
                "rejected_file_count": int(rejected or 0),
            }
        )
    columns = ["row_kind", "stt", "unit_code", "label", "unit_kind", "status", "status_label"]
    columns += ["deadline_date", "first_received_date", "days_late", "rejected_file_count"]
    return _frame(rows, columns, ints=["days_late", "rejected_file_count"])


# --------------------------------------------------------------------------------------------------
# Biểu 6: plan targets and attainment


def _leadership_pool(con, report_year: int, report_type: str) -> dict[str, int]:
    row = con.execute(
        """
        select coalesce(sum(pool_total), 0)::bigint, coalesce(sum(pool_female), 0)::bigint,
               coalesce(sum(pool_female_trained), 0)::bigint
        from marts.fct_leadership where report_year = ? and report_type = ?
        """,
        [int(report_year), report_type],
    ).fetchone()
    return {"pool_total": row[0], "pool_female": row[1], "pool_female_trained": row[2]}


def _em_female_leaders(con, report_year: int, report_type: str) -> tuple[int, int]:
    """(units in ethnic-minority areas with a leadership report, of which with an EM female leader)."""
    row = con.execute(
        """
        with per_unit as (
            select leadership.unit_code, sum(leadership.leaders_female_ethnic_minority) as em_female
            from marts.fct_leadership as leadership
            inner join marts.dim_units as units on units.unit_code = leadership.unit_code
            where leadership.report_year = ? and leadership.report_type = ? and units.is_ethnic_minority_area
            group by 1
        )
        select count(*), count(*) filter (where em_female >= 1) from per_unit
        """,
        [int(report_year), report_type],
    ).fetchone()
    return int(row[0]), int(row[1])


def _sessions_per_unit(con, report_year: int, report_type: str, minimum: float) -> tuple[int, int]:
    """(reporting units, of which with at least `minimum` communication sessions in the period)."""
    units = _reporting_units(con, report_year, report_type)
    placeholders = ", ".join("?" for _ in SESSION_ACTIVITY_TYPES)
    sessions = dict(
        con.execute(
            f"""
            select unit_code, coalesce(sum(quantity), 0) from marts.fct_activities
            where report_year = ? and report_type = ? and activity_type_code in ({placeholders})
            group by 1
            """,
            [int(report_year), report_type, *SESSION_ACTIVITY_TYPES],
        ).fetchall()
    )
    codes = list(units["unit_code"].astype(str))
    return len(codes), sum(1 for code in codes if sessions.get(code, 0) >= minimum)


def _plan_targets(con, report_year, report_type, targets: dict[str, Target], tables) -> pd.DataFrame:
    leadership = tables["leadership"].set_index("code", drop=False)
    gbv_total = tables["gbv_cases"][tables["gbv_cases"]["row_kind"] == "total"].iloc[0]
    indicators = tables["indicators"].set_index("code", drop=False)
    rows = []

    def add(code, *, result, goal, met=None, assessed=None, level=None):
        target = targets[code]
        rows.append(
            {
                "row_kind": "item",
                "stt": str(len(rows) + 1),
                "code": code,
                "label": target.name,
                "legal_source": target.legal_source,
                "target_level": level or _share_level(target.value),
                "units_met": met,
                "units_assessed": assessed,
                "result": result,
                "goal": goal,
                "attainment": _ratio(result, goal),
                "assessment": _assess(result, goal),
            }
        )

    for code in targets:
        target = targets[code]
        if code in ("FEMALE_KEY_LEADER_STATE", "FEMALE_KEY_LEADER_COMMUNE"):
            group = "state_agency" if code.endswith("STATE") else "commune"
            if group not in leadership.index:
                continue
            row = leadership.loc[group]
            add(
                code,
                result=_value(row["share_of_reporting"]),
                goal=_value(row["target_share"]),
                met=int(row["units_with_female_key_leader"]),
                assessed=int(row["units_reporting"]),
                level=_share_level(_value(row["target_share"])),
            )
        elif code in ("POOL_FEMALE_SHARE", "POOL_FEMALE_TRAINED"):
            pool = _leadership_pool(con, report_year, report_type)
            if code == "POOL_FEMALE_SHARE":
                share = _ratio(pool["pool_female"], pool["pool_total"])
            else:
                share = _ratio(pool["pool_female_trained"], pool["pool_female"])
            add(code, result=share, goal=target.value)
        elif code == "EM_FEMALE_LEADER":
            assessed, met = _em_female_leaders(con, report_year, report_type)
            add(code, result=_ratio(met, assessed), goal=target.value, met=met, assessed=assessed)
        elif code == "COMM_SESSIONS_PER_UNIT":
            assessed, met = _sessions_per_unit(con, report_year, report_type, target.value)
            add(
                code,
                result=_ratio(met, assessed),
                goal=1.0,
                met=met,
                assessed=assessed,
                level=f"≥ {_num_text(target.value)} cuộc/đơn vị/năm",
            )
        elif code == "NEWS_ITEMS_PER_QUARTER_COMMUNE":
            per_commune = _news_by_commune_and_quarter(
                con, report_year, report_type, quarters(con, report_year, report_type)
            )
            if per_commune.empty:
                assessed, met = 0, 0
            else:
                worst = per_commune.groupby("unit_code")["news_items"].min()
                assessed, met = len(worst), int((worst >= target.value).sum())
            add(
                code,
                result=_ratio(met, assessed),
                goal=1.0,
                met=met,
                assessed=assessed,
                level=f"≥ {_num_text(target.value)} tin, bài/xã/quý",
            )
        elif code == "SHELTER_PER_COMMUNE":
            row = indicators.loc["XA_CO_NOI_TAM_LANH"]
            add(
                code,
                result=_value(row["share"]),
                goal=1.0,
                met=_value(row["value"]),
                assessed=_value(row["units_reporting"]),
                level=f"≥ {_num_text(target.value)} nơi/xã",
            )
        elif code == "BAN_VSTBPN_CONSOLIDATED":
            row = indicators.loc["BAN_VSTBPN_KIEN_TOAN"]
            add(
                code,
                result=_value(row["share"]),
                goal=target.value,
                met=_value(row["value"]),
                assessed=_value(row["units_reporting"]),
            )
        elif code == "GBV_VICTIMS_SUPPORTED":
            add(code, result=_value(gbv_total["support_rate"]), goal=target.value)
        elif code == "PERPETRATORS_COUNSELLED":
            add(code, result=_value(gbv_total["counselling_rate"]), goal=target.value)
    columns = ["row_kind", "stt", "code", "label", "legal_source", "target_level", "units_met", "units_assessed"]
    columns += ["result", "goal", "attainment", "assessment"]
    return _frame(rows, columns, ints=["units_met", "units_assessed"], floats=["result", "goal", "attainment"])


def _share_level(value) -> str:
    """'≥ 75%'; a 100% target reads '100%'."""
    from report.formatting import percent_target

    if value is None:
        return ""
    return percent_target(value) if value >= 1 else f"≥ {percent_target(value)}"


def _num_text(value) -> str:
    from report.formatting import number

    return number(value, 1, strip_zeros=True)


# --------------------------------------------------------------------------------------------------
# Biểu 7: plan tasks (the plan's task appendix, imported with `bdg plan import`)


PLAN_TASK_STATUSES = ("done", "in_progress", "not_started", "no_report")  # rpt_plan_task_status.status
PLAN_TASK_TEXT_LIMIT = 180  # characters of a task's content printed in the table (the full text is in the mart)
PLAN_TASK_COLUMNS = [
    "row_kind", "stt", "code", "province_code", "label", "task_text", "lead_agencies", "due_date",
    "timeline_text", "due", "units_assigned", *PLAN_TASK_STATUSES, "is_done", "is_overdue", "overdue",
]  # fmt: skip


def shorten_text(text, limit: int = PLAN_TASK_TEXT_LIMIT) -> str:
    """`text` in NFC with runs of whitespace collapsed; when longer than `limit`, cut at the last word
    boundary before it (trailing punctuation dropped) and ended with '…'."""
    import unicodedata

    text = " ".join(unicodedata.normalize("NFC", str(text or "")).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-–") + "…"


def has_plan_task_marts(con) -> bool:
    """True when the warehouse has the plan-task marts (an older warehouse has neither)."""
    # Every column `plan_tasks` reads: an older shape of these marts counts as absent.
    needed = {
        "dim_plan_tasks": {"province_code", "plan_year", "task_code", "section_code", "section_title", "group_title",
                           "task_text", "lead_agencies", "timeline_text", "due_date", "source_row"},
        "rpt_plan_task_status": {"province_code", "plan_year", "task_code", "unit_code", "status", "is_overdue",
                                 "as_of_date"},
    }  # fmt: skip
    return all(columns <= relation_columns(con, "marts", name) for name, columns in needed.items())


def plan_tasks(con, report_year: int, report_type: str) -> pd.DataFrame:
    """Biểu 7: the tasks of the plan year `report_year` with what their lead units report.

    One row per task in the plan's order (`row_kind` 'item', `stt` = `code` = the task code), under a
    'section' row per section (I, II, …: its title) and a 'group' row per group of a section (IV.1: the
    programme); a 'total' row ends the table. Counts per task: `units_assigned` (lead units assigned, from
    `rpt_plan_task_status`) and how many of them report it done / in_progress / not_started / no_report.
    A task `is_done` when it has lead units and all report it done; it `is_overdue` when its due date is
    before the report's as-of date and it is not done (for a task with lead units this is "some lead unit
    is overdue" in `rpt_plan_task_status`); `overdue` prints 'Có'/'Không', and on the total row the number of
    overdue tasks. `due` is the due date, or the timeline as written when the plan gives no date.
    `frame.attrs` carries `as_of` (the date overdue is judged at) and `plan_year`.
    Empty (no rows) when no plan is imported for the year or the warehouse predates the plan marts.
    """
    frame = _frame([], PLAN_TASK_COLUMNS)
    frame.attrs = {"as_of": None, "plan_year": int(report_year)}
    if not has_plan_task_marts(con):
        return frame
    counts = ", ".join(
        f"count(status.unit_code) filter (where status.status = '{code}')::bigint as {code}"
        for code in PLAN_TASK_STATUSES
    )
    tasks = con.execute(
        f"""
        select tasks.province_code, tasks.task_code, any_value(tasks.section_code) as section_code,
               any_value(tasks.section_title) as section_title, any_value(tasks.group_title) as group_title,
               any_value(tasks.task_text) as task_text, any_value(tasks.lead_agencies) as lead_agencies,
               any_value(tasks.timeline_text) as timeline_text, any_value(tasks.due_date) as due_date,
               min(tasks.source_row) as source_row,
               count(status.unit_code)::bigint as units_assigned, {counts},
               coalesce(bool_or(status.is_overdue), false) as mart_overdue,
               max(status.as_of_date) as mart_as_of
        from marts.dim_plan_tasks as tasks
        left join marts.rpt_plan_task_status as status
            on status.province_code = tasks.province_code and status.plan_year = tasks.plan_year
            and upper(status.task_code) = upper(tasks.task_code)
        where tasks.plan_year = ?
        group by tasks.province_code, tasks.task_code
        order by tasks.province_code, source_row nulls last, tasks.task_code
        """,
        [int(report_year)],
    ).df()
    if tasks.empty:
        return frame
    mart_as_of = [_as_date(value) for value in tasks["mart_as_of"] if not _is_na(value)]
    as_of = as_of_date(con, report_year, report_type) or (max(mart_as_of) if mart_as_of else None)
    provinces = list(dict.fromkeys(str(code) for code in tasks["province_code"]))
    rows: list[dict] = []
    blank = dict.fromkeys(PLAN_TASK_COLUMNS)
    section = group = None
    total = dict.fromkeys(["units_assigned", *PLAN_TASK_STATUSES], 0)
    task_count = overdue_count = 0
    for record in tasks.to_dict("records"):
        province = str(record["province_code"])
        if len(provinces) > 1 and (not rows or rows[-1]["province_code"] != province):
            # Several provinces' plans for the year: each plan under its own heading.
            rows.append({**blank, "row_kind": "section", "province_code": province,
                         "label": f"Kế hoạch của tỉnh, thành phố mã {province}"})  # fmt: skip
            section = group = None
        code = str(record["task_code"])
        section_key = (province, _value(record["section_code"]), _value(record["section_title"]))
        if section_key != section:
            section, group = section_key, None
            title = section_key[2] or section_key[1]
            if title:
                rows.append({**blank, "row_kind": "section", "stt": section_key[1] or "", "province_code": province,
                             "label": shorten_text(title, 10_000)})  # fmt: skip
        group_title = _value(record["group_title"])
        if group_title and group_title != group:
            parts = code.split(".")
            rows.append({**blank, "row_kind": "group", "stt": ".".join(parts[:-1]) if len(parts) > 2 else "",
                         "province_code": province, "label": shorten_text(group_title, 10_000)})  # fmt: skip
        group = group_title
        figures = {name: int(record[name]) for name in ("units_assigned", *PLAN_TASK_STATUSES)}
        due_date = _as_date(record["due_date"])
        is_done = figures["units_assigned"] > 0 and figures["done"] == figures["units_assigned"]
        if as_of is None:
            is_overdue = bool(record["mart_overdue"])
        else:
            is_overdue = due_date is not None and due_date < as_of and not is_done
        agencies = record["lead_agencies"]  # a list (numpy array) of the agencies as written
        agencies = [] if agencies is None or _is_na(agencies) else [str(agency) for agency in agencies]
        timeline = _value(record["timeline_text"])
        rows.append(
            {
                "row_kind": "item",
                "stt": code,
                "code": code,
                "province_code": province,
                "label": shorten_text(record["task_text"]),
                "task_text": _value(record["task_text"]),
                "lead_agencies": "; ".join(agencies),
                "due_date": due_date,
                "timeline_text": timeline,
                "due": due_date if due_date is not None else (timeline or None),
                **figures,
                "is_done": is_done,
                "is_overdue": is_overdue,
                "overdue": "Có" if is_overdue else "Không",
            }
        )
        task_count += 1
        overdue_count += is_overdue
        for name in total:
            total[name] += figures[name]
    rows.append(
        {
            **blank,
            "row_kind": "total",
            "stt": "",
            "label": f"{TOTAL_LABEL} ({_integer_text(task_count)} nhiệm vụ)",
            **total,
            "overdue": overdue_count,
        }
    )
    frame = _frame(rows, PLAN_TASK_COLUMNS, ints=["units_assigned", *PLAN_TASK_STATUSES])
    frame.attrs = {"as_of": as_of, "plan_year": int(report_year)}
    return frame


def plan_task_summary(frame: pd.DataFrame) -> dict:
    """Counts of Biểu 7 for prose: {'tasks', 'done', 'overdue', 'as_of', 'plan_year', 'overdue_rows'}
    (`overdue_rows`: the overdue tasks' records, in the plan's order). `tasks` is 0 when no plan."""
    items = [
        {key: _value(value) for key, value in record.items()}
        for record in frame.to_dict("records")
        if record["row_kind"] == "item"
    ]
    overdue = [record for record in items if record["is_overdue"]]
    return {
        "tasks": len(items),
        "done": sum(1 for record in items if record["is_done"]),
        "overdue": len(overdue),
        "as_of": frame.attrs.get("as_of"),
        "plan_year": frame.attrs.get("plan_year"),
        "overdue_rows": overdue,
    }


def _integer_text(value) -> str:
    from report.formatting import integer

    return integer(value)


# --------------------------------------------------------------------------------------------------
# Summary sheet


SUMMARY_COLUMNS_ORDER = ["row_kind", "stt", "code", "label", "value", "format", "previous", "change"]
SUMMARY_COLUMNS_ORDER += ["target", "assessment"]


def _summary(tables: dict[str, pd.DataFrame], previous: pd.DataFrame | None) -> pd.DataFrame:
    def figure(table: str, code: str | None, column: str, *, kind: str = "total"):
        frame = tables[table]
        match = frame[frame["row_kind"] == kind] if code is None else frame[frame["code"] == code]
        return _value(match.iloc[0][column]) if len(match) else None

    rows: list[dict] = []
    previous_values = {}
    if previous is not None:
        previous_values = {
            row["code"]: _value(row["value"]) for row in previous.to_dict("records") if row["row_kind"] == "item"
        }

    def section(stt: str, label: str) -> None:
        rows.append({"row_kind": "section", "stt": stt, "code": None, "label": label, "value": None, "format": None})

    def item(code: str, label: str, value, fmt: str = "int", target=None) -> None:
        number = sum(1 for row in rows if row["row_kind"] == "item") + 1
        before = previous_values.get(code)
        change = None if value is None or before is None else value - before
        rows.append(
            {
                "row_kind": "item",
                "stt": str(number),
                "code": code,
                "label": label,
                "value": value,
                "format": fmt,
                "previous": before,
                "change": change,
                "target": target,
                "assessment": _assess(value, target),
            }
        )

    section("I", "Tình hình nộp báo cáo")
    item("units_expected", "Số đơn vị phải báo cáo", figure("reporting_status", None, "units_expected"))
    item("units_received", "Số đơn vị đã nộp báo cáo (đúng hạn và muộn)", figure("reporting_status", None, "received"))
    item("reporting_rate", "Tỷ lệ đơn vị đã nộp báo cáo", figure("reporting_status", None, "reporting_rate"), "pct")
    item("on_time_rate", "Tỷ lệ đơn vị nộp báo cáo đúng hạn", figure("reporting_status", None, "on_time_rate"), "pct")
    item("units_late", "Số đơn vị nộp báo cáo muộn", figure("reporting_status", None, "late"))
    item("units_missing", "Số đơn vị chưa nộp báo cáo (đã quá hạn)", figure("reporting_status", None, "missing"))
    item("units_rejected", "Số đơn vị có báo cáo bị từ chối", figure("reporting_status", None, "rejected"))
    section("II", "Hoạt động bình đẳng giới")
    item("activities", "Số hoạt động", figure("activities", None, "activities"))
    item("participants_total", "Số lượt người tham gia", figure("activities", None, "participants_total"))
    item("participants_female", "Trong đó: nữ", figure("activities", None, "participants_female"))
    item(
        "participants_ethnic_minority",
        "Trong đó: người dân tộc thiểu số",
        figure("activities", None, "participants_ethnic_minority"),
    )
    item("budget_vnd", "Kinh phí thực hiện (đồng)", figure("activities", None, "budget_vnd"))
    section("III", "Phòng ngừa, ứng phó bạo lực trên cơ sở giới")
    item("cases_detected", "Số vụ việc phát hiện", figure("gbv_cases", None, "cases_detected"))
    item("cases_handled", "Số vụ việc đã xử lý", figure("gbv_cases", None, "cases_handled"))
    victims = None
    female, male = figure("gbv_cases", None, "victims_female"), figure("gbv_cases", None, "victims_male")
    if female is not None and male is not None:
        victims = female + male
    item("victims", "Số nạn nhân", victims)
    item("victims_children", "Trong đó: trẻ em", figure("gbv_cases", None, "victims_children"))
    item(
        "support_rate",
        "Tỷ lệ nạn nhân được hỗ trợ",
        figure("gbv_cases", None, "support_rate"),
        "pct",
        figure("gbv_cases", None, "support_target"),
    )
    item(
        "counselling_rate",
        "Tỷ lệ người gây bạo lực được tư vấn",
        figure("gbv_cases", None, "counselling_rate"),
        "pct",
        figure("gbv_cases", None, "counselling_target"),
    )
    section("IV", "Phụ nữ tham gia lãnh đạo, quản lý")
    leadership = tables["leadership"]
    for record in leadership[leadership["row_kind"] == "item"].to_dict("records"):
        label = record["label"]
        item(
            f"female_key_leader_{record['code']}",
            f"Tỷ lệ có nữ lãnh đạo chủ chốt: {label[0].lower()}{label[1:]}",
            _value(record["share_of_reporting"]),
            "pct",
            _value(record["target_share"]),
        )
    section("V", "Tổ chức bộ máy, nguồn lực")
    item(
        "ban_consolidated_share",
        "Tỷ lệ đơn vị đã kiện toàn Ban Vì sự tiến bộ của phụ nữ",
        figure("indicators", "BAN_VSTBPN_KIEN_TOAN", "share"),
        "pct",
        figure("indicators", "BAN_VSTBPN_KIEN_TOAN", "target"),
    )
    item("gender_officers", "Số công chức phụ trách bình đẳng giới", figure("indicators", "SO_CONG_CHUC_BDG", "value"))
    item("shelters", "Số nơi tạm lánh (cấp xã)", figure("indicators", "SO_NOI_TAM_LANH", "value"))
    item(
        "communes_with_shelter_share",
        "Tỷ lệ xã, phường, đặc khu có nơi tạm lánh",
        figure("indicators", "XA_CO_NOI_TAM_LANH", "share"),
        "pct",
        figure("indicators", "XA_CO_NOI_TAM_LANH", "target"),
    )
    # `value`, `previous` and `change` mix counts and fractions (see `format`): kept as Python objects.
    return _frame(rows, SUMMARY_COLUMNS_ORDER, floats=["target"])


# --------------------------------------------------------------------------------------------------
# Helpers


def _frame(rows: list[dict], columns: list[str], *, ints=(), floats=()) -> pd.DataFrame:
    """Rows → DataFrame with nullable dtypes: counts `Int64`, rates `Float64`, blanks `<NA>`."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    for name in ints:
        frame[name] = frame[name].astype("Int64")
    for name in floats:
        frame[name] = frame[name].astype("Float64")
    return frame


def _is_na(value) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and arrays are values, not missing
        return False


def _value(value):
    """A plain Python value, None for NA/NaN/NaT; numpy scalars become int/float/bool."""
    if value is None or _is_na(value):
        return None
    if hasattr(value, "item") and not isinstance(value, dt.date):
        return value.item()
    return value


def _as_date(value) -> dt.date | None:
    import pandas as pd

    if value is None or _is_na(value):
        return None
    return pd.Timestamp(value).date()


def _as_local_date(value) -> dt.date | None:
    """The calendar date in Asia/Ho_Chi_Minh of a timestamptz (naive values are taken as UTC)."""
    import pandas as pd

    if value is None or _is_na(value):
        return None
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    return stamp.tz_convert(LOCAL_TZ).date()


value_of = _value  # public name for renderers


# --------------------------------------------------------------------------------------------------
# Everything the renderers need, read once


@dataclass
class ReportData:
    """The figures of one period, read once from the warehouse and shared by every renderer."""

    report_year: int
    report_type: str
    tables: dict
    sources: object  # pd.DataFrame from report.provenance.figure_sources
    activities_by_month: object  # pd.DataFrame from activities_by_month
    as_of: dt.date | None
    previous_period: tuple[int, str] | None  # set when the summary carries the previous period

    @property
    def period_label(self) -> str:
        return period_label(self.report_year, self.report_type)


def load_report_data(con, report_year: int, report_type: str) -> ReportData:
    """Read every figure of the period's report (tables, provenance, chart series, as-of date).

    Failure modes: as `ministry_tables`.
    """
    from report.provenance import figure_sources

    tables = ministry_tables(con, report_year, report_type)
    previous = previous_period(report_year, report_type)
    return ReportData(
        report_year=int(report_year),
        report_type=report_type,
        tables=tables,
        sources=figure_sources(con, report_year, report_type),
        activities_by_month=activities_by_month(con, report_year, report_type),
        as_of=as_of_date(con, report_year, report_type),
        previous_period=previous if has_accepted_reports(con, *previous) else None,
    )
