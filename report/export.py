"""`bdg export`: the marts as files, for staff who pull aggregates into their own tools.

Every table of schema `marts` is written, filtered to the year (tables with `report_year`) and, when a
period is given, to it (tables with `report_type`); dimension tables are written whole. Formats:
- `parquet`: one file per mart, types kept (dates, timestamps with time zone, booleans).
- `csv`: one file per mart, UTF-8 with a byte-order mark so Excel opens Vietnamese text correctly;
  a text value starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'` so a
  spreadsheet never runs it as a formula (OWASP CSV injection guidance). Parquet keeps the raw text.
- `xlsx`: one workbook, one sheet per mart; text is always written as text (never a formula).
Text is NFC. Files are written to temporary names and renamed.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.atomic import atomic_output
from ingest.periods import LOCAL_TZ_NAME, check_report_type
from ingest.warehouse import connect

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

FORMATS = ("xlsx", "csv", "parquet")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def mart_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of the tables of schema `marts`, sorted."""
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' order by table_name"
    ).fetchall()
    return [row[0] for row in rows]


def mart_frame(con, table: str, report_year: int, report_type: str | None) -> pd.DataFrame:
    """One mart filtered to the year (and period), as exported."""
    columns = {
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ?",
            [table],
        ).fetchall()
    }
    where, params = [], []
    if "report_year" in columns:
        where.append("report_year = ?")
        params.append(int(report_year))
    if report_type and "report_type" in columns:
        where.append("report_type = ?")
        params.append(report_type)
    sql = f'select * from marts."{table}"' + (" where " + " and ".join(where) if where else "")
    frame = con.execute(sql, params).df()
    for column in frame.columns:
        if _is_text(frame[column]):
            frame[column] = frame[column].map(lambda v: unicodedata.normalize("NFC", v) if isinstance(v, str) else v)
    return frame


def export_marts(warehouse: Path, report_year: int, report_type: str | None, fmt: str, out_dir: Path) -> list[Path]:
    """Write the marts for a year (and period) in `fmt` under `out_dir`; returns the files written.

    File names: `<mart>_<year>[_<period>].<ext>`, or `bdg_marts_<year>[_<period>].xlsx` for xlsx.
    Failure modes: `ValueError` for an unknown format or period, `duckdb.Error` when the warehouse is
    missing, `OSError` when `out_dir` cannot be written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {fmt!r}")
    if report_type is not None:
        check_report_type(report_type)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = f"{report_year}" + (f"_{report_type}" if report_type else "")
    with connect(warehouse, read_only=True) as con:
        frames = {table: mart_frame(con, table, report_year, report_type) for table in mart_tables(con)}
    if fmt == "xlsx":
        path = out_dir / f"bdg_marts_{suffix}.xlsx"
        with atomic_output(path) as tmp:
            _write_xlsx(tmp, frames)
        return [path]
    written = []
    for table, frame in frames.items():
        path = out_dir / f"{table}_{suffix}.{fmt}"
        with atomic_output(path) as tmp:
            if fmt == "parquet":
                frame.to_parquet(tmp, index=False)
            else:
                csv_safe(frame).to_csv(tmp, index=False, encoding="utf-8-sig", date_format="%Y-%m-%d")
        written.append(path)
    return written


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot start a spreadsheet formula (a leading `'` is added)."""
    safe = frame.copy()
    for column in safe.columns:
        if _is_text(safe[column]):
            safe[column] = safe[column].map(_defuse)
    return safe


def _is_text(series) -> bool:
    import pandas as pd

    return series.dtype == object or pd.api.types.is_string_dtype(series.dtype)


def _defuse(value):
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _write_xlsx(path: Path, frames: dict[str, pd.DataFrame]) -> None:
    import pandas as pd
    import xlsxwriter

    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with xlsxwriter.Workbook(str(path), options) as workbook:
        header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "font_name": "Times New Roman"})
        formats = {
            "date": workbook.add_format({"num_format": "dd/mm/yyyy", "font_name": "Times New Roman"}),
            "datetime": workbook.add_format({"num_format": "dd/mm/yyyy hh:mm:ss", "font_name": "Times New Roman"}),
            "text": workbook.add_format({"font_name": "Times New Roman"}),
        }
        for table, frame in frames.items():
            sheet = workbook.add_worksheet(table[:31])
            for col, name in enumerate(frame.columns):
                sheet.write_string(0, col, str(name), header)
                sheet.set_column(col, col, max(10, min(40, len(str(name)) + 2)))
            for row, record in enumerate(frame.itertuples(index=False), start=1):
                for col, value in enumerate(record):
                    _write_value(sheet, row, col, value, formats, pd)
            sheet.freeze_panes(1, 0)
            if len(frame.columns):
                sheet.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)


def _write_value(sheet, row, col, value, formats, pd) -> None:
    if value is None or (not isinstance(value, str | bytes) and pd.isna(value)):
        sheet.write_blank(row, col, None)
    elif isinstance(value, bool) or type(value).__name__ == "bool_":
        sheet.write_boolean(row, col, bool(value))
    elif isinstance(value, int | float) or hasattr(value, "dtype"):
        sheet.write_number(row, col, float(value))
    elif isinstance(value, pd.Timestamp | dt.datetime):
        stamp = pd.Timestamp(value)
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert(LOCAL_TZ_NAME).tz_localize(None)
        sheet.write_datetime(row, col, stamp.to_pydatetime(), formats["datetime"])
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), formats["date"])
    else:
        sheet.write_string(row, col, str(value), formats["text"])
