"""Table-driven parser tests over real .xlsx files written in code: status, error code and cell."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from ingest.parse import parse_workbook
from ingest.reference import DEFAULT_REFERENCE_DIR, read_calendar, read_units
from ingest.validate import Registry, validate_submission
from tests.ingest.workbooks import (
    HOAT_DONG_ROWS,
    VU_VIEC_ROWS,
    with_info,
    write_workbook,
)

pytestmark = pytest.mark.fast  # the edit-test tier (make test-fast)


def _registry() -> Registry:
    return Registry.build(read_units(DEFAULT_REFERENCE_DIR), read_calendar(DEFAULT_REFERENCE_DIR))


def _parse(path):
    parsed = parse_workbook(path)
    if not parsed.errors:
        validate_submission(parsed, _registry())
    return parsed


def test_valid_workbook_yields_typed_rows_with_lineage(tmp_path):
    parsed = _parse(write_workbook(tmp_path / "ok.xlsx"))

    assert parsed.errors == []
    assert parsed.meta["unit_code"] == "24-XA001"
    assert (parsed.meta["report_type"], parsed.meta["report_year"]) == ("NAM", 2026)
    first, second = parsed.tables["activities"]
    assert first["activity_type_code"] == "TAP_HUAN" and first["programme_code"] == "CHIEN_LUOC"
    assert first["activity_date"] == dt.date(2026, 3, 4)
    assert (first["quantity"], first["participants_female"], first["budget_vnd"]) == (2, 70, 193_700_000)
    assert first["source_row"] == 4  # header on row 3 below the title rows
    assert second["activity_date"] == dt.date(2026, 6, 5)  # typed as text dd/mm/yyyy
    assert second["quantity"] == 1  # blank Số lượng counts as one
    assert parsed.tables["gbv_cases"][0]["case_type_code"] == "BAO_LUC_GIA_DINH"
    assert [row["position_group_code"] for row in parsed.tables["leadership"]] == ["CHU_CHOT", "CAP_PHONG"]
    indicators = {row["indicator_code"]: row for row in parsed.tables["indicators"]}
    assert indicators["KINH_PHI_BDG"]["value_number"] == 50_000_000  # "50.000.000" is money, not PII


def test_labels_match_regardless_of_case_nfd_and_spaces(tmp_path):
    info = [(unicodedata.normalize("NFD", f"  {label.upper()} :"), value) for label, value in with_info()]
    parsed = _parse(write_workbook(tmp_path / "nfd.xlsx", thong_tin=info, title_rows=6))
    assert parsed.errors == []
    assert parsed.meta["unit_code"] == "24-XA001"
    assert len(parsed.tables["activities"]) == 2


BROKEN_CASES = [
    # (id, how to build the file, expected code, expected sheet, expected cell)
    ("not_a_workbook", lambda p: p.write_bytes(b"PK\x03\x04 not really a zip"), "UNREADABLE", None, None),
    ("text_renamed", lambda p: p.write_text("Báo cáo năm 2026", encoding="utf-8"), "UNREADABLE", None, None),
    ("empty_file", lambda p: p.write_bytes(b""), "UNREADABLE", None, None),
    ("missing_sheet", lambda p: write_workbook(p, drop_sheets=("VuViec",)), "MISSING_SHEET", "VuViec", None),
    (
        "unknown_unit",
        lambda p: write_workbook(p, thong_tin=with_info(**{"Mã đơn vị": "99-XA999"})),
        "UNKNOWN_UNIT",
        "ThongTin",
        "B3",
    ),
    (
        "unknown_period_type",
        lambda p: write_workbook(p, thong_tin=with_info(**{"Kỳ báo cáo": "Quý 3"})),
        "UNKNOWN_PERIOD",
        "ThongTin",
        "B5",
    ),
    (
        "period_not_in_calendar",
        lambda p: write_workbook(p, thong_tin=with_info(**{"Năm báo cáo": 2031})),
        "UNKNOWN_PERIOD",
        "ThongTin",
        "B6",
    ),
    (
        "form_version",
        lambda p: write_workbook(p, thong_tin=with_info(**{"Phiên bản biểu mẫu": "BDG-0"})),
        "FORM_VERSION",
        "ThongTin",
        "B8",
    ),
    (
        "category_not_in_vocabulary",
        lambda p: write_workbook(p, hoat_dong_rows=[[1, "Văn nghệ", "BLG_625", "x", "", "", 1, 10, 5, 5, 0, 0]]),
        "INVALID_VALUE",
        "HoatDong",
        "B4",
    ),
    (
        "negative_count",
        lambda p: write_workbook(p, hoat_dong_rows=[[1, "TAP_HUAN", "BLG_625", "x", "", "", 1, 10, -5, 5, 0, 0]]),
        "INVALID_VALUE",
        "HoatDong",
        "I4",
    ),
    (
        "unreadable_date",
        lambda p: write_workbook(
            p, hoat_dong_rows=[[1, "TAP_HUAN", "BLG_625", "x", "31/02/2026", "", 1, 1, 1, 0, 0, 0]]
        ),
        "INVALID_VALUE",
        "HoatDong",
        "E4",
    ),
    (
        "phone_in_note",
        lambda p: write_workbook(p, vu_viec_rows=[[*VU_VIEC_ROWS[0][:-1], "Liên hệ 0912 345 678"]]),
        "PII_FOUND",
        "VuViec",
        "I4",
    ),
    (
        "person_name_in_gbv_note",
        lambda p: write_workbook(p, vu_viec_rows=[[*VU_VIEC_ROWS[0][:-1], "Chị Nguyễn Thị Lan bị chồng đánh"]]),
        "PII_FOUND",
        "VuViec",
        "I4",
    ),
    (
        "id_number_in_activity_title",
        lambda p: write_workbook(p, hoat_dong_rows=[[1, "TAP_HUAN", "BLG_625", "CCCD 001203004567", "", "", 1]]),
        "PII_FOUND",
        "HoatDong",
        "D4",
    ),
]


@pytest.mark.parametrize(("build", "code", "sheet", "cell"), [case[1:] for case in BROKEN_CASES],
                         ids=[case[0] for case in BROKEN_CASES])  # fmt: skip
def test_broken_workbook_is_rejected_with_code_and_cell(tmp_path, build, code, sheet, cell):
    path = tmp_path / "broken.xlsx"
    build(path)
    parsed = _parse(path)

    assert [error.code for error in parsed.errors] == [code]
    error = parsed.errors[0]
    assert error.sheet == sheet
    assert error.cell == cell  # None only where no cell applies (the file or a whole sheet)
    assert error.message_vi and unicodedata.is_normalized("NFC", error.message_vi)


def test_personal_data_is_never_echoed(tmp_path):
    secret = "0912 345 678"
    path = write_workbook(tmp_path / "pii.xlsx", vu_viec_rows=[[*VU_VIEC_ROWS[0][:-1], f"Gọi {secret}"]])
    parsed = _parse(path)
    assert parsed.errors and all(secret not in error.message_vi for error in parsed.errors)


def test_all_errors_of_a_file_are_reported_together(tmp_path):
    rows = [[1, "Văn nghệ", "BLG_625", "x", "", "", 1, 10, -1, 5, 0, 0], HOAT_DONG_ROWS[0]]
    path = write_workbook(tmp_path / "many.xlsx", hoat_dong_rows=rows, drop_sheets=("ChiTieu",))
    parsed = _parse(path)
    assert sorted((error.code, error.cell) for error in parsed.errors) == [
        ("INVALID_VALUE", "B4"),
        ("INVALID_VALUE", "I4"),
        ("MISSING_SHEET", None),
    ]
