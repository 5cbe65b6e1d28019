"""Vietnamese number, percent and date formatting."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pandas as pd
import pytest

from report import formatting as vnformat

pytestmark = pytest.mark.fast  # the edit-test tier (make test-fast)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, 0, "0"),
        (7, 0, "7"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (1234567, 0, "1.234.567"),
        (-1234, 0, "-1.234"),
        (1234.5, 1, "1.234,5"),
        (0.05, 1, "0,1"),  # half up, not banker's rounding
        (2.25, 1, "2,3"),
        (-0.04, 1, "0,0"),  # no "-0,0"
        (38586600000, 0, "38.586.600.000"),
    ],
)
def test_number(value, decimals, expected):
    assert vnformat.number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.582, "58,2%"),
        (1, "100,0%"),
        (0, "0,0%"),
        (0.8636363, "86,4%"),
        (12.345, "1.234,5%"),
        (0.8895, "89,0%"),  # 88,95 rounds up: the half is in the decimal value, not lost to 0.8895 * 100
        (-0.0004, "0,0%"),  # no "-0,0%"
    ],
)
def test_percent(value, expected):
    assert vnformat.percent(value) == expected


def test_percent_rounds_the_shown_value_half_up():
    assert vnformat.percent(0.565, 0) == "57%"
    assert vnformat.percent(0.125, 0) == "13%"  # Babel's own default (half even) would print 12%


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, pd.NaT])
def test_missing_values_print_a_dash_never_nan(missing):
    for function in (vnformat.integer, vnformat.percent, vnformat.money, vnformat.date):
        assert function(missing) == vnformat.NA_TEXT


def test_targets_points_money_dates():
    assert vnformat.percent_target(0.75) == "75%"
    assert vnformat.percent_target(0.655) == "65,5%"
    assert vnformat.percentage_points(0.031) == "+3,1 điểm %"
    assert vnformat.percentage_points(-0.0478) == "-4,8 điểm %"
    assert vnformat.money(193_700_000) == "193.700.000 đồng"
    assert vnformat.money_millions(193_700_000) == "193,7 triệu đồng"
    assert vnformat.date(dt.date(2026, 5, 3)) == "03/05/2026"
    assert vnformat.long_date(dt.date(2026, 5, 3)) == "ngày 03 tháng 05 năm 2026"
    assert vnformat.number(2.5, 2, strip_zeros=True) == "2,5"
    assert vnformat.number(3, 1, strip_zeros=True) == "3"
    assert vnformat.percentage_points(-0.0004) == "0,0 điểm %"  # neither "+" nor "-" on a zero
    assert vnformat.money_millions(1_250_000) == "1,3 triệu đồng"
    assert vnformat.date("2026-12-21T08:00:00+07:00") == "21/12/2026"
    assert vnformat.date(pd.Timestamp("2026-12-21 23:30")) == "21/12/2026"


def test_nfc():
    decomposed = unicodedata.normalize("NFD", "Bình đẳng giới")
    assert vnformat.nfc(decomposed) == unicodedata.normalize("NFC", "Bình đẳng giới")
    assert vnformat.nfc(None) == ""
