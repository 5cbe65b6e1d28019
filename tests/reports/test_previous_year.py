"""'Cùng kỳ năm trước' and 'Tăng (+), giảm (-)' in every Biểu, on real warehouses.

The package's two-year warehouse (tests/reports/conftest.py: 2025 ingested, then the 2026 pipeline): each
comparison column of the 2026 tables equals the same figure of the 2025 tables, read from the same marts,
and the change is the difference; the 2025 tables, with no accepted 2024 report before them, leave the
columns empty. Biểu 7 gets its own warehouse with the same plan imported for 2025 and 2026.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import openpyxl
import pytest

from bdg.steps import transform_step
from ingest.form_writer import FormContent, write_form
from ingest.plan_tasks import import_plan
from ingest.reference import DEFAULT_REFERENCE_DIR, read_units
from ingest.run import ingest_inbox
from report.figures import load_report_data, ministry_tables, plan_tasks, value_of
from report.layout import (
    CHANGE_HEADER,
    COLUMNS,
    COMPARED_FIGURES,
    HEADER_ROW,
    PREVIOUS_HEADER,
    SHEETS,
    footnotes,
)
from report.workbook import render_workbook
from tests.ingest.test_plan_tasks import SEED

from .conftest import PERIOD, YEAR

PREVIOUS_YEAR = YEAR - 1
# Biểu 1–6: the tables compared cell by cell with the previous year's.
COMPARED_TABLES = [key for key in COMPARED_FIGURES if key != "plan_tasks"]


@pytest.fixture(scope="module")
def tables(built):
    return ministry_tables(built.con, YEAR, PERIOD)


@pytest.fixture(scope="module")
def previous_tables(built):
    return ministry_tables(built.con, PREVIOUS_YEAR, PERIOD)


def _row_key(record: dict):
    return (record["row_kind"], value_of(record.get("dimension")), value_of(record.get("code")))


def _compared_keys(frame) -> list[str]:
    """Every figure the frame compares (the printed ones and the others the mart compares too)."""
    return [name.removeprefix("previous_") for name in frame.columns if name.startswith("previous_")]


@pytest.mark.parametrize("key", COMPARED_TABLES)
def test_previous_year_column_is_last_years_figure_and_change_the_difference(tables, previous_tables, key):
    frame, previous = tables[key], previous_tables[key]
    assert set(COMPARED_FIGURES[key]) <= set(_compared_keys(frame))
    last_year = {_row_key(record): record for record in previous.to_dict("records")}
    compared = 0
    for record in frame.to_dict("records"):
        if record["row_kind"] == "section":
            continue
        if key == "reporting_status" and record["row_kind"] != "total":
            # by unit kind (rpt_reporting_rates) the mart does not compare: blank
            assert all(value_of(record[f"previous_{name}"]) is None for name in _compared_keys(frame))
            continue
        before = last_year[_row_key(record)]
        for name in _compared_keys(frame):
            now, then = value_of(record[name]), value_of(before[name])
            where = (key, record["label"], name)
            if then is None:
                assert value_of(record[f"previous_{name}"]) is None, where
            else:
                assert value_of(record[f"previous_{name}"]) == pytest.approx(then, abs=1e-12), where
            if now is None or then is None:
                assert value_of(record[f"change_{name}"]) is None, where
            else:
                assert value_of(record[f"change_{name}"]) == pytest.approx(now - then, abs=1e-12), where
                compared += 1
    assert compared > 0


def test_main_figures_are_compared_with_real_numbers(tables, built):
    """The totals the reader looks at first are compared, with last year's figure straight from the mart."""
    (activities_2025,) = built.con.execute(
        "select value from marts.rpt_ministry_annual where province_code = 'TOAN_QUOC' and report_year = ? "
        "and report_type = ? and table_code = 'BIEU_1' and row_code = 'total' and column_code = 'activities'",
        [PREVIOUS_YEAR, PERIOD],
    ).fetchone()
    total = tables["activities"][tables["activities"]["row_kind"] == "total"].iloc[0]
    assert activities_2025 > 0 and total["previous_activities"] == activities_2025
    assert total["change_activities"] == total["activities"] - activities_2025
    cases = tables["gbv_cases"][tables["gbv_cases"]["row_kind"] == "total"].iloc[0]
    assert cases["previous_cases_detected"] > 0
    share = tables["leadership"][tables["leadership"]["row_kind"] == "total"].iloc[0]
    assert value_of(share["previous_share_of_reporting"]) is not None
    results = tables["plan_targets"]["previous_result"].dropna()
    assert len(results) >= 5


