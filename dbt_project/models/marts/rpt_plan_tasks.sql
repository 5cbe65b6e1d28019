-- Biểu 7 of the report: each plan task with what its lead units report, done and overdue at the
-- as-of date, and the plan year's totals (the table's last row); the units reporting a task done are
-- compared with the same task (code) of the province's plan of the previous year, and the year's
-- total with the previous plan year's.
with

tasks as (select * from {{ ref('dim_plan_tasks') }}),

counted as (

    select
        tasks.province_code,
        tasks.plan_year,
        tasks.task_code,
        count(task_status.unit_code) as units_assigned,
        count(task_status.unit_code) filter (where task_status.status = 'done') as units_done,
        count(task_status.unit_code) filter (where task_status.status = 'in_progress') as units_in_progress,
        count(task_status.unit_code) filter (where task_status.status = 'not_started') as units_not_started,
        count(task_status.unit_code) filter (where task_status.status = 'no_report') as units_no_report
    from tasks
    left join {{ ref('rpt_plan_task_status') }} as task_status
        on
            tasks.province_code = task_status.province_code
            and tasks.plan_year = task_status.plan_year
            and upper(tasks.task_code) = upper(task_status.task_code)
    group by tasks.province_code, tasks.plan_year, tasks.task_code

),

judged as (

    select
        tasks.province_code,
        tasks.plan_year,
        tasks.task_code,
        tasks.section_code,
        tasks.section_title,
        tasks.group_title,
        tasks.task_text,
        tasks.lead_agencies,
        tasks.timeline_text,
        tasks.due_date,
        tasks.source_row,
        counted.units_assigned,
        counted.units_done,
        counted.units_in_progress,
        counted.units_not_started,
        counted.units_no_report,
        -- done: every lead unit reports it done (a task nobody is assigned to is never done)
        counted.units_assigned > 0 and counted.units_done = counted.units_assigned as is_done
    from tasks
    inner join counted
        on
            {{ same_plan_task('tasks', 'counted') }}

),

totalled as (

    select
        province_code,
        cast(plan_year as integer) as plan_year,
        task_code,
        section_code,
        section_title,
        group_title,
        task_text,
        lead_agencies,
        timeline_text,
        due_date,
        cast(source_row as integer) as source_row,
        -- print order: provinces, then the plan's own order
        cast(row_number() over (
            partition by plan_year order by province_code, source_row nulls last, task_code
        ) as integer) as task_order,
        cast(units_assigned as integer) as units_assigned,
        cast(units_done as integer) as units_done,
        cast(units_in_progress as integer) as units_in_progress,
        cast(units_not_started as integer) as units_not_started,
        cast(units_no_report as integer) as units_no_report,
        is_done,
        -- overdue: the due date has passed at the as-of date and the task is not done (for a task with
        -- lead units, some lead unit is overdue in rpt_plan_task_status)
        coalesce(due_date < {{ as_of_date() }} and not is_done, false) as is_overdue,
        -- the plan year's totals, over every province's plan (the table's total row)
        cast(count(*) over (partition by plan_year) as integer) as year_task_count,
        cast(sum(units_assigned) over (partition by plan_year) as integer) as year_units_assigned,
        cast(sum(units_done) over (partition by plan_year) as integer) as year_units_done,
        cast(sum(units_in_progress) over (partition by plan_year) as integer) as year_units_in_progress,
        cast(sum(units_not_started) over (partition by plan_year) as integer) as year_units_not_started,
        cast(sum(units_no_report) over (partition by plan_year) as integer) as year_units_no_report,
        cast(count(*) filter (
            where coalesce(due_date < {{ as_of_date() }} and not is_done, false)
        ) over (partition by plan_year) as integer) as year_overdue_count,
        {{ as_of_date() }} as as_of_date
    from judged

),

year_totals as (

    select distinct
        plan_year,
        year_units_done
    from totalled

),

final as (

    select
        totalled.*,
        -- cùng kỳ năm trước: the same task code in the province's plan of the previous year (null when
        -- that plan has no such task), and the previous plan year's total (null without a plan then)
        previous_tasks.units_done as previous_units_done,
        totalled.units_done - previous_tasks.units_done as units_done_change,
        previous_year.year_units_done as previous_year_units_done,
        totalled.year_units_done - previous_year.year_units_done as year_units_done_change
    from totalled
    left join totalled as previous_tasks
        on
            totalled.province_code = previous_tasks.province_code
            and totalled.plan_year - 1 = previous_tasks.plan_year
            and totalled.task_code = previous_tasks.task_code
    left join year_totals as previous_year
        on totalled.plan_year - 1 = previous_year.plan_year

)

select * from final
