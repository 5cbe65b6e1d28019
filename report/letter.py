"""The draft reminder letter (công văn đôn đốc) of a province's Sở Nội vụ, as a .docx: in the administrative
style of Nghị định 30/2020/NĐ-CP, addressed to the units that still must act, grouped by status (missing;
rejected, which includes a unit whose file could not be read), with the list of the units to chase (the
late ones too) and of the files no unit can be tied to (with their likely sender) as an appendix. Sent
after the deadline, it says the deadline has passed and asks for the reports by a reply date.
Written by `report.chase.write_chase_list` from what it read in the marts; nothing here reads the warehouse.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from report import formatting as vnformat
from report.chase_units import CHASED_STATUSES, FONT, ChaseUnit, Province, likely_sender, period_vi
from report.documents import document_time, save_docx

GROUP_HEADING_VI = {
    "missing": "Các cơ quan, đơn vị chưa gửi báo cáo",
    "rejected": "Các cơ quan, đơn vị có báo cáo bị từ chối do chưa hợp lệ hoặc không đọc được",
    "late": "Các cơ quan, đơn vị gửi báo cáo muộn",
}
# Who is addressed ('Kính gửi'): the units that still have to send a valid report. Late units already did;
# they are only listed in the appendix.
ADDRESSED_STATUSES = ("missing", "rejected")
REPLY_DAYS = 7  # after the deadline, the letter asks for the report within this many days of its date
DOCUMENT_CODE = "SNV-BĐG"  # Số: …/SNV-BĐG (the gender-equality desk of the Sở Nội vụ)


def write_letter(
    path: Path,
    province: Province,
    units: list[ChaseUnit],
    unattributed: list[dict],
    counts: dict[str, int],
    report_year: int,
    report_type: str,
    as_of: dt.date,
) -> None:
    """Write the draft reminder letter (.docx) of `province`'s Sở Nội vụ to `path`.

    `units` are the province's units to chase (in letter order, `status` their chase status), `unattributed`
    the rejected files no unit can be tied to (file_name, errors, optional likely_unit_name), `counts` the
    province's units per reporting status. Raises OSError
    when `path` cannot be written; the file appears whole or not at all. Every text from the marts
    goes through `vnformat.nfc` (control characters and bidi overrides removed: python-docx raises on a
    control character, so a rejected file named with one would otherwise stop the letter).
    """
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
            run = paragraph.add_run(vnformat.nfc(text))
            run.font.size, run.bold, run.italic = Pt(size), bold, italic
        return paragraph

    center, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    subject = f"công tác bình đẳng giới {period_vi(report_type, report_year)}"

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
    add(right, f"{province.name}, {long_date(as_of)}", size=14, italic=True, align=center)
    add(document, after=6)

    # Kính gửi: the units grouped by status.
    add(document, "Kính gửi:", bold=False, align=center, after=3)
    groups = [(status, [u for u in units if u.status == status]) for status in ADDRESSED_STATUSES]
    groups = [(status, members) for status, members in groups if members]
    for g, (status, members) in enumerate(groups):
        heading = add(document)
        heading.paragraph_format.left_indent = Cm(2)
        run = heading.add_run(vnformat.nfc(f"{GROUP_HEADING_VI[status]} ({len(members)} đơn vị):"))
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
    past_due = deadline is not None and as_of > deadline
    # before the deadline the units have until the deadline; after it, until the reply date
    reply_by = as_of + dt.timedelta(days=REPLY_DAYS) if past_due or deadline is None else deadline

    if past_due:
        opening = (
            f"Thực hiện chế độ báo cáo định kỳ về công tác bình đẳng giới, các cơ quan, đơn vị, UBND các xã, "
            f"phường gửi báo cáo {subject} theo biểu mẫu BDG-1 về Sở Nội vụ chậm nhất ngày "
            f"{vnformat.date(deadline)}. Đến nay đã quá thời hạn {vnformat.integer((as_of - deadline).days)} ngày."
        )
    else:
        opening = (
            f"Thực hiện chế độ báo cáo định kỳ về công tác bình đẳng giới, Sở Nội vụ đề nghị các cơ quan, đơn vị, "
            f"UBND các xã, phường gửi báo cáo {subject} theo biểu mẫu BDG-1 về Sở Nội vụ"
            + (f" chậm nhất ngày {vnformat.date(deadline)}." if deadline else ".")
        )
    add(document, opening, align=justify, indent=True, after=6)
    rate = vnformat.percent(accepted / expected) if expected else vnformat.NA_TEXT
    clauses = [
        text
        for n, text in (
            (missing, f"{vnformat.integer(missing)} đơn vị chưa gửi báo cáo"),
            (
                rejected,
                f"{vnformat.integer(rejected)} đơn vị có báo cáo bị từ chối do không hợp lệ hoặc không đọc được",
            ),
            (late, f"{vnformat.integer(late)} đơn vị gửi báo cáo muộn so với thời hạn"),
        )
        if n
    ]
    add(
        document,
        f"Đến ngày {vnformat.date(as_of)}, Sở Nội vụ đã nhận được báo cáo hợp lệ của {vnformat.integer(accepted)}/"
        f"{vnformat.integer(expected)} đơn vị (đạt {rate}), trong đó {vnformat.integer(counts.get('on_time', 0))} "
        "đơn vị gửi đúng hạn." + (f" Còn {join_vi(clauses)} (danh sách kèm theo)." if clauses else ""),
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
    by = f"chậm nhất ngày {vnformat.date(reply_by)}"
    if missing:
        requests.append(f"Các cơ quan, đơn vị chưa gửi báo cáo khẩn trương hoàn thành, gửi báo cáo về Sở Nội vụ {by}.")
    if rejected:
        requests.append(
            "Các cơ quan, đơn vị có báo cáo bị từ chối hoặc tệp báo cáo không đọc được kiểm tra, sửa các lỗi nêu "
            f"tại danh sách kèm theo (dùng đúng biểu mẫu BDG-1, đúng mã đơn vị) và gửi lại báo cáo {by}."
        )
    if unattributed:
        likely = [f"tệp “{f['file_name']}” {likely_sender(f)}" for f in unattributed if f.get("likely_unit_name")]
        requests.append(
            f"Sở Nội vụ nhận được {vnformat.integer(len(unattributed))} tệp báo cáo không đọc được hoặc ghi sai mã "
            "đơn vị nên chưa xác định chắc chắn được đơn vị gửi (danh sách kèm theo"
            + (f"; trong đó {join_vi(likely)}" if likely else "")
            + f"); đơn vị đã gửi các tệp này đề nghị kiểm tra và gửi lại đúng biểu mẫu {by}."
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
        f"(Kèm theo Công văn số        /{DOCUMENT_CODE} {long_date(as_of)} của Sở Nội vụ)",
        italic=True,
        align=center,
        after=6,
    )
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, label in zip(
        table.rows[0].cells, ("STT", "Tên đơn vị", "Tình trạng", "Số ngày muộn / quá hạn", "Ghi chú"), strict=True
    ):
        cell.paragraphs[0].add_run(vnformat.nfc(label)).bold = True
        cell.paragraphs[0].runs[0].font.size = Pt(12)
    for i, unit in enumerate(units, start=1):
        note = unit.reason
        if unit.rejected_files or unit.likely_files:
            files = unit.rejected_files + unit.likely_files
            note += "; tệp: " + "; ".join(f"{f['file_name']} ({f['error_codes']})" for f in files)
        values = (str(i), f"{unit.unit_name} ({unit.unit_code})", unit.status_label, str(unit.days or 0), note)
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.paragraphs[0].add_run(vnformat.nfc(value)).font.size = Pt(12)
    if unattributed:
        add(document, after=6)
        add(document, "Các tệp không xác định được đơn vị gửi", bold=True, align=center, after=6)
        files = document.add_table(rows=1, cols=4)
        files.style = "Table Grid"
        for cell, label in zip(files.rows[0].cells, ("STT", "Tệp", "Đơn vị có thể đã gửi", "Lỗi"), strict=True):
            cell.paragraphs[0].add_run(vnformat.nfc(label)).bold = True
        for i, f in enumerate(unattributed, start=1):
            sender = vnformat.nfc(f.get("likely_unit_name") or "")
            row = (str(i), f["file_name"], sender, f["errors"])
            for cell, value in zip(files.add_row().cells, row, strict=True):
                cell.paragraphs[0].add_run(vnformat.nfc(value)).font.size = Pt(12)
    document.core_properties.title = vnformat.nfc(f"V/v đôn đốc gửi báo cáo {subject}")
    document.core_properties.author = "Sở Nội vụ"
    save_docx(document, path, document_time(as_of))


def join_vi(parts: list[str]) -> str:
    """'a', 'a và b', 'a, b và c'."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " và " + parts[-1]


def long_date(value: dt.date) -> str:
    """'ngày 05 tháng 01 năm 2027', 'ngày 21 tháng 12 năm 2026': Nghị định 30/2020/NĐ-CP writes a 0 before
    days under 10 and months 1 and 2 only."""
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"
