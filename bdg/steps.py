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
        "findings": [
            {"expectation": f.expectation, "severity": f.severity, "unit_code": f.unit_code, "observed": f.observed}
            for f in summary.findings
        ],
        "data_docs": str(summary.data_docs_index) if summary.data_docs_index else None,
    }


def report_step(warehouse: Path, report_year: int, report_type: str, out_dir: Path) -> Path:
    """Write the ministry workbook for a period from the marts."""
    from bdg.report import write_ministry_report
    from bdg.transform import release_dbt_duckdb

    release_dbt_duckdb()
    out_dir.mkdir(parents=True, exist_ok=True)
    return write_ministry_report(warehouse, report_year, report_type, out_dir)


def run_pipeline(inbox: Path, out_dir: Path, warehouse: Path, reference_dir: Path, as_of: dt.date) -> PipelineResult:
    """The nightly pipeline in-process: ingest → dbt build → expectations → report."""
    ingest = ingest_step(warehouse, inbox, reference_dir, out_dir)
    transform_step(warehouse, as_of)
    checks = check_step(warehouse, as_of, out_dir)
    year, report_type = period_of(as_of)
    report = report_step(warehouse, year, report_type, out_dir)
    return PipelineResult(ingest=ingest, checks=checks, report_path=report, warehouse=warehouse)
