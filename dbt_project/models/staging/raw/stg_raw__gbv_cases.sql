with

source as (select * from {{ source('raw', 'gbv_cases') }}),

renamed as (

    select
        file_sha256,
        source_row,
        case_type_code,
        cases_detected,
        cases_handled,
        victims_female,
        victims_male,
        victims_children,
        victims_supported,
        perpetrators_counselled,
        -- optional on the form: null when the file lacks the column (old files)
        perpetrators_detected,
        note
    from source

)

select * from renamed
