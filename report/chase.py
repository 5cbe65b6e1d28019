"""The chase list: which units to chase for a period, and a draft reminder letter (công văn đôn đốc).

`write_chase_list` reads `marts.rpt_reporting_status` judged at the as-of date (rebuilding that mart when
it was built for another date), the units' rejected files with their errors, and the rejected files no
unit can be tied to (`expectations.reporting.unattributed_rejected_files`, the same list the
`every_file_attributed_to_a_unit` expectation reports). It writes

- `don_doc_bdg_<year>_<type>.xlsx`: sheet `DonDoc` (one row per unit to chase: status, days late or
  overdue, reason, rejected files and their errors), `TepBiTuChoi` (one row per rejected file, with or
  without a unit) and `TongHop` (counts);
- `cong_van_don_doc_bdg_<year>_<type>.docx` (one per province when the warehouse holds several:
  `…_<province>.docx`): the draft letter of the Sở Nội vụ in the administrative style of Nghị định
  30/2020/NĐ-CP, addressed to the units grouped by status, with the list of units as an appendix.

Units to chase are exactly those `missing`, `rejected` or `late` (late units already sent, but are
reminded of the deadline); `pending` (not yet due) and `on_time` units are never named.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from report import formatting as vnformat

_LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

CHASED_STATUSES = ("missing", "rejected", "late")  # also the order of the groups in the letter
STATUS_VI = {
    "missing": "Chưa gửi báo cáo",
    "rejected": "Báo cáo bị từ chối",
    "late": "Gửi báo cáo muộn",
    "pending": "Chưa đến hạn",
    "on_time": "Đúng hạn",
}
GROUP_HEADING_VI = {
    "missing": "Các cơ quan, đơn vị chưa gửi báo cáo",
    "rejected": "Các cơ quan, đơn vị có báo cáo bị từ chối do chưa hợp lệ",
    "late": "Các cơ quan, đơn vị gửi báo cáo muộn",
}
FONT = "Times New Roman"
REPLY_DAYS = 7  # the letter asks for the report within this many days of the as-of date
DOCUMENT_CODE = "SNV-BĐG"  # Số: …/SNV-BĐG (the gender-equality desk of the Sở Nội vụ)

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
    unit_code: str
    unit_name: str
    unit_kind: str
    province_code: str
    status: str
    deadline: dt.date
    days: int | None  # late: days late; missing/rejected: days overdue at the as-of date
    first_received_at: dt.datetime | None
    rejected_files: list[dict] = field(default_factory=list)

    @property
    def reason(self) -> str:
        if self.status == "late":
            received = _local_date(self.first_received_at)
            return f"Gửi muộn {self.days} ngày (nhận ngày {received}, hạn {vnformat.date(self.deadline)})"
        overdue = f"quá hạn {self.days} ngày" if self.days and self.days > 0 else "đã hết hạn"
        if self.status == "rejected":
            codes = sorted({code for f in self.rejected_files for code in f["error_codes"].split(", ") if code})
            return f"Tệp báo cáo bị từ chối ({', '.join(codes)}), chưa gửi lại tệp hợp lệ; {overdue}"
        return f"Chưa gửi báo cáo; {overdue} (hạn {vnformat.date(self.deadline)})"


@dataclass(frozen=True)
class Province:
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


def write_chase_list(warehouse: Path, report_year: int, report_type: str, out_dir: Path, as_of: dt.date) -> dict:
    """Write the chase workbook and the draft reminder letter(s) for a period, judged at `as_of`.

    Inputs: the warehouse (after `bdg transform`), the period (year, '6T' | 'NAM'), the output folder
    (created), the as-of date (when `marts.rpt_reporting_status` was built for another date, its models
    are rebuilt with dbt for this one, as `bdg status` does).
    Returns {"xlsx": Path, "docx": Path (the first letter), "letters": {province_code: Path},
    "units": [{unit_code, unit_name, province_code, status, days, reason}], "unit_codes": {status: [codes]},
    "unattributed_files": [file names]}.
    Failure modes: ValueError for an unknown report type; duckdb.Error when the marts are missing;
    bdg.transform.TransformError when the rebuild fails; OSError when out_dir cannot be written (no
    partial file is left behind).
    """
    import duckdb

    from bdg.transform import release_dbt_duckdb

    if report_type not in ("6T", "NAM"):
        raise ValueError(f"report_type phải là '6T' hoặc 'NAM', không phải {report_type!r}")
    warehouse = Path(warehouse)
    release_dbt_duckdb()
    _ensure_status_as_of(warehouse, report_year, report_type, as_of)
    with duckdb.connect(str(warehouse)) as con:
        units = _units_to_chase(con, report_year, report_type, as_of)
        counts = _status_counts(con, report_year, report_type)
        unattributed = _unattributed_files(con, report_year, report_type, as_of)
        provinces = _provinces(con)

    from ingest.atomic import atomic_output

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"bdg_{report_year}_{report_type}"
    xlsx = out_dir / f"don_doc_{stem}.xlsx"
    with atomic_output(xlsx) as tmp:
        _write_workbook(tmp, units, unattributed, counts, report_year, report_type, as_of)

    province_codes = sorted({code for code, _ in counts} | {u.province_code for u in units}) or sorted(provinces)
    letters: dict[str, Path] = {}
    for code in province_codes:
        province = provinces.get(code, Province(code, "……"))
        suffix = f"_{code}" if len(province_codes) > 1 else ""
        path = out_dir / f"cong_van_don_doc_{stem}{suffix}.docx"
        province_counts = {status: n for (c, status), n in counts.items() if c == code}
        with atomic_output(path) as tmp:
            _write_letter(
                tmp,
                province,
                [u for u in units if u.province_code == code],
                unattributed,
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


# --- reading -------------------------------------------------------------------------------------------


def _ensure_status_as_of(warehouse: Path, report_year: int, report_type: str, as_of: dt.date) -> None:
    import duckdb

    from bdg.transform import run_dbt

    with duckdb.connect(str(warehouse)) as con:
        built_for = {
            row[0]
            for row in con.execute(
                "select distinct as_of_date from marts.rpt_reporting_status where report_year = ? and report_type = ?",
                [report_year, report_type],
            ).fetchall()
        }
    if built_for != {as_of}:
        run_dbt(["run", "--select", "+rpt_reporting_status"], warehouse, as_of)


def _units_to_chase(con, report_year: int, report_type: str, as_of: dt.date) -> list[ChaseUnit]:
    rows = con.execute(
        """
        select unit_code, unit_name, unit_kind, province_code, status, deadline_date, days_late, first_received_at
        from marts.rpt_reporting_status
        where report_year = ? and report_type = ? and status in ('missing', 'rejected', 'late')
        order by province_code, unit_code
        """,
        [report_year, report_type],
    ).fetchall()
    files = _rejected_files_by_unit(con, report_year, report_type, as_of)
    units = []
    for code, name, kind, province, status, deadline, days_late, first_received in rows:
        days = int(days_late) if status == "late" and days_late is not None else (as_of - deadline).days
        units.append(
            ChaseUnit(
                unit_code=code,
                unit_name=_nfc(name),
                unit_kind=kind,
                province_code=str(province),
                status=status,
                deadline=deadline,
                days=days,
                first_received_at=first_received,
                rejected_files=files.get(code, []),
            )
        )
    order = {status: i for i, status in enumerate(CHASED_STATUSES)}
    return sorted(units, key=lambda u: (u.province_code, order[u.status], u.unit_code))


def _rejected_files_by_unit(con, report_year: int, report_type: str, as_of: dt.date) -> dict[str, list[dict]]:
    """A unit's rejected files of the period (or naming no period), received up to the as-of date."""
    rows = con.execute(
        f"""
        with errors as ({_ERRORS_SQL})
        select
            submissions.unit_code, submissions.file_name, submissions.received_at,
            coalesce(errors.error_codes, '') as error_codes, coalesce(errors.errors, '') as errors
        from marts.fct_submissions as submissions
        left join errors
            on submissions.file_sha256 = errors.file_sha256 and submissions.file_name = errors.file_name
        where
            submissions.status = 'rejected'
            and submissions.unit_code is not null
            and submissions.received_date <= ?
            and (
                (submissions.report_year = ? and submissions.report_type = ?)
                or submissions.report_year is null or submissions.report_type is null
            )
        order by submissions.unit_code, submissions.received_at, submissions.file_name
        """,
        [as_of, report_year, report_type],
    ).fetchall()
    files: dict[str, list[dict]] = {}
    for unit_code, file_name, received_at, codes, errors in rows:
        files.setdefault(unit_code, []).append(
            {"file_name": _nfc(file_name), "received_at": received_at, "error_codes": codes, "errors": _nfc(errors)}
        )
    return files


