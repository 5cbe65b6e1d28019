"""`bdg export` and `bdg report` from the command line."""

from __future__ import annotations

import csv
import shutil

import openpyxl
import pandas as pd
from typer.testing import CliRunner

from bdg.cli import app
from report.export import csv_safe, export_folder

from .conftest import INJECTED_NAME, PERIOD, YEAR

runner = CliRunner()


def test_export_parquet_equals_the_marts(built, tmp_path):
    result = runner.invoke(
        app, ["export", "--year", str(YEAR), "--period", PERIOD, "--format", "parquet", "--out", str(tmp_path),
              "--warehouse", str(built.warehouse)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    folder = export_folder(tmp_path, YEAR, PERIOD, "parquet")
    assert [path.name for path in tmp_path.iterdir()] == [folder.name]  # the set is one folder
    facts = pd.read_parquet(folder / f"fct_gbv_cases_{YEAR}_{PERIOD}.parquet")
    marts = built.con.execute(
        "select * from marts.fct_gbv_cases where report_year = ? and report_type = ?", [YEAR, PERIOD]
    ).df()
    key = ["file_sha256", "source_row"]
    pd.testing.assert_frame_equal(
        facts.sort_values(key).reset_index(drop=True), marts.sort_values(key).reset_index(drop=True)
    )
    names = {path.name.split(f"_{YEAR}")[0] for path in folder.iterdir()}
    assert {"fct_activities", "fct_leadership", "rpt_reporting_status", "dim_units"} <= names


def test_export_csv_is_excel_friendly_and_defused(built, tmp_path):
    result = runner.invoke(
        app, ["export", "--year", str(YEAR), "--format", "csv", "--out", str(tmp_path),
              "--warehouse", str(built.warehouse)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    folder = export_folder(tmp_path, YEAR, None, "csv")
    raw = (folder / f"dim_units_{YEAR}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    names = {row["unit_name"] for row in rows}
    assert "'" + INJECTED_NAME in names and INJECTED_NAME not in names
    status = list(csv.DictReader((folder / f"rpt_reporting_status_{YEAR}.csv").read_text("utf-8-sig").splitlines()))
    expected = built.con.execute("select count(*) from marts.rpt_reporting_status where report_year = ?", [YEAR])
    assert len(status) == expected.fetchone()[0]
    assert csv_safe(pd.DataFrame({"a": ["-5 vụ", "ok", "@x"]}))["a"].tolist() == ["'-5 vụ", "ok", "'@x"]


def test_export_xlsx_one_sheet_per_mart_text_never_a_formula(built, tmp_path):
    result = runner.invoke(
        app, ["export", "--year", str(YEAR), "--format", "xlsx", "--out", str(tmp_path),
              "--warehouse", str(built.warehouse)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(tmp_path / f"bdg_marts_{YEAR}.xlsx")
    assert {"fct_activities", "dim_units", "rpt_leadership_targets"} <= set(workbook.sheetnames)
    units = workbook["dim_units"]
    cells = [cell for row in units.iter_rows() for cell in row if cell.value == INJECTED_NAME]
    assert cells and all(cell.data_type == "s" for cell in cells)
    count = built.con.execute("select count(*) from marts.fct_activities where report_year = ?", [YEAR]).fetchone()[0]
    assert workbook["fct_activities"].max_row == count + 1


def test_export_refuses_an_unknown_format(built, tmp_path):
    result = runner.invoke(
        app, ["export", "--year", str(YEAR), "--format", "ods", "--out", str(tmp_path),
              "--warehouse", str(built.warehouse)],
    )  # fmt: skip
    assert result.exit_code == 2


def test_report_command_writes_all_three_outputs(built, tmp_path):
    # `bdg report` runs the period's checks (they write dq.results): on a copy, since this process holds
    # the package's warehouse open read-only.
    warehouse = tmp_path / "copy.duckdb"
    shutil.copy(built.warehouse, warehouse)
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["report", "--year", str(YEAR), "--period", PERIOD, "--out", str(out), "--warehouse", str(warehouse)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    names = {path.name for path in out.iterdir() if path.is_file()}
    assert names == {f"bao_cao_bdg_{YEAR}_{PERIOD}.xlsx", f"bao_cao_bdg_{YEAR}_{PERIOD}.html",
                     f"du_thao_bao_cao_bdg_{YEAR}_{PERIOD}.docx"}  # fmt: skip
