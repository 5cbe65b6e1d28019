"""Where each figure of the ministry report comes from: the submissions (files) and source rows behind it.

`figure_sources` returns one row per (figure, submission) with that submission's contribution; the
contributions of a figure add up to the figure. A figure is named by the table of `ministry_tables`, the
row (`dimension` + `code`, or the total row) and the column, so the workbook writer can turn it into a
cell address. Covered: Biểu 1 (activities), Biểu 2 (GBV cases), Biểu 3 (units reporting and units with a
female key leader) and Biểu 4 (institutional indicator results). Rates are computed from counts on the
same row; the reporting-status table is about submissions itself (the chase list names them).

Every value is read from the mart `rpt_figure_sources` (rpt_provenance added up per file), whole-warehouse
scope: nothing is added up here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from report.frames import WAREHOUSE_SCOPE

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

# The mart's tables as `ministry_tables` names them, in print order. Biểu 3 is the year's table (the
# annual period's figures, also in the 6-month report), like the printed Biểu 3.
TABLE_KEYS = {"BIEU_1": "activities", "BIEU_2": "gbv_cases", "BIEU_3": "leadership", "BIEU_4": "indicators"}
# A row code's prefix → the dimension the workbook's rows carry (Biểu 3 rows are unit groups).
DIMENSIONS = {"programme": "programme_code", "activity_type": "activity_type_code", "case_type": "case_type_code"}


def figure_sources(con: duckdb.DuckDBPyConnection, report_year: int, report_type: str) -> pd.DataFrame:
    """One row per (figure, submission) for one period, zero contributions left out (see COLUMNS), in
    print order (table, row, column, unit).

    `source_rows` is the comma-separated list of the rows of `source_sheet` (in the unit's workbook)
    behind the contribution. Failure modes: `duckdb.Error` when the mart is missing.
    """
    tables = ", ".join(f"'{code}'" for code in TABLE_KEYS)
    table_keys = " ".join(f"when '{code}' then '{key}'" for code, key in TABLE_KEYS.items())
    dimensions = " ".join(f"when '{prefix}' then '{name}'" for prefix, name in DIMENSIONS.items())
    frame = con.execute(
        f"""
        select
            case table_code {table_keys} end as table_key,
            case
                when row_code = 'total' then null
                when table_code = 'BIEU_3' then 'unit_group'
                else case split_part(row_code, '.', 1) {dimensions} end
            end as dimension,
            case when row_code = 'total' then null
                 when contains(row_code, '.') then split_part(row_code, '.', 2)
                 else row_code end as code,
            row_code = 'total' as is_total,
            column_code as measure,
            contribution,
            unit_code,
            unit_name,
            file_name,
            received_at,
            file_sha256,
            sheet_name as source_sheet,
            source_rows
        from marts.rpt_figure_sources
        where province_code = ? and report_year = ? and table_code in ({tables})
          and report_type = case table_code when 'BIEU_3' then 'NAM' else ? end
          -- Biểu 4 lists each indicator's result, not the units that reported it
          and not (table_code = 'BIEU_4' and column_code = 'units_reporting')
        order by table_code, row_order, row_code, column_order, column_code, unit_code, file_sha256
        """,
        [WAREHOUSE_SCOPE, int(report_year), report_type],
    ).df()
    for name in ("dimension", "code"):  # blanks as None, like every text column of the report frames
        frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
    return frame[COLUMNS].reset_index(drop=True)
