with

source as (select * from {{ source('raw', 'submissions') }}),

renamed as (

    select
        file_sha256,
        file_name,
        received_at,
        {{ to_local_date('received_at') }} as received_date,
        unit_code,
        unit_name as reported_unit_name,
        report_type,
        report_year,
        report_date,
        form_version,
        prepared_by,
        status,
        -- a superseded file was accepted when it arrived: it still counts for timeliness
        status in ('loaded', 'superseded') as is_accepted,
        error_count,
        loaded_at
    from source

)

select * from renamed
