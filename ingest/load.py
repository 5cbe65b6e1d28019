"""The one writer: puts parsed files into the `raw` schema, each file whole or not at all.

Files are committed in batches: every file lies entirely inside one transaction (its submission row, its
errors or typed rows, and the supersede bookkeeping of its unit's period), so a process killed midway
leaves no partial file, and a re-run loads exactly what was not committed. A DuckDB commit costs about a
millisecond even when empty, so one commit per file would dominate a national load (see `make bench`).
If a batch fails, its files are retried one transaction each, from their own rows, so one bad file
cannot sink the others; a file the database still refuses is not recorded (the next run reads it again)
but noted in raw.ingest_failures.

Rows travel column-wise as NumPy object arrays and are handed to DuckDB as Arrow tables (`register`):
Arrow types each column once, in C, where DuckDB would analyse every value of every object column (a
third of a national load's commits). A column Arrow cannot type (mixed kinds of values) goes to DuckDB
as NumPy, as it always did. (Both import pandas: done only when there are rows to load, never on a
re-run that finds nothing new.) Staged batches (`ingest.staging`) arrive as Parquet files instead; both
are committed by `commit_tables`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import logging
import operator
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from ingest.parse import ParsedWorkbook
from ingest.schema import create_raw_schema, raw_table_columns
from ingest.warehouse import connect as warehouse_connect
from ingest.warehouse import retry_conflicts, writer_lock

if TYPE_CHECKING:
    import numpy as np

_SUBMISSION_COLUMNS = (
    "file_sha256", "file_name", "received_at", "unit_code", "unit_name", "report_type", "report_year",
    "report_date", "form_version", "prepared_by", "status", "error_count", "loaded_at",
)  # fmt: skip

log = logging.getLogger(__name__)

Columns = dict[str, "np.ndarray"]
"""One table's rows, column by column: the form DuckDB scans without copying through Python rows."""

Key = tuple[str, str]  # (file name, file hash): one received file


@dataclass(frozen=True)
class Receipt:
    """One received file to record: its parse (or a bare stub for a duplicate) and when it arrived."""

    parsed: ParsedWorkbook
    received_at: dt.datetime
    duplicate_of_known: bool = False
    feedback: str | None = None  # the feedback workbook written for a rejected file
    failed: str | None = None  # the system failed on this file: not recorded, read again next run

    @property
    def key(self) -> Key:
        return (self.parsed.file_name, self.parsed.file_sha256)


def connect(warehouse) -> duckdb.DuckDBPyConnection:
    """Open the warehouse for writing and make sure the raw schema exists."""
    con = warehouse_connect(warehouse)
    create_raw_schema(con)
    return con


def known_files(con: duckdb.DuckDBPyConnection) -> tuple[set[tuple[str, str]], set[str]]:
    """(sha, file name) pairs already recorded, and the set of content hashes already recorded."""
    pairs = set(con.execute("select file_sha256, file_name from raw.submissions").fetchall())
    return pairs, {sha for sha, _ in pairs}


def known_hashes(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int, str]]:
    """Absolute path → (size, modification time in ns, SHA-256) of inbox files hashed before."""
    rows = con.execute("select file_path, file_size, modified_ns, file_sha256 from raw.inbox_files").fetchall()
    return {path: (size, modified, sha) for path, size, modified, sha in rows}


def remember_hashes(con: duckdb.DuckDBPyConnection, files: list[tuple[str, int, int, str]]) -> None:
    """Record (absolute path, size, modification time in ns, SHA-256) of files just hashed."""
    if not files:
        return
    paths, sizes, modified, hashes = zip(*files, strict=True)
    register(con, "_hashed", {"file_path": _objects(paths), "file_size": _objects(sizes),
                              "modified_ns": _objects(modified), "file_sha256": _objects(hashes)})  # fmt: skip
    try:  # a path hashed again (the file changed) replaces its row
        retry_conflicts(
            lambda: con.execute(
                "begin; delete from raw.inbox_files where file_path in (select file_path from _hashed); "
                "insert into raw.inbox_files by name select * from _hashed; commit"
            ),
            con,
        )
    finally:
        con.unregister("_hashed")


@contextlib.contextmanager
def transaction(warehouse) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writer connection inside one transaction: committed when the block succeeds, rolled back (and
    nothing kept) when it raises; closed either way."""
    con = connect(warehouse)
    try:
        con.begin()
        yield con
        con.commit()
    except BaseException:
        con.rollback()
        raise
    finally:
        con.close()


def submission_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Files recorded in the warehouse by status ('loaded', 'rejected', 'duplicate', 'superseded')."""
    return dict(con.execute("select status, count(*) from raw.submissions group by all order by all").fetchall())


def final_statuses(con: duckdb.DuckDBPyConnection, keys: list[Key]) -> dict[Key, str]:
    """The status each (file name, hash) has now: a file loaded early in a run may have been superseded
    by one committed later."""
    if not keys:
        return {}
    names, hashes = zip(*keys, strict=True)
    register(con, "_asked", {"file_name": _objects(names), "file_sha256": _objects(hashes)})
    try:
        found = con.execute(
            "select file_name, file_sha256, status from raw.submissions semi join _asked using (file_name, file_sha256)"
        ).fetchall()
    finally:
        con.unregister("_asked")
    return {(name, sha): status for name, sha, status in found}


