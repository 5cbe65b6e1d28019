"""`bdg export`: the marts as files, for staff who pull aggregates into their own tools.

Every table of schema `marts` is written, filtered to the year (tables with `report_year`) and, when a
period is given, to it (tables with `report_type`); dimension tables are written whole. Formats:
- `parquet`: one file per mart, types kept (dates, timestamps with time zone, booleans).
- `csv`: one file per mart, UTF-8 with a byte-order mark so Excel opens Vietnamese text correctly;
  a text value starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'` so a
  spreadsheet never runs it as a formula (OWASP CSV injection guidance). Parquet keeps the raw text.
- `xlsx`: one workbook, one sheet per mart; text is always written as text (never a formula, link or
  number: `ingest.atomic.text_workbook`).
Text is NFC without control characters or bidi overrides (`ingest.atomic.output_text`), in every format.
Rows are in a total order (`order by all`), and the workbook is dated by the marts' as-of date, so the
same marts export to the same bytes.

A csv or parquet export is a set of files, written as one folder `bdg_marts_<year>[_<period>]_<fmt>/`
under the output folder: built in a temporary folder beside it and renamed into place once
(`ingest.atomic.atomic_folder`), so a failure midway (a full disk) leaves the previous set whole and no
partial one. The xlsx export is one file, written to a temporary name and renamed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.atomic import atomic_folder, atomic_output, output_text, text_workbook
from ingest.periods import LOCAL_TZ_NAME, check_report_type
from ingest.warehouse import connect
from report.documents import document_time
from report.frames import built_for

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
    # order by all: a total order (every column, left to right), so the same mart exports the same bytes
    sql = f'select * from marts."{table}"' + (" where " + " and ".join(where) if where else "") + " order by all"
    frame = con.execute(sql, params).df()
    for column in frame.columns:
        if _is_text(frame[column]):
            frame[column] = frame[column].map(_clean)
    return frame


def _clean(value):
    """Text (and the text in a list column) as `output_text` gives it; other values unchanged."""
    if isinstance(value, str):
        return output_text(value)
    if isinstance(value, list | tuple) or type(value).__name__ == "ndarray":
        return [output_text(item) if isinstance(item, str) else item for item in value]
    return value


def export_folder(out_dir: Path, report_year: int, report_type: str | None, fmt: str) -> Path:
    """The folder a csv or parquet export set is written as: `<out_dir>/bdg_marts_<year>[_<period>]_<fmt>`."""
    period = f"_{report_type}" if report_type else ""
    return Path(out_dir) / f"bdg_marts_{report_year}{period}_{fmt}"


def export_marts(warehouse: Path, report_year: int, report_type: str | None, fmt: str, out_dir: Path) -> list[Path]:
    """Write the marts for a year (and period) in `fmt` under `out_dir`; returns the files written.

    File names: `bdg_marts_<year>[_<period>].xlsx` for xlsx; for csv and parquet
    `<export_folder>/<mart>_<year>[_<period>].<ext>`, the folder replacing an earlier export of the same
    year, period and format as a whole. Failure modes: `ValueError` for an unknown format or period,
    `duckdb.Error` when the warehouse is missing, `OSError` when `out_dir` cannot be written (nothing
    partial is left: the previous file or set stays as it was).
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
        created = document_time(built_for(con), report_year)
    if fmt == "xlsx":
        path = out_dir / f"bdg_marts_{suffix}.xlsx"
        with atomic_output(path) as tmp:
            _write_xlsx(tmp, frames, created)
        return [path]
    folder = export_folder(out_dir, report_year, report_type, fmt)
    names = [f"{table}_{suffix}.{fmt}" for table in frames]
    with atomic_folder(folder) as tmp:
        for name, frame in zip(names, frames.values(), strict=True):
            if fmt == "parquet":
                frame.to_parquet(tmp / name, index=False)
            else:
                csv_safe(frame).to_csv(tmp / name, index=False, encoding="utf-8-sig", date_format="%Y-%m-%d")
    return [folder / name for name in names]


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


def _write_xlsx(path: Path, frames: dict[str, pd.DataFrame], created: dt.datetime) -> None:
    import pandas as pd

    with text_workbook(path, created) as workbook:
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
