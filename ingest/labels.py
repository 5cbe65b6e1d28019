"""Matching what units type against what the form expects.

Units write labels and category values by hand: any case, NFC or NFD, stray spaces, a trailing colon,
sometimes without diacritics. `label_key` is the exact-but-forgiving key; `folded_key` drops diacritics
and is used only as a fallback when it is unambiguous.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_EDGE_PUNCT = " \t\r\n:*.;-–"
_NUMBERING = re.compile(r"^(?:\(?\d{1,2}[.)]|[IVX]{1,4}\.)\s+")  # "1. ", "(2) ", "3) ", "IV. " before a label
_FOOTNOTE = re.compile(r"\s*\((?:\*{1,3}|\d{1,2})\)$")  # " (*)", " (1)" after it


@lru_cache(maxsize=1 << 16)  # the same titles and labels recur in every file of a batch
def label_key(value: object) -> str:
    """NFC, case-folded, single-spaced, without surrounding punctuation (':' '*'), a leading item number
    ("1. Loại hoạt động") or a trailing footnote mark ("Số lượng (*)")."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ")).strip(_EDGE_PUNCT)
    text = _FOOTNOTE.sub("", _NUMBERING.sub("", text)).strip(_EDGE_PUNCT)
    return text.casefold()


class _CombiningMarks(dict):
    """A `str.translate` table that deletes combining marks: each code point is judged once."""

    def __missing__(self, point: int) -> int | None:
        self[point] = None if unicodedata.combining(chr(point)) else point
        return self[point]


_NO_COMBINING = _CombiningMarks()


@lru_cache(maxsize=1 << 16)
def folded_key(value: object) -> str:
    """`label_key` without diacritics (đ → d): the fallback for files typed without accents."""
    key = label_key(value)
    if key.isascii():
        return key  # nothing to decompose or drop
    return unicodedata.normalize("NFD", key).replace("đ", "d").translate(_NO_COMBINING)


@lru_cache(maxsize=1 << 12)  # a workbook's sheet names recur in every file
def sheet_key(name: str) -> str:
    """Sheet names compare without case, diacritics, spaces or underscores ("Hoạt động" = "HoatDong")."""
    return re.sub(r"[\s_\-.]", "", folded_key(name))


_FOUND_LIMIT = 1 << 16  # remembered lookups per index: free text seen while scanning is unbounded


class LabelIndex:
    """Finds the canonical entry for a typed label, exact key first, then folded key if unique."""

    def __init__(self, entries: dict[str, object]):
        self._exact: dict[str, object] = {}
        folded: dict[str, list[object]] = {}
        for text, target in entries.items():
            self._exact.setdefault(label_key(text), target)
            folded.setdefault(folded_key(text), []).append(target)
        self._folded = {key: targets[0] for key, targets in folded.items() if len(set(map(id, targets))) == 1}
        self._found: dict[str, object | None] = {}  # typed text → hit: the same labels recur in every file

    def find(self, typed: object) -> object | None:
        """The entry `typed` names (exact key, else a unique folded key), or None."""
        if typed is None or typed == "":
            return None
        if typed.__class__ is str and typed in self._found:
            return self._found[typed]
        hit = self._exact.get(label_key(typed))
        if hit is None:
            hit = self._folded.get(folded_key(typed))
        if typed.__class__ is str and len(self._found) < _FOUND_LIMIT:
            self._found[typed] = hit
        return hit
