"""The source registry: every kind of file the warehouse ingests, declared as one entry.

A source says which files it reads, where its tables are and how their labels map to typed columns
(`ingest.form_bdg1` holds the column declarations of the BDG-1 form), which raw tables receive the rows,
and what identifies one submission. The parser (`ingest.parse`) reads any declared source; adding a
source is an entry here, a staging model, a fixture and a test (see docs/adding-a-source.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest import form_bdg1
from ingest.form_bdg1 import Column, LabelValueSheet, TableSheet

WORKBOOK_KINDS = ("xlsx", "xlsm", "xls", "ods")


@dataclass(frozen=True)
class Source:
    """One kind of input file."""

    name: str
    title_vi: str
    file_kinds: tuple[str, ...]
    sheets: tuple[TableSheet | LabelValueSheet, ...]
    key: tuple[str, ...]  # what identifies one submission of this source
    identity_sheet: str | None = None  # a label | value sheet naming unit and period (checked on parse)


BDG1 = Source(
    name="bdg1",
    title_vi="Biểu mẫu báo cáo bình đẳng giới BDG-1",
    file_kinds=WORKBOOK_KINDS,
    sheets=form_bdg1.SHEETS,
    key=("unit_code", "report_year", "report_type"),
    identity_sheet=form_bdg1.THONG_TIN.sheet,
)

PLAN_TASKS = Source(
    name="plan_tasks",
    title_vi="Phụ lục nhiệm vụ của kế hoạch bình đẳng giới",
    file_kinds=(*WORKBOOK_KINDS, "txt", "tsv"),
    sheets=(
        TableSheet(
            sheet="PhuLuc",
            title="PHỤ LỤC: NHIỆM VỤ THỰC HIỆN CÔNG TÁC BÌNH ĐẲNG GIỚI",
            raw_table="plan_tasks",
            any_sheet=True,
            columns=(
                Column("item_no", "STT", "text", required=True),
                Column("task_text", "Nội dung nhiệm vụ", "text", required=True, aliases=("Nội dung",)),
                Column("lead_text", "Cơ quan chủ trì", "text", aliases=("Đơn vị chủ trì",)),
                Column("partner_text", "Cơ quan phối hợp", "text", aliases=("Đơn vị phối hợp",)),
                Column("timeline_text", "Thời gian thực hiện", "text", aliases=("Thời gian", "Thời hạn")),
            ),
        ),
    ),
    key=("province_code", "plan_year"),
)

# The yearly file of the National Strategy's indicators the form does not collect (sex ratio at birth,
# women deputies, …), which Sở Nội vụ fills in from the statistics office, Sở Y tế and the others and
# puts in the reference directory (`chi_tieu_chien_luoc_<năm>.xlsx`); `ingest.strategy_values` checks it
# against targets.csv and loads it with the reference data.
STRATEGY_VALUES = Source(
    name="strategy_values",
    title_vi="Số liệu chỉ tiêu Chiến lược quốc gia về bình đẳng giới",
    file_kinds=WORKBOOK_KINDS,
    sheets=(
        TableSheet(
            sheet="SoLieu",
            title="SỐ LIỆU CHỈ TIÊU CHIẾN LƯỢC QUỐC GIA VỀ BÌNH ĐẲNG GIỚI",
            raw_table="ref_strategy_values",
            any_sheet=True,
            columns=(
                Column("province_code", "Mã tỉnh", "text", required=True, aliases=("Mã tỉnh, thành phố",)),
                Column("target_code", "Mã chỉ tiêu", "text", required=True),
                Column("indicator_name", "Tên chỉ tiêu", "text", aliases=("Chỉ tiêu",)),
                Column("report_year", "Năm", "int", required=True, aliases=("Năm số liệu",)),
                Column("value", "Giá trị", "number", required=True, aliases=("Số liệu",)),
                Column(
                    "data_provider",
                    "Nguồn số liệu (cơ quan cung cấp)",
                    "text",
                    aliases=("Nguồn số liệu", "Cơ quan cung cấp"),
                ),
                Column("note", "Ghi chú", "text"),
            ),
        ),
    ),
    key=("province_code", "target_code", "report_year"),
)

SOURCES: dict[str, Source] = {source.name: source for source in (BDG1, PLAN_TASKS, STRATEGY_VALUES)}
