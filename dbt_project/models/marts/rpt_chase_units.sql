-- The units to chase per period: missing, rejected or late at the as-of date.
with

reporting_status as (

    select * from {{ ref('rpt_reporting_status') }}
    where status in ('missing', 'rejected', 'late')

),

likely_files as (

    -- rejected files naming no registered unit that the chase list ties to a unit by code or name
    select * from {{ ref('rpt_chase_rejected_files') }}
    where not is_attributed and likely_unit_code is not null

),

units_with_likely_files as (

    select distinct
        likely_unit_code as unit_code,
        report_year,
        report_type
    from likely_files

),

final as (

    select
        reporting_status.unit_code,
        reporting_status.unit_name,
        reporting_status.unit_kind,
        reporting_status.province_code,
        reporting_status.report_year,
        reporting_status.report_type,
        reporting_status.status,
        -- a unit that sent only files no unit could be tied to did send: its file was rejected
        case
            when
                reporting_status.status = 'missing' and units_with_likely_files.unit_code is not null
                then 'rejected'
            else reporting_status.status
        end as chase_status,
        units_with_likely_files.unit_code is not null as has_likely_rejected_file,
        reporting_status.deadline_date,
        -- a late unit is behind by its days late; one that has sent nothing valid, by the days since
        -- the deadline at the as-of date
        case
            when reporting_status.status = 'late' then reporting_status.days_late
            else cast(reporting_status.as_of_date - reporting_status.deadline_date as integer)
        end as days_past_deadline,
        reporting_status.first_received_at,
        reporting_status.as_of_date
    from reporting_status
    left join units_with_likely_files
        on
            {{ same_unit_period('reporting_status', 'units_with_likely_files') }}

)

select * from final
