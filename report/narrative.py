"""The draft narrative report (.docx) in Vietnamese administrative style, for staff to edit.

"Báo cáo kết quả thực hiện công tác bình đẳng giới và vì sự tiến bộ của phụ nữ năm …": the national
header, the title, then the results written out in sentences — key figures, the comparison with the same
period of the previous year and with the targets — from the frames of `report.figures`, and the
assessment, directions and proposals as marked places for staff to complete. Layout follows the usual
administrative document: A4, Times New Roman 14, margins 2/2/3/2 cm, numbered sections I, II, 1, 2.

`narrative_blocks` is pure (frames in, paragraphs out) so tests can read the sentences directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from report import formatting as vnformat
from report import objectives as strategy
from report.documents import document_time, save_docx
from report.figures import ReportData, period_label, plan_task_summary, value_of
from report.layout import SHEETS

PLACEHOLDER_MARK = "[…]"  # staff complete every paragraph holding this mark (highlighted in the file)
MAX_UNITS_NAMED = 12  # longer lists refer to Biểu 5 instead


@dataclass(frozen=True)
class Block:
    """One paragraph: `style` is 'heading1' (I.), 'heading2' (1.), 'body', 'bullet' or 'placeholder'."""

    style: str
    text: str


def narrative_path(out_dir: Path, report_year: int, report_type: str) -> Path:
    return Path(out_dir) / f"du_thao_bao_cao_bdg_{report_year}_{report_type}.docx"


def report_title(report_year: int, report_type: str) -> str:
    period = f"năm {report_year}" if report_type == "NAM" else f"6 tháng đầu năm {report_year}"
    return f"Kết quả thực hiện công tác bình đẳng giới và vì sự tiến bộ của phụ nữ {period}"


# --------------------------------------------------------------------------------------------------
# Sentences


def _row(frame, code=None, kind="total") -> dict:
    match = frame[frame["row_kind"] == kind] if code is None else frame[frame["code"] == code]
    return {key: value_of(value) for key, value in match.iloc[0].items()} if len(match) else {}


def _lower_first(text) -> str:
    """'Tỷ lệ đơn vị đã kiện toàn Ban …' → 'tỷ lệ đơn vị đã kiện toàn Ban …' (proper nouns kept)."""
    text = vnformat.nfc(text)
    return text[:1].lower() + text[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _n(value) -> str:
    return vnformat.integer(value)


def _p(value) -> str:
    return vnformat.percent(value)


def _compare(tables, code: str, unit: str = "") -> str:
    """', tăng 75 vụ so với cùng kỳ năm trước (1.147 vụ)' from the summary row `code`; '' without data."""
    row = _row(tables["summary"], code)
    value, before, fmt = row.get("value"), row.get("previous"), row.get("format")
    if value is None or before is None:
        return ""
    suffix = f" {unit}" if unit else ""
    if fmt == "pct":
        points = round((value - before) * 100, 1)
        if points == 0:
            return f", bằng cùng kỳ năm trước ({_p(before)})"
        verb = "tăng" if points > 0 else "giảm"
        return f", {verb} {vnformat.number(abs(points), 1)} điểm phần trăm so với cùng kỳ năm trước ({_p(before)})"
    if value == before:
        return f", bằng cùng kỳ năm trước ({_n(before)}{suffix})"
    verb = "tăng" if value > before else "giảm"
    return f", {verb} {_n(abs(value - before))}{suffix} so với cùng kỳ năm trước ({_n(before)}{suffix})"


def _against(value, target) -> str:
    """'đạt chỉ tiêu (≥ 90%)' / 'chưa đạt chỉ tiêu (90%)'."""
    if value is None or target is None:
        return "chưa đủ số liệu để đánh giá so với chỉ tiêu"
    met = value >= target - 1e-9
    return f"{'đạt' if met else 'chưa đạt'} chỉ tiêu {vnformat.percent_target(target)}"


def _against_path(value, path, final, report_year: int) -> str:
    """'đạt lộ trình năm 2026 (63%; chỉ tiêu 75% đến năm 2030)' where the tables give the year's path and
    the final target apart (Biểu 2, 3); else as `_against`."""
    if final is None:
        return _against(value, path)
    if value is None or path is None:
        return f"chưa đủ số liệu để đánh giá so với chỉ tiêu {vnformat.percent_target(final)} đến năm 2030"
    met = value >= path - 1e-9
    return (
        f"{'đạt' if met else 'chưa đạt'} lộ trình năm {report_year} ({vnformat.percent_target(path)}; chỉ tiêu "
        f"{vnformat.percent_target(final)} đến năm 2030)"
    )


def _names(frame, status: str) -> str:
    rows = frame[frame["status"] == status]
    names = [vnformat.nfc(value_of(name)) for name in rows["label"]]
    if not names:
        return ""
    if len(names) > MAX_UNITS_NAMED:
        return f"{len(names)} đơn vị (danh sách tại Biểu 5)"
    return ", ".join(names)


def plan_task_sentence(data: ReportData) -> str:
    """How many of the plan year's tasks are done and how many overdue (Biểu 7); '' when no plan."""
    summary = plan_task_summary(data.tables["plan_tasks"])
    if not summary["tasks"]:
        return ""
    when = f"tính đến ngày {vnformat.date(summary['as_of'])}" if summary["as_of"] else "đến nay"
    return (
        f"Trong {_n(summary['tasks'])} nhiệm vụ của Kế hoạch năm {summary['plan_year']}, có {_n(summary['done'])} "
        f"nhiệm vụ đã được tất cả đơn vị chủ trì báo cáo hoàn thành và {_n(summary['overdue'])} nhiệm vụ quá hạn "
        f"{when} (chi tiết tại {SHEETS['plan_tasks']})."
    )


