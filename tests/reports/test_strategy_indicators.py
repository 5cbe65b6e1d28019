"""Biểu 2 and Biểu 3 as the National Strategy on Gender Equality (NQ 28/NQ-CP) counts them, read by
report.ministry_frames from a hand-built `marts.rpt_ministry_annual` in a real DuckDB: the frames place
and label what dbt computed (dbt's unit tests in rpt_ministry_annual.yml check the figures themselves).

- Biểu 2: the violence subtotal sits where the mart orders it (after the violence case types, before the
  violations), alone with the rates, their coverage, the report year's value and the 2030 target; the
  case-type rows and the grand total print counts only; a count nobody reported stays empty, not 0.
- Biểu 3: the women's shares among key and department-level leaders per group, the ethnic-minority row
  after the total, and no target on the rows that mix groups.
"""

from __future__ import annotations

import duckdb
import pytest

from report import ministry_frames
from report.frames import WAREHOUSE_SCOPE, value_of

pytestmark = pytest.mark.fast

YEAR = 2026

BIEU_2_ROWS = {  # row_code → (row_order, label)
    "case_type.BAO_LUC_GIA_DINH": (110, "Bạo lực gia đình"),
    "case_type.XAM_HAI_TINH_DUC": (120, "Xâm hại, bạo lực tình dục"),
    "case_type.QUAY_ROI": (130, "Quấy rối tình dục"),
    "case_type.MUA_BAN_NGUOI": (140, "Mua bán người"),
    "violence": (145, "Cộng các hành vi bạo lực trên cơ sở giới"),
    "case_type.MOI_GIOI_HON_NHAN": (150, "Môi giới hôn nhân trái pháp luật"),
    "case_type.VI_PHAM_BDG": (160, "Vi phạm pháp luật về bình đẳng giới bị xử phạt"),
    "case_type.KHAC": (170, "Khác"),
    "total": (900, "Tổng cộng"),
}
BIEU_3_ROWS = {
    "state_agency": (1, "Cơ quan quản lý nhà nước, chính quyền cấp tỉnh"),
    "commune": (2, "Chính quyền cấp xã (xã, phường, đặc khu)"),
    "total": (900, "Tổng cộng"),
    "ethnic_minority_area": (910, "Trong đó: đơn vị ở địa bàn có đồng bào dân tộc thiểu số"),
}


