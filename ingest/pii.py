"""Personal data guard. Report files must carry counts only: an ID number, a phone number or an e-mail
address in any free-text cell, or a person's name in the GBV sheet's free text, rejects the file.
Functions return the kind of finding, never the matched value, so it cannot leak into logs or errors."""

from __future__ import annotations

import re
from functools import lru_cache

_ID_NUMBER = re.compile(r"(?<![\d.,/])(\d{9}|\d{12})(?![\d.,/])")
_PHONE = re.compile(r"(?<![\d\w])(?:\+84|0084|0)(?:[\s.\-]?\d){8,10}(?!\d)")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(\.[\w\-]+)+")

_UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_LOWER = "a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
_SURNAMES = (
    "Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Đinh|Đoàn|Trịnh|Lương|"
    "Mai|Cao|Lò|Quàng|Tòng|Lường|Vàng|Giàng|Sùng|Thào|Hà|Triệu|Nông|La|Lâm|Tạ|Chu|Kiều|Đào|Tô|Lại"
)
_WORD = f"[{_UPPER}][{_LOWER}]*"
_PERSON_NAME = re.compile(
    rf"(?<![{_LOWER}{_UPPER}])(?:(?:{_SURNAMES})(?:\s+{_WORD}){{1,3}}"
    rf"|(?:ông|bà|anh|chị|cháu|em|chồng|vợ)\s+{_WORD}(?:\s+{_WORD})*)"
    rf"(?![{_LOWER}])"
)


@lru_cache(maxsize=1 << 16)  # labels, titles and category values recur in every file
def find_contact_pii(text: str) -> str | None:
    """'ID', 'PHONE' or 'EMAIL' when the text holds such a value, else None."""
    if _EMAIL.search(text):
        return "EMAIL"
    if _PHONE.search(text):
        return "PHONE"
    if _ID_NUMBER.search(text):
        return "ID"
    return None


@lru_cache(maxsize=1 << 16)
def find_person_name(text: str) -> bool:
    """True when the text names a person (a Vietnamese surname + given names, or 'chị Lan')."""
    return bool(_PERSON_NAME.search(text))
