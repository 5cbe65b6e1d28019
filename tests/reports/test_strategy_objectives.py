"""The report by the National Strategy's objectives: the HTML section (id muc-tieu-chien-luoc) and the
narrative's part I carry rpt_strategy_objectives, «chưa có số liệu» where the year's file has no value;
Biểu 7 is printed in the HTML report."""

from __future__ import annotations

import re

from report import formatting as vnformat
from report.narrative import document_text
from report.objectives import NO_DATA, SECTION_ID, format_value
from sample.strategy_reference import LEFT_OUT

from .conftest import YEAR


def _section(html: str) -> str:
    start = html.index(f'<section id="{SECTION_ID}"')
    return html[start : html.index("</section>", start)]


def _mart(con):
    return con.execute(
        "select objective_code, target_code, value, unit_vi, attainment_vi, data_source_vi, year_target "
        "from marts.rpt_strategy_objectives where report_year = ? order by objective_order, target_order",
        [YEAR],
    ).fetchall()


def test_the_html_section_follows_the_objectives(built):
    html = built.outputs["html"].read_text(encoding="utf-8")
    section = _section(html)
    assert "Kết quả thực hiện các mục tiêu của Chiến lược quốc gia về bình đẳng giới" in section
    objectives = re.findall(r'data-objective="(\w+)"', section)
    assert objectives == ["MT1", "MT2", "MT3", "MT4", "MT5", "MT6", "QLNN"]
    rows = dict(re.findall(r'<tr data-indicator="(\w+)">(.*?)</tr>', section, re.S))
    mart = _mart(built.con)
    assert set(rows) == {code for _, code, *_ in mart}
    for _, code, value, unit, attainment, source, trajectory in mart:
        row = rows[code]
        shown = re.search(r"<td [^>]*data-value>(.*?)</td>", row).group(1)
        assert shown == format_value(value, unit), code
        assert f">{attainment}</td>" in row
        if source:
            assert source in row
        if trajectory is not None:
            assert format_value(trajectory, unit) in row
    for code in LEFT_OUT:  # the sample's yearly file leaves them out
        assert f"data-value>{NO_DATA}</td>" in rows[code]
    sex_ratio = next(row for row in mart if row[1] == "SEX_RATIO_AT_BIRTH")
    assert sex_ratio[2] is not None and "tệp số liệu năm 2026" in sex_ratio[5]
    assert f"{vnformat.number(sex_ratio[2], 1)} bé trai/100 bé gái" in rows["SEX_RATIO_AT_BIRTH"]
    assert "≤ 109 bé trai/100 bé gái (năm 2030)" in rows["SEX_RATIO_AT_BIRTH"]


def test_the_html_report_prints_biểu_7_and_keeps_the_overdue_tasks(built):
    html = built.outputs["html"].read_text(encoding="utf-8")
    assert 'id="table-plan_tasks"' in html
    assert html.index(f'id="{SECTION_ID}"') < html.index('id="table-summary"')


def test_the_narrative_follows_the_objectives(built):
    text = document_text(built.outputs["narrative"])
    part_one = text[text.index("I. KẾT QUẢ THỰC HIỆN") : text.index("II. ĐÁNH GIÁ CHUNG")]
    headings = re.findall(r"^\d+\. (.*)$", part_one, re.M)
    assert headings[0] == "Tình hình thực hiện chế độ báo cáo"
    assert [h.split(" (")[0] for h in headings[1:7]] == [f"Mục tiêu {n}" for n in range(1, 7)]
    assert headings[7:] == ["Kiện toàn tổ chức bộ máy, bố trí nguồn lực", "Kết quả thực hiện các chỉ tiêu của Kế hoạch"]
    mart = {code: row for _, code, *row in _mart(built.con)}
    for code in LEFT_OUT:
        assert re.search(rf"{NO_DATA} \(mục tiêu đến năm 2030: ", part_one), code
    value, unit, attainment, *_ = mart["SEX_RATIO_AT_BIRTH"]
    assert f"Tỷ số giới tính khi sinh: {format_value(value, unit)} (lộ trình năm {YEAR}: " in part_one
    assert f"– {attainment}; nguồn: tệp số liệu năm {YEAR} (Sở Y tế)." in part_one
    # the objectives' order: leadership under Mục tiêu 1, violence under Mục tiêu 3, communication under 6
    assert part_one.index("lãnh đạo chủ chốt là nữ") < part_one.index("Mục tiêu 2")
    assert part_one.index("Mục tiêu 3") < part_one.index("vụ việc bạo lực") < part_one.index("Mục tiêu 4")
    assert part_one.index("Mục tiêu 6") < part_one.index("lượt người tham gia") < part_one.index("Kiện toàn")
