"""What the Airflow DAGs need, kept out of the DAG files: configuration from the environment, the as-of
date of a run, and the cosmos task group that runs the dbt project. Importing this module does no work."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from bdg import settings

WAREHOUSE_POOL = "bdg_warehouse"  # size 1: DuckDB has one writer
DEFAULT_ARGS = {
    "owner": "so-noi-vu",
    "retries": 2,
    "retry_delay": dt.timedelta(minutes=2),
    "retry_exponential_backoff": True,
    "max_retry_delay": dt.timedelta(minutes=30),
}
AS_OF_XCOM = "{{ ti.xcom_pull(task_ids='ingest')['as_of_date'] }}"


def paths() -> dict[str, Path]:
    """Inbox, output folder, warehouse and reference directory, from BDG_* environment variables."""
    from ingest.reference import resolve_reference_dir

    root = settings.PROJECT_ROOT
    return {
        "inbox": Path(os.environ.get("BDG_INBOX", root / "inbox")),
        "out": Path(os.environ.get("BDG_OUT_DIR", root / "out")),
        "warehouse": settings.warehouse_path(),
        "reference": resolve_reference_dir(None),
    }


def as_of_for_run(params: dict | None, data_interval_end, run_after=None) -> dt.date:
    """The run's as-of date: the `as_of_date` param when given, else the local date the interval ends."""
    if params and params.get("as_of_date"):
        return dt.date.fromisoformat(str(params["as_of_date"]))
    moment = data_interval_end or run_after
    if moment is None:
        return settings.local_today()
    return moment.astimezone(settings.LOCAL_TZ).date()


def dbt_task_group(group_id: str = "transform"):
    """The dbt project as a cosmos DbtTaskGroup: a run task and a test task per model, in the warehouse pool."""
    from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
    from cosmos.constants import ExecutionMode, InvocationMode, LoadMode, TestBehavior, TestIndirectSelection

    project_dir = settings.dbt_project_dir()
    return DbtTaskGroup(
        group_id=group_id,
        project_config=ProjectConfig(
            dbt_project_path=project_dir,
            env_vars={"BDG_WAREHOUSE": str(settings.warehouse_path())},
            install_dbt_deps=False,
        ),
        profile_config=ProfileConfig(
            profile_name="bdg", target_name="dev", profiles_yml_filepath=project_dir / "profiles.yml"
        ),
        execution_config=ExecutionConfig(
            execution_mode=ExecutionMode.LOCAL,
            invocation_mode=InvocationMode.DBT_RUNNER,
            # A test with several parents (relationships) runs in its own task after all of them,
            # not inside the first parent's `dbt build` before the others exist.
            test_indirect_selection=TestIndirectSelection.CAUTIOUS,
            # dbt runs in-process; cosmos still checks that the executable exists, and the venv's bin/
            # is not on PATH when Python is started by its full path.
            dbt_executable_path=str(Path(sys.executable).parent / "dbt"),
        ),
        render_config=RenderConfig(
            load_method=LoadMode.DBT_LS,
            invocation_mode=InvocationMode.DBT_RUNNER,
            test_behavior=TestBehavior.AFTER_EACH,
            should_detach_multiple_parents_tests=True,
            enable_mock_profile=False,
        ),
        operator_args={
            "vars": {"as_of_date": AS_OF_XCOM},
            "pool": WAREHOUSE_POOL,
        },
        default_args=DEFAULT_ARGS,
    )


def nightly_ingest(params: dict | None, data_interval_end, run_after=None) -> dict:
    """Task body: ingest the inbox; returns the summary counts and the run's as-of date (for dbt vars)."""
    from bdg.steps import ingest_step

    where = paths()
    as_of = as_of_for_run(params, data_interval_end, run_after)
    summary = ingest_step(where["warehouse"], where["inbox"], where["reference"], where["out"])
    return {"as_of_date": as_of.isoformat(), "counts": summary["counts"], "files_seen": summary["files_seen"]}


def nightly_check(run: dict) -> dict:
    from bdg.steps import check_step

    where = paths()
    result = check_step(where["warehouse"], dt.date.fromisoformat(run["as_of_date"]), where["out"])
    return {"counts": result["counts"], "report_year": result["report_year"], "report_type": result["report_type"]}


def nightly_report(run: dict) -> str:
    from bdg.steps import report_step

    where = paths()
    year, report_type = settings.period_of(dt.date.fromisoformat(run["as_of_date"]))
    return str(report_step(where["warehouse"], year, report_type, where["out"]))
