-- Rejected files received by the as-of date, each tied to its unit when the code it names is known,
-- else to its likely unit when the code or name it carries points to one.
with

submissions as (

    -- files received after the as-of date are ignored, as in rpt_reporting_status
    select * from {{ ref('fct_submissions') }}
    where
        status = 'rejected'
        and received_date <= {{ as_of_date() }}

),

errors_summarised as (

    -- one line per error, '[CODE] sheet!cell: message', sheet-less errors first
    select
        file_sha256,
        file_name,
        string_agg(distinct error_code, ', ' order by error_code) as error_codes,
        string_agg(
            '[' || error_code || '] '
            || case
                when sheet_name is null then ''
                else sheet_name || coalesce('!' || cell_ref, '') || ': '
            end
            || message_vi,
            chr(10) order by sheet_name nulls first, cell_ref, error_code, message_vi
        ) as errors
    from {{ ref('stg_raw__ingest_errors') }}
    group by file_sha256, file_name

),

final as (

    select
        submissions.file_sha256,
        submissions.file_name,
        submissions.received_at,
        submissions.received_date,
        submissions.unit_code as reported_unit_code,
        -- attributed only when the code the file names is in the registry: an unreadable file names
        -- none, an UNKNOWN_UNIT file names one no unit has
        units.unit_code,
        units.unit_name,
        units.province_code,
        units.unit_code is not null as is_attributed,
        -- a file attributed to no unit may still be tied to its likely unit by code or name
        likely_units.likely_unit_code,
        likely_units.likely_unit_name,
        likely_units.likely_province_code,
        likely_units.likely_match_method,
        submissions.report_year,
        submissions.report_type,
        coalesce(errors_summarised.error_codes, '') as error_codes,
        coalesce(errors_summarised.errors, '') as errors,
        {{ as_of_date() }} as as_of_date
    from submissions
    left join {{ ref('dim_units') }} as units
        on submissions.unit_code = units.unit_code
    left join errors_summarised
        on
            submissions.file_sha256 = errors_summarised.file_sha256
            and submissions.file_name = errors_summarised.file_name
    left join {{ ref('int_rejected_files_matched_to_units') }} as likely_units
        on
            units.unit_code is null
            and submissions.file_sha256 = likely_units.file_sha256
            and submissions.file_name = likely_units.file_name

)

select * from final
