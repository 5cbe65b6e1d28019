"""Finding a declared sheet's labels in a messy grid: the header row of a table (below titles and merged
cells, within the first HEADER_SEARCH_ROWS rows, one or two rows high) and which sheet column holds
which form column. Lookups are cached per sheet spec, since the same form's headers recur in every file.
"""

from __future__ import annotations

from functools import lru_cache

from ingest.form_bdg1 import Column, LabelValueSheet, TableSheet
from ingest.labels import LabelIndex, folded_key, label_key
from ingest.values import is_blank

HEADER_SEARCH_ROWS = 15


_SPECS: dict[int, TableSheet | LabelValueSheet] = {}  # id → spec, kept alive so that ids stay unique


def spec_key(spec) -> int:
    """A cheap cache key for a sheet spec (hashing the frozen dataclass itself walks all its columns)."""
    _SPECS.setdefault(id(spec), spec)
    return id(spec)


_COLUMN_INDEX: dict[int, LabelIndex] = {}


def column_index(spec) -> LabelIndex:
    """Labels (and aliases) of a sheet's columns or rows → Column, built once per sheet spec."""
    index = _COLUMN_INDEX.get(spec_key(spec))
    if index is None:
        columns = spec.columns if isinstance(spec, TableSheet) else spec.rows
        entries = {label: column for column in columns for label in (column.label, *column.aliases)}
        index = _COLUMN_INDEX[spec_key(spec)] = LabelIndex(entries)
    return index


def find_header(spec: TableSheet, grid: list[list]) -> tuple[int, dict[int, Column]] | None:
    """The header row and which sheet column holds which form column, or None if not found.

    Handles a two-row header ("Quy hoạch" merged above "Tổng số | Nữ | …", the other labels merged down
    over both rows): a cell is also tried as "<group above>: <cell>", these combined labels win over
    plain ones, and the labels of the row above join them. The header row returned is the lower one.
    """
    two_rows, key = bool(_sub_labels(spec)), spec_key(spec)
    may_name = _may_name_column(spec)
    best: tuple[int, dict[int, Column]] | None = None
    for r in range(min(HEADER_SEARCH_ROWS, len(grid))):
        if not may_name(grid[r]):
            continue  # no cell of this row can name a column, alone or under a group: no mapping
        above = tuple(grid[r - 1]) if r > 0 and two_rows else ()
        mapping = _header_mapping(key, tuple(grid[r]), above)
        grouped = _header_mapping(key, tuple(grid[r]), above, plain=False) if above else {}
        if grouped:  # sub-labels under their groups: the row above is the header's upper half
            upper = _header_mapping(key, above, ())
            taken = {column.name for column in mapping.values()}
            mapping = {**{c: col for c, col in upper.items() if c not in mapping and col.name not in taken}, **mapping}
        if mapping and (best is None or len(mapping) > len(best[1])):
            best = (r, mapping)
            if len(mapping) == len(spec.columns):
                break  # every column found: no better header row can follow
    if best is None or len(best[1]) < 2:
        return None
    return best


@lru_cache(maxsize=1 << 12)  # a form's title and header rows recur in every file
def _header_mapping(key: int, row: tuple, above: tuple, plain: bool = True) -> dict[int, Column]:
    """Which form column each cell of `row` names, read as a header row (`above`: the row over it);
    without `plain`, only the cells that name a column together with their group above."""
    spec = _SPECS[key]
    index, sub_labels = column_index(spec), _sub_labels(spec)
    texts = [(c, value) for c, value in enumerate(row) if value.__class__ is str and value.strip()]
    if not texts:
        return {}
    above = _forward_filled(above) if above else ()
    mapping: dict[int, Column] = {}
    taken: set[str] = set()
    for combined in ((True, False) if plain else (True,)) if above else (False,):
        for c, value in texts:
            if c in mapping:
                continue
            if combined:
                # only a group's sub-label ("Tổng số" under "Quy hoạch") can combine with it
                group = above[c] if c < len(above) else ""
                if folded_key(value) not in sub_labels or is_blank(group) or label_key(group) == label_key(value):
                    continue
                column = index.find(f"{group}: {value}")
            else:
                column = index.find(value)
            if column is not None and column.name not in taken:
                mapping[c] = column
                taken.add(column.name)
    return mapping


_MAY_NAME: dict[int, object] = {}
_MAY_NAME_LIMIT = 1 << 16  # remembered cells per sheet spec: titles recur, a unit's own text does not


def _may_name_column(spec: TableSheet):
    """A test of one row: can `_header_mapping` map any of its cells, as a label (or alias) or as a
    sub-label under a group? Only non-blank text can. Verdicts are remembered per cell value, since
    titles and blank cells recur: a row of known cells is judged without a Python loop."""
    found = _MAY_NAME.get(spec_key(spec))
    if found is None:
        index, sub_labels, seen = column_index(spec), _sub_labels(spec), {"": False, None: False}

        def judge(value: object) -> bool:
            verdict = value.__class__ is str and bool(value.strip())
            if verdict:
                verdict = index.find(value) is not None or folded_key(value) in sub_labels
            if len(seen) < _MAY_NAME_LIMIT and value.__hash__ is not None:
                seen[value] = verdict
            return verdict

        def may_name(row: list) -> bool:
            try:
                verdicts = set(map(seen.get, row))
            except TypeError:  # an unhashable cell (never from calamine): judge every cell
                verdicts = {None}
            if True in verdicts:
                return True
            # a cell not judged before: 1.0 and True (equal keys) are both False, as every non-text is
            return None in verdicts and any(judge(value) for value in row if _unjudged(seen, value))

        found = _MAY_NAME[spec_key(spec)] = may_name
    return found


def _unjudged(seen: dict, value: object) -> bool:
    try:
        return seen.get(value) is None
    except TypeError:
        return True


_SUB_LABELS: dict[int, frozenset[str]] = {}


def _sub_labels(spec: TableSheet) -> frozenset[str]:
    """Folded keys of the parts after ': ' in a sheet's labels ("Quy hoạch: nữ" → "nu")."""
    found = _SUB_LABELS.get(spec_key(spec))
    if found is None:
        labels = [label for column in spec.columns for label in (column.label, *column.aliases)]
        found = _SUB_LABELS[spec_key(spec)] = frozenset(
            folded_key(label.split(": ", 1)[1]) for label in labels if ": " in label
        )
    return found


def _forward_filled(row: list) -> list:
    """Merged header cells arrive as one value and blanks to its right: carry the value across."""
    filled, current = [], ""
    for value in row:
        if not is_blank(value):
            current = value
        filled.append(current)
    return filled
