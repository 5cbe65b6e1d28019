-- Current content only: rows of the file that is currently loaded for its unit and period.
with

activities as (

    select * from {{ ref('stg_raw__activities') }}

),

current_submissions as (

    select * from {{ ref('int_submissions_filtered_to_current') }}

),

final as (

    select
        current_submissions.unit_code,
        current_submissions.report_year,
        current_submissions.report_type,
        activities.activity_type_code,
        activities.programme_code,
        activities.activity_name,
        activities.activity_date,
        activities.delivery_mode_code,
        activities.quantity,
        activities.participants_total,
        activities.participants_female,
        activities.participants_male,
        activities.participants_ethnic_minority,
        activities.budget_vnd,
        activities.file_sha256,
        activities.source_row
    from activities
    inner join current_submissions
        on activities.file_sha256 = current_submissions.file_sha256

)

select * from final
