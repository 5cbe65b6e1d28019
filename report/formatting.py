"""Vietnamese number, percent and date formatting for text outputs (HTML, .docx, workbook titles and notes).

Everything is drawn by Babel with the `vi_VN` locale: `1.234.567` (dot groups thousands), `1.234,5` /
`58,2%` (comma before decimals), dates `dd/mm/yyyy`. Two habits are ours, not CLDR's: numbers are rounded
half up (5 → up, as people round by hand; Babel's default is half even) and a value that rounds to zero
never prints as "-0". Every function returns NFC text and `NA_TEXT` for a missing value (None, NaN, NA),
so a renderer never prints "nan".

Spreadsheet cells are not formatted here: the workbook keeps numbers numeric (see `report.workbook`), and
Excel/LibreOffice draw their separators from the reader's locale.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal, localcontext

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from ingest.atomic import output_text

LOCALE = "vi_VN"
NA_TEXT = "–"  # en dash: printed where a figure cannot be computed (e.g. a rate over zero units)
DATE_PATTERN = "dd/MM/yyyy"
LONG_DATE_PATTERN = "'ngày' dd 'tháng' MM 'năm' yyyy"  # as dated in administrative documents


def nfc(text: object) -> str:
    """`text` as an NFC-normalised string fit for an output ('' for None): control characters and bidi
    overrides are removed (`ingest.atomic.output_text`), so a file or unit name read from the marts can
    neither crash a writer nor disguise itself. Every text a report prints goes through here."""
    return output_text(text)


def is_missing(value: object) -> bool:
    """True for None, NaN and pandas NA/NaT."""
    if value is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError, ImportError):
        return isinstance(value, float) and math.isnan(value)


def _pattern(decimals: int, strip_zeros: bool = False, suffix: str = "") -> str:
    """A CLDR number pattern: '#,##0.0' for one decimal, '#,##0.#' when trailing zeros are dropped."""
    fraction = ("#" if strip_zeros else "0") * decimals
    return "#,##0" + (f".{fraction}" if fraction else "") + suffix


def _decimal(value: object, scale: int, decimals: int) -> Decimal:
    """`value` × 10**scale as a Decimal, without float binary noise (str() of the float), and without the
    sign when it rounds to zero (no "-0,0")."""
    exact = Decimal(value) if isinstance(value, int) else Decimal(str(float(value)))
    exact = exact.scaleb(scale)
    if exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP).is_zero():
        return abs(exact)
    return exact


def _format(value: object, decimals: int, *, strip_zeros: bool = False, percent: bool = False, scale: int = 0) -> str:
    # Babel quantizes with the current decimal context's rounding mode: half up here.
    with localcontext() as context:
        context.rounding = ROUND_HALF_UP
        if percent:  # the pattern's % multiplies by 100 itself; round (and drop "-") on the shown value
            shown = _decimal(value, scale + 2, decimals)
            return format_percent(shown.scaleb(-2), _pattern(decimals, strip_zeros, "%"), LOCALE)
        return format_decimal(_decimal(value, scale, decimals), _pattern(decimals, strip_zeros), LOCALE)


def number(value: object, decimals: int = 0, *, strip_zeros: bool = False) -> str:
    """1234567 → '1.234.567'; number(1234.5, 1) → '1.234,5'; negatives '-1.234'.

    `strip_zeros` drops trailing decimal zeros ('2,50' → '2,5'; '3,0' → '3').
    """
    if is_missing(value):
        return NA_TEXT
    return _format(value, decimals, strip_zeros=strip_zeros)


def integer(value: object) -> str:
    """A count: 1234 → '1.234'."""
    return number(value, 0)


def percent(value: object, decimals: int = 1) -> str:
    """A fraction as a percentage: 0.582 → '58,2%'; percent(0.75, 0) → '75%'."""
    if is_missing(value):
        return NA_TEXT
    return _format(value, decimals, percent=True)


def percent_target(value: object) -> str:
    """A target share without needless decimals: 0.75 → '75%', 0.655 → '65,5%'."""
    if is_missing(value):
        return NA_TEXT
    return _format(value, 1, strip_zeros=True, percent=True)


def percentage_points(value: object, decimals: int = 1) -> str:
    """A difference of two fractions in points, signed: 0.031 → '+3,1 điểm %'; no sign on a zero."""
    if is_missing(value):
        return NA_TEXT
    text = _format(value, decimals, scale=2)
    sign = "+" if not text.startswith("-") and text.strip("0,.") else ""  # no "+0,0"
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
    return _format(value, 1, strip_zeros=True, scale=-6) + " triệu đồng"


def date(value: object) -> str:
    """dd/mm/yyyy; accepts a date, a datetime (pandas Timestamp included) or an ISO string."""
    if is_missing(value):
        return NA_TEXT
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return format_date(value, DATE_PATTERN, locale=LOCALE)


def long_date(value: dt.date) -> str:
    """'ngày 21 tháng 12 năm 2026', as dated in administrative documents."""
    return format_date(value, LONG_DATE_PATTERN, locale=LOCALE)
