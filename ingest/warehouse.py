"""The one place that opens the warehouse: ingest, dbt's profile, the expectations, reports, the portal.

A warehouse location (DESIGN "Where the warehouse lives") is either
- a file path: the embedded DuckDB file (the default, ./warehouse/bdg.duckdb), one writer at a time; or
- a DuckLake, `ducklake:postgres:dbname=NAME host=HOST user=USER`: its catalog in PostgreSQL, its data
  files under $BDG_LAKE_DATA_PATH (a shared folder, or `s3://…` through httpfs). Many processes, on many
  hosts, may write at once (one writer per province); a transaction that conflicts is retried.
The lake's DuckDB extensions come from the pinned PyPI packages (`duckdb-extension-ducklake`,
`-postgres-scanner`, `-httpfs`): nothing is downloaded at run time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # duckdb is imported when a connection is opened: `bdg --help` need not load it
    import duckdb

ENV_VAR = "BDG_WAREHOUSE"
DEFAULT_RELATIVE = Path("warehouse") / "bdg.duckdb"
LAKE_PREFIX = "ducklake:"
LAKE_DATA_ENV = "BDG_LAKE_DATA_PATH"
LAKE_ALIAS = "bdg"  # the lake's catalog name inside a connection (and dbt's `database`)
EXTENSIONS_ENV = "BDG_DUCKDB_EXTENSIONS"  # where the packaged extensions are laid out for DuckDB
LAKE_EXTENSIONS = {"ducklake": "duckdb_extension_ducklake", "postgres_scanner": "duckdb_extension_postgres_scanner",
                   "httpfs": "duckdb_extension_httpfs"}  # fmt: skip
# How long a command waits for another process (an ingest, a dbt build) to release the warehouse file.
LOCK_WAIT_ENV = "BDG_LOCK_WAIT_SECONDS"
DEFAULT_LOCK_WAIT_SECONDS = 120.0
LOCK_POLL_SECONDS = 0.5
CONFLICT_RETRIES = 8  # a lake transaction that conflicts with another writer's is run again this often

Result = TypeVar("Result")


class WarehouseBusyError(OSError):
    """Another process held the warehouse for longer than the wait allows (the message is Vietnamese)."""


def is_lake(warehouse: str | Path) -> bool:
    """True for a DuckLake location (`ducklake:…`), False for the embedded file."""
    return str(warehouse).startswith(LAKE_PREFIX)


def location(value: str | Path | None = None) -> Path:
    """`--warehouse`, else env BDG_WAREHOUSE, else ./warehouse/bdg.duckdb (absolute). A lake location is
    returned as it is written (a `Path` of it prints the same: it holds no slash)."""
    chosen = str(value or os.environ.get(ENV_VAR) or Path.cwd() / DEFAULT_RELATIVE)
    if is_lake(chosen):
        return Path(chosen)
    return Path(chosen).resolve()


def lake_data_path() -> str | None:
    """$BDG_LAKE_DATA_PATH: where the lake's data files (and the scheduler's parsed batches) live."""
    return os.environ.get(LAKE_DATA_ENV) or None


def work_dir(warehouse: str | Path) -> Path:
    """A folder of this host for files that belong with the warehouse (dbt's logs, the portal's accounts):
    beside the embedded file; for a lake, ./warehouse."""
    return Path.cwd() / DEFAULT_RELATIVE.parent if is_lake(warehouse) else Path(warehouse).parent


def staging_dir() -> Path | None:
    """On a lake whose data path is a shared folder: the folder beside it (`<data path>_staging`) where
    the scheduler's parse tasks leave their batches for the loader on any host; None otherwise."""
    data_path = lake_data_path()
    if not is_lake(os.environ.get(ENV_VAR, "")) or data_path is None or "://" in data_path:
        return None
    return Path(data_path.rstrip("/") + "_staging")


def last_changed(warehouse: str | Path) -> dt.datetime | None:
    """When the warehouse last changed (a load, a dbt build), aware; None when it does not exist. The
    file's modification time, or the lake's last snapshot."""
    if not is_lake(warehouse):
        path = Path(warehouse)
        return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC) if path.is_file() else None
    if not exists(warehouse):
        return None
    with connect(warehouse, read_only=True) as con:
        return con.execute(f"select max(snapshot_time) from ducklake_snapshots('{LAKE_ALIAS}')").fetchone()[0]


