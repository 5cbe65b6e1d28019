"""The personal-data guard. Report files carry counts only: an ID number, a phone number, an e-mail
address, or a person's name where a text speaks of a victim, rejects the file (`PII_FOUND`).

What counts:
- ID numbers (CMND 9 digits, CCCD 12): written together or in groups of three separated by spaces, in
  any punctuation context ("001234567890." is one), or typed as a number in a text column. Digits
  grouped by dots or commas are amounts ("193.700.000"), never IDs.
- Vietnamese phone numbers as people write them: 0912345678, 0912 345 678, 091.234.5678,
  (091) 234 5602, +84 91 234 56 78, 84912345620, 0084…; landlines 02x with 11 digits.
- E-mail addresses.
- Personal names: a surname of the list below followed by given names, in Title Case, UPPER CASE or
  (with the middle name thị/văn) lower case, in any Unicode form (NFC/NFD) and with zero-width or bidi
  characters stripped; or a kinship/honorific word followed by a given name ("chị Lan", "cháu Minh").
  Names are PII where the text may name a victim: every free-text cell of the GBV sheet and the file
  name (scope `any`), and any other text that speaks of a victim (scope `victim`: "nạn nhân", "bị bạo
  hành", …). Officials ("đồng chí Nguyễn Văn An", "Chủ tịch UBND Trần Thị Bình"), places and
  institutions named after people ("xã Lê Lợi", "trường THCS Trần Phú", "đường Hồ Chí Minh") are not.

Every check is linear in the text (RE2 patterns, no backtracking) and returns the kind of finding,
never the matched value, so no value can leak into logs or errors.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

import re2

from ingest.labels import folded_key

NameScope = Literal["any", "victim", "none"]
KINDS_VI = {
    "ID": "số định danh/CMND/CCCD",
    "PHONE": "số điện thoại",
    "EMAIL": "địa chỉ email",
    "NAME": "họ tên người",
}

_EMAIL = re2.compile(r"[\pL\pN_.+\-]+@[\pL\pN_\-]+(?:\.[\pL\pN_\-]+)+")
# a run of digits with the separators people put in phone numbers and IDs; checked group by group below
_DIGIT_RUN = re2.compile(r"\+?\(?\d[\d .\-()]*\d\)?|\d")
_GROUP = re.compile(r"\d+")
_ASCII_DIGITS = "0123456789"  # the only digits RE2's \d (in _DIGIT_RUN) matches
_FEWEST_DIGITS = 9  # a CMND has 9 digits, a phone number 9 after its 0 or 84: nothing shorter is either
_UNIT_AFTER = re.compile(r"\s*(?:đồng|đ\b|vnđ|vnd|triệu|nghìn|ngàn|tỷ|người|lượt|%)", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")  # letters only; one pass, linear
# zero-width and bidi formatting characters a name can hide behind
_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)

# Vietnamese surnames (Kinh and ethnic minorities), complete enough that a name is caught by its first word.
_SURNAMES = """
Âu Bạch Bàn Bế Biện Bùi Cà Cái Cầm Cao Cấn Châu Chảo Chế Chìu Chu Chử Chung Công Cù Cung Dương Diệp
Doãn Dư Đàm Đào Đặng Đậu Đèo Điêu Đinh Đoàn Đồng Đỗ Đường Giang Giàng Giáp Hà Hạ Hàn Hạng Hầu Hồ Hoa
Hoàng Hồng Hờ Hứa Huỳnh Kha Khà Khổng Khúc Khương Kiều Kim La Lã Lạc Lại Lâm Lăng Lầu Lê Lều Liêu Liễu
Lò Lộc Lục Lù Lữ Lưu Lương Lường Lý Ly Ma Má Mã Mạc Mạch Mai Mẫn Mè Mùa Mông Nghiêm Ngô Ngọc Nguyễn
Nhâm Ninh Nịnh Nông Ông Ôn Phạm Phan Phàn Phí Phó Phùng Phương Quách Quan Quản Quàng Sa Sầm Sình Sùng
Sơn Tạ Tăng Tẩn Thạch Thái Thân Thào Thẩm Thiều Thò Tiêu Tô Tôn Tống Tòng Trà Trang Trần Triệu Trình
Trịnh Trưng Trương Từ Ung Uông Văn Vàng Vi Viên Võ Vũ Vừ Vương Vy Xồng Yên
"""
# Surnames that are also common words or start place names ("Cao Bằng", "Hà Nội", "Đoàn Thanh niên"):
# with one given name only they are not taken for a name.
_WEAK = """
Cà Cao Chế Tiêu Tăng Trình Kha Hạng Lều Cầm Hà Lâm La Mai Tô Chu Đào Lý Hồ Kim Quan Sơn Giang Hoa Hồng
Phương Quang Trang Thái Văn Công Đồng Bạch Thạch Ông Ngọc Đoàn Ma Sa Trà Hạ Phó Thân Vi Yên Từ Ninh Lạc
Lộc Ly Cù Tôn Cung Chung Châu Ôn Vàng
"""
# Written without diacritics (file names): only surnames that stay unambiguous.
_ASCII_SURNAMES = "nguyen tran pham hoang huynh phan vu vo dang bui ngo duong dinh trinh luong truong phung quach vuong"
_HONORIFICS = {"chị", "bà", "anh", "ông", "cháu", "em", "bé", "cô", "chú", "chồng", "vợ", "con", "mẹ", "cha", "bố"}
# Words after which a capitalised sequence is a place, an institution or a street, not a person.
_PLACE_WORDS = set(
    """
    xã phường thị trấn huyện quận tỉnh thành phố tp đường thôn bản ấp xóm tổ khu làng buôn sóc trường thcs
    thpt th tiểu học mầm non đại cao đẳng bệnh viện chợ cầu sông núi đảo công viên quảng đền chùa nhà văn
    hóa hoá cụm phòng sở ban hội đoàn trung tâm tư tưởng lăng bảo tàng di tích giải thưởng đặc số kênh đình
    miếu hẻm ngõ ngách kiệt đội dự án
    """.split()
)
# Titles of officials: a name right after them is an official's, not a victim's.
_OFFICIAL_WORDS = set(
    """
    đồng chí đ/c đc chủ tịch bí thư giám đốc trưởng phó chánh cán bộ công chức viên ủy uỷ đại biểu tổ báo
    cáo lập
    """.split()
)
_FAMOUS = {"hồ chí minh", "võ nguyên giáp", "hai bà trưng", "bà triệu", "lê lợi", "trần hưng đạo", "quang trung"}
_VICTIM_CUES = (
    "nạn nhân", "bị bạo", "bị đánh", "bị hành hung", "bị xâm hại", "xâm hại", "hiếp", "bị mua bán",
    "bị lừa bán", "mua bán người", "bạo lực", "bị chồng", "bị vợ", "bị cha", "bị bố", "bị mẹ", "bị ngược đãi",
    "bị quấy rối", "quấy rối", "tảo hôn", "bị ép", "tự tử", "bỏ nhà", "người bị",
)  # fmt: skip


# each vocabulary with its forms written without diacritics ('Xa Tran Phu' is 'xã Trần Phú')
_PLACES = (frozenset(_PLACE_WORDS), frozenset(folded_key(word) for word in _PLACE_WORDS))
_OFFICIALS = (frozenset(_OFFICIAL_WORDS), frozenset(folded_key(word) for word in _OFFICIAL_WORDS))
SURNAMES = frozenset(name.casefold() for name in _SURNAMES.split())
WEAK_SURNAMES = frozenset(name.casefold() for name in _WEAK.split())
ASCII_SURNAMES = frozenset(_ASCII_SURNAMES.split())
_MIDDLE_NAMES = frozenset({"thị", "văn"})
# "văn hóa", "thị trấn": after these the middle name is an ordinary word
_NOT_GIVEN_NAMES = frozenset(
    "hóa hoá bản minh phòng học nghệ kiện thư hiến chương xuôi trấn xã trường phần sát hiếu uỷ ủy".split()
)
_FAMOUS_ASCII = frozenset(folded_key(name) for name in _FAMOUS)


def clean_text(text: str) -> str:
    """NFC, without zero-width and bidi formatting characters: the form every check reads."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    return text


