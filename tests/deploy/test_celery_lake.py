"""bdg_nightly under Airflow 3 with the CeleryExecutor on a DuckLake, as a two-host deployment runs it.

Scheduler, dag-processor and api-server on a fresh PostgreSQL metadata database (also Celery's result
backend), Redis database 7 as the broker (flushed after), and two `airflow celery worker` processes of
concurrency 1, each with its own AIRFLOW_HOME, working directory, BDG_OUT_DIR, DuckDB extension folder and
host name (`[core] hostname_callable`), as two hosts would have; they share only what a deployment shares:
the inbox, the reference data, the lake (catalog in a fresh PostgreSQL database, data files in a folder)
and, unless told otherwise, the parsed batches beside the lake's data (`<BDG_LAKE_DATA_PATH>_staging`).
The warehouse tasks go to the queue `bdg_warehouse` (BDG_WAREHOUSE_QUEUE).

1. Shared staging, host-a serving `default,bdg_warehouse` and host-b `default`: the run succeeds, the parse
   tasks ran on both hosts and every warehouse task on host-a, and raw.submissions records every inbox file
   once, with the same status as a plain `bdg ingest` of the same inbox into an embedded file.
2. Misconfigured: each host parses into its own local BDG_STAGING_DIR, host-a serving only the warehouse
   queue and host-b only `default` (so every batch is parsed where the loader cannot see it): the run
   fails, the `load` task raising MissingBatchError naming every batch host-b staged, and nothing is loaded.

A cluster policy in the test's AIRFLOW_HOME shortens the retry delays to seconds (the DAGs keep retries=2;
the 2- and 4-minute delays would only make the failed run slower). Everything started is stopped in a
`finally`, every wait is bounded; wall times are printed and kept in `OUT/celery_lake.json`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from pathlib import Path

from bdg import dag_config
from ingest.inbox import discover
from ingest.warehouse import LAKE_DATA_ENV, connect, is_loaded
from sample.generate import generate_inbox
from tests.deploy.postgres import PG, REDIS, admin_sql, free_port, postgres_up, redis_up, require
from tests.deploy.test_real_scheduler import AS_OF, BIN, START_TIMEOUT, Api, Stack, _airflow_env, start_airflow

# what the scheduler imports for the CeleryExecutor: apache-airflow-providers-celery 3.26 imports
# `celery.backends.database.retry`, which celery 5.7 removed (hence celery < 5.7 in pyproject.toml)
CELERY_EXECUTOR_UTILS = "airflow.providers.celery.executors.celery_executor_utils"
REDIS_DB = 7  # no other test uses it; flushed at the end
QUEUE = "bdg_warehouse"
PARSE_TIMEOUT, RUN_TIMEOUT = 300, 600  # seconds
CONTROL_PLANE = {
    "api-server": ["api-server", "--host", "127.0.0.1", "--port", "{api_port}", "--workers", "1"],
    "scheduler": ["scheduler"],
    "dag-processor": ["dag-processor"],
}
# [core] hostname_callable of each worker: the host name it is given, as a second host would report its own
HOSTNAME_MODULE = 'import os\n\n\ndef hostname():\n    return os.environ["CELERY_LAKE_HOST"]\n'
RETRY_POLICY = """import datetime as dt


def task_policy(task):
    task.retry_delay = dt.timedelta(seconds=2)
    task.max_retry_delay = dt.timedelta(seconds=5)
