"""Running dbt in-process: the one `dbt build` of `bdg transform`, `bdg run` and the nightly's transform task."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
from pathlib import Path

from bdg.settings import dbt_project_dir
from ingest.warehouse import dbt_env, dbt_target, release_dbt_duckdb, wait_until_free
from ingest.warehouse import work_dir as warehouse_work_dir


class TransformError(RuntimeError):
    """dbt could not build the warehouse (a model failed or a key test failed)."""


def dbt_vars(as_of: dt.date) -> dict[str, str]:
    return {"as_of_date": as_of.isoformat()}


def run_dbt(command: list[str], warehouse: Path, as_of: dt.date, *, work_dir: Path | None = None) -> None:
    """Invoke dbt (e.g. ['build']) on the warehouse; raises TransformError when dbt fails."""
    from dbt.cli.main import dbtRunner

    project = dbt_project_dir()
    work_dir = work_dir or warehouse_work_dir(warehouse) / "dbt"
    os.environ.update(dbt_env(warehouse))
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    args = [
        *command,
        "--project-dir", str(project),
        "--profiles-dir", str(project),
        "--target-path", str(work_dir / "target"),
        "--log-path", str(work_dir / "logs"),
        "--vars", json.dumps(dbt_vars(as_of)),
        "--target", dbt_target(warehouse),
    ]  # fmt: skip
    wait_until_free(warehouse)  # dbt-duckdb would fail at once, in English, on a held lock
    # dbt's console log goes to stderr, warnings and errors only (stdout is for results, e.g. --json);
    # the full log is in work_dir/logs/dbt.log
    args += ["--log-level", "warn", "--log-level-file", "info"]
    try:
        with contextlib.redirect_stdout(sys.stderr):
            result = dbtRunner().invoke(args)
    finally:
        release_dbt_duckdb()
    if not result.success:
        detail = result.exception or "một số model hoặc kiểm thử dbt thất bại (xem log dbt)"
        raise TransformError(f"dbt {' '.join(command)} thất bại: {detail}")
