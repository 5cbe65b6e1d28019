"""Refuse to start the stack with placeholder, short or malformed secrets, or an API server exposed over HTTP.

    python3 deploy/check_env.py --env-file .env      # on the host, before `docker compose up`
    python deploy/check_env.py                        # in the `config-check` service: reads its environment

Exit 0 and one line when every value is acceptable; exit 1 and one line per problem otherwise. Only the
standard library: it runs with any Python 3.9+ on the host, and in the project image where every service of
docker-compose.yml waits for it (`service_completed_successfully`). Values are never printed.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import ipaddress
import os
import re
import sys
from pathlib import Path

# Machine secrets: long random values (`python3 -c "import secrets; print(secrets.token_urlsafe(32))"`).
SECRETS = ("POSTGRES_PASSWORD", "REDIS_PASSWORD", "AIRFLOW_API_SECRET_KEY", "AIRFLOW_JWT_SECRET")
FERNET_KEY = "AIRFLOW_FERNET_KEY"
ADMIN_PASSWORD = "AIRFLOW_ADMIN_PASSWORD"
ADMIN_FIELDS = ("AIRFLOW_ADMIN_USERNAME", "AIRFLOW_ADMIN_EMAIL")
# Where a password is written into a URL (the metadata DB and the Celery broker): URL-safe characters only.
IN_URL = ("POSTGRES_PASSWORD", "REDIS_PASSWORD")
MIN_SECRET, MIN_ADMIN_PASSWORD = 24, 12
CHANGE_ME = re.compile(r"change[\W_]*me", re.IGNORECASE)  # the placeholder of .env.example
WEAK = re.compile(r"change[\W_]*me|replace[\W_]*me|placeholder|example|secret|password|admin", re.IGNORECASE)
URL_SAFE = re.compile(r"[A-Za-z0-9._~-]+")
LOOPBACK_NAMES = {"localhost"}


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as Compose reads a .env file (comments and blank lines skipped, one level of quotes off)."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip().removeprefix("export ").strip()] = value
    return values


def _is_placeholder(value: str) -> bool:
    return bool(WEAK.search(value)) or len(set(value)) < 6


def _secret_problems(name: str, value: str, minimum: int) -> list[str]:
    if not value:
        return [f"{name} is not set"]
    if _is_placeholder(value):
        return [f"{name} is still a placeholder (or a guessable word): generate a random value"]
    if len(value) < minimum:
        return [f"{name} is shorter than {minimum} characters"]
    return []


def _fernet_problems(value: str) -> list[str]:
    if not value:
        return [f"{FERNET_KEY} is not set"]
    try:
        key = base64.urlsafe_b64decode(value.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        key = b""
    if len(key) != 32 or _is_placeholder(value):
        return [f"{FERNET_KEY} is not a Fernet key (32 url-safe base64-encoded bytes): generate one"]
    return []


def _is_loopback(address: str) -> bool:
    address = address.strip().strip("[]")
    if address.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def problems(env: dict[str, str]) -> list[str]:
    """Every reason not to start with these values (empty: go)."""
    found = []
    for name in SECRETS:
        found += _secret_problems(name, env.get(name, ""), MIN_SECRET)
    found += _fernet_problems(env.get(FERNET_KEY, ""))
    found += _secret_problems(ADMIN_PASSWORD, env.get(ADMIN_PASSWORD, ""), MIN_ADMIN_PASSWORD)
    for name in IN_URL:
        value = env.get(name, "")
        if value and not URL_SAFE.fullmatch(value):
            found.append(f"{name} may only hold letters, digits and . _ ~ - (it is written into a URL)")
    given = [env.get(name, "") for name in (*SECRETS, FERNET_KEY, ADMIN_PASSWORD)]
    given = [value for value in given if value and not _is_placeholder(value)]
    if len(set(given)) < len(given):
        found.append("two secrets have the same value: give each its own")
    for name in ADMIN_FIELDS:
        if not env.get(name, "").strip():
            found.append(f"{name} is not set (the first Airflow administrator)")
    checked = {*SECRETS, FERNET_KEY, ADMIN_PASSWORD}
    for name, value in sorted(env.items()):
        if name not in checked and CHANGE_ME.search(value):
            found.append(f"{name} still holds a CHANGE_ME placeholder")
    bind = env.get("BDG_BIND_ADDRESS", "") or "127.0.0.1"
    if not _is_loopback(bind) and not env.get("AIRFLOW_BASE_URL", "").lower().startswith("https://"):
        found.append(
            f"BDG_BIND_ADDRESS={bind} publishes the API server beyond this host over plain HTTP: put a TLS "
            "reverse proxy in front and set AIRFLOW_BASE_URL=https://…, or keep 127.0.0.1"
        )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env-file", type=Path, help="a .env file (default: this process's environment)")
    args = parser.parse_args(argv)
    if args.env_file is not None and not args.env_file.is_file():
        print(f"check_env: {args.env_file} does not exist (cp .env.example .env, then fill it in)", file=sys.stderr)
        return 1
    env = read_env_file(args.env_file) if args.env_file is not None else dict(os.environ)
    found = problems(env)
    for problem in found:
        print(f"check_env: {problem}", file=sys.stderr)
    if found:
        print("check_env: refusing to start; see .env.example and the README (Deploying)", file=sys.stderr)
        return 1
    print("check_env: secrets and exposure settings are acceptable")
    return 0


if __name__ == "__main__":
    sys.exit(main())
