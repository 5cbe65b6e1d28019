-- Current content only: rows of the file that is currently loaded for its unit and period.
with

indicators as (

    select * from {{ ref('stg_raw__indicators') }}

),

current_submissions as (

    select * from {{ ref('int_submissions_filtered_to_current') }}

),

final as (

    select
        current_submissions.unit_code,
        current_submissions.report_year,
        current_submissions.report_type,
        indicators.indicator_code,
        indicators.value_text,
        indicators.value_number,
        indicators.value_date,
        indicators.file_sha256,
        indicators.source_row
    from indicators
    inner join current_submissions
        on indicators.file_sha256 = current_submissions.file_sha256

)

select * from final
