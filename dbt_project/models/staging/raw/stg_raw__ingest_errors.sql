with

source as (select * from {{ source('raw', 'ingest_errors') }}),

renamed as (

    select
        file_sha256,
        file_name,
        sheet as sheet_name,
        cell as cell_ref,
        code as error_code,
        message_vi
    from source

)

select * from renamed
