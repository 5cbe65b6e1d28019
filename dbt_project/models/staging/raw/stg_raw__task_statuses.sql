with

source as (select * from {{ source('raw', 'task_status') }}),

renamed as (

    select
        file_sha256,
        source_row,
        task_code,
        status_code as task_status_code,
        result_text
    from source

)

select * from renamed
