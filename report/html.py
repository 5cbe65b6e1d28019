"""The readable HTML report: key figures, charts and the main tables, in one self-contained file.

Everything is inside the file (charts are SVG in `data:` URIs, the style sheet is inline, no fonts or
scripts are fetched), so the report opens offline and can be mailed as one attachment. Figures are the
frames of `report.figures` formatted with `report.formatting`; each figure cell carries
`data-figure="<table>/<row position>/<column>"` so a test can compare the rendered page with the marts.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.atomic import atomic_output
from report import charts as report_charts
from report import formatting as vnformat
from report import objectives as strategy
from report.figures import (
    TABLE_KEYS,
    ReportData,
    period_label,
    plan_task_summary,
    shorten_text,
    value_of,
)
from report.layout import COLUMNS, PREVIOUS_YEAR_KEYS, SHEETS, TITLES, Col, footnotes, header_rows, kind_of
from report.workbook import workbook_path

if TYPE_CHECKING:
    import pandas as pd

TITLE = "Báo cáo kết quả thực hiện công tác bình đẳng giới và vì sự tiến bộ của phụ nữ"
# Tables shown in the HTML report, in order: the workbook's, Biểu 6 (the targets) right after the summary,
# Biểu 7 (the plan's tasks) last; the overdue-tasks section after it sums up what is late.
HTML_TABLES = (
    "summary",
    "plan_targets",
    *(key for key in TABLE_KEYS if key not in ("summary", "plan_targets")),
)
TEMPLATE_DIR = Path(__file__).parent / "templates"
MAX_OVERDUE_TASKS_LISTED = 10  # the rest are counted and referred to the workbook's Biểu 7
OVERDUE_TASK_TEXT_LIMIT = 140
# Columns left blank (not "–") when a row has no value: targets, comparisons, assessments.
OPTIONAL_COLUMNS = frozenset(
    {"previous", "change", "target", "goal", "assessment", "support_target", "counselling_target", "target_share",
     "pool_female_target", "pool_female_trained_target", "target_per_commune", "units_met", "units_assessed",
     "first_received_date", "days_late", "attainment",
     # Biểu 2's rates stand on the violence row only; Biểu 3's 2030 target on the unit groups only
     "support_rate", "support_final_target", "support_assessment", "counselling_rate", "counselling_coverage",
     "counselling_final_target", "counselling_assessment", "perpetrators_detected", "final_target_share",
     "final_target", "target_year"}
) | PREVIOUS_YEAR_KEYS  # fmt: skip


def html_path(out_dir: Path, report_year: int, report_type: str) -> Path:
    return Path(out_dir) / f"bao_cao_bdg_{report_year}_{report_type}.html"


def render_html(data: ReportData, path: Path) -> Path:
    """Render `data` as the HTML report at `path` (written atomically); returns `path`."""
    text = html_text(data, workbook_name=workbook_path(Path(path).parent, data.report_year, data.report_type).name)
    with atomic_output(Path(path)) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def html_text(data: ReportData, workbook_name: str = "") -> str:
    """The report as one HTML document (NFC text; control characters and bidi overrides removed by
    `vnformat.nfc`, the page carries no date but the marts' as-of date)."""
    from jinja2 import Environment, FileSystemLoader

    # autoescape always on: a unit or file name holding markup prints as text, never as a tag.
    env = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=True, keep_trailing_newline=True)
    tables = data.tables
    context = {
        "title": TITLE,
        "agency_parent": data.authority,
        "agency": "SỞ NỘI VỤ",
        "period": data.period_label,
        "as_of_text": f"Số liệu tính đến ngày {vnformat.date(data.as_of)}" if data.as_of else "",
        "kpis": _kpis(tables),
        "charts": _charts(data),
        "objectives": strategy_section(data),
        "tables": [_table(data, key) for key in HTML_TABLES],
        "overdue_tasks": overdue_tasks(data),
        "workbook_name": workbook_name,
    }
    return vnformat.nfc(env.get_template("report.html.j2").render(**context))


# --------------------------------------------------------------------------------------------------


