"""Every batch of every suite, in the order they are validated and reported.

Its own module so that both the runner (`expectations.run`) and the summary page (`expectations.docs`)
read the list without importing each other.
"""

from __future__ import annotations

from expectations import activity_costs, consistency, outliers, plan_tasks, reporting, validity
from expectations.checks import Batch

BATCHES: tuple[Batch, ...] = (
    *reporting.BATCHES,
    *validity.BATCHES,
    *consistency.BATCHES,
    *outliers.BATCHES,
    *activity_costs.BATCHES,
    *plan_tasks.BATCHES,
)
SUITES: tuple[str, ...] = tuple(dict.fromkeys(batch.suite for batch in BATCHES))
