"""`bdg demo` for real, once: two years of reports (6-month and annual), the plans imported, flaws planted
(`sample.flaws`), the nightly DAG through Airflow's dag.test(), the 6-month report by the `bdg report` step.

On the demo every expectation suite finds at least one planted problem and names its unit, both reports of
the year are written, Biểu 7 has the plan's tasks, and every Biểu has its «Cùng kỳ năm trước» figures.
Slow (the DAG run, about a minute): one run for the module.
"""

from __future__ import annotations

import os

import duckdb
import openpyxl
import pytest

from bdg.demo import SIX_MONTH_DIR, demo_periods, run_demo
from expectations.suites import SUITES
from report.layout import COMPARED_FIGURES, PREVIOUS_HEADER, SHEETS


@pytest.fixture(scope="module")
def demo(airflow_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "out"
    before = dict(os.environ)
    try:
        result = run_demo(out)
    finally:  # run_demo points Airflow and BDG_* at its own folders: give the session back its own
        for key in set(os.environ) - set(before):
            del os.environ[key]
        os.environ.update(before)
    return out, result


def _annual_run_findings(con, year: int) -> set[tuple[str, str, str | None]]:
    """(suite, expectation, unit) of every finding of the last check run scoped to the annual report."""
    return set(
        con.execute(
            """
            select suite, expectation, unit_code from dq.results
            where not success and run_id = (
                select max_by(run_id, run_at) from dq.results
                where unit_code is null and report_year = ? and report_type = 'NAM'
                    and expectation = 'every_expected_unit_reported'
            )
            """,
            [year],
        ).fetchall()
    )


def test_every_suite_names_a_planted_unit(demo):
    out, result = demo
    flaws = [flaw for flaw, _ in result["flaws"]]
    with duckdb.connect(str(result["warehouse"]), read_only=True) as con:
        found = _annual_run_findings(con, result["year"])
    named = {flaw.suite for flaw in flaws if (flaw.suite, flaw.expectation, flaw.unit_code) in found}
    assert named == set(SUITES) == {flaw.suite for flaw in flaws}
    assert len({flaw.unit_code for flaw in flaws}) == len(flaws)  # one unit per flaw
    assert all(found_by_demo for _, found_by_demo in result["flaws"])  # what the summary says


def test_both_reports_of_the_year_are_published(demo):
    out, result = demo
    year = result["year"]
    assert result["report"] == out / f"bao_cao_bdg_{year}_NAM.xlsx" and result["report"].is_file()
    assert result["six_month_report"] == out / SIX_MONTH_DIR / f"bao_cao_bdg_{year}_6T.xlsx"
    assert result["six_month_report"].is_file() and result["six_month_published"]
    assert (out / SIX_MONTH_DIR / "data_docs" / "summary.html").is_file()


def test_the_warehouse_holds_both_years_accepted_reports(demo):
    _, result = demo
    with duckdb.connect(str(result["warehouse"]), read_only=True) as con:
        accepted = dict(
            con.execute(
                "select report_year || ' ' || report_type, count(*) from marts.rpt_reporting_status "
                "where status in ('on_time', 'late') group by all"
            ).fetchall()
        )
    for year, report_type in demo_periods(result["year"]):
        assert accepted[f"{year} {report_type}"] > 100


def test_biểu_7_lists_the_plan_tasks_with_their_units(demo):
    _, result = demo
    with duckdb.connect(str(result["warehouse"]), read_only=True) as con:
        tasks = con.execute(
            "select count(*), count(units_done), count(previous_units_done) from marts.rpt_plan_tasks "
            "where plan_year = ?",
            [result["year"]],
        ).fetchone()
    assert tasks[0] == result["plan_tasks"] == 28
    assert tasks[1] > 0 and tasks[2] > 0
    sheet = openpyxl.load_workbook(result["report"], read_only=True)[SHEETS["plan_tasks"]]
    cells = {str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None}
    assert {"V.3", "IV.2.2"} <= cells


@pytest.mark.parametrize("report_type", ["NAM", "6T"])
def test_every_biểu_has_its_previous_year_figures(demo, report_type):
    out, result = demo
    year = result["year"]
    with duckdb.connect(str(result["warehouse"]), read_only=True) as con:
        filled = dict(
            con.execute(
                "select table_code, count(previous_value) from marts.rpt_ministry_annual "
                "where report_year = ? and report_type = ? and has_previous_period group by all",
                [year, report_type],
            ).fetchall()
        )
        codes = {row[0] for row in con.execute("select distinct table_code from marts.rpt_ministry_annual").fetchall()}
    assert set(filled) == codes and all(filled.values())
    # the workbook prints them: on every Biểu with compared figures, a number under «Cùng kỳ năm trước»
    path = result["report"] if report_type == "NAM" else result["six_month_report"]
    workbook = openpyxl.load_workbook(path, read_only=True)
    for key in COMPARED_FIGURES:
        rows = list(workbook[SHEETS[key]].iter_rows(values_only=True))
        columns = {i for row in rows for i, value in enumerate(row) if value == PREVIOUS_HEADER}
        assert columns, f"{SHEETS[key]} ({key}) has no «{PREVIOUS_HEADER}» column"
        numbers = [row[i] for row in rows for i in columns if i < len(row) and isinstance(row[i], int | float)]
        assert numbers, f"{SHEETS[key]} ({key}): «{PREVIOUS_HEADER}» is empty"
