"""Reporting periods and the clock they are judged by, defined once for every stage.

All dates are judged in Asia/Ho_Chi_Minh; a period is '6T' (6 tháng) or 'NAM' (năm), the codes of the
form's Kỳ báo cáo vocabulary.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from ingest.form_bdg1 import REPORT_TYPES as REPORT_TYPE_VOCABULARY

LOCAL_TZ_NAME = "Asia/Ho_Chi_Minh"
LOCAL_TZ = ZoneInfo(LOCAL_TZ_NAME)
REPORT_TYPES: tuple[str, ...] = tuple(REPORT_TYPE_VOCABULARY.codes)  # ('6T', 'NAM')


def local_today() -> dt.date:
    """Today in Asia/Ho_Chi_Minh: the default as-of date."""
    return dt.datetime.now(LOCAL_TZ).date()


def local_date(moment: dt.datetime) -> dt.date:
    """The calendar date in Asia/Ho_Chi_Minh of an aware datetime (a naive one is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(LOCAL_TZ).date()


def check_report_type(report_type: str) -> str:
    """`report_type` itself when it is '6T' or 'NAM'; ValueError otherwise."""
    if report_type not in REPORT_TYPES:
        raise ValueError(f"report_type must be one of {REPORT_TYPES}, got {report_type!r}")
    return report_type


def period_of(as_of: dt.date) -> tuple[int, str]:
    """The report a run on `as_of` is mostly about: the annual report from mid-November, else the 6-month one.

    Periods run 15/11 of the previous year to 14/5 (6T) and to 14/11 (NAM); due 30/5 and 30/11.
    """
    if as_of.month == 12 or (as_of.month == 11 and as_of.day >= 15):
        return as_of.year, "NAM"
    if as_of.month >= 6:
        return as_of.year, "6T"
    return as_of.year - 1, "NAM"
