"""The `report_validity` suite: figures that cannot all be true, row by row, on the current content.

Batches (one Great Expectations suite each, all under the logical suite `report_validity`):
- `activities` (`marts.fct_activities`): female ≤ total participants, female + male = total, activity
  date inside the reporting period;
- `gbv_cases` (`marts.fct_gbv_cases`): handled ≤ detected, supported ≤ victims, children ≤ victims;
- `leadership` (`marts.fct_leadership`): female ≤ leaders, ethnic-minority female ≤ female leaders,
  pool trained ≤ pool female ≤ pool total;
- `totals_rows` (`staging.stg_raw__reported_totals`): a totals row typed by the unit equals the sum of
  the data rows above it (since the previous totals row of the sheet);
- `budgets` (activity budgets and the ChiTieu budget indicator): zero, or within a plausible range.

Severities follow the rule in `expectations.checks`: what makes a ministry figure wrong is an `error`,
doubtful values are `warning`s. Rows with a blank in a compared column are skipped, never flagged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from expectations.checks import Batch, Check, Scope, ge_between, ge_pair, vn_date, vn_number, with_row_ids

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

SUITE_NAME = "report_validity"

# Plausible budgets in đồng. Below 10.000 đồng the figure was almost surely typed in thousands or millions
# ("15" for 15 triệu); above the ceiling it has extra digits. Zero (no cost) is always plausible.
ACTIVITY_BUDGET_RANGE = (10_000, 10_000_000_000)  # one activity row: 10 nghìn – 10 tỷ đồng
ANNUAL_BUDGET_RANGE = (100_000, 100_000_000_000)  # ChiTieu «Kinh phí bố trí cho BĐG»: 100 nghìn – 100 tỷ
BUDGET_INDICATOR = "KINH_PHI_BDG"
# Totals typed by hand are compared exactly; half a đồng absorbs float noise only.
TOTALS_TOLERANCE = 0.5

# Sheet of the form → the fact holding its current rows (reported_totals.column_name = the fact column).
TOTALS_FACTS = {"HoatDong": "marts.fct_activities", "VuViec": "marts.fct_gbv_cases", "LanhDao": "marts.fct_leadership"}


def _at(row, sheet: str | None = None) -> str:
    """Where a form row is: 'VuViec dòng 12' (the sheet from the row when not given)."""
    return f"{sheet or row['sheet_name']} dòng {int(row['source_row'])}"


def _not_above(name: str, description_vi: str, sheet: str, whole: tuple[str, str], part: tuple[str, str]) -> Check:
    """An `error` check that a part (column, Vietnamese label) never exceeds its whole on a row of `sheet`;
    the finding reads 'VuViec dòng 12: đã xử lý 5 > phát hiện 3'."""
    (whole_column, whole_label), (part_column, part_label) = whole, part

    def observed(row) -> str:
        return (
            f"{_at(row, sheet)}: {part_label} {vn_number(row[part_column])} > "
            f"{whole_label} {vn_number(row[whole_column])}"
        )

    return Check(name, "error", description_vi, ge_pair(whole_column, part_column), observed)


# --- activities ----------------------------------------------------------------------------------------


def read_activities(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    where, params = scope.where("activities")
    frame = con.execute(
        f"""
        select
            activities.unit_code,
            activities.report_year,
            activities.report_type,
            activities.source_row,
            activities.file_sha256,
            cast(activities.participants_total as double) as participants_total,
            cast(activities.participants_female as double) as participants_female,
            cast(activities.participants_male as double) as participants_male,
            cast(activities.participants_total - activities.participants_female - activities.participants_male
                as double) as participants_sex_gap,
            activities.activity_date,
            periods.period_start,
            periods.period_end,
            cast(case
                when activities.activity_date < periods.period_start
                    then periods.period_start - activities.activity_date
                when activities.activity_date > periods.period_end
                    then activities.activity_date - periods.period_end
                when activities.activity_date is not null then 0
            end as double) as days_outside_period
        from marts.fct_activities as activities
        left join marts.dim_units as units
            on activities.unit_code = units.unit_code
        left join marts.dim_periods as periods
            on
                units.province_code = periods.province_code
                and activities.report_year = periods.report_year
                and activities.report_type = periods.report_type
        where {where}
        order by activities.unit_code, activities.report_year, activities.report_type, activities.source_row
        """,
        params,
    ).df()
    return with_row_ids(frame)


def _observed_sex_gap(row) -> str:
    return (
        f"{_at(row, 'HoatDong')}: nữ {vn_number(row['participants_female'])} + nam "
        f"{vn_number(row['participants_male'])} ≠ tổng {vn_number(row['participants_total'])}"
    )


def _observed_date(row) -> str:
    return (
        f"{_at(row, 'HoatDong')}: ngày {vn_date(row['activity_date'])} ngoài kỳ "
        f"{vn_date(row['period_start'])}–{vn_date(row['period_end'])}"
    )


ACTIVITY_CHECKS: tuple[Check, ...] = (
    _not_above(
        "female_participants_not_above_total",
        "Số người tham gia là nữ không lớn hơn tổng số người tham gia.",
        "HoatDong",
        ("participants_total", "tổng"),
        ("participants_female", "nữ"),
    ),
    Check(
        "female_plus_male_equals_total",
        "error",
        "Số người tham gia nữ + nam bằng tổng số người tham gia.",
        ge_between("participants_sex_gap", 0, 0),
        _observed_sex_gap,
    ),
    Check(
        "activity_date_inside_period",
        "warning",
        "Ngày thực hiện hoạt động nằm trong kỳ báo cáo.",
        ge_between("days_outside_period", 0, 0),
        _observed_date,
    ),
)


# --- GBV cases -----------------------------------------------------------------------------------------


def _read_form_rows(con: duckdb.DuckDBPyConnection, scope: Scope, fact: str, columns: str) -> pd.DataFrame:
    """The rows of a fact in scope, one per form row (file_sha256, source_row), with `columns` (SQL)."""
    where, params = scope.where()
    frame = con.execute(
        f"""
        select unit_code, report_year, report_type, source_row, file_sha256, {columns}
        from {fact}
        where {where}
        order by unit_code, report_year, report_type, source_row
        """,
        params,
    ).df()
    return with_row_ids(frame)


def read_gbv_cases(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    columns = """
        case_type_code,
        cast(cases_detected as double) as cases_detected,
        cast(cases_handled as double) as cases_handled,
        -- a blank sex column next to a filled one is a zero; both blank: unknown
        cast(case
            when victims_female is not null or victims_male is not null
                then coalesce(victims_female, 0) + coalesce(victims_male, 0)
        end as double) as victims_total,
        cast(victims_children as double) as victims_children,
        cast(victims_supported as double) as victims_supported
    """
    return _read_form_rows(con, scope, "marts.fct_gbv_cases", columns)


GBV_CHECKS: tuple[Check, ...] = (
    _not_above(
        "cases_handled_not_above_detected",
        "Số vụ đã xử lý không lớn hơn số vụ phát hiện.",
        "VuViec",
        ("cases_detected", "phát hiện"),
        ("cases_handled", "đã xử lý"),
    ),
    _not_above(
        "victims_supported_not_above_victims",
        "Số nạn nhân được hỗ trợ không lớn hơn số nạn nhân (nữ + nam).",
        "VuViec",
        ("victims_total", "nạn nhân"),
        ("victims_supported", "được hỗ trợ"),
    ),
    _not_above(
        "child_victims_not_above_victims",
        "Số nạn nhân là trẻ em không lớn hơn số nạn nhân (nữ + nam).",
        "VuViec",
        ("victims_total", "nạn nhân"),
        ("victims_children", "trẻ em"),
    ),
)


# --- leadership ----------------------------------------------------------------------------------------


def read_leadership(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    columns = """
        position_group_code,
        cast(leaders_total as double) as leaders_total,
        cast(leaders_female as double) as leaders_female,
        cast(leaders_female_ethnic_minority as double) as leaders_female_ethnic_minority,
        cast(pool_total as double) as pool_total,
        cast(pool_female as double) as pool_female,
        cast(pool_female_trained as double) as pool_female_trained
    """
    return _read_form_rows(con, scope, "marts.fct_leadership", columns)


LEADERSHIP_CHECKS: tuple[Check, ...] = (
    _not_above(
        "female_leaders_not_above_leaders",
        "Số lãnh đạo là nữ không lớn hơn tổng số lãnh đạo của nhóm chức danh.",
        "LanhDao",
        ("leaders_total", "tổng số"),
        ("leaders_female", "nữ"),
    ),
    _not_above(
        "ethnic_minority_female_leaders_not_above_female_leaders",
        "Số lãnh đạo nữ là người DTTS không lớn hơn số lãnh đạo nữ.",
        "LanhDao",
        ("leaders_female", "nữ"),
        ("leaders_female_ethnic_minority", "nữ DTTS"),
    ),
    _not_above(
        "pool_female_not_above_pool_total",
        "Số nữ trong quy hoạch không lớn hơn tổng số trong quy hoạch.",
        "LanhDao",
        ("pool_total", "quy hoạch tổng số"),
        ("pool_female", "quy hoạch nữ"),
    ),
    _not_above(
        "pool_trained_not_above_pool_female",
        "Số nữ trong quy hoạch được đào tạo, bồi dưỡng không lớn hơn số nữ trong quy hoạch.",
        "LanhDao",
        ("pool_female", "quy hoạch nữ"),
        ("pool_female_trained", "nữ được đào tạo"),
    ),
)


# --- totals rows ---------------------------------------------------------------------------------------


def read_totals_rows(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """One row per current file × sheet × totals row × column: the typed total, the rows' sum, the gap."""
    import pandas as pd

    where, params = scope.where("files")
    totals = con.execute(
        f"""
        with files as (
            select distinct file_sha256, unit_code, report_year, report_type
            from marts.fct_submissions
            where status = 'loaded'
        )
        select
            files.unit_code,
            files.report_year,
            files.report_type,
            totals.file_sha256,
            totals.sheet_name,
            totals.source_row,
            totals.column_name,
            totals.reported_value,
            -- rows counted by this totals row: below the sheet's previous totals row, above this one
            coalesce(
                lag(totals.source_row) over (
                    partition by totals.file_sha256, totals.sheet_name, totals.column_name
                    order by totals.source_row
                ),
                0
            ) as previous_totals_row
        from staging.stg_raw__reported_totals as totals
        inner join files
            on totals.file_sha256 = files.file_sha256
        where {where}
        """,
        params,
    ).df()
    frames = []
    for sheet, fact in TOTALS_FACTS.items():
        part = totals[totals["sheet_name"] == sheet]
        if part.empty:
            continue
        columns = {row[0] for row in con.execute(f"select column_name from (describe {fact})").fetchall()} & set(
            part["column_name"]
        )
        con.register("_dq_totals", part)
        try:
            sums = [
                con.execute(
                    f"""
                    select
                        totals.file_sha256, totals.sheet_name, totals.source_row, totals.column_name,
                        cast(coalesce(sum(fact.{column}), 0) as double) as summed_value
                    from _dq_totals as totals
                    left join {fact} as fact
                        on
                            fact.file_sha256 = totals.file_sha256
                            and fact.source_row > totals.previous_totals_row
                            and fact.source_row < totals.source_row
                    where totals.column_name = '{column}'
                    group by all
                    """
                ).df()
                for column in sorted(columns)
            ]
        finally:
            con.unregister("_dq_totals")
        if sums:
            frames.append(part.merge(pd.concat(sums), on=["file_sha256", "sheet_name", "source_row", "column_name"]))
    columns = [*totals.columns, "summed_value"]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    frame["difference"] = (frame["reported_value"].astype(float) - frame["summed_value"].astype(float)).astype(float)
    frame = frame.sort_values(["unit_code", "report_year", "report_type", "sheet_name", "source_row", "column_name"])
    return with_row_ids(frame)


