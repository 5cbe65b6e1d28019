"""The BDG-1 form writer: the workbook a unit fills in, driven by the declarative spec in ingest.form_bdg1.

Every sheet of `SHEETS` is written in order with the spec's exact labels, so the parser accepts what this
writes. Category cells carry the Vietnamese label and a drop-down list of the vocabulary's labels; the
lists live on a hidden sheet (`DanhMuc`) because labels contain commas, which an inline Excel list
cannot hold.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from ingest.form_bdg1 import (
    FORM_VERSION,
    REPORT_TYPES,
    SHEETS,
    Column,
    LabelValueSheet,
    TableSheet,
    Vocabulary,
)

LISTS_SHEET = "DanhMuc"
FONT = "Times New Roman"
TITLE_ROW = 0
HEADER_ROW = 3  # title, unit/period line, instructions, then the header
BLANK_INPUT_ROWS = 30  # rows below the data that still carry drop-downs, for the unit to add lines

INSTRUCTIONS = {
    "ThongTin": "Điền mã đơn vị theo danh mục của Sở Nội vụ; không sửa tên các dòng ở cột A.",
    "HoatDong": (
        "Mỗi dòng một hoạt động hoặc một nhóm hoạt động cùng loại. Chọn Loại hoạt động, Chương trình, "
        "Hình thức từ danh sách. Ngày ghi theo dd/mm/yyyy; Tổng số người tham gia = Nữ + Nam."
    ),
    "VuViec": (
        "Chỉ ghi số liệu, mỗi dòng một loại vụ việc. Tuyệt đối không ghi họ tên, số định danh, "
        "số điện thoại, địa chỉ thư điện tử của nạn nhân hoặc người gây bạo lực."
    ),
    "LanhDao": (
        "Mỗi dòng một nhóm chức danh. Lãnh đạo chủ chốt: người đứng đầu và cấp phó của cơ quan; "
        "ở cấp xã là Chủ tịch, Phó Chủ tịch HĐND và UBND."
    ),
    "ChiTieu": "Ghi giá trị ở cột B; các ô có danh sách thì chọn từ danh sách.",
    "NhiemVu": "Không bắt buộc. Ghi mã nhiệm vụ theo phụ lục kế hoạch của tỉnh và tình trạng thực hiện.",
}


@dataclass
class FormContent:
    """What a unit reports. Row dicts are keyed by the spec's column names (`Column.name`); category
    values may be codes (written as their label) or labels; dates are `date` objects; missing keys and
    None are left blank. `indicators` maps ChiTieu indicator codes to values."""

    activities: list[dict] = field(default_factory=list)
    gbv_cases: list[dict] = field(default_factory=list)
    leadership: list[dict] = field(default_factory=list)
    indicators: dict[str, object] = field(default_factory=dict)
    tasks: list[dict] = field(default_factory=list)
    prepared_by: str | None = None

    def rows_for(self, sheet: TableSheet) -> list[dict]:
        return {
            "activities": self.activities,
            "gbv_cases": self.gbv_cases,
            "leadership": self.leadership,
            "task_status": self.tasks,
        }.get(sheet.raw_table, [])


def write_form(
    path: str | Path,
    unit_code: str,
    unit_name: str,
    report_year: int,
    report_type: str,
    content: FormContent | None = None,
    *,
    prepared_on: date | None = None,
    omit_sheets: Collection[str] = (),
) -> Path:
    """Write a BDG-1 workbook to `path` (parent directories are created) and return the path.

    `report_type` is '6T' or 'NAM'. Without `content` the form is blank but prefilled (ThongTin);
    `omit_sheets` drops sheets by name (used to produce faulty test files). Raises KeyError on an
    unknown report type or category code that is neither a code nor a label of its vocabulary.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    content = content or FormContent()
    book = xlsxwriter.Workbook(
        str(path), {"in_memory": True, "default_format_properties": {"font_name": FONT, "font_size": 12}}
    )
    properties = {"title": f"Biểu mẫu {FORM_VERSION} - {unit_name}", "author": "Sở Nội vụ"}
    if prepared_on is not None:
        # A fixed creation time makes the bytes reproducible (same content → same file hash).
        properties["created"] = datetime.combine(prepared_on, datetime.min.time())
    book.set_properties(properties)
    styles = _Styles(book)
    lists = _LISTS

    header_values = {
        "unit_code": unit_code,
        "unit_name": unit_name,
        "report_type": REPORT_TYPES.label(report_type),
        "report_year": report_year,
        "report_date": prepared_on,
        "form_version": FORM_VERSION,
        "prepared_by": content.prepared_by,
    }
    period_line = f"Đơn vị: {unit_name} ({unit_code}) · Kỳ báo cáo: {REPORT_TYPES.label(report_type)} {report_year}"

    for spec in SHEETS:
        if spec.sheet in omit_sheets:
            continue
        sheet = book.add_worksheet(spec.sheet)
        if isinstance(spec, TableSheet):
            _write_table_sheet(sheet, spec, content.rows_for(spec), period_line, styles, lists)
        else:
            values = header_values if spec.raw_table is None else content.indicators
            _write_label_value_sheet(sheet, spec, values, period_line, styles, lists)
    lists.write(book)
    book.close()
    return path


