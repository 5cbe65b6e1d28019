"""What real units send: other file formats, other layouts the form allows, hostile and odd files."""

from __future__ import annotations

import datetime as dt
import os
import zipfile

import pytest

from ingest.parse import parse_workbook
from ingest.values import read_count, read_date, read_money
from tests.ingest.formats import bdg1_sheets, write_sheets

pytestmark = pytest.mark.fast  # the edit-test tier (make test-fast)


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm", ".xls", ".ods"])
def test_every_spreadsheet_format_reads_the_same(tmp_path, suffix):
    parsed = parse_workbook(write_sheets(tmp_path / f"bao_cao{suffix}", bdg1_sheets()))

    assert parsed.errors == []
    assert (parsed.meta["unit_code"], parsed.meta["report_type"], parsed.meta["report_year"]) == (
        "24-XA001",
        "NAM",
        2026,
    )
    first, second = parsed.tables["activities"]
    assert (first["activity_type_code"], first["quantity"], first["budget_vnd"]) == ("TAP_HUAN", 2, 193_700_000)
    assert first["activity_date"] == dt.date(2026, 3, 4)
    assert (second["activity_date"], second["quantity"]) == (dt.date(2026, 6, 5), 1)
    assert [t["column_name"] for t in parsed.totals][:2] == ["quantity", "participants_total"]


def test_a_workbook_named_with_the_wrong_extension_still_opens(tmp_path):
    real = write_sheets(tmp_path / "that.xls", bdg1_sheets())
    renamed = tmp_path / "bao cao.xlsx"
    real.rename(renamed)
    assert parse_workbook(renamed).errors == []


def test_layout_variants_the_form_allows(tmp_path):
    header = ["Kinh phí (đồng)", "Người DTTS", "", "Nam", "Nữ", "Tổng số người tham gia", "Số lượng", "Hình thức",
              "ngày thực hiện", "TÊN HOẠT ĐỘNG", "chương trình", "Loại hoạt động", "STT"]  # fmt: skip
    row = ["1 500 000", 0, "", "12", 8, "20", "", "Trực tuyến", 46085.0, "Tọa đàm", "chương trình phòng ngừa, "
           "ứng phó bạo lực trên cơ sở giới", "Hội thảo, tọa đàm, đối thoại chính sách", "1"]  # fmt: skip
    sheets = bdg1_sheets(
        HoatDong=[
            ["UBND XÃ THỬ NGHIỆM"],
            ["BIỂU KẾT QUẢ"],
            [],
            [""] + header,
            [""] + [f"({i})" for i in range(13)],
            [],
            [""] + row,
            [],
            ["", "Người lập biểu"],
            ["", "Nguyễn Văn A"],
        ],  # fmt: skip
        GhiChu=[["Trang thêm của đơn vị"]],
    )
    parsed = parse_workbook(write_sheets(tmp_path / "layout.xlsx", sheets, hidden=("GhiChu",)))

    assert parsed.errors == []
    (activity,) = parsed.tables["activities"]
    assert activity["programme_code"] == "BLG_625" and activity["activity_type_code"] == "TOA_DAM"
    assert (activity["participants_total"], activity["participants_male"], activity["budget_vnd"]) == (
        20,
        12,
        1_500_000,
    )
    assert activity["activity_date"] == dt.date(2026, 3, 4)  # an Excel serial number typed as a plain number
    assert activity["source_row"] == 7


def test_missing_required_column_names_the_header_row(tmp_path):
    sheets = bdg1_sheets()
    sheets["HoatDong"] = [[cell for i, cell in enumerate(row) if i != 2] for row in sheets["HoatDong"]]
    parsed = parse_workbook(write_sheets(tmp_path / "no_programme.xlsx", sheets))
    assert [(e.code, e.sheet, e.cell) for e in parsed.errors] == [("MISSING_COLUMN", "HoatDong", "A3")]
    assert "Chương trình" in parsed.errors[0].message_vi


def _hoat_dong_header(rename):
    sheets = bdg1_sheets()
    header = next(row for row in sheets["HoatDong"] if "Số lượng" in row)
    header[:] = [rename.get(label, label) for label in header]
    return sheets


