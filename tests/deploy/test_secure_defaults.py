"""docker-compose.yml is secure by default (issue 13, Compose): a copied .env.example does not start (its
CHANGE_ME placeholders are refused by deploy/check_env.py, which every service waits for); the API server is
published on loopback only, with the FAB auth manager and a first administrator created without a password on
a command line; no secret is on any command line or healthcheck; the SMTP connection reaches only the
services that send mail. Rendered with Debian's docker-compose 1.29 (`docker-compose config`, no engine)."""

from __future__ import annotations

import base64
import importlib
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bdg import alerts, settings

ROOT = settings.PROJECT_ROOT
CHECK = ROOT / "deploy" / "check_env.py"
AIRFLOW_SERVICES = {"airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-worker",
                    "airflow-triggerer", "airflow-init"}  # fmt: skip
# The failure alert is e-mailed by the task's on_failure_callback (worker) or, for a task that died without
# running it, by the dag-processor, to which the scheduler hands the callback.
MAIL_SENDERS = {"airflow-worker", "airflow-dag-processor"}
SMTP_ENV = "AIRFLOW_CONN_" + alerts.SMTP_CONN_ID.upper()
FAB = "airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager"
SECRET_KEYS = ("POSTGRES_PASSWORD", "REDIS_PASSWORD", "AIRFLOW_FERNET_KEY", "AIRFLOW_API_SECRET_KEY",
               "AIRFLOW_JWT_SECRET", "AIRFLOW_ADMIN_PASSWORD")  # fmt: skip


def _example() -> str:
    return (ROOT / ".env.example").read_text(encoding="utf-8")


def _real_values(**overrides: str) -> dict[str, str]:
    """What an operator puts in .env: random secrets, each different, a real administrator, an SMTP server."""
    values = {key: secrets.token_urlsafe(32) for key in SECRET_KEYS}
    values["AIRFLOW_FERNET_KEY"] = base64.urlsafe_b64encode(os.urandom(32)).decode()
    values["AIRFLOW_ADMIN_PASSWORD"] = secrets.token_urlsafe(16)
    values |= {"AIRFLOW_ADMIN_USERNAME": "nguyen.van.a", "AIRFLOW_ADMIN_EMAIL": "it@snv.example.gov.vn",
               "BDG_SMTP_CONN": f"smtp://alerts:{secrets.token_urlsafe(18)}@mail.example.gov.vn:587",
               "BDG_ALERT_EMAILS": "it@snv.example.gov.vn"}  # fmt: skip
    values |= overrides
    return values


