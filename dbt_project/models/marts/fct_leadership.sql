-- Current content only: rows of the file that is currently loaded for its unit and period.
with

leadership as (

    select * from {{ ref('stg_raw__leadership') }}

),

current_submissions as (

    select * from {{ ref('int_submissions_filtered_to_current') }}

),

final as (

    select
        current_submissions.unit_code,
        current_submissions.report_year,
        current_submissions.report_type,
        leadership.position_group_code,
        leadership.leaders_total,
        leadership.leaders_female,
        leadership.leaders_female_ethnic_minority,
        leadership.pool_total,
        leadership.pool_female,
        leadership.pool_female_trained,
        leadership.file_sha256,
        leadership.source_row
    from leadership
    inner join current_submissions
        on leadership.file_sha256 = current_submissions.file_sha256

)

select * from final
