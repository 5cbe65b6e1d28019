"""The `reporting_completeness` suite: did every expected unit send an accepted report, on time, and can
every file received be tied to a unit?

Batches:
- `status` on `marts.rpt_reporting_status` (one row per expected unit × period): missing or rejected
  units, late units, units still pending (not yet due, nothing received);
- `unattributed_files`: rejected files of the period that name no known unit (unreadable, or an unknown
  unit code), so no unit's status can show them; `unit_code` is null in their findings.

`unattributed_rejected_files` is also what the chase list lists (report.chase), so both agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from expectations.checks import Batch, Check, Scope, ge_between, ge_not_in, with_row_ids

if TYPE_CHECKING:
    import datetime as dt

    import duckdb
    import pandas as pd

SUITE_NAME = "reporting_completeness"
TABLE = "marts.rpt_reporting_status"


def _observed_status(row) -> str:
    days_late = row.get("days_late")
    if row["status"] == "late" and days_late is not None and days_late == days_late:  # not NaN
        return f"late:{int(days_late)}"
    return str(row["status"])


def _observed_file(row) -> str:
    return f"{row['file_name']}: {row['error_codes']}"


STATUS_CHECKS: tuple[Check, ...] = (
    Check(
        name="every_expected_unit_reported",
        severity="warning",
        description_vi="Mọi đơn vị phải báo cáo đều có báo cáo được chấp nhận (không thiếu, không bị từ chối).",
        build=ge_not_in("status", ("missing", "rejected")),
        observed=_observed_status,
    ),
    Check(
        name="every_unit_reported_on_time",
        severity="warning",
        description_vi="Mọi đơn vị nộp báo cáo đúng hạn.",
        build=ge_not_in("status", ("late",)),
        observed=_observed_status,
    ),
    Check(
        name="no_unit_pending",
        severity="warning",
        description_vi="Không còn đơn vị chưa gửi báo cáo (chưa đến hạn nộp).",
        build=ge_not_in("status", ("pending",)),
        observed=_observed_status,
    ),
)

FILE_CHECKS: tuple[Check, ...] = (
    Check(
        name="every_file_attributed_to_a_unit",
        severity="warning",
        description_vi=(
            "Mọi tệp nhận được đều xác định được đơn vị gửi (tệp không đọc được hoặc ghi sai mã đơn vị "
            "không tính cho đơn vị nào)."
        ),
        build=ge_between("is_attributed", 1, 1),
        observed=_observed_file,
    ),
)


def read_reporting_status(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    where, params = scope.where()
    frame = con.execute(
        f"""
        select unit_code, report_year, report_type, status, cast(days_late as double) as days_late
        from {TABLE}
        where {where}
        order by report_year, report_type, unit_code
        """,
        params,
    ).df()
    return with_row_ids(frame)


def unattributed_rejected_files(
    con: duckdb.DuckDBPyConnection, report_year: int, report_type: str, as_of: dt.date | None = None
) -> pd.DataFrame:
    """Rejected files of a period that belong to no known unit, one row per file with its errors.

    A file belongs to the period when it names that year and type (a readable file with an unknown unit
    code), or, when it names no period (unreadable), when it was received (local date) after the previous
    reporting deadline and up to the as-of date (default: the as-of date the reporting-status mart was
    built with). Columns: file_name, file_sha256, received_at, reported_unit_code, report_year,
    report_type, error_codes ('UNREADABLE, …'), errors (one '[CODE] sheet!cell: message' per line).
    """
    if as_of is None:
        row = con.execute(
            f"select max(as_of_date) from {TABLE} where report_year = ? and report_type = ?",
            [report_year, report_type],
        ).fetchone()
        as_of = row[0] if row else None
    return con.execute(
        """
        with

        this_period as (
            select min(deadline_date) as deadline_date, min(period_start) as period_start
            from marts.dim_periods
            where report_year = $year and report_type = $type
        ),

        window_bounds as (
            -- after the previous deadline (any period), else from the period's start
            select
                coalesce(
                    (select max(deadline_date) + 1 from marts.dim_periods
                     where deadline_date < (select deadline_date from this_period)),
                    (select period_start from this_period)
                ) as first_date,
                cast($as_of as date) as last_date
        ),

        rejected as (
            select distinct
                submissions.file_sha256,
                submissions.file_name,
                submissions.received_at,
                submissions.received_date,
                submissions.unit_code,
                submissions.report_year,
                submissions.report_type
            from marts.fct_submissions as submissions
            left join marts.dim_units as units
                on submissions.unit_code = units.unit_code
            where
                submissions.status = 'rejected'
                and units.unit_code is null
        ),

        in_period as (
            select rejected.*
            from rejected
            cross join window_bounds
            where
                rejected.received_date <= coalesce(window_bounds.last_date, rejected.received_date)
                and (
                    (rejected.report_year = $year and rejected.report_type = $type)
                    or (
                        (rejected.report_year is null or rejected.report_type is null)
                        and rejected.received_date >= window_bounds.first_date
                    )
                )
        ),

        errors as (
            select
                file_sha256,
                file_name,
                string_agg(distinct error_code, ', ' order by error_code) as error_codes,
                string_agg(
                    '[' || error_code || '] '
                    || case
                        when sheet_name is null then ''
                        else sheet_name || coalesce('!' || cell_ref, '') || ': '
                    end
                    || message_vi,
                    chr(10) order by sheet_name nulls first, cell_ref, error_code
                ) as errors
            from staging.stg_raw__ingest_errors
            group by file_sha256, file_name
        )

        select
            in_period.file_name,
            in_period.file_sha256,
            in_period.received_at,
            in_period.unit_code as reported_unit_code,
            in_period.report_year,
            in_period.report_type,
            coalesce(errors.error_codes, '') as error_codes,
            coalesce(errors.errors, '') as errors
        from in_period
        left join errors
            on in_period.file_sha256 = errors.file_sha256 and in_period.file_name = errors.file_name
        order by in_period.received_at, in_period.file_name
        """,
        {"year": int(report_year), "type": report_type, "as_of": as_of},
    ).df()


def read_unattributed_files(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    import pandas as pd

    where, params = scope.where()
    periods = con.execute(
        f"select distinct report_year, report_type from {TABLE} where {where} order by 1, 2", params
    ).fetchall()
    frames = []
    for year, rtype in periods:
        files = unattributed_rejected_files(con, int(year), str(rtype))
        # Findings are about the period the file was judged in (its own, when it names one).
        files["report_year"], files["report_type"] = int(year), str(rtype)
        frames.append(files)
    columns = ["file_name", "error_codes", "report_year", "report_type"]
    frame = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    frame.insert(0, "unit_code", None)
    frame["unit_code"] = frame["unit_code"].astype(object)
    frame["is_attributed"] = 0.0
    return with_row_ids(frame)


BATCHES: tuple[Batch, ...] = (
    Batch(SUITE_NAME, "status", TABLE, read_reporting_status, STATUS_CHECKS),
    Batch(
        SUITE_NAME,
        "unattributed_files",
        "marts.fct_submissions, staging.stg_raw__ingest_errors",
        read_unattributed_files,
        FILE_CHECKS,
    ),
)
