"""The ministry report workbook (báo cáo gửi Bộ Nội vụ), laid out like an official appendix.

The figures come from `report.figures.ministry_tables` (one DataFrame per printed table); this module
only renders them, so a test can compare the workbook with the marts cell by cell.

Layout of every table sheet: rows 1–3 are the title block (merged), row 4 carries the unit of measure,
rows 5–6 the two-level header (merged group headers), row 7 the column numbering (A, B, 1, 2, …) and the
data start on row 8 (`FIRST_DATA_ROW` + 1 in Excel numbering); headers are frozen and repeated on every
printed page. Biểu 4 and Biểu 5 carry a second table below the first, under its own title and header.
Biểu 7 (the plan's tasks) has section rows (I, II, …) and group rows (IV.1, …) between the tasks; when no plan
is imported for the year its body is one line saying so.

Numbers stay numeric cells. Excel and LibreOffice draw the thousands and decimal separators of
`#,##0` and `0.0%` from the reader's locale, so a Vietnamese desktop shows 1.234 and 58,2%: a number
format cannot force separators (the `[$-42A]` prefix changes month and currency names only, and literal
separators in a format break on large or negative numbers). Text everywhere else (titles, notes, the HTML
report and the narrative) is formatted with `report.formatting`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ingest.atomic import atomic_output
from report import formatting as vnformat
from report.figures import (  # noqa: F401  (re-exported: the report's public API lives here)
    REPORT_TYPES,
    STATUSES,
    TABLE_KEYS,
    TOTAL_LABEL,
    UNIT_GROUPS,
    ReportData,
    load_report_data,
    ministry_tables,
    period_label,
    value_of,
)

if TYPE_CHECKING:
    import pandas as pd

# Sheet of each table of `ministry_tables` (a second table shares its sheet with the first).
SHEETS = {
    "summary": "Tổng hợp",
    "activities": "Biểu 1",
    "gbv_cases": "Biểu 2",
    "leadership": "Biểu 3",
    "indicators": "Biểu 4",
    "news_by_quarter": "Biểu 4",
    "reporting_status": "Biểu 5",
    "units_to_chase": "Biểu 5",
    "plan_targets": "Biểu 6",
    "plan_tasks": "Biểu 7",
}
PROVENANCE_SHEET = "Nguồn số liệu"
HEADER_ROW = 4  # 0-based row of the first header row of the first table on every sheet
HEADER_ROWS = 2  # group headers, then column headers
FIRST_DATA_ROW = HEADER_ROW + HEADER_ROWS + 1  # after the column numbering row

Kind = Literal["text", "int", "pct", "dec", "date", "datetime", "int_change", "pct_change"]


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    kind: Kind
    width: float = 12
    group: str | None = None  # merged header above consecutive columns of the same group


def _c(key, header, kind, width=12, group=None) -> Col:
    return Col(key, header, kind, width, group)


STT = _c("stt", "STT", "text", 6)
SUMMARY_COLUMNS = (
    STT,
    _c("label", "Nội dung", "text", 62),
    _c("value", "Kỳ báo cáo", "int", 16),
    _c("previous", "Cùng kỳ năm trước", "int", 16),
    _c("change", "Tăng (+), giảm (-)", "int_change", 15),
    _c("target", "Mục tiêu", "pct", 10),
    _c("assessment", "Đánh giá", "text", 11),
)
ACTIVITY_COLUMNS = (
    STT,
    _c("label", "Nội dung", "text", 48),
    _c("activities", "Số hoạt động (cuộc, tin bài, sản phẩm)", "int", 14),
    _c("participants_total", "Tổng số", "int", 12, "Số lượt người tham gia"),
    _c("participants_female", "Nữ", "int", 11, "Số lượt người tham gia"),
    _c("participants_male", "Nam", "int", 11, "Số lượt người tham gia"),
    _c("participants_ethnic_minority", "Người dân tộc thiểu số", "int", 12, "Số lượt người tham gia"),
    _c("budget_vnd", "Kinh phí (đồng)", "int", 18),
)
GBV_COLUMNS = (
    STT,
    _c("label", "Loại vụ việc", "text", 36),
    _c("cases_detected", "Phát hiện", "int", 10, "Số vụ việc"),
    _c("cases_handled", "Đã xử lý", "int", 10, "Số vụ việc"),
    _c("victims_female", "Nữ", "int", 9, "Nạn nhân"),
    _c("victims_male", "Nam", "int", 9, "Nạn nhân"),
    _c("victims_children", "Trong đó trẻ em", "int", 10, "Nạn nhân"),
    _c("victims_supported", "Được hỗ trợ", "int", 10, "Nạn nhân"),
    _c("perpetrators_counselled", "Người gây bạo lực được tư vấn", "int", 13),
    _c("support_rate", "Kết quả", "pct", 10, "Tỷ lệ nạn nhân được hỗ trợ"),
    _c("support_target", "Chỉ tiêu", "pct", 10, "Tỷ lệ nạn nhân được hỗ trợ"),
    _c("counselling_rate", "Kết quả", "pct", 10, "Tỷ lệ người gây bạo lực được tư vấn"),
    _c("counselling_target", "Chỉ tiêu", "pct", 10, "Tỷ lệ người gây bạo lực được tư vấn"),
)
LEADERSHIP_COLUMNS = (
    STT,
    _c("label", "Nhóm đơn vị", "text", 40),
    _c("units_expected", "Phải báo cáo", "int", 10, "Số đơn vị"),
    _c("units_reporting", "Đã báo cáo", "int", 10, "Số đơn vị"),
    _c("units_with_female_key_leader", "Có nữ lãnh đạo chủ chốt", "int", 12, "Số đơn vị"),
    _c("share_of_reporting", "Kết quả", "pct", 10, "Tỷ lệ có nữ lãnh đạo chủ chốt"),
    _c("target_share", "Chỉ tiêu", "pct", 9, "Tỷ lệ có nữ lãnh đạo chủ chốt"),
    _c("assessment", "Đánh giá", "text", 10, "Tỷ lệ có nữ lãnh đạo chủ chốt"),
    _c("pool_female_share", "Kết quả", "pct", 10, "Tỷ lệ nữ trong quy hoạch"),
    _c("pool_female_target", "Chỉ tiêu", "pct", 9, "Tỷ lệ nữ trong quy hoạch"),
    _c("pool_female_trained_share", "Kết quả", "pct", 10, "Tỷ lệ nữ quy hoạch được đào tạo, bồi dưỡng"),
    _c("pool_female_trained_target", "Chỉ tiêu", "pct", 9, "Tỷ lệ nữ quy hoạch được đào tạo, bồi dưỡng"),
)
INDICATOR_COLUMNS = (
    STT,
    _c("label", "Chỉ tiêu", "text", 50),
    _c("measure_unit", "Đơn vị tính", "text", 10),
    _c("units_reporting", "Số đơn vị báo cáo", "int", 11),
    _c("value", "Kết quả", "int", 17),
    _c("share", "Tỷ lệ", "pct", 10),
    _c("target", "Chỉ tiêu", "pct", 10),
    _c("assessment", "Đánh giá", "text", 10),
)
NEWS_COLUMNS = (
    STT,
    _c("label", "Quý", "text", 50),
    _c("communes_reporting", "Số xã báo cáo", "int", 10),
    _c("news_items", "Tổng số tin, bài", "int", 11),
    _c("news_per_commune", "Bình quân tin, bài/xã", "dec", 17),
    _c("communes_met", "Số xã đạt chỉ tiêu", "int", 10),
    _c("share_met", "Tỷ lệ xã đạt", "pct", 10),
    _c("target_per_commune", "Chỉ tiêu (tin, bài/xã/quý)", "dec", 10),
)
STATUS_COLUMNS = (
    STT,
    _c("label", "Loại đơn vị", "text", 36),
    _c("units_expected", "Số đơn vị phải báo cáo", "int", 11),
    _c("on_time", "Đúng hạn", "int", 9, "Tình trạng nộp báo cáo"),
    _c("late", "Muộn", "int", 9, "Tình trạng nộp báo cáo"),
    _c("rejected", "Bị từ chối", "int", 9, "Tình trạng nộp báo cáo"),
    _c("missing", "Chưa nộp (quá hạn)", "int", 10, "Tình trạng nộp báo cáo"),
    _c("pending", "Chưa đến hạn", "int", 9, "Tình trạng nộp báo cáo"),
    _c("received", "Số đơn vị đã nộp", "int", 10),
    _c("reporting_rate", "Đã nộp", "pct", 10, "Tỷ lệ"),
    _c("on_time_rate", "Đúng hạn", "pct", 10, "Tỷ lệ"),
)
CHASE_COLUMNS = (
    STT,
    _c("label", "Tên đơn vị", "text", 36),
    _c("unit_code", "Mã đơn vị", "text", 11),
    _c("unit_kind", "Loại đơn vị", "text", 12),
    _c("status_label", "Tình trạng", "text", 14),
    _c("deadline_date", "Hạn nộp", "date", 11),
    _c("first_received_date", "Ngày nhận", "date", 11),
    _c("days_late", "Số ngày muộn", "int", 9),
    _c("rejected_file_count", "Số tệp bị từ chối", "int", 10),
)
PLAN_COLUMNS = (
    STT,
    _c("label", "Chỉ tiêu", "text", 48),
    _c("legal_source", "Căn cứ", "text", 26),
    _c("target_level", "Mức chỉ tiêu", "text", 14),
    _c("units_met", "Đạt", "int", 9, "Số đơn vị"),
    _c("units_assessed", "Được đánh giá", "int", 10, "Số đơn vị"),
    _c("result", "Kết quả", "pct", 10),
    _c("goal", "Mục tiêu", "pct", 10),
    _c("attainment", "Mức độ hoàn thành", "pct", 11),
    _c("assessment", "Đánh giá", "text", 10),
)
PLAN_TASK_STATUS_GROUP = "Tình trạng thực hiện (số đơn vị chủ trì)"
PLAN_TASK_COLUMNS = (
    _c("stt", "Mã nhiệm vụ", "text", 9),
    _c("label", "Nội dung nhiệm vụ", "text", 58),
    _c("lead_agencies", "Cơ quan chủ trì", "text", 26),
    _c("due", "Thời hạn", "text", 13),  # a date cell, or the timeline as written when the plan gives no date
    _c("units_assigned", "Số đơn vị chủ trì được giao", "int", 11),
    _c("done", "Hoàn thành", "int", 10, PLAN_TASK_STATUS_GROUP),
    _c("in_progress", "Đang thực hiện", "int", 10, PLAN_TASK_STATUS_GROUP),
    _c("not_started", "Chưa thực hiện", "int", 10, PLAN_TASK_STATUS_GROUP),
    _c("no_report", "Chưa báo cáo", "int", 10, PLAN_TASK_STATUS_GROUP),
    _c("overdue", "Quá hạn", "text", 9),
)
PROVENANCE_COLUMNS = (
    STT,
    _c("cell", "Ô số liệu", "text", 12),
    _c("sheet", "Biểu", "text", 9),
    _c("row_label", "Dòng", "text", 34),
    _c("column_label", "Cột", "text", 24),
    _c("contribution", "Giá trị đóng góp", "int", 14),
    _c("unit_code", "Mã đơn vị", "text", 11),
    _c("unit_name", "Tên đơn vị", "text", 30),
    _c("file_name", "Tệp báo cáo", "text", 44),
    _c("received_at", "Thời điểm nhận", "datetime", 16),
    _c("source", "Dòng trong tệp", "text", 18),
    _c("file_sha256", "Mã SHA-256 của tệp", "text", 24),
)
COLUMNS = {
    "summary": SUMMARY_COLUMNS,
    "activities": ACTIVITY_COLUMNS,
    "gbv_cases": GBV_COLUMNS,
    "leadership": LEADERSHIP_COLUMNS,
    "indicators": INDICATOR_COLUMNS,
    "news_by_quarter": NEWS_COLUMNS,
    "reporting_status": STATUS_COLUMNS,
    "units_to_chase": CHASE_COLUMNS,
    "plan_targets": PLAN_COLUMNS,
    "plan_tasks": PLAN_TASK_COLUMNS,
}
TITLES = {
    "summary": "BÁO CÁO TỔNG HỢP KẾT QUẢ THỰC HIỆN CÔNG TÁC BÌNH ĐẲNG GIỚI VÀ VÌ SỰ TIẾN BỘ CỦA PHỤ NỮ",
    "activities": "Biểu 1. KẾT QUẢ HOẠT ĐỘNG BÌNH ĐẲNG GIỚI THEO CHƯƠNG TRÌNH VÀ LOẠI HOẠT ĐỘNG",
    "gbv_cases": "Biểu 2. VỤ VIỆC BẠO LỰC TRÊN CƠ SỞ GIỚI VÀ VI PHẠM PHÁP LUẬT VỀ BÌNH ĐẲNG GIỚI",
    "leadership": "Biểu 3. PHỤ NỮ THAM GIA LÃNH ĐẠO, QUẢN LÝ",
    "indicators": "Biểu 4. CHỈ TIÊU THỂ CHẾ, TỔ CHỨC BỘ MÁY VÀ NGUỒN LỰC",
    "news_by_quarter": "Tin, bài về bình đẳng giới trên hệ thống thông tin cơ sở của cấp xã, theo quý",
    "reporting_status": "Biểu 5. TÌNH HÌNH THỰC HIỆN CHẾ ĐỘ BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ, ĐỊA PHƯƠNG",
    "units_to_chase": "Danh sách đơn vị chưa nộp, bị từ chối hoặc nộp muộn báo cáo",
    "plan_targets": "Biểu 6. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CỦA KẾ HOẠCH",
    "plan_tasks": "Biểu 7. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ THEO KẾ HOẠCH",
}
MEASURE_NOTES = {
    "summary": "",
    "activities": "Đơn vị tính: hoạt động, lượt người, đồng",
    "gbv_cases": "Đơn vị tính: vụ, người, %",
    "leadership": "Đơn vị tính: đơn vị, %",
    "indicators": "",
    "reporting_status": "Đơn vị tính: đơn vị, %",
    "plan_targets": "",
    "plan_tasks": "Đơn vị tính: đơn vị",
}
SECOND_TABLE = {"indicators": "news_by_quarter", "reporting_status": "units_to_chase"}
# Text columns printed centred.
CENTERED_TEXT = frozenset({"assessment", "measure_unit", "unit_code", "target_level", "due", "overdue"})


def no_plan_text(report_year: int) -> str:
    """The one line of Biểu 7 when the warehouse holds no plan for the year."""
    return (
        f"Chưa có kế hoạch năm {report_year} được nhập vào kho dữ liệu (lệnh bdg plan import), "
        "nên chưa tổng hợp được tình hình thực hiện nhiệm vụ."
    )


def _footnotes(key: str, data: ReportData) -> list[str]:
    tables = data.tables
    gbv = tables["gbv_cases"]
    total = gbv[gbv["row_kind"] == "total"].iloc[0]
    support, counselling = value_of(total["support_target"]), value_of(total["counselling_target"])
    previous = data.previous_period
    notes = {
        "summary": [
            "Ghi chú: Cột “Cùng kỳ năm trước” lấy số liệu "
            + (period_label(*previous).lower() if previous else "kỳ trước (chưa có số liệu)")
            + "; tăng, giảm của các tỷ lệ tính bằng điểm phần trăm."
        ],
        "activities": [
            "Ghi chú: Số hoạt động là tổng cột Số lượng (số cuộc, số tin bài, số sản phẩm…) của các đơn vị."
        ],
        "gbv_cases": [
            "Ghi chú: Tỷ lệ nạn nhân được hỗ trợ = Nạn nhân được hỗ trợ / (Nạn nhân nữ + Nạn nhân nam); "
            f"chỉ tiêu {vnformat.percent_target(support)}.",
            "Tỷ lệ người gây bạo lực được tư vấn = Người gây bạo lực được tư vấn / Số vụ phát hiện; "
            f"chỉ tiêu {vnformat.percent_target(counselling)}.",
        ],
        "leadership": [
            "Ghi chú: Tỷ lệ tính trên số đơn vị đã báo cáo; đơn vị có nữ lãnh đạo chủ chốt khi nhóm Lãnh đạo "
            "chủ chốt có ít nhất 01 nữ. Số liệu lấy báo cáo năm của đơn vị, chưa có thì lấy báo cáo 6 tháng."
        ],
        "indicators": [
            "Ghi chú: Tỷ lệ tính trên số đơn vị báo cáo chỉ tiêu; nơi tạm lánh tính ở cấp xã; tiêu chí 6.5 tính "
            "trên số xã áp dụng (trả lời Có hoặc Không)."
        ],
        "news_by_quarter": [
            "Ghi chú: Quý tính từ ngày đầu kỳ báo cáo (kỳ báo cáo năm từ 15/11 năm trước đến 14/11); "
            "tin, bài là loại hoạt động “Tin, bài, phóng sự” theo ngày thực hiện."
        ],
        "reporting_status": [
            "Ghi chú: Đơn vị phải báo cáo là đơn vị còn hoạt động vào ngày cuối kỳ; tỷ lệ tính trên số đơn vị "
            "phải báo cáo."
        ],
        "plan_targets": [
            "Ghi chú: Với chỉ tiêu tính theo từng đơn vị (số cuộc truyền thông, tin bài mỗi quý, nơi tạm lánh), "
            "kết quả là tỷ lệ đơn vị đạt và mục tiêu là 100% đơn vị. Mức độ hoàn thành = Kết quả / Mục tiêu.",
            "Chỉ tiêu tính theo năm được đánh giá đầy đủ ở kỳ báo cáo năm.",
        ],
        "plan_tasks": _plan_task_notes(data),
    }
    return notes.get(key, [])


def _plan_task_notes(data: ReportData) -> list[str]:
    frame = data.tables["plan_tasks"]
    if frame.empty:
        return []
    as_of = frame.attrs.get("as_of")
    when = f"ngày {vnformat.date(as_of)}" if as_of else "ngày lập báo cáo"
    return [
        "Ghi chú: Tình trạng thực hiện theo biểu Nhiệm vụ (NhiemVu) trong báo cáo của từng đơn vị chủ trì "
        f"(báo cáo năm {data.report_year}, chưa có thì lấy báo cáo 6 tháng); “Chưa báo cáo”: đơn vị không "
        "báo cáo nhiệm vụ này. Nội dung nhiệm vụ dài được rút gọn (toàn văn trong kế hoạch).",
        f"Nhiệm vụ quá hạn: thời hạn đã qua tại {when} mà chưa được tất cả đơn vị chủ trì báo cáo hoàn "
        "thành; nhiệm vụ không ghi ngày cụ thể (thường xuyên, sau khi có hướng dẫn…) không tính quá hạn. "
        "Dòng Tổng cộng: số lượt đơn vị chủ trì và số nhiệm vụ quá hạn.",
    ]


# --------------------------------------------------------------------------------------------------
# Writing


def workbook_path(out_dir: Path, report_year: int, report_type: str) -> Path:
    return Path(out_dir) / f"bao_cao_bdg_{report_year}_{report_type}.xlsx"


def write_ministry_report(warehouse: Path, report_year: int, report_type: str, out_dir: Path) -> Path:
    """Write the ministry report workbook `out_dir/bao_cao_bdg_{year}_{type}.xlsx` from the marts.

    Sheets: "Tổng hợp" (key figures vs the previous period and targets), "Biểu 1" activities by programme
    and type, "Biểu 2" GBV cases with support and counselling rates vs targets, "Biểu 3" women in
    leadership vs targets, "Biểu 4" institutional indicators and news items per quarter, "Biểu 5"
    reporting status by unit kind and the units to chase, "Biểu 6" plan targets with attainment, "Biểu 7"
    the plan's tasks with what their lead units report and which are overdue (one line when no plan is
    imported for the year), "Nguồn số liệu" the submissions behind each figure. The warehouse is opened
    read-only; the file is written to a temporary name and renamed, so a failed run leaves no half-written
    workbook.
    Returns the workbook's path. Failure modes: `ValueError` for an unknown report type, `duckdb.Error`
    when the warehouse or a mart is missing, `OSError` when `out_dir` cannot be written.
    """
    import duckdb

    if report_type not in REPORT_TYPES:
        raise ValueError(f"report_type must be one of {REPORT_TYPES}, got {report_type!r}")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        data = load_report_data(con, report_year, report_type)
    return render_workbook(data, workbook_path(out_dir, report_year, report_type))


def render_workbook(data: ReportData, path: Path) -> Path:
    """Render `data` into the workbook at `path` (atomically); returns `path`."""
    with atomic_output(Path(path)) as tmp:
        _render(tmp, data)
    return Path(path)


class _Formats:
    """The workbook's cell formats (Times New Roman throughout)."""

    NUMBER_FORMATS = {
        "int": "#,##0",
        "pct": "0.0%",
        "dec": "#,##0.0",
        "date": "dd/mm/yyyy",
        "datetime": "dd/mm/yyyy hh:mm",
        "int_change": "+#,##0;-#,##0;0",
        "pct_change": "+0.0%;-0.0%;0.0%",
    }

    def __init__(self, workbook) -> None:
        base = {"font_name": "Times New Roman", "font_size": 12}
        cell = {**base, "border": 1, "valign": "vcenter"}
        self.title = workbook.add_format({**base, "bold": True, "font_size": 13, "align": "center", "text_wrap": True})
        self.subtitle = workbook.add_format({**base, "bold": True, "align": "center"})
        self.note = workbook.add_format({**base, "italic": True, "align": "center", "text_wrap": True})
        self.measure = workbook.add_format({**base, "italic": True, "align": "right"})
        self.footnote = workbook.add_format({**base, "italic": True, "font_size": 11})
        self.section_title = workbook.add_format({**base, "bold": True})
        self.header = workbook.add_format(
            {**cell, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#DDEBF7"}
        )
        self.numbering = workbook.add_format({**cell, "italic": True, "align": "center", "font_size": 11})
        self.cells = {}
        for row_kind in ("item", "section", "group", "total", "rate"):
            bold = row_kind in ("section", "group", "total")
            style = {**cell, "bold": bold, "italic": row_kind in ("rate", "group")}
            formats = {
                "text": workbook.add_format({**style, "text_wrap": True}),
                "stt": workbook.add_format({**style, "align": "center"}),
                "center": workbook.add_format({**style, "align": "center", "text_wrap": True}),
            }
            for kind, num_format in self.NUMBER_FORMATS.items():
                extra = {"align": "center"} if kind in ("date", "datetime") else {}
                formats[kind] = workbook.add_format({**style, "num_format": num_format, **extra})
            self.cells[row_kind] = formats


def _render(path: Path, data: ReportData) -> None:
    import xlsxwriter

    period = data.period_label
    as_of = f"; số liệu tính đến ngày {vnformat.date(data.as_of)}" if data.as_of else ""
    note = f"(Kèm theo Báo cáo số       /BC-SNV ngày     /     /{data.report_year} của Sở Nội vụ{as_of})"
    # strings_to_formulas/urls/numbers off: text from the units is never turned into a formula, a link or
    # a number; every text cell is also written with write_string (see `_write_text`).
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    cell_map: dict[tuple[str, int, str], tuple[str, str]] = {}
    with xlsxwriter.Workbook(str(path), options) as workbook:
        workbook.set_properties(
            {
                "title": f"Báo cáo kết quả thực hiện công tác bình đẳng giới và vì sự tiến bộ của phụ nữ – {period}",
                "author": "Sở Nội vụ",
                "comments": "Tạo bởi bdg report từ kho dữ liệu báo cáo bình đẳng giới",
            }
        )
        formats = _Formats(workbook)
        for key in TABLE_KEYS:
            if key in SECOND_TABLE.values():
                continue
            name = SHEETS[key]
            sheet = workbook.add_worksheet(name)
            second = SECOND_TABLE.get(key)
            layout = _widest(COLUMNS[key], COLUMNS[second]) if second else COLUMNS[key]
            _setup_sheet(sheet, layout)
            _title_block(sheet, formats, len(layout), vnformat.nfc(TITLES[key]), period, note)
            if MEASURE_NOTES.get(key):
                sheet.merge_range(HEADER_ROW - 1, max(len(layout) - 4, 0), HEADER_ROW - 1, len(layout) - 1, "")
                sheet.write_string(HEADER_ROW - 1, max(len(layout) - 4, 0), MEASURE_NOTES[key], formats.measure)
            row = _table(sheet, formats, HEADER_ROW, COLUMNS[key], data.tables[key], name, key, cell_map)
            if key == "plan_tasks" and data.tables[key].empty:
                row += 1
                sheet.merge_range(row, 0, row, len(layout) - 1, "", formats.cells["item"]["text"])
                sheet.write_string(row, 0, no_plan_text(data.report_year), formats.cells["item"]["text"])
            row = _write_footnotes(sheet, formats, row, _footnotes(key, data))
            sheet.freeze_panes(FIRST_DATA_ROW, 2)
            if second:
                row += 2
                sheet.write_string(row, 0, vnformat.nfc(TITLES[second]), formats.section_title)
                frame = data.tables[second]
                row = _table(sheet, formats, row + 1, COLUMNS[second], frame, name, second, cell_map)
                if frame.empty:
                    row += 1
                    sheet.write_string(row, 0, "Không có đơn vị nào.", formats.footnote)
                _write_footnotes(sheet, formats, row, _footnotes(second, data))
        _provenance_sheet(workbook, formats, data, cell_map)


def _widest(first, second):
    """Column layout for a sheet holding two tables: per position, the wider of the two columns."""
    longer, shorter = (first, second) if len(first) >= len(second) else (second, first)
    return tuple(
        col if index >= len(shorter) or col.width >= shorter[index].width else shorter[index]
        for index, col in enumerate(longer)
    )


def _setup_sheet(sheet, columns) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # fit to width, as many pages down as needed
    sheet.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
    sheet.center_horizontally()
    sheet.repeat_rows(HEADER_ROW, FIRST_DATA_ROW - 1)
    sheet.set_footer('&C&"Times New Roman"&10Trang &P/&N')
    sheet.hide_gridlines(2)
    for index, col in enumerate(columns):
        sheet.set_column(index, index, col.width)


def _title_block(sheet, formats: _Formats, width: int, title: str, period: str, note: str) -> None:
    last = max(width - 1, 1)
    for row, text, fmt in ((0, title, formats.title), (1, period, formats.subtitle), (2, note, formats.note)):
        sheet.merge_range(row, 0, row, last, "", fmt)
        sheet.write_string(row, 0, vnformat.nfc(text), fmt)
    sheet.set_row(0, 36)
    sheet.set_row(2, 30)


def _write_footnotes(sheet, formats: _Formats, row: int, notes: list[str]) -> int:
    for text in notes:
        row += 1
        sheet.write_string(row, 0, vnformat.nfc(text), formats.footnote)
    return row


def _header(sheet, formats: _Formats, top: int, columns) -> None:
    """Two header rows: group headers merged across their columns; ungrouped headers merged down."""
    index = 0
    while index < len(columns):
        col = columns[index]
        if col.group is None:
            sheet.merge_range(top, index, top + 1, index, "", formats.header)
            sheet.write_string(top, index, col.header, formats.header)
            index += 1
            continue
        end = index
        while end + 1 < len(columns) and columns[end + 1].group == col.group:
            end += 1
        if end > index:
            sheet.merge_range(top, index, top, end, "", formats.header)
        sheet.write_string(top, index, col.group, formats.header)
        for sub in range(index, end + 1):
            sheet.write_string(top + 1, sub, columns[sub].header, formats.header)
        index = end + 1
    sheet.set_row(top, 32)
    sheet.set_row(top + 1, 48)
    # Column numbering, as in official appendices: letters for text columns, numbers for figures.
    letters, numbers = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), iter(range(1, 100))
    for index, col in enumerate(columns):
        label = next(letters) if col.kind == "text" else str(next(numbers))
        sheet.write_string(top + 2, index, label, formats.numbering)