def test_workbook_prints_the_pairs_under_one_header(built):
    workbook = openpyxl.load_workbook(built.outputs["workbook"])
    for key in COMPARED_FIGURES:
        sheet = workbook[SHEETS[key]]
        keys = [col.key for col in COLUMNS[key]]
        for figure, label in COMPARED_FIGURES[key].items():
            column = keys.index(f"previous_{figure}") + 1
            assert keys[column] == f"change_{figure}"  # the change right after
            assert sheet.cell(row=HEADER_ROW + 1, column=column).value == label, (key, figure)
            assert sheet.cell(row=HEADER_ROW + 2, column=column).value == PREVIOUS_HEADER
            assert sheet.cell(row=HEADER_ROW + 2, column=column + 1).value == CHANGE_HEADER
            merged = [str(cells) for cells in sheet.merged_cells.ranges if cells.min_row == HEADER_ROW + 1]
            assert any(cells.startswith(sheet.cell(row=HEADER_ROW + 1, column=column).coordinate) for cells in merged)


def test_first_year_leaves_the_comparison_empty(built, tmp_path):
    """2025 is the warehouse's first year with accepted reports: nothing to compare with."""
    data = load_report_data(built.con, PREVIOUS_YEAR, PERIOD)
    assert data.previous_period is None
    for key in COMPARED_TABLES:
        frame = data.tables[key]
        columns = [name for name in frame.columns if name.startswith(("previous_", "change_"))]
        assert columns and frame[columns].isna().all().all(), key
        assert any("để trống" in note for note in footnotes(key, data)), key
    path = render_workbook(data, tmp_path / "bao_cao_2025.xlsx")
    sheet = openpyxl.load_workbook(path)[SHEETS["activities"]]
    column = [col.key for col in COLUMNS["activities"]].index("previous_activities") + 1
    printed = [sheet.cell(row=row, column=column).value for row in range(HEADER_ROW + 4, sheet.max_row + 1)]
    total_row = next(row for row in range(1, sheet.max_row + 1) if sheet.cell(row=row, column=2).value == "Tổng cộng")
    assert sheet.cell(row=total_row, column=column).value is None and all(value is None for value in printed)


# --------------------------------------------------------------------------------------------------
# Biểu 7: the same plan imported for two years


@pytest.fixture(scope="module")
def plan_warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("plan_two_years")
    warehouse, inbox = root / "bdg.duckdb", root / "inbox"
    inbox.mkdir()
    units = read_units(DEFAULT_REFERENCE_DIR)
    names = {unit.unit_code: unit.unit_name for unit in units}
    for year in (PREVIOUS_YEAR, YEAR):
        import_plan(warehouse, SEED, "24", year, units)
    done = {"status_code": "HOAN_THANH", "result_text": None}
    reports = {
        # 2025: III.3 done by Sở Nội vụ, IV.1.2 not started; 2026: both done
        PREVIOUS_YEAR: [{"task_code": "III.3", **done},
                        {"task_code": "IV.1.2", "status_code": "CHUA_THUC_HIEN", "result_text": None}],
        YEAR: [{"task_code": "III.3", **done}, {"task_code": "IV.1.2", **done}],
    }  # fmt: skip
    received = ["file,received_at"]
    for year, tasks in reports.items():
        write_form(inbox / f"snv{year}.xlsx", "24-SO02", names["24-SO02"], year, "NAM", FormContent(tasks=tasks))
        received.append(f"snv{year}.xlsx,{year}-11-25T08:00:00+07:00")
    (inbox / "_received.csv").write_text("\n".join(received) + "\n")
    assert ingest_inbox(warehouse, inbox, DEFAULT_REFERENCE_DIR).counts == {"loaded": 2}
    transform_step(warehouse, dt.date(2026, 12, 21))
    return warehouse


def test_plan_tasks_compare_units_done_with_the_same_task_of_last_years_plan(plan_warehouse):
    with duckdb.connect(str(plan_warehouse), read_only=True) as con:
        last_year = dict(
            con.execute(
                "select task_code, units_done from marts.rpt_plan_tasks where plan_year = ?", [PREVIOUS_YEAR]
            ).fetchall()
        )
        (last_year_total,) = con.execute(
            "select any_value(year_units_done) from marts.rpt_plan_tasks where plan_year = ?", [PREVIOUS_YEAR]
        ).fetchone()
        frame = plan_tasks(con, YEAR, PERIOD)
        first_year = plan_tasks(con, PREVIOUS_YEAR, PERIOD)
    items = frame[frame["row_kind"] == "item"]
    assert len(items) == len(last_year)  # the same plan both years
    for record in items.to_dict("records"):
        assert record["previous_done"] == last_year[record["code"]], record["code"]
        assert record["change_done"] == record["done"] - last_year[record["code"]], record["code"]
    by_code = items.set_index("code")
    assert (by_code.loc["III.3", "previous_done"], by_code.loc["III.3", "change_done"]) == (1, 0)
    assert (by_code.loc["IV.1.2", "previous_done"], by_code.loc["IV.1.2", "change_done"]) == (0, 1)
    total = frame[frame["row_kind"] == "total"].iloc[0]
    assert (total["previous_done"], total["change_done"]) == (last_year_total, total["done"] - last_year_total)
    assert last_year_total == 1
    # the first plan year has nothing before it
    assert first_year[["previous_done", "change_done"]].isna().all().all()
