"""The chase list: which units to chase for a period, and a draft reminder letter (công văn đôn đốc).

`write_chase_list` reads the marts only, never the raw or staging tables and never dbt:
`marts.rpt_chase_units` (the units to chase, their status and days behind), `marts.rpt_chase_rejected_files`
(the rejected files each period's list names, with or without a unit: the same rule as the
`every_file_attributed_to_a_unit` expectation), `marts.rpt_reporting_status` (the counts per status) and
`marts.dim_units` (the province's name, `report.provinces`). The caller
builds those marts for the as-of date first (`bdg.steps`); marts built for another date are refused. It
writes

- `don_doc_bdg_<year>_<type>.xlsx`: sheet `DonDoc` (one row per unit to chase: status, days late or
  overdue, reason, rejected files and their errors), `TepBiTuChoi` (one row per rejected file, with or
  without a unit) and `TongHop` (counts);
- `cong_van_don_doc_bdg_<year>_<type>.docx` (one per province when the warehouse holds several:
  `…_<province>.docx`): the draft letter (`report.letter`).

Units to chase are exactly those `missing`, `rejected` or `late` (late units already sent, but are
reminded of the deadline); `pending` (not yet due) and `on_time` units are never named. A unit is chased
by its `chase_status`: a missing unit to which a file naming no registered unit is tied by code or name
did send, and is chased as rejected ("đã gửi nhưng tệp không đọc được"). A rejected file whose unit,
named or likely, has since sent an accepted report is not in the mart, so never listed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ingest.atomic import atomic_output
from ingest.periods import LOCAL_TZ, check_report_type, local_date
from ingest.warehouse import connect
from report import formatting as vnformat
from report.chase_units import (
    CHASED_STATUSES,
    FONT,
    STATUS_VI,
    ChaseUnit,
    Province,
    likely_sender,
    period_vi,
    province_name,
)
from report.documents import document_time, text_workbook
from report.letter import write_letter
from report.provinces import read_provinces

__all__ = ["CHASED_STATUSES", "STATUS_VI", "ChaseUnit", "Province", "province_name", "write_chase_list"]


def write_chase_list(warehouse: Path, report_year: int, report_type: str, out_dir: Path, as_of: dt.date) -> dict:
    """Write the chase workbook and the draft reminder letter(s) for a period, judged at `as_of`.

    Inputs: the warehouse, whose marts were built for `as_of` (`bdg transform --as-of`, or
    `bdg.steps` before calling this), the period (year, '6T' | 'NAM'), the output folder (created).
    Returns {"xlsx": Path, "docx": Path (the first letter), "letters": {province_code: Path},
    "units": [{unit_code, unit_name, province_code, status, days, reason}], "unit_codes": {status: [codes]},
    "unattributed_files": [file names]}; a unit's status is its chase status (missing | rejected | late).
    Failure modes: ValueError for an unknown report type, or when the marts were built for another as-of
    date than `as_of` (nothing is written); FileNotFoundError when the warehouse does not exist;
    duckdb.Error when the marts are missing; OSError when out_dir cannot be written (no partial file is
    left behind).
    """
    check_report_type(report_type)
    with connect(Path(warehouse), read_only=True) as con:
        _check_built_for(con, as_of)
        files = _rejected_files(con, report_year, report_type)
        units = _units_to_chase(con, report_year, report_type, files)
        counts = _status_counts(con, report_year, report_type)
        status_names = dict(
            con.execute("select distinct status, status_name_vi from marts.rpt_reporting_status").fetchall()
        )
        provinces = read_provinces(con)
    unattributed = [f for f in files if not f["is_attributed"]]

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"bdg_{report_year}_{report_type}"
    xlsx = out_dir / f"don_doc_{stem}.xlsx"
    with atomic_output(xlsx) as tmp:
        _write_workbook(tmp, units, unattributed, counts, status_names, report_year, report_type, as_of)

    province_codes = sorted({code for code, _ in counts} | {u.province_code for u in units}) or sorted(provinces)
    letters: dict[str, Path] = {}
    for code in province_codes:
        province = provinces.get(code, Province(code, "……"))
        suffix = f"_{code}" if len(province_codes) > 1 else ""
        path = out_dir / f"cong_van_don_doc_{stem}{suffix}.docx"
        province_counts = {status: n for (c, status), n in counts.items() if c == code}
        # a file likely of another province's unit is that province's to ask about
        files_here = [f for f in unattributed if f.get("likely_province_code") in (None, code)]
        write_letter(
            path,
            province,
            [u for u in units if u.province_code == code],
            files_here,
            province_counts,
            report_year,
            report_type,
            as_of,
        )
        letters[code] = path
    return {
        "xlsx": xlsx,
        "docx": next(iter(letters.values()), None),
        "letters": letters,
        "units": [
            {
                "unit_code": u.unit_code,
                "unit_name": u.unit_name,
                "province_code": u.province_code,
                "status": u.status,
                "days": u.days,
                "reason": u.reason,
            }
            for u in units
        ],
        "unit_codes": {status: [u.unit_code for u in units if u.status == status] for status in CHASED_STATUSES},
        "unattributed_files": [f["file_name"] for f in unattributed],
    }


# --- reading the marts ---------------------------------------------------------------------------------


def _check_built_for(con, as_of: dt.date) -> None:
    """ValueError unless the marts chase reads were built for `as_of`: a status judged at another date
    would name the wrong units, and rebuilding is the caller's job (chase never runs dbt)."""
    built = sorted(
        row[0]
        for row in con.execute(
            "select as_of_date from marts.rpt_reporting_status "
            "union select as_of_date from marts.rpt_chase_units "
            "union select as_of_date from marts.rpt_chase_rejected_files"
        ).fetchall()
    )
    if built and built != [as_of]:
        dates = ", ".join(vnformat.date(day) for day in built)
        raise ValueError(
            f"Kho dữ liệu được dựng (marts) tính đến ngày {dates}, không phải ngày {vnformat.date(as_of)} cần lập "
            f"danh sách đôn đốc. Hãy dựng lại cho ngày này (bdg transform --as-of {as_of.isoformat()}) rồi chạy lại."
        )


