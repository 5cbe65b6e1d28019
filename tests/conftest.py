"""Test session set-up: a private AIRFLOW_HOME (SQLite) configured before anything imports airflow."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from bdg import airflow_local

_SESSION_HOME = Path(tempfile.mkdtemp(prefix="bdg-airflow-"))
airflow_local.configure(
    _SESSION_HOME / "airflow",
    {
        "BDG_INBOX": _SESSION_HOME / "inbox",
        "BDG_OUT_DIR": _SESSION_HOME / "out",
        "BDG_WAREHOUSE": _SESSION_HOME / "bdg.duckdb",
    },
)


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """Migrated metadata DB, once per test session."""
    airflow_local.migrate()
    return _SESSION_HOME / "airflow"
