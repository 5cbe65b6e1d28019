"""Shared pieces of the report's frames: vocabularies of the printed rows, and the small helpers that
turn mart rows into DataFrames with nullable dtypes (no figure is computed here)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ingest.form_bdg1 import Vocabulary
from ingest.periods import LOCAL_TZ

if TYPE_CHECKING:
    import pandas as pd

TOTAL_LABEL = "Tổng cộng"
# The pseudo province of the marts that holds the figures of the whole warehouse (every province's
# units together): what the report prints. See dbt_project/macros/ministry_report.sql.
WAREHOUSE_SCOPE = "TOAN_QUOC"

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


def frame(rows: list[dict], columns: list[str], *, ints=(), floats=()) -> pd.DataFrame:
    """Rows → DataFrame with nullable dtypes: counts `Int64`, rates `Float64`, blanks `<NA>`."""
    import pandas as pd

    result = pd.DataFrame(rows, columns=columns, dtype=object)
    for name in ints:
        result[name] = result[name].astype("Int64")
    for name in floats:
        result[name] = result[name].astype("Float64")
    return result


def is_na(value) -> bool:
    """True for None, NaN, NaT and pandas' NA (lists and arrays are values, not missing)."""
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def value_of(value):
    """A plain Python value, None for NA/NaN/NaT; numpy scalars become int/float/bool."""
    if value is None or is_na(value):
        return None
    if hasattr(value, "item") and not isinstance(value, dt.date):
        return value.item()
    return value


def as_int(value) -> int | None:
    """A count read from a mart (often a double), as int; None stays None."""
    value = value_of(value)
    return None if value is None else int(value)


def as_date(value) -> dt.date | None:
    """A date read from a mart (date, Timestamp or None)."""
    import pandas as pd

    if value is None or is_na(value):
        return None
    return pd.Timestamp(value).date()


def as_local_date(value) -> dt.date | None:
    """The calendar date in Asia/Ho_Chi_Minh of a timestamptz (naive values are taken as UTC)."""
    import pandas as pd

    if value is None or is_na(value):
        return None
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    return stamp.tz_convert(LOCAL_TZ).date()


def assessment(is_met) -> str | None:
    """'Đạt' / 'Chưa đạt' of a mart's is_met (boolean or 1/0); None when not assessed."""
    is_met = value_of(is_met)
    if is_met is None:
        return None
    return "Đạt" if is_met else "Chưa đạt"


def built_for(con) -> dt.date | None:
    """The as-of date the marts were built for (`marts.rpt_reporting_status`), None before the first build."""
    built = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'marts' and table_name = 'rpt_reporting_status'"
    ).fetchone()[0]
    if not built:
        return None
    return con.execute("select max(as_of_date) from marts.rpt_reporting_status").fetchone()[0]


def period_records(con, mart: str, columns: str, report_year: int, report_type: str, order_by: str = "") -> list[dict]:
    """The whole warehouse's rows of `marts.<mart>` for one period, as dicts: `columns` is the select
    list, `order_by` the print order (an `order by` list, or none)."""
    order = f" order by {order_by}" if order_by else ""
    sql = f"select {columns} from marts.{mart} where province_code = ? and report_year = ? and report_type = ?" + order
    return con.execute(sql, [WAREHOUSE_SCOPE, int(report_year), report_type]).df().to_dict("records")


def cells(con, table_code: str, report_year: int, report_type: str) -> dict[tuple[str, str], object]:
    """(row_code, column_code) → value of one table of `marts.rpt_ministry_annual`, whole warehouse."""
    rows = con.execute(
        """
        select row_code, column_code, value from marts.rpt_ministry_annual
        where province_code = ? and table_code = ? and report_year = ? and report_type = ?
        """,
        [WAREHOUSE_SCOPE, table_code, int(report_year), report_type],
    ).fetchall()
    return {(row, column): value for row, column, value in rows}
