"""The BDG-1 report form, declared once: sheets, header labels → typed columns, vocabularies, raw tables.

The parser (`ingest.parse_workbook`) and the form writer (`ingest.form_writer`) both read this module, so the
form a unit receives and the form the warehouse accepts can never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FORM_VERSION = "BDG-1"

ColumnType = Literal["text", "int", "money", "number", "date", "category", "bool"]


@dataclass(frozen=True)
class Vocabulary:
    """A closed list of codes, each with its Vietnamese label (labels and codes are both accepted)."""

    name: str
    items: tuple[tuple[str, str], ...]  # (code, label_vi)
    aliases: tuple[tuple[str, str], ...] = ()  # (other wording units use, code)

    def label(self, code: str) -> str:
        return dict(self.items)[code]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.items)


@dataclass(frozen=True)
class Column:
    """One column of a table sheet, or one labelled row of a label | value sheet."""

    name: str  # column name in the raw table (or indicator code for label | value sheets)
    label: str  # Vietnamese header label as printed on the form
    type: ColumnType
    required: bool = False
    vocabulary: Vocabulary | None = None
    default: object | None = None  # used when the cell is blank
    aliases: tuple[str, ...] = ()  # other labels units are known to write
    maximum: float | None = None  # hard limit of one cell (default: ingest.values.MAX_COUNT / MAX_MONEY)
    # A column added to the form later: a file without it stays valid, its rows carry None (not the
    # default), so what the column feeds can state how many reports had it.
    optional: bool = False


@dataclass(frozen=True)
class TableSheet:
    """A sheet holding one table: a header row found by its labels, then one data row per line."""

    sheet: str
    title: str
    columns: tuple[Column, ...]
    raw_table: str
    required: bool = True
    free_text_is_sensitive: bool = False  # VuViec: names of persons are PII here
    any_sheet: bool = False  # the table may sit on any visible sheet (found by its header labels)
    prefilled: str | None = None  # the column the blank form fills in (a row with nothing else is blank)
    kind: Literal["table"] = "table"


@dataclass(frozen=True)
class LabelValueSheet:
    """A sheet of `label | value` rows (ThongTin, ChiTieu)."""

    sheet: str
    title: str
    rows: tuple[Column, ...]
    raw_table: str | None  # None: the values describe the submission itself
    required: bool = True
    kind: Literal["label_value"] = "label_value"


TOTALS_LABELS = ("Tổng cộng", "Tổng số", "Cộng")
YES_NO = Vocabulary("co_khong", (("CO", "Có"), ("KHONG", "Không")))

REPORT_TYPES = Vocabulary(
    "report_type",
    (("6T", "6 tháng"), ("NAM", "Năm")),
    aliases=(("6 tháng đầu năm", "6T"), ("Sáu tháng", "6T"), ("Cả năm", "NAM"), ("Hằng năm", "NAM")),
)

ACTIVITY_TYPES = Vocabulary(
    "activity_type",
    (
        ("TRUYEN_THONG", "Hội nghị, tuyên truyền trực tiếp"),
        ("TAP_HUAN", "Tập huấn, bồi dưỡng"),
        ("HOI_THI", "Hội thi"),
        ("TOA_DAM", "Hội thảo, tọa đàm, đối thoại chính sách"),
        ("TIN_BAI", "Tin, bài, phóng sự"),
        ("CHUYEN_MUC", "Chuyên trang, chuyên mục"),
        ("SAN_PHAM", "Sản phẩm truyền thông"),
        ("KIEM_TRA", "Kiểm tra, giám sát"),
        ("GIAO_LUU", "Giao lưu, học tập kinh nghiệm"),
        ("KHAC", "Khác"),
    ),
)

PROGRAMMES = Vocabulary(
    "programme",
    (
        ("CHIEN_LUOC", "Chiến lược quốc gia về bình đẳng giới"),
        ("TRUYEN_THONG_1790", "Chương trình truyền thông về bình đẳng giới"),
        ("BLG_625", "Chương trình phòng ngừa, ứng phó bạo lực trên cơ sở giới"),
        ("LANH_DAO_2282", "Chương trình phụ nữ tham gia lãnh đạo, quản lý"),
        ("THANG_HANH_DONG", "Tháng hành động vì bình đẳng giới"),
        ("NTM_6_5", "Tiêu chí 6.5 nông thôn mới"),
        ("KHAC", "Khác"),
    ),
)

DELIVERY_MODES = Vocabulary(
    "delivery_mode",
    (("TRUC_TIEP", "Trực tiếp"), ("TRUC_TUYEN", "Trực tuyến"), ("KET_HOP", "Kết hợp")),
)

CASE_TYPES = Vocabulary(
    "case_type",
    (
        ("BAO_LUC_GIA_DINH", "Bạo lực gia đình"),
        ("XAM_HAI_TINH_DUC", "Xâm hại, bạo lực tình dục"),
        ("QUAY_ROI", "Quấy rối tình dục"),
        ("MUA_BAN_NGUOI", "Mua bán người"),
        ("MOI_GIOI_HON_NHAN", "Môi giới hôn nhân trái pháp luật"),
        ("VI_PHAM_BDG", "Vi phạm pháp luật về bình đẳng giới bị xử phạt"),
        ("KHAC", "Khác"),
    ),
)

POSITION_GROUPS = Vocabulary(
    "position_group",
    (
        ("CHU_CHOT", "Lãnh đạo chủ chốt"),
        ("CAP_PHONG", "Lãnh đạo cấp phòng và tương đương"),
        ("KHAC", "Khác"),
    ),
)

NTM_STATUS = Vocabulary("ntm_6_5", (("CO", "Có"), ("KHONG", "Không"), ("KHONG_AP_DUNG", "Không áp dụng")))

TASK_STATUSES = Vocabulary(
    "task_status",
    (
        ("HOAN_THANH", "Hoàn thành"),
        ("DANG_THUC_HIEN", "Đang thực hiện"),
        ("CHUA_THUC_HIEN", "Chưa thực hiện"),
    ),
)

THONG_TIN = LabelValueSheet(
    sheet="ThongTin",
    title="THÔNG TIN BÁO CÁO",
    raw_table=None,
    rows=(
        Column("unit_code", "Mã đơn vị", "text", required=True),
        Column("unit_name", "Tên đơn vị", "text"),
        Column("report_type", "Kỳ báo cáo", "category", required=True, vocabulary=REPORT_TYPES),
        Column("report_year", "Năm báo cáo", "int", required=True),
        Column("report_date", "Ngày lập báo cáo", "date"),
        Column("form_version", "Phiên bản biểu mẫu", "text", required=True),
        Column("prepared_by", "Người lập", "text"),
    ),
)

HOAT_DONG = TableSheet(
    sheet="HoatDong",
    title="KẾT QUẢ HOẠT ĐỘNG BÌNH ĐẲNG GIỚI",
    raw_table="activities",
    columns=(
        Column("item_no", "STT", "text"),
        Column("activity_type_code", "Loại hoạt động", "category", required=True, vocabulary=ACTIVITY_TYPES),
        Column("programme_code", "Chương trình", "category", required=True, vocabulary=PROGRAMMES),
        Column("activity_name", "Tên hoạt động", "text"),
        Column("activity_date", "Ngày thực hiện", "date"),
        Column("delivery_mode_code", "Hình thức", "category", vocabulary=DELIVERY_MODES),
        Column("quantity", "Số lượng", "int", default=1, maximum=10_000),
        # also under a merged "Số người tham gia" over "Tổng số | Nữ | Nam | Người DTTS"
        Column("participants_total", "Tổng số người tham gia", "int", aliases=("Số người tham gia: Tổng số",)),
        Column("participants_female", "Nữ", "int", aliases=("Số người tham gia: Nữ",)),
        Column("participants_male", "Nam", "int", aliases=("Số người tham gia: Nam",)),
        Column(
            "participants_ethnic_minority",
            "Người DTTS",
            "int",
            aliases=("Số người tham gia: Người DTTS", "Số người tham gia: DTTS"),
        ),  # fmt: skip
        Column("budget_vnd", "Kinh phí (đồng)", "money", aliases=("Kinh phí",)),
    ),
)

VU_VIEC = TableSheet(
    sheet="VuViec",
    title="VỤ VIỆC BẠO LỰC TRÊN CƠ SỞ GIỚI VÀ VI PHẠM PHÁP LUẬT VỀ BÌNH ĐẲNG GIỚI",
    raw_table="gbv_cases",
    free_text_is_sensitive=True,
    prefilled="case_type_code",
    columns=(
        Column("case_type_code", "Loại vụ việc", "category", required=True, vocabulary=CASE_TYPES),
        # also as the ministry's tables print them: "Số vụ việc" over "Phát hiện | Đã xử lý", "Nạn nhân" over
        # "Nữ | Nam | Trong đó trẻ em"
        Column(
            "cases_detected", "Số vụ phát hiện", "int", default=0, aliases=("Số vụ việc: Phát hiện",), maximum=100_000
        ),
        Column("cases_handled", "Số vụ đã xử lý", "int", default=0, aliases=("Số vụ việc: Đã xử lý",), maximum=100_000),
        Column("victims_female", "Nạn nhân nữ", "int", default=0, aliases=("Nạn nhân: Nữ",)),
        Column("victims_male", "Nạn nhân nam", "int", default=0, aliases=("Nạn nhân: Nam",)),
        Column(
            "victims_children",
            "Trong đó trẻ em",
            "int",
            default=0,
            aliases=("Nạn nhân: Trong đó trẻ em", "Nạn nhân: Trẻ em"),
        ),  # fmt: skip
        Column("victims_supported", "Nạn nhân được hỗ trợ", "int", default=0),
        # the counselling rate's denominator (Nghị quyết 28/NQ-CP: of the perpetrators detected); added in
        # 2026, so optional: reports without it are counted apart (the rate's coverage)
        Column(
            "perpetrators_detected",
            "Số người gây bạo lực được phát hiện",
            "int",
            default=0,
            aliases=("Người gây bạo lực được phát hiện",),
            optional=True,
        ),
        Column("perpetrators_counselled", "Người gây bạo lực được tư vấn", "int", default=0),
        Column("note", "Ghi chú", "text"),
    ),
)

LANH_DAO = TableSheet(
    sheet="LanhDao",
    title="NỮ THAM GIA LÃNH ĐẠO, QUẢN LÝ",
    raw_table="leadership",
    prefilled="position_group_code",
    columns=(
        Column("position_group_code", "Nhóm chức danh", "category", required=True, vocabulary=POSITION_GROUPS),
        Column("leaders_total", "Tổng số", "int", default=0, maximum=100_000),
        Column("leaders_female", "Nữ", "int", default=0),
        Column("leaders_female_ethnic_minority", "Nữ là người DTTS", "int", default=0),
        Column("pool_total", "Quy hoạch: tổng số", "int", default=0, maximum=100_000),
        Column("pool_female", "Quy hoạch: nữ", "int", default=0),
        Column("pool_female_trained", "Quy hoạch: nữ được đào tạo, bồi dưỡng", "int", default=0),
    ),
)

CHI_TIEU = LabelValueSheet(
    sheet="ChiTieu",
    title="CHỈ TIÊU THỂ CHẾ",
    raw_table="indicators",
    rows=(
        Column("BAN_VSTBPN_KIEN_TOAN", "Ban Vì sự tiến bộ của phụ nữ đã kiện toàn", "category", vocabulary=YES_NO),
        Column("NGAY_KIEN_TOAN", "Ngày quyết định kiện toàn", "date"),
        Column("SO_CONG_CHUC_BDG", "Số công chức phụ trách bình đẳng giới", "int", maximum=100_000),
        Column("SO_NOI_TAM_LANH", "Số nơi tạm lánh", "int", maximum=10_000),
        Column("SO_VAN_BAN_LONG_GHEP", "Số văn bản QPPL được lồng ghép vấn đề bình đẳng giới", "int"),
        Column("KINH_PHI_BDG", "Kinh phí bố trí cho bình đẳng giới (đồng)", "money"),
        Column("DAT_NTM_6_5", "Đạt tiêu chí 6.5 nông thôn mới", "category", vocabulary=NTM_STATUS),
    ),
)

NHIEM_VU = TableSheet(
    sheet="NhiemVu",
    title="TÌNH HÌNH THỰC HIỆN NHIỆM VỤ ĐƯỢC GIAO",
    raw_table="task_status",
    required=False,
    columns=(
        Column("task_code", "Mã nhiệm vụ", "text", required=True),
        Column("status_code", "Tình trạng", "category", vocabulary=TASK_STATUSES),
        Column("result_text", "Kết quả", "text"),
    ),
)

SHEETS: tuple[LabelValueSheet | TableSheet, ...] = (THONG_TIN, HOAT_DONG, VU_VIEC, LANH_DAO, CHI_TIEU, NHIEM_VU)
