-- Activities per calendar month of the activity date and programme, for the charts of the report.
with

activities as (

    select * from {{ ref('fct_activities') }}
    -- an activity without a date has no month
    where activity_date is not null

),

final as (

    select
        cast(report_year as integer) as report_year,
        report_type,
        cast(date_trunc('month', activity_date) as date) as activity_month,
        programme_code,
        -- Số lượng: sessions or items of a batch row count each
        cast(coalesce(sum(quantity), 0) as bigint) as activities
    from activities
    group by report_year, report_type, cast(date_trunc('month', activity_date) as date), programme_code

)

select * from final
