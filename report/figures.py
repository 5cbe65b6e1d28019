"""The figures of the report to Bộ Nội vụ, read from the marts (one function per printed table).

`ministry_tables` returns one DataFrame per table, one row per printed row in print order; every renderer
(the workbook in `report.workbook`, the HTML report, the narrative) prints exactly these frames, so tests can
compare each output with the marts cell by cell.

Sources. Biểu 1–4 and the Biểu 5 totals are the whole-warehouse cells (`TOAN_QUOC`) of
`marts.rpt_ministry_annual`; Biểu 5 by unit kind `marts.rpt_reporting_rates`; the units to chase
`marts.rpt_reporting_status`; the news items per quarter `marts.rpt_news_by_quarter`; Biểu 6
`marts.rpt_plan_targets` and Biểu 7 `marts.rpt_plan_tasks` (`report.plan_frames`); the Tổng hợp summary
`marts.rpt_report_summary` (`report.summary_frames`); the chart series `marts.rpt_activities_by_month`;
the province's name for the documents' head `marts.dim_units` (`report.provinces`).
The modules `report.ministry_frames`, `report.plan_frames` and `report.summary_frames` only select, order
and label those rows: no figure of the report is computed in Python.
Reports run after `dbt build`: a missing mart is a `duckdb.Error`, not an empty table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.periods import REPORT_TYPES, check_report_type  # noqa: F401  (REPORT_TYPES: public name)
from report import ministry_frames
from report.frames import (  # noqa: F401  (re-exported: the renderers import the vocabulary from here)
    CHASE_STATUSES,
    STATUSES,
    TOTAL_LABEL,
    UNIT_GROUPS,
    UNIT_KINDS,
    WAREHOUSE_SCOPE,
    value_of,
)
from report.frames import as_date as _as_date
from report.plan_frames import (  # noqa: F401  (re-exported: public names of report.figures)
    PLAN_TASK_COLUMNS,
    PLAN_TASK_STATUSES,
    plan_targets,
    plan_task_summary,
    plan_tasks,
    shorten_text,
)
from report.provinces import Province, authority_of, place_of, read_provinces
from report.summary_frames import summary

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

# Keys of `ministry_tables`, in print order; `report.workbook.SHEETS` names the sheet of each.
TABLE_KEYS = (
    "summary",
    "activities",
    "gbv_cases",
    "leadership",
    "indicators",
    "news_by_quarter",
    "reporting_status",
    "units_to_chase",
    "plan_targets",
    "plan_tasks",
)


def period_label(report_year: int, report_type: str) -> str:
    """'Năm 2026' or '6 tháng đầu năm 2026'."""
    return f"Năm {report_year}" if report_type == "NAM" else f"6 tháng đầu năm {report_year}"


def previous_period(report_year: int, report_type: str) -> tuple[int, str]:
    """The period a report compares with: the same period of the previous year (cùng kỳ năm trước)."""
    return report_year - 1, report_type


# --------------------------------------------------------------------------------------------------
# Entry point


def ministry_tables(
    con: duckdb.DuckDBPyConnection, report_year: int, report_type: str, *, with_previous: bool = True
) -> dict[str, pd.DataFrame]:
    """Compute every table of the ministry report for one period.

    Inputs: an open DuckDB connection on the warehouse, the year, '6T' or 'NAM'; `with_previous` adds the
    same period of the previous year to the summary (when the warehouse holds accepted reports for it).
    Output: `TABLE_KEYS` → DataFrame, one row per printed row in print order. Every frame has `row_kind`
    ('section', 'item', 'total' or 'rate'), `stt` and `label` plus its figures; counts are `Int64`, rates
    are fractions (0..1, `Float64`) or NA when the denominator is 0. Every vocabulary code gets a row
    (zero when nothing was reported); a code in the marts that is not in the vocabulary gets a row
    labelled with the code, so totals always add up.
    Failure modes: `ValueError` for an unknown report type; `duckdb.Error` when a mart is missing.
    """
    check_report_type(report_type)
    tables = {
        "activities": ministry_frames.activities(con, report_year, report_type),
        "gbv_cases": ministry_frames.gbv_cases(con, report_year, report_type),
        "leadership": ministry_frames.leadership(con, report_year),
        "indicators": ministry_frames.indicators(con, report_year, report_type),
        "news_by_quarter": ministry_frames.news_by_quarter(con, report_year, report_type),
        "reporting_status": ministry_frames.reporting_status(con, report_year, report_type),
        "units_to_chase": ministry_frames.units_to_chase(con, report_year, report_type),
    }
    tables["plan_targets"] = plan_targets(con, report_year, report_type)
    tables["plan_tasks"] = plan_tasks(con, report_year, report_type)
    tables["summary"] = summary(con, report_year, report_type, with_previous=with_previous)
    return {key: tables[key] for key in TABLE_KEYS}


def has_accepted_reports(con, report_year: int, report_type: str) -> bool:
    """True when at least one expected unit has an accepted report of the period (Biểu 5's 'received')."""
    row = con.execute(
        """
        select value from marts.rpt_ministry_annual
        where province_code = ? and report_year = ? and report_type = ? and table_code = 'BIEU_5'
          and row_code = 'reporting_rate' and column_code = 'units'
        """,
        [WAREHOUSE_SCOPE, int(report_year), report_type],
    ).fetchone()
    return bool(row and row[0])


def as_of_date(con, report_year: int, report_type: str) -> dt.date | None:
    """The date the reporting status was judged at (the marts' as-of date); None without a status."""
    row = con.execute(
        "select max(as_of_date) from marts.rpt_reporting_status where report_year = ? and report_type = ?",
        [int(report_year), report_type],
    ).fetchone()
    return _as_date(row[0]) if row else None


# --------------------------------------------------------------------------------------------------
# Chart series


def activities_by_month(con, report_year: int, report_type: str) -> pd.DataFrame:
    """Activities (sum of Số lượng) per month of the activity date and programme, for the charts.

    Columns: month (first day), programme_code, activities (`marts.rpt_activities_by_month`).
    """
    return con.execute(
        """
        select activity_month as month, programme_code, activities
        from marts.rpt_activities_by_month
        where report_year = ? and report_type = ?
        order by activity_month, programme_code
        """,
        [int(report_year), report_type],
    ).df()


# --------------------------------------------------------------------------------------------------
# Helpers


# --------------------------------------------------------------------------------------------------
# Everything the renderers need, read once


@dataclass
class ReportData:
    """The figures of one period, read once from the warehouse and shared by every renderer."""

    report_year: int
    report_type: str
    tables: dict
    sources: object  # pd.DataFrame from report.provenance.figure_sources
    activities_by_month: object  # pd.DataFrame from activities_by_month
    as_of: dt.date | None
    previous_period: tuple[int, str] | None  # set when the summary carries the previous period
    provinces: tuple[Province, ...] = ()  # the provinces of the unit registry, by code
    strategy_objectives: object = None  # pd.DataFrame from report.objectives.strategy_objectives

    @property
    def period_label(self) -> str:
        return period_label(self.report_year, self.report_type)

    @property
    def authority(self) -> str:
        """The head's first line: 'UBND TỈNH BẮC NINH' (one province), 'UBND CÁC TỈNH, THÀNH PHỐ' (several)."""
        return authority_of(list(self.provinces))

    @property
    def place(self) -> str:
        """Where the report is dated: the province's name, '……' when the warehouse holds several."""
        return place_of(list(self.provinces))


def load_report_data(con, report_year: int, report_type: str) -> ReportData:
    """Read every figure of the period's report (tables, provenance, chart series, as-of date).

    Failure modes: as `ministry_tables`.
    """
    from report.objectives import strategy_objectives
    from report.provenance import figure_sources

    tables = ministry_tables(con, report_year, report_type)
    previous = previous_period(report_year, report_type)
    return ReportData(
        report_year=int(report_year),
        report_type=report_type,
        tables=tables,
        sources=figure_sources(con, report_year, report_type),
        activities_by_month=activities_by_month(con, report_year, report_type),
        as_of=as_of_date(con, report_year, report_type),
        previous_period=previous if has_accepted_reports(con, *previous) else None,
        provinces=tuple(province for _, province in sorted(read_provinces(con).items())),
        strategy_objectives=strategy_objectives(con, report_year),
    )
