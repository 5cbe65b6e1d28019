"""Great Expectations suites on the marts; outcomes land in `dq.results` (and optionally Data Docs).

Importing this package is cheap: `great_expectations` is imported only when `run_checks` runs.
"""

from expectations.results import CheckSummary, Finding, publishable
from expectations.run import run_checks

__all__ = ["CheckSummary", "Finding", "publishable", "run_checks"]
