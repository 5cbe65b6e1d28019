"""The pipeline's steps. The CLI and the Airflow DAGs call these same functions: nothing twice.

Each step takes explicit paths and dates (never reads the clock itself except through its caller) so
re-running a step for a past as-of date reproduces the past.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from bdg.settings import period_of


@dataclass(frozen=True)
class PipelineResult:
    ingest: dict
    checks: dict
    report_path: Path
    warehouse: Path


def ingest_step(warehouse: Path, inbox: Path, reference_dir: Path, out_dir: Path | None = None, on_file=None) -> dict:
    """Parse, validate and load every new file of the inbox; returns the summary as a dict.

    Rejected files get a feedback workbook under `out_dir/feedback/` when `out_dir` is given.
    """
    from ingest.run import ingest_inbox

    warehouse.parent.mkdir(parents=True, exist_ok=True)
    feedback_dir = out_dir / "feedback" if out_dir is not None else None
    return ingest_inbox(warehouse, inbox, reference_dir, feedback_dir=feedback_dir, on_file=on_file).as_dict()


def prepare_warehouse(warehouse: Path, reference_dir: Path) -> None:
    """Create the raw schema and (re)load the reference data, without ingesting anything."""
    from ingest.load import connect
    from ingest.reference import load_reference

    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = connect(warehouse)
    try:
        load_reference(con, reference_dir)
    finally:
        con.close()


def transform_step(warehouse: Path, as_of: dt.date) -> None:
    """dbt build (models, seeds, tests) with the as-of date as a dbt var."""
    from bdg.transform import run_dbt

    run_dbt(["build"], warehouse, as_of)


def check_step(warehouse: Path, as_of: dt.date, out_dir: Path | None = None) -> dict:
    """Run the expectation suites for the period the as-of date is about; findings go to dq.results."""
    from bdg.transform import release_dbt_duckdb
    from expectations.results import publishable
    from expectations.run import run_checks

    release_dbt_duckdb()  # in one process (dag.test, bdg run) dbt may still hold the file
    year, report_type = period_of(as_of)
    docs_dir = out_dir / "data_docs" if out_dir else None
    summary = run_checks(warehouse, year, report_type, data_docs_dir=docs_dir)
    return {
        "run_id": summary.run_id,
        "report_year": year,
        "report_type": report_type,
        "counts": summary.counts,
        "success": summary.success,
        # False while a finding of severity `error` stands: the ministry report must not be published.
        "publishable": publishable(summary),
        "by_expectation": [
            {"suite": suite, "expectation": name, "severity": severity, "failing": n}
            for (suite, name, severity), n in summary.counts_by_expectation().items()
        ],
        "findings": [
            {
                "suite": f.suite,
                "expectation": f.expectation,
                "severity": f.severity,
                "unit_code": f.unit_code,
                "observed": f.observed,
            }
            for f in summary.findings
        ],
        "data_docs": str(summary.data_docs_index) if summary.data_docs_index else None,
        "summary_html": str(summary.summary_html) if summary.summary_html else None,
    }


DRAFT_DIR = "du_thao"  # reports held back by error findings: a draft for staff, not for the ministry


def report_step(
    warehouse: Path, report_year: int, report_type: str, out_dir: Path, *, publishable: bool = True
) -> Path:
    """Write the period's reports from the marts into `out_dir`; returns the ministry workbook's path.

    Outputs (see `report_outputs`): the ministry workbook (.xlsx, with its provenance sheet), the HTML report
    with charts and the draft narrative (.docx). The figures are read once and shared by all three.
    When the expectations found `error` findings (`publishable` False) the outputs go to
    `out_dir/du_thao/` instead: they are not published until the data is fixed.
    """
    target = out_dir if publishable else out_dir / DRAFT_DIR
    return report_outputs(warehouse, report_year, report_type, target)["workbook"]


def report_outputs(warehouse: Path, report_year: int, report_type: str, out_dir: Path) -> dict[str, Path]:
    """Write the workbook, the HTML report and the narrative; returns {'workbook', 'html', 'narrative'} → path."""
    import duckdb

    from bdg.transform import release_dbt_duckdb
    from report.figures import REPORT_TYPES, load_report_data
    from report.html import html_path, render_html
    from report.narrative import narrative_path, render_narrative
    from report.workbook import render_workbook, workbook_path

    if report_type not in REPORT_TYPES:
        raise ValueError(f"report_type must be one of {REPORT_TYPES}, got {report_type!r}")
    release_dbt_duckdb()
    out_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        data = load_report_data(con, report_year, report_type)
    return {
        "workbook": render_workbook(data, workbook_path(out_dir, report_year, report_type)),
        "html": render_html(data, html_path(out_dir, report_year, report_type)),
        "narrative": render_narrative(data, narrative_path(out_dir, report_year, report_type)),
    }


def run_pipeline(inbox: Path, out_dir: Path, warehouse: Path, reference_dir: Path, as_of: dt.date) -> PipelineResult:
    """The nightly pipeline in-process: ingest → dbt build → expectations → report."""
    ingest = ingest_step(warehouse, inbox, reference_dir, out_dir)
    transform_step(warehouse, as_of)
    checks = check_step(warehouse, as_of, out_dir)
    year, report_type = period_of(as_of)
    report = report_step(warehouse, year, report_type, out_dir, publishable=checks.get("publishable", True))
    return PipelineResult(ingest=ingest, checks=checks, report_path=report, warehouse=warehouse)
