"""The summary sheet (Tổng hợp) of the report: the items of `marts.rpt_report_summary` (whole warehouse),
laid out under their sections. The mart picks each item's cell, compares it with the same period of the
previous year and assesses it against its target; this module only lays out and types the values."""

from __future__ import annotations

from typing import TYPE_CHECKING

from report.frames import WAREHOUSE_SCOPE, assessment, frame

if TYPE_CHECKING:
    import pandas as pd

SUMMARY_COLUMNS = ["row_kind", "stt", "code", "label", "value", "format", "previous", "change", "target", "assessment"]


def _typed(value, value_format: str):
    """A count as int, a share as float (the frame's `value`, `previous`, `change` mix both), None stays."""
    if value is None:
        return None
    return int(value) if value_format == "int" else float(value)


def summary(con, report_year: int, report_type: str, *, with_previous: bool = True) -> pd.DataFrame:
    """Tổng hợp: a 'section' row (I … V) before each section's items; each item's value, format ('int' or
    'pct'), the same period of the previous year and the change (None when not compared, or without
    `with_previous`), its target (`Float64`) and assessment. `value`, `previous` and `change` are Python
    objects (ints for counts, floats for shares)."""
    records = con.execute(
        """
        select section_code, section_label_vi, item_code, item_label_vi, value_format, value, previous_value,
               change, target_value, is_met
        from marts.rpt_report_summary
        where province_code = ? and report_year = ? and report_type = ?
        order by item_order, item_code
        """,
        [WAREHOUSE_SCOPE, int(report_year), report_type],
    ).fetchall()
    rows: list[dict] = []
    section = None
    for number, record in enumerate(records, start=1):
        section_code, section_label, code, label, value_format, value, previous, change, target, is_met = record
        if section_code != section:
            section = section_code
            rows.append({"row_kind": "section", "stt": section_code, "code": None, "label": section_label,
                         "value": None, "format": None})  # fmt: skip
        rows.append(
            {
                "row_kind": "item",
                "stt": str(number),
                "code": code,
                "label": label,
                "value": _typed(value, value_format),
                "format": value_format,
                "previous": _typed(previous, value_format) if with_previous else None,
                "change": _typed(change, value_format) if with_previous else None,
                "target": target,
                "assessment": assessment(is_met),
            }
        )
    return frame(rows, SUMMARY_COLUMNS, floats=["target"])
