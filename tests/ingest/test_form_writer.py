"""The blank BDG-1 form (`bdg template`) as a commune clerk fills and prints it: one A4 landscape page per
sheet, the header row repeated, a signature block, the closed lists prefilled, every input row validated;
and whatever the clerk fills in still reads back exactly, with no row invented by the form itself."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from ingest.form_bdg1 import CASE_TYPES, SHEETS, TableSheet
from ingest.form_writer import HEADER_ROW, LISTS_SHEET, FormContent, write_form
from ingest.parse import parse_workbook

FIRST_DATA_ROW = HEADER_ROW + 2  # 1-based, as openpyxl counts
ZERO_CASE = {
    "cases_detected": 0,
    "cases_handled": 0,
    "victims_female": 0,
    "victims_male": 0,
    "victims_children": 0,
    "victims_supported": 0,
    "perpetrators_counselled": 0,
}


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    """What `bdg template --unit 24-XA001 --year 2026 --period 6T` writes."""
    return write_form(tmp_path_factory.mktemp("form") / "mau.xlsx", "24-XA001", "UBND xã Thử Nghiệm", 2026, "6T")


@pytest.fixture(scope="module")
def book(blank):
    return openpyxl.load_workbook(blank)


def _signature_row(sheet) -> int:
    return next(cell.row for cell in sheet["A"] if cell.value == "NGƯỜI LẬP BIỂU")


@pytest.mark.fast
def test_the_blank_form_reads_back_as_nothing_reported(blank):
    """The prefilled case types and position groups a clerk leaves empty are not rows: an untouched
    LanhDao must not count as a leadership report of zero leaders."""
    parsed = parse_workbook(blank)

    assert parsed.errors == []
    assert (parsed.meta["unit_code"], parsed.meta["report_year"], parsed.meta["report_type"]) == (
        "24-XA001",
        2026,
        "6T",
    )
    assert parsed.tables["gbv_cases"] == parsed.tables["leadership"] == []
    assert parsed.tables["activities"] == parsed.tables["indicators"] == parsed.tables["task_status"] == []


@pytest.mark.fast
def test_a_form_written_with_content_lists_only_its_own_rows(tmp_path):
    content = FormContent(gbv_cases=[{"case_type_code": "QUAY_ROI", "cases_detected": 2, "cases_handled": 1}])
    parsed = parse_workbook(write_form(tmp_path / "f.xlsx", "24-XA001", "UBND xã Thử Nghiệm", 2026, "NAM", content))
    empty = parse_workbook(
        write_form(tmp_path / "e.xlsx", "24-XA001", "UBND xã Thử Nghiệm", 2026, "NAM", FormContent())
    )

    assert parsed.errors == empty.errors == []
    assert [(row["case_type_code"], row["cases_detected"]) for row in parsed.tables["gbv_cases"]] == [("QUAY_ROI", 2)]
    assert empty.tables["gbv_cases"] == empty.tables["leadership"] == []


@pytest.mark.fast
def test_what_a_clerk_fills_in_reads_back_exactly(blank, tmp_path):
    book = openpyxl.load_workbook(blank)
    book["HoatDong"].cell(FIRST_DATA_ROW, 2, "Tập huấn, bồi dưỡng")
    book["HoatDong"].cell(FIRST_DATA_ROW, 3, "Chiến lược quốc gia về bình đẳng giới")
    book["HoatDong"].cell(FIRST_DATA_ROW, 4, "Tập huấn Luật Bình đẳng giới")
    book["HoatDong"].cell(FIRST_DATA_ROW, 5, "15/03/2026")
    book["HoatDong"].cell(FIRST_DATA_ROW, 8, 40)
    book["VuViec"].cell(FIRST_DATA_ROW, 2, 3)  # Bạo lực gia đình: 3 detected, 2 handled
    book["VuViec"].cell(FIRST_DATA_ROW, 3, 2)
    book["LanhDao"].cell(FIRST_DATA_ROW, 2, 6)  # Lãnh đạo chủ chốt: 6, of whom 2 women
    book["LanhDao"].cell(FIRST_DATA_ROW, 3, 2)
    book.save(tmp_path / "filled.xlsx")

    parsed = parse_workbook(tmp_path / "filled.xlsx")

    assert parsed.errors == []
    [activity] = parsed.tables["activities"]
    assert (activity["activity_type_code"], activity["programme_code"], activity["participants_total"]) == (
        "TAP_HUAN",
        "CHIEN_LUOC",
        40,
    )
    assert activity["activity_date"].isoformat() == "2026-03-15"
    cases = {row["case_type_code"]: (row["cases_detected"], row["cases_handled"]) for row in parsed.tables["gbv_cases"]}
    assert cases == {"BAO_LUC_GIA_DINH": (3, 2)}  # the prefilled rows left empty are not rows
    leaders = {
        row["position_group_code"]: (row["leaders_total"], row["leaders_female"]) for row in parsed.tables["leadership"]
    }
    assert leaders == {"CHU_CHOT": (6, 2)}


@pytest.mark.fast
def test_every_sheet_prints_on_a4_landscape_fitted_to_width_with_its_signature_block(book):
    for spec in SHEETS:
        sheet = book[spec.sheet]
        setup = sheet.page_setup
        assert (setup.orientation, int(setup.paperSize)) == ("landscape", 9), spec.sheet
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, spec.sheet
        # one page wide (1 is the file format's default, left unwritten), as many pages tall as it takes
        assert (int(setup.fitToWidth or 1), int(setup.fitToHeight)) == (1, 0), spec.sheet
        signed = _signature_row(sheet)
        texts = " · ".join(str(cell.value) for row in sheet.iter_rows(min_row=signed) for cell in row if cell.value)
        for words in ("NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ", "(Ký, ghi rõ họ tên)", "(Ký, ghi rõ họ tên, đóng dấu)"):
            assert words in texts, (spec.sheet, words)
        last_col = get_column_letter(len(spec.columns) if isinstance(spec, TableSheet) else 2)
        assert sheet.print_area == f"'{spec.sheet}'!$A$1:${last_col}${signed + 2}", spec.sheet
        if isinstance(spec, TableSheet):
            assert sheet.print_title_rows == f"${HEADER_ROW + 1}:${HEADER_ROW + 1}", spec.sheet
    assert book[LISTS_SHEET].sheet_state == "hidden"


def _validations(sheet) -> dict[tuple[int, int], object]:
    """(row, column) → the data validation covering that cell (1-based)."""
    covered = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            for row in range(cell_range.min_row, cell_range.max_row + 1):
                for col in range(cell_range.min_col, cell_range.max_col + 1):
                    covered[(row, col)] = validation
    return covered


def _expected_rule(column) -> tuple:
    if column.vocabulary is not None:
        return ("list", None)
    return {"int": ("whole", "greaterThanOrEqual"), "money": ("decimal", "greaterThanOrEqual")}.get(
        column.type, ("date", "between") if column.type == "date" else None
    )


@pytest.mark.fast
@pytest.mark.parametrize("spec", [spec for spec in SHEETS if isinstance(spec, TableSheet)], ids=lambda s: s.sheet)
def test_every_input_row_of_a_table_validates_its_numbers_dates_and_lists(book, spec):
    sheet = book[spec.sheet]
    covered = _validations(sheet)
    last_input_row = _signature_row(sheet) - 2  # one empty row between the table and the signatures
    assert last_input_row - FIRST_DATA_ROW + 1 >= (len(CASE_TYPES.items) if spec.sheet == "VuViec" else 3)
    for col, column in enumerate(spec.columns, start=1):
        rule = _expected_rule(column)
        for row in range(FIRST_DATA_ROW, last_input_row + 1):
            validation = covered.get((row, col))
            if rule is None:
                assert validation is None, (spec.sheet, column.label, row)
                continue
            assert validation is not None, (spec.sheet, column.label, row)
            operator = (validation.operator or "between") if rule[1] else None  # between: the default
            assert (validation.type, operator) == rule, (spec.sheet, column.label)
            if rule[0] == "list":
                assert validation.formula1.startswith(f"{LISTS_SHEET}!$"), column.label
            elif rule[0] != "date":
                assert validation.formula1 == "0", column.label
        assert (last_input_row + 1, col) not in covered, (spec.sheet, column.label)


@pytest.mark.fast
def test_the_label_value_sheets_validate_each_value(book):
    kinds = {
        row[0].value: (covered.type if (covered := _validations(book[sheet]).get((row[0].row, 2))) else None)
        for sheet in ("ThongTin", "ChiTieu")
        for row in book[sheet].iter_rows(min_row=HEADER_ROW + 1, max_col=1)
        if row[0].value and row[0].row < _signature_row(book[sheet])
    }
    assert kinds == {
        "Mã đơn vị": None,
        "Tên đơn vị": None,
        "Kỳ báo cáo": "list",
        "Năm báo cáo": "whole",
        "Ngày lập báo cáo": "date",
        "Phiên bản biểu mẫu": None,
        "Người lập": None,
        "Ban Vì sự tiến bộ của phụ nữ đã kiện toàn": "list",
        "Ngày quyết định kiện toàn": "date",
        "Số công chức phụ trách bình đẳng giới": "whole",
        "Số nơi tạm lánh": "whole",
        "Số văn bản QPPL được lồng ghép vấn đề bình đẳng giới": "whole",
        "Kinh phí bố trí cho bình đẳng giới (đồng)": "decimal",
        "Đạt tiêu chí 6.5 nông thôn mới": "list",
    }


def test_libreoffice_prints_each_sheet_of_the_blank_form_on_one_a4_landscape_page(blank, tmp_path):
    """Every visible sheet has content, so as many pages as visible sheets is one page per sheet."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        (pytest.fail if os.environ.get("CI") else pytest.skip)("LibreOffice (libreoffice-calc) is not installed")
    profile = (tmp_path / "profile").as_uri()  # a private profile: no clash with another LibreOffice running
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(blank)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    pdf = (tmp_path / "mau.pdf").read_bytes()
    assert done.returncode == 0, done.stderr

    sizes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == len(SHEETS)
    assert {(round(float(width)), round(float(height))) for width, height in sizes} == {(842, 595)}  # A4 landscape
