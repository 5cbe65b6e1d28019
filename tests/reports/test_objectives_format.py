"""How report.objectives prints a Strategy indicator: shares as %, other units after the value, the
direction of a target, «chưa có số liệu» for a missing value; blocks follow the mart's order."""

from __future__ import annotations

import pandas as pd
import pytest

from report.objectives import NO_DATA, format_target, format_value, heading, objective_blocks

pytestmark = pytest.mark.fast


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (0.358, "%", "35,8%"),
        (110.4, "bé trai/100 bé gái", "110,4 bé trai/100 bé gái"),
        (1.7, "lần", "1,7 lần"),
        (4.64, "tin, bài/quý", "4,64 tin, bài/quý"),
        (None, "%", NO_DATA),
        (pd.NA, "lần", NO_DATA),
    ],
)
def test_format_value(value, unit, expected):
    assert format_value(value, unit) == expected


@pytest.mark.parametrize(
    ("value", "unit", "direction", "expected"),
    [
        (0.75, "%", "floor", "≥ 75%"),
        (109, "bé trai/100 bé gái", "ceiling", "≤ 109 bé trai/100 bé gái"),
        (0.25, "%", "ceiling", "≤ 25%"),
        (None, "%", "floor", ""),
    ],
)
def test_format_target(value, unit, direction, expected):
    assert format_target(value, unit, direction) == expected


def test_blocks_group_by_objective_in_order():
    frame = pd.DataFrame(
        [
            {"province_code": "24", "objective_code": "MT1", "objective_title_vi": "Lãnh đạo", "objective_area_vi":
             "Chính trị", "target_code": "A", "indicator_name_vi": "Chỉ tiêu A", "strategy_indicator": None,
             "unit_vi": "%", "direction": "floor", "value": 0.4, "data_source_vi": "biểu mẫu BDG-1",
             "data_provider": None, "year_target": 0.63, "final_target_value": 0.75, "target_year": 2030,
             "attainment_code": "CHUA_DAT", "attainment_vi": "chưa đạt", "legal_source": "NQ 28/NQ-CP"},
            {"province_code": "24", "objective_code": "MT4", "objective_title_vi": "Y tế", "objective_area_vi":
             "Y tế", "target_code": "SRB", "indicator_name_vi": "Tỷ số giới tính khi sinh", "strategy_indicator":
             "Mục tiêu 4, chỉ tiêu 1", "unit_vi": "bé trai/100 bé gái", "direction": "ceiling", "value": None,
             "data_source_vi": None, "data_provider": None, "year_target": 110.6, "final_target_value": 109,
             "target_year": 2030, "attainment_code": "CHUA_CO_SO_LIEU", "attainment_vi": "chưa có số liệu",
             "legal_source": "NQ 28/NQ-CP"},
        ]
    )  # fmt: skip
    first, second = objective_blocks(frame)
    assert heading(first) == "Mục tiêu 1 (Chính trị): Lãnh đạo"
    assert first["indicators"][0]["trajectory"] == "63,0%" and first["indicators"][0]["province"] == ""
    srb = second["indicators"][0]
    assert (srb["value"], srb["has_value"], srb["target"]) == (NO_DATA, False, "≤ 109 bé trai/100 bé gái")