def test_item_numbers_and_footnote_marks_on_header_labels_are_read_past(tmp_path):
    sheets = _hoat_dong_header({"Loại hoạt động": "1. Loại hoạt động", "Số lượng": "Số lượng (*)",
                                "Kinh phí (đồng)": "Kinh phí (đồng) (2)"})  # fmt: skip
    parsed = parse_workbook(write_sheets(tmp_path / "notes.xlsx", sheets))
    assert parsed.errors == []
    first, _ = parsed.tables["activities"]
    assert (first["activity_type_code"], first["quantity"], first["budget_vnd"]) == ("TAP_HUAN", 2, 193_700_000)


def test_two_row_headers_as_the_ministry_tables_print_them(tmp_path):
    """Merged group cells ("Số người tham gia", "Số vụ việc", "Nạn nhân") over their sub-columns."""
    sheets = bdg1_sheets(
        HoatDong=[
            ["STT", "Loại hoạt động", "Chương trình", "Số lượng", "Số người tham gia", "", "", "", "Kinh phí (đồng)"],
            ["", "", "", "", "Tổng số", "Nữ", "Nam", "DTTS", ""],
            [1, "TAP_HUAN", "CHIEN_LUOC", 2, 120, 70, 50, 5, 1_000_000],
        ],
        VuViec=[
            ["Loại vụ việc", "Số vụ việc", "", "Nạn nhân", "", "", "Nạn nhân được hỗ trợ",
             "Người gây bạo lực được tư vấn"],
            ["", "Phát hiện", "Đã xử lý", "Nữ", "Nam", "Trong đó trẻ em", "", ""],
            ["Bạo lực gia đình", 3, 2, 3, 1, 1, 4, 2],
        ],
        LanhDao=[
            ["BIỂU NỮ LÃNH ĐẠO"],
            ["Nhóm chức danh", "Tổng số", "Nữ", "Nữ là người DTTS", "Quy hoạch", "", ""],
            ["", "", "", "", "Tổng số", "Nữ", "Nữ được đào tạo, bồi dưỡng"],
            ["Lãnh đạo chủ chốt", 4, 1, 0, 8, 3, 2],
        ],
    )  # fmt: skip
    parsed = parse_workbook(write_sheets(tmp_path / "two_rows.xlsx", sheets))

    assert parsed.errors == []
    (activity,) = parsed.tables["activities"]
    counts = ("quantity", "participants_total", "participants_female", "participants_male",
              "participants_ethnic_minority")  # fmt: skip
    assert [activity[name] for name in counts] == [2, 120, 70, 50, 5]
    (leaders,) = parsed.tables["leadership"]
    assert [leaders[name] for name in ("leaders_total", "leaders_female", "pool_total", "pool_female",
                                       "pool_female_trained")] == [4, 1, 8, 3, 2]  # fmt: skip
    assert leaders["source_row"] == 4  # data starts below the header's second row
    (case,) = parsed.tables["gbv_cases"]
    assert [case[name] for name in ("cases_detected", "cases_handled", "victims_female", "victims_male",
                                    "victims_children", "victims_supported")] == [3, 2, 3, 1, 1, 4]  # fmt: skip


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_cells_merged_down_over_data_rows(tmp_path, suffix):
    """A programme merged over two activities holds for both; a budget merged over them was given once."""
    sheets = bdg1_sheets(
        HoatDong=[
            ["STT", "Loại hoạt động", "Chương trình", "Tên hoạt động", "Số lượng", "Tổng số người tham gia", "Nữ",
             "Nam", "Người DTTS", "Kinh phí (đồng)"],
            [1, "TAP_HUAN", "BLG_625", "Tập huấn", 1, 30, 20, 10, 0, 9_000_000],
            [2, "TRUYEN_THONG", "", "Hội nghị", 2, 50, 30, 20, 0, ""],
        ],
    )  # fmt: skip
    merged = {"HoatDong": [(1, 2, 2, 2), (1, 9, 2, 9)]}  # C2:C3 (Chương trình), J2:J3 (Kinh phí)
    parsed = parse_workbook(write_sheets(tmp_path / f"merged{suffix}", sheets, merged=merged))

    assert parsed.errors == []
    first, second = parsed.tables["activities"]
    assert (first["programme_code"], second["programme_code"]) == ("BLG_625", "BLG_625")
    assert (first["budget_vnd"], second["budget_vnd"]) == (9_000_000, None)


