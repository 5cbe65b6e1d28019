"""Biểu 7 (plan tasks): the seed plan imported, two units report task status, the report carries the marts.

The warehouse is built like tests/test_plan_task_status.py: the Lai Châu plan's task appendix imported for
province 24 and 2026, Sở Nội vụ (annual report) and one commune (6-month report) fill in their NhiemVu
sheet, dbt judged at 21/12/2026. Each unit also reports one activity, and Sở Nội vụ sends a 2025 annual
report, so the year without a plan (2025) is a real period with data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import openpyxl
import pytest

from bdg.steps import report_outputs, transform_step
from ingest.form_writer import FormContent, write_form
from ingest.plan_tasks import import_plan
from ingest.reference import DEFAULT_REFERENCE_DIR, read_units
from ingest.run import ingest_inbox
from report import formatting as vnformat
from report.figures import plan_tasks, shorten_text
from report.layout import COLUMNS, FIRST_DATA_ROW, SHEETS, TITLES, no_plan_text
from report.narrative import document_text
from tests.ingest.test_plan_tasks import SEED

YEAR, PERIOD, NO_PLAN_YEAR = 2026, "NAM", 2025
AS_OF = dt.date(2026, 12, 21)
SHEET = SHEETS["plan_tasks"]
KEYS = [col.key for col in COLUMNS["plan_tasks"]]


@dataclass
class PlanBuilt:
    warehouse: Path
    outputs: dict[str, Path]
    no_plan_outputs: dict[str, Path]


def _activity(day: dt.date) -> dict:
    return {"activity_type_code": "TRUYEN_THONG", "programme_code": "CHIEN_LUOC", "activity_name": "Hội nghị",
            "activity_date": day, "quantity": 1, "participants_total": 40, "participants_female": 25,
            "participants_male": 15}  # fmt: skip


@pytest.fixture(scope="module")
def plan_built(tmp_path_factory) -> PlanBuilt:
    root = tmp_path_factory.mktemp("plan_tasks")
    warehouse, inbox = root / "bdg.duckdb", root / "inbox"
    inbox.mkdir()
    units = read_units(DEFAULT_REFERENCE_DIR)
    import_plan(warehouse, SEED, "24", YEAR, units)
    names = {unit.unit_code: unit.unit_name for unit in units}
    so_noi_vu = FormContent(
        activities=[_activity(dt.date(2026, 3, 8))],
        tasks=[
            {"task_code": "III.3", "status_code": "HOAN_THANH", "result_text": "Đã ban hành kế hoạch"},
            {"task_code": "iv.1.2", "status_code": "Đang thực hiện", "result_text": None},
        ],
    )
    commune = FormContent(
        activities=[_activity(dt.date(2026, 3, 20))],
        tasks=[{"task_code": "V.3", "status_code": "CHUA_THUC_HIEN", "result_text": None}],
    )
    earlier = FormContent(activities=[_activity(dt.date(2025, 3, 8))])
    write_form(inbox / "snv.xlsx", "24-SO02", names["24-SO02"], YEAR, "NAM", so_noi_vu)
    write_form(inbox / "xa.xlsx", "24-XA001", names["24-XA001"], YEAR, "6T", commune)
    write_form(inbox / "snv25.xlsx", "24-SO02", names["24-SO02"], NO_PLAN_YEAR, "NAM", earlier)
    (inbox / "_received.csv").write_text(
        "file,received_at\nsnv.xlsx,2026-11-25T08:00:00+07:00\nxa.xlsx,2026-05-20T08:00:00+07:00\n"
        "snv25.xlsx,2025-11-25T08:00:00+07:00\n"
    )
    summary = ingest_inbox(warehouse, inbox, DEFAULT_REFERENCE_DIR)
    assert summary.counts == {"loaded": 3}
    transform_step(warehouse, AS_OF)
    return PlanBuilt(
        warehouse,
        report_outputs(warehouse, YEAR, PERIOD, root / "out"),
        report_outputs(warehouse, NO_PLAN_YEAR, PERIOD, root / "out25"),
    )


@pytest.fixture(scope="module")
def marts(plan_built):
    """Per task of the plan year, straight from the marts, in the plan's order."""
    with duckdb.connect(str(plan_built.warehouse), read_only=True) as con:
        tasks = con.execute(
            """
            select task_code, section_code, section_title, group_title, task_text, lead_agencies, timeline_text,
                   due_date
            from marts.dim_plan_tasks where plan_year = ? order by source_row
            """,
            [YEAR],
        ).fetchall()
        status = {
            row[0]: row[1:]
            for row in con.execute(
                """
                select task_code, count(*), count(*) filter (where status = 'done'),
                       count(*) filter (where status = 'in_progress'), count(*) filter (where status = 'not_started'),
                       count(*) filter (where status = 'no_report'), bool_or(is_overdue), max(as_of_date)
                from marts.rpt_plan_task_status where plan_year = ? group by task_code
                """,
                [YEAR],
            ).fetchall()
        }
    return tasks, status


