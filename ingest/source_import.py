"""Load a file of any declared source whose tables need no more than the parser gives: each table's
typed rows go to its raw table with lineage (file_sha256, source_row), replacing that file's earlier
rows, in one transaction. Sources with domain rules of their own (the plan appendix) add them on top,
as `ingest.plan_tasks` does."""

from __future__ import annotations

from pathlib import Path

from ingest.load import register, to_columns, transaction
from ingest.parse import ParsedWorkbook, parse_workbook
from ingest.sources import Source


def import_file(warehouse: Path, path: Path, source: Source) -> ParsedWorkbook:
    """Parse `path` as `source`; when it has no errors, replace its rows in the source's raw tables.

    Returns the parse (its `errors` say why nothing was loaded). The raw tables must exist (their DDL
    is part of `ingest.schema.RAW_DDL`, or created by the caller).
    """
    parsed = parse_workbook(path, source)
    if parsed.errors:
        return parsed
    with transaction(warehouse) as con:
        for table, rows in parsed.tables.items():
            con.execute(f"delete from raw.{table} where file_sha256 = ?", [parsed.file_sha256])
            if rows:
                register(con, "_rows", to_columns([{"file_sha256": parsed.file_sha256, **row} for row in rows]))
                con.execute(f"insert into raw.{table} by name select * from _rows")
                con.unregister("_rows")
    return parsed
