"""The ministry report workbook (báo cáo gửi Bộ Nội vụ), laid out like an official appendix.

The figures come from `report.figures.ministry_tables` (one DataFrame per printed table); this module
only renders them, so a test can compare the workbook with the marts cell by cell.

Layout of every table sheet: rows 1–3 are the title block (merged), row 4 carries the unit of measure,
rows 5–6 the two-level header (merged group headers), row 7 the column numbering (A, B, 1, 2, …) and the
data start on row 8 (`FIRST_DATA_ROW` + 1 in Excel numbering); headers are frozen and repeated on every
printed page. Biểu 4 and Biểu 5 carry a second table below the first, under its own title and header.
Biểu 7 (the plan's tasks) has section rows (I, II, …) and group rows (IV.1, …) between the tasks; when no plan
is imported for the year its body is one line saying so.

Numbers stay numeric cells. Excel and LibreOffice draw the thousands and decimal separators of
`#,##0` and `0.0%` from the reader's locale, so a Vietnamese desktop shows 1.234 and 58,2%: a number
format cannot force separators (the `[$-42A]` prefix changes month and currency names only, and literal
separators in a format break on large or negative numbers). Text everywhere else (titles, notes, the HTML
report and the narrative) is formatted with `report.formatting`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.atomic import atomic_output
from report import formatting as vnformat
from report.documents import document_time, text_workbook
from report.figures import TABLE_KEYS, ReportData, value_of
from report.layout import (
    CENTERED_TEXT,
    COLUMNS,
    FIRST_DATA_ROW,
    HEADER_ROW,
    HEADER_ROWS,
    MEASURE_NOTES,
    PROVENANCE_COLUMNS,
    PROVENANCE_SHEET,
    SECOND_TABLE,
    SHEETS,
    TITLES,
    Col,
    footnotes,
    kind_of,
    no_plan_text,
)

if TYPE_CHECKING:
    import pandas as pd


# --------------------------------------------------------------------------------------------------
# Writing


def workbook_path(out_dir: Path, report_year: int, report_type: str) -> Path:
    return Path(out_dir) / f"bao_cao_bdg_{report_year}_{report_type}.xlsx"


def render_workbook(data: ReportData, path: Path) -> Path:
    """Render `data` into the workbook at `path` (atomically); returns `path`."""
    with atomic_output(Path(path)) as tmp:
        _render(tmp, data)
    return Path(path)


class Formats:
    """The workbook's cell formats (Times New Roman throughout)."""

    NUMBER_FORMATS = {
        "int": "#,##0",
        "pct": "0.0%",
        "dec": "#,##0.0",
        "date": "dd/mm/yyyy",
        "datetime": "dd/mm/yyyy hh:mm",
        "int_change": "+#,##0;-#,##0;0",
        "pct_change": "+0.0%;-0.0%;0.0%",
    }

    def __init__(self, workbook) -> None:
        base = {"font_name": "Times New Roman", "font_size": 12}
        cell = {**base, "border": 1, "valign": "vcenter"}
        self.title = workbook.add_format({**base, "bold": True, "font_size": 13, "align": "center", "text_wrap": True})
        self.subtitle = workbook.add_format({**base, "bold": True, "align": "center"})
        self.note = workbook.add_format({**base, "italic": True, "align": "center", "text_wrap": True})
        self.measure = workbook.add_format({**base, "italic": True, "align": "right"})
        self.footnote = workbook.add_format({**base, "italic": True, "font_size": 11})
        self.section_title = workbook.add_format({**base, "bold": True})
        self.header = workbook.add_format(
            {**cell, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#DDEBF7"}
        )
        self.numbering = workbook.add_format({**cell, "italic": True, "align": "center", "font_size": 11})
        self.cells = {}
        for row_kind in ("item", "section", "group", "total", "rate"):
            bold = row_kind in ("section", "group", "total")
            style = {**cell, "bold": bold, "italic": row_kind in ("rate", "group")}
            formats = {
                "text": workbook.add_format({**style, "text_wrap": True}),
                "stt": workbook.add_format({**style, "align": "center"}),
                "center": workbook.add_format({**style, "align": "center", "text_wrap": True}),
            }
            for kind, num_format in self.NUMBER_FORMATS.items():
                extra = {"align": "center"} if kind in ("date", "datetime") else {}
                formats[kind] = workbook.add_format({**style, "num_format": num_format, **extra})
            self.cells[row_kind] = formats


@contextlib.contextmanager
def report_workbook(path: Path, as_of: dt.date | None, report_year: int, title: str, author: str, command: str):
    """A report workbook opened by `text_workbook` (text stays text; dated by the as-of date, so the same
    marts give the same bytes) with its properties and the house's formats: yields (workbook, Formats)."""
    with text_workbook(path, document_time(as_of, report_year)) as workbook:
        workbook.set_properties(
            {"title": title, "author": author, "comments": f"Tạo bởi {command} từ kho dữ liệu báo cáo bình đẳng giới"}
        )
        yield workbook, Formats(workbook)


def _render(path: Path, data: ReportData) -> None:
    period = data.period_label
    as_of = f"; số liệu tính đến ngày {vnformat.date(data.as_of)}" if data.as_of else ""
    note = f"(Kèm theo Báo cáo số       /BC-SNV ngày     /     /{data.report_year} của Sở Nội vụ{as_of})"
    cell_map: dict[tuple[str, int, str], tuple[str, str]] = {}
    title = f"Báo cáo kết quả thực hiện công tác bình đẳng giới và vì sự tiến bộ của phụ nữ – {period}"
    with report_workbook(path, data.as_of, data.report_year, title, "Sở Nội vụ", "bdg report") as (workbook, formats):
        for key in TABLE_KEYS:
            if key in SECOND_TABLE.values():
                continue
            name = SHEETS[key]
            sheet = workbook.add_worksheet(name)
            second = SECOND_TABLE.get(key)
            layout = _widest(COLUMNS[key], COLUMNS[second]) if second else COLUMNS[key]
            setup_sheet(sheet, layout)
            title_block(sheet, formats, len(layout), vnformat.nfc(TITLES[key]), period, note)
            if MEASURE_NOTES.get(key):
                sheet.merge_range(HEADER_ROW - 1, max(len(layout) - 4, 0), HEADER_ROW - 1, len(layout) - 1, "")
                sheet.write_string(HEADER_ROW - 1, max(len(layout) - 4, 0), MEASURE_NOTES[key], formats.measure)
            row = write_table(sheet, formats, HEADER_ROW, COLUMNS[key], data.tables[key], name, key, cell_map)
            if key == "plan_tasks" and data.tables[key].empty:
                row += 1
                sheet.merge_range(row, 0, row, len(layout) - 1, "", formats.cells["item"]["text"])
                sheet.write_string(row, 0, no_plan_text(data.report_year), formats.cells["item"]["text"])
            row = write_footnotes(sheet, formats, row, footnotes(key, data))
            sheet.freeze_panes(FIRST_DATA_ROW, 2)
            if second:
                row += 2
                sheet.write_string(row, 0, vnformat.nfc(TITLES[second]), formats.section_title)
                frame = data.tables[second]
                row = write_table(sheet, formats, row + 1, COLUMNS[second], frame, name, second, cell_map)
                if frame.empty:
                    row += 1
                    sheet.write_string(row, 0, "Không có đơn vị nào.", formats.footnote)
                write_footnotes(sheet, formats, row, footnotes(second, data))
        _provenance_sheet(workbook, formats, data, cell_map)


def _widest(first, second):
    """Column layout for a sheet holding two tables: per position, the wider of the two columns."""
    longer, shorter = (first, second) if len(first) >= len(second) else (second, first)
    return tuple(
        col if index >= len(shorter) or col.width >= shorter[index].width else shorter[index]
        for index, col in enumerate(longer)
    )


def setup_sheet(sheet, columns) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # fit to width, as many pages down as needed
    sheet.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
    sheet.center_horizontally()
    sheet.repeat_rows(HEADER_ROW, FIRST_DATA_ROW - 1)
    sheet.set_footer('&C&"Times New Roman"&10Trang &P/&N')
    sheet.hide_gridlines(2)
    for index, col in enumerate(columns):
        sheet.set_column(index, index, col.width)


def title_block(sheet, formats: Formats, width: int, title: str, period: str, note: str) -> None:
    last = max(width - 1, 1)
    for row, text, fmt in ((0, title, formats.title), (1, period, formats.subtitle), (2, note, formats.note)):
        sheet.merge_range(row, 0, row, last, "", fmt)
        sheet.write_string(row, 0, vnformat.nfc(text), fmt)
    sheet.set_row(0, 36)
    sheet.set_row(2, 30)


def write_footnotes(sheet, formats: Formats, row: int, notes: list[str]) -> int:
    for text in notes:
        row += 1
        sheet.write_string(row, 0, vnformat.nfc(text), formats.footnote)
    return row


def _header(sheet, formats: Formats, top: int, columns) -> None:
    """Two header rows: group headers merged across their columns; ungrouped headers merged down."""
    index = 0
    while index < len(columns):
        col = columns[index]
        if col.group is None:
            sheet.merge_range(top, index, top + 1, index, "", formats.header)
            sheet.write_string(top, index, col.header, formats.header)
            index += 1
            continue
        end = index
        while end + 1 < len(columns) and columns[end + 1].group == col.group:
            end += 1
        if end > index:
            sheet.merge_range(top, index, top, end, "", formats.header)
        sheet.write_string(top, index, col.group, formats.header)
        for sub in range(index, end + 1):
            sheet.write_string(top + 1, sub, columns[sub].header, formats.header)
        index = end + 1
    sheet.set_row(top, 32)
    sheet.set_row(top + 1, 48)
    # Column numbering, as in official appendices: letters for text columns, numbers for figures.
    letters, numbers = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), iter(range(1, 100))
    for index, col in enumerate(columns):
        label = next(letters) if col.kind == "text" else str(next(numbers))
        sheet.write_string(top + 2, index, label, formats.numbering)


