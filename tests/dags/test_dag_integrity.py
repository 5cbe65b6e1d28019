"""Every DAG imports cleanly through Airflow's own DagBag and follows the house rules."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bdg import settings
from bdg.alerts import alert_on_failure
from bdg.dag_config import WAREHOUSE_POOL

DAGS_FOLDER = settings.PROJECT_ROOT / "dags"
DAG_IDS = {"bdg_nightly", "bdg_period_report", "bdg_reminders"}


@pytest.fixture(scope="module")
def dag_bag(airflow_db):
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_FOLDER))


def test_no_import_errors(dag_bag):
    assert dag_bag.import_errors == {}
    assert DAG_IDS <= set(dag_bag.dag_ids)


def test_every_dag_has_tags_retries_alerts_and_docs(dag_bag):
    for dag_id, dag in dag_bag.dags.items():
        assert dag.tags, f"{dag_id} has no tags"
        assert dag.doc_md, f"{dag_id} has no doc_md"
        assert not dag.catchup, f"{dag_id} catches up"
        assert str(dag.timezone.name) == "Asia/Ho_Chi_Minh", dag_id
        for task in dag.tasks:
            assert task.retries >= 2, f"{dag_id}.{task.task_id} retries {task.retries}"
            assert task.retry_exponential_backoff, f"{dag_id}.{task.task_id} has no exponential backoff"
            callbacks = task.on_failure_callback
            callbacks = callbacks if isinstance(callbacks, list) else [callbacks]
            assert alert_on_failure in callbacks, f"{dag_id}.{task.task_id} has no failure alert"


def test_schedules(dag_bag):
    assert dag_bag.get_dag("bdg_nightly").schedule == "0 1 * * *"
    assert dag_bag.get_dag("bdg_period_report").schedule == "0 6 1 6,12 *"
    assert dag_bag.get_dag("bdg_reminders").schedule == "0 8 * * *"


def test_nightly_discovers_parses_in_parallel_loads_once_then_dbt_checks_and_publishes(dag_bag):
    dag = dag_bag.get_dag("bdg_nightly")
    dbt_tasks = [task for task in dag.tasks if task.task_id.startswith("transform.")]
    assert dbt_tasks, "the cosmos task group rendered no dbt tasks"
    assert any(task.task_id.endswith("_model_build") for task in dbt_tasks), "no `dbt build` task per model"
    # a test with several parents (relationships) runs in its own task once all its parents are built
    detached = [task for task in dbt_tasks if task.task_id.startswith("transform.relationships_")]
    assert detached and all(len(task.upstream_task_ids) >= 2 for task in detached)
    assert all(task.pool == WAREHOUSE_POOL for task in dbt_tasks)
    for task_id in ("discover", "load", "expectations", "publish", "report"):
        assert dag.get_task(task_id).pool == WAREHOUSE_POOL, task_id
    parse = dag.get_task("parse")
    assert parse.pool != WAREHOUSE_POOL and type(parse).__name__.endswith("MappedOperator")
    assert {task.task_id for task in dag.roots} == {"as_of", "discover"}
    assert {task.task_id for task in dag.leaves} == {"publish", "report"}
    assert dag.get_task("load").upstream_task_ids == {"discover", "parse"}  # it loads what discover planned
    check_upstream = dag.get_task("expectations").upstream_task_ids
    assert any(task_id.startswith("transform.") for task_id in check_upstream)
    outlets = {asset.uri for task in dag.tasks for asset in task.outlets}
    steps = ("warehouse/raw", "warehouse/marts", "warehouse/dq", "out/status", "out/chase", "out/report")
    assert {f"x-bdg://{step}" for step in steps} <= outlets


def test_period_report_and_reminders_use_the_one_writer_pool(dag_bag):
    assert dag_bag.get_dag("bdg_period_report").get_task("ministry_report").pool == WAREHOUSE_POOL
    reminders = dag_bag.get_dag("bdg_reminders")
    assert reminders.get_task("chase").pool == WAREHOUSE_POOL
    assert reminders.get_task("chase").upstream_task_ids == {"due_window"}


def test_dag_files_are_thin_doors():
    for path in DAGS_FOLDER.glob("*.py"):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert len(lines) < 80, f"{path.name} has {len(lines)} lines"
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--select", "AIR", str(DAGS_FOLDER)], capture_output=True, text=True
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
