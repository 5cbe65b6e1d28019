"""Where things are. Every path has an environment override so Airflow, the CLI and containers agree."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

PROJECT_ROOT = Path(__file__).resolve().parents[1]
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
REPORT_TYPES = ("6T", "NAM")


def dbt_project_dir() -> Path:
    return Path(os.environ.get("BDG_DBT_PROJECT_DIR", PROJECT_ROOT / "dbt_project"))


def warehouse_path(value: str | Path | None = None) -> Path:
    """--warehouse, else env BDG_WAREHOUSE, else ./warehouse/bdg.duckdb."""
    return Path(value or os.environ.get("BDG_WAREHOUSE") or Path.cwd() / "warehouse" / "bdg.duckdb").resolve()


def local_today() -> dt.date:
    """Today in Asia/Ho_Chi_Minh: the default as-of date."""
    return dt.datetime.now(LOCAL_TZ).date()


def period_of(as_of: dt.date) -> tuple[int, str]:
    """The report a run on `as_of` is mostly about: the annual report from mid-November, else the 6-month one.

    Periods run 15/11 of the previous year to 14/5 (6T) and to 14/11 (NAM); due 30/5 and 30/11.
    """
    if as_of.month == 12 or (as_of.month == 11 and as_of.day >= 15):
        return as_of.year, "NAM"
    if as_of.month >= 6:
        return as_of.year, "6T"
    return as_of.year - 1, "NAM"