def strategy_section(data: ReportData) -> dict:
    """The section on the National Strategy's objectives: one block per objective (Mục tiêu 1–6, then
    state management), each indicator with its value (or «chưa có số liệu»), the year's path, the final
    target, attainment and legal source (`report.objectives`)."""
    frame = data.strategy_objectives
    names = {province.code: province.name for province in data.provinces}
    blocks = strategy.objective_blocks(frame, names) if frame is not None else []
    for block in blocks:
        block["heading"] = strategy.heading(block)
    indicators = [indicator for block in blocks for indicator in block["indicators"]]
    counts = {code: sum(i["attainment_code"] == code for i in indicators) for code in ("DAT", "CHUA_DAT")}
    missing = len(indicators) - sum(counts.values())
    return {
        "id": strategy.SECTION_ID,
        "title": strategy.SECTION_TITLE,
        "year": data.report_year,
        "several": any(indicator["province"] for indicator in indicators),
        "intro": (
            f"Năm {data.report_year}: {vnformat.integer(counts['DAT'])} chỉ tiêu đạt lộ trình, "
            f"{vnformat.integer(counts['CHUA_DAT'])} chỉ tiêu chưa đạt, {vnformat.integer(missing)} chỉ tiêu "
            f"{strategy.NO_DATA}. Lộ trình của năm là mức cần đạt trong năm: với các chỉ tiêu của Nghị quyết số "
            "28/NQ-CP, là mức trên đường thẳng nối các mốc (năm đầu có số liệu, mốc năm 2025, mục tiêu năm 2030); "
            "với các chỉ tiêu khác, là chỉ tiêu áp dụng cho năm (100% đơn vị với chỉ tiêu tính cho từng đơn vị); "
            "chỉ tiêu có dấu ≤ là mức không được vượt quá."
        ),
        "blocks": blocks,
    }


def overdue_tasks(data: ReportData) -> dict | None:
    """The short list of overdue plan tasks (from Biểu 7), or None when no plan is imported for the year.

    {"title", "intro", "tasks": [{"code", "text", "detail"}], "more"}: at most `MAX_OVERDUE_TASKS_LISTED`
    tasks in the plan's order; `more` says how many are left to the workbook.
    """
    summary = plan_task_summary(data.tables["plan_tasks"])
    if not summary["tasks"]:
        return None
    sheet = SHEETS["plan_tasks"]
    when = f"Tính đến ngày {vnformat.date(summary['as_of'])}" if summary["as_of"] else "Đến nay"
    if summary["overdue"]:
        intro = (
            f"{when}, {vnformat.integer(summary['overdue'])}/{vnformat.integer(summary['tasks'])} nhiệm vụ của Kế "
            f"hoạch năm {summary['plan_year']} đã quá thời hạn mà chưa được tất cả đơn vị chủ trì báo cáo hoàn "
            f"thành (chi tiết tại {sheet} của bảng tính kèm theo):"
        )
    else:
        intro = (
            f"{when}, không có nhiệm vụ nào của Kế hoạch năm {summary['plan_year']} quá thời hạn "
            f"({vnformat.integer(summary['tasks'])} nhiệm vụ, chi tiết tại {sheet} của bảng tính kèm theo)."
        )
    items = []
    for record in summary["overdue_rows"][:MAX_OVERDUE_TASKS_LISTED]:
        lead = f"chủ trì: {record['lead_agencies']}; " if record["lead_agencies"] else ""
        items.append(
            {
                "code": record["code"],
                "text": shorten_text(record["task_text"], OVERDUE_TASK_TEXT_LIMIT),
                "detail": f"{lead}thời hạn {vnformat.date(record['due_date'])}; "
                f"{vnformat.integer(record['done'])}/{vnformat.integer(record['units_assigned'])} đơn vị báo cáo "
                "hoàn thành",
            }
        )
    more = summary["overdue"] - len(items)
    return {
        "title": f"Nhiệm vụ quá hạn theo Kế hoạch năm {summary['plan_year']}",
        "intro": intro,
        "tasks": items,
        "more": f"… và {vnformat.integer(more)} nhiệm vụ khác (xem {sheet})." if more > 0 else "",
    }


