"""Feedback workbook for a rejected file: what to fix, cell by cell, ready to send back to the unit."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from ingest.atomic import atomic_output, text_workbook
from ingest.errors import IngestError
from ingest.periods import LOCAL_TZ

_UNSAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)
_CODE_LABELS = {
    "UNREADABLE": "Không đọc được tệp",
    "MISSING_SHEET": "Thiếu trang tính",
    "MISSING_COLUMN": "Thiếu cột/dòng",
    "UNKNOWN_UNIT": "Mã đơn vị không đúng",
    "UNKNOWN_PERIOD": "Kỳ báo cáo không đúng",
    "FORM_VERSION": "Sai phiên bản biểu mẫu",
    "INVALID_VALUE": "Giá trị không hợp lệ",
    "PII_FOUND": "Có thông tin cá nhân",
}


def feedback_file_name(file_name: str, file_sha256: str) -> str:
    """A safe, unique name: the original stem (NFC, no path or odd characters) and a short hash."""
    stem = unicodedata.normalize("NFC", Path(file_name).stem)
    stem = _UNSAFE.sub("_", stem).strip(" ._") or "tep"
    return f"phan_hoi__{stem[:80]}__{file_sha256[:8]}.xlsx"


def write_feedback(
    out_dir: Path,
    *,
    file_name: str,
    file_sha256: str,
    received_at: dt.datetime,
    unit_code: str | None,
    unit_name: str | None,
    errors: list[IngestError],
) -> Path:
    """Write `out_dir/phan_hoi__<file>__<hash>.xlsx` listing every error of the file; returns its path.

    Error messages never contain the offending value (personal data stays out of feedback too). The
    file appears whole or not at all (`ingest.atomic.atomic_output`).
    """
    path = Path(out_dir) / feedback_file_name(file_name, file_sha256)
    with atomic_output(path) as tmp:
        _write_workbook(tmp, file_name, received_at, unit_code, unit_name, errors)
    return path


def _write_workbook(
    path: Path,
    file_name: str,
    received_at: dt.datetime,
    unit_code: str | None,
    unit_name: str | None,
    errors: list[IngestError],
) -> None:
    # in_memory: xlsxwriter otherwise writes (and removes) a temporary file per sheet part, which cost
    # more than the workbook itself when a night rejects a hundred files. Dated when the file was
    # received: the same file gives the same feedback, byte for byte.
    created = received_at.astimezone(dt.UTC).replace(tzinfo=None)
    workbook = text_workbook(path, created, {"in_memory": True})
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "top", "text_wrap": True}
    title = workbook.add_format({**base, "bold": True, "font_size": 14, "align": "center"})
    plain = workbook.add_format(base)
    bold = workbook.add_format({**base, "bold": True})
    header = workbook.add_format({**base, "bold": True, "border": 1, "align": "center", "bg_color": "#DDEBF7"})
    cell = workbook.add_format({**base, "border": 1})
    centred = workbook.add_format({**base, "border": 1, "align": "center"})

    sheet = workbook.add_worksheet("PhanHoi")
    sheet.set_column("A:A", 6)
    sheet.set_column("B:B", 16)
    sheet.set_column("C:C", 8)
    sheet.set_column("D:D", 24)
    sheet.set_column("E:E", 80)
    sheet.merge_range("A1:E1", "PHIẾU PHẢN HỒI KẾT QUẢ KIỂM TRA BÁO CÁO BÌNH ĐẲNG GIỚI", title)
    local = received_at.astimezone(LOCAL_TZ)
    facts = [
        ("Tệp đã nhận:", file_name),
        ("Thời điểm nhận:", local.strftime("%H:%M ngày %d/%m/%Y")),
        ("Đơn vị:", f"{unit_code or 'không xác định được'}" + (f" – {unit_name}" if unit_name else "")),
        ("Kết quả:", f"Báo cáo CHƯA được tiếp nhận do có {len(errors)} lỗi cần sửa (liệt kê dưới đây)."),
    ]
    for row, (label, value) in enumerate(facts, start=2):
        sheet.write_string(row, 0, label, bold)
        sheet.merge_range(row, 1, row, 4, "", plain)
        sheet.write_string(row, 1, value, plain)
    top = len(facts) + 3
    for col, label in enumerate(("STT", "Trang tính", "Ô", "Loại lỗi", "Nội dung cần sửa")):
        sheet.write_string(top, col, label, header)
    for number, error in enumerate(errors, start=1):
        row = top + number
        sheet.write_number(row, 0, number, centred)
        sheet.write_string(row, 1, error.sheet or "(cả tệp)", cell)
        sheet.write_string(row, 2, error.cell or "", centred)
        sheet.write_string(row, 3, f"{_CODE_LABELS.get(error.code, error.code)} ({error.code})", cell)
        sheet.write_string(row, 4, error.message_vi, cell)
    closing = top + len(errors) + 2
    sheet.merge_range(
        closing, 0, closing, 4,
        "Đề nghị đơn vị sửa các lỗi trên trong biểu mẫu BDG-1 và gửi lại toàn bộ tệp báo cáo cho Sở Nội vụ. "
        "Báo cáo gửi lại sẽ thay thế báo cáo trước.",
        plain,
    )  # fmt: skip
    sheet.freeze_panes(top + 1, 0)
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.set_landscape()
    workbook.close()
