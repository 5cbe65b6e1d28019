"""What each sheet of the ministry workbook prints: its columns (key, header, kind, width, group), titles,
notes under the tables and the footnotes that depend on the figures. The workbook (`report.workbook`) and
the HTML report (`report.html`) lay their tables out from these same definitions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from report import formatting as vnformat
from report.figures import ReportData, period_label, previous_period, value_of

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
    _c("target", "Mục tiêu năm báo cáo", "pct", 10),
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
# "Lộ trình năm báo cáo": the value the report year is judged against (the straight-line trajectory
# towards the 2030 target of NQ 28/NQ-CP, else the year's target); "Chỉ tiêu đến năm 2030": the final one.
YEAR_TARGET_HEADER = "Lộ trình năm báo cáo"
FINAL_TARGET_HEADER = "Chỉ tiêu đến năm 2030"
SUPPORT_GROUP = "Tỷ lệ nạn nhân bạo lực được hỗ trợ"
COUNSELLING_GROUP = "Tỷ lệ người gây bạo lực được tư vấn"
GBV_COLUMNS = (
    STT,
    _c("label", "Loại vụ việc", "text", 36),
    _c("cases_detected", "Phát hiện", "int", 10, "Số vụ việc"),
    _c("cases_handled", "Đã xử lý", "int", 10, "Số vụ việc"),
    _c("victims_female", "Nữ", "int", 9, "Nạn nhân"),
    _c("victims_male", "Nam", "int", 9, "Nạn nhân"),
    _c("victims_children", "Trong đó trẻ em", "int", 10, "Nạn nhân"),
    _c("victims_supported", "Được hỗ trợ", "int", 10, "Nạn nhân"),
    _c("perpetrators_detected", "Được phát hiện", "int", 11, "Người gây bạo lực"),
    _c("perpetrators_counselled", "Được tư vấn", "int", 11, "Người gây bạo lực"),
    _c("support_rate", "Kết quả", "pct", 10, SUPPORT_GROUP),
    _c("support_target", YEAR_TARGET_HEADER, "pct", 10, SUPPORT_GROUP),
    _c("support_final_target", FINAL_TARGET_HEADER, "pct", 10, SUPPORT_GROUP),
    _c("support_assessment", "Đánh giá", "text", 10, SUPPORT_GROUP),
    _c("counselling_rate", "Kết quả", "pct", 10, COUNSELLING_GROUP),
    _c("counselling_coverage", "Tỷ lệ số vụ có số người gây bạo lực được phát hiện", "pct", 13, COUNSELLING_GROUP),
    _c("counselling_target", YEAR_TARGET_HEADER, "pct", 10, COUNSELLING_GROUP),
    _c("counselling_final_target", FINAL_TARGET_HEADER, "pct", 10, COUNSELLING_GROUP),
    _c("counselling_assessment", "Đánh giá", "text", 10, COUNSELLING_GROUP),
)
KEY_LEADER_GROUP = "Tỷ lệ đơn vị có nữ lãnh đạo chủ chốt"
LEADERSHIP_COLUMNS = (
    STT,
    _c("label", "Nhóm đơn vị", "text", 40),
    _c("units_expected", "Phải báo cáo", "int", 10, "Số đơn vị"),
    _c("units_reporting", "Đã báo cáo", "int", 10, "Số đơn vị"),
    _c("units_with_female_key_leader", "Có nữ lãnh đạo chủ chốt", "int", 12, "Số đơn vị"),
    _c("share_of_reporting", "Kết quả", "pct", 10, KEY_LEADER_GROUP),
    _c("target_share", YEAR_TARGET_HEADER, "pct", 10, KEY_LEADER_GROUP),
    _c("final_target_share", FINAL_TARGET_HEADER, "pct", 10, KEY_LEADER_GROUP),
    _c("assessment", "Đánh giá", "text", 10, KEY_LEADER_GROUP),
    _c("key_leaders_total", "Tổng số", "int", 9, "Lãnh đạo chủ chốt"),
    _c("key_leaders_female", "Nữ", "int", 8, "Lãnh đạo chủ chốt"),
    _c("key_leaders_female_share", "Tỷ lệ nữ", "pct", 9, "Lãnh đạo chủ chốt"),
    _c("department_leaders_total", "Tổng số", "int", 9, "Lãnh đạo cấp phòng và tương đương"),
    _c("department_leaders_female", "Nữ", "int", 8, "Lãnh đạo cấp phòng và tương đương"),
    _c("department_leaders_female_share", "Tỷ lệ nữ", "pct", 9, "Lãnh đạo cấp phòng và tương đương"),
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
    _c("target", YEAR_TARGET_HEADER, "pct", 10, "Chỉ tiêu"),
    _c("final_target", "Mức cuối cùng", "pct", 10, "Chỉ tiêu"),
    _c("target_year", "Năm phải đạt", "text", 8, "Chỉ tiêu"),
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
# The columns each table prints before its comparison with the previous year.
BASE_COLUMNS = {
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
PREVIOUS_HEADER = "Cùng kỳ năm trước"
CHANGE_HEADER = "Tăng (+), giảm (-)"
# The main figures of each Biểu compared with the same period of the previous year: figure key → the
# header merged over its two columns, printed after the table's own columns. The frames carry
# previous_<key> and change_<key> as dbt computed them (rpt_ministry_annual, rpt_plan_targets,
# rpt_plan_tasks).
COMPARED_FIGURES = {
    "activities": {"activities": "Số hoạt động", "participants_total": "Tổng số lượt người tham gia"},
    "gbv_cases": {"cases_detected": "Số vụ việc phát hiện", "victims_female": "Nạn nhân nữ"},
    "leadership": {"share_of_reporting": "Tỷ lệ có nữ lãnh đạo chủ chốt"},
    "indicators": {"value": "Kết quả", "share": "Tỷ lệ"},
    "reporting_status": {"received": "Số đơn vị đã nộp", "reporting_rate": "Tỷ lệ đã nộp"},
    "plan_targets": {"result": "Kết quả"},
    "plan_tasks": {"done": "Số đơn vị chủ trì báo cáo hoàn thành"},
}


def with_previous_year(columns: tuple[Col, ...], compared: dict[str, str]) -> tuple[Col, ...]:
    """`columns`, then for each compared figure key its value in the same period of the previous year and
    the change (keys `previous_<key>`, `change_<key>`), under one merged header; a rate's change is
    printed in percentage points. A key `columns` does not have is skipped."""
    kinds = {col.key: col.kind for col in columns}
    added: list[Col] = []
    for key, label in compared.items():
        if key not in kinds:
            continue
        kind = "pct" if kinds[key] == "pct" else "int"
        added += [
            _c(f"previous_{key}", PREVIOUS_HEADER, kind, 11, label),
            _c(f"change_{key}", CHANGE_HEADER, f"{kind}_change", 11, label),
        ]
    return (*columns, *added)


COLUMNS = {key: with_previous_year(columns, COMPARED_FIGURES.get(key, {})) for key, columns in BASE_COLUMNS.items()}
# The comparison columns: blank, not "–", when not compared.
PREVIOUS_YEAR_KEYS = frozenset(col.key for key, columns in COLUMNS.items() for col in columns[len(BASE_COLUMNS[key]) :])
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
CENTERED_TEXT = frozenset(
    {"assessment", "measure_unit", "unit_code", "target_level", "due", "overdue", "target_year", "support_assessment",
     "counselling_assessment"}
)  # fmt: skip


def no_plan_text(report_year: int) -> str:
    """The one line of Biểu 7 when the warehouse holds no plan for the year."""
    return (
        f"Chưa có kế hoạch năm {report_year} được nhập vào kho dữ liệu (lệnh bdg plan import), "
        "nên chưa tổng hợp được tình hình thực hiện nhiệm vụ."
    )


def footnotes(key: str, data: ReportData) -> list[str]:
    tables = data.tables
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
        "gbv_cases": _gbv_notes(tables["gbv_cases"], data.report_year),
        "leadership": [
            "Ghi chú: Tỷ lệ đơn vị tính trên số đơn vị đã báo cáo; đơn vị có nữ lãnh đạo chủ chốt khi nhóm Lãnh "
            "đạo chủ chốt có ít nhất 01 nữ. Tỷ lệ nữ trong lãnh đạo chủ chốt (cấp phòng) = số nữ / tổng số lãnh "
            "đạo chủ chốt (cấp phòng và tương đương) của các đơn vị đã báo cáo. Số liệu lấy báo cáo năm của đơn "
            "vị, chưa có thì lấy báo cáo 6 tháng.",
            _trajectory_note(data.report_year),
        ],
        "indicators": [
            "Ghi chú: Tỷ lệ tính trên số đơn vị báo cáo chỉ tiêu; nơi tạm lánh tính ở cấp xã; tiêu chí 6.5 tính "
            "trên số xã áp dụng (trả lời Có hoặc Không).",
            _trajectory_note(data.report_year, "chỉ tiêu ở năm phải đạt"),
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
    return notes.get(key, []) + _previous_year_notes(key, data)


def _trajectory_note(report_year: int, final: str = "chỉ tiêu năm 2030 của Nghị quyết số 28/NQ-CP") -> str:
    return (
        f"{YEAR_TARGET_HEADER} (năm {report_year}): giá trị năm {report_year} trên lộ trình của chỉ tiêu, đi thẳng "
        f"giữa các mốc (mốc năm 2025, nếu có, đến {final}; trước mốc, hoặc khi không có mốc, từ năm đầu tiên có "
        "số liệu); năm đầu tiên có số liệu chưa có mốc, hoặc khi chưa có lộ trình, là chỉ tiêu áp dụng cho năm. "
        "Đánh giá so với lộ trình năm báo cáo."
    )


def _gbv_notes(gbv, report_year: int) -> list[str]:
    """Biểu 2's notes: what the rates count, and the share of the cases the counselling rate covers."""
    violence = gbv[gbv["code"] == "violence"]
    record = violence.iloc[0].to_dict() if len(violence) else {}
    coverage = value_of(record.get("counselling_coverage"))
    if value_of(record.get("counselling_rate")) is None:
        covered = "chưa có số liệu: chưa báo cáo nào ghi số người gây bạo lực được phát hiện."
    else:
        covered = f"tính trên {vnformat.percent(coverage)} số vụ bạo lực có số người gây bạo lực được phát hiện."
    return [
        "Ghi chú: Các tỷ lệ tính trên các hành vi bạo lực trên cơ sở giới (dòng “Cộng các hành vi bạo lực trên cơ "
        "sở giới”, gồm các loại vụ việc ở trên dòng đó); các vi phạm ở dưới chỉ tính số vụ. Tỷ lệ nạn nhân được "
        "hỗ trợ = Nạn nhân được hỗ trợ / (Nạn nhân nữ + Nạn nhân nam).",
        "Tỷ lệ người gây bạo lực được tư vấn = Người gây bạo lực được tư vấn / Người gây bạo lực được phát hiện, "
        "chỉ tính các dòng báo cáo có ghi số người gây bạo lực được phát hiện (biểu mẫu cũ không có cột này); "
        + covered,
        _trajectory_note(report_year),
    ]


