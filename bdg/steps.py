"""The pipeline's steps, written once. `bdg run`, `bdg demo` (through the DAG), the DAG task bodies
(`bdg.tasks`) and the single-purpose commands all call these functions.

The nightly sequence is `NIGHTLY`: ingest → transform → check → publish → report. Airflow splits the
ingest into mapped parse tasks and one loader; every other step
is the same call on every path, so the publish gate, the status file, the chase list and the letter
come out the same whichever door the run came through.

Each step takes explicit paths and dates (never reads the clock itself) so re-running a step for a past
as-of date reproduces the past. Reports never call dbt: the steps make sure the marts were built for
the as-of date first (`ensure_marts_as_of`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ingest.periods import check_report_type, period_of

DRAFT_DIR = "du_thao"  # reports held back by error findings: a draft for staff, not for the ministry
STATUS_DIR = "status"  # OUT/status/status_<year>_<type>.json
NIGHTLY = ("ingest", "transform", "check", "publish", "report")


class PeriodError(ValueError):
    """A period the warehouse cannot report on (not in the reporting calendar, or no accepted report);
    the message is Vietnamese, for the person who asked."""


@dataclass(frozen=True)
class PipelineResult:
    ingest: dict
    checks: dict
    published: dict
    report_path: Path
    warehouse: Path


# --- ingest and transform ----------------------------------------------------------------------------------


def ingest_step(
    warehouse: Path,
    inbox: Path,
    reference_dir: Path,
    out_dir: Path | None = None,
    on_file=None,
    on_start=None,
    on_done=None,
) -> dict:
    """Parse, validate and load every new file of the inbox; returns the summary as a dict (`on_done` gets it
    too, while the warehouse writes its file: see `ingest.run.ingest_inbox`).

    Rejected files get a feedback workbook under `out_dir/feedback/` when `out_dir` is given.
    """
    from ingest.run import ingest_inbox

    feedback_dir = out_dir / "feedback" if out_dir is not None else None
    summary: dict = {}

    def done(finished) -> None:  # the summary, once: handed on while the warehouse writes its file
        summary.update(finished.as_dict())
        if on_done is not None:
            on_done(summary)

    ingest_inbox(
        warehouse,
        inbox,
        reference_dir,
        feedback_dir=feedback_dir,
        on_file=on_file,
        on_start=on_start,
        on_done=done,
    )
    return summary


def prepare_warehouse(warehouse: Path, reference_dir: Path) -> None:
    """Create the raw schema and (re)load the reference data, without ingesting anything."""
    from ingest.load import connect
    from ingest.reference import load_reference

    with connect(warehouse) as con:
        load_reference(con, reference_dir)


def transform_step(warehouse: Path, as_of: dt.date) -> None:
    """dbt build (seeds, models, tests) with the as-of date as a dbt var. Raises TransformError."""
    from bdg.transform import run_dbt

    run_dbt(["build"], warehouse, as_of)


def marts_as_of(warehouse: Path) -> dt.date | None:
    """The as-of date the marts were last built for (None when they were never built)."""
    from ingest.warehouse import connect
    from report.frames import built_for

    with connect(warehouse, read_only=True) as con:
        return built_for(con)


def ensure_marts_as_of(warehouse: Path, as_of: dt.date) -> None:
    """Build the marts for `as_of` unless they already are: the one place a status date is (re)judged.

    Failure modes: FileNotFoundError when the warehouse does not exist; TransformError when dbt fails.
    """
    if marts_as_of(warehouse) != as_of:
        transform_step(warehouse, as_of)


# --- checks, status, chase, reports ------------------------------------------------------------------------


def check_step(
    warehouse: Path, as_of: dt.date | None, out_dir: Path | None = None, period: tuple[int, str] | None = None
) -> dict:
    """Run the expectation suites for `period` (default: the period the as-of date is about).

    Findings go to dq.results; `publishable` is False while a finding of severity `error` stands (the
    ministry report must then not be published). Data Docs go to `out_dir/data_docs/` when given.
    """
    from expectations.results import publishable
    from expectations.run import run_checks

    year, report_type = period or period_of(as_of)
    docs_dir = out_dir / "data_docs" if out_dir else None
    summary = run_checks(warehouse, year, report_type, data_docs_dir=docs_dir)
    return {
        "run_id": summary.run_id,
        "report_year": year,
        "report_type": report_type,
        "counts": summary.counts,
        "success": summary.success,
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


def reporting_status(warehouse: Path, report_year: int, report_type: str, as_of: dt.date) -> list[dict]:
    """Per expected unit of the period, judged at `as_of`: unit_code, unit_name, unit_kind, status,
    status_name_vi, days_late, first_received_at, last_received_at (from `marts.rpt_reporting_status`, ordered by unit).

    The one function that yields a reporting status: it rebuilds the marts when they were built for
    another date. Failure modes: as `ensure_marts_as_of`; ValueError for an unknown report type.
    """
    from ingest.warehouse import connect

    check_report_type(report_type)
    ensure_marts_as_of(warehouse, as_of)
    with connect(warehouse, read_only=True) as con:
        cursor = con.execute(
            "select unit_code, unit_name, unit_kind, status, status_name_vi, days_late, first_received_at, "
            "last_received_at from marts.rpt_reporting_status "
            "where report_year = ? and report_type = ? order by unit_code",
            [int(report_year), report_type],
        )
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def require_period(
    warehouse: Path, report_year: int, report_type: str | None, *, accepted_reports: bool = False
) -> None:
    """Refuse a period the marts know nothing of: not in the reporting calendar (any period of the year
    when `report_type` is None), or (`accepted_reports`) without one accepted report. Raises PeriodError
    (Vietnamese) naming the periods there are."""
    from ingest.warehouse import connect

    if report_type is not None:
        check_report_type(report_type)
    label = f"kỳ {report_type} năm {report_year}" if report_type else f"năm {report_year}"
    with connect(warehouse, read_only=True) as con:
        built = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'marts' and table_name in ('dim_periods', 'rpt_reporting_status')"
        ).fetchone()[0]
        if built < 2:
            raise PeriodError("kho dữ liệu chưa được dựng (chưa chạy dbt): hãy chạy `bdg transform` trước")
        periods = con.execute(
            "select distinct report_type, report_year from marts.dim_periods order by report_year, report_type"
        ).fetchall()
        asked = [(kind, year) for kind, year in periods if year == int(report_year) and kind == (report_type or kind)]
        if not asked:
            known = ", ".join(f"{kind} {year}" for kind, year in periods) or "không có kỳ nào"
            raise PeriodError(f"{label} không có trong lịch báo cáo của kho dữ liệu (các kỳ có: {known})")
        if accepted_reports:
            accepted = con.execute(
                "select count(*) from marts.rpt_reporting_status "
                "where report_year = ? and report_type = ? and status in ('on_time', 'late')",
                [int(report_year), report_type],
            ).fetchone()[0]
            if not accepted:
                raise PeriodError(
                    f"chưa có báo cáo nào được chấp nhận cho {label}: không lập báo cáo rỗng "
                    "(thêm --cho-phep-rong nếu thật sự cần một báo cáo không có số liệu)"
                )


def status_step(warehouse: Path, report_year: int, report_type: str, as_of: dt.date, out_dir: Path) -> Path:
    """Write `out_dir/status/status_<year>_<type>.json`: the counts by status and every unit's row."""
    from ingest.atomic import write_json

    units = reporting_status(warehouse, report_year, report_type, as_of)
    counts: dict[str, int] = {}
    for unit in units:
        counts[unit["status"]] = counts.get(unit["status"], 0) + 1
    document = {
        "report_year": report_year,
        "report_type": report_type,
        "as_of_date": as_of.isoformat(),
        "counts": dict(sorted(counts.items())),
        "units": units,
    }
    return write_json(out_dir / STATUS_DIR / f"status_{report_year}_{report_type}.json", document)


