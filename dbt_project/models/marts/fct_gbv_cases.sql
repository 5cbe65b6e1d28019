-- Current content only: rows of the file that is currently loaded for its unit and period.
with

gbv_cases as (

    select * from {{ ref('stg_raw__gbv_cases') }}

),

current_submissions as (

    select * from {{ ref('int_submissions_filtered_to_current') }}

),

final as (

    select
        current_submissions.unit_code,
        current_submissions.report_year,
        current_submissions.report_type,
        gbv_cases.case_type_code,
        gbv_cases.cases_detected,
        gbv_cases.cases_handled,
        gbv_cases.victims_female,
        gbv_cases.victims_male,
        gbv_cases.victims_children,
        gbv_cases.victims_supported,
        gbv_cases.perpetrators_counselled,
        gbv_cases.file_sha256,
        gbv_cases.source_row
    from gbv_cases
    inner join current_submissions
        on gbv_cases.file_sha256 = current_submissions.file_sha256

)

select * from final
