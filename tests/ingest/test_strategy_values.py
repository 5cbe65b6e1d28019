"""The yearly file of Strategy indicators (source `strategy_values`): parsed as declared, checked against
targets.csv, loaded with the reference data; errors in Vietnamese naming file, sheet and cell or row."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.load import connect
from ingest.parse import parse_workbook
from ingest.reference import DEFAULT_REFERENCE_DIR, load_reference, read_targets, reference_fingerprint
from ingest.sources import SOURCES, STRATEGY_VALUES
from ingest.strategy_values import read_strategy_values, strategy_value_files
from sample.strategy_reference import LEFT_OUT, write_strategy_reference
from tests.ingest.formats import write_sheets

pytestmark = pytest.mark.fast  # the edit-test tier (make test-fast)

HEADER = ["Mã tỉnh", "Mã chỉ tiêu", "Tên chỉ tiêu", "NĂM", "Giá trị", "Nguồn số liệu", "Ghi chú"]


def _reference_dir(tmp_path: Path) -> Path:
    ref = tmp_path / "ref"
    ref.mkdir()
    for name in ("units.csv", "reporting_calendar.csv", "targets.csv"):
        shutil.copy(DEFAULT_REFERENCE_DIR / name, ref / name)
    return ref


def test_the_source_is_declared_and_reads_a_messy_file(tmp_path):
    assert SOURCES["strategy_values"] is STRATEGY_VALUES
    path = write_sheets(
        tmp_path / "chi_tieu_chien_luoc_2026.xlsx",
        {
            "Số liệu": [
                ["SỐ LIỆU CHỈ TIÊU CHIẾN LƯỢC NĂM 2026"],
                [],
                HEADER,
                ["24", "SEX_RATIO_AT_BIRTH", "Tỷ số giới tính khi sinh", 2026, "110,4", "Sở Y tế", ""],
                ["24", "FEMALE_DEPUTIES_HDND", "", "2026", 36.5, "", "HĐND khóa mới"],
            ]
        },
    )
    parsed = parse_workbook(path, STRATEGY_VALUES)
    assert parsed.errors == []
    first, second = parsed.tables["ref_strategy_values"]
    assert (first["target_code"], first["value"], first["report_year"], first["source_row"]) == (
        "SEX_RATIO_AT_BIRTH", 110.4, 2026, 4,
    )  # fmt: skip
    assert (second["value"], second["data_provider"], second["note"]) == (36.5, None, "HĐND khóa mới")


def test_parse_errors_name_sheet_and_cell(tmp_path):
    path = write_sheets(
        tmp_path / "hong.xlsx",
        {"SoLieu": [["Mã tỉnh", "Mã chỉ tiêu", "Năm", "Giá trị"], ["24", "SEX_RATIO_AT_BIRTH", 2026, "-3"]]},
    )
    errors = [(e.code, e.sheet, e.cell) for e in parse_workbook(path, STRATEGY_VALUES).errors]
    assert errors == [("INVALID_VALUE", "SoLieu", "D2")]  # a negative value


def test_rows_are_checked_against_the_targets(tmp_path):
    ref = _reference_dir(tmp_path)
    write_sheets(
        ref / "chi_tieu_chien_luoc_24_2026.xlsx",
        {
            "SoLieu": [
                HEADER,
                ["24", "sex_ratio_at_birth", "", 2026, 110.4, "Sở Y tế", ""],  # the code in any case
                ["24", "GBV_VICTIMS_SUPPORTED", "", 2026, 85, "", ""],  # measured from the form, not the file
                ["24", "FEMALE_MASTERS", "", 2026, 148, "", ""],  # a share above 100 %
                ["24", "SEX_RATIO_AT_BIRTH", "", 2026, 110.0, "", ""],  # given twice
            ]
        },
    )
    with pytest.raises(ValueError) as raised:
        read_strategy_values(ref, read_targets(ref))
    message = str(raised.value)
    assert "chi_tieu_chien_luoc_24_2026.xlsx, dòng 3, cột «Mã chỉ tiêu»: 'GBV_VICTIMS_SUPPORTED'" in message
    assert "dòng 4, cột «Giá trị»: tỷ lệ ghi theo phần trăm" in message
    assert (
        "dòng 5: chỉ tiêu SEX_RATIO_AT_BIRTH của tỉnh 24 năm 2026 đã có ở chi_tieu_chien_luoc_24_2026.xlsx, dòng 2"
        in message
    )


def test_a_broken_file_leaves_the_reference_unchanged(tmp_path):
    ref = _reference_dir(tmp_path)
    con = connect(tmp_path / "bdg.duckdb")
    write_strategy_reference(ref, "24", (2025, 2026))
    assert load_reference(con, ref) is True
    loaded = con.execute("select count(*), count(distinct file_name) from raw.ref_strategy_values").fetchone()
    targets_from_file = [t for t in read_targets(ref) if t.value_source == "reference_file"]
    assert loaded == ((len(targets_from_file) - len(LEFT_OUT)) * 2, 2)
    assert load_reference(con, ref) is False  # the same files: nothing to do

    fingerprint = reference_fingerprint(ref)
    write_sheets(ref / "chi_tieu_chien_luoc_24_2027.xlsx", {"x": [["Mã chỉ tiêu", "Giá trị"], ["X", 1]]})
    assert reference_fingerprint(ref) != fingerprint  # a new yearly file is a new reference
    with pytest.raises(ValueError, match=r"chi_tieu_chien_luoc_24_2027\.xlsx, trang tính x, A1: .*Mã tỉnh"):
        load_reference(con, ref)
    assert con.execute("select count(*) from raw.ref_strategy_values").fetchone() == (loaded[0],)
    con.close()


def test_only_the_yearly_files_are_read(tmp_path):
    ref = _reference_dir(tmp_path)
    (ref / "chi_tieu_chien_luoc_ghi_chu.txt").write_text("x", encoding="utf-8")
    (ref / "other.xlsx").write_bytes(b"")
    write_strategy_reference(ref, "24", (2026,))
    assert [path.name for path in strategy_value_files(ref)] == ["chi_tieu_chien_luoc_24_2026.xlsx"]
