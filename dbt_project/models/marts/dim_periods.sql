with

calendar as (select * from {{ ref('stg_raw__reporting_calendar') }}),

final as (

    select
        province_code,
        report_year,
        report_type,
        period_start,
        period_end,
        due_date,
        grace_days,
        cast(due_date + grace_days as date) as deadline_date
    from calendar

)

select * from final
