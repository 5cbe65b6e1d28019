with

source as (select * from {{ source('plan', 'plan_task_agencies') }}),

renamed as (

    select
        province_code,
        plan_year,
        task_code,
        role as agency_role,
        agency_text,
        unit_group as agency_unit_group,
        unit_code
    from source

)

select * from renamed
