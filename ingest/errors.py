"""Ingest errors are values: collected per file, reported together, never raised to abort a batch."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

ERROR_CODES = (
    "UNREADABLE",
    "MISSING_SHEET",
    "MISSING_COLUMN",
    "UNKNOWN_UNIT",
    "UNKNOWN_PERIOD",
    "FORM_VERSION",
    "INVALID_VALUE",
    "PII_FOUND",
)


@dataclass(frozen=True)
class IngestError:
    """One thing the unit must fix: where (sheet, cell like 'C7') and what, in Vietnamese."""

    code: str
    message_vi: str
    sheet: str | None = None
    cell: str | None = None

    def __post_init__(self) -> None:
        if self.code not in ERROR_CODES:
            raise ValueError(f"unknown ingest error code {self.code!r}")


@lru_cache(maxsize=1 << 12)  # the identity cells of the form recur in every file
def cell_ref(row: int, col: int) -> str:
    """Zero-based (row, col) → Excel reference ('A1')."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"
