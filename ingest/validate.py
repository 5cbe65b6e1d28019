"""Checks of a parsed file against the deployment's reference data (unit registry, calendar)."""

from __future__ import annotations

from dataclasses import dataclass

from ingest import form_bdg1
from ingest.errors import IngestError
from ingest.parse import ParsedWorkbook
from ingest.reference import CalendarEntry, Unit


@dataclass(frozen=True)
class Registry:
    """Units and reporting periods a file may name."""

    units: dict[str, Unit]
    periods: dict[tuple[str, int, str], CalendarEntry]  # (province_code, year, report_type)

    @classmethod
    def build(cls, units: list[Unit], calendar: list[CalendarEntry]) -> Registry:
        return cls(
            units={unit.unit_code.upper(): unit for unit in units},
            periods={(entry.province_code, entry.report_year, entry.report_type): entry for entry in calendar},
        )


def validate_submission(parsed: ParsedWorkbook, registry: Registry) -> None:
    """Add UNKNOWN_UNIT / UNKNOWN_PERIOD errors to `parsed` (in place); normalise the unit code."""
    meta = parsed.meta
    sheet = form_bdg1.THONG_TIN.sheet
    code = meta.get("unit_code")
    if not code:
        return  # already reported as missing
    unit = registry.units.get(str(code).strip().upper())
    if unit is None:
        parsed.errors.append(
            IngestError(
                "UNKNOWN_UNIT",
                "Mã đơn vị không có trong danh mục đơn vị báo cáo của tỉnh. "
                "Đề nghị ghi đúng mã đơn vị do Sở Nội vụ cấp (xem biểu mẫu đã điền sẵn).",
                sheet=sheet,
                cell=parsed.cells.get("unit_code"),
            )
        )
        return
    meta["unit_code"] = unit.unit_code
    year, report_type = meta.get("report_year"), meta.get("report_type")
    if year is None or report_type is None:
        return
    period = registry.periods.get((unit.province_code, int(year), str(report_type)))
    if period is None:
        parsed.errors.append(
            IngestError(
                "UNKNOWN_PERIOD",
                f"Kỳ báo cáo {'6 tháng' if report_type == '6T' else 'năm'} {year} không có trong lịch báo cáo.",
                sheet=sheet,
                cell=parsed.cells.get("report_year"),
            )
        )
        return
    if unit.valid_from > period.period_end or (unit.valid_to is not None and unit.valid_to < period.period_start):
        parsed.errors.append(
            IngestError(
                "UNKNOWN_UNIT",
                f"Đơn vị {unit.unit_code} không còn hoạt động trong kỳ báo cáo này"
                + (f" (đã hợp nhất vào {unit.successor_code})." if unit.successor_code else "."),
                sheet=sheet,
                cell=parsed.cells.get("unit_code"),
            )
        )
