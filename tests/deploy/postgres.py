"""What the deploy tests share: the local PostgreSQL (127.0.0.1:5432, trust auth, which .ci/run starts) and
Redis (127.0.0.1:6379, no password), a requirement that skips on a developer machine but fails in CI, and a
free loopback port."""

from __future__ import annotations

import os
import socket

import pytest

from sample.bench_lake import PG, admin_sql  # noqa: F401  (the deploy tests' PostgreSQL, written once)

REDIS = {"host": "127.0.0.1", "port": 6379}


def require(condition: bool, reason: str) -> None:
    """Skip on a developer machine without PostgreSQL or its drivers; in CI (.ci/run) it must run."""
    if not condition:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(reason)


def postgres_up() -> bool:
    try:
        socket.create_connection((PG["host"], PG["port"]), timeout=2).close()
        return True
    except OSError:
        return False


def redis_up(db: int = 0) -> bool:
    """True when Redis answers PING on database `db` without a password."""
    try:
        import redis

        return bool(redis.Redis(db=db, socket_timeout=5, **REDIS).ping())
    except Exception:  # not installed, not running, or it wants a password
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
