"""The one writer: puts parsed files into the `raw` schema, each file whole or not at all.

Files are committed in batches: every file lies entirely inside one transaction (its submission row, its
errors or typed rows, and the supersede bookkeeping of its unit's period), so a process killed midway
leaves no partial file, and a re-run loads exactly what was not committed. A DuckDB commit costs about a
millisecond even when empty, so one commit per file would dominate a national load (see `make bench`).
If a batch fails, its files are retried one transaction each, so one bad file cannot sink the others.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from ingest.errors import IngestError
from ingest.parse import ParsedWorkbook
from ingest.schema import RAW_DDL

_SUBMISSION_COLUMNS = (
    "file_sha256", "file_name", "received_at", "unit_code", "unit_name", "report_type", "report_year",
    "report_date", "form_version", "prepared_by", "status", "error_count", "loaded_at",
)  # fmt: skip


@dataclass(frozen=True)
class Receipt:
    """One received file to record: its parse (or a bare stub for a duplicate) and when it arrived."""

    parsed: ParsedWorkbook
    received_at: dt.datetime
    duplicate_of_known: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.parsed.file_name, self.parsed.file_sha256)


def connect(warehouse) -> duckdb.DuckDBPyConnection:
    """Open the warehouse and make sure the raw schema exists."""
    con = duckdb.connect(str(warehouse))
    con.execute(RAW_DDL)
    return con


def known_files(con: duckdb.DuckDBPyConnection) -> tuple[set[tuple[str, str]], set[str]]:
    """(sha, file name) pairs already recorded, and the set of content hashes already recorded."""
    pairs = set(con.execute("select file_sha256, file_name from raw.submissions").fetchall())
    return pairs, {sha for sha, _ in pairs}


def load_submission(
    con: duckdb.DuckDBPyConnection,
    parsed: ParsedWorkbook,
    received_at: dt.datetime,
    *,
    duplicate_of_known: bool = False,
) -> str:
    """Record one file in its own transaction; returns its status (loaded, superseded, rejected, duplicate)."""
    receipt = Receipt(parsed, received_at, duplicate_of_known)
    return load_batch(con, [receipt])[receipt.key]


def load_batch(con: duckdb.DuckDBPyConnection, receipts: list[Receipt]) -> dict[tuple[str, str], str]:
    """Record files in one transaction; on failure, retry each in its own. Returns final status per file."""
    if not receipts:
        return {}
    try:
        _write(con, receipts)
    except duckdb.Error:
        if len(receipts) == 1:
            _write(con, [_refused_by_database(receipts[0])])
        else:
            for receipt in receipts:
                load_batch(con, [receipt])
    keys = pa.table({"file_name": [r.key[0] for r in receipts], "file_sha256": [r.key[1] for r in receipts]})
    con.register("_keys", keys)
    try:
        found = con.execute(
            "select file_name, file_sha256, status from raw.submissions join _keys using (file_name, file_sha256)"
        ).fetchall()
    finally:
        con.unregister("_keys")
    return {(name, sha): status for name, sha, status in found}


def _status(receipt: Receipt) -> str:
    if receipt.duplicate_of_known:
        return "duplicate"
    return "rejected" if receipt.parsed.errors else "loaded"


def _write(con: duckdb.DuckDBPyConnection, receipts: list[Receipt]) -> None:
    now = dt.datetime.now(dt.UTC)
    submissions, errors = [], []
    rows: dict[str, tuple[list[str], list[dict]]] = {}  # table → (file hash per row, rows)
    for receipt in receipts:
        parsed, status = receipt.parsed, _status(receipt)
        meta = parsed.meta if status != "duplicate" else {}
        submissions.append(
            {
                **{column: meta.get(column) for column in _SUBMISSION_COLUMNS},
                "file_sha256": parsed.file_sha256,
                "file_name": parsed.file_name,
                "received_at": receipt.received_at,
                "status": status,
                "error_count": len(parsed.errors),
                "loaded_at": now,
            }
        )
        if status == "rejected":
            errors.extend(
                {"file_sha256": parsed.file_sha256, "file_name": parsed.file_name, **error.__dict__}
                for error in parsed.errors
            )
        elif status == "loaded":
            for table, table_rows in (*parsed.tables.items(), ("reported_totals", parsed.totals)):
                hashes, collected = rows.setdefault(table, ([], []))
                hashes.extend([parsed.file_sha256] * len(table_rows))
                collected.extend(table_rows)

    con.begin()
    try:
        _insert(con, "submissions", submissions)
        _insert(con, "ingest_errors", errors)
        for table, (hashes, table_rows) in rows.items():
            _insert(con, table, table_rows, file_sha256=hashes)
        _settle_current_submissions(con, submissions)
        con.commit()
    except BaseException:
        con.rollback()
        raise


_ARROW_TYPES = {
    "VARCHAR": pa.string(),
    "INTEGER": pa.int64(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "DATE": pa.date32(),
    "BOOLEAN": pa.bool_(),
    "TIMESTAMP WITH TIME ZONE": pa.timestamp("us", tz="UTC"),
}
_TABLE_COLUMNS: dict[str, list[tuple[str, pa.DataType]]] = {}


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, pa.DataType]]:
    """The raw table's columns with their Arrow types, read once from the catalog."""
    if table not in _TABLE_COLUMNS:
        found = con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw' and table_name = ? order by ordinal_position",
            [table],
        ).fetchall()
        _TABLE_COLUMNS[table] = [(name, _ARROW_TYPES[data_type]) for name, data_type in found]
    return _TABLE_COLUMNS[table]


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], file_sha256: list[str] | None = None) -> None:
    """Bulk insert: one Arrow column per table column (a column absent from the rows stays null)."""
    if not rows:
        return
    arrays, names = [], []
    for name, arrow_type in _columns(con, table):
        if name == "file_sha256" and file_sha256 is not None:
            values = file_sha256
        else:
            values = [row.get(name) for row in rows]
        arrays.append(pa.array(values, type=arrow_type))
        names.append(name)
    con.register("_incoming", pa.Table.from_arrays(arrays, names=names))
    try:
        con.execute(f"insert into raw.{table} by name select * from _incoming")
    finally:
        con.unregister("_incoming")


