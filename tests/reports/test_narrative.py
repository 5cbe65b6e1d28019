"""The draft narrative (.docx): the key figures written out, Vietnamese administrative style."""

from __future__ import annotations

import docx
import pytest

from report import formatting as vnformat
from report.narrative import PLACEHOLDER_MARK, document_text

from .conftest import PERIOD, YEAR


@pytest.fixture(scope="module")
def text(built):
    return document_text(built.outputs["narrative"])


def test_title_header_and_structure(built, text):
    assert "Kết quả thực hiện công tác bình đẳng giới và vì sự tiến bộ của phụ nữ năm 2026" in text
    for heading in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SỞ NỘI VỤ",
                    "I. KẾT QUẢ THỰC HIỆN", "II. ĐÁNH GIÁ CHUNG", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
                    "Nơi nhận:", "GIÁM ĐỐC"):  # fmt: skip
        assert heading in text
    assert PLACEHOLDER_MARK in text
    document = docx.Document(str(built.outputs["narrative"]))
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    fonts = {run.font.name for paragraph in document.paragraphs for run in paragraph.runs}
    assert fonts == {"Times New Roman"}


def test_sentences_carry_the_mart_figures(built, text):
    con = built.con
    expected, received, on_time, missing = con.execute(
        "select count(*), count(*) filter (where status in ('on_time', 'late')), "
        "count(*) filter (where status = 'on_time'), count(*) filter (where status = 'missing') "
        "from marts.rpt_reporting_status where report_year = ? and report_type = ?",
        [YEAR, PERIOD],
    ).fetchone()
    assert (
        f"có {received}/{expected} cơ quan, đơn vị, địa phương gửi báo cáo, đạt {vnformat.percent(received / expected)}"
    ) in text
    assert f"{on_time} đơn vị gửi đúng hạn ({vnformat.percent(on_time / expected)})" in text
    assert f"Còn {missing} đơn vị chưa gửi báo cáo" in text

    detected, handled, supported, victims = con.execute(
        "select sum(cases_detected), sum(cases_handled), sum(victims_supported), sum(victims_female + victims_male) "
        "from marts.fct_gbv_cases where report_year = ? and report_type = ?",
        [YEAR, PERIOD],
    ).fetchone()
    before = con.execute(
        "select sum(cases_detected) from marts.fct_gbv_cases where report_year = ? and report_type = ?",
        [YEAR - 1, PERIOD],
    ).fetchone()[0]
    verb = "tăng" if detected > before else "giảm"
    assert f"phát hiện {vnformat.integer(detected)} vụ việc" in text
    if detected != before:
        assert f"{verb} {vnformat.integer(abs(detected - before))} vụ so với cùng kỳ năm trước" in text
    assert f"đã xử lý {vnformat.integer(handled)} vụ" in text
    supported, victims = con.execute(  # the rate stands on the acts of violence (case_types.is_violence)
        "select sum(victims_supported), sum(victims_female + victims_male) from marts.fct_gbv_cases "
        "where report_year = ? and report_type = ? "
        "and case_type_code in (select case_type_code from reference.case_types where is_violence)",
        [YEAR, PERIOD],
    ).fetchone()
    assert f"có {vnformat.integer(supported)} nạn nhân được hỗ trợ, đạt {vnformat.percent(supported / victims)}" in text

    for group, reporting, with_leader, share, target in con.execute(
        "select unit_group, units_reporting, units_with_female_key_leader, share_of_reporting, target_share "
        "from marts.rpt_leadership_targets where report_year = ?",
        [YEAR],
    ).fetchall():
        sentence = f"Có {with_leader}/{reporting} "
        assert sentence in text, group
        assert f"đạt {vnformat.percent(share)}" in text
        assert f"lộ trình năm {YEAR} ({vnformat.percent_target(target)}; chỉ tiêu" in text  # the year's value

    total = con.execute(
        "select sum(participants_total) from marts.fct_activities where report_year = ? and report_type = ?",
        [YEAR, PERIOD],
    ).fetchone()[0]
    assert f"thu hút {vnformat.integer(total)} lượt người tham gia" in text
