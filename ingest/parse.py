"""Parse one report workbook into typed rows and a list of errors. Pure: a path in, values out.

The form is declared in `ingest.form_bdg1`; this module knows only how to read declared things from a
messy sheet: columns in any order, blank rows and columns, totals rows, label | value rows, typed values
and personal data in free text. Finding a table's header row is `ingest.headers`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook

from ingest import form_bdg1
from ingest.errors import IngestError, cell_ref
from ingest.file_guard import formula_errors, readable, refuse_reason, sheet_too_large
from ingest.form_bdg1 import Column, LabelValueSheet, TableSheet, Vocabulary
from ingest.headers import HEADER_SEARCH_ROWS, column_index, find_header, spec_key
from ingest.labels import LabelIndex, folded_key, label_key, sheet_key
from ingest.personal_data import stored_name
from ingest.sheet_scan import check_pii, scan_free_text
from ingest.values import MAX_COUNT, MAX_MONEY, is_blank, read_count, read_date, read_measure, read_money, read_text

_TOTALS = {label_key(label) for label in form_bdg1.TOTALS_LABELS}
_FOOTER_PREFIXES = tuple(
    folded_key(text)
    for text in ("người lập", "thủ trưởng", "lãnh đạo đơn vị", "xác nhận", "nơi nhận", "ghi chú:", "ký tên")
)
_COLUMN_NUMBER = re.compile(r"^\(?\s*\d+\s*\)?$")
_NUMERIC_TYPES = ("int", "money", "date", "number")
_FIGURE_TYPES = ("int", "money", "number")


@dataclass
class ParsedWorkbook:
    """What one file said: its identity (ThongTin), its typed rows per raw table, and its errors."""

    path: Path
    file_sha256: str
    meta: dict[str, object] = field(default_factory=dict)
    tables: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    totals: list[dict[str, object]] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)  # where each identity value (meta) was read

    @property
    def file_name(self) -> str:
        """The name the file is recorded under: its own, or a neutral one when it holds personal data."""
        return stored_name(self.path.name, self.file_sha256)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_workbook(path: Path, source=None) -> ParsedWorkbook:
    """Read a workbook (.xlsx, .xlsm, .xls, .ods) of a declared source (default: the BDG-1 form) and
    return typed rows and all its errors.

    Never raises for bad input: an unreadable file yields one UNREADABLE error; every other problem
    is collected with its sheet and cell.
    """
    path = Path(path)
    data = path.read_bytes()
    return parse_bytes(path, data, hashlib.sha256(data).hexdigest(), source)


def parse_bytes(path: Path, data: bytes, sha: str, source=None) -> ParsedWorkbook:
    """`parse_workbook` of a file already read (`data`, whose SHA-256 is `sha`)."""
    from ingest.sources import BDG1

    source = source or BDG1
    sheets = source.sheets
    parsed = ParsedWorkbook(path=path, file_sha256=sha)
    reason = refuse_reason(data)
    if reason is not None:
        parsed.errors.append(IngestError("UNREADABLE", reason))
        return parsed
    content, formulas = readable(data)  # the formula guard's reading, handed on to the reader
    try:
        # By content, not by name: a workbook saved as .xls but named .xlsx still opens.
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        visible = {
            sheet_key(meta.name): meta.name
            for meta in workbook.sheets_metadata
            if str(meta.visible).endswith("Visible") and str(meta.typ).endswith("WorkSheet")
        }
        grids = {}
        for spec in sheets:
            candidates = (
                list(visible.values()) if getattr(spec, "any_sheet", False) else [visible.get(sheet_key(spec.sheet))]
            )
            for actual in candidates:
                if actual is None:
                    continue
                sheet = workbook.get_sheet_by_name(actual)
                if sheet_too_large(sheet.end):
                    parsed.errors.append(
                        IngestError(
                            "UNREADABLE",
                            f"Trang «{actual}» có vùng dữ liệu quá lớn (đến ô {cell_ref(*sheet.end)}). "
                            "Đề nghị xóa các ô thừa ngoài bảng rồi gửi lại.",
                            sheet=actual,
                        )
                    )
                    return parsed
                grid = sheet.to_python(skip_empty_area=False)
                if len(candidates) == 1 or find_header(spec, grid) is not None:
                    grids[spec.sheet] = (actual, grid, sheet.merged_cell_ranges or ())
                    break
        _find_renamed_sheets(workbook, sheets, visible, grids)
    except Exception:  # calamine raises many kinds for corrupt or password-protected files
        parsed.errors.append(
            IngestError(
                "UNREADABLE",
                refuse_reason(data, thorough=True)
                or "Không đọc được tệp: tệp bị hỏng hoặc có mật khẩu. "
                "Đề nghị mở lại biểu mẫu, lưu dưới dạng .xlsx (không đặt mật khẩu) và gửi lại.",
            )
        )
        return parsed

    parse_grids(parsed, sheets, grids, check_identity=source.identity_sheet is not None)
    parsed.errors.extend(formula_errors(formulas, {grid[0] for grid in grids.values()}))
    return parsed


def _find_renamed_sheets(workbook, sheets, visible: dict[str, str], grids: dict) -> None:
    """A sheet the unit renamed ("Thông tin chung", "Biểu 1") is recognised by its labels instead."""
    missing = [spec for spec in sheets if spec.sheet not in grids]
    if not missing:
        return
    claimed = {entry[0] for entry in grids.values()}
    for actual in visible.values():
        if actual in claimed:
            continue
        sheet = workbook.get_sheet_by_name(actual)
        if sheet_too_large(sheet.end):
            continue
        grid = sheet.to_python(skip_empty_area=False)
        for spec in missing:
            if spec.sheet not in grids and _looks_like(spec, grid):
                grids[spec.sheet] = (actual, grid)
                break


def _looks_like(spec, grid: list[list]) -> bool:
    if isinstance(spec, TableSheet):
        header = find_header(spec, grid)
        required = {column.name for column in spec.columns if column.required}
        return header is not None and required <= {column.name for column in header[1].values()}
    index = column_index(spec)
    labels = {
        column.name
        for row in grid[:60]
        for value in row
        if value.__class__ is str and (column := index.find(value)) is not None
    }
    return len(labels) >= min(3, len(spec.rows))


def parse_grids(parsed: ParsedWorkbook, sheets, grids: dict[str, tuple], *, check_identity: bool) -> ParsedWorkbook:
    """Parse already-read sheets (spec sheet → (actual name, grid of cell values[, merged ranges])) into
    `parsed`; a merged range is ((first row, first column), (last row, last column)), 0-based."""
    for spec in sheets:
        if spec.sheet not in grids:
            if spec.required:
                parsed.errors.append(
                    IngestError(
                        "MISSING_SHEET",
                        f"Thiếu trang tính «{spec.sheet}» ({spec.title.lower()}). "
                        "Đề nghị dùng đúng biểu mẫu BDG-1, không xóa hoặc đổi tên trang tính.",
                        sheet=spec.sheet,
                    )
                )
            continue
        actual_name, grid, *merged = grids[spec.sheet]
        if isinstance(spec, LabelValueSheet):
            _parse_label_value(parsed, spec, actual_name, grid)
        else:
            _parse_table(parsed, spec, actual_name, grid, merged[0] if merged else ())
    if check_identity:
        _check_identity(parsed)
    return parsed


# --- label | value sheets -------------------------------------------------------------------------


def _parse_label_value(parsed: ParsedWorkbook, spec: LabelValueSheet, sheet: str, grid: list[list]) -> None:
    index = column_index(spec)
    found: dict[str, tuple[object, int, int]] = {}
    consumed: set[tuple[int, int]] = set()
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if value.__class__ is not str or not _filled(value):
                continue
            column = index.find(value)
            if column is None or column.name in found:
                continue
            consumed.add((r, c))
            value_col = next((k for k in range(c + 1, len(row)) if _filled(row[k])), c + 1)
            consumed.add((r, value_col))
            found[column.name] = (row[value_col] if value_col < len(row) else None, r, value_col)
            break
    scan_free_text(parsed, sheet, grid, skip=consumed, names_are_pii=False)

    values: dict[str, object] = {}
    for column in spec.rows:
        if column.name not in found:
            if column.required:
                parsed.errors.append(
                    IngestError(
                        "MISSING_COLUMN",
                        f"Thiếu dòng «{column.label}» trên trang «{spec.sheet}».",
                        sheet=sheet,
                    )
                )
            continue
        raw_value, r, c = found[column.name]
        if is_blank(raw_value):
            if column.required:
                parsed.errors.append(_blank_required_error(spec, column, sheet, cell_ref(r, c)))
            continue
        if column.type not in _NUMERIC_TYPES and isinstance(raw_value, str):
            check_pii(parsed, sheet, r, c, raw_value, names_are_pii=False)
        typed = _typed(parsed, column, raw_value, sheet, r, c)
        if typed is not None:
            values[column.name] = (typed, r)

    if spec.raw_table is None:
        parsed.meta.update({name: value for name, (value, _) in values.items()})
        parsed.cells.update({name: cell_ref(r, c) for name, (_, r, c) in found.items()})
        return
    parsed.tables[spec.raw_table] = [
        {
            "source_row": r + 1,
            "indicator_code": name,
            "value_text": value if isinstance(value, str) else None,
            "value_number": float(value) if isinstance(value, int | float) else None,
            "value_date": value if isinstance(value, dt.date) else None,
        }
        for name, (value, r) in values.items()
    ]


def _blank_required_error(spec, column: Column, sheet: str, cell: str) -> IngestError:
    code = "UNKNOWN_PERIOD" if column.name in ("report_type", "report_year") else "INVALID_VALUE"
    if column.name == "form_version":
        code = "FORM_VERSION"
    return IngestError(code, f"Chưa ghi «{column.label}».", sheet=sheet, cell=cell)


# --- table sheets ---------------------------------------------------------------------------------


def _parse_table(parsed: ParsedWorkbook, spec: TableSheet, sheet: str, grid: list[list], merged=()) -> None:
    header = find_header(spec, grid)
    if header is None:
        parsed.errors.append(
            IngestError(
                "MISSING_COLUMN",
                f"Không tìm thấy dòng tiêu đề của bảng trên trang «{spec.sheet}» trong {HEADER_SEARCH_ROWS} "
                f"dòng đầu (cần các cột: {', '.join(column.label for column in spec.columns)}).",
                sheet=sheet,
            )
        )
        scan_free_text(parsed, sheet, grid, names_are_pii=spec.free_text_is_sensitive)
        return
    header_row, mapping = header
    plan = _plan(spec, mapping)
    for column in plan.missing:
        parsed.errors.append(
            IngestError(
                "MISSING_COLUMN",
                f"Thiếu cột «{column.label}» trên trang «{spec.sheet}» (dòng tiêu đề {header_row + 1}).",
                sheet=sheet,
                cell=cell_ref(header_row, 0),
            )
        )
    first_data = header_row + 1
    _fill_merged_down(grid, merged, first_data, mapping)
    scan_free_text(
        parsed, sheet, grid, numbers_below=(first_data, plan.numeric_cols), names_are_pii=spec.free_text_is_sensitive
    )

    rows: list[dict[str, object]] = []
    columns, readers, unmapped, prefilled, index = plan.columns, plan.readers, plan.unmapped, plan.prefilled, plan.index
    for r in range(first_data, len(grid)):
        line = grid[r]
        first = _first_filled(line)
        if first is None:
            continue
        if first.__class__ is str:
            if label_key(first) in _TOTALS:
                _record_totals(parsed, spec, sheet, r, mapping, _cells(line, mapping))
                continue
            if folded_key(first).startswith(_FOOTER_PREFIXES):
                break
        if r == first_data and _is_column_number_row(line):
            continue  # the "(1) (2) (3) …" column-number row under Vietnamese headers
        width = len(line)
        values = [line[c] if c < width else None for c, _ in columns]
        if not any(map(_filled, values)):
            continue
        if prefilled is not None and not any(_filled(v) for i, v in enumerate(values) if i != prefilled):
            continue
        if _repeats_header(index, columns, values):
            continue  # the header printed again after a page break
        record: dict[str, object] = {"source_row": r + 1}
        for (c, column, name, fast), value in zip(readers, values, strict=True):
            if value is not None and (value.__class__ is not str or value != "" and not value.isspace()):
                typed = fast(value)  # the usual value of the usual type, else _SLOW: read it the full way
                record[name] = _typed(parsed, column, value, sheet, r, c) if typed is _SLOW else typed
                continue
            if column.required:
                parsed.errors.append(
                    IngestError(
                        "INVALID_VALUE",
                        f"Chưa ghi «{column.label}» (dòng {r + 1}).",
                        sheet=sheet,
                        cell=cell_ref(r, c),
                    )
                )
            record[name] = column.default
        record.update(unmapped)
        rows.append(record)
    parsed.tables[spec.raw_table] = rows


@dataclass(frozen=True)
class _TablePlan:
    """How a table sheet is read once its header is known: the same for every file with that header."""

    missing: tuple[Column, ...]  # figure or required columns the header lacks
    numeric_cols: frozenset[int]  # sheet columns read as numbers (exempt from the free-text scan)
    columns: tuple[tuple[int, Column], ...]  # (sheet column, form column), left to right
    readers: tuple[tuple, ...]  # (sheet column, form column, name, fast reader) per mapped column
    unmapped: tuple[tuple[str, object], ...]  # (name, value) of the form's columns the header lacks
    prefilled: int | None  # position in `columns` of the form's prefilled column (spec.prefilled)
    index: LabelIndex


_PLANS: dict[tuple, _TablePlan] = {}
_PLAN_LIMIT = 1 << 10  # headers laid out differently: a few per form, unless files are hostile


def _plan(spec: TableSheet, mapping: dict[int, Column]) -> _TablePlan:
    """The reading plan for a table sheet whose header maps sheet columns to form columns (`mapping`)."""
    key = (spec_key(spec), *((c, column.name) for c, column in mapping.items()))
    plan = _PLANS.get(key)
    if plan is not None:
        return plan
    present = {column.name for column in mapping.values()}
    columns = tuple(sorted(mapping.items()))
    plan = _TablePlan(
        # A figure column (a count or an amount) the header lacks would silently count as zero or one.
        missing=tuple(
            column
            for column in spec.columns
            if (column.required or column.type in _FIGURE_TYPES and not column.optional) and column.name not in present
        ),
        numeric_cols=frozenset(c for c, column in mapping.items() if column.type in _NUMERIC_TYPES),
        columns=columns,
        readers=tuple((c, column, column.name, _fast_reader(column)) for c, column in columns),
        unmapped=tuple(
            (column.name, None if column.optional else column.default)
            for column in spec.columns
            if column.name not in present
        ),
        prefilled=next((i for i, (_, column) in enumerate(columns) if column.name == spec.prefilled), None),
        index=column_index(spec),
    )
    if len(_PLANS) < _PLAN_LIMIT:
        _PLANS[key] = plan
    return plan


def _fill_merged_down(grid: list[list], merged, first_data: int, mapping: dict[int, Column]) -> None:
    """A category, text or date merged down over several rows ("Chương trình" shared by two activities)
    holds for each of them. A count or an amount merged down is not copied: it was given once, for all."""
    for (r0, c0), (r1, c1) in merged:
        if r1 <= r0 or r0 < first_data:
            continue
        for c in range(c0, c1 + 1):
            if c in mapping and mapping[c].type not in _FIGURE_TYPES:
                for r in range(r0 + 1, min(r1, len(grid) - 1) + 1):
                    if c < len(grid[r]) and not _filled(grid[r][c]):
                        grid[r][c] = grid[r0][c0]


def _filled(value: object) -> bool:
    """Not blank (the hot-loop form of `not is_blank(value)`)."""
    return value is not None and (value.__class__ is not str or not value.isspace() and value != "")


def _first_filled(line: list) -> object | None:
    if line.count("") + line.count(None) == len(line):
        return None  # a blank row (counted in C): the usual row below a table
    for value in line:
        if value.__class__ is str:
            if value and not value.isspace():
                return value
        elif value is not None:
            return value
    return None


def _cells(line: list, mapping: dict[int, Column]) -> dict[int, object]:
    width = len(line)
    return {c: line[c] if c < width else None for c in mapping}


def _is_column_number_row(line: list) -> bool:
    return all(
        isinstance(value, int | float) or (isinstance(value, str) and _COLUMN_NUMBER.match(value.strip()))
        for value in line
        if _filled(value)
    )


def _repeats_header(index: LabelIndex, columns: list[tuple[int, Column]], values: list) -> bool:
    """Every filled cell (at least two) is its own column's header label."""
    matched = 0
    for (_, column), value in zip(columns, values, strict=True):
        if not _filled(value):
            continue
        if value.__class__ is not str or index.find(value) is not column:
            return False
        matched += 1
    return matched >= 2


