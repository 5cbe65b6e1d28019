"""bdg_nightly under a real Airflow 3: scheduler, dag-processor, api-server and triggerer with the
LocalExecutor, on a fresh PostgreSQL database, triggered through the REST API (/api/v2, JWT) on a generated
province inbox; then the warehouse is checked. With BDG_REAL_SCHEDULER_RERUN=1 a second run on the same inbox
follows and must change nothing (tests/dags checks that with dag.test on every run, at a fraction of the time).

Everything it starts (the database, the four processes and their children) is stopped in a `finally`.
Every wait is bounded. The wall time of the first run is printed and kept in `OUT/real_scheduler.json`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import duckdb

from bdg import settings
from sample.generate import generate_inbox
from tests.deploy.postgres import PG, admin_sql, free_port, postgres_up, require

AS_OF = "2026-12-21"
COMPONENTS = {
    "api-server": ["api-server", "--host", "127.0.0.1", "--port", "{api_port}", "--workers", "1"],
    "scheduler": ["scheduler"],
    "dag-processor": ["dag-processor"],
    "triggerer": ["triggerer"],
}
BIN = Path(sys.executable).parent
START_TIMEOUT, PARSE_TIMEOUT, RUN_TIMEOUT = 240, 420, 1500  # seconds


class Api:
    """The REST API of Airflow 3 (/api/v2) with a JWT from SimpleAuthManager (all users admins)."""

    def __init__(self, base: str):
        self.base, self.token = base, None

    def call(self, method: str, path: str, body: dict | None = None, timeout: float = 30):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.base}{path}", data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read() or b"null")

    def wait(self, what: str, probe, timeout: float, stack: Stack):
        deadline, last = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            stack.check_alive()
            try:
                if (result := probe()) is not None:
                    return result
            except (urllib.error.URLError, OSError, ValueError) as error:
                last = error
            time.sleep(2)
        raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last})\n{stack.logs()}")


class Stack:
    """The Airflow processes, each in its own process group, with its log file."""

    def __init__(self, env: dict, log_dir: Path):
        self.env, self.log_dir, self.processes = env, log_dir, {}

    def airflow(self, *args: str, timeout: float = 300) -> None:
        log = self.log_dir / f"cli-{args[0]}.log"
        with log.open("a") as out:
            done = subprocess.run([str(BIN / "airflow"), *args], env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                  timeout=timeout, check=False)  # fmt: skip
        assert done.returncode == 0, f"airflow {' '.join(args)} failed:\n{log.read_text()[-4000:]}"

    def start(self, name: str, args: list[str]) -> None:
        out = (self.log_dir / f"{name}.log").open("w")
        self.processes[name] = subprocess.Popen(
            [str(BIN / "airflow"), *args], env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )

    def check_alive(self) -> None:
        dead = {name: p.returncode for name, p in self.processes.items() if p.poll() is not None}
        assert not dead, f"Airflow processes exited: {dead}\n{self.logs()}"

    def logs(self, tail: int = 3000) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-tail:]}" for p in sorted(self.log_dir.glob("*.log"))
        )

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            try:  # the group: uvicorn workers, the log server, LocalExecutor workers, task processes
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=10)


def _airflow_env(home: Path, database: str, api_port: int, bdg_env: dict) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("AIRFLOW")}
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(settings.PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": "4",
        # Only the runs the test triggers: unpausing must not also start the 01:00 run of today.
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
        "AIRFLOW__DAG_PROCESSOR__DAG_FILE_PROCESSOR_TIMEOUT": "600",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "10",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"postgresql+psycopg2://{PG['user']}@{PG['host']}:{PG['port']}/{database}",
        "AIRFLOW__CORE__AUTH_MANAGER": "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{api_port}",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__API__SECRET_KEY": secrets.token_hex(16),
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
        "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
        "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(free_port()),
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "DO_NOT_TRACK": "1",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    })  # fmt: skip
    env.update({key: str(value) for key, value in bdg_env.items()})
    return env


def start_airflow(stack: Stack, api: Api, components: dict, api_port: int, pool_note: str, parse_timeout: float):
    """Migrate the metadata DB, size the warehouse pool (1), start `components`, wait for the api-server
    to be healthy and bdg_nightly to be parsed, sign in and unpause it. Every wait is bounded."""
    stack.airflow("db", "migrate")
    stack.airflow("pools", "set", "bdg_warehouse", "1", pool_note)
    for name, args in components.items():
        stack.start(name, [arg.format(api_port=api_port) for arg in args])

    def healthy():
        health = api.call("GET", "/api/v2/monitor/health")
        return health if health["metadatabase"]["status"] == "healthy" else None

    api.wait("the api-server", healthy, START_TIMEOUT, stack)
    api.token = api.call("GET", "/auth/token")["access_token"]  # SimpleAuthManager, all admins
    api.wait("bdg_nightly to be parsed", lambda: api.call("GET", "/api/v2/dags/bdg_nightly"), parse_timeout, stack)
    api.call("PATCH", "/api/v2/dags/bdg_nightly", {"is_paused": False})


def _statuses(warehouse: Path) -> dict[str, str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return dict(
            con.execute(
                "select unit_code, status from marts.rpt_reporting_status "
                "where report_year = 2026 and report_type = 'NAM'"
            ).fetchall()
        )


def _snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    """Every table and view but the dq.results log, whose latest run's findings are compared instead."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = con.execute(
            "select table_schema, table_name from information_schema.tables where table_schema <> 'dq' order by all"
        ).fetchall()
        snapshot = {f"{s}.{n}": con.execute(f'select * from "{s}"."{n}" order by all').fetchall() for s, n in names}
        snapshot["dq.results (latest run)"] = con.execute(
            "select suite, expectation, severity, success, unit_code, observed from dq.results "
            "where run_id = (select max_by(run_id, run_at) from dq.results) order by all"
        ).fetchall()
    return snapshot


