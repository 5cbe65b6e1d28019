"""Reference data for the sample province (Bắc Ninh, 24) and for synthetic provinces.

The shipped `reference/*.csv` files are produced by this module (`python -m sample.reference`), and
`bdg generate` uses the same functions for the provinces it invents, so both look alike.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import date
from pathlib import Path

from ingest.reference import (
    CALENDAR_COLUMNS,
    CALENDAR_FILE,
    DEFAULT_REFERENCE_DIR,
    TARGET_COLUMNS,
    TARGETS_FILE,
    UNIT_COLUMNS,
    UNITS_FILE,
    CalendarEntry,
    Target,
    Unit,
    write_csv,
)

SAMPLE_PROVINCE_CODE = "24"
SAMPLE_PROVINCE_NAME = "Bắc Ninh"
SAMPLE_SEED = 24
CALENDAR_YEARS = (2024, 2025, 2026, 2027)

# Units are registered from before the first calendar year so every shipped period has expected units.
REGISTRY_START = date(2024, 1, 1)
# The sample merger: one commune is merged into another at the end of June 2026.
MERGER_DATE = date(2026, 6, 30)

# Provincial units in registry order (their codes, SO01… and TW01…, follow it), each with is_state_agency:
# true only for state administrative agencies (cơ quan hành chính nhà nước, Luật Tổ chức Chính phủ and
# Luật Tổ chức chính quyền địa phương): the office and the departments and boards under UBND tỉnh, and the
# provincial bodies of ministries. Public service units (đơn vị sự nghiệp công lập), the apparatus of the
# elected bodies, project boards and bank branches are not.
DEPARTMENTS = (
    ("Văn phòng UBND tỉnh", True),
    ("Sở Nội vụ", True),
    ("Sở Tư pháp", True),
    ("Sở Tài chính", True),
    ("Sở Công Thương", True),
    ("Sở Nông nghiệp và Môi trường", True),
    ("Sở Xây dựng", True),
    ("Sở Khoa học và Công nghệ", True),
    ("Sở Giáo dục và Đào tạo", True),
    ("Sở Y tế", True),
    ("Sở Văn hóa, Thể thao và Du lịch", True),
    ("Sở Ngoại vụ", True),
    ("Sở Dân tộc và Tôn giáo", True),
    ("Thanh tra tỉnh", True),
    ("Ban Quản lý các khu công nghiệp tỉnh", True),  # state management of the industrial zones (NĐ 35/2022)
    ("Báo và Phát thanh, Truyền hình tỉnh", False),  # đơn vị sự nghiệp công lập
    ("Trường Chính trị tỉnh", False),  # đơn vị sự nghiệp công lập
    ("Văn phòng Đoàn ĐBQH và HĐND tỉnh", False),  # serves HĐND (cơ quan quyền lực nhà nước), not UBND
    ("Ban Quản lý dự án đầu tư xây dựng tỉnh", False),  # đơn vị sự nghiệp công lập
)
MASS_ORGANISATIONS = (  # tổ chức chính trị - xã hội: never state agencies
    ("Ủy ban MTTQ Việt Nam tỉnh", False),
    ("Hội Liên hiệp Phụ nữ tỉnh", False),
    ("Tỉnh đoàn", False),
    ("Hội Nông dân tỉnh", False),
    ("Liên đoàn Lao động tỉnh", False),
    ("Hội Cựu chiến binh tỉnh", False),
)
CENTRAL_AGENCIES = (
    ("Công an tỉnh", True),  # Bộ Công an
    ("Bảo hiểm xã hội tỉnh", True),  # BHXH Việt Nam: among the cơ quan thuộc Chính phủ NQ 28/NQ-CP counts
    ("Thuế tỉnh", True),  # Bộ Tài chính
    ("Chi nhánh Ngân hàng Chính sách xã hội tỉnh", False),  # a bank branch
)

# Syllables of plausible commune names (Hán-Việt place-name vocabulary).
_FIRST = (
    "An", "Bình", "Đông", "Tân", "Phú", "Hòa", "Xuân", "Yên", "Quang", "Đại", "Trung", "Kim", "Lạc",
    "Mỹ", "Thanh", "Hương", "Nghĩa", "Phúc", "Vân", "Long", "Tiên", "Hợp", "Cao", "Đức", "Thái",
    "Minh", "Vĩnh", "Nam", "Bắc", "Hải", "Lương", "Gia", "Thuận", "Quế", "Văn", "Song", "Liên",
)  # fmt: skip
_SECOND = (
    "Phong", "Sơn", "Hà", "Lâm", "Thịnh", "Hưng", "Lợi", "Mỹ", "Đức", "Hòa", "Bình", "Thành", "Lộc",
    "Tiến", "Khánh", "Ninh", "Châu", "Dương", "Giang", "Lĩnh", "Cường", "Định", "Tâm", "Vinh", "Xá",
    "Trì", "Động", "Hiệp", "Nguyên", "Quý", "Phương", "Kiều", "Đồng", "Tài", "Chính", "Trạch",
)  # fmt: skip

NQ28 = "Nghị quyết số 28/NQ-CP"
PLAN_2026 = "Kế hoạch công tác bình đẳng giới năm 2026 của UBND tỉnh"


def _target(code, name, group, metric, value, interim, interim_year, year, source, objective, indicator=None,
            direction="floor", value_source="form", unit="%") -> Target:  # fmt: skip
    return Target(
        code, name, group, metric, value, interim, interim_year, year, source,
        objective_code=objective, strategy_indicator=indicator, direction=direction,
        value_source=value_source, unit_vi=unit,
    )  # fmt: skip


def _yearly(code, name, value, interim, year, objective, indicator, direction="floor", unit="%", interim_year=2025):
    """An indicator of the Strategy the form does not collect: Sở Nội vụ enters it in the yearly file."""
    return _target(
        code, name, None, "reference_value", value, interim, interim_year, year, NQ28, objective, indicator,
        direction, "reference_file", unit,
    )  # fmt: skip


# The targets in the order the reports print them, each with the objective of the National Strategy
# (Nghị quyết 28/NQ-CP) it serves. The institutional target (Ban Vì sự tiến bộ của phụ nữ) serves every
# objective and none of the six states it: it stands in the seed's own group QLNN (công tác quản lý nhà nước).
# The Strategy's milestones (2025) and targets (2030) restate NQ 28/NQ-CP, Mục II.2.
TARGETS: tuple[Target, ...] = (
    _target(
        "FEMALE_KEY_LEADER_STATE",
        "Tỷ lệ cơ quan quản lý nhà nước, chính quyền địa phương cấp tỉnh có lãnh đạo chủ chốt là nữ",
        "state_agency", "share_units_with_female_key_leader", 0.75, 0.60, 2025, 2030,
        "Nghị quyết số 28/NQ-CP; Quyết định số 2282/QĐ-TTg", "MT1", "Mục tiêu 1, chỉ tiêu 2",
    ),
    _target(
        "FEMALE_KEY_LEADER_COMMUNE",
        "Tỷ lệ chính quyền địa phương cấp xã có lãnh đạo chủ chốt là nữ",
        "commune", "share_units_with_female_key_leader", 0.65, None, None, 2030,
        "Nghị quyết số 28/NQ-CP; Quyết định số 2282/QĐ-TTg", "MT1", "Mục tiêu 1, chỉ tiêu 2",
    ),
    _target(
        "POOL_FEMALE_SHARE",
        "Tỷ lệ cán bộ nữ trong diện quy hoạch các chức danh lãnh đạo, quản lý các cấp",
        "all", "share_pool_female", 0.50, None, None, 2030,
        "Quyết định số 2282/QĐ-TTg", "MT1",
    ),
    _target(
        "POOL_FEMALE_TRAINED",
        "Tỷ lệ cán bộ nữ trong diện quy hoạch được đào tạo, bồi dưỡng, nâng cao năng lực",
        "all", "share_pool_female_trained", 1.0, None, None, 2030,
        "Quyết định số 2282/QĐ-TTg", "MT1",
    ),
    _target(
        "EM_FEMALE_LEADER",
        "Địa bàn có đồng bào dân tộc thiểu số có cán bộ lãnh đạo nữ là người dân tộc thiểu số",
        "ethnic_minority_area", "share_units_with_em_female_leader", 1.0, None, None, 2030,
        "Quyết định số 2282/QĐ-TTg", "MT1",
    ),
    _target(
        "COMM_SESSIONS_PER_UNIT",
        "Số cuộc truyền thông phổ biến pháp luật, chính sách về bình đẳng giới mỗi đơn vị trong năm",
        "all", "sessions_per_unit_per_year", 2, None, None, 2026,
        f"Quyết định số 1790/QĐ-TTg; {PLAN_2026}", "MT6", unit="cuộc/đơn vị",
    ),
    _target(
        "NEWS_ITEMS_PER_QUARTER_COMMUNE",
        "Số tin, bài về bình đẳng giới trên hệ thống thông tin cơ sở mỗi quý của mỗi xã, phường",
        "commune", "news_items_per_quarter", 4, None, None, 2026,
        f"Quyết định số 1790/QĐ-TTg; {PLAN_2026}", "MT6", unit="tin, bài/quý",
    ),
    _target(
        "SHELTER_PER_COMMUNE",
        "Số nơi tạm lánh hỗ trợ người bị bạo lực trên cơ sở giới ở mỗi xã, phường",
        "commune", "shelters_per_commune", 1, None, None, 2026,
        f"Quyết định số 625/QĐ-TTg; {PLAN_2026}", "MT3", unit="nơi/xã",
    ),
    _target(
        "BAN_VSTBPN_CONSOLIDATED",
        "Tỷ lệ đơn vị đã kiện toàn Ban Vì sự tiến bộ của phụ nữ",
        "all", "share_units_ban_consolidated", 1.0, None, None, 2026,
        PLAN_2026, "QLNN",
    ),
    _target(
        "GBV_VICTIMS_SUPPORTED",
        "Tỷ lệ nạn nhân bạo lực trên cơ sở giới được phát hiện được hỗ trợ",
        "all", "share_victims_supported", 0.90, 0.80, 2025, 2030,
        NQ28, "MT3", "Mục tiêu 3, chỉ tiêu 2",
    ),
    _target(
        "PERPETRATORS_COUNSELLED",
        "Tỷ lệ người gây bạo lực được phát hiện được tư vấn",
        "all", "share_perpetrators_counselled", 0.70, 0.50, 2025, 2030,
        NQ28, "MT3", "Mục tiêu 3, chỉ tiêu 3",
    ),
    # The 2021–2026 term (over 30 %) ends with the 2026 elections; the 2026–2031 term's 35 % applies from 2026.
    _yearly(
        "FEMALE_DEPUTIES_HDND", "Tỷ lệ nữ đại biểu Hội đồng nhân dân tỉnh",
        0.35, 0.30, 2026, "MT1", "Mục tiêu 1, chỉ tiêu 1",
    ),
    _yearly(
        "FEMALE_WAGE_WORKERS", "Tỷ lệ lao động nữ làm công hưởng lương",
        0.60, 0.50, 2030, "MT2", "Mục tiêu 2, chỉ tiêu 1",
    ),
    _yearly(
        "FEMALE_BUSINESS_OWNERS", "Tỷ lệ nữ giám đốc hoặc chủ doanh nghiệp, hợp tác xã",
        0.30, 0.27, 2030, "MT2", "Mục tiêu 2, chỉ tiêu 2",
    ),
    _yearly(
        "FEMALE_UNPAID_FAMILY_WORK", "Tỷ lệ lao động nữ làm công việc gia đình không được trả công",
        0.25, 0.30, 2030, "MT2", "Mục tiêu 2, chỉ tiêu 3", direction="ceiling",
    ),
    _yearly(
        "RURAL_FEMALE_TRAINED",
        "Tỷ lệ lao động nữ ở nông thôn dưới 60 tuổi được đào tạo nghề và chuyên môn kỹ thuật",
        0.60, 0.50, 2030, "MT2", "Mục tiêu 2, chỉ tiêu 4",
    ),
    _yearly(
        "CARE_HOURS_RATIO",
        "Số giờ trung bình làm công việc nội trợ và chăm sóc gia đình không được trả công của nữ so với nam",
        1.4, 1.7, 2030, "MT3", "Mục tiêu 3, chỉ tiêu 1", direction="ceiling", unit="lần",
    ),
    _yearly(
        "SEX_RATIO_AT_BIRTH", "Tỷ số giới tính khi sinh",
        109, 111, 2030, "MT4", "Mục tiêu 4, chỉ tiêu 1", direction="ceiling", unit="bé trai/100 bé gái",
    ),
    _yearly(
        "MATERNAL_MORTALITY", "Tỷ số tử vong mẹ",
        42, 45, 2030, "MT4", "Mục tiêu 4, chỉ tiêu 2", direction="ceiling", unit="ca/100.000 trẻ đẻ sống",
    ),
    _yearly(
        "FEMALE_MASTERS", "Tỷ lệ nữ thạc sĩ",
        0.50, 0.50, 2030, "MT5", "Mục tiêu 5, chỉ tiêu 1",
    ),
    _yearly(
        "FEMALE_DOCTORATES", "Tỷ lệ nữ tiến sĩ",
        0.30, 0.25, 2030, "MT5", "Mục tiêu 5, chỉ tiêu 1",
    ),
    _yearly(
        "POPULATION_GE_KNOWLEDGE", "Tỷ lệ dân số được tiếp cận kiến thức cơ bản về bình đẳng giới",
        0.80, 0.60, 2030, "MT6", "Mục tiêu 6, chỉ tiêu 1",
    ),
    # «trên 90 %» by 2030: held as a floor of 90 %
    _yearly(
        "BROADCASTERS_GE_PROGRAMMES",
        "Tỷ lệ đài phát thanh, truyền hình có chuyên trang, chuyên mục nâng cao nhận thức về bình đẳng giới",
        0.90, 0.80, 2030, "MT6", "Mục tiêu 6, chỉ tiêu 2",
    ),
)  # fmt: skip


def province_units(
    province_code: str,
    province_name: str,
    n_units: int | None = None,
    seed: int = 0,
    *,
    with_special_zones: bool | None = None,
    with_merger: bool = True,
) -> list[Unit]:
    """The unit registry of one province, deterministic for (province_code, seed).

    29 provincial units (19 departments and agencies, 6 mass organisations, 4 central agencies) plus
    communes up to `n_units` active units (default 128: 99 communes, two thirds XA, one third PHUONG); synthetic
    provinces (`with_special_zones`, default: any code other than the sample's) get 2 DAC_KHU in place
    of communes. About 15% of communes are ethnic-minority areas. With `with_merger`, one extra
    historical commune ends on 2026-06-30 with a successor, so the registry holds n_units + 1 rows.
    `is_state_agency` (the `state_agency` target group) is true for the 18 provincial state administrative
    agencies (see DEPARTMENTS); communes, grouped by unit_kind, have it false. `province_name` is not part
    of unit names (registries omit it).
    Raises ValueError when n_units leaves fewer than 6 communes.
    """
    n_provincial = len(DEPARTMENTS) + len(MASS_ORGANISATIONS) + len(CENTRAL_AGENCIES)
    n_units = n_provincial + 99 if n_units is None else n_units
    if n_units < n_provincial + 6:
        raise ValueError(f"n_units phải ≥ {n_provincial + 6} ({n_provincial} đơn vị cấp tỉnh và ít nhất 6 xã, phường)")
    if with_special_zones is None:
        with_special_zones = province_code != SAMPLE_PROVINCE_CODE
    rng = random.Random(f"{province_code}:{seed}")
    p = province_code

    def provincial(kind: str, prefix: str, named: tuple[tuple[str, bool], ...]) -> list[Unit]:
        return [
            Unit(f"{p}-{prefix}{i:02d}", name, kind, p, is_state_agency, False, REGISTRY_START)
            for i, (name, is_state_agency) in enumerate(named, start=1)
        ]

    units = provincial("SO_NGANH", "SO", DEPARTMENTS)
    units += provincial("DOAN_THE", "DT", MASS_ORGANISATIONS)
    units += provincial("TW", "TW", CENTRAL_AGENCIES)

    n_communes = n_units - len(units)
    n_zones = 2 if with_special_zones else 0
    n_wards = (n_communes - n_zones) // 3
    n_rural = n_communes - n_zones - n_wards
    names = _commune_names(rng, n_communes + (1 if with_merger else 0))
    is_em = _ethnic_minority_flags(rng, n_communes + (1 if with_merger else 0))

    communes: list[Unit] = []
    for kind, prefix, label, count in (
        ("XA", "XA", "UBND xã", n_rural),
        ("PHUONG", "PH", "UBND phường", n_wards),
        ("DAC_KHU", "DK", "UBND đặc khu", n_zones),
    ):
        for i in range(1, count + 1):
            k = len(communes)
            communes.append(
                Unit(f"{p}-{prefix}{i:03d}", f"{label} {names[k]}", kind, p, False, is_em[k], REGISTRY_START)
            )
    if with_merger:
        k = len(communes)
        successor = communes[rng.randrange(n_rural)]
        communes.append(
            Unit(
                f"{p}-XA{n_rural + 1:03d}",
                f"UBND xã {names[k]}",
                "XA",
                p,
                False,
                is_em[k],
                REGISTRY_START,
                valid_to=MERGER_DATE,
                successor_code=successor.unit_code,
            )
        )
    return units + communes


def province_calendar(province_code: str, years: tuple[int, ...] | list[int] = CALENDAR_YEARS) -> list[CalendarEntry]:
    """The default calendar: 6T covers 15/11 of the previous year to 14/5, due 30/5; NAM covers 15/11 of
    the previous year to 14/11, due 30/11; grace 0."""
    entries = []
    for year in years:
        entries.append(
            CalendarEntry(province_code, year, "6T", date(year - 1, 11, 15), date(year, 5, 14), date(year, 5, 30))
        )
        entries.append(
            CalendarEntry(province_code, year, "NAM", date(year - 1, 11, 15), date(year, 11, 14), date(year, 11, 30))
        )
    return entries


def write_reference_dir(
    ref_dir: str | Path, units: list[Unit], calendar: list[CalendarEntry], targets: tuple[Target, ...] = TARGETS
) -> None:
    """Write units.csv, reporting_calendar.csv and targets.csv into `ref_dir`."""
    ref_dir = Path(ref_dir)
    write_csv(ref_dir / UNITS_FILE, UNIT_COLUMNS, [u.as_csv_row() for u in units])
    write_csv(ref_dir / CALENDAR_FILE, CALENDAR_COLUMNS, [c.as_csv_row() for c in calendar])
    write_csv(ref_dir / TARGETS_FILE, TARGET_COLUMNS, [t.as_csv_row() for t in targets])


def ascii_fold(text: str) -> str:
    """'UBND xã Tân Phong' → 'UBND xa Tan Phong' (how many file names are typed)."""
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def _commune_names(rng: random.Random, count: int) -> list[str]:
    pairs = [(a, b) for a in _FIRST for b in _SECOND if a != b]
    rng.shuffle(pairs)
    if count > len(pairs):
        raise ValueError(f"không đủ tên xã, phường cho {count} đơn vị")
    return [unicodedata.normalize("NFC", f"{a} {b}") for a, b in pairs[:count]]


def _ethnic_minority_flags(rng: random.Random, count: int) -> list[bool]:
    flagged = set(rng.sample(range(count), round(count * 0.15)))
    return [i in flagged for i in range(count)]


def write_targets(ref_dir: str | Path, targets: tuple[Target, ...] = TARGETS) -> None:
    """Write targets.csv into `ref_dir`."""
    write_csv(Path(ref_dir) / TARGETS_FILE, TARGET_COLUMNS, [t.as_csv_row() for t in targets])


def main() -> None:
    """Regenerate the shipped reference files of the sample province."""
    units = province_units(SAMPLE_PROVINCE_CODE, SAMPLE_PROVINCE_NAME, seed=SAMPLE_SEED)
    write_reference_dir(DEFAULT_REFERENCE_DIR, units, province_calendar(SAMPLE_PROVINCE_CODE))
    print(f"Đã ghi {len(units)} đơn vị vào {DEFAULT_REFERENCE_DIR}")


if __name__ == "__main__":
    main()
