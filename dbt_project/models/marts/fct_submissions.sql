with

submissions as (select * from {{ ref('stg_raw__submissions') }}),

final as (

    select
        file_sha256,
        file_name,
        unit_code,
        report_year,
        report_type,
        received_at,
        received_date,
        status,
        is_accepted,
        error_count,
        loaded_at
    from submissions

)

select * from final
