with

source as (select * from {{ source('plan', 'plan_task_targets') }}),

renamed as (

    select
        province_code,
        plan_year,
        task_code,
        target_value,
        target_unit,
        target_period,
        target_text
    from source

)

select * from renamed