def exists(warehouse: str | Path) -> bool:
    """True when the warehouse has been created (a reader must not create an empty one by opening it).
    A lake exists once its catalog answers (its administrator creates the database)."""
    if not is_lake(warehouse):
        return Path(warehouse).is_file()
    import duckdb

    try:
        connect(warehouse, read_only=True).close()
    except duckdb.Error:
        return False
    return True


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
    $BDG_LOCK_WAIT_SECONDS (default 120 s). A lake is attached as catalog `bdg` and made the default,
    so the same SQL (`raw.submissions`, `marts.…`) reads either. Failure modes: `FileNotFoundError` for a
    reader when the warehouse file does not exist; `WarehouseBusyError` when the file stays locked past
    the wait; `ValueError` for a lake writer without $BDG_LAKE_DATA_PATH; `duckdb.Error` for any other
    failure to open it.
    """
    import duckdb

    if is_lake(warehouse):
        return _connect_lake(str(warehouse), read_only=read_only)
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
            return _configured(duckdb.connect(str(path), read_only=read_only))
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


def _connect_lake(lake: str, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    import duckdb

    data_path = lake_data_path()
    if data_path is None and not read_only:
        raise ValueError(f"kho dữ liệu {lake} là DuckLake: cần đặt {LAKE_DATA_ENV} (thư mục dùng chung hoặc s3://…)")
    extensions = ("ducklake", "postgres") + (("httpfs",) if str(data_path).startswith("s3://") else ())
    options = [f"data_path {_literal(data_path)}"] if data_path else []
    options += ["read_only"] if read_only else []
    attach = f"attach {_literal(lake)} as {LAKE_ALIAS}" + (f" ({', '.join(options)})" if options else "")
    for attempt in range(CONFLICT_RETRIES):
        con = duckdb.connect(config={"extension_directory": str(extension_directory())})
        try:
            for extension in extensions:
                con.execute(f"install {extension}; load {extension}")
            con.execute(attach)
            con.execute(f"use {LAKE_ALIAS}")
            return _configured(con)
        except duckdb.Error as error:
            con.close()
            # writers starting together on a new lake race to create its catalog: the losers attach again
            if "initialize DuckLake" not in str(error) or attempt == CONFLICT_RETRIES - 1:
                raise
            time.sleep(0.1 * (attempt + 1))
        except BaseException:
            con.close()
            raise
    raise AssertionError("unreachable")


# Rows registered from Python (the loader's NumPy object columns) are typed from a sample of each column:
# duckdb 1.5.5 fails on a column whose sampled rows are all NULL and that is longer than the sample (an
# optional form column no file of a large batch has). Sampling every row types it NULL, as it should.
ANALYZE_SAMPLE_ROWS = 100_000_000


def _configured(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    con.execute(f"set pandas_analyze_sample = {ANALYZE_SAMPLE_ROWS}")
    return con


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def extension_directory() -> Path:
    """A DuckDB `extension_directory` holding the packaged lake extensions (`<dir>/v<version>/<platform>/`),
    laid out on first use from the pinned PyPI packages; $BDG_DUCKDB_EXTENSIONS, else a folder in the
    user's cache. DuckDB's INSTALL then finds them there and downloads nothing."""
    import importlib.util

    import duckdb

    root = Path(os.environ.get(EXTENSIONS_ENV) or Path(tempfile.gettempdir()) / f"bdg-duckdb-extensions-{os.getuid()}")
    version = f"v{duckdb.__version__}"
    platform = duckdb.execute("pragma platform").fetchone()[0]
    target = root / version / platform
    for name, package in LAKE_EXTENSIONS.items():
        placed = target / f"{name}.duckdb_extension"
        if placed.is_file():
            continue
        spec = importlib.util.find_spec(package)
        if spec is None or spec.submodule_search_locations is None:
            raise RuntimeError(f"thiếu gói mở rộng DuckDB {package} (cài lại: make install)")
        source = Path(next(iter(spec.submodule_search_locations))) / "extensions" / version / f"{name}.duckdb_extension"
        target.mkdir(parents=True, exist_ok=True)
        partial = placed.with_suffix(f".{os.getpid()}.partial")
        shutil.copyfile(source, partial)
        partial.replace(placed)  # whole or not at all: another process may be laying it out too
    return root


def connection_is_lake(con: duckdb.DuckDBPyConnection) -> bool:
    """True when `con` (from `connect`) works on a DuckLake."""
    return _lake_catalog(con) is not None


def catalog_dsn(con: duckdb.DuckDBPyConnection) -> str | None:
    """The lake's PostgreSQL catalog as a libpq connection string, None for a file warehouse."""
    catalog = _lake_catalog(con)
    return catalog.removeprefix("postgres:") if catalog and catalog.startswith("postgres:") else None