def _observed_totals(row) -> str:
    return (
        f"{_at(row)} «Tổng cộng», cột {row['column_name']}: ghi {vn_number(row['reported_value'])}, "
        f"tổng các dòng {vn_number(row['summed_value'])}"
    )


TOTALS_CHECKS: tuple[Check, ...] = (
    Check(
        "totals_row_equals_sum",
        "error",
        "Dòng «Tổng cộng» do đơn vị ghi bằng tổng các dòng phía trên.",
        ge_between("difference", -TOTALS_TOLERANCE, TOTALS_TOLERANCE),
        _observed_totals,
    ),
)


# --- budgets -------------------------------------------------------------------------------------------


def read_budgets(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Activity budgets and the annual budget indicator, with their plausible range and the distance
    out of it in orders of magnitude (0 inside the range or for a zero budget)."""
    where_activities, params_activities = scope.where()
    where_files, params_files = scope.where("files")
    (a_low, a_high), (i_low, i_high) = ACTIVITY_BUDGET_RANGE, ANNUAL_BUDGET_RANGE
    frame = con.execute(
        f"""
        with

        activity_budgets as (
            select
                unit_code, report_year, report_type, 'HoatDong' as sheet_name, source_row,
                cast(budget_vnd as double) as budget_vnd, {a_low}::double as low, {a_high}::double as high
            from marts.fct_activities
            where budget_vnd is not null and {where_activities}
        ),

        files as (
            select distinct file_sha256, unit_code, report_year, report_type
            from marts.fct_submissions
            where status = 'loaded'
        ),

        indicator_budgets as (
            select
                files.unit_code, files.report_year, files.report_type, 'ChiTieu' as sheet_name,
                indicators.source_row, indicators.value_number as budget_vnd,
                {i_low}::double as low, {i_high}::double as high
            from staging.stg_raw__indicators as indicators
            inner join files
                on indicators.file_sha256 = files.file_sha256
            where
                indicators.indicator_code = '{BUDGET_INDICATOR}'
                and indicators.value_number is not null
                and {where_files}
        ),

        budgets as (
            select * from activity_budgets
            union all
            select * from indicator_budgets
        )

        select
            *,
            case
                when budget_vnd = 0 or budget_vnd between low and high then 0.0
                when budget_vnd < low then log10(low / greatest(budget_vnd, 1))
                else log10(budget_vnd / high)
            end as orders_outside_range
        from budgets
        order by unit_code, report_year, report_type, sheet_name, source_row
        """,
        [*params_activities, *params_files],
    ).df()
    return with_row_ids(frame)


def _observed_budget(row) -> str:
    return (
        f"{_at(row)}: kinh phí {vn_number(row['budget_vnd'])} đồng, ngoài khoảng hợp lý "
        f"{vn_number(row['low'])}–{vn_number(row['high'])} đồng"
    )


BUDGET_CHECKS: tuple[Check, ...] = (
    Check(
        "budget_plausible",
        "warning",
        "Kinh phí bằng 0 hoặc trong khoảng hợp lý (không ghi nhầm đơn vị nghìn, triệu đồng, không thừa chữ số).",
        ge_between("orders_outside_range", 0, 0),
        _observed_budget,
    ),
)


BATCHES: tuple[Batch, ...] = (
    Batch(SUITE_NAME, "activities", "marts.fct_activities", read_activities, ACTIVITY_CHECKS),
    Batch(SUITE_NAME, "gbv_cases", "marts.fct_gbv_cases", read_gbv_cases, GBV_CHECKS),
    Batch(SUITE_NAME, "leadership", "marts.fct_leadership", read_leadership, LEADERSHIP_CHECKS),
    Batch(
        SUITE_NAME,
        "totals_rows",
        "staging.stg_raw__reported_totals, marts.fct_*",
        read_totals_rows,
        TOTALS_CHECKS,
    ),
    Batch(
        SUITE_NAME,
        "budgets",
        "marts.fct_activities, staging.stg_raw__indicators",
        read_budgets,
        BUDGET_CHECKS,
    ),
)
