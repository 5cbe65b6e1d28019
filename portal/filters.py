"""Jinja filters for the portal's pages: Vietnamese numbers, percentages and dates through
`report.formatting` (Babel vi_VN), NFC text, and the Vietnamese labels of codes."""

from __future__ import annotations

import datetime as dt

from ingest.periods import LOCAL_TZ
from report import formatting as vn

PERIOD_LABELS = {"6T": "6 tháng", "NAM": "năm"}
VERDICT_LABELS = {
    "accepted": "Được chấp nhận",
    "rejected": "Bị từ chối",
    "duplicate": "Trùng với tệp đã gửi",
    "refused": "Không nhận (tệp của đơn vị khác)",
}
WAREHOUSE_LABELS = {
    None: "chờ nạp vào kho (lần nạp hằng đêm)",
    "loaded": "đã nạp vào kho",
    "superseded": "đã được thay bằng tệp gửi sau",
    "duplicate": "trùng, không nạp lại",
    "rejected": "đã ghi nhận là bị từ chối",
}
ROLE_LABELS = {"unit": "Đơn vị", "province": "Sở Nội vụ", "ministry": "Bộ Nội vụ"}


def moment(value) -> str:
    """A timestamp as 'dd/mm/yyyy HH:MM' in Asia/Ho_Chi_Minh."""
    if vn.is_missing(value):
        return vn.NA_TEXT
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        local = value.astimezone(LOCAL_TZ) if value.tzinfo else value
        return f"{vn.date(local.date())} {local:%H:%M}"
    return vn.date(value)


def share(value, value_format: str = "pct") -> str:
    return vn.percent(value) if value_format == "pct" else vn.number(value)


def install(env) -> None:
    env.filters.update(
        number=vn.number, percent=vn.percent, date=vn.date, moment=moment, nfc=vn.nfc, figure=share,
        period=lambda code: PERIOD_LABELS.get(code, code or ""),
        verdict=lambda code: VERDICT_LABELS.get(code, code),
        warehouse_status=lambda code: WAREHOUSE_LABELS.get(code, code),
        role=lambda code: ROLE_LABELS.get(code, code),
    )  # fmt: skip