def _dot_env(values: dict[str, str]) -> str:
    """.env.example with the given values filled in (every other line as shipped)."""
    lines = []
    for line in _example().splitlines():
        key = line.partition("=")[0].strip()
        if not line.lstrip().startswith("#") and "=" in line and key in values:
            line = f"{key}={values[key]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _check(env_text: str, tmp_path: Path) -> subprocess.CompletedProcess:
    (tmp_path / ".env").write_text(env_text, encoding="utf-8")
    return subprocess.run([sys.executable, str(CHECK), "--env-file", str(tmp_path / ".env")],
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def _render(values: dict[str, str] | None, folder: Path) -> dict:
    binary = shutil.which("docker-compose")
    if binary is None:
        (pytest.fail if os.environ.get("CI") else pytest.skip)("docker-compose (Debian) is not installed")
    shutil.copy(ROOT / "docker-compose.yml", folder / "docker-compose.yml")
    (folder / ".env").write_text(_example() if values is None else _dot_env(values), encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key not in _real_values()}  # .env decides
    done = subprocess.run([binary, "config"], cwd=folder, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    return yaml.safe_load(done.stdout)


@pytest.fixture(scope="module")
def real(tmp_path_factory) -> tuple[dict[str, str], dict]:
    values = _real_values()
    return values, _render(values, tmp_path_factory.mktemp("real"))


# --- the placeholders refuse to start ---------------------------------------------------------------------


def test_a_copied_env_example_is_refused(tmp_path):
    done = _check(_example(), tmp_path)
    assert done.returncode == 1, done.stdout
    for key in SECRET_KEYS + ("AIRFLOW_ADMIN_USERNAME", "AIRFLOW_ADMIN_EMAIL"):
        assert key in done.stderr, f"{key} placeholder not refused:\n{done.stderr}"
    assert "refusing to start" in done.stderr


def test_real_looking_values_are_accepted(tmp_path):
    values = _real_values()
    done = _check(_dot_env(values), tmp_path)
    assert done.returncode == 0, done.stderr
    for key in SECRET_KEYS:
        assert values[key] not in done.stdout + done.stderr, "the check must never print a value"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"POSTGRES_PASSWORD": "CHANGE_ME_random_token"}, "POSTGRES_PASSWORD is still a placeholder"),
        ({"REDIS_PASSWORD": "change-me"}, "REDIS_PASSWORD is still a placeholder"),
        ({"AIRFLOW_JWT_SECRET": "Xk3vP9qLm2"}, "AIRFLOW_JWT_SECRET is shorter than 24"),
        ({"AIRFLOW_API_SECRET_KEY": ""}, "AIRFLOW_API_SECRET_KEY is not set"),
        ({"AIRFLOW_API_SECRET_KEY": "my-secret-key-for-the-airflow-api"}, "AIRFLOW_API_SECRET_KEY is still a"),
        ({"AIRFLOW_FERNET_KEY": secrets.token_urlsafe(32)}, "AIRFLOW_FERNET_KEY is not a Fernet key"),
        ({"AIRFLOW_ADMIN_PASSWORD": "admin"}, "AIRFLOW_ADMIN_PASSWORD is still a placeholder"),
        ({"AIRFLOW_ADMIN_PASSWORD": "Tq7-wZ2k"}, "AIRFLOW_ADMIN_PASSWORD is shorter than 12"),
        ({"AIRFLOW_ADMIN_USERNAME": ""}, "AIRFLOW_ADMIN_USERNAME is not set"),
        ({"AIRFLOW_ADMIN_EMAIL": "CHANGE_ME@invalid"}, "AIRFLOW_ADMIN_EMAIL still holds a CHANGE_ME placeholder"),
        ({"BDG_SMTP_CONN": "smtp://user:change-me@mail.example.org:587"}, "BDG_SMTP_CONN still holds a CHANGE_ME"),
        ({"POSTGRES_PASSWORD": "Pq8@vL3kT9x/Pm2wR7yB4nZs"}, "POSTGRES_PASSWORD may only hold"),
        (
            {
                "REDIS_PASSWORD": "same-" + "Zq8vL3kT9xPm2wR7yB4n",
                "AIRFLOW_JWT_SECRET": "same-" + "Zq8vL3kT9xPm2wR7yB4n",
            },
            "two secrets have the same value",
        ),
        ({"BDG_BIND_ADDRESS": "0.0.0.0"}, "BDG_BIND_ADDRESS=0.0.0.0 publishes the API server"),
        ({"BDG_BIND_ADDRESS": "10.1.2.3", "AIRFLOW_BASE_URL": "http://airflow.snv.gov.vn"}, "plain HTTP"),
    ],
)
def test_each_weakness_is_refused_with_its_reason(tmp_path, overrides, message):
    done = _check(_dot_env(_real_values(**overrides)), tmp_path)
    assert done.returncode == 1 and message in done.stderr, done.stderr


@pytest.mark.parametrize(
    "overrides",
    [{"BDG_BIND_ADDRESS": "::1"}, {"BDG_BIND_ADDRESS": "localhost"}, {"BDG_SMTP_CONN": "", "BDG_ALERT_EMAILS": ""},
     {"BDG_BIND_ADDRESS": "0.0.0.0", "AIRFLOW_BASE_URL": "https://airflow.snv.example.gov.vn"}],
)  # fmt: skip
def test_acceptable_settings_pass(tmp_path, overrides):
    done = _check(_dot_env(_real_values(**overrides)), tmp_path)
    assert done.returncode == 0, done.stderr


