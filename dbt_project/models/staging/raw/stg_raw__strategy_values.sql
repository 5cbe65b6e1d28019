with

source as (select * from {{ source('raw', 'ref_strategy_values') }}),

renamed as (

    select
        file_sha256,
        source_row,
        file_name,
        province_code,
        target_code,
        indicator_name,
        cast(report_year as integer) as report_year,
        -- as typed in the file: shares in % (32.5), other indicators in their own unit
        cast(value as double) as value_as_entered,
        data_provider,
        note
    from source

)

select * from renamed