def strategy_blocks(data: ReportData) -> list[dict]:
    """The year's Strategy indicators grouped by objective (`report.objectives.objective_blocks`)."""
    if data.strategy_objectives is None:
        return []
    names = {province.code: province.name for province in data.provinces}
    return strategy.objective_blocks(data.strategy_objectives, names)


def strategy_sentence(indicator: dict, report_year: int) -> str:
    """One Strategy indicator written out: value, the year's path, the final target, attainment, source."""
    where = f" ({indicator['province']})" if indicator["province"] else ""
    target = f"mục tiêu đến năm {indicator['target_year']}: {indicator['target']}"
    if not indicator["has_value"]:
        return f"{indicator['name']}{where}: {strategy.NO_DATA} ({target})."
    return (
        f"{indicator['name']}{where}: {indicator['value']} (lộ trình năm {report_year}: {indicator['trajectory']}; "
        f"{target}) – {indicator['attainment']}; nguồn: {indicator['source']}."
    )


def strategy_names(blocks: list[dict], attainment_code: str, exclude: set | frozenset = frozenset()) -> str:
    """The Strategy indicators with that attainment (codes in `exclude` left out), named in lower case,
    '; '-separated ('' for none)."""
    names = dict.fromkeys(
        _lower_first(indicator["name"])
        for block in blocks
        for indicator in block["indicators"]
        if indicator["attainment_code"] == attainment_code and indicator["code"] not in exclude
    )
    return "; ".join(names)


