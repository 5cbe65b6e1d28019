"""Planted personal data: a victim name, ID, phone and e-mail in a report and in its file name go through
the whole in-process nightly (`bdg run`: ingest → dbt → checks → publish → reports). The file is refused,
and none of it is anywhere the system writes: not in the warehouse (its bytes, nor any text column of any
table), not in any output file (workbooks, letters and exports opened up), not in the logs."""

from __future__ import annotations

import csv
import datetime as dt
import logging
import unicodedata
import zipfile

import duckdb
import pytest

from bdg.steps import run_pipeline
from sample.generate import generate_inbox
from tests.ingest.workbooks import VU_VIEC_ROWS, with_info, write_workbook

AS_OF = dt.date(2026, 12, 21)
PLANTED = {
    "phone in the file name": "0987654321",
    "name in the file name": "Nguyen Thi Mai",
    "victim name": "Phùng Thị Lan",
    "ID number": "001234567890",
    "phone as written": "0912 345 678",
    "e-mail": "lan.nguyen@gmail.com",
}
NEEDLES = {label: value.encode() for label, value in PLANTED.items()} | {
    "victim name (NFD)": unicodedata.normalize("NFD", PLANTED["victim name"]).encode(),
    "phone, digits only": b"0912345678",
}


@pytest.fixture(scope="module")
def planted_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("pii")
    generated = generate_inbox(root / "inbox", provinces=1, units_per_province=8, year=2026, seed=11)
    unit = generated.manifest["units"][0]["unit_code"]
    name = f"{PLANTED['name in the file name']} {PLANTED['phone in the file name']}.xlsx"
    write_workbook(
        generated.out_dir / name,
        thong_tin=[*with_info(**{"Mã đơn vị": unit, "Tên đơn vị": f"UBND xã {PLANTED['phone as written']}"}),
                   ("Người lập", PLANTED["e-mail"])],
        vu_viec_rows=[[*VU_VIEC_ROWS[0][:8], f"Nạn nhân {PLANTED['victim name']}, CCCD {PLANTED['ID number']}"]],
    )  # fmt: skip
    with (generated.out_dir / "_received.csv").open("a", encoding="utf-8", newline="") as listing:
        csv.writer(listing).writerow([name, "2026-11-25T08:00:00+07:00"])
    out, warehouse = root / "out", root / "bdg.duckdb"
    handler = _Capture()
    logging.getLogger().addHandler(handler)
    try:
        result = run_pipeline(generated.out_dir, out, warehouse, generated.reference_dir, AS_OF)
    finally:
        logging.getLogger().removeHandler(handler)
    return root, result, handler.text


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _contents(path) -> bytes:
    """A file's bytes, with the members of a zip container (xlsx, docx) unpacked and appended."""
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(path) as archive:
            data += b"".join(archive.read(member) for member in archive.namelist())
    return data


def test_the_planted_file_is_refused_for_personal_data(planted_run):
    _, result, _ = planted_run
    refused = [f for f in result.ingest["files"] if f["file_name"].startswith("tep_co_thong_tin_ca_nhan_")]
    assert len(refused) == 1 and refused[0]["status"] == "rejected"
    assert {error["code"] for error in refused[0]["errors"]} == {"PII_FOUND"}


def test_no_planted_value_is_anywhere_the_system_writes(planted_run, capfd):
    root, _, logs = planted_run
    written = [path for path in root.rglob("*") if path.is_file() and "inbox" not in path.relative_to(root).parts]
    assert any(path.suffix == ".xlsx" for path in written) and any(path.suffix == ".docx" for path in written)
    found = {
        (label, str(path.relative_to(root)))
        for path in written
        for label, needle in NEEDLES.items()
        if needle in _contents(path)
    }
    assert found == set()
    assert [label for label, value in PLANTED.items() if value in logs] == []
    captured = capfd.readouterr()
    assert [label for label, value in PLANTED.items() if value in captured.out + captured.err] == []


def test_no_text_column_of_the_warehouse_holds_a_planted_value(planted_run):
    root, _, _ = planted_run
    with duckdb.connect(str(root / "bdg.duckdb"), read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR' and table_schema not in ('information_schema', 'pg_catalog')"
        ).fetchall()
        hits = []
        for schema, table, column in columns:
            for label, value in PLANTED.items():
                count = con.execute(
                    f'select count(*) from "{schema}"."{table}" where strpos("{column}", ?) > 0', [value]
                ).fetchone()[0]
                if count:
                    hits.append((label, f"{schema}.{table}.{column}"))
    assert hits == []
