"""The BDG-1 form writer: the workbook a unit fills in, driven by the declarative spec in ingest.form_bdg1.

Every sheet of `SHEETS` is written in order with the spec's exact labels, so the parser accepts what this
writes. Category cells carry the Vietnamese label and a drop-down list of the vocabulary's labels; the
lists live on a hidden sheet (`DanhMuc`) because labels contain commas, which an inline Excel list
cannot hold. Counts, amounts and dates are validated as they are typed.

Each sheet prints on one A4 landscape page (fitted to the width, the header row repeated if a unit adds
so many rows that it runs onto a second page) and ends in the signature block. The block's first row
begins "Người lập biểu", one of the footer words at which the parser stops reading a table. A blank form
(no `content`) lists every case type (VuViec) and position group (LanhDao) on its own row; a row left
without figures reads as zeros, as a blank count always does.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from ingest.form_bdg1 import (
    CASE_TYPES,
    FORM_VERSION,
    POSITION_GROUPS,
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
BLANK_INPUT_ROWS = 30  # empty lines of a free table (HoatDong, NhiemVu): as many as one page holds
PREFILLED_ROW_HEIGHT = 30  # two lines: room for a note, or for figures written by hand
# Tables of one row per item of a closed list: the blank form lists the items (column → vocabulary).
PREFILLED = {"VuViec": ("case_type_code", CASE_TYPES), "LanhDao": ("position_group_code", POSITION_GROUPS)}
PAGE_WIDTH = 150  # column-width units across an A4 landscape page at 100 %; narrower tables widen their text
FIRST_DATE = date(2000, 1, 1)
CODE_WIDTHS = {"item_no": 6, "task_code": 18}  # text columns holding a number or a code: kept narrow

SIGNERS = (("NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)"), ("THỦ TRƯỞNG ĐƠN VỊ", "(Ký, ghi rõ họ tên, đóng dấu)"))
DATE_LINE = "……………, ngày …… tháng …… năm ………"
MORE_ROWS = " Cần thêm dòng thì chèn dòng vào giữa bảng (phía trên dòng trống cuối cùng) để giữ danh sách chọn."

INSTRUCTIONS = {
    "ThongTin": "Điền mã đơn vị theo danh mục của Sở Nội vụ; không sửa tên các dòng ở cột A.",
    "HoatDong": (
        "Mỗi dòng một hoạt động hoặc một nhóm hoạt động cùng loại. Chọn Loại hoạt động, Chương trình, "
        "Hình thức từ danh sách. Ngày ghi theo dd/mm/yyyy; Tổng số người tham gia = Nữ + Nam." + MORE_ROWS
    ),
    "VuViec": (
        "Chỉ ghi số liệu, mỗi dòng một loại vụ việc; loại không có vụ việc thì để trống hoặc ghi 0. Tuyệt đối "
        "không ghi họ tên, số định danh, số điện thoại, địa chỉ thư điện tử của nạn nhân hoặc người gây bạo lực."
    ),
    "LanhDao": (
        "Mỗi dòng một nhóm chức danh. Lãnh đạo chủ chốt: người đứng đầu và cấp phó của cơ quan; "
        "ở cấp xã là Chủ tịch, Phó Chủ tịch HĐND và UBND."
    ),
    "ChiTieu": "Ghi giá trị ở cột B; các ô có danh sách thì chọn từ danh sách.",
    "NhiemVu": "Không bắt buộc. Ghi mã nhiệm vụ theo phụ lục kế hoạch của tỉnh và tình trạng thực hiện." + MORE_ROWS,
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

    `report_type` is '6T' or 'NAM'. Without `content` the form is blank but prefilled: ThongTin, and one
    row per case type (VuViec) and per position group (LanhDao) with its figures left empty.
    `omit_sheets` drops sheets by name (used to produce faulty test files). Raises KeyError on an
    unknown report type or category code that is neither a code nor a label of its vocabulary.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    blank = content is None
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
    checks = _Checks(_LISTS, last_date=date(report_year + 1, 12, 31))

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
            rows = content.rows_for(spec)
            if blank and not rows and spec.sheet in PREFILLED:
                name, vocabulary = PREFILLED[spec.sheet]
                rows = [{name: code} for code in vocabulary.codes]
            spare = 0 if spec.sheet in PREFILLED else BLANK_INPUT_ROWS
            last_row, last_col = _write_table_sheet(sheet, spec, rows, spare, period_line, styles, checks)
        else:
            values = header_values if spec.raw_table is None else content.indicators
            last_row, last_col = _write_label_value_sheet(sheet, spec, values, period_line, styles, checks)
        _write_signatures(sheet, last_row + 2, last_col, styles)
        _set_up_page(sheet, spec, last_row + 2 + len(_SIGNATURE_ROWS) - 1, last_col)
    _LISTS.write(book)
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
        self.signer = book.add_format({"bold": True, "align": "center", "valign": "bottom", "text_wrap": True})
        self.sign_note = book.add_format({"italic": True, "align": "center", "valign": "top"})
        self.date_line = book.add_format({"italic": True, "bold": False})

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


@dataclass(frozen=True)
class _Checks:
    """The data validation of each column type: what a cell accepts, and the Vietnamese messages."""

    lists: _VocabularyLists
    last_date: date

    def rule(self, column: Column) -> dict | None:
        label = column.label
        if column.vocabulary is not None:
            return {
                "validate": "list",
                "source": self.lists.source(column.vocabulary),
                "error_title": "Giá trị không hợp lệ",
                "error_message": f"Chọn «{label}» từ danh sách.",
            }
        if column.name == "report_year":
            return {
                "validate": "integer", "criteria": "between", "minimum": 2000, "maximum": 2100,
                "error_title": "Năm không hợp lệ", "error_message": "Ghi năm báo cáo bằng bốn chữ số, ví dụ 2026.",
            }  # fmt: skip
        if column.type in ("int", "money"):
            whole = column.type == "int"
            return {
                "validate": "integer" if whole else "decimal",
                "criteria": ">=",
                "value": 0,
                "error_title": "Số không hợp lệ",
                "error_message": f"«{label}»: ghi {'số nguyên' if whole else 'số tiền'} từ 0 trở lên, không ghi chữ.",
            }
        if column.type == "date":
            # A warning, not a stop: where Excel does not read dd/mm/yyyy as a date the text is kept,
            # and the parser reads that text.
            return {
                "validate": "date", "criteria": "between", "minimum": FIRST_DATE, "maximum": self.last_date,
                "error_type": "warning", "error_title": "Ngày không hợp lệ",
                "error_message": (
                    f"«{label}»: ghi ngày theo dạng dd/mm/yyyy, từ {FIRST_DATE:%d/%m/%Y} "
                    f"đến {self.last_date:%d/%m/%Y}."
                ),
                "input_title": "Ngày", "input_message": "Ghi theo dạng dd/mm/yyyy.",
            }  # fmt: skip
        return None

    def apply(self, sheet, first_row: int, col: int, last_row: int, column: Column) -> None:
        rule = self.rule(column)
        if rule is not None and last_row >= first_row:
            sheet.data_validation(first_row, col, last_row, col, rule)


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


def _write_preamble(sheet, title: str, widths: list[float], period_line: str | None, instructions: str, styles):
    last_col = len(widths) - 1
    sheet.merge_range(TITLE_ROW, 0, TITLE_ROW, last_col, title, styles.title)
    sheet.set_row(TITLE_ROW, 24)
    if period_line:
        sheet.merge_range(1, 0, 1, last_col, period_line, styles.note)
    sheet.merge_range(2, 0, 2, last_col, instructions, styles.note)
    # merged cells do not grow with their text: give the instructions the lines they need
    sheet.set_row(2, 16 * _lines(instructions, sum(widths)) + 2)


def _lines(text: str, width: float) -> int:
    """About how many lines `text` takes wrapped in a cell `width` units wide (12-point Times)."""
    words, lines, used = text.split(), 1, 0.0
    for word in words:
        need = len(word) * 0.9 + (1 if used else 0)
        if used + need > width - 1 and used:
            lines, used = lines + 1, len(word) * 0.9
        else:
            used += need
    return lines


def _column_widths(spec: TableSheet, prefilled: bool) -> list[float]:
    """Widths sized for print: a prefilled list column holds its longest label on one line, another list
    column wraps, figures are narrow (their headers wrap), and text columns (else the figures) share
    what is left of an A4 landscape page."""
    widths = []
    for column in spec.columns:
        if column.vocabulary is not None:
            longest = max(len(label) for _, label in column.vocabulary.items)
            widths.append(longest * 0.95 + 2 if prefilled else min(max(longest * 0.6, 16), 28))
        elif column.type == "text":
            widths.append(CODE_WIDTHS.get(column.name, 26))
        else:
            widths.append({"date": 12, "money": 15}.get(column.type, 10))
    # the page's spare width goes to the text columns, or to the figures of a table without any
    wide = [i for i, column in enumerate(spec.columns) if column.type == "text" and column.name not in CODE_WIDTHS]
    wide = wide or [i for i, column in enumerate(spec.columns) if column.vocabulary is None]
    spare = max(PAGE_WIDTH - sum(widths), 0)
    for i in wide:
        widths[i] += spare / len(wide)
    return widths


def _write_table_sheet(sheet, spec: TableSheet, rows: list[dict], spare: int, period_line: str, styles, checks):
    """The table with its rows and `spare` empty lines; returns the last row and column written."""
    widths = _column_widths(spec, prefilled=spec.sheet in PREFILLED)
    # Sheets whose free text is screened for personal names get no unit name line (no false alarms).
    line = None if spec.free_text_is_sensitive else period_line
    _write_preamble(sheet, spec.title, widths, line, INSTRUCTIONS.get(spec.sheet, ""), styles)
    for col, (column, width) in enumerate(zip(spec.columns, widths, strict=True)):
        sheet.write_string(HEADER_ROW, col, column.label, styles.header)
        sheet.set_column(col, col, width)
    header_lines = max(_lines(column.label, width) for column, width in zip(spec.columns, widths, strict=True))
    sheet.set_row(HEADER_ROW, 16 * header_lines + 4)
    first = HEADER_ROW + 1
    last_row = first + len(rows) + spare - 1
    for r in range(first, last_row + 1):
        row = rows[r - first] if r - first < len(rows) else {}
        if spec.sheet in PREFILLED:
            sheet.set_row(r, PREFILLED_ROW_HEIGHT)
        for col, column in enumerate(spec.columns):
            _write_value(sheet, r, col, column, row.get(column.name), styles)
    for col, column in enumerate(spec.columns):
        checks.apply(sheet, first, col, last_row, column)
    sheet.freeze_panes(first, 0)
    sheet.repeat_rows(HEADER_ROW)
    return last_row, len(spec.columns) - 1


def _write_label_value_sheet(sheet, spec: LabelValueSheet, values: dict, period_line: str, styles, checks):
    """One `label | value` row per spec row; returns the last row and column written."""
    widths = [62, 48]
    _write_preamble(sheet, spec.title, widths, period_line, INSTRUCTIONS.get(spec.sheet, ""), styles)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    for offset, column in enumerate(spec.rows):
        row = HEADER_ROW + offset
        sheet.write_string(row, 0, column.label, styles.label)
        _write_value(sheet, row, 1, column, values.get(column.name), styles)
        sheet.set_row(row, 20)
        checks.apply(sheet, row, 1, row, column)
    sheet.freeze_panes(HEADER_ROW, 0)
    return HEADER_ROW + len(spec.rows) - 1, 1


# Below the table, after one empty row: the signers (the place and date above the head of the unit's),
# what each writes, then room for the signatures and the seal.
_SIGNATURE_ROWS = (("signers", 36), ("notes", 18), ("space", 66))


def _write_signatures(sheet, first_row: int, last_col: int, styles) -> None:
    """The signature block, left half for the preparer, right half for the head of the unit. The first
    row's first cell reads "NGƯỜI LẬP BIỂU": the parser stops reading the table there."""
    split = (last_col + 1) // 2 if last_col > 0 else 1
    halves = ((0, max(split - 1, 0)), (split, max(last_col, split)))
    for offset, (kind, height) in enumerate(_SIGNATURE_ROWS):
        row = first_row + offset
        sheet.set_row(row, height)
        if kind == "space":
            continue
        for (first_col, end_col), (signer, note) in zip(halves, SIGNERS, strict=True):
            text, cell_format = (signer, styles.signer) if kind == "signers" else (note, styles.sign_note)
            if end_col > first_col:
                sheet.merge_range(row, first_col, row, end_col, text, cell_format)
            else:
                sheet.write_string(row, first_col, text, cell_format)
            if kind == "signers" and first_col > 0:  # the place and date above the head's title
                sheet.write_rich_string(
                    row, first_col, styles.date_line, DATE_LINE + "\n", styles.signer, signer, cell_format
                )


def _set_up_page(sheet, spec, last_row: int, last_col: int) -> None:
    """A4 landscape, fitted to the page's width, centred, with the form, sheet and page in the footer."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.center_horizontally()
    sheet.fit_to_pages(1, 0)
    sheet.print_area(0, 0, last_row, last_col)
    sheet.set_footer(f"&L&9Biểu mẫu {FORM_VERSION} · {spec.title.capitalize()}&R&9Trang &P/&N")
