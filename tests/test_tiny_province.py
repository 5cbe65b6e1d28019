"""The fast tier's end to end: a tiny generated province ingested, `dbt build` (every model, seed, data
test and unit test: the status, rate and target rules), then the reports rendered from the marts.

The full suite covers the same ground with more units, periods and outputs; this is the quick loop."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from openpyxl import load_workbook

from bdg.steps import ingest_step, report_outputs
from bdg.transform import run_dbt
from ingest.warehouse import connect
from sample.generate import generate_inbox

pytestmark = pytest.mark.fast
AS_OF = dt.date(2026, 12, 21)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny")
    generated = generate_inbox(root / "inbox", provinces=1, units_per_province=6, year=2026, seed=3)
    warehouse = root / "bdg.duckdb"
    ingest_step(warehouse, generated.out_dir, generated.reference_dir, root / "out")
    run_dbt(["build"], warehouse, AS_OF, work_dir=root / "dbt")
    return {"root": root, "warehouse": warehouse, "run_results": root / "dbt" / "target" / "run_results.json"}


def test_every_dbt_node_and_unit_test_passes(tiny):
    results = json.loads(tiny["run_results"].read_text(encoding="utf-8"))["results"]
    unit_tests = [result for result in results if result["unique_id"].startswith("unit_test.")]
    assert len(unit_tests) >= 10, "the project's unit tests were not run"
    # exposures (the outputs that read the marts) are nodes dbt reports as no-op: nothing to run
    failed = [
        result["unique_id"]
        for result in results
        if result["status"] not in ("pass", "success") and not result["unique_id"].startswith("exposure.")
    ]
    assert failed == []


def test_the_reports_render_from_the_marts(tiny):
    written = report_outputs(tiny["warehouse"], 2026, "NAM", tiny["root"] / "reports")

    assert {path.name for path in written.values()} == {
        "bao_cao_bdg_2026_NAM.xlsx", "bao_cao_bdg_2026_NAM.html", "du_thao_bao_cao_bdg_2026_NAM.docx",
    }  # fmt: skip
    with connect(tiny["warehouse"], read_only=True) as con:
        (activities,) = con.execute(
            "select value from marts.rpt_ministry_annual where report_year = 2026 and report_type = 'NAM' "
            "and table_code = 'BIEU_1' and row_code = 'total' and column_code = 'activities'"
        ).fetchone()
    assert activities > 0
    book = load_workbook(written["workbook"], read_only=True)
    total_row = next(row for row in book["Biểu 1"].iter_rows(values_only=True) if "Tổng cộng" in row)
    assert activities in total_row
    html = written["html"].read_text(encoding="utf-8")
    assert "Biểu 1" in html and "http://" not in html and "https://" not in html
