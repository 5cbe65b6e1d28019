"""Write the same sheets (name → rows of values) as .xlsx/.xlsm (xlsxwriter), .xls (xlwt) or .ods (odfpy)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter


def write_sheets(
    path: Path, sheets: dict[str, list[list]], *, hidden: tuple[str, ...] = (), merged: dict | None = None
) -> Path:
    """`merged`: sheet → [(first row, first column, last row, last column)], 0-based (.xlsx and .xls)."""
    suffix = path.suffix.lower()
    merged = merged or {}
    if suffix in (".xlsx", ".xlsm"):
        _xlsx(path, sheets, hidden, merged)
    elif suffix == ".xls":
        _xls(path, sheets, hidden, merged)
    elif suffix == ".ods":
        _ods(path, sheets)
    else:
        raise ValueError(suffix)
    return path


def _inside_merge(ranges, r, c) -> bool:
    return any(r0 <= r <= r1 and c0 <= c <= c1 for r0, c0, r1, c1 in ranges)


def _xlsx(path, sheets, hidden, merged):
    workbook = xlsxwriter.Workbook(str(path))
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        if name in hidden:
            sheet.hide()
        for r0, c0, r1, c1 in merged.get(name, ()):
            sheet.merge_range(r0, c0, r1, c1, rows[r0][c0])
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if _inside_merge(merged.get(name, ()), r, c):
                    continue
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
                elif value is not None and value != "":
                    sheet.write(r, c, value)
    workbook.close()


def _xls(path, sheets, hidden, merged):
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    for name, rows in sheets.items():
        sheet = workbook.add_sheet(name)
        if name in hidden:
            sheet.visibility = 1
        for r0, c0, r1, c1 in merged.get(name, ()):
            sheet.write_merge(r0, r1, c0, c1, rows[r0][c0])
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if _inside_merge(merged.get(name, ()), r, c):
                    continue
                if isinstance(value, dt.date):
                    sheet.write(r, c, dt.datetime.combine(value, dt.time()), date_style)
                elif value is not None and value != "":
                    sheet.write(r, c, value)
    workbook.save(str(path))


def _ods(path, sheets):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            table_row = TableRow()
            for value in row:
                if value is None or value == "":
                    cell = TableCell()
                elif isinstance(value, dt.date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat())
                    cell.addElement(P(text=value.strftime("%d/%m/%Y")))
                elif isinstance(value, int | float):
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value)))
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=str(value)))
                table_row.addElement(cell)
            table.addElement(table_row)
        document.spreadsheet.addElement(table)
    document.save(str(path))


def bdg1_sheets(**replace) -> dict[str, list[list]]:
    """A complete, valid BDG-1 workbook as plain rows; keyword arguments replace whole sheets."""
    sheets = {
        "ThongTin": [
            ["THÔNG TIN BÁO CÁO"],
            [],
            ["Mã đơn vị", "24-XA001"],
            ["Tên đơn vị", "UBND xã Thử Nghiệm"],
            ["Kỳ báo cáo", "Năm"],
            ["Năm báo cáo", 2026],
            ["Ngày lập báo cáo", dt.date(2026, 11, 20)],
            ["Phiên bản biểu mẫu", "BDG-1"],
        ],
        "HoatDong": [
            ["KẾT QUẢ HOẠT ĐỘNG"],
            [],
            ["STT", "Loại hoạt động", "Chương trình", "Tên hoạt động", "Ngày thực hiện", "Hình thức", "Số lượng",
             "Tổng số người tham gia", "Nữ", "Nam", "Người DTTS", "Kinh phí (đồng)"],
            [1, "Tập huấn, bồi dưỡng", "CHIEN_LUOC", "Tập huấn luật", dt.date(2026, 3, 4), "Trực tiếp", 2,
             120, 70, 50, 5, 193700000],
            [2, "TIN_BAI", "BLG_625", "Tin bài", "05/06/2026", "", "", "", "", "", "", ""],
            ["Tổng cộng", "", "", "", "", "", 3, 120, 70, 50, 5, 193700000],
        ],
        "VuViec": [
            ["Loại vụ việc", "Số vụ phát hiện", "Số vụ đã xử lý", "Nạn nhân nữ", "Nạn nhân nam", "Trong đó trẻ em",
             "Nạn nhân được hỗ trợ", "Người gây bạo lực được tư vấn", "Ghi chú"],
            ["Bạo lực gia đình", 3, 2, 3, 0, 1, 3, 2, "Đã hòa giải"],
        ],
        "LanhDao": [
            ["Nhóm chức danh", "Tổng số", "Nữ", "Nữ là người DTTS", "Quy hoạch: tổng số", "Quy hoạch: nữ",
             "Quy hoạch: nữ được đào tạo, bồi dưỡng"],
            ["Lãnh đạo chủ chốt", 4, 1, 0, 8, 4, 4],
        ],
        "ChiTieu": [
            ["Ban Vì sự tiến bộ của phụ nữ đã kiện toàn", "Có"],
            ["Số nơi tạm lánh", 1],
        ],
    }  # fmt: skip
    sheets.update(replace)
    return sheets
