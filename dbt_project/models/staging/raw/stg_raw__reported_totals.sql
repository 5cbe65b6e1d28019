with

source as (select * from {{ source('raw', 'reported_totals') }}),

renamed as (

    select
        file_sha256,
        sheet as sheet_name,
        source_row,
        column_name,
        reported_value
    from source

)

select * from renamed
