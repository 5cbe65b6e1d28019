"""The province a document speaks for: its name and issuing authority ('UBND TỈNH BẮC NINH'), read from the
unit registry (`marts.dim_units`). One place for every document that prints it: the reminder letter
(`report.letter`), the narrative and the HTML report.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from report import formatting as vnformat

# The 34 provinces and centrally-run cities after the 2025 reform, by administrative code.
PROVINCE_NAMES = {
    "01": "Hà Nội", "04": "Cao Bằng", "08": "Tuyên Quang", "11": "Điện Biên", "12": "Lai Châu",
    "14": "Sơn La", "15": "Lào Cai", "19": "Thái Nguyên", "20": "Lạng Sơn", "22": "Quảng Ninh",
    "24": "Bắc Ninh", "25": "Phú Thọ", "31": "Hải Phòng", "33": "Hưng Yên", "37": "Ninh Bình",
    "38": "Thanh Hóa", "40": "Nghệ An", "42": "Hà Tĩnh", "44": "Quảng Trị", "46": "Huế",
    "48": "Đà Nẵng", "51": "Quảng Ngãi", "52": "Gia Lai", "56": "Khánh Hòa", "66": "Đắk Lắk",
    "68": "Lâm Đồng", "75": "Đồng Nai", "79": "Hồ Chí Minh", "80": "Tây Ninh", "82": "Đồng Tháp",
    "86": "Vĩnh Long", "91": "An Giang", "92": "Cần Thơ", "96": "Cà Mau",
}  # fmt: skip
CITY_CODES = frozenset({"01", "31", "46", "48", "79", "92"})  # "UBND THÀNH PHỐ …"
UNKNOWN_NAME = "……"
# The head of a document covering several provinces (a warehouse holding more than one).
SEVERAL_PROVINCES_AUTHORITY = "UBND CÁC TỈNH, THÀNH PHỐ"


@dataclass(frozen=True)
class Province:
    """The province whose Sở Nội vụ signs a document."""

    code: str
    name: str  # "Bắc Ninh", "Tỉnh mẫu 02"

    @property
    def level(self) -> str:
        """'tỉnh' or 'thành phố' (centrally-run city)."""
        if self.name.casefold().startswith("thành phố") or self.code in CITY_CODES:
            return "thành phố"
        return "tỉnh"

    @property
    def authority(self) -> str:
        """'UBND TỈNH BẮC NINH', 'UBND THÀNH PHỐ HÀ NỘI', 'UBND TỈNH MẪU 02'."""
        if self.name.casefold().startswith(("tỉnh", "thành phố")):
            return f"UBND {self.name.upper()}"
        return f"UBND {self.level.upper()} {self.name.upper()}"


_IN_NAME = re.compile(r"\b(?:tỉnh|thành phố)\s+((?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ]\w*\s?)+)")


def province_name(province_code: str, unit_names: list[str] = ()) -> str:
    """The province's name for the letter head: the 34-province table, synthetic 'P02' → 'Tỉnh mẫu 02',
    else the name most of its unit names carry ('Công an tỉnh Lào Cai' → 'Lào Cai'), else '……'."""
    code = str(province_code).strip()
    if code in PROVINCE_NAMES:
        return PROVINCE_NAMES[code]
    synthetic = re.fullmatch(r"P(\d{2})", code)
    if synthetic:
        return f"Tỉnh mẫu {synthetic.group(1)}"
    found = Counter(
        match.group(1).strip() for name in unit_names for match in _IN_NAME.finditer(unicodedata.normalize("NFC", name))
    )
    if found:
        return found.most_common(1)[0][0]
    return UNKNOWN_NAME


def read_provinces(con) -> dict[str, Province]:
    """Each province of the unit registry (`marts.dim_units`) with its name (see `province_name`), by code.
    Failure modes: duckdb.Error when the mart is missing."""
    names: dict[str, list[str]] = {}
    # ordered: the most common name wins, and a tie goes to the first one seen
    rows = con.execute("select province_code, unit_name from marts.dim_units order by all").fetchall()
    for code, unit_name in rows:
        names.setdefault(str(code), []).append(vnformat.nfc(unit_name))
    return {code: Province(code, province_name(code, unit_names)) for code, unit_names in names.items()}


def authority_of(provinces: list[Province]) -> str:
    """The first line of a document's head: one province's 'UBND TỈNH BẮC NINH'; several provinces'
    'UBND CÁC TỈNH, THÀNH PHỐ'; none (an empty registry) 'UBND TỈNH ……'."""
    if len(provinces) == 1:
        return provinces[0].authority
    if len(provinces) > 1:
        return SEVERAL_PROVINCES_AUTHORITY
    return f"UBND TỈNH {UNKNOWN_NAME}"


def place_of(provinces: list[Province]) -> str:
    """Where a document is dated: one province's name ('Bắc Ninh'), else '……'."""
    return provinces[0].name if len(provinces) == 1 else UNKNOWN_NAME
