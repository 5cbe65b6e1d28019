"""The `reporting_completeness` suite: did every expected unit send an accepted report, on time, and can
every file received be tied to a unit?

Batches:
- `status` on `marts.rpt_reporting_status` (one row per expected unit × period): missing or rejected
  units, late units, units still pending (not yet due, nothing received);
- `unattributed_files`: rejected files of the period that name no known unit (unreadable, or an unknown
  unit code), so no unit's status can show them; `unit_code` is null in their findings.

`unattributed_rejected_files` reads `marts.rpt_chase_rejected_files`, the mart the chase list reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from expectations.checks import Batch, Check, Scope, ge_between, ge_not_in, with_row_ids

if TYPE_CHECKING:
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


def unattributed_rejected_files(con: duckdb.DuckDBPyConnection, report_year: int, report_type: str) -> pd.DataFrame:
    """Rejected files of a period that belong to no known unit, one row per file with its errors.

    The rule (which period a file belongs to, when a file is tied to a unit, that a file whose likely unit
    has since sent an accepted report is no longer listed) lives in dbt, in `marts.rpt_chase_rejected_files`,
    which the chase list reads too. Columns: file_name, file_sha256, received_at, reported_unit_code,
    likely_unit_code (the unit it most likely came from, or None), report_year, report_type, error_codes
    ('UNREADABLE, …'), errors.
    """
    return con.execute(
        """
        select file_name, file_sha256, received_at, reported_unit_code, likely_unit_code, report_year, report_type,
               coalesce(error_codes, '') as error_codes, coalesce(errors, '') as errors
        from marts.rpt_chase_rejected_files
        where not is_attributed and report_year = ? and report_type = ?
        order by received_at, file_name
        """,
        [int(report_year), report_type],
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
        "marts.rpt_chase_rejected_files",
        read_unattributed_files,
        FILE_CHECKS,
    ),
)
