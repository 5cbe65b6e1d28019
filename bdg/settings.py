"""Where things are. Every path has an environment override so Airflow, the CLI and containers agree."""

from __future__ import annotations

import os
from pathlib import Path

from ingest import warehouse
from ingest.periods import LOCAL_TZ, REPORT_TYPES, local_today, period_of  # noqa: F401  (the doors' settings)

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def dbt_project_dir() -> Path:
    return Path(os.environ.get("BDG_DBT_PROJECT_DIR", PROJECT_ROOT / "dbt_project"))


def paths() -> dict[str, Path]:
    """Where a scheduled run (and the portal) reads and writes, from the environment only.

    `BDG_INBOX`, `BDG_OUT_DIR`, `BDG_WAREHOUSE`, `BDG_REFERENCE_DIR`, `BDG_STAGING_DIR`; defaults are
    folders beside the project, resolved from this file, never from the working directory (an Airflow
    worker's working directory is arbitrary).
    """
    from ingest.reference import resolve_reference_dir

    out = Path(os.environ.get("BDG_OUT_DIR") or PROJECT_ROOT / "out")
    return {
        "inbox": Path(os.environ.get("BDG_INBOX") or PROJECT_ROOT / "inbox"),
        "out": out,
        "warehouse": warehouse.location(os.environ.get("BDG_WAREHOUSE") or PROJECT_ROOT / warehouse.DEFAULT_RELATIVE),
        "reference": resolve_reference_dir(None),
        # on a lake the parsed batches travel through shared storage, beside its data files
        "staging": Path(os.environ.get("BDG_STAGING_DIR") or warehouse.staging_dir() or out / "staging"),
        "alerts": out / "alerts",
    }


def parse_batch_files() -> int:
    """Files per mapped parse task (env `BDG_PARSE_BATCH_FILES`): small enough to spread a province over workers."""
    return int(os.environ.get("BDG_PARSE_BATCH_FILES") or 64)
