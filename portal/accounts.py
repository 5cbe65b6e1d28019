"""Portal accounts, the login throttle, the audit trail and the record of uploads, in one SQLite file.

Why SQLite and not the warehouse: DuckDB has one writer at a time and the nightly load holds the file
for minutes; logins, lockouts and audit rows must be written while it runs. The file is
`$BDG_PORTAL_DB`, by default `portal.sqlite3` beside the warehouse (same volume, same backups).
Passwords are argon2 hashes (argon2-cffi's defaults); no password is ever stored or logged in clear.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ROLES = ("unit", "province", "ministry")
MAX_FAILURES = 10  # failed logins in a row that lock an account
LOCK_MINUTES = 15
_HASHER = PasswordHasher()
# A hash to verify against when the login does not exist, so an unknown login costs the same time.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))
# At most this many argon2 computations at once: each takes 64 MB, and more than the CPUs gain nothing.
_HASHING = threading.BoundedSemaphore(max(2, os.cpu_count() or 2))

_SCHEMA = """
create table if not exists accounts (
    login text primary key,
    role text not null check (role in ('unit', 'province', 'ministry')),
    unit_code text,
    province_code text,
    password_hash text not null,
    disabled integer not null default 0,
    failed_logins integer not null default 0,
    locked_until text,
    created_at text not null
);
create table if not exists audit (
    id integer primary key autoincrement,
    at text not null,
    login text,
    event text not null,
    success integer not null,
    client text,
    detail text
);
create table if not exists uploads (
    upload_id text primary key,
    login text not null,
    unit_code text not null,
    original_name text not null,
    stored_name text,
    stored_path text,
    file_sha256 text not null,
    size_bytes integer not null,
    received_at text not null,
    verdict text not null,
    warehouse_status text,
    report_year integer,
    report_type text,
    errors_json text not null,
    feedback_path text,
    loaded_at text
);
create index if not exists uploads_by_unit on uploads (unit_code, received_at);
"""


class AccountError(ValueError):
    """An account that cannot be created or changed as asked (the message is Vietnamese)."""


@dataclass(frozen=True)
class Account:
    login: str
    role: str
    unit_code: str | None = None
    province_code: str | None = None


def database_path(warehouse: Path) -> Path:
    """$BDG_PORTAL_DB, else `portal.sqlite3` beside the warehouse file (for a lake, in ./warehouse)."""
    from ingest.warehouse import work_dir

    value = os.environ.get("BDG_PORTAL_DB")
    return Path(value) if value else work_dir(warehouse) / "portal.sqlite3"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Store:
    """The portal's own database. Each call opens a short connection (threads and processes may share it)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.executescript(_SCHEMA)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            con.execute("pragma journal_mode = wal")
            con.execute("pragma busy_timeout = 30000")
            con.row_factory = sqlite3.Row
            yield con
        finally:
            con.close()

    # --- accounts -------------------------------------------------------------------------------------

    def add(self, login: str, role: str, password: str, *, unit_code=None, province_code=None) -> Account:
        """Create an account. Raises AccountError for a taken login, an unknown role or a missing scope."""
        login = login.strip()
        if not login or len(login) > 64 or any(ch.isspace() for ch in login):
            raise AccountError("tên đăng nhập không hợp lệ (1–64 ký tự, không có khoảng trắng)")
        if role not in ROLES:
            raise AccountError(f"vai trò phải là một trong {', '.join(ROLES)}")
        if role == "unit" and not unit_code:
            raise AccountError("tài khoản đơn vị cần --unit (mã đơn vị)")
        if role == "province" and not province_code:
            raise AccountError("tài khoản Sở Nội vụ cần --province (mã tỉnh)")
        if len(password) < 10:
            raise AccountError("mật khẩu phải có ít nhất 10 ký tự")
        if role == "ministry":
            unit_code = province_code = None
        if role == "province":
            unit_code = None
        with self._connect() as con:
            try:
                con.execute(
                    "insert into accounts (login, role, unit_code, province_code, password_hash, created_at) "
                    "values (?, ?, ?, ?, ?, ?)",
                    [login, role, unit_code, province_code, _HASHER.hash(password), _now().isoformat()],
                )
            except sqlite3.IntegrityError:
                raise AccountError(f"tài khoản {login} đã có") from None
        return Account(login, role, unit_code, province_code)

    def accounts(self) -> list[dict]:
        with self._connect() as con:
            rows = con.execute(
                "select login, role, unit_code, province_code, disabled, locked_until, created_at "
                "from accounts order by login"
            ).fetchall()
        return [dict(row) for row in rows]

    def disable(self, login: str) -> None:
        with self._connect() as con:
            if con.execute("update accounts set disabled = 1 where login = ?", [login]).rowcount == 0:
                raise AccountError(f"không có tài khoản {login}")

    def account(self, login: str) -> Account | None:
        """The enabled account of that login (None when unknown or disabled)."""
        with self._connect() as con:
            row = con.execute(
                "select login, role, unit_code, province_code from accounts where login = ? and disabled = 0",
                [login],
            ).fetchone()
        return Account(**dict(row)) if row else None

    def authenticate(self, login: str, password: str, client: str | None = None, channel: str = "web") -> tuple:
        """(account, reason): the account when the password is right and the account is usable, else
        (None, 'invalid' | 'locked' | 'disabled'). Every attempt is audited; the 10th failure in a row
        locks the account for 15 minutes (a right password does not open a locked account)."""
        # The password is checked (argon2: about half a second of CPU and 64 MB) outside the write lock, so
        # logins of a deadline rush run side by side instead of queueing on SQLite; the account's state is
        # read again under the lock and the counters updated there.
        with self._connect() as con:
            seen = con.execute("select password_hash from accounts where login = ?", [login]).fetchone()
        with _HASHING:
            try:
                _HASHER.verify(seen["password_hash"] if seen else _DUMMY_HASH, password)
                right = seen is not None
            except (VerificationError, InvalidHashError):
                right = False
        now = _now()
        with self._connect() as con:
            con.execute("begin immediate")
            row = con.execute("select * from accounts where login = ?", [login]).fetchone()
            if row is None:
                reason, account = "invalid", None
            elif row["disabled"]:
                reason, account = "disabled", None
            elif row["locked_until"] and dt.datetime.fromisoformat(row["locked_until"]) > now:
                reason, account = "locked", None
            elif not right or row["password_hash"] != seen["password_hash"]:  # wrong, or changed meanwhile
                failures = row["failed_logins"] + 1
                locked = (now + dt.timedelta(minutes=LOCK_MINUTES)).isoformat() if failures >= MAX_FAILURES else None
                con.execute(
                    "update accounts set failed_logins = ?, locked_until = ? where login = ?",
                    [0 if locked else failures, locked, login],
                )
                reason, account = ("locked" if locked else "invalid"), None
            else:
                con.execute("update accounts set failed_logins = 0, locked_until = null where login = ?", [login])
                reason = "ok"
                account = Account(row["login"], row["role"], row["unit_code"], row["province_code"])
            self._audit(con, login[:64], f"login_{channel}", reason == "ok", client, reason)
            con.execute("commit")
        if reason == "ok" and _HASHER.check_needs_rehash(row["password_hash"]):
            with _HASHING:
                rehashed = _HASHER.hash(password)
            with self._connect() as con:
                con.execute("update accounts set password_hash = ? where login = ? and password_hash = ?",
                            [rehashed, login, row["password_hash"]])  # fmt: skip
        return account, reason

    # --- audit and uploads ----------------------------------------------------------------------------

    def audit(self, login: str | None, event: str, success: bool, client: str | None = None, detail=None) -> None:
        with self._connect() as con:
            self._audit(con, login, event, success, client, detail)

    @staticmethod
    def _audit(con, login, event, success, client, detail) -> None:
        text = json.dumps(detail, ensure_ascii=False, default=str) if not isinstance(detail, str | None) else detail
        con.execute(
            "insert into audit (at, login, event, success, client, detail) values (?, ?, ?, ?, ?, ?)",
            [_now().isoformat(), login, event, int(bool(success)), client, text],
        )

    def audit_rows(self, limit: int = 1000) -> list[dict]:
        with self._connect() as con:
            rows = con.execute("select * from audit order by id desc limit ?", [limit]).fetchall()
        return [dict(row) for row in rows]

    def record_upload(self, record: dict) -> None:
        columns = list(record)
        with self._connect() as con:
            con.execute(
                f"insert into uploads ({', '.join(columns)}) values ({', '.join('?' for _ in columns)})",
                [record[column] for column in columns],
            )

    def set_warehouse_status(self, upload_id: str, status: str, loaded_at: dt.datetime) -> None:
        with self._connect() as con:
            con.execute(
                "update uploads set warehouse_status = ?, loaded_at = ? where upload_id = ?",
                [status, loaded_at.isoformat(), upload_id],
            )

    def set_verdict(self, upload_id: str, verdict: str) -> None:
        with self._connect() as con:
            con.execute("update uploads set verdict = ? where upload_id = ?", [verdict, upload_id])

    def upload(self, upload_id: str) -> dict | None:
        with self._connect() as con:
            row = con.execute("select * from uploads where upload_id = ?", [upload_id]).fetchone()
        return _upload_row(row) if row else None

    def uploads_of(self, unit_codes: list[str] | None, limit: int = 200) -> list[dict]:
        """Uploads of these units (every upload when None), newest first."""
        with self._connect() as con:
            if unit_codes is None:
                rows = con.execute("select * from uploads order by received_at desc limit ?", [limit]).fetchall()
            else:
                marks = ", ".join("?" for _ in unit_codes) or "null"
                rows = con.execute(
                    f"select * from uploads where unit_code in ({marks}) order by received_at desc limit ?",
                    [*unit_codes, limit],
                ).fetchall()
        return [_upload_row(row) for row in rows]

    def stored_sha(self, file_sha256: str) -> bool:
        """True when a file with these bytes was kept in the inbox by an earlier upload."""
        with self._connect() as con:
            return (
                con.execute(
                    "select count(*) from uploads where file_sha256 = ? and stored_path is not null", [file_sha256]
                ).fetchone()[0]
                > 0
            )


def _upload_row(row: sqlite3.Row) -> dict:
    record = dict(row)
    record["errors"] = json.loads(record.pop("errors_json") or "[]")
    for key in ("received_at", "loaded_at"):
        if record.get(key):
            record[key] = dt.datetime.fromisoformat(record[key])
    return record


def generate_password() -> str:
    """A random password for `bdg users add` when none is typed (printed once)."""
    return secrets.token_urlsafe(12)