def format_figure(kind: str, value) -> str:
    """A figure as the HTML report and the narrative print it."""
    value = value_of(value)
    if value is None:
        return "" if kind == "text" else vnformat.NA_TEXT
    if kind == "int":
        return vnformat.integer(value)
    if kind == "pct":
        return vnformat.percent(value)
    if kind == "dec":
        return vnformat.number(value, 1)
    if kind in ("date", "datetime"):
        return vnformat.date(value)
    if kind == "int_change":
        text = vnformat.integer(value)
        return f"+{text}" if value > 0 else text
    if kind == "pct_change":
        return vnformat.percentage_points(value)
    return vnformat.nfc(value)


def _summary_value(tables, code: str):
    summary = tables["summary"]
    match = summary[summary["code"] == code]
    return value_of(match.iloc[0]["value"]) if len(match) else None, (
        value_of(match.iloc[0]["target"]) if len(match) else None
    )


def _kpis(tables) -> list[dict]:
    status_total = tables["reporting_status"][tables["reporting_status"]["row_kind"] == "total"].iloc[0]
    activities = tables["activities"][tables["activities"]["row_kind"] == "total"].iloc[0]
    gbv = tables["gbv_cases"][tables["gbv_cases"]["row_kind"] == "total"].iloc[0]
    female_share = _ratio(activities["participants_female"], activities["participants_total"])

    def state(value, target):
        if value is None or target is None:
            return ""
        return "met" if value >= target - 1e-9 else "unmet"

    kpis = [
        {
            "key": "reporting_rate",
            "label": "Tỷ lệ đơn vị đã nộp báo cáo",
            "value": vnformat.percent(status_total["reporting_rate"]),
            "note": f"{vnformat.integer(status_total['received'])}/{vnformat.integer(status_total['units_expected'])}"
            f" đơn vị; đúng hạn {vnformat.percent(status_total['on_time_rate'])}",
            "state": "",
        },
        {
            "key": "units_missing",
            "label": "Đơn vị chưa nộp, bị từ chối, nộp muộn",
            "value": vnformat.integer(
                int(status_total["missing"]) + int(status_total["rejected"]) + int(status_total["late"])
            ),
            "note": f"chưa nộp {vnformat.integer(status_total['missing'])}, bị từ chối "
            f"{vnformat.integer(status_total['rejected'])}, muộn {vnformat.integer(status_total['late'])}",
            "state": "",
        },
        {
            "key": "activities",
            "label": "Số hoạt động bình đẳng giới",
            "value": vnformat.integer(activities["activities"]),
            "note": f"{vnformat.integer(activities['participants_total'])} lượt người, nữ "
            f"{vnformat.percent(female_share)}",
            "state": "",
        },
        {
            "key": "cases_detected",
            "label": "Vụ việc bạo lực trên cơ sở giới phát hiện",
            "value": vnformat.integer(gbv["cases_detected"]),
            "note": f"đã xử lý {vnformat.integer(gbv['cases_handled'])}",
            "state": "",
        },
    ]
    # the rates stand on the acts of violence (Biểu 2's row 'violence')
    violence = tables["gbv_cases"][tables["gbv_cases"]["code"] == "violence"]
    rates = violence.iloc[0] if len(violence) else gbv
    support, support_target = value_of(rates["support_rate"]), value_of(rates["support_target"])
    counselling, counselling_target = value_of(rates["counselling_rate"]), value_of(rates["counselling_target"])
    kpis += [
        {
            "key": "support_rate",
            "label": "Tỷ lệ nạn nhân được hỗ trợ",
            "value": vnformat.percent(support),
            "note": f"lộ trình năm báo cáo {vnformat.percent_target(support_target)}, đến năm 2030 "
            f"{vnformat.percent_target(value_of(rates['support_final_target']))}",
            "state": state(support, support_target),
        },
        {
            "key": "counselling_rate",
            "label": "Tỷ lệ người gây bạo lực được tư vấn",
            "value": vnformat.percent(counselling),
            "note": f"lộ trình năm báo cáo {vnformat.percent_target(counselling_target)}, đến năm 2030 "
            f"{vnformat.percent_target(value_of(rates['counselling_final_target']))}",
            "state": state(counselling, counselling_target),
        },
    ]
    for record in tables["leadership"][tables["leadership"]["row_kind"] == "item"].to_dict("records"):
        share, target = value_of(record["share_of_reporting"]), value_of(record["target_share"])
        group = "cơ quan nhà nước cấp tỉnh" if record["code"] == "state_agency" else "chính quyền cấp xã"
        kpis.append(
            {
                "key": f"female_key_leader_{record['code']}",
                "label": f"Có nữ lãnh đạo chủ chốt: {group}",
                "value": vnformat.percent(share),
                "note": f"{vnformat.integer(record['units_with_female_key_leader'])}/"
                f"{vnformat.integer(record['units_reporting'])} đơn vị; chỉ tiêu {vnformat.percent_target(target)}",
                "state": state(share, target),
            }
        )
    return kpis