def _lake_catalog(con: duckdb.DuckDBPyConnection) -> str | None:
    """The catalog the lake `con` works in is attached from ('postgres:dbname=…'), None off a lake."""
    row = con.execute(
        "select path from duckdb_databases() where database_name = current_database() and type = 'ducklake'"
    ).fetchone()
    return row[0] if row else None


@contextlib.contextmanager
def writer_lock(con: duckdb.DuckDBPyConnection, keys: Iterable[str]) -> Iterator[None]:
    """One writer per key (a province) on a lake: PostgreSQL advisory locks on the lake's catalog, taken
    in order (no deadlock) and held for the block, so two writers of the same province commit one after
    the other (the second then finds the first's files recorded) while other provinces write at once.
    A file warehouse has one writer anyway (DuckDB's file lock): nothing is taken."""
    dsn = catalog_dsn(con)
    if dsn is None:
        yield
        return
    import psycopg2

    session = psycopg2.connect(dsn)
    try:
        session.autocommit = True
        with session.cursor() as cursor:
            for key in sorted(set(keys)):
                cursor.execute("select pg_advisory_lock(hashtextextended(%s, 0))", [f"bdg-writer:{key}"])
        yield
    finally:
        session.close()  # releases the locks


def retry_conflicts(work: Callable[[], Result], con: duckdb.DuckDBPyConnection) -> Result:
    """Run `work` (one transaction on `con`), again when a lake reports a conflict with another writer's
    transaction (DuckLake's optimistic concurrency); a file warehouse has one writer and never conflicts.
    After the last retry the conflict is raised."""
    import duckdb

    for attempt in range(CONFLICT_RETRIES):
        try:
            return work()
        except duckdb.TransactionException:
            with contextlib.suppress(duckdb.Error):
                con.rollback()
            if attempt == CONFLICT_RETRIES - 1:
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


@contextlib.contextmanager
def closing_meanwhile(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Close `con` (a writer's) while the block runs: what it committed is written into the warehouse file
    (DuckDB's checkpoint, which closing would do anyway) in another thread, which DuckDB lets run beside
    this one, so a block that prints a summary costs no time of its own. A checkpoint that fails raises
    here after the block. A lake, whose CHECKPOINT is maintenance rather than this, is closed after it."""
    import threading

    failure: list[BaseException] = []

    def checkpoint() -> None:
        try:
            con.execute("checkpoint")
        except BaseException as error:  # noqa: BLE001 — raised in the caller's thread, below
            failure.append(error)

    writer = None if connection_is_lake(con) else threading.Thread(target=checkpoint, name="bdg-checkpoint")
    if writer is not None:
        writer.start()
    try:
        yield
    finally:
        if writer is not None:
            writer.join()
        con.close()
    if failure:
        raise failure[0]


def lock_wait_seconds() -> float:
    """$BDG_LOCK_WAIT_SECONDS, else the default; a value that is not a number is the default."""
    try:
        return max(0.0, float(os.environ.get(LOCK_WAIT_ENV, DEFAULT_LOCK_WAIT_SECONDS)))
    except ValueError:
        return DEFAULT_LOCK_WAIT_SECONDS


def wait_until_free(warehouse: str | Path) -> None:
    """Block until no other process holds the warehouse file (as `connect` waits), before a tool that
    opens the file itself (dbt) runs; a lake has no such lock. Failure mode: `WarehouseBusyError`."""
    if not is_lake(warehouse) and Path(warehouse).is_file():
        connect(warehouse).close()


def dbt_env(warehouse: str | Path) -> dict[str, str]:
    """Environment for dbt's profile (`dbt_project/profiles.yml` reads BDG_WAREHOUSE; its `lake` target
    the extension folder and the lake's data path too)."""
    if not is_lake(warehouse):
        return {ENV_VAR: str(Path(warehouse))}
    return {ENV_VAR: str(warehouse), EXTENSIONS_ENV: str(extension_directory()), LAKE_DATA_ENV: lake_data_path() or ""}


def dbt_target(warehouse: str | Path) -> str:
    """The profile's target for this location: `lake` (attached DuckLake) or `dev` (the file)."""
    return "lake" if is_lake(warehouse) else "dev"


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
