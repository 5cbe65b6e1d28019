-- Reporting status per expected unit × period, judged at the as-of date (see doc 'reporting_status').
with

units as (select * from {{ ref('dim_units') }}),

statuses as (select * from {{ ref('reporting_statuses') }}),

periods as (

    -- periods that have not started yet are not evaluated
    select * from {{ ref('dim_periods') }}
    where period_start <= {{ as_of_date() }}

),

submissions as (

    -- received dates are judged in Asia/Ho_Chi_Minh; files received after the as-of date are ignored,
    -- so re-running a past as-of date reproduces the past
    select
        *,
        {{ to_local_date('received_at') }} as received_local_date
    from {{ ref('fct_submissions') }}
    where
        unit_code is not null
        and {{ to_local_date('received_at') }} <= {{ as_of_date() }}

),

expected_units as (

    -- a unit is expected when it is active at the period's end (a commune merged before then is not)
    select
        units.unit_code,
        units.unit_name,
        units.unit_kind,
        units.unit_group,
        units.province_code,
        periods.report_year,
        periods.report_type,
        periods.due_date,
        periods.deadline_date
    from units
    inner join periods
        on
            units.province_code = periods.province_code
            and {{ unit_active_on('units', 'periods.period_end') }}

),

submissions_summarised as (

    select
        unit_code,
        report_year,
        report_type,
        -- timeliness counts the first accepted file, even when a later one superseded it
        min(received_local_date) filter (where is_accepted) as first_accepted_date,
        min(received_at) filter (where is_accepted) as first_received_at,
        max(received_at) filter (where is_accepted) as last_received_at,
        -- a resubmission is a second accepted file; a duplicate (same bytes) is not one
        count(distinct file_sha256) filter (where is_accepted) as accepted_file_count,
        count(distinct file_sha256) filter (where status = 'rejected') as rejected_file_count
    from submissions
    group by unit_code, report_year, report_type

),

evaluated as (

    select
        expected_units.*,
        submissions_summarised.first_accepted_date,
        submissions_summarised.first_received_at,
        submissions_summarised.last_received_at,
        coalesce(submissions_summarised.accepted_file_count, 0) as accepted_file_count,
        coalesce(submissions_summarised.rejected_file_count, 0) as rejected_file_count,
        {{ as_of_date() }} as as_of_date
    from expected_units
    left join submissions_summarised
        on
            {{ same_unit_period('expected_units', 'submissions_summarised') }}

),

judged as (

    select
        unit_code,
        unit_name,
        unit_kind,
        unit_group,
        province_code,
        report_year,
        report_type,
        due_date,
        deadline_date,
        case
            when first_accepted_date <= deadline_date then 'on_time'
            when first_accepted_date > deadline_date then 'late'
            when rejected_file_count > 0 then 'rejected'
            when as_of_date > deadline_date then 'missing'
            else 'pending'
        end as status,
        case
            when first_accepted_date > deadline_date
                then cast(first_accepted_date - deadline_date as integer)
        end as days_late,
        first_received_at,
        last_received_at,
        cast(rejected_file_count as integer) as rejected_file_count,
        as_of_date,
        cast(accepted_file_count as integer) as accepted_file_count,
        cast(greatest(accepted_file_count - 1, 0) as integer) as resubmission_count
    from evaluated

),

final as (

    select
        judged.*,
        statuses.status_name_vi
    from judged
    left join statuses
        on judged.status = statuses.status_code

)

select * from final