def _record_totals(parsed, spec: TableSheet, sheet: str, r: int, mapping, cells) -> None:
    for c, column in mapping.items():
        value = cells[c]
        if column.type in ("int", "money") and _filled(value):
            try:
                number = float(read_money(value))
            except ValueError:
                continue
            parsed.totals.append(
                {"sheet": spec.sheet, "source_row": r + 1, "column_name": column.name, "reported_value": number}
            )


# --- values ---------------------------------------------------------------------------------------


def _typed(parsed: ParsedWorkbook, column: Column, value: object, sheet: str, r: int, c: int) -> object:
    """The cell's value in the column's type, or None with an error recorded."""
    kind = column.type
    if (
        kind == "int"
        and value.__class__ is float
        and 0 <= value <= (column.maximum or MAX_COUNT)
        and value.is_integer()
    ):
        return int(value)  # the usual case, as calamine reads a typed number
    try:
        if kind == "int":
            return read_count(value, column.maximum or MAX_COUNT)
        if kind == "money":
            return read_money(value, column.maximum or MAX_MONEY)
        if kind == "date":
            return read_date(value)
        if kind == "number":
            return read_measure(value)
        if kind == "category":
            return _category(column.vocabulary, value)
        return read_text(value)
    except ValueError as reason:
        code = "UNKNOWN_PERIOD" if column.name in ("report_type", "report_year") else "INVALID_VALUE"
        parsed.errors.append(IngestError(code, f"«{column.label}»: {reason}.", sheet=sheet, cell=cell_ref(r, c)))
        return None


