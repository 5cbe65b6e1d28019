with

tasks as (select * from {{ ref('stg_plan__tasks') }}),

agencies as (select * from {{ ref('stg_plan__task_agencies') }}),

agency_lists as (

    select
        province_code,
        plan_year,
        task_code,
        list(agency_text order by agency_text) filter (where agency_role = 'lead') as lead_agencies,
        list(agency_text order by agency_text) filter (where agency_role = 'partner') as partner_agencies
    from agencies
    group by province_code, plan_year, task_code

),

final as (

    select
        tasks.task_code,
        tasks.section_code,
        tasks.section_title,
        tasks.group_title,
        tasks.task_text,
        coalesce(agency_lists.lead_agencies, []::varchar[]) as lead_agencies,
        coalesce(agency_lists.partner_agencies, []::varchar[]) as partner_agencies,
        tasks.timeline_text,
        tasks.due_date,
        tasks.province_code,
        tasks.plan_year,
        tasks.source_file,
        tasks.source_row
    from tasks
    left join agency_lists
        on
            {{ same_plan_task('tasks', 'agency_lists') }}

)

select * from final