def _ratio(numerator, denominator):
    numerator, denominator = value_of(numerator), value_of(denominator)
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def _charts(data: ReportData) -> list[dict]:
    """The four charts, in page order: two side by side, then the two wide ones."""
    tables = data.tables
    charts = [
        ("leadership", "Phụ nữ tham gia lãnh đạo, quản lý so với chỉ tiêu", "",
         report_charts.leadership_chart(tables["leadership"], tables["plan_targets"])),
        ("cases", "Vụ việc bạo lực trên cơ sở giới theo loại", "",
         report_charts.cases_chart(tables["gbv_cases"])),
        ("activities", "Hoạt động bình đẳng giới theo chương trình và tháng thực hiện", "wide",
         report_charts.activities_chart(data.activities_by_month)),
        ("reporting", "Tình hình nộp báo cáo theo loại đơn vị", "wide",
         report_charts.reporting_chart(tables["reporting_status"])),
    ]  # fmt: skip
    return [
        {"key": key, "caption": caption, "css": css, "data": base64.b64encode(svg.encode("utf-8")).decode("ascii")}
        for key, caption, css, svg in charts
    ]


def _table(data: ReportData, key: str) -> dict:
    columns: tuple[Col, ...] = COLUMNS[key]
    frame: pd.DataFrame = data.tables[key]
    head_top, head_bottom = header_rows(columns)
    rows = []
    for position, record in enumerate(frame.to_dict("records")):
        cells = []
        for col in columns:
            kind = kind_of(col, record)
            value = value_of(record.get(col.key))
            css = "num" if kind not in ("text",) else ("center" if col.key in ("stt", "assessment") else "")
            if col.key == "assessment" and value:
                css += " met" if value == "Đạt" else " unmet"
            figure = f"{key}/{position}/{col.key}" if col.key not in ("stt", "label") else ""
            if value is None and (record.get("row_kind") == "section" or col.key in OPTIONAL_COLUMNS):
                text = ""  # nothing to report here, as opposed to a rate that cannot be computed ("–")
            else:
                text = format_figure(kind, value)
            cells.append({"text": text, "css": css.strip(), "figure": figure})
        rows.append({"kind": value_of(record.get("row_kind")) or "item", "cells": cells})
    title = TITLES[key]
    if key == "summary":
        title = "Tổng hợp kết quả so với cùng kỳ năm trước và mục tiêu"
        if data.previous_period:
            title += f" ({period_label(*data.previous_period).lower()})"
    return {
        "key": key,
        "title": title[0] + title[1:].lower() if title.isupper() else _sentence_case(title),
        "head_top": head_top,
        "head_bottom": head_bottom,
        "rows": rows,
        "width": len(columns),
        "notes": footnotes(key, data),
    }


def _sentence_case(title: str) -> str:
    """'Biểu 1. KẾT QUẢ …' → 'Biểu 1. Kết quả …' (headings in the HTML are not shouted)."""
    prefix, dot, rest = title.partition(". ")
    if dot and rest.isupper():
        return f"{prefix}. {rest[0]}{rest[1:].lower()}"
    return title