def _run_nightly(api: Api, stack: Stack) -> tuple[str, float]:
    """Trigger bdg_nightly through the REST API and wait for the run to end; (state, wall seconds)."""
    started = time.monotonic()
    run = api.call("POST", "/api/v2/dags/bdg_nightly/dagRuns", {"logical_date": None, "conf": {"as_of_date": AS_OF}})
    run_id = urllib.request.quote(run["dag_run_id"], safe="")

    def finished():
        state = api.call("GET", f"/api/v2/dags/bdg_nightly/dagRuns/{run_id}")["state"]
        return state if state in ("success", "failed") else None

    state = api.wait(f"run {run['dag_run_id']}", finished, RUN_TIMEOUT, stack)
    wall = time.monotonic() - started
    if state != "success":
        tasks = api.call("GET", f"/api/v2/dags/bdg_nightly/dagRuns/{run_id}/taskInstances?limit=500")
        failed = [
            (t["task_id"], t["map_index"], t["state"]) for t in tasks["task_instances"] if t["state"] != "success"
        ]
        raise AssertionError(f"bdg_nightly ended {state}; not successful: {failed}\n{stack.logs()}")
    return state, wall


def test_bdg_nightly_under_a_real_scheduler_on_postgres(tmp_path):
    require(postgres_up(), "PostgreSQL is not running on 127.0.0.1:5432 (.ci/run starts it)")
    missing = [name for name in ("psycopg2", "asyncpg") if importlib.util.find_spec(name) is None]
    require(not missing, f"Airflow's PostgreSQL drivers are not installed: {missing} "
                          "(apache-airflow-providers-postgres brings psycopg2-binary and asyncpg)")  # fmt: skip

    generated = generate_inbox(
        tmp_path / "inbox", provinces=1, year=2026, report_type="NAM", seed=42,
    )  # fmt: skip  # one whole province, as `bdg demo` generates
    out, warehouse = tmp_path / "out", tmp_path / "warehouse" / "bdg.duckdb"
    bdg_env = {"BDG_INBOX": generated.out_dir, "BDG_OUT_DIR": out, "BDG_WAREHOUSE": warehouse,
               "BDG_REFERENCE_DIR": generated.reference_dir}  # fmt: skip
    database, api_port = f"bdg_airflow_test_{secrets.token_hex(4)}", free_port()
    (log_dir := tmp_path / "logs").mkdir()
    stack = Stack(_airflow_env(tmp_path / "airflow", database, api_port, bdg_env), log_dir)
    api = Api(f"http://127.0.0.1:{api_port}")

    admin_sql(f'create database "{database}"')
    try:
        began = time.monotonic()
        start_airflow(stack, api, COMPONENTS, api_port, "DuckDB has one writer", PARSE_TIMEOUT)

        _, first_wall = _run_nightly(api, stack)
        expected = {unit["unit_code"]: unit["expected_status"] for unit in generated.manifest["units"]}
        assert _statuses(warehouse) == expected
        assert (out / "status" / "status_2026_NAM.json").exists()
        assert (out / "don_doc_bdg_2026_NAM.xlsx").exists()
        assert (out / "bao_cao_bdg_2026_NAM.xlsx").exists()

        timing = {"units": len(expected), "first_run_s": round(first_wall, 1)}
        if os.environ.get("BDG_REAL_SCHEDULER_RERUN"):  # CI time: tests/dags checks the rerun with dag.test
            before = _snapshot(warehouse)
            _, timing["second_run_s"] = _run_nightly(api, stack)
            after = _snapshot(warehouse)
            assert [name for name in before if before[name] != after.get(name)] == []
        timing["stack_start_to_end_s"] = round(time.monotonic() - began, 1)
        (out / "real_scheduler.json").write_text(json.dumps(timing, indent=2))
        print(f"\nreal scheduler: {timing}")
    finally:
        stack.stop()
        admin_sql(f'drop database if exists "{database}" with (force)')
