"""The one place that opens the warehouse: ingest, dbt's profile, the expectations, reports and the CLI.

A warehouse location is the embedded DuckDB file (the default). When the storage backend grows (a
DuckLake with its catalog in PostgreSQL, see DESIGN "Where the warehouse lives"), this module is the one
to change: `connect` attaches it and `dbt_env` tells dbt's profile where it is.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # duckdb is imported when a connection is opened: `bdg --help` need not load it
    import duckdb

ENV_VAR = "BDG_WAREHOUSE"
DEFAULT_RELATIVE = Path("warehouse") / "bdg.duckdb"
# How long a command waits for another process (an ingest, a dbt build) to release the warehouse file.
LOCK_WAIT_ENV = "BDG_LOCK_WAIT_SECONDS"
DEFAULT_LOCK_WAIT_SECONDS = 120.0
LOCK_POLL_SECONDS = 0.5


class WarehouseBusyError(OSError):
    """Another process held the warehouse for longer than the wait allows (the message is Vietnamese)."""


def location(value: str | Path | None = None) -> Path:
    """`--warehouse`, else env BDG_WAREHOUSE, else ./warehouse/bdg.duckdb (absolute)."""
    return Path(value or os.environ.get(ENV_VAR) or Path.cwd() / DEFAULT_RELATIVE).resolve()


def exists(warehouse: str | Path) -> bool:
    """True when the warehouse has been created (a reader must not create an empty one by opening it)."""
    return Path(warehouse).is_file()


def is_loaded(warehouse: str | Path) -> bool:
    """True when the warehouse exists and holds the ingest's tables (at least one `bdg ingest` ran)."""
    if not exists(warehouse):
        return False
    with connect(warehouse, read_only=True) as con:
        return bool(
            con.execute(
                "select count(*) from information_schema.tables "
                "where table_schema = 'raw' and table_name = 'submissions'"
            ).fetchone()[0]
        )


def connect(warehouse: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse. Writers create it (and its folder) when missing; readers never do.

    In a process where dbt-duckdb ran (dag.test, `bdg run`), dbt-duckdb keeps its own DuckDB instance,
    and with it the file lock, on a class attribute; it is closed first so this connection can open.
    When another process holds the file, waits (saying so once, in Vietnamese, on stderr) up to
    $BDG_LOCK_WAIT_SECONDS (default 120 s). Failure modes: `FileNotFoundError` for a reader when the
    warehouse does not exist; `WarehouseBusyError` when the file stays locked past the wait;
    `duckdb.Error` for any other failure to open it.
    """
    import duckdb

    path = Path(warehouse)
    release_dbt_duckdb()
    if read_only and not path.is_file():
        raise FileNotFoundError(f"kho dữ liệu chưa được tạo: {path}")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    wait = lock_wait_seconds()
    deadline, announced = time.monotonic() + wait, False
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as error:
            if "lock" not in str(error).lower():
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusyError(
                    f"kho dữ liệu {path} đang được một tiến trình khác sử dụng (đã chờ {wait:.0f} giây); "
                    "hãy chạy lại khi tiến trình đó (nạp báo cáo hoặc dbt) kết thúc"
                ) from None
            if not announced:
                print(
                    f"Kho dữ liệu đang được một tiến trình khác sử dụng; đang chờ tối đa {wait:.0f} giây…",
                    file=sys.stderr,
                    flush=True,
                )
                announced = True
            time.sleep(LOCK_POLL_SECONDS)


def lock_wait_seconds() -> float:
    """$BDG_LOCK_WAIT_SECONDS, else the default; a value that is not a number is the default."""
    try:
        return max(0.0, float(os.environ.get(LOCK_WAIT_ENV, DEFAULT_LOCK_WAIT_SECONDS)))
    except ValueError:
        return DEFAULT_LOCK_WAIT_SECONDS


def wait_until_free(warehouse: str | Path) -> None:
    """Block until no other process holds the warehouse (as `connect` waits), before a tool that opens
    the file itself (dbt) runs. Failure mode: `WarehouseBusyError`."""
    if Path(warehouse).is_file():
        connect(warehouse).close()


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