def chase_step(warehouse: Path, report_year: int, report_type: str, as_of: dt.date, out_dir: Path) -> dict:
    """The chase workbook and the draft reminder letter(s) for the period, dated `as_of`, in `out_dir`.

    Returns {'chase_xlsx', 'letters', 'unit_codes', 'unattributed_files'} (paths as strings).
    """
    from report.chase import write_chase_list

    ensure_marts_as_of(warehouse, as_of)
    result = write_chase_list(warehouse, report_year, report_type, out_dir, as_of)
    return {
        "chase_xlsx": str(result["xlsx"]),
        "letters": [str(path) for path in result["letters"].values()],
        "unit_codes": result["unit_codes"],
        "unattributed_files": result.get("unattributed_files", []),
    }


def publish_step(warehouse: Path, as_of: dt.date, out_dir: Path) -> dict:
    """The night's status file and chase list (with its letter) for the period the as-of date is about."""
    year, report_type = period_of(as_of)
    status_file = status_step(warehouse, year, report_type, as_of, out_dir)
    return {"status": str(status_file), **chase_step(warehouse, year, report_type, as_of, out_dir)}


def report_step(warehouse: Path, report_year: int, report_type: str, out_dir: Path, *, publishable: bool) -> dict:
    """Write the period's reports from the marts; returns {'workbook', 'html', 'narrative'} → path.

    The publish gate: when the expectations found `error` findings (`publishable` False, from
    `check_step`) the outputs go to `out_dir/du_thao/` instead, not published until the data is fixed.
    There is no default on purpose: every caller states what the checks said.
    """
    target = out_dir if publishable else out_dir / DRAFT_DIR
    return report_outputs(warehouse, report_year, report_type, target)