def write_table(sheet, formats, header_row, columns, frame, sheet_name, table_key, cell_map) -> int:
    """Write the header and the frame's rows below it; record each figure's cell; return the last row."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    _header(sheet, formats, header_row, columns)
    row = header_row + HEADER_ROWS
    for position, record in enumerate(frame.to_dict("records")):
        row += 1
        cell_formats = formats.cells[record.get("row_kind") or "item"]
        for index, col in enumerate(columns):
            kind = kind_of(col, record)
            value = value_of(record.get(col.key))
            cell_map[(table_key, position, col.key)] = (sheet_name, xl_rowcol_to_cell(row, index))
            if col.key == "stt":
                _write_text(sheet, row, index, value, cell_formats["stt"])
            elif value is None:
                sheet.write_blank(row, index, None, cell_formats["text" if kind == "text" else kind])
            elif kind == "text":
                centered = col.key in CENTERED_TEXT
                _write_text(sheet, row, index, value, cell_formats["center" if centered else "text"])
            elif kind == "date":
                sheet.write_datetime(row, index, dt.datetime.combine(value, dt.time()), cell_formats["date"])
            elif kind == "datetime":
                sheet.write_datetime(row, index, value, cell_formats["datetime"])
            else:
                sheet.write_number(row, index, float(value), cell_formats[kind])
    return row


def _write_text(sheet, row: int, col: int, value, fmt) -> None:
    # write_string, never write(): a unit name like "=HYPERLINK(...)" must stay text.
    if value is None or value == "":
        sheet.write_blank(row, col, None, fmt)
    else:
        sheet.write_string(row, col, vnformat.nfc(value), fmt)


# --------------------------------------------------------------------------------------------------
# Provenance sheet


def provenance_rows(data: ReportData, cell_map: dict) -> list[dict]:
    """The provenance sheet's rows: each figure's cell with the submissions it came from, in cell order."""
    from xlsxwriter.utility import xl_cell_to_rowcol

    headers = {key: {col.key: _column_title(col) for col in cols} for key, cols in COLUMNS.items()}
    positions = {key: _row_positions(frame) for key, frame in data.tables.items()}
    labels = {key: list(frame["label"]) for key, frame in data.tables.items()}
    rows = []
    for record in data.sources.to_dict("records"):
        key = record["table_key"]
        selector = "total" if record["is_total"] else (value_of(record["dimension"]), value_of(record["code"]))
        position = positions[key].get(selector)
        if position is None or (key, position, record["measure"]) not in cell_map:
            continue
        sheet, cell = cell_map[(key, position, record["measure"])]
        label = value_of(labels[key][position])
        received = value_of(record["received_at"])
        rows.append(
            {
                "sort": (
                    list(SHEETS.values()).index(sheet),
                    *xl_cell_to_rowcol(cell),
                    str(record["unit_code"]),
                    str(record["file_sha256"]),
                ),
                "cell": f"{sheet}!{cell}",
                "sheet": sheet,
                "row_label": label,
                "column_label": headers[key][record["measure"]],
                "contribution": value_of(record["contribution"]),
                "unit_code": value_of(record["unit_code"]),
                "unit_name": value_of(record["unit_name"]),
                "file_name": value_of(record["file_name"]),
                "received_at": _local_naive(received),
                "source": f"{record['source_sheet']}: {record['source_rows']}",
                "file_sha256": value_of(record["file_sha256"]),
            }
        )
    rows.sort(key=lambda row: row.pop("sort"))
    for number, row in enumerate(rows, start=1):
        row["stt"] = str(number)
        row["row_kind"] = "item"
    return rows


def _column_title(col: Col) -> str:
    return f"{col.group}: {col.header}" if col.group else col.header


def _row_positions(frame: pd.DataFrame) -> dict:
    """(dimension, code) → row position, and 'total' → the total row's position."""
    positions = {}
    has_dimension = "dimension" in frame.columns
    for position, record in enumerate(frame.to_dict("records")):
        if record.get("row_kind") == "total":
            positions["total"] = position
        elif record.get("row_kind") in ("item", "group") and "code" in record:  # group: a subtotal row
            dimension = value_of(record["dimension"]) if has_dimension else None
            positions[(dimension, value_of(record["code"]))] = position
            positions.setdefault((None, value_of(record["code"])), position)
            if not has_dimension or dimension is None:
                positions[("unit_group", value_of(record["code"]))] = position
    return positions