@lru_cache(maxsize=1 << 16)  # labels, titles and category values recur in every file
def find_personal_data(text: str, names: NameScope = "none") -> str | None:
    """'ID', 'PHONE', 'EMAIL' or 'NAME' when the text holds such a value, else None. `names`: where a
    person's name counts ('any': always; 'victim': when the text speaks of a victim; 'none': never)."""
    text = clean_text(text)
    kind = find_contact(text)
    if kind is None and names != "none" and names_a_person(text, victim_context_needed=names == "victim"):
        kind = "NAME"
    return kind


def find_contact(text: str) -> str | None:
    """'EMAIL', 'PHONE' or 'ID' for contact data or an ID number in (cleaned) text, else None."""
    if "@" in text and _EMAIL.search(text):
        return "EMAIL"
    if sum(map(text.count, _ASCII_DIGITS)) < _FEWEST_DIGITS:
        return None  # too few digits for a phone number or an ID (counted in C): most texts
    found = None
    for match in _DIGIT_RUN.finditer(text):
        start, end = match.span()
        if end - start < _FEWEST_DIGITS:
            continue  # too short to hold that many digits ("P32-PH022", "2026"): neither a phone nor an ID
        kind = _digits_kind(text, start, end)
        if kind == "PHONE":
            return kind
        found = found or kind
    return found