def narrative_blocks(data: ReportData) -> list[Block]:
    """The narrative's paragraphs, in order (header and signature excluded)."""
    tables = data.tables
    blocks: list[Block] = []

    def h1(text):
        blocks.append(Block("heading1", text))

    def h2(text):
        blocks.append(Block("heading2", text))

    def body(text):
        blocks.append(Block("body", vnformat.nfc(text)))

    def bullet(text):
        blocks.append(Block("bullet", vnformat.nfc(text)))

    def todo(text):
        blocks.append(Block("placeholder", f"{PLACEHOLDER_MARK} {text}"))

    status = _row(tables["reporting_status"])
    period = "năm" if data.report_type == "NAM" else "6 tháng đầu năm"
    as_of = vnformat.date(data.as_of) if data.as_of else "ngày lập báo cáo"
    body(
        "Thực hiện Luật Bình đẳng giới và các văn bản hướng dẫn thi hành; Nghị quyết số 28/NQ-CP ngày 03/3/2021 "
        "của Chính phủ ban hành Chiến lược quốc gia về bình đẳng giới và các chương trình, kế hoạch về bình đẳng "
        f"giới, vì sự tiến bộ của phụ nữ; trên cơ sở báo cáo của {_n(status.get('received'))} cơ quan, đơn vị, "
        f"địa phương, Sở Nội vụ báo cáo kết quả thực hiện công tác bình đẳng giới và vì sự tiến bộ của phụ nữ "
        f"{period} {data.report_year} như sau:"
    )

    h1("I. KẾT QUẢ THỰC HIỆN")
    # 1. Reporting
    h2("1. Tình hình thực hiện chế độ báo cáo")
    body(
        f"Tính đến ngày {as_of}, có {_n(status.get('received'))}/{_n(status.get('units_expected'))} cơ quan, đơn "
        f"vị, địa phương gửi báo cáo, đạt {_p(status.get('reporting_rate'))}"
        f"{_compare(tables, 'reporting_rate')}; trong đó {_n(status.get('on_time'))} đơn vị gửi đúng hạn "
        f"({_p(status.get('on_time_rate'))}), {_n(status.get('late'))} đơn vị gửi muộn. Còn "
        f"{_n(status.get('missing'))} đơn vị chưa gửi báo cáo và {_n(status.get('rejected'))} đơn vị có báo cáo "
        "không hợp lệ, phải gửi lại."
    )
    chase = tables["units_to_chase"]
    for code, text in (("missing", "Đơn vị chưa gửi báo cáo"), ("rejected", "Đơn vị có báo cáo không hợp lệ")):
        names = _names(chase, code)
        if names:
            bullet(f"{text}: {names}.")

    # 2–7. The National Strategy's six objectives (NQ 28/NQ-CP), each with what the reports show and the
    # Strategy's indicators (rpt_strategy_objectives): the form's figures and the yearly file's
    plan = tables["plan_targets"]
    number = iter(range(2, 100))
    objective_blocks = strategy_blocks(data)
    blocks_by_code = {block["code"]: block for block in objective_blocks}

    def objective(code: str) -> None:
        block = blocks_by_code.get(code)
        h2(f"{next(number)}. {strategy.heading(block) if block else 'Mục tiêu ' + code.removeprefix('MT')}")

    def strategy_bullets(block) -> None:
        for indicator in block["indicators"] if block else []:
            bullet(strategy_sentence(indicator, data.report_year))

    # Mục tiêu 1: women in leadership
    objective("MT1")
    for record in tables["leadership"][tables["leadership"]["row_kind"] == "item"].to_dict("records"):
        record = {key: value_of(value) for key, value in record.items()}
        share = record["share_of_reporting"]
        group = (
            "cơ quan quản lý nhà nước, chính quyền cấp tỉnh"
            if record["code"] == "state_agency"
            else "chính quyền cấp xã"
        )
        body(
            f"Có {_n(record['units_with_female_key_leader'])}/{_n(record['units_reporting'])} {group} đã báo cáo có "
            f"lãnh đạo chủ chốt là nữ, đạt {_p(record['share_of_reporting'])}"
            f"{_compare(tables, 'female_key_leader_' + record['code'])}, "
            f"{_against_path(share, record['target_share'], record.get('final_target_share'), data.report_year)}."
        )
    pool, trained = _row(plan, "POOL_FEMALE_SHARE"), _row(plan, "POOL_FEMALE_TRAINED")
    if pool and trained:
        body(
            f"Tỷ lệ nữ trong quy hoạch các chức danh lãnh đạo, quản lý là {_p(pool.get('result'))}, "
            f"{_against(pool.get('result'), pool.get('goal'))}; tỷ lệ nữ trong quy hoạch được đào tạo, bồi dưỡng "
            f"là {_p(trained.get('result'))}, {_against(trained.get('result'), trained.get('goal'))}."
        )
    em = _row(plan, "EM_FEMALE_LEADER")
    if em and em.get("units_assessed"):
        body(
            f"Ở địa bàn có đồng bào dân tộc thiểu số, {_n(em.get('units_met'))}/{_n(em.get('units_assessed'))} đơn "
            f"vị có cán bộ lãnh đạo nữ là người dân tộc thiểu số ({_p(em.get('result'))})."
        )

    strategy_bullets(blocks_by_code.get("MT1"))

    # Mục tiêu 2: economy, labour, employment (the yearly file of Strategy indicators)
    objective("MT2")
    strategy_bullets(blocks_by_code.get("MT2"))

    # Mục tiêu 3: family life and gender-based violence
    objective("MT3")
    gbv = _row(tables["gbv_cases"])
    victims = (gbv.get("victims_female") or 0) + (gbv.get("victims_male") or 0)
    handled_share = gbv["cases_handled"] / gbv["cases_detected"] if gbv.get("cases_detected") else None
    body(
        f"Toàn tỉnh phát hiện {_n(gbv.get('cases_detected'))} vụ việc bạo lực trên cơ sở giới và vi phạm pháp luật "
        f"về bình đẳng giới{_compare(tables, 'cases_detected', 'vụ')}; đã xử lý {_n(gbv.get('cases_handled'))} vụ "
        f"({_p(handled_share)}). Số nạn nhân là {_n(victims)} người (nữ {_n(gbv.get('victims_female'))}, nam "
        f"{_n(gbv.get('victims_male'))}), trong đó {_n(gbv.get('victims_children'))} trẻ em."
    )
    # the rates stand on the acts of violence (Biểu 2's row 'violence'), not on every case type
    violence = _row(tables["gbv_cases"], "violence") or gbv
    support, counselling, year = violence.get("support_rate"), violence.get("counselling_rate"), data.report_year
    final_counselling = violence.get("counselling_final_target")
    body(
        f"Đối với các hành vi bạo lực trên cơ sở giới, có {_n(violence.get('victims_supported'))} nạn nhân được hỗ "
        f"trợ, đạt {_p(violence.get('support_rate'))}{_compare(tables, 'support_rate')}, "
        f"{_against_path(support, violence.get('support_target'), violence.get('support_final_target'), year)}; "
        f"{_n(violence.get('perpetrators_counselled'))} người gây bạo lực được tư vấn, bằng "
        f"{_p(violence.get('counselling_rate'))} số người gây bạo lực được phát hiện"
        f"{_compare(tables, 'counselling_rate')}, "
        f"{_against_path(counselling, violence.get('counselling_target'), final_counselling, year)}."
    )
    cases = tables["gbv_cases"]
    top_case = cases[cases["row_kind"] == "item"].sort_values("cases_detected", ascending=False).head(1)
    if len(top_case) and int(top_case["cases_detected"].iloc[0] or 0) > 0:
        record = top_case.iloc[0]
        body(
            f"Loại vụ việc được phát hiện nhiều nhất là {_lower_first(record['label'])} "
            f"({_n(record['cases_detected'])} vụ)."
        )

    strategy_bullets(blocks_by_code.get("MT3"))

    for code in ("MT4", "MT5"):  # health, education: the yearly file only
        objective(code)
        strategy_bullets(blocks_by_code.get(code))

    # Mục tiêu 6: communication
    objective("MT6")
    activities = _row(tables["activities"])
    female_share = (
        activities["participants_female"] / activities["participants_total"]
        if activities.get("participants_total")
        else None
    )
    body(
        f"Các cơ quan, đơn vị, địa phương đã tổ chức {_n(activities.get('activities'))} hoạt động"
        f"{_compare(tables, 'activities', 'hoạt động')}, thu hút {_n(activities.get('participants_total'))} lượt "
        f"người tham gia{_compare(tables, 'participants_total', 'lượt')}; trong đó nữ "
        f"{_n(activities.get('participants_female'))} lượt ({_p(female_share)}), người dân tộc thiểu số "
        f"{_n(activities.get('participants_ethnic_minority'))} lượt. Tổng kinh phí thực hiện "
        f"{vnformat.money(activities.get('budget_vnd'))}."
    )
    frame = tables["activities"]
    by_programme = frame[(frame["row_kind"] == "item") & (frame["dimension"] == "programme_code")]
    top = by_programme.sort_values("activities", ascending=False).head(3)
    if len(top) and int(top["activities"].iloc[0] or 0) > 0:
        parts = [f"{vnformat.nfc(r['label'])} ({_n(r['activities'])} hoạt động)" for r in top.to_dict("records")]
        body("Các chương trình có nhiều hoạt động nhất: " + "; ".join(parts) + ".")
    sessions = _row(plan, "COMM_SESSIONS_PER_UNIT")
    if sessions:
        body(
            f"Có {_n(sessions.get('units_met'))}/{_n(sessions.get('units_assessed'))} đơn vị tổ chức đủ số cuộc "
            f"truyền thông theo chỉ tiêu ({vnformat.nfc(sessions.get('target_level'))}), đạt "
            f"{_p(sessions.get('result'))} số đơn vị."
        )
    news = tables["news_by_quarter"]
    news_target = _row(plan, "NEWS_ITEMS_PER_QUARTER_COMMUNE")
    if len(news):
        quarters = "; ".join(
            f"quý {r['code']}: {vnformat.number(value_of(r['news_per_commune']), 1)} tin, bài/xã"
            for r in news.to_dict("records")
        )
        text = f"Bình quân số tin, bài về bình đẳng giới trên hệ thống thông tin cơ sở của cấp xã: {quarters}."
        if news_target:
            text += (
                f" Có {_n(news_target.get('units_met'))}/{_n(news_target.get('units_assessed'))} xã, phường, đặc "
                f"khu đạt chỉ tiêu ({vnformat.nfc(news_target.get('target_level'))}) trong tất cả các quý."
            )
        body(text)

    strategy_bullets(blocks_by_code.get("MT6"))

    # Institutions (state management: no objective of the Strategy states it)
    h2(f"{next(number)}. Kiện toàn tổ chức bộ máy, bố trí nguồn lực")
    indicators = tables["indicators"]
    ban = _row(indicators, "BAN_VSTBPN_KIEN_TOAN")
    staff = _row(indicators, "SO_CONG_CHUC_BDG")
    shelters = _row(indicators, "SO_NOI_TAM_LANH")
    communes = _row(indicators, "XA_CO_NOI_TAM_LANH")
    laws = _row(indicators, "SO_VAN_BAN_LONG_GHEP")
    budget = _row(indicators, "KINH_PHI_BDG")
    ntm = _row(indicators, "DAT_NTM_6_5")
    body(
        f"Có {_n(ban.get('value'))}/{_n(ban.get('units_reporting'))} đơn vị đã kiện toàn Ban Vì sự tiến bộ của phụ "
        f"nữ ({_p(ban.get('share'))}){_compare(tables, 'ban_consolidated_share')}, "
        f"{_against(ban.get('share'), ban.get('target'))}. Các đơn vị bố trí {_n(staff.get('value'))} công chức phụ "
        f"trách công tác bình đẳng giới; {_n(laws.get('value'))} văn bản quy phạm pháp luật được lồng ghép vấn đề "
        f"bình đẳng giới; kinh phí bố trí cho công tác bình đẳng giới {vnformat.money(budget.get('value'))}."
    )
    body(
        f"Cấp xã có {_n(shelters.get('value'))} nơi tạm lánh hỗ trợ người bị bạo lực trên cơ sở giới; "
        f"{_n(communes.get('value'))}/{_n(communes.get('units_reporting'))} xã, phường, đặc khu có ít nhất 01 nơi "
        f"tạm lánh ({_p(communes.get('share'))})."
        + (
            f" Có {_n(ntm.get('value'))}/{_n(ntm.get('units_reporting'))} xã đạt tiêu chí 6.5 về bảo đảm bình đẳng "
            f"giới và phòng ngừa, ứng phó với bạo lực trên cơ sở giới trong Bộ tiêu chí nông thôn mới "
            f"({_p(ntm.get('share'))})."
            if ntm.get("units_reporting")
            else ""
        )
    )
    strategy_bullets(blocks_by_code.get(strategy.STATE_AGENCY_OBJECTIVE))

    # The plan's targets (Biểu 6) and tasks (Biểu 7)
    h2(f"{next(number)}. Kết quả thực hiện các chỉ tiêu của Kế hoạch")
    met = [r for r in plan.to_dict("records") if value_of(r["assessment"]) == "Đạt"]
    unmet = [r for r in plan.to_dict("records") if value_of(r["assessment"]) == "Chưa đạt"]
    body(
        f"Trong {_n(len(plan))} chỉ tiêu được theo dõi, có {_n(len(met))} chỉ tiêu đạt và {_n(len(unmet))} chỉ tiêu "
        "chưa đạt (chi tiết tại Biểu 6)."
    )
    for record in met + unmet:
        goal = vnformat.percent_target(value_of(record["goal"]))
        assessment = _lower_first(value_of(record["assessment"]))
        bullet(f"{vnformat.nfc(record['label'])}: {_p(value_of(record['result']))} (mục tiêu {goal}) – {assessment}.")
    sentence = plan_task_sentence(data)
    if sentence:
        body(sentence)

    h1("II. ĐÁNH GIÁ CHUNG")
    h2("1. Kết quả đạt được")
    if met:
        body("Các chỉ tiêu đã đạt: " + "; ".join(_lower_first(r["label"]) for r in met) + ".")
    todo("Đánh giá kết quả nổi bật, mô hình hiệu quả, sự vào cuộc của các cấp, các ngành.")
    h2("2. Tồn tại, hạn chế và nguyên nhân")
    problems = []
    if unmet:
        problems.append("chưa đạt các chỉ tiêu: " + "; ".join(_lower_first(r["label"]) for r in unmet))
    if status.get("missing") or status.get("rejected") or status.get("late"):
        problems.append(
            f"còn {_n(status.get('missing'))} đơn vị chưa gửi báo cáo, {_n(status.get('rejected'))} đơn vị có báo "
            f"cáo không hợp lệ và {_n(status.get('late'))} đơn vị gửi báo cáo muộn"
        )
    if problems:
        body(_upper_first("; ".join(problems)) + ".")
    # the Strategy's indicators Biểu 6 does not already judge
    judged = {value_of(code) for code in plan["code"]} if "code" in plan else set()
    behind = strategy_names(objective_blocks, "CHUA_DAT", judged)
    if behind:
        body(f"Các chỉ tiêu của Chiến lược chưa đạt lộ trình năm {data.report_year}: {behind}.")
    no_data = strategy_names(objective_blocks, "CHUA_CO_SO_LIEU", judged)
    if no_data:
        body(f"Các chỉ tiêu của Chiến lược {strategy.NO_DATA}: {no_data}.")
    todo("Phân tích nguyên nhân chủ quan, khách quan của các tồn tại, hạn chế.")

    h1("III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")
    for record in unmet:
        bullet(f"Tập trung chỉ đạo thực hiện chỉ tiêu: {_lower_first(record['label'])}.")
    if status.get("missing") or status.get("rejected"):
        bullet("Đôn đốc các cơ quan, đơn vị, địa phương thực hiện đầy đủ, đúng hạn chế độ báo cáo.")
    if no_data:
        bullet(
            "Phối hợp với các cơ quan thống kê, y tế, giáo dục, lao động thu thập số liệu các chỉ tiêu của Chiến lược "
            "chưa có số liệu."
        )
    todo("Bổ sung các nhiệm vụ trọng tâm của kỳ tiếp theo.")

    h1("IV. ĐỀ XUẤT, KIẾN NGHỊ")
    todo("Đề xuất, kiến nghị với Bộ Nội vụ, Ủy ban nhân dân tỉnh (nếu có).")

    body(
        "Trên đây là báo cáo kết quả thực hiện công tác bình đẳng giới và vì sự tiến bộ của phụ nữ "
        f"{period} {data.report_year}, Sở Nội vụ kính báo cáo Bộ Nội vụ, Ủy ban nhân dân tỉnh./."
    )
    return blocks