"""


class Hosts(Stack):
    """The Airflow control plane of `Stack`, plus Celery workers that each run as a host of their own."""

    def start_worker(self, host: str, label: str, queues: str, env: dict, cwd: Path) -> None:
        args = ["celery", "worker", "--concurrency", "1", "--queues", queues, "--celery-hostname", f"{host}@%h",
                "--skip-serve-logs", "--without-gossip", "--without-mingle"]  # fmt: skip
        out = (self.log_dir / f"worker-{host}-{label}.log").open("w")
        self.processes[f"worker-{host}"] = subprocess.Popen(
            [str(BIN / "airflow"), *args], env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def wait_workers_ready(self, label: str, timeout: float = START_TIMEOUT) -> None:
        logs = list(self.log_dir.glob(f"worker-*-{label}.log"))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            if all(" ready." in log.read_text(errors="replace") for log in logs):
                return
            time.sleep(2)
        raise AssertionError(f"the Celery workers did not start within {timeout}s\n{self.logs()}")

    def stop_workers(self) -> None:
        everything = self.processes
        self.processes = {name: p for name, p in everything.items() if name.startswith("worker-")}
        try:
            self.stop()
        finally:
            self.processes = {name: p for name, p in everything.items() if not name.startswith("worker-")}


def _control_env(home: Path, database: str, api_port: int) -> dict:
    env = _airflow_env(home, database, api_port, {"BDG_WAREHOUSE_QUEUE": QUEUE})
    env = {key: value for key, value in env.items() if not key.startswith("BDG_") or key == "BDG_WAREHOUSE_QUEUE"}
    env.update({
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__CELERY__BROKER_URL": f"redis://{REDIS['host']}:{REDIS['port']}/{REDIS_DB}",
        "AIRFLOW__CELERY__RESULT_BACKEND": f"db+postgresql://{PG['user']}@{PG['host']}:{PG['port']}/{database}",
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": "1",
    })  # fmt: skip
    (home / "config").mkdir(parents=True)
    (home / "config" / "airflow_local_settings.py").write_text(RETRY_POLICY)
    return env


def _host_env(control: dict, root: Path, host: str, shared: dict) -> tuple[dict, Path]:
    """One worker host: its own AIRFLOW_HOME, working directory, BDG_OUT_DIR, extension folder and name."""
    (cwd := root / host).mkdir(parents=True, exist_ok=True)
    (modules := root / "hostname_module").mkdir(exist_ok=True)
    (modules / "celery_lake_host.py").write_text(HOSTNAME_MODULE)
    env = dict(control)
    env.update({
        "AIRFLOW_HOME": str(cwd / "airflow"),
        "AIRFLOW__CORE__HOSTNAME_CALLABLE": "celery_lake_host.hostname",
        "CELERY_LAKE_HOST": host,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(modules), os.environ.get("PYTHONPATH")])),
        "BDG_OUT_DIR": str(cwd / "out"),
        "BDG_DUCKDB_EXTENSIONS": str(cwd / "duckdb_extensions"),
        # 26 files → 26 parse tasks: ~15 s of parsing for one host alone, well over the 5-8 s a cold worker takes
        # over its first task (imports, first result-backend write), so a cold host still gets its share
        "BDG_PARSE_BATCH_FILES": "1",
    })  # fmt: skip
    env.update({key: str(value) for key, value in shared.items()})
    return env, cwd


def _lake(name: str, data_path: Path) -> dict:
    return {"BDG_WAREHOUSE": f"ducklake:postgres:dbname={name} host={PG['host']} user={PG['user']}",
            LAKE_DATA_ENV: str(data_path) + "/"}  # fmt: skip


def _recorded(warehouse: str | Path) -> list[tuple[str, str]]:
    """(file_name, status) of every row of raw.submissions."""
    if not is_loaded(warehouse):
        return []
    with connect(warehouse, read_only=True) as con:
        return con.execute("select file_name, status from raw.submissions order by all").fetchall()


def _plain_ingest(inbox: Path, reference: Path, root: Path) -> list[tuple[str, str]]:
    """The same inbox by a plain `bdg ingest` into an embedded file."""
    root.mkdir()
    warehouse = root / "bdg.duckdb"
    env = {key: value for key, value in os.environ.items() if not key.startswith("BDG_")}
    done = subprocess.run(
        [str(BIN / "bdg"), "ingest", "--inbox", str(inbox), "--reference", str(reference), "--out", str(root / "out"),
         "--warehouse", str(warehouse), "--json"],
        cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return _recorded(warehouse)


def _trigger(api: Api, stack: Hosts) -> tuple[str, str, float]:
    """Trigger bdg_nightly and wait for the run to end: (run id, state, wall seconds)."""
    started = time.monotonic()
    run = api.call("POST", "/api/v2/dags/bdg_nightly/dagRuns", {"logical_date": None, "conf": {"as_of_date": AS_OF}})
    quoted = urllib.parse.quote(run["dag_run_id"], safe="")

    def finished():
        state = api.call("GET", f"/api/v2/dags/bdg_nightly/dagRuns/{quoted}")["state"]
        return state if state in ("success", "failed") else None

    state = api.wait(f"run {run['dag_run_id']}", finished, RUN_TIMEOUT, stack)
    return run["dag_run_id"], state, time.monotonic() - started


def _task_instances(api: Api, run_id: str) -> list[dict]:
    quoted = urllib.parse.quote(run_id, safe="")
    return api.call("GET", f"/api/v2/dags/bdg_nightly/dagRuns/{quoted}/taskInstances?limit=500")["task_instances"]


def _task_logs(host_dirs: list[Path], run_id: str, task_id: str) -> str:
    """Every attempt's log of one task of the run, as the workers wrote them on their own disks."""
    logs = sorted(
        path
        for host_dir in host_dirs
        for path in (host_dir / "airflow" / "logs").rglob("attempt=*.log")
        if f"run_id={run_id}" in str(path) and f"task_id={task_id}" in str(path)
    )
    return "\n".join(f"--- {path}\n{path.read_text(errors='replace')}" for path in logs)


