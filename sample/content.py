"""Realistic content of a generated BDG-1 report: activities, cases, leaders, indicators, plan tasks.

A unit's year is drawn in two halves, each from its own random stream: the first half (the 6-month
period, up to 14/5) and the second (15/5 to the annual period's end). The 6-month report carries the first
half's activities and cases, the annual report both halves, so the annual report of a unit is never below
its own 6-month report, whichever of the two the generator writes. Stocks (leaders, indicators, task
statuses) are drawn per report. Numbers are consistent: nữ + nam = tổng, handled ≤ detected, and the
stated allocation covers what the activities cost.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from ingest.form_writer import FormContent
from ingest.reference import CalendarEntry, Unit

COMMUNE_KINDS = ("XA", "PHUONG", "DAC_KHU")
SIX_MONTH_END = (5, 14)  # the default calendar's 6-month period ends 14/5 (sample.reference)

_ACTIVITY_NAMES = {
    "TRUYEN_THONG": (
        "Hội nghị tuyên truyền Luật Bình đẳng giới",
        "Tuyên truyền pháp luật về phòng, chống bạo lực gia đình tại khu dân cư",
        "Hội nghị phổ biến chính sách về bình đẳng giới cho cán bộ, công chức",
    ),
    "TAP_HUAN": (
        "Tập huấn nâng cao năng lực cho cán bộ làm công tác bình đẳng giới",
        "Bồi dưỡng kiến thức về lồng ghép giới trong xây dựng văn bản",
        "Tập huấn kỹ năng phòng ngừa, ứng phó bạo lực trên cơ sở giới",
    ),
    "HOI_THI": ("Hội thi tìm hiểu pháp luật về bình đẳng giới", "Hội thi tuyên truyền viên giỏi về bình đẳng giới"),
    "TOA_DAM": (
        "Tọa đàm về vai trò của phụ nữ trong lãnh đạo, quản lý",
        "Đối thoại chính sách với hội viên phụ nữ",
        "Hội thảo lồng ghép giới trong chương trình nông thôn mới",
    ),
    "TIN_BAI": (
        "Tin, bài về bình đẳng giới trên hệ thống thông tin cơ sở",
        "Tin, bài trên Cổng thông tin điện tử của đơn vị",
    ),
    "CHUYEN_MUC": ("Chuyên mục bình đẳng giới trên trang thông tin điện tử", "Chuyên mục phát thanh về bình đẳng giới"),
    "SAN_PHAM": ("Pano, áp phích tuyên truyền về bình đẳng giới", "Tờ rơi phòng, chống bạo lực gia đình"),
    "KIEM_TRA": (
        "Kiểm tra việc thực hiện pháp luật về bình đẳng giới",
        "Giám sát thực hiện tiêu chí 6.5 nông thôn mới",
    ),
    "GIAO_LUU": ("Giao lưu, học tập kinh nghiệm mô hình phòng, chống bạo lực gia đình",),
    "KHAC": ("Treo băng rôn hưởng ứng Tháng hành động vì bình đẳng giới", "Hỗ trợ sinh kế cho phụ nữ yếu thế"),
}
_ACTIVITY_WEIGHTS = {
    "TRUYEN_THONG": 20, "TAP_HUAN": 12, "HOI_THI": 4, "TOA_DAM": 6, "TIN_BAI": 18,
    "CHUYEN_MUC": 5, "SAN_PHAM": 8, "KIEM_TRA": 6, "GIAO_LUU": 3, "KHAC": 3,
}  # fmt: skip
_PROGRAMME_WEIGHTS = {
    "CHIEN_LUOC": 20, "TRUYEN_THONG_1790": 25, "BLG_625": 18, "LANH_DAO_2282": 8,
    "THANG_HANH_DONG": 15, "NTM_6_5": 6, "KHAC": 4,
}  # fmt: skip
_MEDIA_TYPES = ("TIN_BAI", "CHUYEN_MUC", "SAN_PHAM")
_CASE_WEIGHTS = {
    "BAO_LUC_GIA_DINH": 40, "XAM_HAI_TINH_DUC": 12, "QUAY_ROI": 8, "MUA_BAN_NGUOI": 5,
    "MOI_GIOI_HON_NHAN": 5, "VI_PHAM_BDG": 6, "KHAC": 4,
}  # fmt: skip
_CASE_NOTES = (
    "Hòa giải tại cộng đồng",
    "Chuyển cơ quan công an xử lý",
    "Đã tư vấn, hỗ trợ pháp lý",
    "Xử phạt hành chính",
)
# Tasks of the sample plan (reference/plans/) each kind of unit leads, and the due dates before 31/12.
_PLAN_TASKS = {
    "COMMUNE": ("IV.1.6", "IV.1.7", "IV.2.2", "IV.3.1", "V.3", "V.4"),
    "SO_NGANH": ("IV.1.6", "IV.3.1", "V.4"),
    "SO_NOI_VU": ("III.3", "IV.1.2", "IV.1.6", "IV.3.1", "IV.3.2", "V.4"),
}
_PLAN_TASK_DUE = {"III.3": (4, 30), "IV.1.2": (4, 30), "IV.2.2": (6, 30), "IV.3.2": (5, 31), "V.3": (5, 31)}


def _weighted(rng: random.Random, weights: dict[str, int], k: int = 1) -> list[str]:
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


def report_content(rng: random.Random, unit: Unit, period: CalendarEntry, seed: int) -> FormContent:
    """A plausible report of `unit` for `period`: the halves of the year the period covers (each drawn
    from its own stream of `seed`, so the 6-month and the annual report share the first), the stocks from
    `rng`."""
    is_commune = unit.unit_kind in COMMUNE_KINDS
    split = date(period.report_year, *SIX_MONTH_END)
    halves = [(period.period_start, min(split, period.period_end))]
    if period.period_end > split:
        halves.append((split + timedelta(days=1), period.period_end))
    year = random.Random(f"{seed}:{period.report_year}:{unit.unit_code}:case_types")
    case_types = _distinct(year, _CASE_WEIGHTS, year.randint(1, 4))  # the kinds of cases a unit sees in a year
    activities, gbv_cases = [], {}
    for start, end in halves:
        half = random.Random(f"{seed}:{start.isoformat()}:{unit.unit_code}")
        for row in _activities(half, unit, start, end, is_commune):
            activities.append(row | {"item_no": len(activities) + 1})
        for row in _gbv_cases(half, unit, is_commune, case_types):
            gbv_cases[row["case_type_code"]] = _add_cases(gbv_cases.get(row["case_type_code"]), row)
    spent = sum(row.get("budget_vnd") or 0 for row in activities)
    return FormContent(
        activities=activities,
        gbv_cases=list(gbv_cases.values()),
        leadership=_leadership(rng, unit, is_commune),
        indicators=_indicators(rng, unit, period.period_start, period.period_end, is_commune, spent),
        tasks=_tasks(rng, unit, period),
        prepared_by=rng.choice(("Phòng Văn hóa - Xã hội", "Văn phòng HĐND và UBND"))
        if is_commune
        else rng.choice(("Văn phòng", "Phòng Tổ chức - Hành chính", "Ban Vì sự tiến bộ của phụ nữ")),
    )


def _add_cases(total: dict | None, row: dict) -> dict:
    """The case counts of both halves of a case type (the first half's note kept)."""
    if total is None:
        return dict(row)
    return {key: (value + row[key] if isinstance(value, int) else value or row[key]) for key, value in total.items()}


def _activities(rng, unit: Unit, start: date, end: date, is_commune: bool) -> list[dict]:
    weights = dict(_ACTIVITY_WEIGHTS)
    if is_commune:
        weights["TIN_BAI"] *= 2
    rows = []
    for item_no in range(1, rng.randint(1, 4) + 1):
        activity_type = _weighted(rng, weights)[0]
        programme = _weighted(rng, _PROGRAMME_WEIGHTS)[0]
        first, last = start, end
        if programme == "THANG_HANH_DONG":
            # The action month runs 15/11–15/12 (the one opening the reporting year): the part in this half.
            first, last = max(start, date(end.year - 1, 11, 15)), min(date(end.year - 1, 12, 15), end)
            if first > last:
                programme, first, last = "CHIEN_LUOC", start, end
        activity_date = first + timedelta(days=rng.randint(0, (last - first).days))
        row = {
            "item_no": item_no,
            "activity_type_code": activity_type,
            "programme_code": programme,
            "activity_name": rng.choice(_ACTIVITY_NAMES[activity_type]),
            "activity_date": activity_date,
        }
        if activity_type in _MEDIA_TYPES:
            row |= {
                "delivery_mode_code": "TRUC_TUYEN" if activity_type != "SAN_PHAM" else "TRUC_TIEP",
                "quantity": rng.randint(2, 16),
                "participants_total": None,
                "participants_female": None,
                "participants_male": None,
                "participants_ethnic_minority": None,
                "budget_vnd": rng.choice((None, rng.randint(5, 150) * 100_000)),
            }
        else:
            total = rng.randint(20, 300) if not is_commune else rng.randint(20, 180)
            female = round(total * rng.uniform(0.35, 0.75))
            em_share = rng.uniform(0.2, 0.7) if unit.is_ethnic_minority_area else rng.uniform(0, 0.05)
            row |= {
                "delivery_mode_code": _weighted(rng, {"TRUC_TIEP": 8, "TRUC_TUYEN": 1, "KET_HOP": 2})[0],
                "quantity": rng.choice((1, 1, 1, 1, 2, 3)),
                "participants_total": total,
                "participants_female": female,
                "participants_male": total - female,
                "participants_ethnic_minority": round(total * em_share),
                "budget_vnd": rng.randint(5, 2_500) * 100_000,
            }
        rows.append(row)
    return rows


def _gbv_cases(rng, unit: Unit, is_commune: bool, case_types: list[str]) -> list[dict]:
    scale = 8 if unit.unit_code.endswith("TW01") else (3 if is_commune else 1)  # the provincial police sees most
    rows = []
    for case_type in case_types:
        detected = rng.randint(0, 3 * scale // 2)  # per half: a year's count of a type stays under 10
        handled = rng.randint(max(0, detected - 2), detected)
        victims_female = detected + rng.randint(0, 1 if detected else 0)
        victims_male = rng.randint(0, 1) if detected else 0
        victims = victims_female + victims_male
        rows.append(
            {
                "case_type_code": case_type,
                "cases_detected": detected,
                "cases_handled": handled,
                "victims_female": victims_female,
                "victims_male": victims_male,
                "victims_children": rng.randint(0, min(victims, 2)),
                "victims_supported": round(victims * rng.uniform(0.7, 1.0)),
                "perpetrators_detected": detected,  # one perpetrator per case (draws nothing: same data)
                "perpetrators_counselled": round(detected * rng.uniform(0.4, 1.0)),
                "note": rng.choice(_CASE_NOTES) if detected and rng.random() < 0.3 else None,
            }
        )
    return rows


def _distinct(rng, weights: dict[str, int], k: int) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < k:
        pick = _weighted(rng, weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def _leadership(rng, unit: Unit, is_commune: bool) -> list[dict]:
    rows = []
    # Key leaders: head and deputies (commune: Chủ tịch, Phó Chủ tịch HĐND and UBND).
    key_total = rng.randint(4, 6) if is_commune else rng.randint(2, 5)
    key_female = 0 if rng.random() < 0.35 else rng.randint(1, min(2, key_total))
    groups = [("CHU_CHOT", key_total, key_female)]
    dept_total = rng.randint(3, 8) if is_commune else rng.randint(6, 30)
    groups.append(("CAP_PHONG", dept_total, round(dept_total * rng.uniform(0.15, 0.6))))
    for code, total, female in groups:
        female_em = rng.randint(0, female) if unit.is_ethnic_minority_area and female else 0
        pool_total = rng.randint(total, total * 2 + 2)
        pool_female = round(pool_total * rng.uniform(0.3, 0.6))
        rows.append(
            {
                "position_group_code": code,
                "leaders_total": total,
                "leaders_female": female,
                "leaders_female_ethnic_minority": female_em,
                "pool_total": pool_total,
                "pool_female": pool_female,
                "pool_female_trained": round(pool_female * rng.uniform(0.6, 1.0)),
            }
        )
    return rows


def _indicators(rng, unit: Unit, start: date, end: date, is_commune: bool, spent: int) -> dict[str, object]:
    consolidated = rng.random() < 0.85
    decided = start + timedelta(days=rng.randint(0, max(min((end - start).days, 200), 0)))
    if unit.unit_kind == "XA":
        ntm = rng.choice(("CO", "CO", "KHONG"))
    else:
        ntm = "KHONG_AP_DUNG"
    return {
        "BAN_VSTBPN_KIEN_TOAN": "CO" if consolidated else "KHONG",
        "NGAY_KIEN_TOAN": decided if consolidated else None,
        "SO_CONG_CHUC_BDG": rng.randint(1, 3),
        "SO_NOI_TAM_LANH": (rng.choice((0, 1, 1, 1, 2)) if is_commune else 0),
        "SO_VAN_BAN_LONG_GHEP": rng.randint(0, 5),
        # a unit spends within what it was allocated: the draw, raised to the activities' cost when below
        "KINH_PHI_BDG": max(rng.randint(100, 5_000) * 100_000, -(-spent // 100_000) * 100_000),
        "DAT_NTM_6_5": ntm,
    }


def _tasks(rng, unit: Unit, period: CalendarEntry) -> list[dict]:
    """The NhiemVu rows: the status of the sample plan's tasks the unit leads (`_PLAN_TASKS`). A task due
    by the report's due date is done (a few are still in progress); a later one is in progress or done."""
    if unit.unit_kind in COMMUNE_KINDS:
        codes = _PLAN_TASKS["COMMUNE"]
    elif "nội vụ" in unit.unit_name.lower():
        codes = _PLAN_TASKS["SO_NOI_VU"]
    else:
        codes = _PLAN_TASKS.get(unit.unit_kind, ())
    rows = []
    for code in codes:
        month, day = _PLAN_TASK_DUE.get(code, (12, 31))
        if date(period.report_year, month, day) <= period.due_date:
            status = _weighted(rng, {"HOAN_THANH": 19, "DANG_THUC_HIEN": 1})[0]
        else:
            status = _weighted(rng, {"HOAN_THANH": 3, "DANG_THUC_HIEN": 6, "CHUA_THUC_HIEN": 1})[0]
        result = {"HOAN_THANH": "Đã hoàn thành theo kế hoạch", "DANG_THUC_HIEN": "Đang triển khai"}.get(status)
        rows.append({"task_code": code, "status_code": status, "result_text": result})
    return rows
