"""Personal data in a sheet's cells: the scan every parsed sheet goes through (`ingest.parse`), with the
check of one cell and the error that names its kind and cell, never its value. What counts as personal
data is `ingest.personal_data`'s rule; this module only finds the cells to ask about, cheaply: a sheet
whose distinct texts are all known clean, and which holds no big number, costs a set difference.
"""

from __future__ import annotations

import datetime as dt

from ingest.errors import IngestError, cell_ref
from ingest.personal_data import KINDS_VI, find_personal_data, number_kind


def pii_kind(text: str, names_are_pii: bool) -> str | None:
    """The kind of personal data in one text cell (a key of `KINDS_VI`), or None: every check is here.
    A person's name counts anywhere on a sheet whose free text may name a victim (`names_are_pii`:
    VuViec), elsewhere when the text itself speaks of a victim (`ingest.personal_data`)."""
    return find_personal_data(text, "any" if names_are_pii else "victim")


def check_pii(parsed, sheet: str, r: int, c: int, text: str, *, names_are_pii: bool) -> None:
    """An error on `parsed` (a ParsedWorkbook) when the text of cell (r, c) holds personal data."""
    kind = pii_kind(text, names_are_pii)
    if kind is not None:
        parsed.errors.append(pii_error(kind, sheet, r, c))


def pii_error(kind: str, sheet: str, r: int, c: int) -> IngestError:
    """Names the kind of personal data and the cell, never the value."""
    return IngestError(
        "PII_FOUND",
        f"Ô có thông tin cá nhân ({KINDS_VI[kind]}). Báo cáo chỉ ghi số liệu tổng hợp: xóa thông tin này rồi gửi lại.",
        sheet=sheet,
        cell=cell_ref(r, c),
    )


def scan_free_text(
    parsed,
    sheet: str,
    grid: list[list],
    *,
    names_are_pii: bool,
    skip: set[tuple[int, int]] | frozenset = frozenset(),
    numbers_below: tuple[int, frozenset[int]] = (0, frozenset()),
) -> None:
    """Check every text cell for personal data, except `skip` cells and the number columns below a
    table's header (`numbers_below`: first data row, number columns), which are read as numbers."""
    first_data, number_cols = numbers_below
    texts, big, hashable = _texts_and_big_numbers(grid, _CLEAN[names_are_pii])
    clean = _all_clean(texts, names_are_pii)
    if clean and not big:
        return  # no text of the sheet holds personal data: no cell can (the usual sheet)
    for r, row in enumerate(grid):
        if clean and hashable and big.isdisjoint(row):
            continue  # clean texts and no big number: nothing to find on this row (judged in C)
        exempt = number_cols if r >= first_data else ()
        for c, value in enumerate(row):
            if c in exempt or (r, c) in skip:
                continue
            if value.__class__ is str:
                kind = None if clean or value == "" or value.isspace() else pii_kind(value, names_are_pii)
            elif value.__class__ is float and value >= 100_000_000:
                kind = number_kind(value)  # in a text column: an ID or a phone typed as a number
            else:
                continue
            if kind is not None:
                parsed.errors.append(pii_error(kind, sheet, r, c))


def _texts_and_big_numbers(grid: list[list], known: set[str]) -> tuple[set[str], set[float], bool]:
    """The sheet's distinct texts (but those in `known`, judged clean already), its distinct floats of 9
    digits or more (an ID or a phone typed as a number), and whether every cell is hashable (always, from
    calamine). Read from the sheet's distinct values less the known texts (both in C: most of a sheet's
    values are the form's own labels); only when an integer of that size is among them (an equal float may
    hide behind it in a set) is every cell looked at."""
    try:
        distinct = set().union(*grid)
    except TypeError:  # an unhashable cell (never from calamine)
        distinct = None
    if distinct is not None:
        distinct = distinct - known  # (not -=, which walks all of `known`; a text equals no value of another kind)
        texts, big = set(), set()
        for value in distinct:
            kind = value.__class__
            if kind is str:
                texts.add(value)
            elif kind is float:
                if value >= 100_000_000:
                    big.add(value)
            elif kind not in _PLAIN_KINDS or kind is int and value >= 100_000_000:
                break
        else:
            return texts, big, True
    texts, big = set(), set()
    for row in grid:
        for value in row:
            if value.__class__ is str:
                texts.add(value)
            elif value.__class__ is float and value >= 100_000_000:
                big.add(value)
    return texts, big, distinct is not None


# no value of these kinds equals a float of 9 digits or more, but a big int may
_PLAIN_KINDS = frozenset({type(None), bool, int, dt.date, dt.datetime, dt.time, dt.timedelta})
_CLEAN: dict[bool, set[str]] = {False: set(), True: set()}  # texts judged free of personal data, by names_are_pii
_CLEAN_LIMIT = 1 << 16  # titles, labels and category values recur in every file; a unit's own text does not


def _all_clean(texts: set[str], names_are_pii: bool) -> bool:
    """True when no text of `texts` holds personal data (`_pii_kind`, the checks of every cell); texts
    judged clean are remembered, so a sheet of known texts costs one set difference."""
    clean = _CLEAN[names_are_pii]
    for text in texts - clean:
        if pii_kind(text, names_are_pii) is not None:
            return False
        if len(clean) < _CLEAN_LIMIT:
            clean.add(text)
    return True
