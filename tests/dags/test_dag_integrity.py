"""Every DAG imports cleanly through Airflow's own DagBag and follows the house rules."""

from __future__ import annotations

import pytest

from bdg import settings

DAGS_FOLDER = settings.PROJECT_ROOT / "dags"


@pytest.fixture(scope="module")
def dag_bag(airflow_db):
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_FOLDER))


def test_no_import_errors(dag_bag):
    assert dag_bag.import_errors == {}
    assert "bdg_nightly" in dag_bag.dag_ids


def test_every_dag_has_tags_retries_and_docs(dag_bag):
    for dag_id, dag in dag_bag.dags.items():
        assert dag.tags, f"{dag_id} has no tags"
        assert dag.doc_md, f"{dag_id} has no doc_md"
        assert not dag.catchup, f"{dag_id} catches up"
        for task in dag.tasks:
            assert task.retries >= 2, f"{dag_id}.{task.task_id} retries {task.retries}"


def test_nightly_runs_ingest_then_dbt_then_checks_then_report(dag_bag):
    dag = dag_bag.get_dag("bdg_nightly")
    dbt_tasks = [task for task in dag.tasks if task.task_id.startswith("transform.")]
    assert dbt_tasks, "the cosmos task group rendered no dbt tasks"
    assert all(task.pool == "bdg_warehouse" for task in dbt_tasks)
    assert dag.get_task("ingest").pool == "bdg_warehouse"
    roots = {task.task_id for task in dag.roots}
    assert roots == {"ingest"}
    assert {task.task_id for task in dag.leaves} == {"report"}
    check_upstream = dag.get_task("check").upstream_task_ids
    assert "ingest" in check_upstream and any(task_id.startswith("transform.") for task_id in check_upstream)
