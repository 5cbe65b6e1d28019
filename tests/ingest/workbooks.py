"""Tiny real workbooks built in code for parser tests: a valid BDG-1 file, then variations of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

THONG_TIN = [
    ("Mã đơn vị", "24-XA001"),
    ("Tên đơn vị", "UBND xã Thử Nghiệm"),
    ("Kỳ báo cáo", "Năm"),
    ("Năm báo cáo", 2026),
    ("Ngày lập báo cáo", "20/11/2026"),
    ("Phiên bản biểu mẫu", "BDG-1"),
]
HOAT_DONG_HEADER = [
    "STT", "Loại hoạt động", "Chương trình", "Tên hoạt động", "Ngày thực hiện", "Hình thức", "Số lượng",
    "Tổng số người tham gia", "Nữ", "Nam", "Người DTTS", "Kinh phí (đồng)",
]  # fmt: skip
HOAT_DONG_ROWS = [
    [1, "Tập huấn, bồi dưỡng", "Chiến lược quốc gia về bình đẳng giới", "Tập huấn luật BĐG",
     dt.datetime(2026, 3, 4), "Trực tiếp", 2, 120, 70, 50, 5, 193700000],
    [2, "TIN_BAI", "BLG_625", "Tin bài tuyên truyền", "05/06/2026", "", "", "", "", "", "", ""],
]  # fmt: skip
VU_VIEC_HEADER = [
    "Loại vụ việc", "Số vụ phát hiện", "Số vụ đã xử lý", "Nạn nhân nữ", "Nạn nhân nam", "Trong đó trẻ em",
    "Nạn nhân được hỗ trợ", "Người gây bạo lực được tư vấn", "Ghi chú",
]  # fmt: skip
VU_VIEC_ROWS = [["Bạo lực gia đình", 3, 2, 3, 0, 1, 3, 2, "Đã hòa giải tại thôn"]]
LANH_DAO_HEADER = [
    "Nhóm chức danh", "Tổng số", "Nữ", "Nữ là người DTTS", "Quy hoạch: tổng số", "Quy hoạch: nữ",
    "Quy hoạch: nữ được đào tạo, bồi dưỡng",
]  # fmt: skip
LANH_DAO_ROWS = [["Lãnh đạo chủ chốt", 4, 1, 0, 8, 4, 4], ["CAP_PHONG", 10, 3, 1, 12, 6, 5]]
CHI_TIEU = [
    ("Ban Vì sự tiến bộ của phụ nữ đã kiện toàn", "Có"),
    ("Số nơi tạm lánh", 1),
    ("Kinh phí bố trí cho bình đẳng giới (đồng)", "50.000.000"),
]


def write_workbook(path: Path, *, drop_sheets=(), thong_tin=None, hoat_dong_rows=None, vu_viec_rows=None,
                   title_rows: int = 2) -> Path:  # fmt: skip
    """Write a BDG-1 workbook; keyword arguments replace parts to make a broken or messy variant."""
    workbook = xlsxwriter.Workbook(str(path))
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})

    def table(name, header, rows):
        if name in drop_sheets:
            return
        sheet = workbook.add_worksheet(name)
        sheet.merge_range(0, 0, 0, len(header) - 1, f"Biểu {name}")
        top = title_rows
        sheet.write_row(top, 0, header)
        for offset, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if isinstance(value, dt.datetime):
                    sheet.write_datetime(top + offset, col, value, date_format)
                elif value != "":
                    sheet.write(top + offset, col, value)

    def label_value(name, pairs):
        if name in drop_sheets:
            return
        sheet = workbook.add_worksheet(name)
        sheet.write(0, 0, f"Biểu {name}")
        for offset, (label, value) in enumerate(pairs, start=2):
            sheet.write(offset, 0, label)
            sheet.write(offset, 1, value)

    label_value("ThongTin", thong_tin or THONG_TIN)
    table("HoatDong", HOAT_DONG_HEADER, HOAT_DONG_ROWS if hoat_dong_rows is None else hoat_dong_rows)
    table("VuViec", VU_VIEC_HEADER, VU_VIEC_ROWS if vu_viec_rows is None else vu_viec_rows)
    table("LanhDao", LANH_DAO_HEADER, LANH_DAO_ROWS)
    label_value("ChiTieu", CHI_TIEU)
    workbook.close()
    return path


def with_info(**changes) -> list[tuple[str, object]]:
    """ThongTin rows with some values replaced, keyed by label."""
    return [(label, changes.get(label, value)) for label, value in THONG_TIN]