_SLOW = object()  # a fast reader's "not mine: read it with `_typed`"
_CATEGORY_CODES: dict[str, dict[str, str]] = {}  # vocabulary → text read before → its code (hits only)


def _fast_reader(column: Column):
    """A reader for the filled cells of `column` that returns what `_typed` returns for the values a
    form usually holds (a typed number, a date, plain text, a category label seen before), and
    _SLOW for every other value, which `_typed` then reads with its errors. Never records an error."""
    kind = column.type
    if kind == "int":
        top = column.maximum or MAX_COUNT
        return lambda value: (
            int(value) if value.__class__ is float and 0 <= value <= top and value.is_integer() else _SLOW
        )
    if kind == "money":
        top = column.maximum or MAX_MONEY
        return lambda value: round(value) if value.__class__ is float and 0 <= value <= top else _SLOW
    if kind == "date":
        return lambda value: value if value.__class__ is dt.date else _SLOW
    if kind == "category":
        codes = _CATEGORY_CODES.setdefault(column.vocabulary.name, {})
        return lambda value: codes.get(value, _SLOW) if value.__class__ is str else _SLOW
    if kind in ("text", "bool"):  # printable: no control or bidi character to strip (read_text does)
        return lambda value: value.strip() if value.__class__ is str and value.isprintable() else _SLOW
    return lambda value: _SLOW


