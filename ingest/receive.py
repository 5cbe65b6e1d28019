"""Receive one file: read its bytes (the guard looks first) → parse → validate against the unit
registry and calendar → a feedback workbook when it is rejected. Both ingest drivers call
`receive_file` for every arrival, in whatever process parses; only the loader touches the database.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from ingest.errors import IngestError
from ingest.feedback import write_feedback
from ingest.file_guard import MAX_FILE_BYTES, TOO_LARGE
from ingest.inbox import read_file
from ingest.load import Receipt
from ingest.parse import ParsedWorkbook, parse_bytes
from ingest.personal_data import find_personal_data
from ingest.reference import CALENDAR_FILE, UNITS_FILE, read_calendar, read_units
from ingest.triage import EMPTY_SHA, Arrival
from ingest.validate import Registry, validate_submission

log = logging.getLogger(__name__)

_REGISTRIES: dict[tuple, Registry] = {}
# The time one file may take to parse (a hostile workbook must not hold a worker for minutes);
# beyond it the file alone is refused. BDG_FILE_SECONDS overrides.
FILE_SECONDS = 60.0
FAILED_VI = (
    "Lỗi hệ thống khi đọc tệp (không phải lỗi của đơn vị); tệp sẽ được đọc lại ở lần nạp sau. "
    "Kỹ sư xem chi tiết trong nhật ký."
)
# What a file refused for personal data keeps: typed identity fields, never free text
_IDENTITY_KEPT = ("unit_code", "report_type", "report_year", "report_date", "form_version")


def registry_of(reference_dir: Path) -> Registry:
    """The units and reporting periods a file may name, from the reference directory; built once per
    process for as long as the two files keep their size and modification time."""
    stamps = []
    for name in (UNITS_FILE, CALENDAR_FILE):
        stat = (Path(reference_dir) / name).stat()
        stamps.append((stat.st_size, stat.st_mtime_ns))
    key = (str(reference_dir), *stamps)
    if key not in _REGISTRIES:
        _REGISTRIES.clear()
        _REGISTRIES[key] = Registry.build(read_units(reference_dir), read_calendar(reference_dir))
    return _REGISTRIES[key]


def receive_file(arrival: Arrival, registry: Registry, feedback_dir: Path | None = None) -> Receipt:
    """The receipt of one arrival: its parse with every error, ready to load; validated against
    `registry` (`registry_of(reference_dir)`).

    A duplicate is not read (its receipt is a stub under its hash). A rejected file gets its feedback
    workbook in `feedback_dir` when given (the receipt says where). Never raises for bad input: a file
    that is gone or unreadable is a receipt with one UNREADABLE error, a file that takes longer than
    `FILE_SECONDS` to parse is refused alone, and an unexpected exception is this file's failure (a
    receipt marked `failed`, not recorded, so the next run reads it again; the traceback is logged).
    From a file refused for personal data nothing but its typed identity is kept.
    """
    if arrival.duplicate:
        stub = ParsedWorkbook(path=arrival.path, file_sha256=arrival.sha)
        return Receipt(stub, arrival.received_at, duplicate_of_known=True)
    try:
        parsed = _read(arrival, registry)
    except Exception:  # noqa: BLE001 — one file's failure, never the run's
        stub = ParsedWorkbook(path=arrival.path, file_sha256=arrival.sha)
        log.exception("ingest: unexpected error while reading %s (%s)", stub.file_name, arrival.sha)
        return Receipt(stub, arrival.received_at, failed=FAILED_VI)
    if any(error.code == "PII_FOUND" for error in parsed.errors):
        _keep_nothing_personal(parsed)
    feedback = None
    if parsed.errors and feedback_dir is not None:
        feedback = write_feedback(
            feedback_dir,
            file_name=parsed.file_name,
            file_sha256=parsed.file_sha256,
            received_at=arrival.received_at,
            unit_code=parsed.meta.get("unit_code"),
            unit_name=parsed.meta.get("unit_name"),
            errors=parsed.errors,
        )
    return Receipt(parsed, arrival.received_at, feedback=str(feedback) if feedback else None)


def _read(arrival: Arrival, registry: Registry) -> ParsedWorkbook:
    """Read, parse and validate one arrival within the time budget."""
    try:
        data = read_file(arrival.path, MAX_FILE_BYTES)  # a file larger than any report is not even read
    except OSError:
        parsed = ParsedWorkbook(path=arrival.path, file_sha256=EMPTY_SHA)
        parsed.errors.append(IngestError("UNREADABLE", "Không đọc được tệp trong hộp thư đến. Đề nghị gửi lại tệp."))
        return parsed
    if data is None:
        parsed = ParsedWorkbook(path=arrival.path, file_sha256=arrival.sha)
        parsed.errors.append(IngestError("UNREADABLE", TOO_LARGE))
        return parsed
    seconds = file_seconds()
    try:
        with time_budget(seconds):
            # The hash was taken when the file was judged new (`ingest.triage`); it names these bytes.
            parsed = parse_bytes(arrival.path, data, arrival.sha)
            if not parsed.errors:
                validate_submission(parsed, registry)
    except FileTimeout:
        parsed = ParsedWorkbook(path=arrival.path, file_sha256=arrival.sha)
        parsed.errors.append(
            IngestError(
                "UNREADABLE",
                f"Tệp quá phức tạp: không đọc xong trong {seconds:.0f} giây. Đề nghị dùng đúng biểu mẫu BDG-1, "
                "xóa các ô, định dạng và nội dung thừa rồi gửi lại.",
            )
        )
    return parsed


def _keep_nothing_personal(parsed: ParsedWorkbook) -> None:
    """A file refused for personal data: keep its typed identity only (a unit code that itself holds
    personal data goes too), and no error message that would echo any of its text."""
    meta = {name: parsed.meta[name] for name in _IDENTITY_KEPT if name in parsed.meta}
    if isinstance(meta.get("unit_code"), str) and find_personal_data(meta["unit_code"], "any"):
        meta.pop("unit_code")
    parsed.meta = meta
    parsed.tables, parsed.totals = {}, []
    parsed.errors = [
        error if find_personal_data(error.message_vi, "victim") is None else replace(error, message_vi=_SCRUBBED)
        for error in parsed.errors
    ]


_SCRUBBED = "Ô có lỗi; nội dung không được nhắc lại vì tệp có thông tin cá nhân. Đề nghị kiểm tra và sửa ô này."


class FileTimeout(Exception):
    """One file took longer than its time budget."""


def file_seconds() -> float:
    """$BDG_FILE_SECONDS, else FILE_SECONDS."""
    try:
        return max(1.0, float(os.environ.get("BDG_FILE_SECONDS", FILE_SECONDS)))
    except ValueError:
        return FILE_SECONDS


@contextlib.contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise FileTimeout in the block after `seconds` (SIGALRM; the main thread of a process only —
    elsewhere, e.g. a web server's worker thread, the block runs unbounded). An outer alarm (Airflow's
    execution_timeout uses SIGALRM too) that is due sooner is left alone; a later one is restored with
    its remaining time."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    outer_delay, outer_interval = signal.getitimer(signal.ITIMER_REAL)
    if outer_delay and outer_delay <= seconds:
        yield
        return

    def expire(signum, frame):
        raise FileTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    started = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_delay:
            remaining = max(outer_delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, remaining, outer_interval)
