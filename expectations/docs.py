"""An offline summary page next to Great Expectations' Data Docs: `data_docs/summary.html`.

GE's own pages load Bootstrap, jQuery and fonts from CDNs; offline they are bare. This page is plain HTML
with inline CSS and no scripts or external resources: the run's verdict (publishable or not), findings by
severity, every expectation's outcome, every finding with the unit's name, and the trend of the last runs
from `dq.results`. The markup is the Jinja2 template `expectations/templates/summary.html.j2`
(autoescaped); this module only gathers the values.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from expectations.checks import SEVERITIES, Scope
from expectations.results import CheckSummary, publishable
from expectations.suites import BATCHES
from ingest.atomic import atomic_output

if TYPE_CHECKING:
    import duckdb

SUMMARY_FILE = "summary.html"
TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE = "summary.html.j2"
TREND_RUNS = 15
_SEVERITY_VI = {"error": "Lỗi (chặn công bố)", "warning": "Cảnh báo"}
_PERIOD_VI = {"6T": "6 tháng", "NAM": "năm"}
_TIME_FORMAT = "%d/%m/%Y %H:%M"


def write_summary_page(con: duckdb.DuckDBPyConnection, summary: CheckSummary, scope: Scope, out_dir: Path) -> Path:
    """Write `out_dir/summary.html` for this run (after its rows were written to `dq.results`).

    Reads unit names from `marts.dim_units` and the trend from `dq.results`; returns the page's path.
    Failure modes: `duckdb.Error` when either table is missing; the previous page stays on a failed write.
    """
    # jinja2 imported here: importing the expectations package stays cheap.
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        finalize=lambda value: "" if value is None else value,  # a blank cell, never "None"
        trim_blocks=True,
        lstrip_blocks=True,
    )
    page = env.get_template(TEMPLATE).render(**summary_context(con, summary, scope))
    path = Path(out_dir) / SUMMARY_FILE
    with atomic_output(path) as tmp:
        tmp.write_text(unicodedata.normalize("NFC", page), encoding="utf-8")
    return path


def summary_context(con: duckdb.DuckDBPyConnection, summary: CheckSummary, scope: Scope) -> dict[str, Any]:
    """The values the summary template shows, as plain strings, numbers and lists of dicts."""
    descriptions = {check.name: check.description_vi for batch in BATCHES for check in batch.checks}
    names = dict(con.execute("select unit_code, unit_name from marts.dim_units").fetchall())
    if scope.report_type is None:
        period = f"mọi kỳ năm {scope.report_year}" if scope.report_year else "mọi kỳ"
    else:
        period = f"kỳ {_PERIOD_VI[scope.report_type]}" + (f" {scope.report_year}" if scope.report_year else "")
    counts = summary.counts
    ordered = sorted(
        summary.findings,
        key=lambda f: (SEVERITIES.index(f.severity), f.suite, f.expectation, f.unit_code or "", f.observed or ""),
    )
    return {
        "period": period,
        "run_id": summary.run_id,
        "run_at": f"{summary.run_at:{_TIME_FORMAT}}",
        "publishable": publishable(summary),
        "error_count": counts["error"],
        "severities": [
            {"code": severity, "label": _SEVERITY_VI[severity], "count": counts.get(severity, 0)}
            for severity in SEVERITIES
        ],
        "outcomes": [
            {
                "suite": outcome.suite,
                "expectation": outcome.expectation,
                "severity": outcome.severity,
                "description": descriptions.get(outcome.expectation, ""),
                "css": "ok" if outcome.success else outcome.severity,
                "observed": outcome.observed,
            }
            for outcome in summary.outcomes
        ],
        "findings": [
            {
                "severity": finding.severity,
                "expectation": finding.expectation,
                "unit_code": finding.unit_code,
                "unit_name": names.get(finding.unit_code, ""),
                "period": f"{finding.report_type or ''} {finding.report_year or ''}",
                "observed": finding.observed,
            }
            for finding in ordered
        ],
        "trend": _trend(con, scope),
        "has_data_docs": summary.data_docs_index is not None,
    }


def _trend(con: duckdb.DuckDBPyConnection, scope: Scope) -> list[dict[str, Any]]:
    """Findings per severity over the last runs of the same scope (from dq.results), oldest first."""
    # Summary rows (one per expectation and run: unit_code null, observed 'failing/checked') carry the counts.
    rows = con.execute(
        """
        with summaries as (
            select run_id, run_at, severity, cast(split_part(observed, '/', 1) as integer) as failing
            from dq.results
            where
                report_year is not distinct from ?
                and report_type is not distinct from ?
                and unit_code is null
                and regexp_full_match(coalesce(observed, ''), '[0-9]+/[0-9]+')
        )
        select
            run_id,
            min(run_at) as run_at,
            sum(failing) filter (where severity = 'error') as errors,
            sum(failing) filter (where severity = 'warning') as warnings
        from summaries
        group by run_id
        order by run_at desc
        limit ?
        """,
        [scope.report_year, scope.report_type, TREND_RUNS],
    ).fetchall()[::-1]
    return [
        {"run_id": run_id, "run_at": f"{run_at:{_TIME_FORMAT}}", "errors": errors or 0, "warnings": warnings or 0}
        for run_id, run_at, errors, warnings in rows
    ]