_VOCAB_INDEX: dict[str, LabelIndex] = {}


def _category(vocabulary: Vocabulary, value: object) -> str:
    index = _VOCAB_INDEX.get(vocabulary.name)
    if index is None:
        entries = {label: code for code, label in vocabulary.items}
        entries.update({code: code for code in vocabulary.codes})
        entries.update(dict(vocabulary.aliases))
        index = _VOCAB_INDEX[vocabulary.name] = LabelIndex(entries)
    code = index.find(read_text(value))
    if code is None:
        choices = "; ".join(label for _, label in vocabulary.items)
        raise ValueError(f"giá trị không có trong danh mục (chọn một trong: {choices})")
    codes = _CATEGORY_CODES.setdefault(vocabulary.name, {})
    if value.__class__ is str and len(codes) < _CATEGORY_LIMIT:
        codes[value] = code
    return code


_CATEGORY_LIMIT = 1 << 12  # remembered category texts per vocabulary (labels in any spelling units use)


# --- identity and personal data -------------------------------------------------------------------


def _check_identity(parsed: ParsedWorkbook) -> None:
    meta = parsed.meta
    version = meta.get("form_version")
    if version is not None and label_key(version) != label_key(form_bdg1.FORM_VERSION):
        parsed.errors.append(
            IngestError(
                "FORM_VERSION",
                f"Phiên bản biểu mẫu không đúng: cần «{form_bdg1.FORM_VERSION}». Đề nghị dùng biểu mẫu mới nhất.",
                sheet=form_bdg1.THONG_TIN.sheet,
                cell=parsed.cells.get("form_version"),
            )
        )
    year = meta.get("report_year")
    if year is not None and not 2000 <= int(year) <= 2100:
        parsed.errors.append(
            IngestError(
                "UNKNOWN_PERIOD",
                f"Năm báo cáo {year} không hợp lệ.",
                sheet=form_bdg1.THONG_TIN.sheet,
                cell=parsed.cells.get("report_year"),
            )
        )
        meta.pop("report_year")
