"""Hostile and careless inputs, one class per table: each is refused alone with its exact code and cell,
or stored clean, and never stops the others of its batch. Fixtures are built in code."""

from __future__ import annotations

import datetime as dt
import logging
import re
import zipfile
from pathlib import Path

import duckdb
import pytest

from ingest.load import connect, load_batch
from ingest.parse import parse_workbook
from ingest.receive import receive_file, registry_of
from ingest.reference import DEFAULT_REFERENCE_DIR
from ingest.run import ingest_inbox
from ingest.triage import Arrival
from tests.ingest.workbooks import HOAT_DONG_ROWS, THONG_TIN, VU_VIEC_ROWS, with_info, write_workbook

pytestmark = pytest.mark.fast

FIRST = HOAT_DONG_ROWS[0]
RECEIVED = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)


def activity(column: int, value) -> list[list]:
    """The valid activities with the first row's `column` (0-based) replaced."""
    return [[*FIRST[:column], value, *FIRST[column + 1 :]], *HOAT_DONG_ROWS[1:]]


def case_note(note) -> list[list]:
    return [[*VU_VIEC_ROWS[0][:8], note]]


# (case, workbook keyword arguments, expected (code, sheet, cell) of the one error)
POISON = [
    ("a float beyond any column", {"hoat_dong_rows": activity(6, 1e20)}, ("INVALID_VALUE", "HoatDong", "G4")),
    ("a count beyond floats as text", {"hoat_dong_rows": activity(6, "1e400")}, ("INVALID_VALUE", "HoatDong", "G4")),
    ("infinity as text", {"hoat_dong_rows": activity(7, "Infinity")}, ("INVALID_VALUE", "HoatDong", "H4")),
    ("NaN as text", {"hoat_dong_rows": activity(8, "NaN")}, ("INVALID_VALUE", "HoatDong", "I4")),
    ("an implausible count of activities", {"hoat_dong_rows": activity(6, 1_000_024)},
     ("INVALID_VALUE", "HoatDong", "G4")),
    ("people beyond a province", {"hoat_dong_rows": activity(7, 12_000_000)}, ("INVALID_VALUE", "HoatDong", "H4")),
    ("an amount beyond the hard limit", {"hoat_dong_rows": activity(11, "5.000.000.000.000")},
     ("INVALID_VALUE", "HoatDong", "L4")),
    # personal data in every written form, wherever it stands
    ("an ID number followed by a full stop", {"vu_viec_rows": case_note("CCCD 001234567890.")},
     ("PII_FOUND", "VuViec", "I4")),
    ("a phone in brackets", {"hoat_dong_rows": activity(3, "Liên hệ (091) 234 5602")},
     ("PII_FOUND", "HoatDong", "D4")),
    ("a phone with the country code", {"vu_viec_rows": case_note("84912345620")}, ("PII_FOUND", "VuViec", "I4")),
    ("a victim's name in upper case", {"vu_viec_rows": case_note("TRƯƠNG THỊ HOA")}, ("PII_FOUND", "VuViec", "I4")),
    ("a victim's name in activity text", {"hoat_dong_rows": activity(3, "Thăm hỏi nạn nhân Phùng Thị Lan")},
     ("PII_FOUND", "HoatDong", "D4")),
    ("an ID typed as a number in a note", {"vu_viec_rows": case_note(123456789)}, ("PII_FOUND", "VuViec", "I4")),
    ("an e-mail as the preparer", {"thong_tin": [*THONG_TIN, ("Người lập", "lan.nguyen@gmail.com")]},
     ("PII_FOUND", "ThongTin", "B9")),
]  # fmt: skip


@pytest.mark.parametrize(("case", "changes", "expected"), POISON, ids=[case for case, _, _ in POISON])
def test_a_hostile_value_is_refused_with_its_code_and_cell(tmp_path, case, changes, expected):
    parsed = parse_workbook(write_workbook(tmp_path / "f.xlsx", **changes))
    assert [(error.code, error.sheet, error.cell) for error in parsed.errors] == [expected]
    message = parsed.errors[0].message_vi
    assert "cannot convert" not in message and "nan" not in message.lower().split()


def test_a_formula_without_its_computed_value_is_refused(tmp_path):
    """Excel always saves a formula's value; other tools may not, and the cell would read as blank (0)."""
    source = write_workbook(tmp_path / "f.xlsx", hoat_dong_rows=activity(7, "=H5*2"))
    broken = tmp_path / "no_value.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(broken, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"(</f>)<v>[^<]*</v>", rb"\1", data)
            zout.writestr(item, data)
    assert [(e.code, e.sheet, e.cell) for e in parse_workbook(source).errors] == []
    assert [(e.code, e.sheet, e.cell) for e in parse_workbook(broken).errors] == [("INVALID_VALUE", "HoatDong", "H4")]


def test_control_and_bidi_characters_are_stripped_from_stored_text(tmp_path):
    parsed = parse_workbook(
        write_workbook(tmp_path / "f.xlsx", hoat_dong_rows=activity(3, "Tập\x1b huấn\u202e BĐG\x00"))
    )
    assert parsed.errors == []
    assert parsed.tables["activities"][0]["activity_name"] == "Tập huấn BĐG"