def _units_to_chase(con, report_year: int, report_type: str, files: list[dict]) -> list[ChaseUnit]:
    """The period's units to chase, by province, then missing / rejected / late, then code."""
    rows = con.execute(
        """
        select
            chase.unit_code, chase.unit_name, chase.unit_kind, chase.province_code, chase.chase_status,
            chase.deadline_date, chase.days_past_deadline, chase.first_received_at,
            coalesce(units.unit_kind_name_vi, chase.unit_kind)
        from marts.rpt_chase_units as chase
        left join marts.dim_units as units on chase.unit_code = units.unit_code
        where chase.report_year = ? and chase.report_type = ?
        order by chase.province_code, chase.unit_code
        """,
        [report_year, report_type],
    ).fetchall()
    files_by_unit: dict[str, list[dict]] = {}
    likely_by_unit: dict[str, list[dict]] = {}
    for f in files:
        if f["is_attributed"]:
            files_by_unit.setdefault(f["unit_code"], []).append(f)
        elif f["likely_unit_code"]:
            likely_by_unit.setdefault(f["likely_unit_code"], []).append(f)
    units = [
        ChaseUnit(
            unit_code=code,
            unit_name=vnformat.nfc(name),
            unit_kind=kind,
            province_code=str(province),
            status=status,
            deadline=deadline,
            days=days,
            first_received_at=first_received,
            rejected_files=files_by_unit.get(code, []),
            likely_files=likely_by_unit.get(code, []),
            unit_kind_vi=kind_vi,
        )
        for code, name, kind, province, status, deadline, days, first_received, kind_vi in rows
    ]
    order = {status: i for i, status in enumerate(CHASED_STATUSES)}
    return sorted(units, key=lambda u: (u.province_code, order[u.status], u.unit_code))


def _rejected_files(con, report_year: int, report_type: str) -> list[dict]:
    """The period's rejected files: a unit's in received order, then those no unit can be tied to."""
    cursor = con.execute(
        """
        select
            file_name, received_at, is_attributed, unit_code, reported_unit_code, likely_unit_code,
            likely_unit_name, likely_province_code, error_codes, errors
        from marts.rpt_chase_rejected_files
        where report_year = ? and report_type = ?
        order by is_attributed desc, unit_code, received_at, file_name, file_sha256
        """,
        [report_year, report_type],
    )
    columns = [column[0] for column in cursor.description]
    files = []
    for row in cursor.fetchall():
        f = dict(zip(columns, row, strict=True))
        f["file_name"], f["errors"] = vnformat.nfc(f["file_name"]), vnformat.nfc(f["errors"])
        f["likely_unit_name"] = vnformat.nfc(f["likely_unit_name"]) if f["likely_unit_name"] else None
        f["error_codes"] = f["error_codes"] or ""
        files.append(f)
    return files


def _status_counts(con, report_year: int, report_type: str) -> dict[tuple[str, str], int]:
    rows = con.execute(
        "select province_code, status, count(*) from marts.rpt_reporting_status "
        "where report_year = ? and report_type = ? group by province_code, status",
        [report_year, report_type],
    ).fetchall()
    return {(str(province), status): int(n) for province, status, n in rows}


# --- the workbook --------------------------------------------------------------------------------------


