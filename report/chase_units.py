"""What the chase list and the reminder letter are about: the units to chase and the province that chases
them (`report.provinces`), with their Vietnamese wording. Shared by the workbook (`report.chase`) and the
letter (`report.letter`), so both name a status, a reason and a province the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ingest.periods import local_date
from report import formatting as vnformat
from report.provinces import CITY_CODES, PROVINCE_NAMES, Province, province_name  # noqa: F401  (re-exported)

CHASED_STATUSES = ("missing", "rejected", "late")  # also the order of the groups in the letter
STATUS_VI = {
    "missing": "Chưa gửi báo cáo",
    "rejected": "Báo cáo bị từ chối",
    "late": "Gửi báo cáo muộn",
    "pending": "Chưa đến hạn",
    "on_time": "Đúng hạn",
}
# A unit whose only files name no registered unit, tied to it by code or name (`likely_files`), did send:
# it is chased as rejected, and told why in these words (by the files' error code).
SENT_UNREADABLE_VI = {
    "UNREADABLE": "Đã gửi nhưng tệp không đọc được",
    "UNKNOWN_UNIT": "Đã gửi nhưng tệp ghi sai mã đơn vị",
}
FONT = "Times New Roman"


@dataclass
class ChaseUnit:
    """One unit to chase for a period (a row of `marts.rpt_chase_units`), with its rejected files (rows of
    `marts.rpt_chase_rejected_files`: file_name, received_at, error_codes, errors): `rejected_files` name
    the unit, `likely_files` name no registered unit but are tied to it by code or name."""

    unit_code: str
    unit_name: str
    unit_kind: str
    province_code: str
    status: str  # rpt_chase_units.chase_status: missing | rejected | late
    deadline: dt.date
    days: int | None  # days_past_deadline: late: days late; missing/rejected: days overdue at the as-of date
    first_received_at: dt.datetime | None
    rejected_files: list[dict] = field(default_factory=list)
    likely_files: list[dict] = field(default_factory=list)
    unit_kind_vi: str = ""  # dim_units.unit_kind_name_vi: 'Phường'

    @property
    def sent_unreadable(self) -> bool:
        """True when the unit is chased only for files tied to it by code or name (it did send)."""
        return self.status == "rejected" and not self.rejected_files and bool(self.likely_files)

    @property
    def status_label(self) -> str:
        """'Chưa gửi báo cáo', 'Đã gửi nhưng tệp không đọc được', 'Báo cáo bị từ chối', 'Gửi báo cáo muộn'."""
        if self.sent_unreadable:
            return SENT_UNREADABLE_VI.get(self._likely_error_code, SENT_UNREADABLE_VI["UNREADABLE"])
        return STATUS_VI[self.status]

    @property
    def _likely_error_code(self) -> str:
        codes = {code for f in self.likely_files for code in f["error_codes"].split(", ") if code}
        return "UNKNOWN_UNIT" if codes == {"UNKNOWN_UNIT"} else "UNREADABLE"

    @property
    def reason(self) -> str:
        """Why the unit is chased, in one Vietnamese sentence (the workbook's 'Lý do', the appendix's note)."""
        if self.status == "late":
            received = vnformat.date(local_date(self.first_received_at)) if self.first_received_at else ""
            return f"Gửi muộn {self.days} ngày (nhận ngày {received}, hạn {vnformat.date(self.deadline)})"
        overdue = f"quá hạn {self.days} ngày" if self.days and self.days > 0 else "đã hết hạn"
        if self.sent_unreadable:
            received = sorted(local_date(f["received_at"]) for f in self.likely_files if f.get("received_at"))
            when = f" ngày {vnformat.date(received[0])}" if received else ""
            what = "không đọc được" if self._likely_error_code == "UNREADABLE" else "ghi sai mã đơn vị"
            return (
                f"Đã gửi tệp{when} nhưng tệp {what}, chưa gửi lại tệp hợp lệ; {overdue} "
                f"(hạn {vnformat.date(self.deadline)})"
            )
        if self.status == "rejected":
            codes = sorted({code for f in self.rejected_files for code in f["error_codes"].split(", ") if code})
            return f"Tệp báo cáo bị từ chối ({', '.join(codes)}), chưa gửi lại tệp hợp lệ; {overdue}"
        return f"Chưa gửi báo cáo; {overdue} (hạn {vnformat.date(self.deadline)})"


def likely_sender(file: dict) -> str:
    """'có thể của xã Xuân Thịnh' for a file tied to a unit by code or name ('UBND ' dropped), else ''."""
    name = vnformat.nfc(file.get("likely_unit_name") or "")
    if not name:
        return ""
    return "có thể của " + (name[len("UBND ") :] if name.startswith("UBND ") else name)


def period_vi(report_type: str, report_year: int) -> str:
    """'6 tháng đầu năm 2026' or 'năm 2026'."""
    return f"6 tháng đầu năm {report_year}" if report_type == "6T" else f"năm {report_year}"
