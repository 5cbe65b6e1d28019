"""The commands as an operator meets them after the demo: Vietnamese dates and period names, valid JSON
on stdout, a wrong year or a missing warehouse refused in one line with nothing written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

AS_OF = "21/12/2026"


def bdg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "BDG_LOG_DIR": str(cwd or Path.cwd())}
    env.pop("BDG_WAREHOUSE", None)
    return subprocess.run(
        [sys.executable, "-m", "bdg.cli", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=600
    )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    inbox, warehouse = root / "inbox", root / "bdg.duckdb"
    steps = [
        ("generate", "--out", str(inbox), "--units-per-province", "14", "--seed", "3", "--year", "2026"),
        ("ingest", "--inbox", str(inbox), "--warehouse", str(warehouse), "--reference", str(inbox / "_reference"),
         "--out", str(root / "out")),
        ("transform", "--warehouse", str(warehouse), "--as-of", AS_OF),
    ]  # fmt: skip
    for step in steps:
        result = bdg(*step, cwd=root)
        assert result.returncode == 0, result.stdout + result.stderr
    return warehouse


def test_status_json_is_json_with_vietnamese_dates_periods_and_labels(warehouse: Path) -> None:
    result = bdg(
        "status", "--year", "2026", "--period", "năm", "--as-of", AS_OF, "--warehouse", str(warehouse), "--json"
    )
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert records and {"status", "status_name_vi"} <= set(records[0])
    labels = {record["status"]: record["status_name_vi"] for record in records}
    assert labels.get("on_time") == "Nộp đúng hạn"


def test_status_table_speaks_vietnamese(warehouse: Path) -> None:
    result = bdg("status", "--year", "2026", "--period", "NAM", "--as-of", "2026-12-21", "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr
    assert "Nộp đúng hạn" in result.stdout
    assert "on_time" not in result.stdout


@pytest.mark.parametrize(
    ("year", "message"),
    [("2062", "không có trong lịch báo cáo"), ("2027", "chưa có báo cáo nào được chấp nhận")],
)
def test_a_report_for_a_period_without_data_is_refused_and_writes_nothing(
    warehouse: Path, tmp_path: Path, year: str, message: str
) -> None:
    out = tmp_path / "out"
    result = bdg("report", "--year", year, "--period", "NAM", "--out", str(out), "--warehouse", str(warehouse))
    assert result.returncode == 1
    assert message in " ".join(result.stdout.split())
    assert "Traceback" not in result.stdout + result.stderr
    assert not out.exists() or not any(out.rglob("*"))


@pytest.mark.parametrize(
    "command",
    [
        ("status", "--year", "2026", "--period", "NAM"),
        ("report", "--year", "2026", "--period", "NAM", "--out", "out"),
        ("chase", "--year", "2026", "--period", "NAM", "--out", "out"),
        ("export", "--year", "2026", "--out", "out"),
        ("transform",),
        ("check",),
    ],
)
def test_a_missing_warehouse_is_one_line_and_no_new_file(tmp_path: Path, command: tuple[str, ...]) -> None:
    result = bdg(*command, cwd=tmp_path)
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 1
    assert "không có kho dữ liệu" in output
    assert "Traceback" not in output
    assert not (tmp_path / "warehouse").exists()
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [("--as-of", "32/12/2026", "không phải là ngày"), ("--period", "quý", "không phải là kỳ báo cáo")],
)
def test_a_wrong_date_or_period_is_refused_before_any_work(
    tmp_path: Path, option: str, value: str, message: str
) -> None:
    args = {"--as-of": AS_OF, "--period": "NAM", option: value}
    result = bdg("status", "--year", "2026", "--period", args["--period"], "--as-of", args["--as-of"], cwd=tmp_path)
    assert result.returncode == 2
    assert message in " ".join(result.stderr.split())
    assert not any(tmp_path.iterdir())
