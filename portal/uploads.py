"""An upload from the portal: kept in the inbox and judged by the nightly's own engine.

The bytes are streamed to a hidden staging folder of the inbox (`_portal_staging/`, which the inbox
listing skips) under a name the server chooses, hashed on the way, then judged by
`ingest.receive.receive_file` — the very function both ingest drivers call for every file — against
the same reference data. A file whose Mã đơn vị names another unit (or a code the registry does not
know) is refused and deleted; a file whose unit cannot be read at all is rejected with its errors and
not kept either (nothing in it could be tied to a unit). Every other file moves to
`inbox/portal/<unit>/<name>`, is listed in `_received.csv` with its received time (the modification
time says the same), and is loaded at once by the portal's loader through the one writer
(`ingest.load.load_batch`, after `ingest.triage` decides whether the bytes are a duplicate). When the
warehouse stays busy (the nightly holds it), the file waits in the inbox for the next nightly, which
gives it the same verdict.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import logging
import os
import queue
import secrets
import string
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ingest.inbox import RECEIVED_LIST, InboxFile
from ingest.periods import LOCAL_TZ
from ingest.personal_data import redact_file_name
from ingest.personal_data import stored_name as warehouse_name
from ingest.warehouse import WarehouseBusyError
from portal.accounts import Account, Store

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
STAGING_DIR = "_portal_staging"
PORTAL_DIR = "portal"
LOAD_WAIT_SECONDS = 30.0  # how long an upload's response waits for the loader before answering anyway
_CHUNK = 1024 * 1024
_log = logging.getLogger(__name__)


class UploadTooLarge(ValueError):
    """The upload is over MAX_UPLOAD_BYTES."""


@dataclass
class Verdict:
    """What the unit is told: status accepted / rejected / duplicate, or refused (another unit's file)."""

    upload_id: str
    status: str
    unit_code: str | None
    file_sha256: str
    errors: list[dict] = field(default_factory=list)
    feedback_path: str | None = None
    kept: bool = False
    warehouse_status: str | None = None  # loaded, superseded, duplicate, rejected; None when not loaded yet
    report_year: int | None = None
    report_type: str | None = None

    def as_api(self) -> dict:
        return {
            "status": self.status,
            "unit_code": self.unit_code,
            "file_sha256": self.file_sha256,
            "errors": [
                {key: error.get(key) for key in ("code", "sheet", "cell", "message_vi")} for error in self.errors
            ],
        }


class WarehouseGate:
    """One DuckDB file cannot be open in one process for reading and for writing at once: every portal
    use of the warehouse (page reads, the loader, an in-process report) passes this gate."""

    def __init__(self) -> None:
        self._lock = threading.RLock()

    @contextlib.contextmanager
    def hold(self, timeout: float):
        if not self._lock.acquire(timeout=timeout):
            raise WarehouseBusyError("kho dữ liệu đang bận (đang nạp hoặc dựng số liệu); hãy thử lại sau ít phút")
        try:
            yield
        finally:
            self._lock.release()


@dataclass
class _Pending:
    upload_id: str
    inbox_file: InboxFile
    receipt: object  # ingest.load.Receipt
    result: Future = field(default_factory=Future)


class Loader:
    """The portal's one writer: a thread that commits queued uploads in batches through
    `ingest.load.load_batch` (so 50 units uploading at once make one or a few commits, not 50 waits on
    the lock). Results: the warehouse status of each file, or None when the warehouse stayed busy."""

    def __init__(self, warehouse: Path, reference_dir: Path, gate: WarehouseGate, store: Store):
        self.warehouse, self.reference_dir, self.gate, self.store = warehouse, reference_dir, gate, store
        self._queue: queue.Queue[_Pending] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def submit(self, pending: _Pending) -> Future:
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="bdg-portal-loader", daemon=True)
                self._thread.start()
        self._queue.put(pending)
        return pending.result

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while True:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                statuses = self._load(batch)
            except WarehouseBusyError:  # the nightly holds the warehouse: the files wait for it
                _log.warning("warehouse busy: %d upload(s) left for the next nightly", len(batch))
                statuses = {}
            except Exception:  # failing warehouse: the files wait for the nightly, which reports it
                _log.exception("loading %d upload(s) failed: left for the next nightly", len(batch))
                statuses = {}
            now = dt.datetime.now(dt.UTC)
            for pending in batch:
                status = statuses.get(pending.upload_id)
                if status is not None:
                    self.store.set_warehouse_status(pending.upload_id, status, now)
                pending.result.set_result(status)

    def _load(self, batch: list[_Pending]) -> dict[str, str]:
        from ingest.load import connect, final_statuses, load_batch
        from ingest.receive import receive_file, registry_of
        from ingest.reference import load_reference
        from ingest.triage import Triage

        with self.gate.hold(timeout=120), contextlib.closing(connect(self.warehouse)) as con:
            triage = Triage(con)
            by_path = {str(pending.inbox_file.path): pending for pending in batch}
            receipts, keys = [], {}
            for arrival in triage.arrivals([pending.inbox_file for pending in batch]):
                pending = by_path[str(arrival.path)]
                # A duplicate's receipt is the engine's stub (not read); any other is the judged one.
                receipt = receive_file(arrival, registry_of(self.reference_dir)) if arrival.duplicate else None
                receipts.append(receipt or pending.receipt)
            triage.remember(con)
            load_reference(con, self.reference_dir)
            load_batch(con, receipts)
            for pending in batch:  # also the files a nightly recorded first (skipped as known)
                sha = pending.receipt.parsed.file_sha256
                keys[pending.upload_id] = (warehouse_name(pending.inbox_file.path.name, sha), sha)
            final = final_statuses(con, list(keys.values()))
        return {upload_id: final[key] for upload_id, key in keys.items() if key in final}


