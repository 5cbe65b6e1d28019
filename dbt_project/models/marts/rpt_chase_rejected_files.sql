-- The rejected files each period's chase list names (the rule is in the model's description).
with

rejected_files as (select * from {{ ref('rpt_rejected_files') }}),

calendar as (select * from {{ ref('dim_periods') }}),

accepted_reports as (

    -- the units with an accepted report of a period (sent on time or late)
    select * from {{ ref('rpt_reporting_status') }}
    where status in ('on_time', 'late')

),

periods as (

    -- every period of the calendar, and any other period a rejected file names
    select distinct
        report_year,
        report_type
    from calendar
    union
    select distinct
        report_year,
        report_type
    from rejected_files
    where report_year is not null and report_type is not null

),

period_bounds as (

    -- provinces may differ: the earliest deadline and start of the period over all provinces
    select
        periods.report_year,
        periods.report_type,
        min(calendar.deadline_date) as deadline_date,
        min(calendar.period_start) as period_start
    from periods
    left join calendar
        on
            periods.report_year = calendar.report_year
            and periods.report_type = calendar.report_type
    group by periods.report_year, periods.report_type

),

period_windows as (

    -- a period's window opens the day after the previous deadline (of any period), else on its start
    select
        period_bounds.report_year,
        period_bounds.report_type,
        coalesce(max(earlier.deadline_date) + 1, period_bounds.period_start) as window_start_date
    from period_bounds
    left join calendar as earlier
        on period_bounds.deadline_date > earlier.deadline_date
    group by period_bounds.report_year, period_bounds.report_type, period_bounds.period_start

),

files_naming_a_period as (

    select
        file_sha256,
        file_name,
        report_year,
        report_type
    from rejected_files
    where report_year is not null and report_type is not null

),

unit_files_naming_no_period as (

    -- the unit is known: the file is listed with the unit in every period of its province
    select
        rejected_files.file_sha256,
        rejected_files.file_name,
        calendar.report_year,
        calendar.report_type
    from rejected_files
    inner join calendar
        on rejected_files.province_code = calendar.province_code
    where
        rejected_files.is_attributed
        and (rejected_files.report_year is null or rejected_files.report_type is null)

),

unattributed_files_naming_no_period as (

    -- neither unit nor period known: the periods whose window holds the received date (the window
    -- closes at the as-of date, which rpt_rejected_files already applied)
    select
        rejected_files.file_sha256,
        rejected_files.file_name,
        period_windows.report_year,
        period_windows.report_type
    from rejected_files
    inner join period_windows
        on rejected_files.received_date >= period_windows.window_start_date
    where
        not rejected_files.is_attributed
        and (rejected_files.report_year is null or rejected_files.report_type is null)

),

file_periods as (

    select * from files_naming_a_period
    union all
    select * from unit_files_naming_no_period
    union all
    select * from unattributed_files_naming_no_period

),

final as (

    -- a file whose unit, attributed or likely, has an accepted report of the period needs no action
    select
        file_periods.report_year,
        file_periods.report_type,
        rejected_files.file_sha256,
        rejected_files.file_name,
        rejected_files.received_at,
        rejected_files.received_date,
        rejected_files.reported_unit_code,
        rejected_files.unit_code,
        rejected_files.unit_name,
        rejected_files.province_code,
        rejected_files.is_attributed,
        rejected_files.likely_unit_code,
        rejected_files.likely_unit_name,
        rejected_files.likely_province_code,
        rejected_files.likely_match_method,
        rejected_files.error_codes,
        rejected_files.errors,
        rejected_files.as_of_date
    from file_periods
    inner join rejected_files
        on
            file_periods.file_sha256 = rejected_files.file_sha256
            and file_periods.file_name = rejected_files.file_name
    left join accepted_reports
        on
            coalesce(rejected_files.unit_code, rejected_files.likely_unit_code) = accepted_reports.unit_code
            and file_periods.report_year = accepted_reports.report_year
            and file_periods.report_type = accepted_reports.report_type
    where accepted_reports.unit_code is null

)

select * from final
