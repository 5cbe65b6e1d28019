with

source as (select * from {{ source('raw', 'ref_reporting_calendar') }}),

renamed as (

    select
        province_code,
        report_year,
        report_type,
        period_start,
        period_end,
        due_date,
        grace_days
    from source

)

select * from renamed
