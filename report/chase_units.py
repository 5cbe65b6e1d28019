"""What the chase list and the reminder letter are about: the units to chase and the province that chases
them, with their Vietnamese wording. Shared by the workbook (`report.chase`) and the letter
(`report.letter`), so both name a status, a reason and a province the same way.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from ingest.periods import local_date
from report import formatting as vnformat

CHASED_STATUSES = ("missing", "rejected", "late")  # also the order of the groups in the letter
STATUS_VI = {
    "missing": "Chưa gửi báo cáo",
    "rejected": "Báo cáo bị từ chối",
    "late": "Gửi báo cáo muộn",
    "pending": "Chưa đến hạn",
    "on_time": "Đúng hạn",
}
FONT = "Times New Roman"

# The 34 provinces and centrally-run cities after the 2025 reform, by administrative code.
PROVINCE_NAMES = {
    "01": "Hà Nội", "04": "Cao Bằng", "08": "Tuyên Quang", "11": "Điện Biên", "12": "Lai Châu",
    "14": "Sơn La", "15": "Lào Cai", "19": "Thái Nguyên", "20": "Lạng Sơn", "22": "Quảng Ninh",
    "24": "Bắc Ninh", "25": "Phú Thọ", "31": "Hải Phòng", "33": "Hưng Yên", "37": "Ninh Bình",
    "38": "Thanh Hóa", "40": "Nghệ An", "42": "Hà Tĩnh", "44": "Quảng Trị", "46": "Huế",
    "48": "Đà Nẵng", "51": "Quảng Ngãi", "52": "Gia Lai", "56": "Khánh Hòa", "66": "Đắk Lắk",
    "68": "Lâm Đồng", "75": "Đồng Nai", "79": "Hồ Chí Minh", "80": "Tây Ninh", "82": "Đồng Tháp",
    "86": "Vĩnh Long", "91": "An Giang", "92": "Cần Thơ", "96": "Cà Mau",
}  # fmt: skip
CITY_CODES = frozenset({"01", "31", "46", "48", "79", "92"})  # "UBND THÀNH PHỐ …"


@dataclass
class ChaseUnit:
    """One unit to chase for a period (a row of `marts.rpt_chase_units`), with its rejected files (rows of
    `marts.rpt_chase_rejected_files`: file_name, received_at, error_codes, errors)."""

    unit_code: str
    unit_name: str
    unit_kind: str
    province_code: str
    status: str
    deadline: dt.date
    days: int | None  # days_past_deadline: late: days late; missing/rejected: days overdue at the as-of date
    first_received_at: dt.datetime | None
    rejected_files: list[dict] = field(default_factory=list)

    @property
    def reason(self) -> str:
        """Why the unit is chased, in one Vietnamese sentence (the workbook's 'Lý do', the appendix's note)."""
        if self.status == "late":
            received = vnformat.date(local_date(self.first_received_at)) if self.first_received_at else ""
            return f"Gửi muộn {self.days} ngày (nhận ngày {received}, hạn {vnformat.date(self.deadline)})"
        overdue = f"quá hạn {self.days} ngày" if self.days and self.days > 0 else "đã hết hạn"
        if self.status == "rejected":
            codes = sorted({code for f in self.rejected_files for code in f["error_codes"].split(", ") if code})
            return f"Tệp báo cáo bị từ chối ({', '.join(codes)}), chưa gửi lại tệp hợp lệ; {overdue}"
        return f"Chưa gửi báo cáo; {overdue} (hạn {vnformat.date(self.deadline)})"


@dataclass(frozen=True)
class Province:
    """The province whose Sở Nội vụ signs the letter."""

    code: str
    name: str  # "Bắc Ninh", "Tỉnh mẫu 02"

    @property
    def level(self) -> str:
        """'tỉnh' or 'thành phố' (centrally-run city)."""
        if self.name.casefold().startswith("thành phố") or self.code in CITY_CODES:
            return "thành phố"
        return "tỉnh"

    @property
    def authority(self) -> str:
        """'UBND TỈNH BẮC NINH', 'UBND THÀNH PHỐ HÀ NỘI', 'UBND TỈNH MẪU 02'."""
        if self.name.casefold().startswith(("tỉnh", "thành phố")):
            return f"UBND {self.name.upper()}"
        return f"UBND {self.level.upper()} {self.name.upper()}"


_IN_NAME = re.compile(r"\b(?:tỉnh|thành phố)\s+((?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ]\w*\s?)+)")


def province_name(province_code: str, unit_names: list[str] = ()) -> str:
    """The province's name for the letter head: the 34-province table, synthetic 'P02' → 'Tỉnh mẫu 02',
    else the name most of its unit names carry ('Công an tỉnh Lào Cai' → 'Lào Cai'), else '……'."""
    code = str(province_code).strip()
    if code in PROVINCE_NAMES:
        return PROVINCE_NAMES[code]
    synthetic = re.fullmatch(r"P(\d{2})", code)
    if synthetic:
        return f"Tỉnh mẫu {synthetic.group(1)}"
    found = Counter(
        match.group(1).strip() for name in unit_names for match in _IN_NAME.finditer(unicodedata.normalize("NFC", name))
    )
    if found:
        return found.most_common(1)[0][0]
    return "……"


def period_vi(report_type: str, report_year: int) -> str:
    """'6 tháng đầu năm 2026' or 'năm 2026'."""
    return f"6 tháng đầu năm {report_year}" if report_type == "6T" else f"năm {report_year}"
