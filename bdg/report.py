"""The ministry report workbook (báo cáo gửi Bộ Nội vụ), built from the marts.

`ministry_tables` computes every table's figures as DataFrames (one row per printed row, in print order);
`write_ministry_report` renders exactly those rows with xlsxwriter, so a test can compare the workbook
with the marts row by row.

Layout of every sheet: rows 1–3 are the title block (merged cells), row 5 (`HEADER_ROW` + 1 in Excel
numbering) is the header row, frozen, and data rows follow. Biểu 4 has a second table (the units to
chase) below the first, under its own title and header.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ingest.form_bdg1 import ACTIVITY_TYPES, CASE_TYPES, PROGRAMMES, Vocabulary

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

REPORT_TYPES = ("6T", "NAM")
LOCAL_TZ = "Asia/Ho_Chi_Minh"

# Sheet of each table returned by `ministry_tables` (units_to_chase is the second table of Biểu 4).
SHEETS = {
    "summary": "Tổng hợp",
    "activities": "Biểu 1",
    "gbv_cases": "Biểu 2",
    "leadership": "Biểu 3",
    "reporting_status": "Biểu 4",
    "units_to_chase": "Biểu 4",
}
HEADER_ROW = 4  # 0-based row of the (first) table header on every sheet
TOTAL_LABEL = "Tổng cộng"

UNIT_GROUPS = Vocabulary(
    "unit_group",
    (
        ("state_agency", "Cơ quan quản lý nhà nước, chính quyền cấp tỉnh"),
        ("commune", "Chính quyền cấp xã (xã, phường, đặc khu)"),
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

# Pool targets (NQ 28/NQ-CP): ≥ 50 % of the planning pool female, 100 % of the female pool trained.
POOL_FEMALE_TARGET = 0.5
POOL_FEMALE_TRAINED_TARGET = 1.0


def gbv_targets(report_year: int) -> tuple[float, float]:
    """(victims supported, perpetrators counselled) targets: 80 %/50 % up to 2025, 90 %/70 % from 2026."""
    return (0.8, 0.5) if report_year <= 2025 else (0.9, 0.7)


def period_label(report_year: int, report_type: str) -> str:
    """'Năm 2026' or '6 tháng đầu năm 2026'."""
    return f"Năm {report_year}" if report_type == "NAM" else f"6 tháng đầu năm {report_year}"


# --------------------------------------------------------------------------------------------------
# Figures


def ministry_tables(con: duckdb.DuckDBPyConnection, report_year: int, report_type: str) -> dict[str, pd.DataFrame]:
    """Compute the figures of every table of the ministry report for one period.

    Inputs: an open DuckDB connection on the warehouse (schema `marts`), the year, '6T' or 'NAM'.
    Output: `{"summary", "activities", "gbv_cases", "leadership", "reporting_status", "units_to_chase"}`
    → DataFrame, one row per printed row in print order (see `SHEETS` for the sheet of each). Every frame
    has `row_kind` ('section', 'item', 'total' or 'rate'), `stt` and `label` plus its figures; rates are
    fractions (0..1) or NA when the denominator is 0. Every vocabulary code gets a row, zero when
    nothing was reported; a code in the marts that is not in the vocabulary gets a row labelled with
    the code, so totals always add up.
    Failure modes: `ValueError` for an unknown report type; `duckdb.Error` when a mart is missing.
    """
    if report_type not in REPORT_TYPES:
        raise ValueError(f"report_type must be one of {REPORT_TYPES}, got {report_type!r}")
    tables = {
        "activities": _activities(con, report_year, report_type),
        "gbv_cases": _gbv_cases(con, report_year, report_type),
        "leadership": _leadership(con, report_year),
        "reporting_status": _reporting_status(con, report_year, report_type),
        "units_to_chase": _units_to_chase(con, report_year, report_type),
    }
    tables["summary"] = _summary(tables, report_year)
    return {key: tables[key] for key in SHEETS}


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


def _vocabulary_rows(vocabulary: Vocabulary, sums: dict, names: list[str]) -> list[dict]:
    codes = list(vocabulary.codes) + sorted(code for code in sums if code is not None and code not in vocabulary.codes)
    labels = dict(vocabulary.items)
    return [
        {
            "row_kind": "item",
            "stt": str(number),
            "code": code,
            "label": labels.get(code, code),
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
        {"row_kind": "section", "stt": "I", "code": None, "label": "Theo chương trình", **blank},
        *_vocabulary_rows(PROGRAMMES, by_programme, names),
        {"row_kind": "section", "stt": "II", "code": None, "label": "Theo loại hoạt động", **blank},
        *_vocabulary_rows(ACTIVITY_TYPES, by_type, names),
        {"row_kind": "total", "stt": "", "code": None, "label": TOTAL_LABEL, **total},
    ]
    return _frame(rows, ["row_kind", "stt", "code", "label", *names], ints=names)


def _ratio(numerator, denominator) -> float | None:
    if numerator is None or denominator is None or _is_na(numerator) or _is_na(denominator) or denominator == 0:
        return None
    return float(numerator) / float(denominator)


def _gbv_cases(con, report_year: int, report_type: str) -> pd.DataFrame:

    names = [name for name, _ in GBV_MEASURES]
    table = "marts.fct_gbv_cases"
    by_type = _aggregate(con, table, "case_type_code", GBV_MEASURES, report_year, report_type)
    total = _aggregate(con, table, None, GBV_MEASURES, report_year, report_type)[None]
    support_target, counselling_target = gbv_targets(report_year)
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


def _leadership(con, report_year: int) -> pd.DataFrame:

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
                "assessment": None if is_met is None else ("Đạt" if is_met else "Chưa đạt"),
                "pool_female_share": _value(mart.get("pool_female_share")),
                "pool_female_target": POOL_FEMALE_TARGET,
                "pool_female_trained_share": _value(mart.get("pool_female_trained_share")),
                "pool_female_trained_target": POOL_FEMALE_TRAINED_TARGET,
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


def _reporting_status(con, report_year: int, report_type: str) -> pd.DataFrame:

    frame = con.execute(
        """
        select status, count(*)::bigint as units
        from marts.rpt_reporting_status
        where report_year = ? and report_type = ?
        group by 1
        """,
        [int(report_year), report_type],
    ).df()
    sums = {str(row["status"]): {"units": int(row["units"])} for row in frame.to_dict("records")}
    rows = _vocabulary_rows(STATUSES, sums, ["units"])
    expected = sum(row["units"] for row in rows)
    for row in rows:
        row["share"] = _ratio(row["units"], expected)
    on_time = sums.get("on_time", {}).get("units", 0)
    received = on_time + sums.get("late", {}).get("units", 0)
    rows += [
        {
            "row_kind": "total",
            "stt": "",
            "code": None,
            "label": TOTAL_LABEL,
            "units": expected,
            "share": _ratio(expected, expected),
        },
        {
            "row_kind": "rate",
            "stt": "",
            "code": "reporting_rate",
            "label": "Tỷ lệ đơn vị đã nộp báo cáo (đúng hạn và muộn)",
            "units": received,
            "share": _ratio(received, expected),
        },
        {
            "row_kind": "rate",
            "stt": "",
            "code": "on_time_rate",
            "label": "Tỷ lệ đơn vị nộp báo cáo đúng hạn",
            "units": on_time,
            "share": _ratio(on_time, expected),
        },
    ]
    return _frame(rows, ["row_kind", "stt", "code", "label", "units", "share"], ints=["units"], floats=["share"])


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


def _summary(tables: dict[str, pd.DataFrame], report_year: int) -> pd.DataFrame:

    def figure(table: str, code: str | None, column: str, *, kind: str = "total"):
        frame = tables[table]
        match = frame[frame["row_kind"] == kind] if code is None else frame[frame["code"] == code]
        return _value(match.iloc[0][column])

    def assess(value, target) -> str | None:
        if value is None or target is None:
            return None
        return "Đạt" if value >= target - 1e-9 else "Chưa đạt"

    support_target, counselling_target = gbv_targets(report_year)
    support = figure("gbv_cases", None, "support_rate")
    counselling = figure("gbv_cases", None, "counselling_rate")
    rows: list[dict] = []

    def section(stt: str, label: str) -> None:
        rows.append({"row_kind": "section", "stt": stt, "label": label, "value": None, "format": None})

    def item(label: str, value, fmt: str = "int", target=None, assessment=None) -> None:
        number = sum(1 for row in rows if row["row_kind"] == "item") + 1
        rows.append(
            {
                "row_kind": "item",
                "stt": str(number),
                "label": label,
                "value": value,
                "format": fmt,
                "target": target,
                "assessment": assessment,
            }
        )

    section("I", "Tình hình nộp báo cáo")
    item("Số đơn vị phải báo cáo", figure("reporting_status", None, "units"))
    item("Số đơn vị đã nộp báo cáo (đúng hạn và muộn)", figure("reporting_status", "reporting_rate", "units"))
    item("Tỷ lệ đơn vị đã nộp báo cáo", figure("reporting_status", "reporting_rate", "share"), "pct")
    item("Tỷ lệ đơn vị nộp báo cáo đúng hạn", figure("reporting_status", "on_time_rate", "share"), "pct")
    item("Số đơn vị chưa nộp báo cáo (đã quá hạn)", figure("reporting_status", "missing", "units"))
    item("Số đơn vị có báo cáo bị từ chối", figure("reporting_status", "rejected", "units"))
    item("Số đơn vị nộp báo cáo muộn", figure("reporting_status", "late", "units"))
    section("II", "Hoạt động bình đẳng giới")
    item("Số hoạt động", figure("activities", None, "activities"))
    item("Số lượt người tham gia", figure("activities", None, "participants_total"))
    item("Trong đó: nữ", figure("activities", None, "participants_female"))
    item("Trong đó: người dân tộc thiểu số", figure("activities", None, "participants_ethnic_minority"))
    item("Kinh phí thực hiện (đồng)", figure("activities", None, "budget_vnd"))
    section("III", "Phòng ngừa, ứng phó bạo lực trên cơ sở giới")
    item("Số vụ việc phát hiện", figure("gbv_cases", None, "cases_detected"))
    item("Số vụ việc đã xử lý", figure("gbv_cases", None, "cases_handled"))
    item("Tỷ lệ nạn nhân được hỗ trợ", support, "pct", support_target, assess(support, support_target))
    item(
        "Tỷ lệ người gây bạo lực được tư vấn",
        counselling,
        "pct",
        counselling_target,
        assess(counselling, counselling_target),
    )
    section("IV", "Phụ nữ tham gia lãnh đạo, quản lý")
    leadership = tables["leadership"]
    for record in leadership[leadership["row_kind"] == "item"].to_dict("records"):
        item(
            f"Tỷ lệ có nữ lãnh đạo chủ chốt: {record['label'][0].lower()}{record['label'][1:]}",
            _value(record["share_of_reporting"]),
            "pct",
            _value(record["target_share"]),
            _value(record["assessment"]),
        )
    # `value` mixes counts and fractions (see `format`): kept as Python objects.
    return _frame(rows, ["row_kind", "stt", "label", "value", "format", "target", "assessment"], floats=["target"])


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


# --------------------------------------------------------------------------------------------------
# Workbook


@dataclass(frozen=True)
class _Col:
    key: str
    header: str
    kind: Literal["text", "int", "pct", "date"]
    width: float = 13


ACTIVITY_COLUMNS = (
    _Col("stt", "STT", "text", 6),
    _Col("label", "Nội dung", "text", 50),
    _Col("activities", "Số hoạt động", "int"),
    _Col("participants_total", "Tổng số người tham gia", "int", 14),
    _Col("participants_female", "Nữ", "int"),
    _Col("participants_male", "Nam", "int"),
    _Col("participants_ethnic_minority", "Người dân tộc thiểu số", "int", 14),
    _Col("budget_vnd", "Kinh phí (đồng)", "int", 18),
)
GBV_COLUMNS = (
    _Col("stt", "STT", "text", 6),
    _Col("label", "Loại vụ việc", "text", 42),
    _Col("cases_detected", "Số vụ phát hiện", "int"),
    _Col("cases_handled", "Số vụ đã xử lý", "int"),
    _Col("victims_female", "Nạn nhân nữ", "int"),
    _Col("victims_male", "Nạn nhân nam", "int"),
    _Col("victims_children", "Trong đó trẻ em", "int"),
    _Col("victims_supported", "Nạn nhân được hỗ trợ", "int"),
    _Col("perpetrators_counselled", "Người gây bạo lực được tư vấn", "int", 15),
    _Col("support_rate", "Tỷ lệ nạn nhân được hỗ trợ", "pct", 14),
    _Col("support_target", "Chỉ tiêu", "pct", 10),
    _Col("counselling_rate", "Tỷ lệ người gây bạo lực được tư vấn", "pct", 15),
    _Col("counselling_target", "Chỉ tiêu", "pct", 10),
)
LEADERSHIP_COLUMNS = (
    _Col("stt", "STT", "text", 6),
    _Col("label", "Nhóm đơn vị", "text", 44),
    _Col("units_expected", "Số đơn vị phải báo cáo", "int", 14),
    _Col("units_reporting", "Số đơn vị đã báo cáo", "int", 14),
    _Col("units_with_female_key_leader", "Số đơn vị có nữ lãnh đạo chủ chốt", "int", 15),
    _Col("share_of_reporting", "Tỷ lệ có nữ lãnh đạo chủ chốt", "pct", 14),
    _Col("target_share", "Chỉ tiêu", "pct", 10),
    _Col("assessment", "Đánh giá", "text", 11),
    _Col("pool_female_share", "Tỷ lệ nữ trong quy hoạch", "pct", 13),
    _Col("pool_female_target", "Chỉ tiêu", "pct", 10),
    _Col("pool_female_trained_share", "Tỷ lệ nữ quy hoạch được đào tạo, bồi dưỡng", "pct", 16),
    _Col("pool_female_trained_target", "Chỉ tiêu", "pct", 10),
)
STATUS_COLUMNS = (
    _Col("stt", "STT", "text", 6),
    _Col("label", "Tình trạng nộp báo cáo", "text", 46),
    _Col("units", "Số đơn vị", "int", 14),
    _Col("share", "Tỷ lệ so với số đơn vị phải báo cáo", "pct", 18),
)
CHASE_COLUMNS = (
    _Col("stt", "STT", "text", 6),
    _Col("label", "Tên đơn vị", "text", 46),
    _Col("unit_code", "Mã đơn vị", "text", 18),
    _Col("unit_kind", "Loại đơn vị", "text", 16),
    _Col("status_label", "Tình trạng", "text", 26),
    _Col("deadline_date", "Hạn nộp", "date", 12),
    _Col("first_received_date", "Ngày nhận", "date", 12),
    _Col("days_late", "Số ngày muộn", "int", 10),
    _Col("rejected_file_count", "Số tệp bị từ chối", "int", 11),
)
SUMMARY_COLUMNS = (
    _Col("stt", "STT", "text", 6),
    _Col("label", "Nội dung", "text", 70),
    _Col("value", "Kết quả", "int", 18),
    _Col("target", "Mục tiêu", "pct", 11),
    _Col("assessment", "Đánh giá", "text", 11),
)


class _Formats:
    """The workbook's cell formats (Times New Roman throughout)."""

    def __init__(self, workbook) -> None:
        base = {"font_name": "Times New Roman", "font_size": 12}
        cell = {**base, "border": 1, "valign": "vcenter"}
        self.title = workbook.add_format({**base, "bold": True, "font_size": 13, "align": "center", "text_wrap": True})
        self.subtitle = workbook.add_format({**base, "bold": True, "align": "center"})
        self.note = workbook.add_format({**base, "italic": True, "align": "center"})
        self.footnote = workbook.add_format({**base, "italic": True, "font_size": 11})
        self.section_title = workbook.add_format({**base, "bold": True})
        self.header = workbook.add_format(
            {**cell, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#DDEBF7"}
        )
        self.cells = {}
        for row_kind in ("item", "section", "total", "rate"):
            bold = row_kind in ("section", "total")
            italic = row_kind == "rate"
            style = {**cell, "bold": bold, "italic": italic}
            self.cells[row_kind] = {
                "text": workbook.add_format({**style, "text_wrap": True}),
                "stt": workbook.add_format({**style, "align": "center"}),
                "int": workbook.add_format({**style, "num_format": "#,##0"}),
                "pct": workbook.add_format({**style, "num_format": "0.0%"}),
                "date": workbook.add_format({**style, "num_format": "dd/mm/yyyy", "align": "center"}),
            }


def write_ministry_report(warehouse: Path, report_year: int, report_type: str, out_dir: Path) -> Path:
    """Write the ministry report workbook `out_dir/bao_cao_bdg_{year}_{type}.xlsx` from the marts.

    Sheets: "Tổng hợp" (key figures vs targets), "Biểu 1" activities by programme and by type,
    "Biểu 2" GBV cases by case type with support/counselling rates vs targets, "Biểu 3" women in
    leadership vs targets, "Biểu 4" reporting status and the units that are late, missing or rejected.
    The figures are exactly those of `ministry_tables`. The warehouse is opened read-only; the file is
    written to a temporary name and renamed, so a failed run leaves no half-written workbook.
    Returns the workbook's path. Failure modes: `ValueError` for an unknown report type, `duckdb.Error`
    when the warehouse or a mart is missing, `OSError` when `out_dir` cannot be written.
    """
    import duckdb

    if report_type not in REPORT_TYPES:
        raise ValueError(f"report_type must be one of {REPORT_TYPES}, got {report_type!r}")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = ministry_tables(con, report_year, report_type)
        as_of = con.execute(
            "select max(as_of_date) from marts.rpt_reporting_status where report_year = ? and report_type = ?",
            [int(report_year), report_type],
        ).fetchone()[0]

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"bao_cao_bdg_{report_year}_{report_type}.xlsx"
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".xlsx", dir=out_dir)
    os.close(handle)
    try:
        _render(Path(tmp_name), tables, report_year, report_type, as_of)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path