class UploadDesk:
    """Receives uploads for the portal (pages and API alike)."""

    def __init__(self, warehouse: Path, inbox: Path, reference_dir: Path, out_dir: Path, store: Store, gate):
        self.warehouse, self.inbox, self.reference_dir = Path(warehouse), Path(inbox), Path(reference_dir)
        self.feedback_dir = Path(out_dir) / "feedback"
        self.store, self.gate = store, gate
        self.loader = Loader(self.warehouse, self.reference_dir, gate, store)

    def receive(self, account: Account, source: BinaryIO, original_name: str, client: str | None = None) -> Verdict:
        """Judge one uploaded file for `account` (a unit account). Raises UploadTooLarge (nothing kept)."""
        from ingest.receive import receive_file, registry_of
        from ingest.triage import Arrival

        received_at = dt.datetime.now(LOCAL_TZ)
        suffix = Path(original_name or "").suffix.lower()
        stored_name = server_name(received_at, suffix)
        upload_id = secrets.token_urlsafe(12)
        staged = self.inbox / STAGING_DIR / stored_name
        sha, size = _stream_to(source, staged)
        os.utime(staged, (received_at.timestamp(), received_at.timestamp()))
        shown_name = redact_file_name(Path(original_name or "tep").name[:200], sha)
        duplicate_known = self.store.stored_sha(sha)
        receipt = receive_file(Arrival(staged, received_at, sha), registry_of(self.reference_dir), self.feedback_dir)
        parsed = receipt.parsed
        unit_code = parsed.meta.get("unit_code")
        errors = [dict(error.__dict__) for error in parsed.errors]
        verdict = Verdict(
            upload_id, "rejected" if errors else "accepted", unit_code, sha, errors, receipt.feedback,
            report_year=parsed.meta.get("report_year"), report_type=parsed.meta.get("report_type"),
        )  # fmt: skip
        audit = {"upload_id": upload_id, "file": shown_name, "sha256": sha, "bytes": size}
        if unit_code is not None and unit_code != account.unit_code:
            _remove(staged, receipt.feedback)
            self.store.audit(
                account.login, "upload_refused_other_unit", False, client, audit | {"named_unit": unit_code}
            )
            verdict.status, verdict.errors, verdict.feedback_path = "refused", [], None
            return verdict
        if unit_code is None:  # nothing in it names a unit: rejected, with its errors, and not kept
            staged.unlink(missing_ok=True)
        else:
            final = self.inbox / PORTAL_DIR / unit_code / stored_name
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, final)
            _list_received(self.inbox, final, received_at)
            verdict.kept = True
        self.store.record_upload(
            {
                "upload_id": upload_id, "login": account.login, "unit_code": account.unit_code,
                "original_name": shown_name, "stored_name": stored_name if verdict.kept else None,
                "stored_path": str(final) if verdict.kept else None, "file_sha256": sha, "size_bytes": size,
                "received_at": received_at.isoformat(), "verdict": verdict.status,
                "report_year": verdict.report_year, "report_type": verdict.report_type,
                "errors_json": _json(errors), "feedback_path": receipt.feedback,
            }
        )  # fmt: skip
        if verdict.kept:
            stat = final.stat()
            pending = _Pending(upload_id, InboxFile(final, received_at, stat.st_size, stat.st_mtime_ns), receipt)
            try:
                verdict.warehouse_status = self.loader.submit(pending).result(timeout=LOAD_WAIT_SECONDS)
            except TimeoutError:
                verdict.warehouse_status = None
            if verdict.warehouse_status == "duplicate" or (verdict.warehouse_status is None and duplicate_known):
                verdict.status = "duplicate"
                self.store.set_verdict(upload_id, "duplicate")
        outcome = {"verdict": verdict.status, "warehouse_status": verdict.warehouse_status,
                   "error_codes": sorted({error["code"] for error in errors})}  # fmt: skip
        self.store.audit(account.login, "upload", True, client, audit | outcome)
        return verdict