def report_outputs(warehouse: Path, report_year: int, report_type: str, out_dir: Path) -> dict[str, Path]:
    """The workbook, the HTML report and the narrative, read once from the marts into `out_dir`."""
    from ingest.warehouse import connect
    from report.figures import load_report_data
    from report.html import html_path, render_html
    from report.narrative import narrative_path, render_narrative
    from report.workbook import render_workbook, workbook_path

    check_report_type(report_type)
    with connect(warehouse, read_only=True) as con:
        data = load_report_data(con, report_year, report_type)
    return {
        "workbook": render_workbook(data, workbook_path(out_dir, report_year, report_type)),
        "html": render_html(data, html_path(out_dir, report_year, report_type)),
        "narrative": render_narrative(data, narrative_path(out_dir, report_year, report_type)),
    }


def national_report_step(warehouse: Path, report_year: int, report_type: str, out_dir: Path) -> dict[str, Path]:
    """The national roll-up for Bộ Nội vụ (one row per province and Toàn quốc), read once from
    `marts.rpt_national_annual` into `out_dir`; returns {'workbook', 'html'} → path."""
    from ingest.warehouse import connect
    from report.national import load_national_data, render_national

    check_report_type(report_type)
    with connect(warehouse, read_only=True) as con:
        data = load_national_data(con, report_year, report_type)
    return render_national(data, out_dir)


def national_period_report_step(
    warehouse: Path, report_year: int, report_type: str, as_of: dt.date | None, out_dir: Path, *, allow_empty: bool
) -> dict[str, Path]:
    """`bdg report --national`: the marts for `as_of` (as they stand when None), the period refused as by
    `period_report_step` (PeriodError), then `national_report_step`. No expectations run here: the checks
    and their publish gate belong to the nightly and to each province's `bdg report`."""
    check_report_type(report_type)
    if as_of is not None:
        ensure_marts_as_of(warehouse, as_of)
    require_period(warehouse, report_year, report_type, accepted_reports=not allow_empty)
    return national_report_step(warehouse, report_year, report_type, out_dir)


def period_report_step(
    warehouse: Path,
    report_year: int,
    report_type: str,
    as_of: dt.date | None,
    out_dir: Path,
    *,
    allow_empty: bool = False,
) -> dict:
    """A period's report on demand (bdg report, the period-report DAG): the marts for `as_of` (as they
    stand when None: the nightly's date), the checks of that period, then the reports behind the same
    publish gate as the nightly. A period outside the calendar, or without an accepted report unless
    `allow_empty`, is refused (PeriodError) before anything is written."""
    check_report_type(report_type)
    if as_of is not None:
        ensure_marts_as_of(warehouse, as_of)
    require_period(warehouse, report_year, report_type, accepted_reports=not allow_empty)
    checks = check_step(warehouse, as_of, out_dir, period=(report_year, report_type))
    written = report_step(warehouse, report_year, report_type, out_dir, publishable=checks["publishable"])
    return {"publishable": checks["publishable"], **written}


# --- the nightly sequence ----------------------------------------------------------------------------------


def after_load(warehouse: Path, as_of: dt.date, out_dir: Path) -> tuple[dict, dict, dict]:
    """check → publish → report, the part of the nightly after the marts are built: (checks, published, written)."""
    checks = check_step(warehouse, as_of, out_dir)
    published = publish_step(warehouse, as_of, out_dir)
    year, report_type = period_of(as_of)
    written = report_step(warehouse, year, report_type, out_dir, publishable=checks["publishable"])
    return checks, published, written


def run_pipeline(inbox: Path, out_dir: Path, warehouse: Path, reference_dir: Path, as_of: dt.date) -> PipelineResult:
    """The nightly pipeline in-process (`NIGHTLY`): ingest → dbt build → expectations → publish → report."""
    ingest = ingest_step(warehouse, inbox, reference_dir, out_dir)
    transform_step(warehouse, as_of)
    checks, published, written = after_load(warehouse, as_of, out_dir)
    return PipelineResult(
        ingest=ingest, checks=checks, published=published, report_path=written["workbook"], warehouse=warehouse
    )
