"""docker-compose.yml, checked without a Docker engine: Debian's docker-compose 1.29 renders it (its own
schema validation and variable interpolation) with .env.example, and it agrees with the code and the image
on the DAG folder, the BDG_* environment, the volumes, the pool, the lake and its queue, and where secrets
come from."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from bdg import alerts, dag_config, settings
from ingest import warehouse

ROOT = settings.PROJECT_ROOT
AIRFLOW_SERVICES = {"airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-worker",
                    "airflow-triggerer", "airflow-init"}  # fmt: skip
LONG_RUNNING = AIRFLOW_SERVICES - {"airflow-init"} | {"postgres", "redis", "bdg-portal", "minio"}
S3_PROFILE = {"minio", "minio-bucket"}  # `docker compose --profile s3 up`: the lake's data files on S3
# What opens the warehouse, and so gets the lake catalog's password (and the S3 key).
LAKE_USERS = {"airflow-worker", "bdg-portal"}
LAKE = "ducklake:postgres:dbname=bdg_lake host=postgres user=bdg_lake"
# The services that e-mail failure alerts (see tests/deploy/test_secure_defaults.py).
MAIL_SENDERS = {"airflow-worker", "airflow-dag-processor"}
# every variable holding a path, and the volume it is on (the parsed batches beside the lake's data files)
PATH_ENV = {"BDG_INBOX": "/data/inbox", "BDG_LAKE_DATA_PATH": "/data/lake", "BDG_OUT_DIR": "/data/out",
            "BDG_STAGING_DIR": "/data/lake"}  # fmt: skip
SECRET_WORDS = ("PASSWORD", "SECRET", "FERNET", "CONN")


def _env_example() -> dict[str, str]:
    pairs = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict:
    """`docker-compose config` with .env.example as .env: the file as Compose itself reads it."""
    binary = shutil.which("docker-compose")
    if binary is None:
        (pytest.fail if os.environ.get("CI") else pytest.skip)("docker-compose (Debian) is not installed")
    folder = tmp_path_factory.mktemp("compose")
    shutil.copy(ROOT / "docker-compose.yml", folder / "docker-compose.yml")
    shutil.copy(ROOT / ".env.example", folder / ".env")
    done = subprocess.run([binary, "config"], cwd=folder, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return yaml.safe_load(done.stdout)


def test_compose_renders_with_every_service_and_healthcheck(rendered):
    services = rendered["services"]
    assert set(services) == AIRFLOW_SERVICES | S3_PROFILE | {"postgres", "redis", "config-check", "bdg-portal",
                                                             "lake-catalog"}  # fmt: skip
    for name in LONG_RUNNING:
        assert services[name].get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    assert services["airflow-worker"]["command"] == ["celery", "worker"] or "celery worker" in str(
        services["airflow-worker"]["command"]
    )
    for name in AIRFLOW_SERVICES:
        env = services[name]["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
        assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://")
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://")
    for name in AIRFLOW_SERVICES - {"airflow-init"}:
        assert services[name]["depends_on"]["airflow-init"]["condition"] == "service_completed_successfully"


def test_compose_uses_the_project_image_and_the_dag_folder_the_code_expects(rendered):
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "WORKDIR /opt/bdg" in dockerfile and "COPY . ." in dockerfile
    assert "uv sync --frozen --no-dev" in dockerfile, "the image installs exactly what uv.lock pins"
    assert "AIRFLOW__CORE__DAGS_FOLDER=/opt/bdg/dags" in dockerfile
    images = {rendered["services"][name]["image"] for name in AIRFLOW_SERVICES}
    assert len(images) == 1, images
    for name in AIRFLOW_SERVICES:
        service = rendered["services"][name]
        assert service["build"]["dockerfile"] == "Dockerfile"
        # /opt/bdg is the project root inside the image: dags/ beside bdg/, as settings.PROJECT_ROOT resolves it
        assert service["environment"]["AIRFLOW__CORE__DAGS_FOLDER"] == "/opt/bdg/dags"
    assert (ROOT / "dags").is_dir() and settings.PROJECT_ROOT / "dags" == ROOT / "dags"


def test_compose_sets_the_environment_the_code_reads(rendered):
    read_by_code = set()
    for module in ("bdg/settings.py", "bdg/alerts.py", "bdg/dag_config.py", "ingest/reference.py",
                   "ingest/warehouse.py"):  # fmt: skip
        read_by_code |= set(re.findall(r'"(BDG_[A-Z_]+)"', (ROOT / module).read_text(encoding="utf-8")))
    for name in AIRFLOW_SERVICES:
        service = rendered["services"][name]
        env = service["environment"]
        bdg_env = {key for key in env if key.startswith("BDG_")}
        assert bdg_env <= read_by_code, f"{name} sets variables nothing reads: {bdg_env - read_by_code}"
        mounts = {
            volume["target"] if isinstance(volume, dict) else volume.split(":")[1] for volume in service["volumes"]
        }
        assert env["BDG_WAREHOUSE"] == LAKE and warehouse.is_lake(env["BDG_WAREHOUSE"]), name
        for key, mount in PATH_ENV.items():
            assert env[key].startswith(mount), (name, key, env[key])
            assert mount in mounts, f"{name} does not mount {mount}"
        assert env["BDG_REFERENCE_DIR"] in mounts
        if name in MAIL_SENDERS:
            assert env["AIRFLOW_CONN_" + alerts.SMTP_CONN_ID.upper()] == ""  # empty in .env.example: no e-mail
    assert rendered["services"]["airflow-init"]["entrypoint"] == ["/bin/bash", "/opt/bdg/deploy/airflow_init.sh"]
    init = (ROOT / "deploy" / "airflow_init.sh").read_text(encoding="utf-8")
    assert f"airflow pools set {dag_config.WAREHOUSE_POOL} 1" in init


def test_the_warehouse_is_a_lake_its_tasks_have_a_queue(rendered):
    """The lake's catalog in its own database (lake-catalog), its data and the parsed batches on one volume
    every worker mounts, the warehouse tasks on the queue the worker serves."""
    services = rendered["services"]
    catalog = services["lake-catalog"]
    script = catalog["command"][-1]
    assert "create database bdg_lake owner bdg_lake" in script and "create role bdg_lake login" in script
    assert "-h /var/run/postgresql" in script and "printenv BDG_LAKE_DB_PASSWORD" in script
    socket_users = {name for name, service in services.items()
                    if any("postgres-socket:" in str(volume) for volume in service.get("volumes", []))}  # fmt: skip
    assert socket_users == {"postgres", "lake-catalog"}, "the server's socket (no password) goes nowhere else"
    for name in LAKE_USERS:
        assert services[name]["depends_on"]["lake-catalog"]["condition"] == "service_completed_successfully"
        assert services[name]["environment"]["BDG_WAREHOUSE"] == LAKE, name
        assert "/data/lake" in {str(volume).split(":")[1] for volume in services[name]["volumes"]}, name
    for name, service in services.items():
        env = service.get("environment") or {}
        assert ("PGPASSWORD" in env) == (name in LAKE_USERS), f"{name}: the lake's password only where it is used"
        assert ("AWS_SECRET_ACCESS_KEY" in env) == (name in LAKE_USERS), name
        assert (service.get("profiles") == ["s3"]) == (name in S3_PROFILE), name
    for name in AIRFLOW_SERVICES:  # the dag-processor reads it when it parses the DAG files
        assert services[name]["environment"]["BDG_WAREHOUSE_QUEUE"] == "bdg_warehouse", name
    queues = re.search(r"--queues\s+(\S+)", str(services["airflow-worker"]["command"])).group(1).split(",")
    assert sorted(queues) == ["bdg_warehouse", "default"]
    env = services["airflow-worker"]["environment"]
    assert Path(env["BDG_STAGING_DIR"]).parent == Path(env["BDG_LAKE_DATA_PATH"]).parent == Path("/data/lake")


def test_the_s3_profile_points_the_lake_at_minio(tmp_path):
    """With the profile's settings in .env, the lake's data path is the MinIO bucket the profile creates and the
    worker gets the S3 settings DuckDB's httpfs reads from the environment."""
    binary = shutil.which("docker-compose")
    if binary is None:
        (pytest.fail if os.environ.get("CI") else pytest.skip)("docker-compose (Debian) is not installed")
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    settings_s3 = {"BDG_LAKE_DATA_PATH": "s3://bdg-lake/data/", "BDG_S3_ENDPOINT": "minio:9000",
                   "BDG_S3_USE_SSL": "false", "BDG_S3_ACCESS_KEY_ID": "bdg-lake-key"}  # fmt: skip
    lines = [line for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
             if line.partition("=")[0].strip() not in settings_s3]  # fmt: skip
    (tmp_path / ".env").write_text("\n".join(lines + [f"{k}={v}" for k, v in settings_s3.items()]) + "\n")
    done = subprocess.run([binary, "--profile", "s3", "config"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    services = yaml.safe_load(done.stdout)["services"]
    worker = services["airflow-worker"]["environment"]
    assert worker["BDG_LAKE_DATA_PATH"] == "s3://bdg-lake/data/"
    assert (worker["DUCKDB_S3_ENDPOINT"], worker["DUCKDB_S3_USE_SSL"]) == ("minio:9000", "false")
    assert worker["AWS_ACCESS_KEY_ID"] == services["minio"]["environment"]["MINIO_ROOT_USER"] == "bdg-lake-key"
    assert worker["BDG_STAGING_DIR"].startswith("/data/lake/"), "the batches stay on the shared volume"
    # httpfs asks for bdg-lake.minio:9000 (virtual-host style): MinIO answers it under that name
    assert services["minio"]["environment"]["MINIO_DOMAIN"] == "minio"
    assert "bdg-lake.minio" in services["minio"]["networks"]["default"]["aliases"]
    assert services["minio-bucket"]["entrypoint"][-1] == "lake/bdg-lake"


def test_every_secret_comes_from_dot_env():
    raw = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    example = _env_example()
    used = set(re.findall(r"(?<!\$)\$\{([A-Z_][A-Z0-9_]*)", raw))  # $${X} is the container's own
    assert used <= set(example), f"variables missing from .env.example: {used - set(example)}"
    compose = yaml.safe_load(raw)
    for key, value in compose["x-airflow-common"]["environment"].items():
        if any(word in key for word in SECRET_WORDS) or "://" in str(value):
            assert "${" in str(value) or value in ("", None) or "@" not in str(value), f"{key} has a literal secret"
    for key, value in compose["services"]["postgres"]["environment"].items():
        if "PASSWORD" in key:
            assert value.startswith("${"), key
    for key, value in example.items():
        if any(word in key for word in SECRET_WORDS):
            assert value == "" or value.startswith("CHANGE_ME"), f".env.example holds a real-looking {key}"
    gitignore = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert ".env" in gitignore or "/.env" in gitignore, ".env must be git-ignored"
    dockerignore = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert ".env" in dockerignore and ".venv" in dockerignore


def test_the_lock_has_what_the_image_runs():
    """CeleryExecutor and the PostgreSQL metadata DB need the celery provider and psycopg2/asyncpg in the image,
    which installs uv.lock and nothing else."""
    lock = (ROOT / "uv.lock").read_text(encoding="utf-8")
    needed = ("apache-airflow-providers-celery", "psycopg2-binary", "asyncpg", "redis")
    missing = [name for name in needed if f'name = "{name}"' not in lock]
    if missing:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"uv.lock lacks {missing} (see README: production)")