def _settle_current_submissions(con: duckdb.DuckDBPyConnection, submissions: list[dict]) -> None:
    """Of a unit's accepted files for a period, the last received is current; the others are superseded."""
    keys = {
        (row["unit_code"], row["report_year"], row["report_type"]) for row in submissions if row["status"] == "loaded"
    }
    if not keys:
        return
    touched = sorted(keys)
    con.register(
        "_touched",
        pa.table(
            {
                "unit_code": [key[0] for key in touched],
                "report_year": [key[1] for key in touched],
                "report_type": [key[2] for key in touched],
            }
        ),
    )
    try:
        con.execute(
            """
            update raw.submissions as s
            set status = ranked.new_status
            from (
                select
                    file_sha256,
                    file_name,
                    case when row_number() over (
                        partition by unit_code, report_year, report_type
                        order by received_at desc, loaded_at desc, file_name desc
                    ) = 1 then 'loaded' else 'superseded' end as new_status
                from raw.submissions
                where status in ('loaded', 'superseded')
                    and (unit_code, report_year, report_type) in (select * from _touched)
            ) as ranked
            where s.file_sha256 = ranked.file_sha256 and s.file_name = ranked.file_name
                and s.status <> ranked.new_status
            """
        )
    finally:
        con.unregister("_touched")


def _refused_by_database(receipt: Receipt) -> Receipt:
    """A file the database would not take (a value out of any sane range): record it as rejected."""
    parsed = ParsedWorkbook(path=receipt.parsed.path, file_sha256=receipt.parsed.file_sha256, meta=receipt.parsed.meta)
    parsed.errors.append(
        IngestError(
            "INVALID_VALUE",
            "Tệp có giá trị bất thường (số quá lớn hoặc sai kiểu) nên không nạp được. "
            "Đề nghị kiểm tra lại các ô số liệu rồi gửi lại.",
        )
    )
    return Receipt(parsed, receipt.received_at)
