-- The units to chase per period: missing, rejected or late at the as-of date.
with

reporting_status as (

    select * from {{ ref('rpt_reporting_status') }}
    where status in ('missing', 'rejected', 'late')

),

final as (

    select
        unit_code,
        unit_name,
        unit_kind,
        province_code,
        report_year,
        report_type,
        status,
        deadline_date,
        -- a late unit is behind by its days late; one that has sent nothing valid, by the days since
        -- the deadline at the as-of date
        case
            when status = 'late' then days_late
            else cast(as_of_date - deadline_date as integer)
        end as days_past_deadline,
        first_received_at,
        as_of_date
    from reporting_status

)

select * from final