def test_a_poisoned_file_in_a_batch_leaves_every_other_file_loaded(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    units = [f"24-XA{n:03d}" for n in range(1, 13)]
    poisoned = {"24-XA004": activity(6, 1e20), "24-XA007": activity(6, "1e400"), "24-XA010": activity(7, "NaN")}
    for unit in units:
        write_workbook(inbox / f"{unit}.xlsx", thong_tin=with_info(**{"Mã đơn vị": unit}),
                       hoat_dong_rows=poisoned.get(unit))  # fmt: skip
    warehouse = tmp_path / "bdg.duckdb"

    summary = ingest_inbox(warehouse, inbox, DEFAULT_REFERENCE_DIR, workers=2)

    statuses = {outcome.file_name: outcome.status for outcome in summary.outcomes}
    assert statuses == {f"{unit}.xlsx": "rejected" if unit in poisoned else "loaded" for unit in units}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        loaded = con.execute(
            "select count(distinct unit_code) from raw.activities join raw.submissions using (file_sha256)"
        ).fetchone()
    assert loaded == (len(units) - len(poisoned),)


def test_a_file_the_database_refuses_fails_alone_and_is_read_again(tmp_path):
    """A value past the parser (here planted in a receipt) that DuckDB will not take fails that file only;
    it is not recorded as received, so the next run reads it again, and raw.ingest_failures notes it."""
    registry = registry_of(DEFAULT_REFERENCE_DIR)
    receipts = []
    for unit in ("24-XA001", "24-XA002", "24-XA003"):
        path = write_workbook(tmp_path / f"{unit}.xlsx", thong_tin=with_info(**{"Mã đơn vị": unit}))
        arrival = Arrival(path, RECEIVED, f"sha-{unit}")
        receipts.append(receive_file(arrival, registry))
    assert all(receipt.parsed.ok for receipt in receipts)
    bad = receipts[1]
    bad.parsed.tables["activities"][0]["quantity"] = 10**20  # beyond BIGINT
    con = connect(tmp_path / "bdg.duckdb")
    try:
        statuses = load_batch(con, receipts)
        assert statuses == {receipts[0].key: "loaded", bad.key: "failed", receipts[2].key: "loaded"}
        assert con.execute("select count(*) from raw.submissions where file_sha256 = 'sha-24-XA002'").fetchone() == (0,)
        assert con.execute("select file_name from raw.ingest_failures").fetchall() == [("24-XA002.xlsx",)]
        bad.parsed.tables["activities"][0]["quantity"] = 2  # the next run reads the file again
        assert load_batch(con, [bad]) == {bad.key: "loaded"}
    finally:
        con.close()


def test_an_unexpected_exception_is_one_files_failure(tmp_path, caplog):
    """A registry that raises (a bug, not bad input) fails that file: not recorded, logged with its traceback."""

    class Broken:
        def __getattr__(self, name):
            raise RuntimeError("boom")

    path = write_workbook(tmp_path / "f.xlsx")
    arrival = Arrival(path, RECEIVED, "sha")
    with caplog.at_level(logging.ERROR, logger="ingest.receive"):
        receipt = receive_file(arrival, Broken())
    assert receipt.failed and "đọc lại" in receipt.failed
    assert "Traceback" in caplog.text or caplog.records[0].exc_info
    assert load_batch(connect(tmp_path / "w.duckdb"), [receipt]) == {}


def test_a_file_over_its_time_budget_is_refused_alone(tmp_path, monkeypatch):
    from ingest import receive

    monkeypatch.setenv("BDG_FILE_SECONDS", "1")
    slow = receive.parse_bytes

    def slower(*args, **kwargs):
        import time

        time.sleep(3)  # a stand-in for a pathological workbook: the budget is what is tested
        return slow(*args, **kwargs)

    monkeypatch.setattr(receive, "parse_bytes", slower)
    path = write_workbook(tmp_path / "f.xlsx")
    arrival = Arrival(path, RECEIVED, "sha")
    receipt = receive_file(arrival, registry_of(DEFAULT_REFERENCE_DIR))
    assert [(e.code, "1 giây" in e.message_vi) for e in receipt.parsed.errors] == [("UNREADABLE", True)]


def test_nothing_of_a_file_refused_for_personal_data_is_kept(tmp_path):
    """Its free-text identity (unit name, preparer) and rows are dropped; its name is stored redacted."""
    phone_name = tmp_path / "Nguyen Thi Mai 0912345678.xlsx"
    write_workbook(phone_name, thong_tin=[*with_info(**{"Tên đơn vị": "UBND xã 0912345678"}),
                                          ("Người lập", "chị Mai 0912345678")],
                   vu_viec_rows=case_note("Nạn nhân Nguyễn Thị Mai"))  # fmt: skip
    arrival = Arrival(phone_name, RECEIVED, "ab" * 32)
    receipt = receive_file(arrival, registry_of(DEFAULT_REFERENCE_DIR), tmp_path / "feedback")
    assert {error.code for error in receipt.parsed.errors} == {"PII_FOUND"}
    assert set(receipt.parsed.meta) <= {"unit_code", "report_type", "report_year", "report_date", "form_version"}
    assert receipt.parsed.file_name.startswith("tep_co_thong_tin_ca_nhan_")
    assert "0912345678" not in Path(receipt.feedback).name
