with

source as (select * from {{ source('raw', 'indicators') }}),

renamed as (

    select
        file_sha256,
        source_row,
        indicator_code,
        value_text,
        value_number,
        value_date
    from source

)

select * from renamed
