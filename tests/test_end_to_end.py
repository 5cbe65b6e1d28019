"""A generated province inbox through the real pipeline (ingest → dbt → Great Expectations → report).

Every expected figure is computed from the generator's own record (`_manifest.json`), never read back
from the warehouse.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import duckdb
import openpyxl
import pytest

from bdg.steps import run_pipeline
from report.figures import ministry_tables
from sample.generate import generate_inbox

YEAR, PERIOD = 2026, "NAM"
AS_OF = dt.date(2026, 12, 21)  # every generated file (late ones up to 20 days after 30/11) is in


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    generated = generate_inbox(
        root / "inbox", provinces=1, units_per_province=14, year=YEAR, report_type=PERIOD,
        late_rate=0.2, missing_rate=0.1, bad_rate=0.25, seed=14,
    )  # fmt: skip
    result = run_pipeline(root / "inbox", root / "out", root / "bdg.duckdb", generated.reference_dir, AS_OF)
    con = duckdb.connect(str(result.warehouse), read_only=True)
    yield generated.manifest, result, con
    con.close()


def _current_content(manifest) -> dict[str, dict]:
    """Per unit, the content of its last good file (the one the facts must hold)."""
    current = {}
    for unit in manifest["units"]:
        good = [f for f in unit["files"] if f["kind"] == "ok"]
        if good:
            current[unit["unit_code"]] = max(good, key=lambda f: f["received_at"])["content"]
    return current


def test_the_inbox_has_every_kind_of_case(pipeline):
    manifest, _, _ = pipeline
    statuses = {unit["expected_status"] for unit in manifest["units"]}
    assert {"on_time", "late", "missing", "rejected"} <= statuses


def test_reporting_status_matches_what_the_generator_sent(pipeline):
    manifest, _, con = pipeline
    expected = {
        unit["unit_code"]: (unit["expected_status"], unit["days_late"] if unit["expected_status"] == "late" else None)
        for unit in manifest["units"]
    }
    actual = {
        code: (status, days_late)
        for code, status, days_late in con.execute(
            "select unit_code, status, days_late from marts.rpt_reporting_status "
            "where report_year = ? and report_type = ?",
            [YEAR, PERIOD],
        ).fetchall()
    }
    assert actual == expected


def test_activity_figures_equal_the_files_current_content(pipeline):
    manifest, _, con = pipeline
    expected = defaultdict(lambda: [0, 0, 0, 0])
    for code, content in _current_content(manifest).items():
        for row in content["activities"]:
            sums = expected[code]
            sums[0] += 1
            sums[1] += row["quantity"] or 1
            sums[2] += row["participants_female"] or 0
            sums[3] += row["budget_vnd"] or 0
    rows = con.execute(
        """
        select unit_code, count(*), sum(quantity), coalesce(sum(participants_female), 0), coalesce(sum(budget_vnd), 0)
        from marts.fct_activities where report_year = ? and report_type = ? group by unit_code
        """,
        [YEAR, PERIOD],
    ).fetchall()
    assert {code: list(map(int, figures)) for code, *figures in rows} == dict(expected)


def test_gbv_and_leadership_figures(pipeline):
    manifest, _, con = pipeline
    current = _current_content(manifest)
    supported = sum(row["victims_supported"] for content in current.values() for row in content["gbv_cases"])
    detected = sum(row["cases_detected"] for content in current.values() for row in content["gbv_cases"])
    assert con.execute(
        "select sum(victims_supported), sum(cases_detected) from marts.fct_gbv_cases where report_year = ?", [YEAR]
    ).fetchone() == (supported, detected)

    units = {unit["unit_code"]: unit for unit in manifest["units"]}
    with_female_key_leader = defaultdict(int)
    reporting = defaultdict(int)
    for code, content in current.items():
        unit = units[code]
        group = "commune" if unit["unit_kind"] in ("XA", "PHUONG", "DAC_KHU") else (
            "state_agency" if unit["is_state_agency"] else None)  # fmt: skip
        if group is None:
            continue
        reporting[group] += 1
        if any(r["position_group_code"] == "CHU_CHOT" and r["leaders_female"] >= 1 for r in content["leadership"]):
            with_female_key_leader[group] += 1
    rows = con.execute(
        "select unit_group, units_reporting, units_with_female_key_leader from marts.rpt_leadership_targets "
        "where report_year = ?",
        [YEAR],
    ).fetchall()
    assert {group: (n, k) for group, n, k in rows} == {
        group: (reporting[group], with_female_key_leader[group]) for group in reporting
    }


def test_rejected_files_are_recorded_with_their_errors(pipeline):
    manifest, result, con = pipeline
    bad_files = {f["file"]: f["kind"] for unit in manifest["units"] for f in unit["files"] if f["kind"] != "ok"}
    recorded = dict(
        con.execute(
            "select s.file_name, e.code from raw.submissions as s join raw.ingest_errors as e using (file_sha256) "
            "where s.status = 'rejected'"
        ).fetchall()
    )
    assert recorded == bad_files
    assert result.ingest["counts"].get("rejected") == len(bad_files)


def test_expectations_name_every_missing_rejected_and_late_unit(pipeline):
    manifest, result, con = pipeline
    by_status = defaultdict(set)
    for unit in manifest["units"]:
        by_status[unit["expected_status"]].add(unit["unit_code"])
    findings = con.execute(
        "select expectation, severity, unit_code from dq.results where run_id = ? and not success "
        "and unit_code is not null",
        [result.checks["run_id"]],
    ).fetchall()
    assert {code for name, severity, code in findings if name == "every_expected_unit_reported"} == (
        by_status["missing"] | by_status["rejected"]
    )
    assert {code for name, severity, code in findings if name == "every_unit_reported_on_time"} == by_status["late"]
    assert {severity for name, severity, _ in findings if name == "every_expected_unit_reported"} == {"warning"}


def test_ministry_workbook_carries_the_mart_figures(pipeline):
    manifest, result, con = pipeline
    female = sum(
        row["participants_female"] or 0
        for content in _current_content(manifest).values()
        for row in content["activities"]
    )
    tables = ministry_tables(con, YEAR, PERIOD)
    activities = tables["activities"]
    total = activities[activities["row_kind"] == "total"]["participants_female"].iloc[0]
    assert int(total) == female

    workbook = openpyxl.load_workbook(result.report_path, data_only=True)
    sheet = next(ws for ws in workbook.worksheets if ws.title.startswith("Biểu 1"))
    values = [cell for row in sheet.iter_rows(values_only=True) if "Tổng cộng" in row for cell in row]
    assert female in values
