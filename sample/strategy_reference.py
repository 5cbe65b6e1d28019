"""A plausible yearly file of Strategy indicators (`chi_tieu_chien_luoc_<tỉnh>_<năm>.xlsx`) for a province:
what Sở Nội vụ collects from the statistics office, Sở Y tế, Sở Giáo dục và Đào tạo and the others for the
indicators of Nghị quyết 28/NQ-CP the BDG-1 form does not collect. Values lie near the Strategy's path;
a few indicators are left out on purpose (a time-use survey is not run every year, doctorates are counted
nationally), so the report shows «chưa có số liệu» for them.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from ingest.atomic import text_workbook
from ingest.reference import DEFAULT_REFERENCE_DIR, Target, read_targets
from ingest.strategy_values import FILE_PREFIX

# Indicators the sample leaves out: the report then shows «chưa có số liệu» for them.
LEFT_OUT = ("CARE_HOURS_RATIO", "FEMALE_DOCTORATES")

PROVIDERS = {
    "FEMALE_DEPUTIES_HDND": "Văn phòng Đoàn ĐBQH và HĐND tỉnh",
    "FEMALE_WAGE_WORKERS": "Thống kê tỉnh",
    "FEMALE_BUSINESS_OWNERS": "Thống kê tỉnh",
    "FEMALE_UNPAID_FAMILY_WORK": "Thống kê tỉnh",
    "RURAL_FEMALE_TRAINED": "Sở Nội vụ",
    "SEX_RATIO_AT_BIRTH": "Sở Y tế",
    "MATERNAL_MORTALITY": "Sở Y tế",
    "FEMALE_MASTERS": "Sở Giáo dục và Đào tạo",
    "POPULATION_GE_KNOWLEDGE": "Sở Nội vụ",
    "BROADCASTERS_GE_PROGRAMMES": "Báo và Phát thanh, Truyền hình tỉnh",
}

HEADER = ("Mã tỉnh", "Mã chỉ tiêu", "Tên chỉ tiêu", "Năm", "Giá trị", "Nguồn số liệu (cơ quan cung cấp)", "Ghi chú")


def strategy_path_value(target: Target, year: int) -> float:
    """Where the Strategy's path puts the indicator in `year`: the 2025 milestone up to its year, then a
    straight line to the final target (the same path rpt_targets draws, without a measured baseline)."""
    if target.interim_value is None or target.interim_year is None or year >= target.target_year:
        return target.target_value
    if year <= target.interim_year:
        return target.interim_value
    share = (year - target.interim_year) / (target.target_year - target.interim_year)
    return target.interim_value + (target.target_value - target.interim_value) * share


def write_strategy_reference(
    ref_dir: str | Path,
    province_code: str,
    years: tuple[int, ...] | list[int],
    seed: int = 0,
    targets: list[Target] | None = None,
) -> list[Path]:
    """Write `ref_dir/chi_tieu_chien_luoc_<province_code>_<year>.xlsx` for each year (deterministic for
    province_code and seed) and return their paths. Each holds every indicator of targets.csv taken from
    the yearly file (value_source `reference_file`) except LEFT_OUT, its value within a few points of the
    Strategy's path — some just met, some just short — shares in %, as Sở Nội vụ types them."""
    targets = targets if targets is not None else read_targets(DEFAULT_REFERENCE_DIR)
    rng = random.Random(f"strategy:{province_code}:{seed}")
    ref_dir = Path(ref_dir)
    ref_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for year in years:
        path = ref_dir / f"{FILE_PREFIX}{province_code}_{year}.xlsx"
        rows = []
        for target in targets:
            if target.value_source != "reference_file" or target.target_code in LEFT_OUT:
                continue
            on_path = strategy_path_value(target, year)
            # within ±6 % of the path, toward the wrong side a little more often than not
            worse = 1 if target.direction == "ceiling" else -1
            value = on_path * (1 + rng.uniform(-0.06, 0.06) + worse * 0.01)
            if target.unit_vi == "%":
                value = min(value * 100, 100.0)
            rows.append(
                (
                    province_code,
                    target.target_code,
                    target.target_name_vi,
                    year,
                    round(value, 1),
                    PROVIDERS.get(target.target_code, "Sở Nội vụ"),
                    "Số liệu ước tính" if target.target_code == "MATERNAL_MORTALITY" else "",
                )
            )
        _write(path, year, rows)
        paths.append(path)
    return paths


def _write(path: Path, year: int, rows: list[tuple]) -> None:
    workbook = text_workbook(path, dt.datetime(year, 12, 1))
    title = workbook.add_format({"bold": True, "font_size": 13})
    header = workbook.add_format({"bold": True, "border": 1, "text_wrap": True, "bg_color": "#DDEBF7"})
    sheet = workbook.add_worksheet("SoLieu")
    sheet.write(0, 0, f"SỐ LIỆU CHỈ TIÊU CHIẾN LƯỢC QUỐC GIA VỀ BÌNH ĐẲNG GIỚI NĂM {year}", title)
    sheet.write(1, 0, "(Tỷ lệ ghi theo phần trăm, ví dụ 32,5)")
    for col, label in enumerate(HEADER):
        sheet.write(3, col, label, header)
    for r, row in enumerate(rows, start=4):
        for col, value in enumerate(row):
            sheet.write(r, col, value)
    sheet.set_column(1, 1, 28)
    sheet.set_column(2, 2, 60)
    sheet.set_column(5, 6, 30)
    workbook.close()