def _digits_kind(text: str, start: int, end: int) -> str | None:
    span = text[start:end]
    groups = _GROUP.findall(span)
    digits = "".join(groups)
    # part of a decimal or grouped amount: 1.234.567,5 / 123456789,5 / 3,123456789
    before = text[start - 2 : start] if start >= 2 else ""
    after = text[end : end + 2]
    if (len(after) == 2 and after[0] in ".," and after[1].isdigit()) or (
        len(before) == 2 and before[1] in ".," and before[0].isdigit()
    ):
        return None
    international = span.lstrip("(").startswith("+") or digits.startswith("0084")
    national = digits[4:] if digits.startswith("0084") else digits[2:] if international else None
    if national is None and digits.startswith("84") and len(digits) in (11, 12):
        national = digits[2:]
    phone_like = len(groups) <= 6 and all(len(group) >= 2 for group in groups)
    if phone_like:
        if national is not None and len(national) in (9, 10) and national[0] != "0":
            return "PHONE"
        if digits.startswith("0") and len(digits) in (10, 11) and digits[1] != "0":
            return "PHONE"
    if _UNIT_AFTER.match(text, end):  # "193700000 đồng", "123456789 lượt": an amount, not an ID
        return None
    if len(groups) == 1 and len(digits) in (9, 12):
        return "ID"
    # "001 234 567 890": a CCCD in groups of three (a 9-digit group of three is an amount: 193 700 000)
    spaced = set(span) - set("0123456789") <= {" "} and all(len(group) == 3 for group in groups)
    if spaced and len(digits) == 12 and digits[0] == "0":
        return "ID"
    return None


def number_kind(value: float) -> str | None:
    """A number typed into a text column: 'ID' for 9 or 12 digits, 'PHONE' for 84 + 9 digits."""
    if value != value or value in (float("inf"), float("-inf")) or value != int(value) or value < 0:
        return None
    digits = str(int(value))
    if len(digits) in (9, 12):
        return "ID"
    if len(digits) == 11 and digits.startswith("84"):
        return "PHONE"
    return None


def speaks_of_a_victim(text: str) -> bool:
    folded = text.casefold()
    return any(cue in folded for cue in _VICTIM_CUES)


def names_a_person(text: str, *, victim_context_needed: bool = False) -> bool:
    """True when the (cleaned) text names a person (see the module docstring)."""
    if victim_context_needed and not speaks_of_a_victim(text):
        return False
    words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    for index, (word, _, _) in enumerate(words):
        folded = word.casefold()
        if folded in _HONORIFICS and _honorific_names(text, words, index):
            return True
        if (folded in SURNAMES or (word.isascii() and folded in ASCII_SURNAMES)) and _is_name(text, words, index):
            return True
    return False