# --------------------------------------------------------------------------------------------------
# Document


def render_narrative(data: ReportData, path: Path) -> Path:
    """Render the narrative of `data` as a .docx at `path` (written atomically, dated by the as-of date:
    the same marts give the same bytes); returns `path`."""
    return save_docx(_document(data), Path(path), document_time(data.as_of, data.report_year))


def _font(run, size: float | None = None, *, bold=None, italic=None, underline=None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = "Times New Roman"
    run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Times New Roman")
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    if underline is not None:
        run.underline = underline


def _paragraph(container, text: str = "", *, size=14, bold=False, italic=False, align=None, indent=True):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.15
    if align == "center":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent:
            fmt.first_line_indent = Cm(1.27)
    if text:
        _font(paragraph.add_run(vnformat.nfc(text)), size, bold=bold, italic=italic)
    return paragraph


def _document(data: ReportData):
    import docx
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Cm, Pt

    document = docx.Document()
    document.core_properties.title = vnformat.nfc(report_title(data.report_year, data.report_type))
    document.core_properties.author = "Sở Nội vụ"
    document.core_properties.language = "vi-VN"
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(14)
    for section in document.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
        section.left_margin, section.right_margin = Cm(3), Cm(2)

    # National header: the issuing agency on the left, the national motto on the right.
    header = document.add_table(rows=1, cols=2)
    header.autofit = False
    left, right = header.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(9.5)
    left.paragraphs[0].text = ""
    agency = [
        (data.authority, 13, False, False),
        ("SỞ NỘI VỤ", 13, True, False),
        ("Số:       /BC-SNV", 13, False, False),
    ]
    nation = [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, True, False),
        ("Độc lập - Tự do - Hạnh phúc", 14, True, False),
        (f"{data.place}, ngày    tháng    năm {data.report_year}", 14, False, True),
    ]
    for cell, lines in ((left, agency), (right, nation)):
        first = True
        for text, size, bold, italic in lines:
            paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
            first = False
            paragraph.alignment = 1  # center
            paragraph.paragraph_format.space_after = Pt(2)
            run = paragraph.add_run(vnformat.nfc(text))
            _font(run, size, bold=bold, italic=italic, underline=text.startswith("Độc lập"))

    _paragraph(document, "BÁO CÁO", size=14, bold=True, align="center").paragraph_format.space_before = Pt(18)
    _paragraph(document, report_title(data.report_year, data.report_type), size=14, bold=True, align="center")
    _paragraph(document, "Kính gửi: Bộ Nội vụ", size=14, align="center")

    for block in narrative_blocks(data):
        if block.style == "heading1":
            _paragraph(document, block.text, bold=True, indent=True)
        elif block.style == "heading2":
            _paragraph(document, block.text, bold=True, indent=True)
        elif block.style == "bullet":
            _paragraph(document, f"- {block.text}")
        elif block.style == "placeholder":
            paragraph = _paragraph(document)
            run = paragraph.add_run(vnformat.nfc(block.text))
            _font(run, 14, italic=True)
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        else:
            _paragraph(document, block.text)

    # Recipients and signature.
    footer = document.add_table(rows=1, cols=2)
    left, right = footer.rows[0].cells
    lines = [("Nơi nhận:", 12, True, True), ("- Bộ Nội vụ (báo cáo);", 11, False, False),
             ("- UBND tỉnh (báo cáo);", 11, False, False), ("- Lưu: VT, …", 11, False, False)]  # fmt: skip
    for index, (text, size, bold, italic) in enumerate(lines):
        paragraph = left.paragraphs[0] if index == 0 else left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        _font(paragraph.add_run(vnformat.nfc(text)), size, bold=bold, italic=italic)
    for index, (text, bold) in enumerate((("GIÁM ĐỐC", True), ("", False), ("", False), ("", False))):
        paragraph = right.paragraphs[0] if index == 0 else right.add_paragraph()
        paragraph.alignment = 1
        if text:
            _font(paragraph.add_run(text), 14, bold=bold)
    note = _paragraph(
        document,
        "(Dự thảo tạo tự động từ kho dữ liệu báo cáo bình đẳng giới, số liệu "
        + period_label(data.report_year, data.report_type).lower()
        + (f" tính đến ngày {vnformat.date(data.as_of)}" if data.as_of else "")
        + "; các đoạn đánh dấu […] cần cán bộ hoàn thiện.)",
        size=11,
        italic=True,
        indent=False,
    )
    note.paragraph_format.space_before = Pt(12)
    return document


def document_text(path: Path) -> str:
    """All text of a .docx (paragraphs and table cells), for tests and previews."""
    import docx

    document = docx.Document(str(path))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(paragraph.text for paragraph in cell.paragraphs)
    return "\n".join(parts)
