"""docker-compose.yml, checked without a Docker engine: Debian's docker-compose 1.29 renders it (its own
schema validation and variable interpolation) with .env.example, and it agrees with the code and the image
on the DAG folder, the BDG_* environment, the volumes, the pool and where secrets come from."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
import yaml

from bdg import alerts, dag_config, settings

ROOT = settings.PROJECT_ROOT
AIRFLOW_SERVICES = {"airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-worker",
                    "airflow-triggerer", "airflow-init"}  # fmt: skip
LONG_RUNNING = AIRFLOW_SERVICES - {"airflow-init"} | {"postgres", "redis", "bdg-portal"}
# The services that e-mail failure alerts (see tests/deploy/test_secure_defaults.py).
MAIL_SENDERS = {"airflow-worker", "airflow-dag-processor"}
PATH_ENV = {"BDG_INBOX": "/data/inbox", "BDG_WAREHOUSE": "/data/warehouse", "BDG_OUT_DIR": "/data/out",
            "BDG_STAGING_DIR": "/data/out"}  # fmt: skip
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
    assert set(services) == AIRFLOW_SERVICES | {"postgres", "redis", "config-check", "bdg-portal"}
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
    for module in ("bdg/settings.py", "bdg/alerts.py", "ingest/reference.py", "ingest/warehouse.py"):
        read_by_code |= set(re.findall(r'"(BDG_[A-Z_]+)"', (ROOT / module).read_text(encoding="utf-8")))
    for name in AIRFLOW_SERVICES:
        service = rendered["services"][name]
        env = service["environment"]
        bdg_env = {key for key in env if key.startswith("BDG_")}
        assert bdg_env <= read_by_code, f"{name} sets variables nothing reads: {bdg_env - read_by_code}"
        mounts = {
            volume["target"] if isinstance(volume, dict) else volume.split(":")[1] for volume in service["volumes"]
        }
        for key, mount in PATH_ENV.items():
            assert env[key].startswith(mount), (name, key, env[key])
            assert mount in mounts, f"{name} does not mount {mount}"
        assert env["BDG_REFERENCE_DIR"] in mounts
        if name in MAIL_SENDERS:
            assert env["AIRFLOW_CONN_" + alerts.SMTP_CONN_ID.upper()] == ""  # empty in .env.example: no e-mail
    assert rendered["services"]["airflow-init"]["entrypoint"] == ["/bin/bash", "/opt/bdg/deploy/airflow_init.sh"]
    init = (ROOT / "deploy" / "airflow_init.sh").read_text(encoding="utf-8")
    assert f"airflow pools set {dag_config.WAREHOUSE_POOL} 1" in init


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
