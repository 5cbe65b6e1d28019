"""Biểu 6 and 7 of the report: the plan's targets (`marts.rpt_plan_targets`) and the plan's tasks
(`marts.rpt_plan_tasks`, laid out under their sections and groups). The marts measure, count, judge
met/done/overdue, total and compare with the previous year; this module only selects and lays out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from report.frames import TOTAL_LABEL, as_date, as_int, assessment, frame, is_na, period_records, value_of

if TYPE_CHECKING:
    import pandas as pd

PLAN_TASK_STATUSES = ("done", "in_progress", "not_started", "no_report")  # rpt_plan_task_status.status
PLAN_TASK_TEXT_LIMIT = 180  # characters of a task's content printed in the table (the full text is in the mart)
PLAN_TASK_COLUMNS = [
    "row_kind", "stt", "code", "province_code", "label", "task_text", "lead_agencies", "due_date",
    "timeline_text", "due", "units_assigned", *PLAN_TASK_STATUSES, "is_done", "is_overdue", "overdue",
    "previous_done", "change_done",
]  # fmt: skip


PLAN_TARGET_COLUMNS = [
    "row_kind", "stt", "code", "label", "legal_source", "target_level", "units_met", "units_assessed",
    "result", "goal", "attainment", "assessment", "previous_result", "change_result",
]  # fmt: skip


def plan_targets(con, report_year: int, report_type: str) -> pd.DataFrame:
    """Biểu 6: each target of the plan against the period's reports, in the order of targets.csv
    (`marts.rpt_plan_targets`, whole warehouse), with the result of the same period of the previous year
    and the change (`previous_result`, `change_result`; NA when not compared). Empty when the mart holds
    no row for the period."""
    records = period_records(
        con,
        "rpt_plan_targets",
        "target_code, target_name_vi, legal_source, target_level_vi, units_met, units_assessed, result, goal,"
        " attainment, is_met, previous_result, result_change",
        report_year,
        report_type,
        order_by="target_order, target_code",
    )
    rows = [
        {
            "row_kind": "item",
            "stt": str(number),
            "code": record["target_code"],
            "label": record["target_name_vi"],
            "legal_source": record["legal_source"],
            "target_level": record["target_level_vi"],
            "units_met": as_int(record["units_met"]),
            "units_assessed": as_int(record["units_assessed"]),
            "result": value_of(record["result"]),
            "goal": value_of(record["goal"]),
            "attainment": value_of(record["attainment"]),
            "assessment": assessment(record["is_met"]),
            "previous_result": value_of(record["previous_result"]),
            "change_result": value_of(record["result_change"]),
        }
        for number, record in enumerate(records, start=1)
    ]
    floats = ["result", "goal", "attainment", "previous_result", "change_result"]
    return frame(rows, PLAN_TARGET_COLUMNS, ints=["units_met", "units_assessed"], floats=floats)


def shorten_text(text, limit: int = PLAN_TASK_TEXT_LIMIT) -> str:
    """`text` in NFC with runs of whitespace collapsed; when longer than `limit`, cut at the last word
    boundary before it (trailing punctuation dropped) and ended with '…'."""
    import unicodedata

    text = " ".join(unicodedata.normalize("NFC", str(text or "")).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-–") + "…"


def _integer_text(value) -> str:
    from report.formatting import integer

    return integer(value)


def plan_tasks(con, report_year: int, report_type: str) -> pd.DataFrame:
    """Biểu 7: the tasks of the plan year `report_year` with what their lead units report.

    One row per task in the plan's order (`row_kind` 'item', `stt` = `code` = the task code), under a
    'section' row per section (I, II, …: its title) and a 'group' row per group of a section (IV.1: the
    programme); with several provinces' plans, each plan under its own heading; a 'total' row ends the
    table. Counts, `is_done`, `is_overdue` and the totals are `marts.rpt_plan_tasks`'s; `overdue` prints
    'Có'/'Không', and on the total row the number of overdue tasks; `due` is the due date, or the
    timeline as written when the plan gives no date; `previous_done` / `change_done`: the units that
    reported the task of the same code in the previous year's plan done, and the change (NA when that
    plan has no such task; on the total row, the previous plan year's total). `frame.attrs` carries
    `as_of` (the date overdue is judged at) and `plan_year`. Empty (no rows) when no plan is imported for the year.
    `report_type` is accepted for symmetry with the other tables: the plan is judged for its year.
    Failure modes: `duckdb.Error` when the mart is missing (the warehouse was not built by `dbt build`).
    """
    del report_type
    tasks = con.execute(
        "select * from marts.rpt_plan_tasks where plan_year = ? order by task_order, province_code, task_code",
        [int(report_year)],
    ).df()
    result = frame([], PLAN_TASK_COLUMNS)
    result.attrs = {"as_of": None, "plan_year": int(report_year)}
    if tasks.empty:
        return result
    records = tasks.to_dict("records")
    several = len({str(record["province_code"]) for record in records}) > 1
    rows: list[dict] = []
    blank = dict.fromkeys(PLAN_TASK_COLUMNS)
    section = group = None
    for record in records:
        province = str(record["province_code"])
        if several and (not rows or rows[-1]["province_code"] != province):
            rows.append({**blank, "row_kind": "section", "province_code": province,
                         "label": f"Kế hoạch của tỉnh, thành phố mã {province}"})  # fmt: skip
            section = group = None
        code = str(record["task_code"])
        section_key = (province, value_of(record["section_code"]), value_of(record["section_title"]))
        if section_key != section:
            section, group = section_key, None
            title = section_key[2] or section_key[1]
            if title:
                rows.append({**blank, "row_kind": "section", "stt": section_key[1] or "", "province_code": province,
                             "label": shorten_text(title, 10_000)})  # fmt: skip
        group_title = value_of(record["group_title"])
        if group_title and group_title != group:
            parts = code.split(".")
            rows.append({**blank, "row_kind": "group", "stt": ".".join(parts[:-1]) if len(parts) > 2 else "",
                         "province_code": province, "label": shorten_text(group_title, 10_000)})  # fmt: skip
        group = group_title
        due_date = as_date(record["due_date"])
        agencies = record["lead_agencies"]  # a list (numpy array) of the agencies as written
        agencies = [] if agencies is None or is_na(agencies) else [str(agency) for agency in agencies]
        timeline = value_of(record["timeline_text"])
        is_overdue = bool(record["is_overdue"])
        rows.append(
            {
                "row_kind": "item",
                "stt": code,
                "code": code,
                "province_code": province,
                "label": shorten_text(record["task_text"]),
                "task_text": value_of(record["task_text"]),
                "lead_agencies": "; ".join(agencies),
                "due_date": due_date,
                "timeline_text": timeline,
                "due": due_date if due_date is not None else (timeline or None),
                "units_assigned": as_int(record["units_assigned"]),
                **{status: as_int(record[f"units_{status}"]) for status in PLAN_TASK_STATUSES},
                "is_done": bool(record["is_done"]),
                "is_overdue": is_overdue,
                "overdue": "Có" if is_overdue else "Không",
                "previous_done": as_int(record["previous_units_done"]),
                "change_done": as_int(record["units_done_change"]),
            }
        )
    last = records[-1]
    rows.append(
        {
            **blank,
            "row_kind": "total",
            "stt": "",
            "label": f"{TOTAL_LABEL} ({_integer_text(as_int(last['year_task_count']))} nhiệm vụ)",
            "units_assigned": as_int(last["year_units_assigned"]),
            **{status: as_int(last[f"year_units_{status}"]) for status in PLAN_TASK_STATUSES},
            "overdue": as_int(last["year_overdue_count"]),
            "previous_done": as_int(last["previous_year_units_done"]),
            "change_done": as_int(last["year_units_done_change"]),
        }
    )
    ints = ["units_assigned", *PLAN_TASK_STATUSES, "previous_done", "change_done"]
    result = frame(rows, PLAN_TASK_COLUMNS, ints=ints)
    result.attrs = {"as_of": as_date(last["as_of_date"]), "plan_year": int(report_year)}
    return result


def plan_task_summary(table: pd.DataFrame) -> dict:
    """What the prose says of Biểu 7: {'tasks', 'done', 'overdue', 'as_of', 'plan_year', 'overdue_rows'}
    (`overdue_rows`: the overdue tasks' records, in the plan's order), from the rows the mart flagged.
    `tasks` is 0 when no plan."""
    items = [
        {key: value_of(value) for key, value in record.items()}
        for record in table.to_dict("records")
        if record["row_kind"] == "item"
    ]
    overdue = [record for record in items if record["is_overdue"]]
    return {
        "tasks": len(items),
        "done": sum(1 for record in items if record["is_done"]),
        "overdue": len(overdue),
        "as_of": table.attrs.get("as_of"),
        "plan_year": table.attrs.get("plan_year"),
        "overdue_rows": overdue,
    }