def server_name(received_at: dt.datetime, suffix: str) -> str:
    """`portal_<date>t<time><12 random letters>.xlsx`: unique, and nothing in it the ingest's personal-data
    rule could read as an ID or a phone number (a long run of digits would be: the warehouse would then
    record the file under a redacted name)."""
    letters = "".join(secrets.choice(string.ascii_lowercase) for _ in range(12))
    return f"portal_{received_at:%Y%m%d}t{received_at:%H%M%S}{letters}{suffix if suffix in SUFFIXES else '.xlsx'}"


def _stream_to(source: BinaryIO, target: Path) -> tuple[str, int]:
    """Copy `source` to `target` in chunks, hashing; stops at MAX_UPLOAD_BYTES (UploadTooLarge, nothing kept)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    try:
        with open(target, "xb") as handle:
            while chunk := source.read(_CHUNK):
                size += len(chunk)
                if size > MAX_UPLOAD_BYTES:
                    raise UploadTooLarge(f"tệp lớn hơn {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
                digest.update(chunk)
                handle.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size


def _remove(*paths) -> None:
    for path in paths:
        if path:
            Path(path).unlink(missing_ok=True)


def _list_received(inbox: Path, path: Path, received_at: dt.datetime) -> None:
    """Append the file (its path relative to the inbox) and its received time to `_received.csv`,
    under an exclusive lock, so concurrent uploads never interleave their lines."""
    listing = inbox / RECEIVED_LIST
    line = f"{path.relative_to(inbox).as_posix()},{received_at.isoformat()}\n".encode()
    with open(listing, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            handle.seek(0, os.SEEK_END)
            end = handle.tell()
            if end == 0:
                line = b"file,received_at\n" + line
            else:
                handle.seek(end - 1)
                if handle.read(1) != b"\n":
                    line = b"\n" + line
            handle.write(line)
            handle.flush()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, default=str)


def receive_upload(request, account: Account, upload) -> Verdict:
    """The desk's verdict on a file uploaded through the page or the API (one path for both): the
    request's app holds the desk; a file over the cap is HTTP 413."""
    from fastapi import HTTPException

    from portal.security import client_of

    try:
        return request.app.state.desk.receive(account, upload.file, upload.filename or "", client_of(request))
    except UploadTooLarge as error:
        raise HTTPException(413, f"Tệp quá lớn: {error}.") from None
