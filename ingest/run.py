"""Ingest an inbox: discover → parse (in parallel processes) → validate → load (one writer).

Files already recorded (same name and bytes) are not parsed, so re-running the same inbox is cheap and
changes nothing; a file whose size and modification time are as when it was last hashed is not even
read. Every other file goes to the parser processes at once (they hash what they read; the reference
data loads meanwhile), and parsing runs ahead while the single writer commits finished files in
batches, each file wholly inside one transaction.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import IngestError
from ingest.feedback import write_feedback
from ingest.inbox import InboxFile, discover
from ingest.load import Receipt, connect, known_files, known_hashes, load_batch, remember_hashes
from ingest.parse import ParsedWorkbook, parse_bytes
from ingest.reference import load_reference, read_calendar, read_units
from ingest.validate import Registry, validate_submission

PARALLEL_THRESHOLD = 16  # below this, starting processes costs more than it saves
BATCH_FILES = 1024  # files per commit (each file lies wholly inside one transaction): a commit costs
# ~50 ms whatever its size, so 256-file batches spent a third of a national load committing


@dataclass
class FileOutcome:
    file_name: str
    file_sha256: str
    status: str
    unit_code: str | None
    errors: list[dict] = field(default_factory=list)
    feedback: str | None = None


@dataclass
class IngestSummary:
    files_seen: int = 0
    skipped_known: int = 0
    outcomes: list[FileOutcome] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(outcome.status for outcome in self.outcomes))

    def as_dict(self) -> dict:
        return {
            "files_seen": self.files_seen,
            "skipped_known": self.skipped_known,
            "counts": self.counts,
            "files": [outcome.__dict__ for outcome in self.outcomes],
        }


CHUNK_FILES = 16  # files per task sent to a parser process


_RECORDED: frozenset[tuple[str, str]] = frozenset()  # (hash, file name) already in the warehouse


def _remember_recorded(recorded: frozenset[tuple[str, str]]) -> None:
    global _RECORDED
    _RECORDED = recorded


class Parser:
    """Parses submitted files in worker processes (a pool started by the first full chunk) or, for a
    small inbox, in this process; `result(ticket)` waits for one file's parse. Use as a context.

    A file submitted without its hash is hashed where it is read; when that name and hash are among
    `recorded`, its result is only the hash (nothing to parse)."""

    def __init__(self, files: int, recorded: frozenset[tuple[str, str]], workers: int | None = None):
        workers = workers or os.cpu_count() or 1
        self._parallel = files >= PARALLEL_THRESHOLD and workers > 1
        self._workers, self._pool, self._recorded = workers, None, recorded
        self._chunk: list[tuple[Path, str | None]] = []
        self._futures: list = []  # one per chunk sent
        self._serial: list[tuple[Path, str | None]] = []
        if not self._parallel:
            _remember_recorded(recorded)

    def __enter__(self) -> Parser:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=exc[0] is not None)

    def submit(self, path: Path, sha: str | None) -> tuple[int, int]:
        """Queue a file (with its SHA-256 when known); returns a ticket for `result`."""
        if not self._parallel:
            self._serial.append((path, sha))
            return (-1, len(self._serial) - 1)
        self._chunk.append((path, sha))
        ticket = (len(self._futures), len(self._chunk) - 1)
        if len(self._chunk) == CHUNK_FILES:
            self.flush()
        return ticket

    def flush(self) -> None:
        """Send the last, partial chunk."""
        if not self._chunk:
            return
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self._workers, initializer=_remember_recorded, initargs=(self._recorded,))
        self._futures.append(self._pool.submit(_parse_chunk, self._chunk))
        self._chunk = []

    def result(self, ticket: tuple[int, int]) -> ParsedWorkbook | str:
        """The file's parse, or its hash alone when it is recorded already."""
        chunk, position = ticket
        if chunk < 0:
            return _parse(*self._serial[position])
        return self._futures[chunk].result()[position]


def _parse_chunk(files: list[tuple[Path, str | None]]) -> list[ParsedWorkbook | str]:
    return [_parse(path, sha) for path, sha in files]


def _parse(path: Path, sha: str | None) -> ParsedWorkbook | str:
    try:
        data = path.read_bytes()
    except OSError:
        return _unreadable(path)
    if sha is None:
        sha = hashlib.sha256(data).hexdigest()
        if (sha, path.name) in _RECORDED:
            return sha
    return parse_bytes(path, data, sha)


_EMPTY_SHA = hashlib.sha256(b"").hexdigest()


def _unreadable(path: Path) -> ParsedWorkbook:
    """A listed file that is gone or cannot be read: reported for this file, the run goes on."""
    parsed = ParsedWorkbook(path=path, file_sha256=_EMPTY_SHA)
    parsed.errors.append(IngestError("UNREADABLE", "Không đọc được tệp trong hộp thư đến. Đề nghị gửi lại tệp."))
    return parsed


