"""Run the expectation suites against the warehouse and record the outcome in `dq.results`.

Great Expectations 1.x cannot validate DuckDB through SQLAlchemy, so each batch is read into pandas with
DuckDB and validated with an ephemeral (in-memory) context: pandas datasource → one dataframe asset,
expectation suite, ValidationDefinition and Checkpoint per batch. Nothing of GE's configuration is
written to disk except the optional Data Docs site, next to which an offline summary page is written.

Suites (listed in expectations.suites; see each module): `reporting_completeness` (expectations.reporting),
`report_validity` (expectations.validity), `report_consistency` (expectations.consistency),
`report_outliers` (expectations.outliers, expectations.activity_costs), `plan_tasks`
(expectations.plan_tasks). Severity rule: expectations.checks.
"""

from __future__ import annotations

import logging
import math
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from expectations.checks import INDEX_COLUMNS, Batch, Check, Scope
from expectations.docs import write_summary_page
from expectations.results import CheckSummary, Finding, write_results
from expectations.suites import BATCHES
from ingest.periods import check_report_type
from ingest.warehouse import connect

logger = logging.getLogger(__name__)


def run_checks(
    warehouse: Path,
    report_year: int | None = None,
    report_type: str | None = None,
    *,
    data_docs_dir: Path | None = None,
) -> CheckSummary:
    """Validate the warehouse with every suite and append the outcome to `dq.results`.

    Inputs: the DuckDB warehouse file; optionally one report year and/or type ('6T', 'NAM') to check
    (default: every period in the marts); optionally a folder where a static Data Docs site is (re)built
    (`data_docs_dir/index.html`, Great Expectations' pages) with our offline summary
    (`data_docs_dir/summary.html`, no external resources).
    Output: a `CheckSummary` (findings by severity, run id, one outcome per expectation). Its rows are
    appended to `dq.results` (schema and table created if missing; earlier runs are kept).
    Failure modes: `ValueError` for an unknown report type; `duckdb.Error` when the warehouse cannot be
    opened or a mart does not exist (run `bdg transform` first). Findings are not errors: they are the
    result.
    """

    if report_type is not None:
        check_report_type(report_type)
    scope = Scope(report_year, report_type)

    # A short-lived connection, not read-only: DuckDB refuses a read-only connection to a file that this
    # process already holds open read-write (the in-process pipeline), and the writer lock is not kept
    # while Great Expectations runs.
    with connect(warehouse) as con:
        frames = read_frames(con, BATCHES, scope)
    summary = validate(BATCHES, frames, scope, data_docs_dir=data_docs_dir)

    with connect(warehouse) as con:
        write_results(con, summary)
        if data_docs_dir is not None:
            summary.summary_html = write_summary_page(con, summary, scope, Path(data_docs_dir).resolve())
    logger.info(
        "Run %s: %d finding(s) with severity error, %d with warning",
        summary.run_id,
        summary.counts["error"],
        summary.counts["warning"],
    )
    return summary


def read_frames(con, batches: tuple[Batch, ...], scope: Scope) -> dict[str, Any]:
    """Each batch's frame read from the warehouse, by GE suite name (`Batch.gx_suite_name`)."""
    return {batch.gx_suite_name: batch.read(con, scope) for batch in batches}


def validate(
    batches: tuple[Batch, ...], frames: dict[str, Any], scope: Scope, *, data_docs_dir: Path | None = None
) -> CheckSummary:
    """Validate the frames (`read_frames`) with the batches' checks through Great Expectations.

    Output: a new run's `CheckSummary` (one outcome per expectation, one finding per failing row); nothing
    is written to the warehouse. Data Docs are built under `data_docs_dir` when given.
    Failure modes: `RuntimeError` when an expectation could not run (e.g. a column missing from a frame).
    """
    run_at = datetime.now(UTC)
    run_id = f"{run_at:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    suite_results, docs_index = _validate(batches, frames, run_id, run_at, data_docs_dir)

    summary = CheckSummary(run_id=run_id, run_at=run_at, data_docs_index=docs_index)
    for batch in batches:
        _collect(summary, batch, frames[batch.gx_suite_name], suite_results[batch.gx_suite_name], scope)
    return summary


def _collect(summary: CheckSummary, batch: Batch, frame, suite_result, scope: Scope) -> None:
    """Turn one batch's GE results into an outcome per expectation and a finding per failing row."""
    checks: dict[str, Check] = {check.name: check for check in batch.checks}
    records = {int(record["row_id"]): record for record in frame.to_dict("records")}
    for result in suite_result.results:
        meta = result.expectation_config.meta or {}
        check = checks[meta["name"]]
        details = result.result or {}
        failing = sorted({int(row["row_id"]) for row in details.get("unexpected_index_list") or []})
        if result.exception_info and result.exception_info.get("raised_exception"):
            raise RuntimeError(
                f"Expectation {check.name} could not run: {result.exception_info.get('exception_message')}"
            )
        summary.outcomes.append(
            Finding(
                suite=batch.suite,
                expectation=check.name,
                severity=check.severity,
                success=bool(result.success),
                report_year=scope.report_year,
                report_type=scope.report_type,
                observed=f"{len(failing)}/{details.get('element_count', len(frame))}",
            )
        )
        for row_id in failing:
            record = records[row_id]
            summary.findings.append(
                Finding(
                    suite=batch.suite,
                    expectation=check.name,
                    severity=check.severity,
                    success=False,
                    unit_code=_text(record.get("unit_code")),
                    report_year=int(record["report_year"]),
                    report_type=str(record["report_type"]),
                    observed=check.observed(record),
                )
            )


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def _validate(batches: tuple[Batch, ...], frames: dict, run_id: str, run_at: datetime, data_docs_dir: Path | None):
    """Run each batch through its own Checkpoint in one ephemeral context.

    Returns ({GE suite name: suite validation result}, Data Docs index path or None).
    """
    _quiet_great_expectations()
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    data_docs_sites = {}
    if data_docs_dir is not None:
        data_docs_dir = Path(data_docs_dir).resolve()
        data_docs_dir.mkdir(parents=True, exist_ok=True)
        data_docs_sites["local_site"] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(data_docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        data_docs_sites=data_docs_sites,
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    datasource = context.data_sources.add_pandas("warehouse")
    run_identifier = RunIdentifier(run_name=run_id, run_time=run_at)

    results = {}
    for batch in batches:
        name = batch.gx_suite_name
        batch_definition = datasource.add_dataframe_asset(name).add_batch_definition_whole_dataframe("whole_frame")
        suite = gx.ExpectationSuite(name=name, meta={"source": batch.source})
        for check in batch.checks:
            suite.add_expectation(check.expectation(gx))
        suite = context.suites.add(suite)
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
        )
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=name,
                validation_definitions=[validation],
                result_format={"result_format": "COMPLETE", "unexpected_index_column_names": list(INDEX_COLUMNS)},
            )
        )
        result = checkpoint.run(batch_parameters={"dataframe": frames[name]}, run_id=run_identifier)
        (results[name],) = result.run_results.values()
    docs_index = None
    if data_docs_sites:
        context.build_data_docs()
        docs_index = data_docs_dir / "index.html"
    return results, docs_index


def _quiet_great_expectations() -> None:
    """GE logs every store and datasource operation at INFO; keep only its warnings and errors."""
    for name in ("great_expectations", "great_expectations.core", "great_expectations.data_context"):
        logging.getLogger(name).setLevel(logging.WARNING)
