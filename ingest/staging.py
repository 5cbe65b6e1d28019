"""Ingest split for a scheduler: plan batches → parse each batch to Parquet (in parallel, anywhere) →
one loader commits them. The Parquet folder can be a shared path (or, in a larger deployment, object
storage mounted as one), so parsing scales out over workers while DuckDB keeps its single writer.

The in-process `ingest.run.ingest_inbox` and this path assemble and commit rows with the same functions
(`ingest.load.assemble`, `ingest.load.commit_tables`), so they reach the same warehouse state.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import duckdb

from ingest.feedback import write_feedback
from ingest.inbox import discover
from ingest.load import Receipt, assemble, commit_tables, connect, known_files
from ingest.parse import ParsedWorkbook, file_sha256, parse_workbook
from ingest.reference import load_reference, read_calendar, read_units
from ingest.schema import RAW_DDL
from ingest.validate import Registry, validate_submission


def plan_batches(warehouse: Path, inbox: Path, batch_files: int = 256) -> list[list[dict]]:
    """The inbox's new files in batches of JSON-serialisable entries (path, received_at, sha, duplicate).

    Files already recorded (same name and bytes) are left out; the same bytes under another name are
    marked duplicate and not parsed.
    """
    known_pairs, known_hashes = set(), set()
    if Path(warehouse).exists():
        con = connect(warehouse)
        try:
            known_pairs, known_hashes = known_files(con)
        finally:
            con.close()
    entries, seen = [], set(known_hashes)
    for item in discover(inbox):
        sha = file_sha256(item.path)
        if (sha, item.path.name) in known_pairs:
            continue
        entries.append(
            {"path": str(item.path), "received_at": item.received_at.isoformat(), "sha": sha, "duplicate": sha in seen}
        )
        seen.add(sha)
    return [entries[start : start + batch_files] for start in range(0, len(entries), batch_files)]


def parse_batch(batch: list[dict], reference_dir: Path, staging_dir: Path, feedback_dir: Path | None = None) -> str:
    """Parse and validate one batch; write its raw rows as Parquet under `staging_dir/<batch id>/`.

    Pure with respect to the warehouse (reads only the reference directory). Returns the batch folder.
    Rejected files get their feedback workbook here, when `feedback_dir` is given.
    """
    registry = Registry.build(read_units(reference_dir), read_calendar(reference_dir))
    receipts = []
    for entry in batch:
        path, received_at = Path(entry["path"]), dt.datetime.fromisoformat(entry["received_at"])
        if entry["duplicate"]:
            receipts.append(Receipt(ParsedWorkbook(path=path, file_sha256=entry["sha"]), received_at, True))
            continue
        parsed = parse_workbook(path)
        if not parsed.errors:
            validate_submission(parsed, registry)
        if parsed.errors and feedback_dir is not None:
            write_feedback(
                feedback_dir,
                file_name=path.name,
                file_sha256=parsed.file_sha256,
                received_at=received_at,
                unit_code=parsed.meta.get("unit_code"),
                unit_name=parsed.meta.get("unit_name"),
                errors=parsed.errors,
            )
        receipts.append(Receipt(parsed, received_at))
    batch_id = hashlib.sha256(json.dumps(batch, sort_keys=True).encode()).hexdigest()[:16]
    folder = Path(staging_dir) / batch_id
    folder.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as local:  # typed exactly like the warehouse's raw tables
        local.execute(RAW_DDL)
        for table, columns in assemble(receipts).items():
            local.register("_rows", columns)
            local.execute(f"insert into raw.{table} by name select * from _rows")
            local.unregister("_rows")
            target = str(folder / f"{table}.parquet").replace("'", "''")
            local.execute(f"copy raw.{table} to '{target}' (format parquet)")
    return str(folder)


def load_staged(warehouse: Path, batch_folders: list[str], reference_dir: Path) -> dict[str, int]:
    """The single writer: commit each staged batch (one transaction per batch, each file whole).

    Idempotent: a batch already committed (a retried task) changes nothing. Returns counts by status.
    """
    con = connect(warehouse)
    try:
        load_reference(con, reference_dir)
        counts: dict[str, int] = {}
        for folder in batch_folders:
            tables = {path.stem: path for path in sorted(Path(folder).glob("*.parquet"))}
            for status in commit_tables(con, tables).values():
                counts[status] = counts.get(status, 0) + 1
        return counts
    finally:
        con.close()
