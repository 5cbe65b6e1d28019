-- What each lead unit says of its plan tasks (the NhiemVu sheet of its latest report of the plan year:
-- the annual report when there is one, else the 6-month one), and which tasks are overdue.
with

assignments as (

    select * from {{ ref('int_plan_task_assignments_expanded') }}
    where agency_role = 'lead'

),

tasks as (select * from {{ ref('dim_plan_tasks') }}),

reported as (

    select
        current_submissions.unit_code,
        current_submissions.report_year,
        upper(trim(task_reports.task_code)) as task_code,
        task_reports.task_status_code,
        task_reports.result_text,
        current_submissions.report_type,
        row_number() over (
            partition by
                current_submissions.unit_code, current_submissions.report_year,
                upper(trim(task_reports.task_code))
            order by
                case current_submissions.report_type when 'NAM' then 0 else 1 end, task_reports.source_row
        ) as preference
    from {{ ref('stg_raw__task_statuses') }} as task_reports
    inner join {{ ref('int_submissions_filtered_to_current') }} as current_submissions
        on task_reports.file_sha256 = current_submissions.file_sha256

),

final as (

    select
        assignments.province_code,
        assignments.plan_year,
        assignments.task_code,
        assignments.unit_code,
        units.unit_name,
        tasks.due_date,
        reported.task_status_code as reported_status_code,
        case reported.task_status_code
            when 'HOAN_THANH' then 'done'
            when 'DANG_THUC_HIEN' then 'in_progress'
            when 'CHUA_THUC_HIEN' then 'not_started'
            else 'no_report'
        end as status,
        reported.result_text,
        reported.report_type as reported_in,
        coalesce(
            tasks.due_date < {{ as_of_date() }} and reported.task_status_code is distinct from 'HOAN_THANH',
            false
        ) as is_overdue,
        {{ as_of_date() }} as as_of_date
    from assignments
    inner join tasks
        on
            {{ same_plan_task('assignments', 'tasks') }}
    inner join {{ ref('dim_units') }} as units
        on assignments.unit_code = units.unit_code
    left join reported
        on
            assignments.unit_code = reported.unit_code
            and assignments.plan_year = reported.report_year
            and upper(assignments.task_code) = reported.task_code
            and reported.preference = 1

)

select * from final
