"""Ingest an inbox: discover → parse (in parallel processes) → validate → load (one writer).

Files already recorded (same name and bytes) are skipped before parsing, so re-running the same inbox
is cheap and changes nothing.
"""

from __future__ import annotations

import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ingest.inbox import InboxFile, discover
from ingest.load import connect, known_files, load_submission
from ingest.parse import ParsedWorkbook, file_sha256, parse_workbook
from ingest.reference import load_reference, read_calendar, read_units
from ingest.validate import Registry, validate_submission

PARALLEL_THRESHOLD = 16  # below this, starting processes costs more than it saves


@dataclass
class FileOutcome:
    file_name: str
    file_sha256: str
    status: str
    unit_code: str | None
    errors: list[dict] = field(default_factory=list)


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


def parse_files(paths: list[Path], workers: int | None = None) -> list[ParsedWorkbook]:
    """Parse workbooks, in parallel processes when there are enough of them."""
    workers = workers or os.cpu_count() or 1
    if len(paths) < PARALLEL_THRESHOLD or workers == 1:
        return [parse_workbook(path) for path in paths]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(parse_workbook, paths, chunksize=8))


def _refresh_statuses(con, summary: IngestSummary) -> None:
    """A file loaded early in the batch may have been superseded by a later one: report final statuses."""
    final = dict(con.execute("select file_name || '\x00' || file_sha256, status from raw.submissions").fetchall())
    for outcome in summary.outcomes:
        outcome.status = final.get(f"{outcome.file_name}\x00{outcome.file_sha256}", outcome.status)


def ingest_inbox(warehouse: Path, inbox: Path, reference_dir: Path, *, workers: int | None = None) -> IngestSummary:
    """Load every new file of `inbox` into the warehouse's raw schema; returns what happened per file.

    Rejected files are recorded with their errors (raw.ingest_errors), never raised. Raises only when
    the system fails (reference data unreadable, database error).
    """
    con = connect(warehouse)
    try:
        load_reference(con, reference_dir)
        registry = Registry.build(read_units(reference_dir), read_calendar(reference_dir))
        incoming = discover(inbox)
        summary = IngestSummary(files_seen=len(incoming))
        known_pairs, known_hashes = known_files(con)

        fresh: list[tuple[InboxFile, str]] = []
        for item in incoming:
            sha = file_sha256(item.path)
            if (sha, item.path.name) in known_pairs:
                summary.skipped_known += 1
            else:
                fresh.append((item, sha))

        to_parse = [item.path for item, sha in fresh if sha not in known_hashes]
        parsed_by_path = dict(zip(to_parse, parse_files(to_parse, workers), strict=True))
        seen_hashes = set(known_hashes)
        for item, sha in fresh:
            if sha in seen_hashes:
                stub = ParsedWorkbook(path=item.path, file_sha256=sha)
                status = load_submission(con, stub, item.received_at, duplicate_of_known=True)
                summary.outcomes.append(FileOutcome(item.path.name, sha, status, None))
                continue
            parsed = parsed_by_path[item.path]
            if not parsed.errors:
                validate_submission(parsed, registry)
            status = load_submission(con, parsed, item.received_at)
            seen_hashes.add(sha)
            summary.outcomes.append(
                FileOutcome(
                    item.path.name,
                    sha,
                    status,
                    parsed.meta.get("unit_code"),
                    [error.__dict__ for error in parsed.errors],
                )
            )
        _refresh_statuses(con, summary)
        return summary
    finally:
        con.close()
