"""Typed readers for cell values as units type them. Each returns the value or raises `ValueError`
with a Vietnamese reason; the parser turns that into an INVALID_VALUE error naming the cell."""

from __future__ import annotations

import datetime as dt
import re

_MONEY_SUFFIX = re.compile(r"(vn[dđ]|đồng|dong|đ)\s*$", re.IGNORECASE)
_THOUSANDS_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^-?\d{1,3}(,\d{3})+$")
_DATE_TEXT = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def is_blank(value: object) -> bool:
    """None, or text of nothing but white space. (Called for most cells of a file: no copy made.)"""
    return value is None or (isinstance(value, str) and (value == "" or value.isspace()))


def read_number(value: object) -> float:
    """A number typed as a number or as text: '1.234', '1 234', '1,234', '12,5', '193.700.000 đồng'."""
    if isinstance(value, bool):
        raise ValueError("không phải là số")
    if isinstance(value, int | float):
        return float(value)
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
        return float(text)
    except ValueError:
        raise ValueError("không phải là số") from None


def read_count(value: object) -> int:
    """A non-negative whole number (people, cases, sessions)."""
    number = read_number(value)
    if number < 0:
        raise ValueError("không được là số âm")
    if number != int(number):
        raise ValueError("phải là số nguyên")
    return int(number)


def read_money(value: object) -> int:
    """An amount in đồng, non-negative, rounded to the đồng."""
    number = read_number(value)
    if number < 0:
        raise ValueError("không được là số âm")
    return round(number)


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
    if is_blank(value):
        return None
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()