def _table(sheet, formats, header_row, columns, frame, sheet_name, table_key, cell_map) -> int:
    """Write the header and the frame's rows below it; record each figure's cell; return the last row."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    _header(sheet, formats, header_row, columns)
    row = header_row + HEADER_ROWS
    for position, record in enumerate(frame.to_dict("records")):
        row += 1
        cell_formats = formats.cells[record.get("row_kind") or "item"]
        for index, col in enumerate(columns):
            kind = _kind(col, record)
            value = value_of(record.get(col.key))
            cell_map[(table_key, position, col.key)] = (sheet_name, xl_rowcol_to_cell(row, index))
            if col.key == "stt":
                _write_text(sheet, row, index, value, cell_formats["stt"])
            elif value is None:
                sheet.write_blank(row, index, None, cell_formats["text" if kind == "text" else kind])
            elif kind == "text":
                centered = col.key in CENTERED_TEXT
                _write_text(sheet, row, index, value, cell_formats["center" if centered else "text"])
            elif kind == "date":
                sheet.write_datetime(row, index, dt.datetime.combine(value, dt.time()), cell_formats["date"])
            elif kind == "datetime":
                sheet.write_datetime(row, index, value, cell_formats["datetime"])
            else:
                sheet.write_number(row, index, float(value), cell_formats[kind])
    return row


def _kind(col: Col, record: dict) -> Kind:
    """The summary's value columns take their format (count or rate) from the row; so do Biểu 7's due
    column (a date, or the timeline as written) and its overdue column (a count on the total row)."""
    if col.key == "due":
        return "date" if isinstance(value_of(record.get("due")), dt.date) else "text"
    if col.key == "overdue" and record.get("row_kind") == "total":
        return "int"
    fmt = value_of(record.get("format"))
    if col.key in ("value", "previous") and fmt in ("int", "pct"):
        return fmt
    if col.key == "change" and fmt in ("int", "pct"):
        return "int_change" if fmt == "int" else "pct_change"
    return col.kind


def _write_text(sheet, row: int, col: int, value, fmt) -> None:
    # write_string, never write(): a unit name like "=HYPERLINK(...)" must stay text.
    if value is None or value == "":
        sheet.write_blank(row, col, None, fmt)
    else:
        sheet.write_string(row, col, vnformat.nfc(value), fmt)


# --------------------------------------------------------------------------------------------------
# Provenance sheet


def provenance_rows(data: ReportData, cell_map: dict) -> list[dict]:
    """The provenance sheet's rows: each figure's cell with the submissions it came from, in cell order."""
    from xlsxwriter.utility import xl_cell_to_rowcol

    headers = {key: {col.key: _column_title(col) for col in cols} for key, cols in COLUMNS.items()}
    positions = {key: _row_positions(frame) for key, frame in data.tables.items()}
    labels = {key: list(frame["label"]) for key, frame in data.tables.items()}
    rows = []
    for record in data.sources.to_dict("records"):
        key = record["table_key"]
        selector = "total" if record["is_total"] else (value_of(record["dimension"]), value_of(record["code"]))
        position = positions[key].get(selector)
        if position is None or (key, position, record["measure"]) not in cell_map:
            continue
        sheet, cell = cell_map[(key, position, record["measure"])]
        label = value_of(labels[key][position])
        received = value_of(record["received_at"])
        rows.append(
            {
                "sort": (list(SHEETS.values()).index(sheet), *xl_cell_to_rowcol(cell), str(record["unit_code"])),
                "cell": f"{sheet}!{cell}",
                "sheet": sheet,
                "row_label": label,
                "column_label": headers[key][record["measure"]],
                "contribution": value_of(record["contribution"]),
                "unit_code": value_of(record["unit_code"]),
                "unit_name": value_of(record["unit_name"]),
                "file_name": value_of(record["file_name"]),
                "received_at": _local_naive(received),
                "source": f"{record['source_sheet']}: {record['source_rows']}",
                "file_sha256": value_of(record["file_sha256"]),
            }
        )
    rows.sort(key=lambda row: row.pop("sort"))
    for number, row in enumerate(rows, start=1):
        row["stt"] = str(number)
        row["row_kind"] = "item"
    return rows


def _column_title(col: Col) -> str:
    return f"{col.group}: {col.header}" if col.group else col.header


def _row_positions(frame: pd.DataFrame) -> dict:
    """(dimension, code) → row position, and 'total' → the total row's position."""
    positions = {}
    has_dimension = "dimension" in frame.columns
    for position, record in enumerate(frame.to_dict("records")):
        if record.get("row_kind") == "total":
            positions["total"] = position
        elif record.get("row_kind") == "item" and "code" in record:
            dimension = value_of(record["dimension"]) if has_dimension else None
            positions[(dimension, value_of(record["code"]))] = position
            positions.setdefault((None, value_of(record["code"])), position)
            if not has_dimension or dimension is None:
                positions[("unit_group", value_of(record["code"]))] = position
    return positions


