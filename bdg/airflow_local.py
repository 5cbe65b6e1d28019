"""A self-contained local Airflow for `bdg demo` and the tests: its own AIRFLOW_HOME with a SQLite
metadata DB it migrates itself, the project's dags/ folder, and the warehouse pool.

`configure` must run before anything imports airflow (Airflow reads its configuration at import). Parsing
the DAGs needs no metadata DB and runs no dbt; running them needs the DB (`migrate`).
"""

from __future__ import annotations

import os
from pathlib import Path

from bdg import settings
from bdg.dag_config import WAREHOUSE_POOL


def configure(home: Path, bdg_env: dict[str, str | Path]) -> None:
    """Point Airflow (and the BDG_* settings) at `home` through environment variables."""
    home.mkdir(parents=True, exist_ok=True)
    env = {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(settings.PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "DO_NOT_TRACK": "1",
    }
    env.update({key: str(value) for key, value in bdg_env.items()})
    os.environ.update(env)


def migrate() -> None:
    """Create or upgrade the metadata DB and the one-writer pool."""
    from airflow.models.pool import Pool
    from airflow.utils.db import upgradedb

    upgradedb()
    Pool.create_or_update_pool(WAREHOUSE_POOL, slots=1, description="DuckDB has one writer", include_deferred=False)


def run_dag(dag_id: str, run_conf: dict | None = None, logical_date=None) -> str:
    """Parse dags/ and run one DAG with dag.test(); returns the final state ('success' or 'failed').

    `logical_date` (an aware datetime) sets the run's date, as the scheduler would for a scheduled run.
    """
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(settings.PROJECT_ROOT / "dags"))
    if bag.import_errors:
        raise RuntimeError(f"DAG import errors: {bag.import_errors}")
    dag = bag.get_dag(dag_id)
    kwargs = {"logical_date": logical_date, "run_after": logical_date} if logical_date is not None else {}
    dag_run = dag.test(run_conf=run_conf or {}, **kwargs)
    return str(getattr(dag_run.state, "value", dag_run.state))
