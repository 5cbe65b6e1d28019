"""Loading into a real DuckDB: resubmissions, duplicates, rejections and re-runs."""

from __future__ import annotations

import os
import shutil

import duckdb
import pytest

from ingest.reference import DEFAULT_REFERENCE_DIR
from ingest.run import ingest_inbox
from tests.ingest.workbooks import HOAT_DONG_ROWS, THONG_TIN, write_workbook

pytestmark = pytest.mark.fast  # the edit-test tier (make test-fast)


def _snapshot(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            "submissions": con.execute(
                "select file_name, status, unit_code from raw.submissions order by file_name"
            ).fetchall(),
            "activities": con.execute("select count(*) from raw.activities").fetchone()[0],
            "errors": con.execute("select file_name, code, sheet from raw.ingest_errors order by all").fetchall(),
        }


def test_resubmission_duplicate_rejection_and_rerun(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_workbook(inbox / "bao cao lan 1.xlsx")
    write_workbook(inbox / "bao cao lan 2.xlsx", hoat_dong_rows=HOAT_DONG_ROWS[:1])
    shutil.copy(inbox / "bao cao lan 1.xlsx", inbox / "ban sao.xlsx")
    write_workbook(inbox / "gui lai bi loi.xlsx", drop_sheets=("LanhDao",))
    (inbox / "_received.csv").write_text(
        "file,received_at\n"
        "bao cao lan 1.xlsx,2026-11-20T09:00:00+07:00\n"
        "bao cao lan 2.xlsx,2026-11-25T09:00:00+07:00\n"
        "ban sao.xlsx,2026-11-26T09:00:00+07:00\n"
        "gui lai bi loi.xlsx,2026-11-27T09:00:00+07:00\n",
        encoding="utf-8",
    )
    warehouse = tmp_path / "bdg.duckdb"

    summary = ingest_inbox(warehouse, inbox, DEFAULT_REFERENCE_DIR)

    assert summary.counts == {"superseded": 1, "loaded": 1, "duplicate": 1, "rejected": 1}
    first = _snapshot(warehouse)
    assert first["submissions"] == [
        ("ban sao.xlsx", "duplicate", None),
        ("bao cao lan 1.xlsx", "superseded", "24-XA001"),
        ("bao cao lan 2.xlsx", "loaded", "24-XA001"),
        ("gui lai bi loi.xlsx", "rejected", "24-XA001"),
    ]
    assert first["activities"] == 3  # raw keeps both versions (2 + 1 rows); staging keeps the current one
    assert first["errors"] == [("gui lai bi loi.xlsx", "MISSING_SHEET", "LanhDao")]

    again = ingest_inbox(warehouse, inbox, DEFAULT_REFERENCE_DIR)
    assert again.skipped_known == 4 and again.outcomes == []
    assert _snapshot(warehouse) == first


def test_late_arriving_older_file_does_not_replace_newer_content(tmp_path):
    """Files are judged by when they were received, not by the order they are loaded in."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_workbook(inbox / "moi.xlsx", hoat_dong_rows=HOAT_DONG_ROWS[:1])
    (inbox / "_received.csv").write_text("file,received_at\nmoi.xlsx,2026-11-25T09:00:00+07:00\n")
    warehouse = tmp_path / "bdg.duckdb"
    ingest_inbox(warehouse, inbox, DEFAULT_REFERENCE_DIR)

    write_workbook(inbox / "cu.xlsx")
    with (inbox / "_received.csv").open("a") as listing:
        listing.write("cu.xlsx,2026-11-20T09:00:00+07:00\n")
    ingest_inbox(warehouse, inbox, DEFAULT_REFERENCE_DIR)

    statuses = dict(_snapshot(warehouse)["submissions"][i][:2] for i in range(2))
    assert statuses == {"cu.xlsx": "superseded", "moi.xlsx": "loaded"}


def test_a_count_beyond_its_hard_limit_is_rejected_alone(tmp_path):
    """A count beyond the column's hard limit is refused at parse time with its cell and a message for the
    unit; the others load. (What the database itself refuses: tests/ingest/test_hostile_inputs.py.)"""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_workbook(inbox / "dung.xlsx")
    huge = [HOAT_DONG_ROWS[0][:6] + [99_999_999_999] + HOAT_DONG_ROWS[0][7:]]
    other_unit = [("Mã đơn vị", "24-SO03"), ("Tên đơn vị", "Sở Tư pháp"), *THONG_TIN[2:]]
    write_workbook(inbox / "so qua lon.xlsx", thong_tin=other_unit, hoat_dong_rows=huge)
    warehouse = tmp_path / "bdg.duckdb"

    summary = ingest_inbox(warehouse, inbox, DEFAULT_REFERENCE_DIR)

    assert {outcome.file_name: outcome.status for outcome in summary.outcomes} == {
        "dung.xlsx": "loaded",
        "so qua lon.xlsx": "rejected",
    }
    with duckdb.connect(str(warehouse), read_only=True) as con:
        errors = con.execute("select file_name, code, message_vi from raw.ingest_errors").fetchall()
        rows_by_file = con.execute(
            "select file_name, count(*) from raw.activities join raw.submissions using (file_sha256) group by all"
        ).fetchall()
    assert [(name, code) for name, code, _ in errors] == [("so qua lon.xlsx", "INVALID_VALUE")]
    assert "giới hạn hợp lý" in errors[0][2]
    assert rows_by_file == [("dung.xlsx", 2)]


def test_a_file_rewritten_in_place_is_hashed_again(tmp_path):
    """A re-run trusts a file's recorded hash only while its size and modification time are unchanged."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = write_workbook(inbox / "bao cao.xlsx")
    warehouse = tmp_path / "bdg.duckdb"
    assert ingest_inbox(warehouse, inbox, DEFAULT_REFERENCE_DIR).counts == {"loaded": 1}
    assert ingest_inbox(warehouse, inbox, DEFAULT_REFERENCE_DIR).skipped_known == 1

    write_workbook(path, hoat_dong_rows=HOAT_DONG_ROWS[:1])  # the unit corrects the file, same name
    later = path.stat().st_mtime + 60
    os.utime(path, (later, later))
    again = ingest_inbox(warehouse, inbox, DEFAULT_REFERENCE_DIR)

    assert again.skipped_known == 0 and again.counts == {"loaded": 1}
    assert sorted((name, status) for name, status, _ in _snapshot(warehouse)["submissions"]) == [
        ("bao cao.xlsx", "loaded"),
        ("bao cao.xlsx", "superseded"),
    ]


def test_a_large_batch_whose_optional_column_no_file_has_loads_it_as_null(tmp_path):
    """A national batch of old-form files: thousands of VuViec rows without «Số người gây bạo lực được
    phát hiện». DuckDB 1.5.5 types a registered column from a sample and failed on a long all-NULL one."""
    import datetime as dt
    from pathlib import Path

    from ingest.load import Receipt, connect, load_batch
    from ingest.parse import ParsedWorkbook

    receipts = []
    for number in range(300):  # 300 files × 10 rows: past DuckDB's default sample of 2,048 rows
        parsed = ParsedWorkbook(path=Path(f"tep_{number:03d}.xlsx"), file_sha256=f"{number:064x}")
        parsed.meta.update(unit_code=f"24-XA{number:03d}", report_type="NAM", report_year=2026)
        parsed.tables["gbv_cases"] = [
            {"source_row": 6 + row, "case_type_code": "BAO_LUC_GIA_DINH", "cases_detected": 1} for row in range(10)
        ]
        receipts.append(Receipt(parsed, dt.datetime(2026, 11, 20, tzinfo=dt.UTC)))
    con = connect(tmp_path / "bdg.duckdb")
    try:
        statuses = load_batch(con, receipts)
        assert set(statuses.values()) == {"loaded"}
        assert con.execute("select count(*), count(perpetrators_detected) from raw.gbv_cases").fetchone() == (3000, 0)
    finally:
        con.close()