def _local_naive(value) -> dt.datetime | None:
    """A timestamptz as the local wall time in Asia/Ho_Chi_Minh, naive (Excel has no time zones)."""
    import pandas as pd

    if value is None:
        return None
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    return stamp.tz_convert("Asia/Ho_Chi_Minh").tz_localize(None).to_pydatetime()


def _provenance_sheet(workbook, formats: _Formats, data: ReportData, cell_map: dict) -> None:
    import pandas as pd

    sheet = workbook.add_worksheet(PROVENANCE_SHEET)
    _setup_sheet(sheet, PROVENANCE_COLUMNS)
    _title_block(
        sheet,
        formats,
        len(PROVENANCE_COLUMNS),
        "NGUỒN SỐ LIỆU: BÁO CÁO CỦA CÁC ĐƠN VỊ TẠO NÊN TỪNG SỐ LIỆU",
        data.period_label,
        "(Mỗi dòng: một ô số liệu của Biểu 1–4 và phần đóng góp của một báo cáo (tệp) đơn vị gửi; "
        "tổng phần đóng góp bằng số liệu trong ô)",
    )
    frame = pd.DataFrame(provenance_rows(data, cell_map), columns=["row_kind", *[c.key for c in PROVENANCE_COLUMNS]])
    row = _table(sheet, formats, HEADER_ROW, PROVENANCE_COLUMNS, frame, PROVENANCE_SHEET, "provenance", {})
    _write_footnotes(
        sheet,
        formats,
        row,
        ["Ghi chú: Tỷ lệ được tính từ các số liệu trên cùng dòng; Biểu 5 liệt kê trực tiếp các đơn vị."],
    )
    sheet.freeze_panes(FIRST_DATA_ROW, 2)
