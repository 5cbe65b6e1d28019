"""The one place that opens the warehouse: ingest, dbt's profile, the expectations, reports and the CLI.

A warehouse location is the embedded DuckDB file (the default). When the storage backend grows (a
DuckLake with its catalog in PostgreSQL, see DESIGN "Where the warehouse lives"), this module is the one
to change: `connect` attaches it and `dbt_env` tells dbt's profile where it is.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # duckdb is imported when a connection is opened: `bdg --help` need not load it
    import duckdb

ENV_VAR = "BDG_WAREHOUSE"
DEFAULT_RELATIVE = Path("warehouse") / "bdg.duckdb"


def location(value: str | Path | None = None) -> Path:
    """`--warehouse`, else env BDG_WAREHOUSE, else ./warehouse/bdg.duckdb (absolute)."""
    return Path(value or os.environ.get(ENV_VAR) or Path.cwd() / DEFAULT_RELATIVE).resolve()


def exists(warehouse: str | Path) -> bool:
    """True when the warehouse has been created (a reader must not create an empty one by opening it)."""
    return Path(warehouse).is_file()


def connect(warehouse: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse. Writers create it (and its folder) when missing; readers never do.

    In a process where dbt-duckdb ran (dag.test, `bdg run`), dbt-duckdb keeps its own DuckDB instance,
    and with it the file lock, on a class attribute; it is closed first so this connection can open.
    Failure modes: `FileNotFoundError` for a reader when the warehouse does not exist; `duckdb.Error`
    when another process holds the file.
    """
    import duckdb

    path = Path(warehouse)
    release_dbt_duckdb()
    if read_only and not path.is_file():
        raise FileNotFoundError(f"kho dữ liệu chưa được tạo: {path}")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path), read_only=read_only)


def dbt_env(warehouse: str | Path) -> dict[str, str]:
    """Environment for dbt's profile (`dbt_project/profiles.yml` reads BDG_WAREHOUSE)."""
    return {ENV_VAR: str(Path(warehouse))}


def release_dbt_duckdb() -> None:
    """Close dbt-duckdb's cached in-process DuckDB instance, when dbt-duckdb was used in this process.

    `close_all_connections` forgets the instance without closing it, so it is closed here. dbt is never
    imported for this: a process that has not loaded dbt-duckdb holds no such lock.
    """
    module = sys.modules.get("dbt.adapters.duckdb.connections")
    if module is None:
        return
    manager = module.DuckDBConnectionManager
    with manager._LOCK:
        env = manager._ENV
        if env is not None:
            env.close()
            manager._ENV = None