def ingest_inbox(
    warehouse: Path,
    inbox: Path,
    reference_dir: Path,
    *,
    feedback_dir: Path | None = None,
    workers: int | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    batch_files: int = BATCH_FILES,
) -> IngestSummary:
    """Load every new file of `inbox` into the warehouse's raw schema; returns what happened per file.

    Rejected files are recorded with their errors (raw.ingest_errors) and, when `feedback_dir` is given,
    get a feedback workbook there; they are never raised. `on_file` is called after each file is
    committed. Raises only when the system fails (reference data unreadable, database error).

    A file whose name and bytes are recorded already is skipped; the same bytes under another name
    (recorded, or earlier in this inbox) are recorded as a duplicate.
    """
    con = connect(warehouse)
    try:
        incoming = discover(inbox)
        summary = IngestSummary(files_seen=len(incoming))
        recorded, seen = known_files(con)
        hashed_before, hashed_now = known_hashes(con), []
        batch: list[tuple[Receipt, InboxFile]] = []

        def flush() -> None:
            statuses = load_batch(con, [receipt for receipt, _ in batch])
            for receipt, item in batch:
                outcome = _outcome(receipt, statuses[receipt.key], feedback_dir, item)
                summary.outcomes.append(outcome)
                if on_file is not None:
                    on_file(outcome)
            batch.clear()

        with Parser(len(incoming), frozenset(recorded), workers) as parser:
            # (file, its parse or ticket, a known duplicate?, hashed by the parsers?) — a file whose size and
            # time are as when it was last hashed is judged here; the parsers hash the others as they read them.
            plan: list[tuple[InboxFile, ParsedWorkbook | tuple[int, int], bool, bool]] = []
            for item in incoming:
                size, modified, sha = hashed_before.get(os.path.abspath(item.path), (None, None, None))
                if (size, modified) != (item.size, item.modified_ns):
                    plan.append((item, parser.submit(item.path, None), False, True))
                elif (sha, item.path.name) in recorded:
                    summary.skipped_known += 1
                elif sha in seen:
                    plan.append((item, ParsedWorkbook(path=item.path, file_sha256=sha), True, False))
                else:
                    plan.append((item, parser.submit(item.path, sha), False, False))
            parser.flush()
            load_reference(con, reference_dir)  # while the workers parse
            registry = None
            for item, planned, duplicate, hashed_there in plan:
                parsed = planned if isinstance(planned, ParsedWorkbook) else parser.result(planned)
                sha = parsed if isinstance(parsed, str) else parsed.file_sha256
                if hashed_there and sha != _EMPTY_SHA:
                    hashed_now.append((os.path.abspath(item.path), item.size, item.modified_ns, sha))
                if isinstance(parsed, str):  # recorded already under this name
                    summary.skipped_known += 1
                    continue
                # the same bytes recorded before or received earlier in this inbox (files are in received order)
                duplicate = duplicate or (sha in seen and sha != _EMPTY_SHA)
                if duplicate:
                    stub = ParsedWorkbook(path=item.path, file_sha256=parsed.file_sha256)
                    batch.append((Receipt(stub, item.received_at, duplicate_of_known=True), item))
                else:
                    seen.add(parsed.file_sha256)
                    if not parsed.errors:
                        registry = registry or Registry.build(read_units(reference_dir), read_calendar(reference_dir))
                        validate_submission(parsed, registry)
                    batch.append((Receipt(parsed, item.received_at), item))
                if len(batch) >= batch_files:
                    flush()
            flush()
        remember_hashes(con, hashed_now)
        _refresh_statuses(con, summary)
        return summary
    finally:
        con.close()


def _outcome(receipt: Receipt, status: str, feedback_dir: Path | None, item: InboxFile) -> FileOutcome:
    parsed = receipt.parsed
    outcome = FileOutcome(
        item.path.name,
        parsed.file_sha256,
        status,
        parsed.meta.get("unit_code") if not receipt.duplicate_of_known else None,
        [error.__dict__ for error in parsed.errors],
    )
    if status == "rejected" and feedback_dir is not None:
        outcome.feedback = str(
            write_feedback(
                feedback_dir,
                file_name=item.path.name,
                file_sha256=parsed.file_sha256,
                received_at=item.received_at,
                unit_code=parsed.meta.get("unit_code"),
                unit_name=parsed.meta.get("unit_name"),
                errors=parsed.errors,
            )
        )
    return outcome


def _refresh_statuses(con, summary: IngestSummary) -> None:
    """A file loaded early in the batch may have been superseded by a later one: report final statuses."""
    final = {
        (name, sha): status
        for name, sha, status in con.execute("select file_name, file_sha256, status from raw.submissions").fetchall()
    }
    for outcome in summary.outcomes:
        outcome.status = final.get((outcome.file_name, outcome.file_sha256), outcome.status)