def _local_naive(value) -> dt.datetime | None:
    """A timestamptz as the local wall time in Asia/Ho_Chi_Minh, naive (Excel has no time zones)."""
    import pandas as pd

    if value is None:
        return None
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    return stamp.tz_convert("Asia/Ho_Chi_Minh").tz_localize(None).to_pydatetime()


def _provenance_sheet(workbook, formats: Formats, data: ReportData, cell_map: dict) -> None:
    import pandas as pd

    sheet = workbook.add_worksheet(PROVENANCE_SHEET)
    setup_sheet(sheet, PROVENANCE_COLUMNS)
    title_block(
        sheet,
        formats,
        len(PROVENANCE_COLUMNS),
        "NGUỒN SỐ LIỆU: BÁO CÁO CỦA CÁC ĐƠN VỊ TẠO NÊN TỪNG SỐ LIỆU",
        data.period_label,
        "(Mỗi dòng: một ô số liệu của Biểu 1–4 và phần đóng góp của một báo cáo (tệp) đơn vị gửi; "
        "tổng phần đóng góp bằng số liệu trong ô)",
    )
    frame = pd.DataFrame(provenance_rows(data, cell_map), columns=["row_kind", *[c.key for c in PROVENANCE_COLUMNS]])
    row = write_table(sheet, formats, HEADER_ROW, PROVENANCE_COLUMNS, frame, PROVENANCE_SHEET, "provenance", {})
    write_footnotes(
        sheet,
        formats,
        row,
        ["Ghi chú: Tỷ lệ được tính từ các số liệu trên cùng dòng; Biểu 5 liệt kê trực tiếp các đơn vị."],
    )
    sheet.freeze_panes(FIRST_DATA_ROW, 2)
