"""The scheduler's ingest driver (Airflow): plan batches → receive each batch to Parquet (mapped tasks,
in parallel, on any worker) → one loader commits them. One call per task:

- `plan_batches` judges the inbox with `ingest.triage` (the same rule and hash cache as `bdg ingest`)
  and returns JSON-serialisable batches, each with a stable `id`;
- `parse_batch` receives each file with `ingest.receive.receive_file` and writes the batch's raw rows
  as Parquet into `staging_dir/<id>/`, touching no database;
- `load_planned` commits every planned batch, and fails loudly (`MissingBatchError`) before loading
  anything when a planned batch's folder is absent, rather than loading what it happens to find.

The Parquet folder can be a shared path (or object storage mounted as one), so parsing scales out
over workers while DuckDB keeps its single writer.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import duckdb

from ingest.inbox import discover
from ingest.load import assemble, commit_tables, connect, final_statuses
from ingest.receive import receive_file, registry_of
from ingest.reference import load_reference
from ingest.schema import RAW_DDL
from ingest.triage import Arrival, Triage

log = logging.getLogger(__name__)


class MissingBatchError(RuntimeError):
    """A planned batch has no staged folder: its parse task did not run, failed, or wrote elsewhere."""


def plan_batches(warehouse: Path, inbox: Path, batch_files: int = 256) -> list[dict]:
    """The inbox's new files in batches: `{"id": <16 hex digits>, "files": [<arrival>, …]}`, JSON-ready.

    Files already recorded (same name and bytes) are left out; the same bytes under another name are
    marked duplicate and not parsed. The hashes computed are recorded (`raw.inbox_files`) right away,
    so the next plan reads only files whose size or modification time changed. The id is derived from
    the batch's content, so planning the same inbox again gives the same ids.
    """
    con = connect(warehouse)
    try:
        triage = Triage(con)
        entries = [arrival.as_json() for arrival in triage.arrivals(discover(inbox))]
        triage.remember(con)
    finally:
        con.close()
    batches = []
    for start in range(0, len(entries), batch_files):
        files = entries[start : start + batch_files]
        batch_id = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
        batches.append({"id": batch_id, "files": files})
    return batches


def parse_batch(batch: dict, reference_dir: Path, staging_dir: Path, feedback_dir: Path | None = None) -> str:
    """Receive every file of one planned batch; write its raw rows as Parquet into
    `staging_dir/<batch id>/` and return that folder.

    Touches no database (the reference directory is read for validation). Rejected files get their
    feedback workbook in `feedback_dir`, when given. The folder appears whole or not at all (written
    beside it, then renamed), so a task killed midway leaves nothing the loader could mistake for a batch.
    """
    registry = registry_of(reference_dir)
    receipts = [receive_file(Arrival.from_json(entry), registry, feedback_dir) for entry in batch["files"]]
    staging_dir = Path(staging_dir)
    folder = staging_dir / batch["id"]
    # Written under `.partial/` (holding no Parquet itself), so a folder listing of `staging_dir` never
    # shows a half-written batch; renamed into place when complete.
    partial = staging_dir / ".partial"
    partial.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{batch['id']}.", dir=partial))
    try:
        with duckdb.connect() as local:  # typed exactly like the warehouse's raw tables
            local.execute(RAW_DDL)
            try:
                tables = _stage(local, receipts)
            except duckdb.Error:  # one file's value the database refuses: stage the others, file by file
                tables = set(assemble([]))
                for receipt in receipts:
                    try:
                        tables |= _stage(local, [receipt])
                    except duckdb.Error as error:  # not staged: the next run reads it again
                        log.error("staging: the database refused %s: %s", receipt.parsed.file_name, error)
            for table in sorted(tables):
                target = str(work / f"{table}.parquet").replace("'", "''")
                local.execute(f"copy raw.{table} to '{target}' (format parquet)")
        shutil.rmtree(folder, ignore_errors=True)  # a retried task replaces its earlier output
        os.replace(work, folder)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return str(folder)


def _stage(local: duckdb.DuckDBPyConnection, receipts: list) -> set[str]:
    """Insert receipts' rows into the scratch database's raw tables, in one transaction; returns the
    tables written to."""
    tables = assemble(receipts)
    local.begin()
    try:
        for table, columns in tables.items():
            local.register("_rows", columns)
            try:
                local.execute(f"insert into raw.{table} by name select * from _rows")
            finally:
                local.unregister("_rows")
        local.commit()
    except BaseException:
        local.rollback()
        raise
    return set(tables)


def load_planned(warehouse: Path, staging_dir: Path, batches: list[dict], reference_dir: Path) -> dict[str, int]:
    """The single writer: reload the reference data (when it changed), commit every planned batch from
    `staging_dir/<id>/` (one transaction per batch, each file whole), then remove `staging_dir`.

    Raises `MissingBatchError`, naming the missing batch ids and the folder looked in, when any planned
    batch's folder is absent; nothing is loaded then. With no batches (a night with no new file) the
    reference data is still reloaded. Returns the number of files per final status.
    """
    staging_dir = Path(staging_dir)
    missing = [batch["id"] for batch in batches if not (staging_dir / batch["id"]).is_dir()]
    if missing:
        raise MissingBatchError(
            f"{len(missing)}/{len(batches)} lô đã lập kế hoạch không có dữ liệu trung gian trong {staging_dir}: "
            f"{', '.join(missing)}. Chưa nạp lô nào; chạy lại các tác vụ đọc tệp (parse) của các lô này."
        )
    counts = _load_folders(warehouse, [staging_dir / batch["id"] for batch in batches], reference_dir)
    shutil.rmtree(staging_dir, ignore_errors=True)
    return counts


def _load_folders(warehouse: Path, folders: list[Path], reference_dir: Path) -> dict[str, int]:
    """Reload the reference data, commit each folder's Parquet; idempotent (a batch already committed,
    as by a retried task, changes nothing). Returns files per final status."""
    con = connect(warehouse)
    try:
        load_reference(con, reference_dir)
        keys = []
        for folder in folders:
            tables = {path.stem: path for path in sorted(folder.glob("*.parquet"))}
            keys.extend(commit_tables(con, tables))
        return dict(Counter(final_statuses(con, keys).values()))
    finally:
        con.close()