def _style(word: str) -> str:
    if word.isupper() and len(word) > 1:
        return "upper"
    if word[0].isupper() and (len(word) == 1 or word[1:].islower()):
        return "title"
    if word.islower():
        return "lower"
    return "mixed"


def _following(text: str, words: list, index: int, style: str, most: int) -> list[str]:
    """The words after words[index] separated by spaces only and written in the same style."""
    found = []
    for word, start, _ in words[index + 1 : index + 1 + most]:
        gap = text[words[index + len(found)][2] : start]
        if gap.strip() or not gap or _style(word) != style:
            break
        found.append(word)
    return found


def _preceded_by(words: list, index: int, vocabulary: tuple[frozenset[str], frozenset[str]]) -> bool:
    """One of the two words before words[index] is in the vocabulary (`_PLACES`, `_OFFICIALS`), compared
    without diacritics when the word is written without them."""
    exact, without_diacritics = vocabulary
    for word, _, _ in words[max(0, index - 2) : index]:
        folded = word.casefold()
        if folded in exact or (word.isascii() and folded in without_diacritics):
            return True
    return False


def _is_name(text: str, words: list, index: int) -> bool:
    first = words[index][0]
    style = _style(first)
    if style == "mixed":
        return False
    rest = _following(text, words, index, style, 3)
    sequence = folded_key(" ".join([first, *rest]))
    if any(sequence.startswith(famous) for famous in _FAMOUS_ASCII):
        return False
    middle = len(rest) >= 2 and rest[0].casefold() in _MIDDLE_NAMES and rest[1].casefold() not in _NOT_GIVEN_NAMES
    weak = first.casefold() in WEAK_SURNAMES
    if style == "lower" and not (middle and not weak):
        return False
    if style == "upper" and not middle and (weak or _inside_a_heading(text, words, index, len(rest))):
        return False
    elif not rest or (len(rest) == 1 and (first.casefold() in WEAK_SURNAMES or first.isascii())):
        return False
    return not (_preceded_by(words, index, _PLACES) or _preceded_by(words, index, _OFFICIALS))


def _inside_a_heading(text: str, words: list, index: int, rest: int) -> bool:
    """An UPPER CASE run longer than a name ("VỤ VIỆC … VÀ VI PHẠM PHÁP LUẬT"): a heading, not a name."""
    before = index > 0 and not text[words[index - 1][2] : words[index][1]].strip()
    before = before and _style(words[index - 1][0]) == "upper"
    after = _following(text, words, index, "upper", rest + 1)
    return before or len(after) > rest


def _honorific_names(text: str, words: list, index: int) -> bool:
    """'chị Lan', 'cháu Minh', 'Bà Nguyễn Thị B' — but not 'bà con', 'Bà Rịa' (a place), 'ông bà'."""
    if index + 1 >= len(words):
        return False
    word, start, _ = words[index + 1]
    gap = text[words[index][2] : start]
    if gap != " " or _style(word) not in ("title", "upper"):
        return False
    if word.casefold() in {"rịa", "đen", "chiểu", "điểm", "quẹo", "hạt", "triệu", "trưng", "cuông", "tô", "sơn"}:
        return False
    return not _preceded_by(words, index, _PLACES)


@lru_cache(maxsize=1 << 14)
def stored_name(name: str, file_sha256: str) -> str:
    """The name a received file is recorded and shown under (see `redact_file_name`)."""
    return redact_file_name(name, file_sha256)


def redact_file_name(name: str, file_sha256: str) -> str:
    """The file name as stored and shown: unchanged, or a neutral name when it holds personal data."""
    stem, dot, suffix = name.rpartition(".")
    readable = (stem if dot else name).replace("_", " ").replace("-", " ")
    if find_personal_data(readable, "any") is None and find_personal_data(name, "none") is None:
        return name
    extension = f".{suffix}" if dot and suffix.isalnum() and len(suffix) <= 5 else ""
    return f"tep_co_thong_tin_ca_nhan_{file_sha256[:12]}{extension}"