_ERRORS_SQL = """
    select
        file_sha256,
        file_name,
        string_agg(distinct error_code, ', ' order by error_code) as error_codes,
        string_agg(
            '[' || error_code || '] '
            || case when sheet_name is null then '' else sheet_name || coalesce('!' || cell_ref, '') || ': ' end
            || message_vi,
            chr(10) order by sheet_name nulls first, cell_ref, error_code
        ) as errors
    from staging.stg_raw__ingest_errors
    group by file_sha256, file_name
"""


def _unattributed_files(con, report_year: int, report_type: str, as_of: dt.date) -> list[dict]:
    from expectations.reporting import unattributed_rejected_files

    frame = unattributed_rejected_files(con, report_year, report_type, as_of)
    return [
        {
            "file_name": _nfc(row["file_name"]),
            "received_at": row["received_at"],
            "reported_unit_code": None if _missing(row["reported_unit_code"]) else str(row["reported_unit_code"]),
            "error_codes": row["error_codes"],
            "errors": _nfc(row["errors"]),
        }
        for row in frame.to_dict("records")
    ]


def _status_counts(con, report_year: int, report_type: str) -> dict[tuple[str, str], int]:
    rows = con.execute(
        "select province_code, status, count(*) from marts.rpt_reporting_status "
        "where report_year = ? and report_type = ? group by all",
        [report_year, report_type],
    ).fetchall()
    return {(str(province), status): int(n) for province, status, n in rows}


