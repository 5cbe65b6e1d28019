"""Ingest an inbox: discover → parse (in parallel processes) → validate → load (one writer).

Files already recorded (same name and bytes) are skipped before parsing, so re-running the same inbox
is cheap and changes nothing. Parsing starts in worker processes before anything else (the reference
data loads meanwhile) and runs ahead while the single writer commits finished files in batches, each
file wholly inside one transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import IngestError
from ingest.feedback import write_feedback
from ingest.inbox import InboxFile, discover
from ingest.load import Receipt, connect, known_files, load_batch
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


_RECORDED: frozenset[tuple[str, str]] = frozenset()  # (hash, file name) already in the warehouse


def _remember_recorded(recorded: frozenset[tuple[str, str]]) -> None:
    global _RECORDED
    _RECORDED = recorded


def examine(path: Path) -> ParsedWorkbook | str:
    """A file's parse, or only its hash when the same name and bytes are recorded already (a re-run)."""
    try:
        data = path.read_bytes()
    except OSError:  # gone or unreadable since it was listed: reported for this file, the run goes on
        parsed = ParsedWorkbook(path=path, file_sha256=hashlib.sha256(b"").hexdigest())
        parsed.errors.append(IngestError("UNREADABLE", "Không đọc được tệp trong hộp thư đến. Đề nghị gửi lại tệp."))
        return parsed
    sha = hashlib.sha256(data).hexdigest()
    if (sha, path.name) in _RECORDED:
        return sha
    return parse_bytes(path, data, sha)


@contextlib.contextmanager
def examining(
    paths: list[Path], recorded: frozenset[tuple[str, str]], workers: int | None = None
) -> Iterator[Iterator[ParsedWorkbook | str]]:
    """Start examining `paths` now, in parallel processes when there are enough of them; yields the
    results in order as they finish, while the caller works meanwhile."""
    workers = workers or int(os.environ.get("XW", "0")) or os.cpu_count() or 1
    if len(paths) < PARALLEL_THRESHOLD or workers == 1:
        _remember_recorded(recorded)
        yield (examine(path) for path in paths)
        return
    with ProcessPoolExecutor(workers, initializer=_remember_recorded, initargs=(recorded,)) as pool:
        yield pool.map(examine, paths, chunksize=int(os.environ.get("XC", "16")))  # submits every file at once


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
        batch: list[tuple[Receipt, InboxFile]] = []

        def flush() -> None:
            statuses = load_batch(con, [receipt for receipt, _ in batch])
            for receipt, item in batch:
                outcome = _outcome(receipt, statuses[receipt.key], feedback_dir, item)
                summary.outcomes.append(outcome)
                if on_file is not None:
                    on_file(outcome)
            batch.clear()

        with examining([item.path for item in incoming], frozenset(recorded), workers) as results:
            load_reference(con, reference_dir)  # while the workers parse
            registry = None
            for item, result in zip(incoming, results, strict=True):
                if isinstance(result, str):
                    summary.skipped_known += 1
                    continue
                if result.file_sha256 in seen:
                    stub = ParsedWorkbook(path=item.path, file_sha256=result.file_sha256)
                    batch.append((Receipt(stub, item.received_at, duplicate_of_known=True), item))
                else:
                    seen.add(result.file_sha256)
                    if not result.errors:
                        registry = registry or Registry.build(read_units(reference_dir), read_calendar(reference_dir))
                        validate_submission(result, registry)
                    batch.append((Receipt(result, item.received_at), item))
                if len(batch) >= batch_files:
                    flush()
            flush()
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
