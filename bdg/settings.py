"""Where things are. Every path has an environment override so Airflow, the CLI and containers agree."""

from __future__ import annotations

import os
from pathlib import Path

from ingest import warehouse
from ingest.periods import LOCAL_TZ, REPORT_TYPES, local_today, period_of  # noqa: F401  (the doors' settings)

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def dbt_project_dir() -> Path:
    return Path(os.environ.get("BDG_DBT_PROJECT_DIR", PROJECT_ROOT / "dbt_project"))


def warehouse_path(value: str | Path | None = None) -> Path:
    """--warehouse, else env BDG_WAREHOUSE, else ./warehouse/bdg.duckdb."""
    return warehouse.location(value)