def test_the_check_reads_the_container_environment_too():
    """In the stack, config-check runs it with no file, on the environment compose gives it."""
    base = {"PATH": os.environ.get("PATH", "")}
    bad = subprocess.run([sys.executable, str(CHECK)], env=base | {"POSTGRES_PASSWORD": "change-me"},
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert bad.returncode == 1 and "POSTGRES_PASSWORD is still a placeholder" in bad.stderr
    values = {key: value for key, value in _real_values().items() if not key.startswith(("BDG_SMTP", "BDG_ALERT"))}
    good = subprocess.run([sys.executable, str(CHECK)], env=base | values, capture_output=True, text=True, timeout=60)
    assert good.returncode == 0, good.stderr


def test_every_service_waits_for_the_check(real):
    values, rendered = real
    services = rendered["services"]
    check = services["config-check"]
    assert check["entrypoint"] == ["python", "/opt/bdg/deploy/check_env.py"]
    assert check["restart"] == "no"
    for name, service in services.items():
        if name != "config-check":
            assert service["depends_on"]["config-check"]["condition"] == "service_completed_successfully", name
    # it checks what the services get: the same .env values, by the names check_env.py reads
    for key in SECRET_KEYS + ("AIRFLOW_ADMIN_USERNAME", "AIRFLOW_ADMIN_EMAIL", "BDG_BIND_ADDRESS"):
        assert check["environment"][key] == values.get(key, "127.0.0.1"), key
    assert "BDG_SMTP_CONN" not in check["environment"]


# --- the API server: loopback, FAB, per-user accounts ------------------------------------------------------


def test_published_ports_are_loopback_by_default(tmp_path):
    rendered = _render(None, tmp_path)
    published = {name: service["ports"] for name, service in rendered["services"].items() if service.get("ports")}
    assert set(published) == {"airflow-apiserver", "bdg-portal"}, published
    for name, expected in (("airflow-apiserver", "127.0.0.1:8080"), ("bdg-portal", "127.0.0.1:8000")):
        for port in published[name]:
            text = port if isinstance(port, str) else f"{port.get('host_ip')}:{port.get('published')}"
            assert text.startswith(expected), text
    exposed = _render(_real_values(BDG_BIND_ADDRESS="10.1.2.3"), tmp_path)["services"]["airflow-apiserver"]["ports"]
    assert str(exposed[0]).startswith("10.1.2.3:8080"), "BDG_BIND_ADDRESS chooses the address"


def test_the_auth_manager_is_fab_with_per_user_accounts(real):
    values, rendered = real
    for name in AIRFLOW_SERVICES:
        env = rendered["services"][name]["environment"]
        assert env["AIRFLOW__CORE__AUTH_MANAGER"] == FAB, name
        assert not [key for key in env if "SIMPLE_AUTH_MANAGER" in key], name
    from airflow.api_fastapi.auth.managers.base_auth_manager import BaseAuthManager

    module, _, name = FAB.rpartition(".")
    manager = getattr(importlib.import_module(module), name)
    assert issubclass(manager, BaseAuthManager), "the FAB provider is in the locked environment"
    init = (ROOT / "deploy" / "airflow_init.sh").read_text(encoding="utf-8")
    assert "airflow fab-db migrate" in init and "create_admin.py" in init
    assert "--password" not in init and "AIRFLOW_ADMIN_PASSWORD" not in init.split("create_admin.py")[1]
    init_env = rendered["services"]["airflow-init"]["environment"]
    assert init_env["AIRFLOW_ADMIN_USERNAME"] == values["AIRFLOW_ADMIN_USERNAME"]


# --- secrets: never on a command line, each only where it is used ------------------------------------------


def _command_lines(service: dict) -> str:
    parts = [service.get("entrypoint"), service.get("command"), service.get("healthcheck", {}).get("test")]
    return " ".join(" ".join(part) if isinstance(part, list) else str(part or "") for part in parts)


def test_no_secret_on_a_command_line(real):
    values, rendered = real
    secret_values = [values[key] for key in SECRET_KEYS] + [values["BDG_SMTP_CONN"]]
    for name, service in rendered["services"].items():
        line = _command_lines(service)
        assert not [value for value in secret_values if value in line], f"{name} has a secret in {line!r}"
        assert not re.search(r"--requirepass|redis-cli\s+(-a|--pass)|--password", line), f"{name}: {line!r}"
    redis = rendered["services"]["redis"]
    assert redis["environment"]["REDISCLI_AUTH"] == values["REDIS_PASSWORD"], "redis-cli reads REDISCLI_AUTH"
    assert "REDIS_PASSWORD" not in redis["environment"]
    assert "printf" in _command_lines(redis) and "redis-server /tmp/redis.conf" in _command_lines(redis)


def test_smtp_credentials_only_where_mail_is_sent(real):
    values, rendered = real
    for name, service in rendered["services"].items():
        env = service.get("environment") or {}
        holders = [key for key, value in env.items() if values["BDG_SMTP_CONN"] in str(value)]
        if name in MAIL_SENDERS:
            assert env[SMTP_ENV] == values["BDG_SMTP_CONN"] and holders == [SMTP_ENV], name
            assert env["BDG_ALERT_EMAILS"] == values["BDG_ALERT_EMAILS"], name
        else:
            assert not holders and SMTP_ENV not in env, f"{name} gets the SMTP credentials"
    assert values["BDG_SMTP_CONN"] not in yaml.safe_dump(rendered.get("x-airflow-common", {}))


def test_each_secret_only_in_the_services_that_use_it(real):
    values, rendered = real
    airflow_core = AIRFLOW_SERVICES | {"config-check"}
    where = {
        "AIRFLOW_ADMIN_PASSWORD": {"airflow-init", "config-check"},
        "REDIS_PASSWORD": airflow_core | {"redis"},
        "POSTGRES_PASSWORD": airflow_core | {"postgres"},
        "AIRFLOW_FERNET_KEY": airflow_core,
        "AIRFLOW_API_SECRET_KEY": airflow_core,
        "AIRFLOW_JWT_SECRET": airflow_core,
    }
    for key, allowed in where.items():
        holders = {name for name, s in rendered["services"].items() if values[key] in yaml.safe_dump(s)}
        assert holders <= allowed, f"{key} also reaches {holders - allowed}"