def _not_successful(api: Api, run_id: str, host_dirs: list[Path]) -> str:
    bad = [ti for ti in _task_instances(api, run_id) if ti["state"] != "success"]
    details = [(ti["task_id"], ti["map_index"], ti["state"], ti["hostname"]) for ti in bad]
    failed_logs = "\n".join(_task_logs(host_dirs, run_id, ti["task_id"])[-4000:] for ti in bad if ti["state"])
    return f"not successful: {details}\n{failed_logs}"


def test_bdg_nightly_on_two_celery_workers_and_a_lake(tmp_path, monkeypatch):
    require(postgres_up(), "PostgreSQL is not running on 127.0.0.1:5432 (.ci/run starts it)")
    require(redis_up(REDIS_DB), f"Redis does not answer on {REDIS['host']}:{REDIS['port']} without a password")
    missing = [name for name in ("psycopg2", "asyncpg", "celery", "redis", "airflow.providers.celery")
               if importlib.util.find_spec(name) is None]  # fmt: skip
    require(not missing, f"the CeleryExecutor's packages are not installed: {missing}")

    began = time.monotonic()
    generated = generate_inbox(tmp_path / "inbox", provinces=2, units_per_province=10, year=2026, report_type="NAM",
                               seed=11, bad_rate=0.25, resubmit_rate=0.25, late_rate=0.3)  # fmt: skip
    inbox, reference = Path(generated.out_dir), Path(generated.reference_dir)
    plain = _plain_ingest(inbox, reference, tmp_path / "plain")
    assert {status for _, status in plain} >= {"loaded", "rejected", "superseded"}, plain  # more than one verdict

    token = secrets.token_hex(4)
    database, lakes = f"bdg_airflow_celery_{token}", [f"bdg_lake_celery_{token}_{n}" for n in (1, 2)]
    api_port = free_port()
    (log_dir := tmp_path / "logs").mkdir()
    stack = Hosts(_control_env(tmp_path / "airflow", database, api_port), log_dir)
    api = Api(f"http://127.0.0.1:{api_port}")
    hosts = {"host-a": tmp_path / "hosts" / "host-a", "host-b": tmp_path / "hosts" / "host-b"}
    timing = {"files": len(plain)}
    loads = subprocess.run([sys.executable, "-c", f"import {CELERY_EXECUTOR_UTILS}"], env=stack.env,
                           capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert loads.returncode == 0, f"the CeleryExecutor cannot be loaded here:\n{loads.stderr[-2000:]}"
    for name in (database, *lakes):
        admin_sql(f'create database "{name}"')
    try:
        start_airflow(stack, api, CONTROL_PLANE, api_port, "one writer per province", PARSE_TIMEOUT)
        timing["stack_up_s"] = round(time.monotonic() - began, 1)

        # 1. The parsed batches on storage both hosts share: green, every file once, as a plain ingest.
        lake = _lake(lakes[0], tmp_path / "lake1_data")
        shared = {"BDG_INBOX": inbox, "BDG_REFERENCE_DIR": reference, **lake}
        for host, queues in (("host-a", f"default,{QUEUE}"), ("host-b", "default")):
            env, cwd = _host_env(stack.env, tmp_path / "hosts", host, shared)
            stack.start_worker(host, "shared", queues, env, cwd)
        stack.wait_workers_ready("shared")
        run_id, state, wall = _trigger(api, stack)
        timing["shared_staging_run_s"] = round(wall, 1)
        assert state == "success", f"{_not_successful(api, run_id, list(hosts.values()))}\n{stack.logs()}"
        instances = _task_instances(api, run_id)
        parse_hosts = Counter(ti["hostname"] for ti in instances if ti["task_id"] == "parse")
        assert set(parse_hosts) == set(hosts), parse_hosts  # the parse tasks were shared out
        timing["parse_tasks_per_host"] = dict(parse_hosts)
        warehouse_tasks = [ti for ti in instances if ti["pool"] == dag_config.WAREHOUSE_POOL]
        assert {(ti["queue"], ti["hostname"]) for ti in warehouse_tasks} == {(QUEUE, "host-a")}
        monkeypatch.setenv(LAKE_DATA_ENV, lake[LAKE_DATA_ENV])
        recorded = _recorded(lake["BDG_WAREHOUSE"])
        names = [name for name, _ in recorded]
        assert sorted(names) == sorted(file.path.name for file in discover(inbox))  # each file, once
        assert Counter(status for _, status in recorded) == Counter(status for _, status in plain)
        assert recorded == plain  # and each with the verdict a plain ingest gives it

        # 2. Each host parses into its own folder: the loader must fail, not go green with files missing.
        stack.stop_workers()
        lake = _lake(lakes[1], tmp_path / "lake2_data")
        for host, queues in (("host-a", QUEUE), ("host-b", "default")):
            shared = {"BDG_INBOX": inbox, "BDG_REFERENCE_DIR": reference, **lake,
                      "BDG_STAGING_DIR": hosts[host] / "local_staging"}  # fmt: skip
            env, cwd = _host_env(stack.env, tmp_path / "hosts", host, shared)
            stack.start_worker(host, "local", queues, env, cwd)
        stack.wait_workers_ready("local")
        run_id, state, wall = _trigger(api, stack)
        timing["local_staging_run_s"] = round(wall, 1)
        instances = _task_instances(api, run_id)
        states = {(ti["task_id"], ti["map_index"]): (ti["state"], ti["hostname"]) for ti in instances}
        assert state == "failed", states
        load = next(ti for ti in instances if ti["task_id"] == "load")
        assert (load["state"], load["hostname"], load["try_number"]) == ("failed", "host-a", 3), load  # retries=2
        parses = [ti for ti in instances if ti["task_id"] == "parse"]
        assert parses and {(ti["state"], ti["hostname"]) for ti in parses} == {("success", "host-b")}
        staged = {host: sorted(p.name for p in (folder / "local_staging").glob("*/*") if not p.name.startswith("."))
                  for host, folder in hosts.items()}  # fmt: skip
        assert staged["host-a"] == [] and len(staged["host-b"]) == len(parses), staged
        staged = staged["host-b"]
        load_log = _task_logs(list(hosts.values()), run_id, "load")
        assert "MissingBatchError" in load_log, load_log[-4000:]
        assert all(batch in load_log for batch in staged), (staged, load_log[-4000:])
        assert f"{len(staged)}/{len(staged)}" in load_log  # every planned batch was missing
        monkeypatch.setenv(LAKE_DATA_ENV, lake[LAKE_DATA_ENV])
        assert _recorded(lake["BDG_WAREHOUSE"]) == []  # nothing half-loaded
        assert states[("transform", -1)][0] == "upstream_failed", states

        timing["test_s"] = round(time.monotonic() - began, 1)
        out = hosts["host-a"] / "out"
        out.mkdir(parents=True, exist_ok=True)
        (out / "celery_lake.json").write_text(json.dumps(timing, indent=2))
        print(f"\ncelery on a lake: {timing}")
    finally:
        stack.stop()
        try:
            import redis

            redis.Redis(db=REDIS_DB, socket_timeout=5, **REDIS).flushdb()
        finally:
            for name in (database, *lakes):
                admin_sql(f'drop database if exists "{name}" with (force)')
