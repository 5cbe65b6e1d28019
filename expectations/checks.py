"""The building blocks every suite is declared with: a `Check` (one expectation) and a `Batch` (one
pandas frame read from DuckDB, validated with a list of checks).

Severity rule (what `error` and `warning` mean, for every suite):

- `error` — the finding makes a figure of the ministry report wrong, so the report must not be published
  until the unit corrects and resubmits its file: a sub-count larger than its total (female > total
  participants, handled > detected cases, supported or child victims > victims, female leaders > leaders,
  planning pool trained > pool female > pool total), female + male ≠ total, a totals row ("Tổng cộng")
  that differs from the sum of the rows above it. `publishable(summary)` is false while any error stands.
- `warning` — listed and chased, but the report can be published with it: the report states its own
  reporting and on-time rates, so a missing, rejected, late or still pending unit lowers a rate without
  making a figure wrong; doubtful but possible values (an activity dated outside the period, an
  implausible budget, an annual figure below the 6-month one, an outlier against the unit's history or
  peers) need a look, not a block.

A batch frame always carries `INDEX_COLUMNS` (unit_code, report_year, report_type, row_id): GE reports the
failing rows by them, and `row_id` finds the row again to describe what was observed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, localcontext
from typing import TYPE_CHECKING, Any, Literal

from babel.dates import format_date
from babel.numbers import format_decimal

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

Severity = Literal["error", "warning"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning")
INDEX_COLUMNS = ("unit_code", "report_year", "report_type", "row_id")
# Our severities → Great Expectations' FailureSeverity values (shown in Data Docs).
GX_SEVERITY = {"error": "critical", "warning": "warning"}


@dataclass(frozen=True)
class Scope:
    """Which reporting period(s) a run is about; None means every period in the warehouse."""

    report_year: int | None = None
    report_type: str | None = None

    def where(self, alias: str = "") -> tuple[str, list[Any]]:
        """A SQL condition (`true` when unscoped) and its parameters, for a table alias."""
        prefix = f"{alias}." if alias else ""
        conditions, params = ["true"], []
        if self.report_year is not None:
            conditions.append(f"{prefix}report_year = ?")
            params.append(int(self.report_year))
        if self.report_type is not None:
            conditions.append(f"{prefix}report_type = ?")
            params.append(self.report_type)
        return " and ".join(conditions), params

    def contains(self, report_year: int, report_type: str) -> bool:
        return (self.report_year is None or self.report_year == report_year) and (
            self.report_type is None or self.report_type == report_type
        )


@dataclass(frozen=True)
class Check:
    """One expectation: its stable name (in `dq.results.expectation`), severity, Vietnamese description,
    how to build the Great Expectations expectation (`build(gx)`, without meta) and how to describe a
    failing row for people (`observed(row)`, row = the batch frame's row as a mapping)."""

    name: str
    severity: Severity
    description_vi: str
    build: Callable[[Any], Any]
    observed: Callable[[Mapping[str, Any]], str]

    def expectation(self, gx: Any) -> Any:
        expectation = self.build(gx)
        expectation.description = self.description_vi
        expectation.severity = GX_SEVERITY[self.severity]
        expectation.meta = {"name": self.name, "severity": self.severity}
        return expectation


@dataclass(frozen=True)
class Batch:
    """One frame to validate: `read(con, scope)` returns it (with `INDEX_COLUMNS`), `checks` run on it.

    `suite` is the logical suite written to `dq.results.suite`; the Great Expectations suite is named
    `<suite>.<name>` (one GE suite per frame).
    """

    suite: str
    name: str
    source: str  # the tables read, for people (Data Docs, summary)
    read: Callable[[duckdb.DuckDBPyConnection, Scope], pd.DataFrame]
    checks: tuple[Check, ...]

    @property
    def gx_suite_name(self) -> str:
        return f"{self.suite}.{self.name}"


def with_row_ids(frame: pd.DataFrame) -> pd.DataFrame:
    """Add `row_id` 0..n-1 (the frame's identity for failing rows) and reset the index."""
    frame = frame.reset_index(drop=True)
    frame["row_id"] = range(len(frame))
    return frame


def ge_pair(column_a: str, column_b: str) -> Callable[[Any], Any]:
    """`column_a >= column_b` on every row where both are filled."""
    return lambda gx: gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=column_a, column_B=column_b, or_equal=True, ignore_row_if="either_value_is_missing"
    )


def ge_between(column: str, min_value: float | None, max_value: float | None) -> Callable[[Any], Any]:
    """`min_value <= column <= max_value` on every row where the column is filled (nulls are skipped)."""
    return lambda gx: gx.expectations.ExpectColumnValuesToBeBetween(
        column=column, min_value=min_value, max_value=max_value
    )


def ge_not_in(column: str, values: tuple[str, ...]) -> Callable[[Any], Any]:
    return lambda gx: gx.expectations.ExpectColumnValuesToNotBeInSet(column=column, value_set=list(values))


# --- how observed values are written: Babel's vi_VN locale, as report.formatting (not imported: data flows
# one way, expectations never import report/) -----------------------------------------------------------

LOCALE = "vi_VN"
MISSING_TEXT = "–"


def _missing(value: Any) -> bool:
    return value is None or value != value  # None, NaN or NaT


def vn_number(value: Any) -> str:
    """1234567 → '1.234.567', 2.5 → '2,5' (at most 2 decimals, no trailing zeros), missing → '–'."""
    if _missing(value):
        return MISSING_TEXT
    with localcontext() as context:  # Babel rounds with the decimal context: half up, as report.formatting
        context.rounding = ROUND_HALF_UP
        text = format_decimal(value, "#,##0.##", locale=LOCALE)
    return "0" if text == "-0" else text  # a tiny negative rounds to zero, unsigned


def vn_date(value: Any) -> str:
    """A date (or datetime, pandas Timestamp) as dd/mm/yyyy, missing → '–'."""
    if _missing(value):
        return MISSING_TEXT
    return format_date(value, "dd/MM/yyyy", locale=LOCALE)