def _write_workbook(path: Path, units, unattributed, counts, status_names, report_year, report_type, as_of) -> None:
    options = {"default_format_properties": {"font_name": FONT, "font_size": 12}}
    book = text_workbook(path, document_time(as_of), options)
    title = book.add_format({"bold": True, "font_size": 14})
    note = book.add_format({"italic": True})
    header = book.add_format(
        {"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter", "border": 1, "bg_color": "#DDEBF7"}
    )
    text = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    number = book.add_format({"valign": "top", "border": 1, "num_format": "0"})
    date = book.add_format({"valign": "top", "border": 1, "num_format": "dd/mm/yyyy", "align": "center"})
    period = period_vi(report_type, report_year)

    def sheet_with(name: str, heading: str, columns: list[tuple[str, int]]):
        sheet = book.add_worksheet(name)
        sheet.write(0, 0, heading, title)
        sheet.write(1, 0, f"Kỳ báo cáo: {period} · tính đến ngày {vnformat.date(as_of)}", note)
        for col, (label, width) in enumerate(columns):
            sheet.write(3, col, label, header)
            sheet.set_column(col, col, width)
        sheet.set_row(3, 32)
        sheet.freeze_panes(4, 0)
        return sheet

    sheet = sheet_with(
        "DonDoc",
        "DANH SÁCH ĐƠN VỊ CẦN ĐÔN ĐỐC BÁO CÁO CÔNG TÁC BÌNH ĐẲNG GIỚI",
        [
            ("STT", 6), ("Mã đơn vị", 12), ("Tên đơn vị", 34), ("Loại đơn vị", 11), ("Mã tỉnh", 8),
            ("Trạng thái", 11), ("Tình trạng", 20), ("Hạn nộp", 12), ("Ngày nhận báo cáo", 13),
            ("Số ngày muộn / quá hạn", 11), ("Lý do", 46), ("Tệp bị từ chối", 40), ("Lỗi của tệp", 70),
        ],
    )  # fmt: skip
    for i, unit in enumerate(units, start=1):
        row = 3 + i
        received = local_date(unit.first_received_at) if unit.first_received_at else None
        values = [
            (i, number), (unit.unit_code, text), (unit.unit_name, text), (unit.unit_kind_vi, text),
            (unit.province_code, text), (status_names.get(unit.status, unit.status), text), (unit.status_label, text),
        ]  # fmt: skip
        for col, (value, fmt) in enumerate(values):
            sheet.write(row, col, value, fmt)
        sheet.write_datetime(row, 7, dt.datetime.combine(unit.deadline, dt.time()), date)
        if received:
            sheet.write_datetime(row, 8, dt.datetime.combine(received, dt.time()), date)
        else:
            sheet.write_blank(row, 8, None, date)
        sheet.write_number(row, 9, unit.days or 0, number)
        sheet.write(row, 10, unit.reason, text)
        unit_files = unit.rejected_files + unit.likely_files
        sheet.write(row, 11, "\n".join(f["file_name"] for f in unit_files), text)
        sheet.write(row, 12, "\n".join(f["errors"] for f in unit_files), text)
    if units:
        sheet.autofilter(3, 0, 3 + len(units), 12)

    files = [(u.unit_code, u.unit_name, f) for u in units for f in u.rejected_files]
    files += [
        (f["reported_unit_code"] or "", f"(không xác định được đơn vị; {likely_sender(f)})"
         if f["likely_unit_name"] else "(không xác định được đơn vị)", f)
        for f in unattributed
    ]  # fmt: skip
    sheet = sheet_with(
        "TepBiTuChoi",
        "CÁC TỆP BÁO CÁO BỊ TỪ CHỐI",
        [
            ("STT", 6), ("Tệp", 46), ("Thời điểm nhận", 18), ("Mã đơn vị ghi trong tệp", 14), ("Đơn vị", 34),
            ("Mã lỗi", 18), ("Chi tiết lỗi", 80),
        ],
    )  # fmt: skip
    received_format = book.add_format({"valign": "top", "border": 1, "num_format": "dd/mm/yyyy hh:mm"})
    for i, (code, name, f) in enumerate(files, start=1):
        row = 3 + i
        sheet.write(row, 0, i, number)
        sheet.write(row, 1, f["file_name"], text)
        if f["received_at"] is not None:
            local = f["received_at"].astimezone(LOCAL_TZ).replace(tzinfo=None)
            sheet.write_datetime(row, 2, local, received_format)
        else:
            sheet.write_blank(row, 2, None, received_format)
        sheet.write(row, 3, code, text)
        sheet.write(row, 4, name, text)
        sheet.write(row, 5, f["error_codes"], text)
        sheet.write(row, 6, f["errors"], text)

    columns = [("Mã tỉnh", 10), ("Trạng thái", 22), ("Số đơn vị", 12)]
    sheet = sheet_with("TongHop", "TỔNG HỢP TÌNH HÌNH BÁO CÁO", columns)
    row = 4
    for (province, status), n in sorted(counts.items()):
        sheet.write(row, 0, province, text)
        sheet.write(row, 1, status_names.get(status, status), text)
        sheet.write_number(row, 2, n, number)
        row += 1
    sheet.write(row, 0, "", text)
    sheet.write(row, 1, "Tệp không xác định được đơn vị", text)
    sheet.write_number(row, 2, len(unattributed), number)
    book.close()
