"""Expectation outcomes as plain values, and their home in the warehouse: table `dq.results`.

`dq.results` keeps every run (rows are only ever appended, so trends show): one summary row per
expectation and run (`unit_code` null, `success` = the expectation's overall outcome, `observed` =
`failing/checked` rows) plus one row per failing row (`success` false): per unit for the completeness
suite (`observed` = `missing`, `rejected`, `pending`, `late:3`), per form row or measure for the others
(`observed` says where and what, in Vietnamese), and per rejected file no unit can be tied to
(`unit_code` null, `observed` = file name and error codes).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

DQ_DDL = """
create schema if not exists dq;

create table if not exists dq.results (
    run_at          timestamptz not null,
    run_id          varchar not null,
    suite           varchar not null,
    expectation     varchar not null,
    severity        varchar not null,
    success         boolean not null,
    unit_code       varchar,
    report_year     integer,
    report_type     varchar,
    observed        varchar
);
"""

RESULT_COLUMNS = (
    "run_at",
    "run_id",
    "suite",
    "expectation",
    "severity",
    "success",
    "unit_code",
    "report_year",
    "report_type",
    "observed",
)


@dataclass(frozen=True)
class Finding:
    """One row of `dq.results` without its run: an expectation's outcome, overall or for one unit."""

    suite: str
    expectation: str
    severity: str
    success: bool
    unit_code: str | None = None
    report_year: int | None = None
    report_type: str | None = None
    observed: str | None = None


@dataclass
class CheckSummary:
    """What one `run_checks` call found.

    - `findings`: one per failing row (what to chase or correct), `outcomes`: one overall row per
      expectation.
    - `counts`: findings by severity, e.g. `{"error": 2, "warning": 1}` (every severity present).
    - `success`: no finding of severity `error` (the same as `publishable(summary)`).
    - `data_docs_index`: Great Expectations' Data Docs index; `summary_html`: our offline summary page.
    """

    run_id: str
    run_at: datetime
    outcomes: list[Finding] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    data_docs_index: Path | None = None
    summary_html: Path | None = None

    @property
    def counts(self) -> dict[str, int]:
        counts = Counter({"error": 0, "warning": 0})
        counts.update(finding.severity for finding in self.findings)
        return dict(counts)

    @property
    def success(self) -> bool:
        return self.counts.get("error", 0) == 0

    def counts_by_expectation(self) -> dict[tuple[str, str, str], int]:
        """Findings per (suite, expectation, severity), in declaration order."""
        counts: dict[tuple[str, str, str], int] = {}
        for outcome in self.outcomes:
            counts[(outcome.suite, outcome.expectation, outcome.severity)] = 0
        for finding in self.findings:
            key = (finding.suite, finding.expectation, finding.severity)
            counts[key] = counts.get(key, 0) + 1
        return counts

    def rows(self) -> list[Finding]:
        """All rows this run writes to `dq.results`: overall outcomes first, then failing units."""
        return [*self.outcomes, *self.findings]


def publishable(summary: CheckSummary) -> bool:
    """May the ministry report of the checked period be published? True when no finding has severity
    `error` (a figure of the report would be wrong: see the severity rule in `expectations.checks`);
    warnings (missing, late, pending units, doubtful values) are listed but never block.
    """
    return not any(finding.severity == "error" for finding in summary.findings)


def write_results(con: duckdb.DuckDBPyConnection, summary: CheckSummary) -> int:
    """Append the run's rows to `dq.results` (creating schema and table if missing) in one transaction.

    Returns the number of rows written.
    """
    import pandas as pd

    rows = summary.rows()
    frame = pd.DataFrame(
        [
            {
                "run_at": summary.run_at,
                "run_id": summary.run_id,
                "suite": row.suite,
                "expectation": row.expectation,
                "severity": row.severity,
                "success": row.success,
                "unit_code": row.unit_code,
                "report_year": row.report_year,
                "report_type": row.report_type,
                "observed": row.observed,
            }
            for row in rows
        ],
        columns=list(RESULT_COLUMNS),
    )
    con.execute("begin transaction")
    try:
        con.execute(DQ_DDL)
        if rows:
            con.register("_dq_new_results", frame)
            try:
                con.execute(
                    f"insert into dq.results ({', '.join(RESULT_COLUMNS)}) "
                    f"select {', '.join(RESULT_COLUMNS)} from _dq_new_results"
                )
            finally:
                con.unregister("_dq_new_results")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return len(rows)