def _rows(sheet) -> list[dict]:
    """The table's rows from the first data row down to the total row, keyed by column."""
    rows = []
    for values in sheet.iter_rows(min_row=FIRST_DATA_ROW + 1, max_col=len(KEYS), values_only=True):
        row = dict(zip(KEYS, values, strict=True))
        rows.append(row)
        if str(row["label"] or "").startswith("Tổng cộng"):
            break
    return rows


def test_workbook_table_equals_the_marts_cell_by_cell(plan_built, marts):
    tasks, status = marts
    sheet = openpyxl.load_workbook(plan_built.outputs["workbook"])[SHEET]
    assert sheet["A1"].value == TITLES["plan_tasks"]
    assert (sheet["A5"].value, sheet["B5"].value, sheet["J5"].value) == ("Mã nhiệm vụ", "Nội dung nhiệm vụ", "Quá hạn")
    rows = _rows(sheet)
    items = [row for row in rows if row["stt"] and row["stt"] in {task[0] for task in tasks}]
    assert [row["stt"] for row in items] == [task[0] for task in tasks]  # every task once, in the plan's order
    overdue_tasks = 0
    for row, (code, _, _, _, text, agencies, timeline, due) in zip(items, tasks, strict=True):
        assigned, done, in_progress, not_started, no_report, overdue, _ = status.get(code, (0, 0, 0, 0, 0, False, None))
        assert row["label"] == shorten_text(text), code
        assert text.startswith(row["label"].rstrip("…")), code
        assert row["lead_agencies"] == ("; ".join(agencies) or None), code
        if due is None:
            assert row["due"] == timeline, code
        else:
            assert row["due"].date() == due, code
        figures = (row["units_assigned"], row["done"], row["in_progress"], row["not_started"], row["no_report"])
        assert figures == (assigned, done, in_progress, not_started, no_report), code
        # overdue as the mart judges it; a task with no lead unit is overdue once its due date has passed
        expected = bool(overdue) if assigned else (due is not None and due < AS_OF)
        assert row["overdue"] == ("Có" if expected else "Không"), code
        overdue_tasks += expected
    # sections (I, II, …) as section rows with their titles, before their first task
    sections = list(dict.fromkeys((task[1], task[2]) for task in tasks))
    printed = [(row["stt"], row["label"]) for row in rows if row["stt"] in {code for code, _ in sections}]
    assert printed == sections
    first_task_of = {}
    for task in tasks:
        first_task_of.setdefault(task[1], task[0])
    positions = {row["stt"]: index for index, row in enumerate(rows)}
    for code, _ in sections:
        assert positions[code] < positions[first_task_of[code]]
    assert sheet.cell(row=FIRST_DATA_ROW + 1, column=1).font.b  # the first row is section I, in bold
    # the totals row adds up the tasks; its overdue cell counts the overdue tasks
    total = rows[-1]
    assert total["label"] == f"Tổng cộng ({len(tasks)} nhiệm vụ)"
    for key in ("units_assigned", "done", "in_progress", "not_started", "no_report"):
        assert total[key] == sum(row[key] for row in items), key
    assert total["units_assigned"] == sum(value[0] for value in status.values())
    assert total["overdue"] == overdue_tasks


