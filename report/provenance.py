"""Where each figure of the ministry report comes from: the submissions (files) and source rows behind it.

`figure_sources` returns one row per (figure, submission) with that submission's contribution; the
contributions of a figure add up to the figure. A figure is named by the table of `ministry_tables`, the
row (`dimension` + `code`, or the total row) and the column, so the workbook writer can turn it into a
cell address. Covered: Biểu 1 (activities), Biểu 2 (GBV cases), Biểu 3 (units reporting and units with a
female key leader) and Biểu 4 (institutional indicator results). Rates are computed from counts on the
same row; the reporting-status table is about submissions itself (the chase list names them).

When the mart `rpt_provenance` lands, `figure_sources` is the one function to point at it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from report.python_figures import ACTIVITY_MEASURES, GBV_MEASURES, _current_files_sql

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

COLUMNS = [
    "table_key",
    "dimension",
    "code",
    "is_total",
    "measure",
    "contribution",
    "unit_code",
    "unit_name",
    "file_name",
    "received_at",
    "file_sha256",
    "source_sheet",
    "source_rows",
]


def figure_sources(con: duckdb.DuckDBPyConnection, report_year: int, report_type: str) -> pd.DataFrame:
    """One row per (figure, submission) for one period, zero contributions left out (see COLUMNS).

    `source_rows` is the comma-separated list of the rows of `source_sheet` (in the unit's workbook)
    that were added up. Failure modes: `duckdb.Error` when a mart is missing.
    """
    import pandas as pd

    parts = [
        _fact_sources(con, "activities", "marts.fct_activities", "HoatDong", ACTIVITY_MEASURES,
                      ("programme_code", "activity_type_code"), report_year, report_type),
        _fact_sources(con, "gbv_cases", "marts.fct_gbv_cases", "VuViec", GBV_MEASURES,
                      ("case_type_code",), report_year, report_type),
        _leadership_sources(con, report_year),
        _indicator_sources(con, report_year, report_type),
    ]  # fmt: skip
    present = [part for part in parts if not part.empty]
    if not present:  # a period with no accepted content at all
        return pd.DataFrame(columns=COLUMNS)
    frame = pd.concat(present, ignore_index=True)
    files = _files(con)
    frame = frame.merge(files, on="file_sha256", how="left")
    frame = frame[frame["contribution"].fillna(0) != 0]
    return frame[COLUMNS].reset_index(drop=True)


def _files(con) -> pd.DataFrame:
    return con.execute(
        """
        select submissions.file_sha256, any_value(submissions.file_name) as file_name,
               min(submissions.received_at) as received_at, any_value(units.unit_name) as unit_name
        from marts.fct_submissions as submissions
        left join marts.dim_units as units on units.unit_code = submissions.unit_code
        where submissions.status = 'loaded'
        group by 1
        """
    ).df()


def _unpivot(frame: pd.DataFrame, table_key: str, sheet: str, measures: list[str]) -> pd.DataFrame:
    long = frame.melt(
        id_vars=["dimension", "code", "is_total", "unit_code", "file_sha256", "source_rows"],
        value_vars=measures,
        var_name="measure",
        value_name="contribution",
    )
    long["table_key"] = table_key
    long["source_sheet"] = sheet
    return long


def _fact_sources(con, table_key, table, sheet, measures, dimensions, report_year, report_type) -> pd.DataFrame:
    import pandas as pd

    sums = ", ".join(f"coalesce({expr}, 0)::bigint as {name}" for name, expr in measures)
    names = [name for name, _ in measures]
    frames = []
    for dimension in (*dimensions, None):
        key = f"{dimension}" if dimension else "null"
        frame = con.execute(
            f"""
            select {key} as code, unit_code, file_sha256,
                   array_to_string(list_sort(list(distinct source_row)), ', ') as source_rows, {sums}
            from {table}
            where report_year = ? and report_type = ?
            group by all
            """,
            [int(report_year), report_type],
        ).df()
        frame["dimension"] = dimension
        frame["is_total"] = dimension is None
        frames.append(_unpivot(frame, table_key, sheet, names))
    return pd.concat(frames, ignore_index=True)


def _leadership_sources(con, report_year: int) -> pd.DataFrame:
    # The same selection as rpt_leadership_targets: expected units of the year's annual period, their
    # annual report when they have one, else the 6-month one.
    frame = con.execute(
        """
        with expected as (
            select status.unit_code, units.unit_group
            from marts.rpt_reporting_status as status
            inner join marts.dim_units as units on units.unit_code = status.unit_code
            where status.report_year = ? and status.report_type = 'NAM'
              and units.unit_group in ('state_agency', 'commune')
        ),
        reports as (
            select unit_code, report_type, file_sha256,
                   bool_or(position_group_code = 'CHU_CHOT' and leaders_female >= 1) as has_female_key_leader,
                   array_to_string(list_sort(list(distinct source_row)), ', ') as source_rows
            from marts.fct_leadership
            where report_year = ?
            group by unit_code, report_type, file_sha256
            qualify row_number() over (
                partition by unit_code order by case report_type when 'NAM' then 1 else 2 end
            ) = 1
        )
        select expected.unit_group as code, reports.unit_code, reports.file_sha256, reports.source_rows,
               1 as units_reporting, case when reports.has_female_key_leader then 1 else 0 end
                   as units_with_female_key_leader
        from expected
        inner join reports on reports.unit_code = expected.unit_code
        """,
        [int(report_year), int(report_year)],
    ).df()
    frame["dimension"] = "unit_group"
    frame["is_total"] = False
    total = frame.copy()
    total["code"], total["dimension"], total["is_total"] = None, None, True
    import pandas as pd

    both = pd.concat([frame, total], ignore_index=True)
    return _unpivot(both, "leadership", "LanhDao", ["units_reporting", "units_with_female_key_leader"])


def _indicator_sources(con, report_year: int, report_type: str) -> pd.DataFrame:

    frame = con.execute(
        f"""
        with current_files as ({_current_files_sql()}),
        indicators as (
            select current_files.unit_code, indicators.file_sha256, indicators.indicator_code,
                   indicators.value_text, indicators.value_number, cast(indicators.source_row as varchar) as row,
                   coalesce(units.is_commune, false) as is_commune
            from staging.stg_raw__indicators as indicators
            inner join current_files on indicators.file_sha256 = current_files.file_sha256
            left join marts.dim_units as units on units.unit_code = current_files.unit_code
        )
        select indicator_code as code, unit_code, file_sha256, row as source_rows,
               coalesce(value_number, 0)::bigint as value
        from indicators
        where indicator_code in ('SO_CONG_CHUC_BDG', 'SO_VAN_BAN_LONG_GHEP', 'KINH_PHI_BDG')
           or (indicator_code = 'SO_NOI_TAM_LANH' and is_commune)
        union all
        select 'BAN_VSTBPN_KIEN_TOAN', unit_code, file_sha256, row, 1
        from indicators where indicator_code = 'BAN_VSTBPN_KIEN_TOAN' and value_text = 'CO'
        union all
        select 'XA_CO_NOI_TAM_LANH', unit_code, file_sha256, row, 1
        from indicators where indicator_code = 'SO_NOI_TAM_LANH' and is_commune and value_number >= 1
        union all
        select 'DAT_NTM_6_5', unit_code, file_sha256, row, 1
        from indicators where indicator_code = 'DAT_NTM_6_5' and value_text = 'CO'
        """,
        [int(report_year), report_type],
    ).df()
    frame["dimension"] = None
    frame["is_total"] = False
    return _unpivot(frame, "indicators", "ChiTieu", ["value"])
