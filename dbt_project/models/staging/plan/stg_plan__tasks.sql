with

source as (select * from {{ source('plan', 'plan_tasks') }}),

renamed as (

    select
        province_code,
        plan_year,
        task_code,
        section_code,
        section_title,
        group_title,
        task_text,
        lead_text,
        partner_text,
        timeline_text,
        due_date,
        source_file,
        source_row,
        imported_at
    from source

)

select * from renamed