def test_reported_statuses_land_on_their_tasks(plan_built):
    rows = {row["stt"]: row for row in _rows(openpyxl.load_workbook(plan_built.outputs["workbook"])[SHEET])}
    assert (rows["III.3"]["done"], rows["III.3"]["overdue"]) == (1, "Không")  # done before its due date
    assert (rows["IV.1.2"]["in_progress"], rows["IV.1.2"]["overdue"]) == (1, "Có")  # due 30/4/2026
    assert rows["V.3"]["not_started"] == 1 and rows["V.3"]["overdue"] == "Có"
    assert rows["IV.2.4"]["due"].startswith("Sau khi") and rows["IV.2.4"]["overdue"] == "Không"
    assert rows["I.1"]["due"] == "Thường xuyên"
    assert rows["IV.1"]["label"].startswith("Chương trình Truyền thông")  # a group row above IV.1.x


def test_html_lists_the_overdue_tasks(plan_built, marts):
    tasks, status = marts
    html = plan_built.outputs["html"].read_text(encoding="utf-8")
    overdue = [task[0] for task in tasks if status.get(task[0], (0,) * 6)[5]]
    assert overdue and "IV.1.2" in overdue
    assert f"Nhiệm vụ quá hạn theo Kế hoạch năm {YEAR}" in html
    assert f"{len(overdue)}/{len(tasks)} nhiệm vụ của Kế hoạch năm {YEAR} đã quá thời hạn" in html
    for code in overdue:
        assert f'data-overdue-task="{code}"' in html
    listed = html.count("data-overdue-task=")
    assert listed == len(overdue)
    assert "thời hạn 30/04/2026; 0/1 đơn vị báo cáo hoàn thành" in html  # IV.1.2, Sở Nội vụ


def test_narrative_says_how_many_tasks_are_done_and_overdue(plan_built, marts):
    tasks, status = marts
    done = sum(1 for value in status.values() if value[0] and value[1] == value[0])
    overdue = sum(1 for value in status.values() if value[5])
    text = document_text(plan_built.outputs["narrative"])
    assert (
        f"Trong {vnformat.integer(len(tasks))} nhiệm vụ của Kế hoạch năm {YEAR}, có {vnformat.integer(done)} nhiệm vụ "
        f"đã được tất cả đơn vị chủ trì báo cáo hoàn thành và {vnformat.integer(overdue)} nhiệm vụ quá hạn tính đến "
        f"ngày {vnformat.date(AS_OF)} (chi tiết tại {SHEET})."
    ) in text


def test_a_year_without_a_plan_still_writes(plan_built):
    outputs = plan_built.no_plan_outputs
    sheet = openpyxl.load_workbook(outputs["workbook"])[SHEET]
    assert sheet.cell(row=FIRST_DATA_ROW + 1, column=1).value == no_plan_text(NO_PLAN_YEAR)
    assert sheet.cell(row=FIRST_DATA_ROW + 2, column=1).value is None  # one line, no notes
    assert "data-overdue-task" not in outputs["html"].read_text(encoding="utf-8")
    assert "nhiệm vụ của Kế hoạch" not in document_text(outputs["narrative"])


def test_a_warehouse_without_the_marts_fails_loudly():
    """Reports run after `dbt build`: a missing mart is an error, not an empty table."""
    with pytest.raises(duckdb.CatalogException):
        plan_tasks(duckdb.connect(), YEAR, PERIOD)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quyết định kiện toàn  Ban Vì sự tiến bộ của phụ nữ", "Quyết định kiện toàn Ban Vì sự tiến bộ của phụ nữ"),
        ("một hai ba bốn năm sáu", "một hai…"),
        ("một hai, ba bốn", "một hai…"),
    ],
)
def test_long_task_texts_are_cut_at_a_word(text, expected):
    limit = 50 if len(text) > 40 else 10
    assert shorten_text(text, limit) == expected
    assert len(shorten_text(text, limit)) <= limit


def test_provenance_of_a_period_without_any_content(tmp_path):
    from bdg.steps import prepare_warehouse, transform_step
    from ingest.reference import DEFAULT_REFERENCE_DIR
    from report.provenance import COLUMNS, figure_sources

    warehouse = tmp_path / "empty.duckdb"
    prepare_warehouse(warehouse, DEFAULT_REFERENCE_DIR)
    transform_step(warehouse, dt.date(2026, 12, 21))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sources = figure_sources(con, 2026, "NAM")
    assert sources.empty and list(sources.columns) == COLUMNS