def _provinces(con) -> dict[str, Province]:
    """Each province of the unit registry with its name: the 34-province table, synthetic 'P02' →
    'Tỉnh mẫu 02', else the name most unit names carry ('Công an tỉnh Lào Cai'), else '……'."""
    names: dict[str, list[str]] = {}
    for code, unit_name in con.execute("select province_code, unit_name from marts.dim_units").fetchall():
        names.setdefault(str(code), []).append(_nfc(unit_name))
    provinces = {}
    for code, unit_names in names.items():
        provinces[code] = Province(code, province_name(code, unit_names))
    return provinces


_IN_NAME = re.compile(r"\b(?:tỉnh|thành phố)\s+((?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ]\w*\s?)+)")


def province_name(province_code: str, unit_names: list[str] = ()) -> str:
    """The province's name for the letter head (see `_provinces`)."""
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


# --- the workbook --------------------------------------------------------------------------------------


def _write_workbook(path: Path, units, unattributed, counts, report_year, report_type, as_of) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"default_format_properties": {"font_name": FONT, "font_size": 12}})
    title = book.add_format({"bold": True, "font_size": 14})
    note = book.add_format({"italic": True})
    header = book.add_format(
        {"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter", "border": 1, "bg_color": "#DDEBF7"}
    )
    text = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    number = book.add_format({"valign": "top", "border": 1, "num_format": "0"})
    date = book.add_format({"valign": "top", "border": 1, "num_format": "dd/mm/yyyy", "align": "center"})
    period = _period_vi(report_type, report_year)

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
        received = unit.first_received_at.astimezone(_LOCAL_TZ).date() if unit.first_received_at else None
        values = [
            (i, number), (unit.unit_code, text), (unit.unit_name, text), (unit.unit_kind, text),
            (unit.province_code, text), (unit.status, text), (STATUS_VI[unit.status], text),
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
        sheet.write(row, 11, "\n".join(f["file_name"] for f in unit.rejected_files), text)
        sheet.write(row, 12, "\n".join(f["errors"] for f in unit.rejected_files), text)
    if units:
        sheet.autofilter(3, 0, 3 + len(units), 12)

    files = [(u.unit_code, u.unit_name, f) for u in units for f in u.rejected_files]
    files += [(f["reported_unit_code"] or "", "(không xác định được đơn vị)", f) for f in unattributed]
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
        if f["received_at"] is not None and not _missing(f["received_at"]):
            local = f["received_at"].astimezone(_LOCAL_TZ).replace(tzinfo=None)
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
        sheet.write(row, 1, STATUS_VI.get(status, status), text)
        sheet.write_number(row, 2, n, number)
        row += 1
    sheet.write(row, 0, "", text)
    sheet.write(row, 1, "Tệp không xác định được đơn vị", text)
    sheet.write_number(row, 2, len(unattributed), number)
    book.close()


# --- the letter ----------------------------------------------------------------------------------------


def _write_letter(path: Path, province: Province, units, unattributed, counts, report_year, report_type, as_of):
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)

    def add(container, text="", *, size=14, bold=False, italic=False, align=None, indent=False, after=0):
        paragraph = container.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        if indent:
            paragraph.paragraph_format.first_line_indent = Cm(1)
        paragraph.paragraph_format.space_after = Pt(after)
        if text:
            run = paragraph.add_run(_nfc(text))
            run.font.size, run.bold, run.italic = Pt(size), bold, italic
        return paragraph

    center, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    subject = f"công tác bình đẳng giới {_period_vi(report_type, report_year)}"

    # Letter head: issuing body and number on the left, national title and date on the right.
    head = document.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    head.autofit = False
    left, right = head.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(9.5)
    for cell in (left, right):
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    add(left, province.authority, size=13, align=center)
    add(left, "SỞ NỘI VỤ", size=13, bold=True, align=center)
    add(left, "―――――――", size=9, align=center, after=6)
    add(left, f"Số:        /{DOCUMENT_CODE}", size=13, align=center)
    add(left, f"V/v đôn đốc gửi báo cáo {subject}", size=12, align=center)
    add(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13, bold=True, align=center)
    add(right, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True, align=center)
    add(right, "――――――――――――――", size=9, align=center, after=6)
    add(right, f"{province.name}, {_long_date(as_of)}", size=14, italic=True, align=center)
    add(document, after=6)

    # Kính gửi: the units grouped by status.
    add(document, "Kính gửi:", bold=False, align=center, after=3)
    groups = [(status, [u for u in units if u.status == status]) for status in CHASED_STATUSES]
    groups = [(status, members) for status, members in groups if members]
    for g, (status, members) in enumerate(groups):
        heading = add(document)
        heading.paragraph_format.left_indent = Cm(2)
        run = heading.add_run(f"{GROUP_HEADING_VI[status]} ({len(members)} đơn vị):")
        run.italic, run.font.size = True, Pt(14)
        for i, unit in enumerate(members):
            last = g == len(groups) - 1 and i == len(members) - 1
            line = add(document, f"- {unit.unit_name}{'.' if last else ';'}")
            line.paragraph_format.left_indent = Cm(2.5)
    if not groups:
        add(document, "Các cơ quan, đơn vị, UBND các xã, phường.", align=center)
    add(document, after=6)

    expected = sum(counts.values())
    accepted = counts.get("on_time", 0) + counts.get("late", 0)
    deadline = units[0].deadline if units else None
    missing, rejected, late = (sum(1 for u in units if u.status == s) for s in CHASED_STATUSES)
    reply_by = as_of + dt.timedelta(days=REPLY_DAYS)

    add(
        document,
        f"Thực hiện chế độ báo cáo định kỳ về công tác bình đẳng giới, Sở Nội vụ đề nghị các cơ quan, đơn vị, "
        f"UBND các xã, phường gửi báo cáo {subject} theo biểu mẫu BDG-1 về Sở Nội vụ"
        + (f" trước ngày {vnformat.date(deadline)}." if deadline else "."),
        align=justify,
        indent=True,
        after=6,
    )
    rate = vnformat.percent(accepted / expected) if expected else vnformat.NA_TEXT
    clauses = [
        text
        for n, text in (
            (missing, f"{vnformat.integer(missing)} đơn vị chưa gửi báo cáo"),
            (rejected, f"{vnformat.integer(rejected)} đơn vị có báo cáo bị từ chối do không hợp lệ"),
            (late, f"{vnformat.integer(late)} đơn vị gửi báo cáo muộn so với thời hạn"),
        )
        if n
    ]
    add(
        document,
        f"Đến ngày {vnformat.date(as_of)}, Sở Nội vụ đã nhận được báo cáo hợp lệ của {vnformat.integer(accepted)}/"
        f"{vnformat.integer(expected)} đơn vị (đạt {rate}), trong đó {vnformat.integer(counts.get('on_time', 0))} "
        "đơn vị gửi đúng hạn." + (f" Còn {_join_vi(clauses)} (danh sách kèm theo)." if clauses else ""),
        align=justify,
        indent=True,
        after=6,
    )
    add(
        document,
        f"Để bảo đảm thời hạn tổng hợp, báo cáo Ủy ban nhân dân {province.level} và Bộ Nội vụ, Sở Nội vụ đề nghị:",
        align=justify,
        indent=True,
        after=6,
    )
    requests = []
    if missing:
        requests.append(
            f"Các cơ quan, đơn vị chưa gửi báo cáo khẩn trương hoàn thành, gửi báo cáo về Sở Nội vụ trước ngày "
            f"{vnformat.date(reply_by)}."
        )
    if rejected:
        requests.append(
            "Các cơ quan, đơn vị có báo cáo bị từ chối kiểm tra, sửa các lỗi nêu tại danh sách kèm theo (dùng đúng "
            f"biểu mẫu BDG-1, đúng mã đơn vị) và gửi lại báo cáo trước ngày {vnformat.date(reply_by)}."
        )
    if late:
        requests.append(
            "Các cơ quan, đơn vị gửi báo cáo muộn rút kinh nghiệm, bảo đảm thời hạn báo cáo trong các kỳ tiếp theo."
        )
    if unattributed:
        requests.append(
            f"Sở Nội vụ nhận được {vnformat.integer(len(unattributed))} tệp báo cáo không đọc được hoặc ghi sai mã "
            "đơn vị nên không xác định được đơn vị gửi (danh sách kèm theo); đơn vị đã gửi các tệp này đề nghị "
            "kiểm tra và gửi lại đúng biểu mẫu."
        )
    for number, request in enumerate(requests, start=1):
        add(document, f"{number}. {request}", align=justify, indent=True, after=6)
    add(
        document,
        "Trong quá trình thực hiện, nếu có vướng mắc, đề nghị liên hệ Sở Nội vụ để được hướng dẫn./.",
        align=justify,
        indent=True,
        after=12,
    )

    # Nơi nhận (left) and signature (right).
    foot = document.add_table(rows=1, cols=2)
    foot.autofit = False
    left, right = foot.rows[0].cells
    left.width, right.width = Cm(8), Cm(8)
    for cell in (left, right):
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    add(left, "Nơi nhận:", size=12, bold=True, italic=True)
    recipients = (
        "- Như trên;",
        f"- UBND {province.level} (để báo cáo);",
        "- Giám đốc Sở (để báo cáo);",
        "- Lưu: VT, BĐG.",
    )
    for line in recipients:
        add(left, line, size=11)
    add(right, "KT. GIÁM ĐỐC", size=14, bold=True, align=center)
    add(right, "PHÓ GIÁM ĐỐC", size=14, bold=True, align=center)
    for _ in range(4):
        add(right)
    add(right, "……………………", size=14, bold=True, align=center)

    # Appendix: the list the letter refers to.
    add(document).add_run().add_break(WD_BREAK.PAGE)
    add(document, "DANH SÁCH ĐƠN VỊ CẦN ĐÔN ĐỐC BÁO CÁO", bold=True, align=center)
    add(
        document,
        f"(Kèm theo Công văn số        /{DOCUMENT_CODE} {_long_date(as_of)} của Sở Nội vụ)",
        italic=True,
        align=center,
        after=6,
    )
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, label in zip(
        table.rows[0].cells, ("STT", "Tên đơn vị", "Tình trạng", "Số ngày muộn / quá hạn", "Ghi chú"), strict=True
    ):
        cell.paragraphs[0].add_run(label).bold = True
        cell.paragraphs[0].runs[0].font.size = Pt(12)
    for i, unit in enumerate(units, start=1):
        note = unit.reason
        if unit.rejected_files:
            note += "; tệp: " + "; ".join(f"{f['file_name']} ({f['error_codes']})" for f in unit.rejected_files)
        values = (str(i), f"{unit.unit_name} ({unit.unit_code})", STATUS_VI[unit.status], str(unit.days or 0), note)
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.paragraphs[0].add_run(_nfc(value)).font.size = Pt(12)
    if unattributed:
        add(document, after=6)
        add(document, "Các tệp không xác định được đơn vị gửi", bold=True, align=center, after=6)
        files = document.add_table(rows=1, cols=3)
        files.style = "Table Grid"
        for cell, label in zip(files.rows[0].cells, ("STT", "Tệp", "Lỗi"), strict=True):
            cell.paragraphs[0].add_run(label).bold = True
        for i, f in enumerate(unattributed, start=1):
            for cell, value in zip(files.add_row().cells, (str(i), f["file_name"], f["errors"]), strict=True):
                cell.paragraphs[0].add_run(_nfc(value)).font.size = Pt(12)
    document.core_properties.title = _nfc(f"V/v đôn đốc gửi báo cáo {subject}")
    document.core_properties.author = "Sở Nội vụ"
    document.save(str(path))


# --- helpers -------------------------------------------------------------------------------------------


def _local_date(moment: dt.datetime | None) -> str:
    return vnformat.date(moment.astimezone(_LOCAL_TZ).date()) if moment is not None else ""


def _join_vi(parts: list[str]) -> str:
    """'a', 'a và b', 'a, b và c'."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " và " + parts[-1]


def _period_vi(report_type: str, report_year: int) -> str:
    return f"6 tháng đầu năm {report_year}" if report_type == "6T" else f"năm {report_year}"


def _long_date(value: dt.date) -> str:
    """'ngày 05 tháng 01 năm 2027', 'ngày 21 tháng 12 năm 2026': Nghị định 30/2020/NĐ-CP writes a 0 before
    days under 10 and months 1 and 2 only."""
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def _nfc(text: object) -> str:
    return unicodedata.normalize("NFC", "" if text is None else str(text))


def _missing(value: object) -> bool:
    return vnformat.is_missing(value)