class _Styles:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.title = book.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
        self.note = book.add_format({"italic": True, "text_wrap": True, "valign": "top"})
        self.header = book.add_format(
            {
                "bold": True,
                "text_wrap": True,
                "align": "center",
                "valign": "vcenter",
                "border": 1,
                "bg_color": "#DDEBF7",
            }
        )
        self.label = book.add_format({"bold": True, "border": 1, "text_wrap": True, "valign": "vcenter"})
        self.text = book.add_format({"border": 1, "text_wrap": True, "valign": "vcenter"})
        self.int = book.add_format({"border": 1, "num_format": "0", "valign": "vcenter"})
        self.money = book.add_format({"border": 1, "num_format": "#,##0", "valign": "vcenter"})
        self.date = book.add_format({"border": 1, "num_format": "dd/mm/yyyy", "align": "center", "valign": "vcenter"})

    def for_type(self, column_type: str):
        return {"int": self.int, "money": self.money, "date": self.date}.get(column_type, self.text)


class _VocabularyLists:
    """The hidden sheet holding each vocabulary's labels, one column per vocabulary, in spec order.

    Ranges are known before the sheet is written, so the sheet can be added after the form's sheets
    and sit last in the workbook."""

    def __init__(self) -> None:
        self.vocabularies: list[Vocabulary] = []
        for spec in SHEETS:
            for column in spec.columns if isinstance(spec, TableSheet) else spec.rows:
                if column.vocabulary is not None and column.vocabulary not in self.vocabularies:
                    self.vocabularies.append(column.vocabulary)
        self.ranges = {}
        for col, vocabulary in enumerate(self.vocabularies):
            letter = xl_col_to_name(col)
            self.ranges[vocabulary.name] = f"={LISTS_SHEET}!${letter}$2:${letter}${len(vocabulary.items) + 1}"

    def source(self, vocabulary: Vocabulary) -> str:
        return self.ranges[vocabulary.name]

    def write(self, book: xlsxwriter.Workbook) -> None:
        sheet = book.add_worksheet(LISTS_SHEET)
        for col, vocabulary in enumerate(self.vocabularies):
            sheet.write_string(0, col, vocabulary.name)
            for i, (_, label) in enumerate(vocabulary.items, start=1):
                sheet.write_string(i, col, label)
        sheet.hide()


_LISTS = _VocabularyLists()


def _category_label(column: Column, value: object) -> object:
    if isinstance(value, str) and column.vocabulary and value in column.vocabulary.codes:
        return column.vocabulary.label(value)
    return value


def _write_value(sheet, row: int, col: int, column: Column, value: object, styles: _Styles) -> None:
    cell_format = styles.for_type(column.type)
    if value is None:
        sheet.write_blank(row, col, None, cell_format)
    elif column.type == "category":
        sheet.write_string(row, col, str(_category_label(column, value)), cell_format)
    elif isinstance(value, datetime | date) and column.type == "date":
        sheet.write_datetime(row, col, value, cell_format)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, cell_format)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, cell_format)
    else:
        sheet.write_string(row, col, str(value), cell_format)


def _write_preamble(sheet, title: str, last_col: int, period_line: str | None, instructions: str, styles) -> None:
    sheet.merge_range(TITLE_ROW, 0, TITLE_ROW, last_col, title, styles.title)
    sheet.set_row(TITLE_ROW, 24)
    if period_line:
        sheet.merge_range(1, 0, 1, last_col, period_line, styles.note)
    sheet.merge_range(2, 0, 2, last_col, instructions, styles.note)
    sheet.set_row(2, 33)


def _column_width(column: Column) -> float:
    if column.vocabulary is not None:
        longest = max(len(label) for _, label in column.vocabulary.items)
        return min(max(longest * 0.9, len(column.label)) + 2, 42)
    if column.type == "text":
        return 12 if column.name == "item_no" else 40
    if column.type == "date":
        return 14
    if column.type == "money":
        return 18
    return max(min(len(column.label) * 0.8, 16), 9)


def _write_table_sheet(sheet, spec: TableSheet, rows: list[dict], period_line: str, styles, lists) -> None:
    last_col = len(spec.columns) - 1
    # Sheets whose free text is screened for personal names get no unit name line (no false alarms).
    line = None if spec.free_text_is_sensitive else period_line
    _write_preamble(sheet, spec.title, last_col, line, INSTRUCTIONS.get(spec.sheet, ""), styles)
    for col, column in enumerate(spec.columns):
        sheet.write_string(HEADER_ROW, col, column.label, styles.header)
        sheet.set_column(col, col, _column_width(column))
    sheet.set_row(HEADER_ROW, 48)
    first = HEADER_ROW + 1
    for offset, row in enumerate(rows):
        for col, column in enumerate(spec.columns):
            _write_value(sheet, first + offset, col, column, row.get(column.name), styles)
    last_input_row = first + len(rows) + BLANK_INPUT_ROWS - 1
    for col, column in enumerate(spec.columns):
        if column.vocabulary is not None:
            sheet.data_validation(
                first, col, last_input_row, col,
                {
                    "validate": "list",
                    "source": lists.source(column.vocabulary),
                    "error_title": "Giá trị không hợp lệ",
                    "error_message": f"Chọn {column.label} từ danh sách.",
                },
            )  # fmt: skip
    sheet.freeze_panes(first, 0)


def _write_label_value_sheet(sheet, spec: LabelValueSheet, values: dict, period_line: str, styles, lists) -> None:
    _write_preamble(sheet, spec.title, 1, period_line, INSTRUCTIONS.get(spec.sheet, ""), styles)
    sheet.set_column(0, 0, 58)
    sheet.set_column(1, 1, 36)
    for offset, column in enumerate(spec.rows):
        row = HEADER_ROW + offset
        sheet.write_string(row, 0, column.label, styles.label)
        _write_value(sheet, row, 1, column, values.get(column.name), styles)
        if column.vocabulary is not None:
            sheet.data_validation(
                row, 1, row, 1,
                {"validate": "list", "source": lists.source(column.vocabulary), "error_message": "Chọn từ danh sách."},
            )  # fmt: skip
    sheet.freeze_panes(HEADER_ROW, 0)