def _render(path: Path, tables: dict[str, pd.DataFrame], report_year: int, report_type: str, as_of) -> None:
    import xlsxwriter

    period = period_label(report_year, report_type)
    note = f"(Số liệu tính đến ngày {as_of:%d/%m/%Y})" if as_of is not None else ""
    support_target, counselling_target = gbv_targets(report_year)
    # strings_to_formulas/urls off: text from the units is never turned into a formula or a link.
    with xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False}) as workbook:
        workbook.set_properties({"title": f"Báo cáo kết quả thực hiện công tác bình đẳng giới – {period}"})
        formats = _Formats(workbook)
        sheets = [
            (
                "summary",
                "BÁO CÁO TỔNG HỢP KẾT QUẢ THỰC HIỆN CÔNG TÁC BÌNH ĐẲNG GIỚI",
                SUMMARY_COLUMNS,
                [],
            ),
            (
                "activities",
                "Biểu 1. KẾT QUẢ HOẠT ĐỘNG BÌNH ĐẲNG GIỚI THEO CHƯƠNG TRÌNH VÀ LOẠI HOẠT ĐỘNG",
                ACTIVITY_COLUMNS,
                ["Ghi chú: Số hoạt động là tổng cột Số lượng (số cuộc, số tin bài, số sản phẩm…) của các đơn vị."],
            ),
            (
                "gbv_cases",
                "Biểu 2. VỤ VIỆC BẠO LỰC TRÊN CƠ SỞ GIỚI VÀ VI PHẠM PHÁP LUẬT VỀ BÌNH ĐẲNG GIỚI",
                GBV_COLUMNS,
                [
                    "Ghi chú: Tỷ lệ nạn nhân được hỗ trợ = Nạn nhân được hỗ trợ / (Nạn nhân nữ + Nạn nhân nam); "
                    f"chỉ tiêu {support_target:.0%}.",
                    "Tỷ lệ người gây bạo lực được tư vấn = Người gây bạo lực được tư vấn / Số vụ phát hiện; "
                    f"chỉ tiêu {counselling_target:.0%}.",
                ],
            ),
            (
                "leadership",
                "Biểu 3. PHỤ NỮ THAM GIA LÃNH ĐẠO, QUẢN LÝ",
                LEADERSHIP_COLUMNS,
                [
                    "Ghi chú: Tỷ lệ tính trên số đơn vị đã báo cáo; đơn vị có nữ lãnh đạo chủ chốt khi "
                    "nhóm Lãnh đạo chủ chốt có ít nhất 1 nữ."
                ],
            ),
            (
                "reporting_status",
                "Biểu 4. TÌNH HÌNH NỘP BÁO CÁO CỦA CÁC ĐƠN VỊ",
                STATUS_COLUMNS,
                [],
            ),
        ]
        for key, title, columns, footnotes in sheets:
            sheet = workbook.add_worksheet(SHEETS[key])
            # Biểu 4 holds two tables: its column widths and title span follow the wider chase list.
            layout = CHASE_COLUMNS if key == "reporting_status" else columns
            _setup_sheet(sheet, layout)
            width = len(layout)
            _title_block(sheet, formats, width, title, period, note)
            row = _table(sheet, formats, HEADER_ROW, columns, tables[key], summary=key == "summary")
            for footnote in footnotes:
                row += 1
                sheet.write_string(row, 0, footnote, formats.footnote)
            sheet.freeze_panes(HEADER_ROW + 1, 0)
            if key == "reporting_status":
                row += 2
                sheet.write_string(
                    row, 0, "Danh sách đơn vị chưa nộp, bị từ chối hoặc nộp muộn báo cáo", formats.section_title
                )
                row = _table(sheet, formats, row + 1, CHASE_COLUMNS, tables["units_to_chase"])
                if tables["units_to_chase"].empty:
                    sheet.write_string(row + 1, 0, "Không có đơn vị nào.", formats.footnote)


