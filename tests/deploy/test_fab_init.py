"""deploy/airflow_init.sh (the `airflow-init` service) on a real Airflow 3 and a fresh PostgreSQL database:
it migrates Airflow's and the FAB auth manager's tables, creates the pool and the first administrator from the
environment; a second run changes nothing. Then an api-server with the FAB auth manager gives that
administrator a JWT for their password only, and the REST API refuses a request without one.

Everything started (the database, the api-server and its children) is stopped or dropped in a `finally`.
"""

from __future__ import annotations

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

from bdg import dag_config, settings
from tests.deploy.postgres import PG, admin_sql, free_port, postgres_up, require

BIN = Path(sys.executable).parent
FAB = "airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager"


def _post_json(url: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {}


def _get(url: str, token: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {}


def test_airflow_init_creates_the_fab_administrator_and_only_their_password_logs_in(tmp_path):
    require(postgres_up(), "PostgreSQL is not running on 127.0.0.1:5432 (.ci/run starts it)")
    database = f"bdg_fab_init_{secrets.token_hex(4)}"
    port, password = free_port(), secrets.token_urlsafe(16)
    env = {key: value for key, value in os.environ.items() if not key.startswith("AIRFLOW")}
    env |= {
        "AIRFLOW_HOME": str(tmp_path / "home"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(tmp_path / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__AUTH_MANAGER": FAB,
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"postgresql+psycopg2://{PG['user']}@{PG['host']}:{PG['port']}/{database}",
        "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(32),
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
        "AIRFLOW_ADMIN_USERNAME": "quan.tri",
        "AIRFLOW_ADMIN_EMAIL": "it@snv.example.gov.vn",
        "AIRFLOW_ADMIN_PASSWORD": password,
        "BDG_INIT_SKIP_FOLDERS": "1",  # the data folders and their owner are the container's business
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    (tmp_path / "dags").mkdir()
    script = settings.PROJECT_ROOT / "deploy" / "airflow_init.sh"
    admin_sql(f'create database "{database}"')
    server = None
    try:
        for _run in (1, 2):  # idempotent: every `docker compose up` runs it
            done = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        assert "already exists" in done.stdout + done.stderr, "the second run leaves the administrator as it is"

        log = (tmp_path / "api-server.log").open("w")
        server = subprocess.Popen(
            [str(BIN / "airflow"), "api-server", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert server.poll() is None, (tmp_path / "api-server.log").read_text()[-3000:]
            try:
                if _get(f"{base}/api/v2/version")[0] == 200:
                    break
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(1)
        else:
            raise AssertionError("the api-server did not start:\n" + (tmp_path / "api-server.log").read_text()[-3000:])

        assert _post_json(f"{base}/auth/token", {"username": "quan.tri", "password": "wrong-" + password})[0] == 401
        status, body = _post_json(f"{base}/auth/token", {"username": "quan.tri", "password": password})
        assert status == 201 and body.get("access_token"), (status, body)
        assert _get(f"{base}/api/v2/pools")[0] == 401
        status, pools = _get(f"{base}/api/v2/pools", body["access_token"])
        assert status == 200
        assert {pool["name"]: pool["slots"] for pool in pools["pools"]}[dag_config.WAREHOUSE_POOL] == 1
    finally:
        if server is not None:
            try:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
            try:
                os.killpg(server.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            server.wait(timeout=10)
        admin_sql(f'drop database if exists "{database}" with (force)')
