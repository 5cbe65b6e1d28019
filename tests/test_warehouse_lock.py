"""A warehouse held by another process: commands wait (saying so in Vietnamese), then give up with one
Vietnamese line and exit code 1, never a traceback. DuckDB's lock is per process, so the holder is a
real second process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from ingest.warehouse import WarehouseBusyError, connect

pytestmark = pytest.mark.fast

HOLD = (
    "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('held', flush=True); "
    "time.sleep(float(sys.argv[2]))"
)


def hold(warehouse: Path, seconds: float) -> subprocess.Popen:
    """A second process that holds the warehouse's write lock for `seconds`."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(warehouse), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "bdg.duckdb"
    duckdb.connect(str(path)).close()
    return path


def bdg(args: list[str], wait: float, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "BDG_LOCK_WAIT_SECONDS": str(wait), "BDG_LOG_DIR": str(tmp_path / "logs")}
    return subprocess.run(
        [sys.executable, "-m", "bdg.cli", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_a_locked_warehouse_gives_up_with_one_vietnamese_line(warehouse: Path, tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    holder = hold(warehouse, 30)
    try:
        started = time.monotonic()
        result = bdg(["ingest", "--inbox", str(tmp_path / "inbox"), "--warehouse", str(warehouse)], 1, tmp_path)
        waited = time.monotonic() - started
    finally:
        holder.kill()
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 1
    assert "đang được một tiến trình khác sử dụng" in output
    assert "đang chờ tối đa 1 giây" in output
    assert "Traceback" not in output and "Could not set lock" not in output
    assert waited >= 1


def test_a_command_waits_for_the_lock_to_be_released(warehouse: Path, tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    holder = hold(warehouse, 2)
    result = bdg(["ingest", "--inbox", str(tmp_path / "inbox"), "--warehouse", str(warehouse)], 60, tmp_path)
    holder.wait()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "đang chờ" in result.stderr


def test_connect_raises_a_vietnamese_busy_error(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BDG_LOCK_WAIT_SECONDS", "0")
    holder = hold(warehouse, 30)
    try:
        with pytest.raises(WarehouseBusyError, match="tiến trình khác"):
            connect(warehouse)
        with pytest.raises(WarehouseBusyError):
            connect(warehouse, read_only=True)
    finally:
        holder.kill()


def test_an_unforeseen_error_is_one_line_and_a_log_for_engineers(tmp_path: Path) -> None:
    # a warehouse path that is a folder: DuckDB cannot open it, and nothing in bdg expects that
    folder = tmp_path / "not-a-file.duckdb"
    folder.mkdir()
    result = bdg(["export", "--year", "2026", "--warehouse", str(folder), "--out", str(tmp_path / "x")], 1, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in output
    assert "Lỗi" in output


def test_a_writer_closes_while_its_summary_prints_and_a_failed_checkpoint_is_raised(tmp_path: Path) -> None:
    from ingest.warehouse import closing_meanwhile

    path = tmp_path / "bdg.duckdb"
    con = connect(path)
    con.execute("create table t as select range as a from range(1000)")
    con.execute("insert into t select range from range(1000, 2000)")
    ran = []
    with closing_meanwhile(con):
        ran.append(True)
    assert ran == [True]
    assert not Path(f"{path}.wal").exists()  # what was committed is in the file itself
    with pytest.raises(duckdb.ConnectionException):
        con.execute("select 1")  # closed
    reader = connect(path, read_only=True)
    assert reader.execute("select count(*) from t").fetchone() == (2000,)
    reader.close()

    con = connect(path)
    con.begin()
    con.execute("insert into t values (-1)")  # a transaction still open: DuckDB refuses to checkpoint
    with pytest.raises(duckdb.Error), closing_meanwhile(con):
        ran.append(True)
    assert ran == [True, True]  # the block ran; the failure came after it
