"""A whole inbox through the real loader: odd names, feedback, personal data, a kill mid-load."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import unicodedata

import duckdb
import openpyxl
import pytest
from typer.testing import CliRunner

from bdg.cli import app
from ingest.reference import DEFAULT_REFERENCE_DIR
from ingest.run import ingest_inbox
from sample.generate import generate_inbox
from tests.ingest.formats import bdg1_sheets, write_sheets

pytestmark = pytest.mark.fast  # the edit-test tier (make test-fast)

SECRET_PHONE = "0912 345 678"
SECRET_NAME = "Hoàng Thị Lụa"


def _all_text_in_warehouse(warehouse) -> str:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute("select table_name from information_schema.tables where table_schema = 'raw'").fetchall()
        return "\n".join(str(con.execute(f"select * from raw.{name}").fetchall()) for (name,) in tables)


def _cells(path) -> str:
    workbook = openpyxl.load_workbook(path)
    return "\n".join(str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row)


def test_odd_file_names_are_handled(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    names = [
        unicodedata.normalize("NFD", "Báo cáo năm 2026 (bản cuối).xlsx"),
        "-rf bao cao.xlsx",
        "bao#cao%20final.XLSX",
        "không có đuôi",
        "x" * 180 + ".xlsx",
    ]
    for index, name in enumerate(names):
        sheets = bdg1_sheets()
        sheets["ThongTin"][2][1] = f"24-XA00{index + 1}"
        write_sheets(tmp_path / "tmp.xlsx", sheets).rename(inbox / name)
    (inbox / "~$lock.xlsx").write_bytes(b"lock")  # Excel's lock file: not a submission
    summary = ingest_inbox(tmp_path / "bdg.duckdb", inbox, DEFAULT_REFERENCE_DIR)
    assert summary.files_seen == len(names)
    assert summary.counts == {"loaded": len(names)}


def test_rejected_files_get_feedback_and_personal_data_leaks_nowhere(tmp_path):
    inbox, out, warehouse = tmp_path / "inbox", tmp_path / "out", tmp_path / "bdg.duckdb"
    inbox.mkdir()
    sheets = bdg1_sheets()
    sheets["VuViec"][1][-1] = f"Chị {SECRET_NAME}, điện thoại {SECRET_PHONE}"
    sheets["HoatDong"][3][1] = "Văn nghệ"  # not an activity type
    write_sheets(inbox / "bao cao co loi.xlsx", sheets)

    result = CliRunner().invoke(
        app, ["ingest", "--inbox", str(inbox), "--out", str(out), "--warehouse", str(warehouse), "--json"]
    )

    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    (outcome,) = summary["files"]
    assert outcome["status"] == "rejected"
    assert {(e["code"], e["sheet"], e["cell"]) for e in outcome["errors"]} == {
        ("PII_FOUND", "VuViec", "I2"),
        ("INVALID_VALUE", "HoatDong", "B4"),
    }
    feedback = out / "feedback"
    (written,) = feedback.iterdir()
    cells = _cells(written)
    assert "I2" in cells and "B4" in cells and "PII_FOUND" in cells
    human = CliRunner().invoke(app, ["ingest", "--inbox", str(inbox), "--warehouse", str(tmp_path / "second.duckdb")])
    for text in (result.output, human.output, cells, _all_text_in_warehouse(warehouse)):
        assert SECRET_PHONE not in text and SECRET_PHONE.replace(" ", "") not in text
        assert SECRET_NAME not in text


_INGEST_SCRIPT = """
import sys
from pathlib import Path
from ingest.run import ingest_inbox
ingest_inbox(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), batch_files=4,
             on_file=lambda outcome: print(outcome.file_name, flush=True))
"""


def _raw_state(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        submissions = con.execute(
            "select file_name, file_sha256, status, unit_code from raw.submissions order by all"
        ).fetchall()
        rows = {
            table: con.execute(f"select file_sha256, count(*) from raw.{table} group by all order by all").fetchall()
            for table in ("activities", "gbv_cases", "leadership", "indicators", "ingest_errors", "reported_totals")
        }
    return submissions, rows


def test_killed_mid_load_the_rerun_converges_with_no_partial_file(tmp_path):
    generated = generate_inbox(tmp_path / "inbox", provinces=1, units_per_province=60, seed=5, bad_rate=0.1)
    reference = generated.reference_dir
    clean, killed = tmp_path / "clean.duckdb", tmp_path / "killed.duckdb"
    ingest_inbox(clean, generated.out_dir, reference)

    process = subprocess.Popen(
        [sys.executable, "-c", _INGEST_SCRIPT, str(killed), str(generated.out_dir), str(reference)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=os.getcwd(),
        start_new_session=True,  # its own process group: the kill takes the parser workers too
    )
    committed = [process.stdout.readline() for _ in range(12)]  # three batches of four are committed
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL and all(committed)

    partial_submissions, _ = _raw_state(killed)
    assert 12 <= len(partial_submissions) < len(generated.files)  # the kill landed mid-load
    ingest_inbox(killed, generated.out_dir, reference)
    assert _raw_state(killed) == _raw_state(clean)


def test_the_batch_committed_after_the_last_file_is_small_whatever_the_number_of_files(tmp_path, monkeypatch):
    import ingest.run

    generated = generate_inbox(tmp_path / "inbox", provinces=1, units_per_province=24, seed=11, bad_rate=0.0)
    commits = []

    def load_batch(con, receipts):  # the real loader, watched
        commits.append(len(receipts))
        return real(con, receipts)

    real = ingest.run.load_batch
    monkeypatch.setattr(ingest.run, "load_batch", load_batch)
    summary = ingest_inbox(tmp_path / "bdg.duckdb", generated.out_dir, generated.reference_dir, batch_files=8)
    received = [size for size in commits if size]
    assert sum(received) == summary.files_seen >= 20
    assert received[0] == 8 and max(received) == 8  # full batches while many files are still to come
    assert received[-1] <= 2  # then quarters: what is left after the last file is at most a quarter
    assert len(summary.outcomes) == summary.files_seen