def _warehouse(cells: list[tuple[str, str, str, str, float | None]]) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse whose marts.rpt_ministry_annual holds `cells` (period, table, row, column,
    value) of the whole warehouse, with the columns the frames read."""
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(
        "create table marts.rpt_ministry_annual (province_code varchar, report_year integer, report_type varchar, "
        "table_code varchar, row_code varchar, column_code varchar, value double, previous_value double, "
        "change double, row_order integer, row_label_vi varchar)"
    )
    for report_type, table, row, column, value in cells:
        order, label = (BIEU_2_ROWS if table == "BIEU_2" else BIEU_3_ROWS)[row]
        con.execute(
            "insert into marts.rpt_ministry_annual values (?, ?, ?, ?, ?, ?, ?, null, null, ?, ?)",
            [WAREHOUSE_SCOPE, YEAR, report_type, table, row, column, value, order, label],
        )
    return con


def _gbv_cells() -> list:
    counts = {
        "case_type.BAO_LUC_GIA_DINH": (4, 4),
        "case_type.MUA_BAN_NGUOI": (4, None),  # an old-form file: no perpetrators_detected
        "case_type.MOI_GIOI_HON_NHAN": (2, 2),
        "violence": (8, 4),
        "total": (10, 6),
    }
    cells = []
    for row in BIEU_2_ROWS:
        detected, perpetrators = counts.get(row, (0, None))
        cells += [("NAM", "BIEU_2", row, "cases_detected", detected)]
        cells += [("NAM", "BIEU_2", row, "perpetrators_detected", perpetrators)]
        rates = {
            "support_rate": 0.875, "support_target": 0.85, "support_final_target": 0.9, "support_is_met": 1,
            "counselling_rate": 0.5, "counselling_coverage": 0.5, "counselling_target": 0.7,
            "counselling_final_target": 0.7, "counselling_is_met": 0,
        }  # fmt: skip
        cells += [("NAM", "BIEU_2", row, name, value if row == "violence" else None) for name, value in rates.items()]
    return cells


def test_gbv_rates_stand_on_the_violence_row_placed_before_the_violations():
    table = ministry_frames.gbv_cases(_warehouse(_gbv_cells()), YEAR, "NAM")
    labels = list(table["label"])
    assert labels.index("Cộng các hành vi bạo lực trên cơ sở giới") == labels.index("Mua bán người") + 1
    assert labels[-1] == "Tổng cộng"
    records = {record["label"]: {k: value_of(v) for k, v in record.items()} for record in table.to_dict("records")}
    violence = records["Cộng các hành vi bạo lực trên cơ sở giới"]
    assert violence["row_kind"] == "group" and violence["code"] == "violence"
    assert (violence["cases_detected"], violence["perpetrators_detected"]) == (8, 4)
    assert (violence["support_rate"], violence["support_target"], violence["support_final_target"]) == (
        0.875,
        0.85,
        0.9,
    )
    assert (violence["counselling_rate"], violence["counselling_coverage"]) == (0.5, 0.5)
    assert (violence["support_assessment"], violence["counselling_assessment"]) == ("Đạt", "Chưa đạt")
    for label in ("Bạo lực gia đình", "Môi giới hôn nhân trái pháp luật", "Tổng cộng"):
        record = records[label]
        assert record["support_rate"] is None and record["counselling_target"] is None, label
        assert record["support_assessment"] is None, label
    assert records["Mua bán người"]["perpetrators_detected"] is None  # nobody reported it: empty, not 0
    assert records["Quấy rối tình dục"]["cases_detected"] == 0
    assert records["Tổng cộng"]["cases_detected"] == 10


def test_counselling_rate_is_empty_when_no_report_counts_perpetrators():
    cells = [
        (report_type, table, row, column, None if column in ("counselling_rate", "perpetrators_detected") else value)
        for report_type, table, row, column, value in _gbv_cells()
    ]
    cells = [(*cell[:4], 0.0) if cell[2:4] == ("violence", "counselling_coverage") else cell for cell in cells]
    table = ministry_frames.gbv_cases(_warehouse(cells), YEAR, "NAM")
    violence = table[table["code"] == "violence"].iloc[0]
    assert value_of(violence["counselling_rate"]) is None and value_of(violence["perpetrators_detected"]) is None
    assert value_of(violence["counselling_coverage"]) == 0.0


def test_a_period_the_mart_does_not_hold_prints_the_violence_row_after_the_case_types():
    table = ministry_frames.gbv_cases(_warehouse([]), YEAR, "6T")
    assert list(table["row_kind"])[-2:] == ["group", "total"]
    assert (table["cases_detected"].fillna(0) == 0).all()


def test_leadership_prints_women_shares_and_the_ethnic_minority_row_after_the_total():
    shares = {
        "state_agency": (4, 1, 0.25, 10, 4, 0.4, 0.62, 0.75),
        "commune": (3, 0, 0.0, 5, 3, 0.6, 0.65, 0.65),
        "total": (7, 1, 1 / 7, 15, 7, 7 / 15, None, None),
        "ethnic_minority_area": (3, 0, 0.0, 5, 3, 0.6, None, None),
    }
    names = (
        "key_leaders_total",
        "key_leaders_female",
        "key_leaders_female_share",
        "department_leaders_total",
        "department_leaders_female",
        "department_leaders_female_share",
        "target_share",
        "final_target_share",
    )
    cells = [
        ("NAM", "BIEU_3", row, name, value)
        for row, values in shares.items()
        for name, value in zip(names, values, strict=True)
    ]
    table = ministry_frames.leadership(_warehouse(cells), YEAR)
    assert [value_of(code) for code in table["code"]] == ["state_agency", "commune", None, "ethnic_minority_area"]
    assert list(table["row_kind"]) == ["item", "item", "total", "group"]
    for record in table.to_dict("records"):
        code = value_of(record["code"]) or "total"
        printed = tuple(value_of(record[name]) for name in names)
        assert printed == pytest.approx(shares[code]), code
