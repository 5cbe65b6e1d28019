"""What every BDG DAG shares, kept out of the DAG files: the one-writer pool, the assets that link the
DAGs, retries with the failure alert, and the cosmos task group that runs the dbt project.

Importing this module does no work and does not import airflow (`bdg.airflow_local` imports it before
Airflow's configuration is set); the functions import what they need.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from pathlib import Path

from bdg import settings
from ingest.periods import LOCAL_TZ_NAME

TIMEZONE = LOCAL_TZ_NAME  # DAG start dates: pendulum.datetime(..., tz=TIMEZONE)
WAREHOUSE_POOL = "bdg_warehouse"  # size 1: DuckDB has one writer, and a writer excludes other processes' readers
AS_OF_XCOM = "{{ ti.xcom_pull(task_ids='as_of') }}"

# Assets: what each step leaves behind, so one DAG's output can be seen (and scheduled on) by another.
ASSET_URIS = {
    "raw": "x-bdg://warehouse/raw",  # raw.* after the loader committed the night's files
    "marts": "x-bdg://warehouse/marts",  # staging + marts after dbt build
    "dq": "x-bdg://warehouse/dq",  # dq.results after the expectations
    "status": "x-bdg://out/status",  # status_<year>_<type>.json
    "chase": "x-bdg://out/chase",  # the chase list and the draft reminder letter
    "report": "x-bdg://out/report",  # the ministry workbook, HTML report and narrative
}


def default_args() -> dict:
    """Retries with exponential backoff and the failure alert, for every task of every BDG DAG."""
    from bdg.alerts import alert_on_failure

    return {
        "owner": "so-noi-vu",
        "retries": 2,
        "retry_delay": dt.timedelta(minutes=2),
        "retry_exponential_backoff": True,
        "max_retry_delay": dt.timedelta(minutes=30),
        "on_failure_callback": alert_on_failure,
    }


@functools.cache
def asset(key: str):
    """The Airflow Asset for one of ASSET_URIS ('raw', 'marts', 'dq', 'status', 'chase', 'report')."""
    from airflow.sdk import Asset

    return Asset(name=f"bdg_{key}", uri=ASSET_URIS[key], group="bdg")


def dbt_task_group(group_id: str = "transform"):
    """The dbt project as a cosmos DbtTaskGroup, in the warehouse pool: one `dbt build` task per model and seed
    (the node and its own tests), and one task per test with several parents (relationships) after all of them.

    Cautious indirect selection keeps a multi-parent test out of its first parent's build (where the other
    parent may not exist yet); cosmos renders it detached instead. BUILD rather than AFTER_EACH halves the
    task count: each task pays a process start and a dbt start, which dominate on a two-core machine.
    """
    from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
    from cosmos.constants import ExecutionMode, InvocationMode, LoadMode, TestBehavior, TestIndirectSelection

    from ingest.warehouse import dbt_env

    project_dir = settings.dbt_project_dir()
    return DbtTaskGroup(
        group_id=group_id,
        project_config=ProjectConfig(
            dbt_project_path=project_dir,
            env_vars=dbt_env(settings.paths()["warehouse"]),
            install_dbt_deps=False,
        ),
        profile_config=ProfileConfig(
            profile_name="bdg", target_name="dev", profiles_yml_filepath=project_dir / "profiles.yml"
        ),
        execution_config=ExecutionConfig(
            execution_mode=ExecutionMode.LOCAL,
            invocation_mode=InvocationMode.DBT_RUNNER,
            test_indirect_selection=TestIndirectSelection.CAUTIOUS,
            # dbt runs in-process; cosmos still checks that the executable exists, and the venv's bin/
            # is not on PATH when Python is started by its full path.
            dbt_executable_path=str(Path(sys.executable).parent / "dbt"),
        ),
        render_config=RenderConfig(
            load_method=LoadMode.DBT_LS,
            invocation_mode=InvocationMode.DBT_RUNNER,
            test_behavior=TestBehavior.BUILD,
            should_detach_multiple_parents_tests=True,
            enable_mock_profile=False,
        ),
        operator_args={"vars": {"as_of_date": AS_OF_XCOM}, "pool": WAREHOUSE_POOL},
        default_args=default_args(),
    )
