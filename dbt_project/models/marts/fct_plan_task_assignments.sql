with

assignments as (select * from {{ ref('int_plan_task_assignments_expanded') }}),

final as (

    select
        province_code,
        plan_year,
        task_code,
        unit_code,
        agency_role,
        agency_text
    from assignments

)

select * from final