def test_a_figure_column_the_header_lacks_is_missing_not_zero(tmp_path):
    """An unrecognised «Số lượng» would otherwise count every activity as one, silently."""
    sheets = _hoat_dong_header({"Số lượng": "SL hoạt động"})
    parsed = parse_workbook(write_sheets(tmp_path / "renamed_column.xlsx", sheets))
    assert [(e.code, e.sheet, e.cell) for e in parsed.errors] == [("MISSING_COLUMN", "HoatDong", "A3")]
    assert "«Số lượng»" in parsed.errors[0].message_vi


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1.234", 1234), ("1 234", 1234), ("1,234", 1234), ("12", 12), (12.0, 12), ("\u00a07 ", 7)],
)
def test_counts_typed_as_text(typed, expected):
    assert read_count(typed) == expected


@pytest.mark.parametrize("typed", ["-3", "abc", "1,5", True])
def test_bad_counts_are_refused(typed):
    with pytest.raises(ValueError):
        read_count(typed)


def test_money_and_dates():
    assert read_money("193.700.000 đồng") == 193_700_000
    assert read_money("193.700.000đ") == 193_700_000
    assert read_date("4/3/2026") == dt.date(2026, 3, 4)
    assert read_date(46085.0) == dt.date(2026, 3, 4)
    with pytest.raises(ValueError):
        read_date("31/02/2026")


def _zip_bomb(path):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b"\0" * (1 << 20)
            for _ in range(260):
                member.write(block)


def _encrypted(path):
    # An encrypted OOXML workbook is an OLE compound file holding these two streams.
    names = b"".join(name.encode("utf-16-le") + b"\0\0" for name in ("EncryptionInfo", "EncryptedPackage"))
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + names + b"\0" * 1024)


def _docx_renamed(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")


def _huge_range(path):
    sheets = bdg1_sheets()
    sheets["VuViec"] = sheets["VuViec"] + [[]] * 3000 + [[""] * 800 + ["x"]]
    write_sheets(path, sheets)


HOSTILE = [
    ("zip_bomb", _zip_bomb, "giải nén bất thường"),
    ("encrypted", _encrypted, "mật khẩu"),
    ("pdf_renamed", lambda p: p.write_bytes(b"%PDF-1.7\n" + os.urandom(200)), "PDF"),
    ("docx_renamed", _docx_renamed, "không phải bảng tính"),
    ("csv_renamed", lambda p: p.write_text("Mã đơn vị,24-XA001\n", encoding="utf-8"), "không phải là bảng tính"),
    ("random_bytes", lambda p: p.write_bytes(os.urandom(4096)), "không phải là bảng tính"),
    ("too_big", lambda p: p.write_bytes(b"PK\x03\x04" + b"\0" * (21 * 1024 * 1024)), "quá lớn"),
    ("huge_sheet_range", _huge_range, "vùng dữ liệu quá lớn"),
]


@pytest.mark.parametrize(("build", "says"), [case[1:] for case in HOSTILE], ids=[case[0] for case in HOSTILE])
def test_hostile_files_are_refused_cleanly(tmp_path, build, says):
    path = tmp_path / "bao_cao.xlsx"
    build(path)
    parsed = parse_workbook(path)
    assert [error.code for error in parsed.errors] == ["UNREADABLE"]
    assert says in parsed.errors[0].message_vi


def test_renamed_sheets_are_recognised_by_their_labels(tmp_path):
    sheets = bdg1_sheets()
    renamed = {"ThongTin": "Thông tin chung", "HoatDong": "Biểu 1", "VuViec": "Sheet3"}
    sheets = {renamed.get(name, name): rows for name, rows in sheets.items()}
    parsed = parse_workbook(write_sheets(tmp_path / "renamed.xlsx", sheets))
    assert parsed.errors == []
    assert parsed.meta["unit_code"] == "24-XA001"
    assert len(parsed.tables["activities"]) == 2 and len(parsed.tables["gbv_cases"]) == 1
