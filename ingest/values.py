"""Typed readers for cell values as units type them. Each returns the value or raises `ValueError`
with a Vietnamese reason; the parser turns that into an INVALID_VALUE error naming the cell."""

from __future__ import annotations

import datetime as dt
import math
import re

from ingest.atomic import output_text

_MONEY_SUFFIX = re.compile(r"(vn[dđ]|đồng|dong|đ)\s*$", re.IGNORECASE)
_THOUSANDS_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^-?\d{1,3}(,\d{3})+$")
_DATE_TEXT = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_EXCEL_EPOCH = dt.date(1899, 12, 30)

# Hard plausibility limits of one cell: above them a value is a typing error (an extra digit, an amount
# in the wrong unit), refused at ingest. Softer outliers are the expectations' warnings. A column of
# the form may set a lower limit (`Column.maximum`).
MAX_COUNT = 10_000_000  # people, cases, sessions on one line: more than a province's population
MAX_MONEY = 10**12  # đồng on one line: 1.000 tỷ đồng


def vn_integer(value: float) -> str:
    """1234567 → '1.234.567' (Vietnamese thousands separator), for messages."""
    return f"{int(value):,}".replace(",", ".")


def is_blank(value: object) -> bool:
    """None, or text of nothing but white space. (Called for most cells of a file: no copy made.)"""
    return value is None or (isinstance(value, str) and (value == "" or value.isspace()))


def read_number(value: object) -> float:
    """A number typed as a number or as text: '1.234', '1 234', '1,234', '12,5', '193.700.000 đồng'."""
    if isinstance(value, bool):
        raise ValueError("không phải là số")
    if isinstance(value, int | float):
        return _finite(value)
    if not isinstance(value, str):
        raise ValueError("không phải là số")
    text = _MONEY_SUFFIX.sub("", value.strip()).strip()
    text = text.replace("\u00a0", "").replace(" ", "")
    if _THOUSANDS_DOT.match(text):
        text = text.replace(".", "")
    elif _THOUSANDS_COMMA.match(text):
        text = text.replace(",", "")
    elif "," in text and "." not in text:
        text = text.replace(",", ".")  # Vietnamese decimal comma
    try:
        return _finite(float(text))
    except ValueError:
        raise ValueError("không phải là số") from None


def _finite(value: float | int) -> float:
    """The value as a float; ValueError for NaN, infinity and numbers beyond any float ('1e400')."""
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise ValueError("không phải là một số hữu hạn")
    return number


def check_maximum(number: float, maximum: float) -> None:
    """ValueError (Vietnamese) when the number is above the hard limit of its column."""
    if number > maximum:
        raise ValueError(
            f"lớn hơn giới hạn hợp lý ({vn_integer(maximum)}); kiểm tra lại, có thể thừa chữ số hoặc ghi nhầm đơn vị"
        )


def read_count(value: object, maximum: float = MAX_COUNT) -> int:
    """A non-negative whole number (people, cases, sessions), at most `maximum`."""
    number = read_number(value)
    if number < 0:
        raise ValueError("không được là số âm")
    if not number.is_integer():
        raise ValueError("phải là số nguyên")
    check_maximum(number, maximum)
    return int(number)


def read_money(value: object, maximum: float = MAX_MONEY) -> int:
    """An amount in đồng, non-negative, rounded to the đồng, at most `maximum`."""
    number = read_number(value)
    if number < 0:
        raise ValueError("không được là số âm")
    check_maximum(number, maximum)
    return round(number)


def read_measure(value: object) -> float:
    """A non-negative measured value with decimals (a rate, a ratio: '32,5', '1,7', 108.6)."""
    number = read_number(value)
    if number < 0:
        raise ValueError("không được là số âm")
    return number


def read_date(value: object) -> dt.date:
    """An Excel date, an Excel serial number, or text dd/mm/yyyy (also dd-mm-yyyy, dd.mm.yyyy, ISO)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    if isinstance(value, str):
        text = value.strip()
        match = _DATE_TEXT.match(text)
        try:
            if match:
                day, month, year = (int(part) for part in match.groups())
                return dt.date(year, month, day)
            match = _ISO_DATE.match(text)
            if match:
                return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise ValueError("không phải là ngày hợp lệ") from None
    raise ValueError("không đọc được ngày (ghi theo dạng dd/mm/yyyy)")


def read_text(value: object) -> str | None:
    """Text as stored: stripped, NFC, without control characters or bidi overrides (None when blank)."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return output_text(value).strip() or None