def _previous_year_notes(key: str, data: ReportData) -> list[str]:
    """What the comparison columns of a Biểu compare with: the same period of the previous year (Biểu 3:
    the previous year's annual table; Biểu 7: the previous year's plan), or why they are blank."""
    table = data.tables.get(key)
    if key not in COMPARED_FIGURES or table is None or table.empty:
        return []
    if key == "plan_tasks":
        previous_year = data.report_year - 1
        return [
            f"Cột “{PREVIOUS_HEADER}”: số đơn vị chủ trì báo cáo hoàn thành nhiệm vụ cùng mã trong kế hoạch "
            f"năm {previous_year} (để trống khi kế hoạch năm {previous_year} không có nhiệm vụ đó); dòng Tổng "
            f"cộng: của toàn bộ kế hoạch năm {previous_year}."
        ]
    period = previous_period(data.report_year, "NAM" if key == "leadership" else data.report_type)
    label = period_label(*period).lower()
    keys = [f"previous_{figure}" for figure in COMPARED_FIGURES[key] if f"previous_{figure}" in table.columns]
    if not keys or not table[keys].notna().any().any():
        return [f"Cột “{PREVIOUS_HEADER}” để trống: kho dữ liệu chưa có báo cáo {label} được chấp nhận."]
    where = " (dòng Tổng cộng)" if key == "reporting_status" else ""
    return [f"Cột “{PREVIOUS_HEADER}”{where}: số liệu {label}; tăng (+), giảm (-) của tỷ lệ tính bằng điểm phần trăm."]


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


def header_rows(columns: tuple[Col, ...] | list[Col]) -> tuple[list[dict], list[str]]:
    """A table's two header rows as an HTML table prints them: the top row's cells (a group spans its
    columns; a column without a group spans both rows) and the bottom row's headers."""
    head_top, head_bottom, index = [], [], 0
    while index < len(columns):
        col = columns[index]
        if col.group is None:
            head_top.append({"text": col.header, "colspan": 1, "rowspan": 2})
            index += 1
            continue
        end = index
        while end + 1 < len(columns) and columns[end + 1].group == col.group:
            end += 1
        head_top.append({"text": col.group, "colspan": end - index + 1, "rowspan": 1})
        head_bottom += [columns[sub].header for sub in range(index, end + 1)]
        index = end + 1
    return head_top, head_bottom


def kind_of(col: Col, record: dict) -> Kind:
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
