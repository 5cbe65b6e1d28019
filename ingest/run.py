"""Ingest an inbox: discover → parse (in parallel processes) → validate → load (one writer).

Files already recorded (same name and bytes) are skipped before parsing, so re-running the same inbox
is cheap and changes nothing. Parsing runs ahead in worker processes while the single writer loads
finished files, one transaction per file.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ingest.feedback import write_feedback
from ingest.inbox import InboxFile, discover
from ingest.load import Receipt, connect, known_files, load_batch
from ingest.parse import ParsedWorkbook, file_sha256, parse_workbook
from ingest.reference import load_reference, read_calendar, read_units
from ingest.validate import Registry, validate_submission

PARALLEL_THRESHOLD = 16  # below this, starting processes costs more than it saves
BATCH_FILES = 256  # files per commit (each file lies wholly inside one transaction)


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


def parse_files(paths: list[Path], workers: int | None = None) -> Iterator[ParsedWorkbook]:
    """Parse workbooks in order, lazily; in parallel processes when there are enough of them."""
    workers = workers or os.cpu_count() or 1
    if len(paths) < PARALLEL_THRESHOLD or workers == 1:
        yield from (parse_workbook(path) for path in paths)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(parse_workbook, paths, chunksize=16)


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
    """
    con = connect(warehouse)
    try:
        load_reference(con, reference_dir)
        registry = Registry.build(read_units(reference_dir), read_calendar(reference_dir))
        incoming = discover(inbox)
        summary = IngestSummary(files_seen=len(incoming))
        known_pairs, known_hashes = known_files(con)

        # (file, hash, parse it?) — the same bytes are parsed once; later copies are duplicates.
        plan: list[tuple[InboxFile, str, bool]] = []
        first_seen: set[str] = set()
        for item in incoming:
            sha = file_sha256(item.path)
            if (sha, item.path.name) in known_pairs:
                summary.skipped_known += 1
            elif sha in known_hashes or sha in first_seen:
                plan.append((item, sha, False))
            else:
                first_seen.add(sha)
                plan.append((item, sha, True))

        parsed_files = parse_files([item.path for item, _, parse in plan if parse], workers)
        batch: list[tuple[Receipt, InboxFile]] = []

        def flush() -> None:
            statuses = load_batch(con, [receipt for receipt, _ in batch])
            for receipt, item in batch:
                outcome = _outcome(receipt, statuses[receipt.key], feedback_dir, item)
                summary.outcomes.append(outcome)
                if on_file is not None:
                    on_file(outcome)
            batch.clear()

        for item, sha, parse in plan:
            if parse:
                parsed = next(parsed_files)
                if not parsed.errors:
                    validate_submission(parsed, registry)
                batch.append((Receipt(parsed, item.received_at), item))
            else:
                stub = ParsedWorkbook(path=item.path, file_sha256=sha)
                batch.append((Receipt(stub, item.received_at, duplicate_of_known=True), item))
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
