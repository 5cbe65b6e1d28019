"""The feedback workbook: every error listed, written whole or not at all."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
import xlsxwriter

from ingest.errors import IngestError
from ingest.feedback import write_feedback
from ingest.periods import LOCAL_TZ

pytestmark = pytest.mark.fast  # the edit-test tier (make test-fast)

ERRORS = [
    IngestError("MISSING_SHEET", "Thiếu trang tính «LanhDao».", sheet="LanhDao"),
    IngestError("INVALID_VALUE", "«Nữ»: không phải số.", sheet="HoatDong", cell="J5"),
]


def _write(out_dir):
    return write_feedback(
        out_dir,
        file_name="Báo cáo năm.xlsx",
        file_sha256="ab" * 32,
        received_at=dt.datetime(2026, 11, 20, 2, 30, tzinfo=dt.UTC),
        unit_code="24-XA001",
        unit_name="UBND xã Xuân Dương",
        errors=ERRORS,
    )


def test_feedback_lists_every_error_at_local_time(tmp_path):
    path = _write(tmp_path / "feedback")
    cells = [cell for row in openpyxl.load_workbook(path)["PhanHoi"].iter_rows(values_only=True) for cell in row]
    assert "09:30 ngày 20/11/2026" in cells  # received 02:30 UTC, shown in Asia/Ho_Chi_Minh
    assert {"LanhDao", "J5", "Thiếu trang tính «LanhDao».", "«Nữ»: không phải số."} <= set(cells)
    assert LOCAL_TZ.key == "Asia/Ho_Chi_Minh"


def test_a_failed_write_leaves_no_partial_file(tmp_path, monkeypatch):
    def broken_close(self):  # the disk fills halfway through the file
        with open(self.filename, "wb") as handle:
            handle.write(b"PK\x03\x04 half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr(xlsxwriter.Workbook, "close", broken_close)
    with pytest.raises(OSError):
        _write(tmp_path / "feedback")
    assert list((tmp_path / "feedback").iterdir()) == []
