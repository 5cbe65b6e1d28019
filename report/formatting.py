"""Vietnamese number, percent and date formatting for text outputs (HTML, .docx, workbook titles and notes).

Vietnamese writes `1.234.567` (dot groups thousands) and `1.234,5` / `58,2%` (comma before decimals),
dates `dd/mm/yyyy`. Every function returns NFC text and `NA_TEXT` for a missing value (None, NaN, NA),
so a renderer never prints "nan".

Spreadsheet cells are not formatted here: the workbook keeps numbers numeric (see `report.workbook`), and
Excel/LibreOffice draw their separators from the reader's locale.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

NA_TEXT = "–"  # en dash: printed where a figure cannot be computed (e.g. a rate over zero units)


def nfc(text: object) -> str:
    """`text` as an NFC-normalised string ('' for None)."""
    if text is None:
        return ""
    return unicodedata.normalize("NFC", str(text))


def is_missing(value: object) -> bool:
    """True for None, NaN and pandas NA/NaT."""
    if value is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError, ImportError):
        return isinstance(value, float) and math.isnan(value)


def _round(value: float | int, decimals: int) -> Decimal:
    # Half-up (5 → up), as people round by hand; float binary noise (0.1 + 0.2) removed by str().
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def number(value: object, decimals: int = 0, *, strip_zeros: bool = False) -> str:
    """1234567 → '1.234.567'; number(1234.5, 1) → '1.234,5'; negatives '-1.234'.

    `strip_zeros` drops trailing decimal zeros ('2,50' → '2,5'; '3,0' → '3').
    """
    if is_missing(value):
        return NA_TEXT
    rounded = _round(float(value) if not isinstance(value, int) else value, decimals)
    sign = "-" if rounded < 0 else ""
    text = f"{abs(rounded):.{decimals}f}"
    whole, _, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    if strip_zeros:
        fraction = fraction.rstrip("0")
    result = ".".join(groups) + ("," + fraction if fraction else "")
    return sign + result if result.strip("0.,") else result  # no "-0"


def integer(value: object) -> str:
    """A count: 1234 → '1.234'."""
    return number(value, 0)


def percent(value: object, decimals: int = 1) -> str:
    """A fraction as a percentage: 0.582 → '58,2%'; percent(0.75, 0) → '75%'."""
    if is_missing(value):
        return NA_TEXT
    return number(float(value) * 100, decimals) + "%"


def percent_target(value: object) -> str:
    """A target share without needless decimals: 0.75 → '75%', 0.655 → '65,5%'."""
    if is_missing(value):
        return NA_TEXT
    return number(float(value) * 100, 1, strip_zeros=True) + "%"


def percentage_points(value: object, decimals: int = 1) -> str:
    """A difference of two fractions in points, signed: 0.031 → '+3,1 điểm %'."""
    if is_missing(value):
        return NA_TEXT
    text = number(float(value) * 100, decimals)
    sign = "+" if not text.startswith("-") and text.strip("0,") else ""
    return f"{sign}{text} điểm %"


def money(value: object) -> str:
    """Đồng: 193700000 → '193.700.000 đồng'."""
    if is_missing(value):
        return NA_TEXT
    return integer(value) + " đồng"


def money_millions(value: object) -> str:
    """Đồng in millions for prose: 193700000 → '193,7 triệu đồng'."""
    if is_missing(value):
        return NA_TEXT
    return number(float(value) / 1_000_000, 1, strip_zeros=True) + " triệu đồng"


def date(value: object) -> str:
    """dd/mm/yyyy."""
    if is_missing(value):
        return NA_TEXT
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return f"{value:%d/%m/%Y}"


def long_date(value: dt.date) -> str:
    """'ngày 21 tháng 12 năm 2026', as dated in administrative documents."""
    return f"ngày {value.day:02d} tháng {value.month:02d} năm {value.year}"
