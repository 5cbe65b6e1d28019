"""Run the expectation suites against the warehouse and record the outcome in `dq.results`.

Great Expectations 1.x cannot validate DuckDB through SQLAlchemy, so the mart is read into pandas with
DuckDB and validated with an ephemeral (in-memory) context: pandas datasource → dataframe asset →
ValidationDefinition → Checkpoint. Nothing of GE's configuration is written to disk except the optional
Data Docs site.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from expectations.reporting import INDEX_COLUMNS, SUITE_NAME, TABLE, build_suite
from expectations.results import CheckSummary, Finding, write_results

logger = logging.getLogger(__name__)

_REPORT_TYPES = ("6T", "NAM")


def run_checks(
    warehouse: Path,
    report_year: int | None = None,
    report_type: str | None = None,
    *,
    data_docs_dir: Path | None = None,
) -> CheckSummary:
    """Validate `marts.rpt_reporting_status` with the `reporting_completeness` suite.

    Inputs: the DuckDB warehouse file; optionally one report year and/or type ('6T', 'NAM') to check
    (default: every row of the mart); optionally a folder where a static Data Docs site is (re)built
    (open `data_docs_dir/index.html`).
    Output: a `CheckSummary` (failing units by severity, run id, findings). Its rows are appended to
    `dq.results` (schema and table created if missing; earlier runs are kept).
    Failure modes: `ValueError` for an unknown report type; `duckdb.Error` when the warehouse cannot be
    opened or the mart does not exist (run `bdg transform` first). Failing units are not errors: they are
    the result.
    """
    import duckdb

    if report_type is not None and report_type not in _REPORT_TYPES:
        raise ValueError(f"report_type must be one of {_REPORT_TYPES}, got {report_type!r}")

    frame = _read_reporting_status(duckdb, warehouse, report_year, report_type)
    run_at = datetime.now(UTC)
    run_id = f"{run_at:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    suite_result = _validate(frame, run_id, run_at, data_docs_dir)

    summary = CheckSummary(run_id=run_id, run_at=run_at)
    days_late = _days_late_by_unit(frame)
    for result in suite_result.results:
        meta = result.expectation_config.meta or {}
        name, severity = meta["name"], meta["severity"]
        details = result.result or {}
        failing = details.get("unexpected_index_list") or []
        element_count = details.get("element_count", len(frame))
        summary.outcomes.append(
            Finding(
                suite=SUITE_NAME,
                expectation=name,
                severity=severity,
                success=bool(result.success),
                report_year=report_year,
                report_type=report_type,
                observed=f"{len(failing)}/{element_count}",
            )
        )
        for row in sorted(failing, key=lambda r: (str(r["unit_code"]), int(r["report_year"]), r["report_type"])):
            key = (str(row["unit_code"]), int(row["report_year"]), str(row["report_type"]))
            summary.findings.append(
                Finding(
                    suite=SUITE_NAME,
                    expectation=name,
                    severity=severity,
                    success=False,
                    unit_code=key[0],
                    report_year=key[1],
                    report_type=key[2],
                    observed=_observed(str(row["status"]), days_late.get(key)),
                )
            )
    if data_docs_dir is not None:
        summary.data_docs_index = Path(data_docs_dir).resolve() / "index.html"

    with duckdb.connect(str(warehouse)) as con:
        write_results(con, summary)
    logger.info(
        "Suite %s, run %s: %d failing unit(s) with severity error, %d with warning",
        SUITE_NAME,
        run_id,
        summary.counts["error"],
        summary.counts["warning"],
    )
    return summary


def _read_reporting_status(duckdb: Any, warehouse: Path, report_year: int | None, report_type: str | None):
    """The mart's rows for the requested period(s), as a pandas DataFrame."""
    where, params = [], []
    if report_year is not None:
        where.append("report_year = ?")
        params.append(int(report_year))
    if report_type is not None:
        where.append("report_type = ?")
        params.append(report_type)
    sql = f"select unit_code, report_year, report_type, status, days_late from {TABLE}"
    if where:
        sql += " where " + " and ".join(where)
    sql += " order by report_year, report_type, unit_code"
    # A short-lived connection, not read-only: DuckDB refuses a read-only connection to a file that this
    # process already holds open read-write (the in-process pipeline), and the writer lock is not kept
    # while Great Expectations runs.
    with duckdb.connect(str(warehouse)) as con:
        return con.execute(sql, params).df()


def _days_late_by_unit(frame) -> dict[tuple[str, int, str], int | None]:
    import pandas as pd

    days: dict[tuple[str, int, str], int | None] = {}
    for unit_code, year, rtype, value in frame[["unit_code", "report_year", "report_type", "days_late"]].itertuples(
        index=False
    ):
        days[(str(unit_code), int(year), str(rtype))] = None if pd.isna(value) else int(value)
    return days


def _observed(status: str, days_late: int | None) -> str:
    if status == "late" and days_late is not None:
        return f"late:{days_late}"
    return status


def _validate(frame, run_id: str, run_at: datetime, data_docs_dir: Path | None):
    """Run the suite through a Checkpoint in an ephemeral context; return the suite's validation result."""
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

    asset = context.data_sources.add_pandas("warehouse").add_dataframe_asset(TABLE.replace(".", "__"))
    batch_definition = asset.add_batch_definition_whole_dataframe("whole_table")
    suite = context.suites.add(build_suite())
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{SUITE_NAME}__{TABLE}", data=batch_definition, suite=suite)
    )
    actions = [gx.checkpoint.UpdateDataDocsAction(name="update_data_docs")] if data_docs_sites else []
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=SUITE_NAME,
            validation_definitions=[validation],
            actions=actions,
            result_format={
                "result_format": "COMPLETE",
                "unexpected_index_column_names": list(INDEX_COLUMNS),
            },
        )
    )
    result = checkpoint.run(
        batch_parameters={"dataframe": frame},
        run_id=RunIdentifier(run_name=run_id, run_time=run_at),
    )
    (suite_result,) = result.run_results.values()
    return suite_result


def _quiet_great_expectations() -> None:
    """GE logs every store and datasource operation at INFO; keep only its warnings and errors."""
    for name in ("great_expectations", "great_expectations.core", "great_expectations.data_context"):
        logging.getLogger(name).setLevel(logging.WARNING)
