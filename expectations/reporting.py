"""The `reporting_completeness` suite: did every expected unit send an accepted report, on time?

Declared once as data (name, severity, which statuses fail); `build_suite` turns it into a Great
Expectations suite. Kept free of a module-level `great_expectations` import: that import takes seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from great_expectations.core.expectation_suite import ExpectationSuite

SUITE_NAME = "reporting_completeness"
TABLE = "marts.rpt_reporting_status"
# Identifies the failing row (one row per unit × period in the mart).
INDEX_COLUMNS = ("unit_code", "report_year", "report_type")

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class StatusExpectation:
    """`status` must not be one of `failing_statuses`; each failing row is one unit to chase."""

    name: str
    severity: Severity
    failing_statuses: tuple[str, ...]
    description_vi: str


# 'pending' (not yet due) is never a failure; 'on_time' never is either.
REPORTING_EXPECTATIONS: tuple[StatusExpectation, ...] = (
    StatusExpectation(
        name="every_expected_unit_reported",
        severity="error",
        failing_statuses=("missing", "rejected"),
        description_vi="Mọi đơn vị phải báo cáo đều có báo cáo được chấp nhận (không thiếu, không bị từ chối).",
    ),
    StatusExpectation(
        name="every_unit_reported_on_time",
        severity="warning",
        failing_statuses=("late",),
        description_vi="Mọi đơn vị nộp báo cáo đúng hạn.",
    ),
)

# Our severities → Great Expectations' own FailureSeverity values (shown in Data Docs).
_GX_SEVERITY = {"error": "critical", "warning": "warning"}


def build_suite() -> ExpectationSuite:
    """Build the (unsaved) Great Expectations suite for `marts.rpt_reporting_status`.

    Each expectation carries `meta = {"name", "severity"}`; the runner reads them back from the results.
    """
    import great_expectations as gx

    suite = gx.ExpectationSuite(name=SUITE_NAME)
    for check in REPORTING_EXPECTATIONS:
        suite.add_expectation(
            gx.expectations.ExpectColumnValuesToNotBeInSet(
                column="status",
                value_set=list(check.failing_statuses),
                description=check.description_vi,
                severity=_GX_SEVERITY[check.severity],
                meta={"name": check.name, "severity": check.severity},
            )
        )
    return suite