def to_columns(rows: list[dict], names: list[str] | tuple[str, ...] | None = None) -> Columns:
    """Rows (dicts) → columns; `names` defaults to the keys of the first row. Absent values are null."""
    names = names if names is not None else (list(rows[0]) if rows else [])
    if len(names) < 2 or not rows:
        return {name: _objects([row.get(name) for row in rows]) for name in names}
    try:  # rows that hold every column (the usual case) transpose in C
        columns = zip(*map(operator.itemgetter(*names), rows), strict=True)
        return {name: _objects(values) for name, values in zip(names, columns, strict=True)}
    except KeyError:
        return {name: _objects([row.get(name) for row in rows]) for name in names}


def register(con: duckdb.DuckDBPyConnection, name: str, columns: Columns) -> None:
    """Make `columns` selectable as `name` (unregister it after use): as an Arrow table when Arrow can type
    every column, else as the NumPy columns themselves (DuckDB then analyses their values)."""
    con.register(name, _arrow(columns) or columns)


_ARROW_KINDS = frozenset({str, int, float, bool, dt.date, dt.datetime})


def _arrow(columns: Columns):
    """The columns as an Arrow table, or None unless every column holds one kind of value (besides
    nulls) that Arrow types as DuckDB does: text, whole numbers within 64 bits, floats (NaN read as
    null, as DuckDB reads NumPy columns), booleans, dates, and date-times all with or all without a
    time zone. Anything else (mixed kinds) goes to DuckDB as NumPy, as it always did."""
    import pyarrow as pa

    arrays = {}
    for name, values in columns.items():
        kinds = set(map(type, values))
        kinds.discard(type(None))
        if len(kinds) > 1 or not kinds <= _ARROW_KINDS:
            return None
        if kinds == {dt.datetime} and len({value.tzinfo is None for value in values if value is not None}) > 1:
            return None
        try:
            arrays[name] = pa.array(values, from_pandas=True)
        except (pa.ArrowException, OverflowError):  # an integer beyond 64 bits
            return None
    return pa.table(arrays)


def _objects(values) -> np.ndarray:
    import numpy as np  # here: a tenth of a second at start-up, not needed by a re-run that finds nothing new

    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


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


def load_batch(con: duckdb.DuckDBPyConnection, receipts: list[Receipt]) -> dict[Key, str]:
    """Record files in one transaction; on failure, retry each in its own. Returns final status per file."""
    if not receipts:
        return {}  # a re-run that found nothing new: no columns to build
    return commit_tables(con, assemble(receipts))


def commit_tables(con: duckdb.DuckDBPyConnection, tables: Mapping[str, Columns | Path]) -> dict[Key, str]:
    """Commit assembled (columns) or staged (a Parquet file per table) files in one transaction; files
    already recorded are skipped, so a retried load changes nothing. If the database refuses the batch,
    each file is retried alone and a file it still refuses is recorded as rejected. Returns the final
    status per (file name, hash)."""
    if "submissions" not in tables:
        return {}
    with _scannable(con, tables) as sources:
        keys = con.execute(f"select file_name, file_sha256 from {sources['submissions']}").fetchall()
        if not keys:
            return {}
        failed: list[Key] = []
        with writer_lock(con, _provinces(con, sources["submissions"])):
            try:
                retry_conflicts(lambda: _commit(con, sources), con)
            except duckdb.Error:
                for key in keys:  # each file alone, from its own rows: one bad value cannot sink the others
                    try:
                        if any(isinstance(rows, Path) for rows in tables.values()):
                            retry_conflicts(lambda key=key: _commit(con, sources, only=key), con)
                        else:
                            with _scannable(con, _only(tables, key)) as own:
                                retry_conflicts(lambda own=own: _commit(con, own), con)
                    except duckdb.Error as error:
                        failed.append(key)
                        _record_failure(con, key, str(error))
        found = con.execute(
            f"""
            select file_name, file_sha256, known.status
            from raw.submissions as known semi join {sources["submissions"]} using (file_name, file_sha256)
            """
        ).fetchall()
    return {**{key: "failed" for key in failed}, **{(name, sha): status for name, sha, status in found}}


def _provinces(con: duckdb.DuckDBPyConnection, submissions: str) -> list[str]:
    """The provinces whose units sent these files (the writer-per-province key); '?' for a file naming
    no known unit."""
    return [
        row[0]
        for row in con.execute(
            f"""
            select distinct coalesce(units.province_code, '?')
            from {submissions} as incoming
            left join raw.ref_units as units on units.unit_code = incoming.unit_code::varchar
            """
        ).fetchall()
    ]


def _only(tables: Mapping[str, Columns], key: Key) -> dict[str, Columns]:
    """The rows of one file (file name, hash) of assembled tables."""
    name, sha = key
    own = {}
    for table, columns in tables.items():
        mask = columns["file_sha256"] == sha
        if "file_name" in columns:
            mask &= columns["file_name"] == name
        own[table] = {column: values[mask] for column, values in columns.items()}
    return own


