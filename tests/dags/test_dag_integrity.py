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
    dag = dag_bag.dags["bdg_nightly"]
    # dbt runs ONCE per night: the sources' freshness, then one `dbt build` (bdg.steps.transform_step)
    assert dag.get_task("freshness").upstream_task_ids == {"as_of", "load"}
    assert dag.get_task("transform").upstream_task_ids == {"as_of", "freshness"}
    assert dag.get_task("expectations").upstream_task_ids == {"as_of", "transform"}
    for task_id in ("discover", "load", "freshness", "transform", "expectations", "publish", "report"):
        assert dag.get_task(task_id).pool == WAREHOUSE_POOL, task_id
    parse = dag.get_task("parse")
    assert parse.pool != WAREHOUSE_POOL and type(parse).__name__.endswith("MappedOperator")
    assert {task.task_id for task in dag.roots} == {"as_of", "discover"}
    assert {task.task_id for task in dag.leaves} == {"publish", "report"}
    assert dag.get_task("load").upstream_task_ids == {"discover", "parse"}  # it loads what discover planned
    outlets = {asset.uri for task in dag.tasks for asset in task.outlets}
    steps = ("warehouse/raw", "warehouse/marts", "warehouse/dq", "out/status", "out/chase", "out/report")
    assert {f"x-bdg://{step}" for step in steps} <= outlets


def test_every_task_has_a_time_limit(dag_bag):
    for dag_id, dag in dag_bag.dags.items():
        for task in dag.tasks:
            assert task.execution_timeout is not None, f"{dag_id}.{task.task_id} may hold the pool forever"


@pytest.mark.parametrize("dag_id", ["bdg_nightly", "bdg_reminders"])
def test_as_of_date_is_an_optional_date(dag_bag, dag_id):
    from airflow.sdk.definitions.param import ParamValidationError

    param = dag_bag.dags[dag_id].params.get_param("as_of_date")
    assert param.schema["format"] == "date" and "null" in param.schema["type"]
    param.resolve("2026-12-21")
    param.resolve(None)
    with pytest.raises(ParamValidationError):
        param.resolve("21/12/2026")


def test_period_report_writes_the_dbt_docs_after_the_report(dag_bag):
    dag = dag_bag.dags["bdg_period_report"]
    assert dag.get_task("dbt_docs").upstream_task_ids == {"ministry_report"}
    assert dag.get_task("dbt_docs").pool == WAREHOUSE_POOL


FRESH_PARSE = """
import json, sys, time
from pathlib import Path
from bdg import airflow_local
home = Path(sys.argv[1])
airflow_local.configure(home, {"BDG_WAREHOUSE": home / "bdg.duckdb", "BDG_OUT_DIR": home / "out"})
started = time.perf_counter()
from airflow.dag_processing.dagbag import DagBag
imported = time.perf_counter()
bag = DagBag(dag_folder=sys.argv[2])
parsed = time.perf_counter()
print(json.dumps({"import_airflow": imported - started, "dagbag": parsed - imported,
                  "dag_ids": sorted(bag.dags), "errors": {str(k): str(v) for k, v in bag.import_errors.items()}}))
"""


def _fresh_parse(tmp_path, **env) -> dict:
    """The DagBag in a new AIRFLOW_HOME whose metadata DB was never created (a new process: Airflow's
    configuration is read at import)."""
    import json
    import os

    environment = {key: value for key, value in os.environ.items() if not key.startswith(("AIRFLOW", "BDG_"))}
    result = subprocess.run(
        [sys.executable, "-c", FRESH_PARSE, str(tmp_path / "airflow"), str(DAGS_FOLDER)],
        capture_output=True, text=True, env={**environment, **env}, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_fresh_airflow_home_parses_the_dags_quickly_without_a_database(tmp_path):
    parsed = _fresh_parse(tmp_path)
    assert parsed["errors"] == {}
    assert set(parsed["dag_ids"]) == DAG_IDS
    assert parsed["dagbag"] < 5, f"DagBag took {parsed['dagbag']:.1f} s after importing Airflow"
    assert not (tmp_path / "airflow" / "bdg.duckdb").exists()  # no warehouse opened (or created) at parse time
