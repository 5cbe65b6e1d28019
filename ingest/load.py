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
    return commit_tables(con, assemble(receipts))


def commit_tables(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table]) -> dict[tuple[str, str], str]:
    """Commit assembled (or staged) files in one transaction; files already recorded are skipped, so a
    retried load changes nothing. If the database refuses the batch, each file is retried alone and a
    file it still refuses is recorded as rejected. Returns the final status per (file name, hash)."""
    submissions = tables.get("submissions")
    if submissions is None or submissions.num_rows == 0:
        return {}
    try:
        _commit(con, tables)
    except duckdb.Error:
        per_file = split_by_file(tables)
        if len(per_file) == 1:
            _commit(con, _refused_by_database(tables))
        else:
            for single in per_file:
                commit_tables(con, single)
    keys = submissions.select(["file_name", "file_sha256"])
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


def assemble(receipts: list[Receipt], loaded_at: dt.datetime | None = None) -> dict[str, pa.Table]:
    """Pure: the rows these files add to each raw table, as Arrow tables typed like the raw schema."""
    loaded_at = loaded_at or dt.datetime.now(dt.UTC)
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
                "loaded_at": loaded_at,
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
    tables = {"submissions": _arrow("submissions", submissions), "ingest_errors": _arrow("ingest_errors", errors)}
    for table, (hashes, table_rows) in rows.items():
        tables[table] = _arrow(table, table_rows, file_sha256=hashes)
    return tables


def split_by_file(tables: dict[str, pa.Table]) -> list[dict[str, pa.Table]]:
    """One table set per received file (data rows follow their file's hash)."""
    import pyarrow.compute as pc

    submissions = tables["submissions"]
    result = []
    for name, sha in zip(submissions["file_name"].to_pylist(), submissions["file_sha256"].to_pylist(), strict=True):
        single = {"submissions": submissions.filter(pc.and_(pc.equal(submissions["file_name"], name),
                                                            pc.equal(submissions["file_sha256"], sha)))}  # fmt: skip
        for table, rows in tables.items():
            if table != "submissions":
                keep = pc.equal(rows["file_sha256"], sha)
                if table == "ingest_errors":
                    keep = pc.and_(keep, pc.equal(rows["file_name"], name))
                single[table] = rows.filter(keep)
        result.append(single)
    return result


def _commit(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table]) -> None:
    """One transaction. Files already recorded (a retried load) are skipped; data rows go in only for
    the files this commit records as loaded."""
    con.begin()
    try:
        fresh = _unrecorded(con, tables["submissions"])
        fresh_loaded = {sha for (_, sha), status in fresh.items() if status == "loaded"}
        for table, rows in tables.items():
            if table in ("submissions", "ingest_errors"):
                names, hashes = rows["file_name"].to_pylist(), rows["file_sha256"].to_pylist()
                keep = [key in fresh for key in zip(names, hashes, strict=True)]
            else:
                keep = [sha in fresh_loaded for sha in rows["file_sha256"].to_pylist()]
            if any(keep):
                _insert(con, table, rows if all(keep) else rows.filter(pa.array(keep)))
        _settle_current_submissions(con, fresh)
        con.commit()
    except BaseException:
        con.rollback()
        raise


def _unrecorded(con: duckdb.DuckDBPyConnection, submissions: pa.Table) -> dict[tuple[str, str], str]:
    """Incoming files not yet in raw.submissions, with their incoming status."""
    con.register("_incoming_submissions", submissions)
    try:
        rows = con.execute(
            """
            select incoming.file_name, incoming.file_sha256, incoming.status
            from _incoming_submissions as incoming
            anti join raw.submissions as known using (file_name, file_sha256)
            """
        ).fetchall()
    finally:
        con.unregister("_incoming_submissions")
    return {(name, sha): status for name, sha, status in rows}


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


def _columns(table: str) -> list[tuple[str, pa.DataType]]:
    """The raw table's columns with their Arrow types, read once from the DDL (in an in-memory DuckDB)."""
    if not _TABLE_COLUMNS:
        with duckdb.connect() as catalog:
            catalog.execute(RAW_DDL)
            for name, column, data_type in catalog.execute(
                "select table_name, column_name, data_type from information_schema.columns "
                "where table_schema = 'raw' order by table_name, ordinal_position"
            ).fetchall():
                _TABLE_COLUMNS.setdefault(name, []).append((column, _ARROW_TYPES[data_type]))
    return _TABLE_COLUMNS[table]


def _arrow(table: str, rows: list[dict], file_sha256: list[str] | None = None) -> pa.Table:
    """Rows → an Arrow table with every column of the raw table (absent values null)."""
    arrays, names = [], []
    for name, arrow_type in _columns(table):
        values = file_sha256 if name == "file_sha256" and file_sha256 is not None else [row.get(name) for row in rows]
        arrays.append(pa.array(values, type=arrow_type))
        names.append(name)
    return pa.Table.from_arrays(arrays, names=names)


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    con.register("_incoming", rows)
    try:
        con.execute(f"insert into raw.{table} by name select * from _incoming")
    finally:
        con.unregister("_incoming")


def _settle_current_submissions(con: duckdb.DuckDBPyConnection, fresh: dict[tuple[str, str], str]) -> None:
    """Of a unit's accepted files for a period, the last received is current; the others are superseded.

    Only the unit-periods of files loaded by this commit are re-ranked.
    """
    loaded = [key for key, status in fresh.items() if status == "loaded"]
    if not loaded:
        return
    con.register(
        "_loaded_now",
        pa.table({"file_name": [name for name, _ in loaded], "file_sha256": [sha for _, sha in loaded]}),
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
                    and (unit_code, report_year, report_type) in (
                        select unit_code, report_year, report_type
                        from raw.submissions join _loaded_now using (file_name, file_sha256)
                    )
            ) as ranked
            where s.file_sha256 = ranked.file_sha256 and s.file_name = ranked.file_name
                and s.status <> ranked.new_status
            """
        )
    finally:
        con.unregister("_loaded_now")


def _refused_by_database(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """A file the database would not take (a value out of any sane range): record it as rejected."""
    (submission,) = tables["submissions"].to_pylist()
    error = IngestError(
        "INVALID_VALUE",
        "Tệp có giá trị bất thường (số quá lớn hoặc sai kiểu) nên không nạp được. "
        "Đề nghị kiểm tra lại các ô số liệu rồi gửi lại.",
    )
    submission.update(status="rejected", error_count=1)
    keys = {"file_sha256": submission["file_sha256"], "file_name": submission["file_name"]}
    return {
        "submissions": _arrow("submissions", [submission]),
        "ingest_errors": _arrow("ingest_errors", [{**keys, **error.__dict__}]),
    }