def _record_failure(con: duckdb.DuckDBPyConnection, key: Key, reason: str) -> None:
    """A file the database would not take: not recorded as received (the next run reads it again), but
    noted in raw.ingest_failures and the log for engineers."""
    reason = re.sub(r"\d{5,}", "…", reason)[:2000]  # the error may quote a value: no long number kept
    log.error("ingest: the database refused %s (%s): %s", key[0], key[1], reason)
    con.execute("insert into raw.ingest_failures values (?, ?, current_timestamp, ?)", [key[1], key[0], reason])


_VIEW_NUMBERS = itertools.count()


@contextlib.contextmanager
def _scannable(con: duckdb.DuckDBPyConnection, tables: Mapping[str, Columns | Path]) -> Iterator[dict[str, str]]:
    """Each table as something a query can select from: a registered view of its columns, or its Parquet."""
    sources, registered = {}, []
    try:
        for table, rows in tables.items():
            if isinstance(rows, Path):
                sources[table] = "read_parquet('{}')".format(str(rows).replace("'", "''"))
            else:
                name = f"_incoming_{table}_{next(_VIEW_NUMBERS)}"
                register(con, name, rows)
                registered.append(name)
                sources[table] = name
        yield sources
    finally:
        for name in registered:
            con.unregister(name)


def _status(receipt: Receipt) -> str:
    if receipt.duplicate_of_known:
        return "duplicate"
    return "rejected" if receipt.parsed.errors else "loaded"


def assemble(receipts: list[Receipt], loaded_at: dt.datetime | None = None) -> dict[str, Columns]:
    """Pure: the rows these files add to each raw table, column-wise, with every column of the raw table."""
    loaded_at = loaded_at or dt.datetime.now(dt.UTC)
    submissions, errors = [], []
    rows: dict[str, tuple[list[str], list[dict]]] = {}  # table → (file hash per row, rows)
    for receipt in receipts:
        if receipt.failed:
            continue  # not recorded: the next run reads the file again
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
    tables = {
        "submissions": to_columns(submissions, raw_columns("submissions")),
        "ingest_errors": to_columns(errors, raw_columns("ingest_errors")),
    }
    for table, (hashes, table_rows) in rows.items():
        columns = to_columns(table_rows, [name for name in raw_columns(table) if name != "file_sha256"])
        tables[table] = {"file_sha256": _objects(hashes), **columns}
    return tables


def _commit(con: duckdb.DuckDBPyConnection, sources: dict[str, str], only: Key | None = None) -> None:
    """One transaction. Files already recorded (a retried load) are skipped; data rows go in only for
    the files this commit records as loaded. `only` limits the commit to one of the files."""
    which, params = ("file_name = ? and file_sha256 = ?", list(only)) if only else ("true", [])
    con.begin()
    try:
        fresh = con.execute(
            f"""
            select file_name, file_sha256, incoming.status
            from {sources["submissions"]} as incoming
            anti join raw.submissions as known using (file_name, file_sha256)
            where {which}
            """,
            params,
        ).fetchall()
        if fresh:
            names, hashes, statuses = zip(*fresh, strict=True)
            register(con, "_fresh", {"file_name": _objects(names), "file_sha256": _objects(hashes),
                                     "status": _objects(statuses)})  # fmt: skip
            everything = only is None and len(fresh) == _count(con, sources["submissions"])
            try:
                for table, source in sources.items():
                    if everything:  # the usual case: no file of the batch was recorded before
                        rows = f"select * from {source}"
                    elif table in ("submissions", "ingest_errors"):
                        rows = f"select * from {source} semi join _fresh using (file_name, file_sha256)"
                    else:
                        rows = (
                            f"select * from {source} "
                            "where file_sha256 in (select file_sha256 from _fresh where status = 'loaded')"
                        )
                    con.execute(f"insert into raw.{table} by name {rows}")
                _settle_current_submissions(con)
            finally:
                con.unregister("_fresh")
        con.commit()
    except BaseException:
        con.rollback()
        raise


def _count(con: duckdb.DuckDBPyConnection, source: str) -> int:
    return con.execute(f"select count(*) from {source}").fetchall()[0][0]


_TABLE_COLUMNS: dict[str, list[str]] = {}


def raw_columns(table: str) -> list[str]:
    """The raw table's columns in order, as the DDL declares them (read once per process)."""
    if not _TABLE_COLUMNS:
        _TABLE_COLUMNS.update(raw_table_columns())
    return _TABLE_COLUMNS[table]


def _settle_current_submissions(con: duckdb.DuckDBPyConnection) -> None:
    """Of a unit's accepted files for a period, the last received is current; the others are superseded.

    Only the unit-periods of files loaded by this commit (`_fresh`) are re-ranked.
    """
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
                    from raw.submissions
                    join _fresh using (file_name, file_sha256)
                    where _fresh.status = 'loaded'
                )
        ) as ranked
        where s.file_sha256 = ranked.file_sha256 and s.file_name = ranked.file_name
            and s.status <> ranked.new_status
        """
    )
