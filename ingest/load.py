"""The one writer: puts a parsed file into the `raw` schema, whole or not at all.

Each file is one transaction: its submission row, its errors or its typed rows, and the supersede
bookkeeping of the unit's period. A process killed midway leaves no partial file behind.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa

from ingest.parse import ParsedWorkbook
from ingest.schema import RAW_DDL


def connect(warehouse) -> duckdb.DuckDBPyConnection:
    """Open the warehouse and make sure the raw schema exists."""
    con = duckdb.connect(str(warehouse))
    con.execute(RAW_DDL)
    return con


def known_files(con: duckdb.DuckDBPyConnection) -> tuple[set[tuple[str, str]], set[str]]:
    """(sha, file name) pairs already recorded, and the set of content hashes already recorded."""
    pairs = set(con.execute("select file_sha256, file_name from raw.submissions").fetchall())
    return pairs, {sha for sha, _ in pairs}


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], sha: str) -> None:
    if not rows:
        return
    batch = pa.Table.from_pylist([{"file_sha256": sha, **row} for row in rows])  # noqa: F841 (read by DuckDB)
    con.execute(f"insert into raw.{table} by name select * from batch")


def load_submission(
    con: duckdb.DuckDBPyConnection,
    parsed: ParsedWorkbook,
    received_at: dt.datetime,
    *,
    duplicate_of_known: bool = False,
) -> str:
    """Record one received file; returns its status: loaded, superseded, rejected or duplicate.

    `duplicate_of_known`: the same bytes were already received under another name; only the receipt is
    recorded. Raises only on database failure (the transaction is rolled back first).
    """
    meta = parsed.meta if not duplicate_of_known else {}
    status = "duplicate" if duplicate_of_known else ("rejected" if parsed.errors else "loaded")
    now = dt.datetime.now(dt.UTC)
    con.begin()
    try:
        con.execute(
            """
            insert into raw.submissions (file_sha256, file_name, received_at, unit_code, unit_name, report_type,
                report_year, report_date, form_version, prepared_by, status, error_count, loaded_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                parsed.file_sha256,
                parsed.file_name,
                received_at,
                meta.get("unit_code"),
                meta.get("unit_name"),
                meta.get("report_type"),
                meta.get("report_year"),
                meta.get("report_date"),
                meta.get("form_version"),
                meta.get("prepared_by"),
                status,
                len(parsed.errors),
                now,
            ],
        )
        if status == "rejected":
            con.executemany(
                "insert into raw.ingest_errors values (?, ?, ?, ?, ?, ?)",
                [
                    [parsed.file_sha256, parsed.file_name, error.sheet, error.cell, error.code, error.message_vi]
                    for error in parsed.errors
                ],
            )
        elif status == "loaded":
            for table, rows in parsed.tables.items():
                _insert_rows(con, table, rows, parsed.file_sha256)
            _insert_rows(con, "reported_totals", parsed.totals, parsed.file_sha256)
            status = _settle_current_submission(con, parsed)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return status


def _settle_current_submission(con: duckdb.DuckDBPyConnection, parsed: ParsedWorkbook) -> str:
    """Of a unit's accepted files for a period, the last received is current; the others are superseded."""
    key = [parsed.meta["unit_code"], parsed.meta["report_year"], parsed.meta["report_type"]]
    con.execute(
        """
        update raw.submissions as s
        set status = case when s.file_sha256 = latest.file_sha256 and s.file_name = latest.file_name
                          then 'loaded' else 'superseded' end
        from (
            select file_sha256, file_name from raw.submissions
            where unit_code = ? and report_year = ? and report_type = ? and status in ('loaded', 'superseded')
            order by received_at desc, loaded_at desc, file_name desc
            limit 1
        ) as latest
        where s.unit_code = ? and s.report_year = ? and s.report_type = ? and s.status in ('loaded', 'superseded')
        """,
        key + key,
    )
    return con.execute(
        "select status from raw.submissions where file_sha256 = ? and file_name = ?",
        [parsed.file_sha256, parsed.file_name],
    ).fetchone()[0]