def _setup_sheet(sheet, columns) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(HEADER_ROW)
    sheet.set_row(HEADER_ROW, 48)
    for index, col in enumerate(columns):
        sheet.set_column(index, index, col.width)


def _title_block(sheet, formats: _Formats, width: int, title: str, period: str, note: str) -> None:
    last = max(width - 1, 1)
    for row, text, fmt in ((0, title, formats.title), (1, period, formats.subtitle), (2, note, formats.note)):
        sheet.merge_range(row, 0, row, last, "", fmt)
        sheet.write_string(row, 0, text, fmt)
    sheet.set_row(0, 36)


def _table(sheet, formats: _Formats, header_row: int, columns, frame: pd.DataFrame, *, summary: bool = False) -> int:
    """Write a header row and the frame's rows below it; return the last row written."""
    for index, col in enumerate(columns):
        sheet.write_string(header_row, index, col.header, formats.header)
    row = header_row
    for record in frame.to_dict("records"):
        row += 1
        cell_formats = formats.cells[record.get("row_kind") or "item"]
        for index, col in enumerate(columns):
            kind = col.kind
            if summary and col.key == "value":
                kind = _value(record.get("format")) or "int"
            value = _value(record.get(col.key))
            if col.key == "stt":
                _write_text(sheet, row, index, value, cell_formats["stt"])
            elif value is None:
                sheet.write_blank(row, index, None, cell_formats["text" if kind == "text" else kind])
            elif kind == "text":
                _write_text(sheet, row, index, value, cell_formats["text"])
            elif kind == "date":
                sheet.write_datetime(row, index, dt.datetime.combine(value, dt.time()), cell_formats["date"])
            else:
                sheet.write_number(row, index, float(value), cell_formats[kind])
    return row


def _write_text(sheet, row: int, col: int, value, fmt) -> None:
    # write_string, never write(): a unit name like "=HYPERLINK(...)" must stay text.
    if value is None or value == "":
        sheet.write_blank(row, col, None, fmt)
    else:
        sheet.write_string(row, col, str(value), fmt)
