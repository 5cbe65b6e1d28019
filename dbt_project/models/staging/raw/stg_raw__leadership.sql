with

source as (select * from {{ source('raw', 'leadership') }}),

renamed as (

    select
        file_sha256,
        source_row,
        position_group_code,
        leaders_total,
        leaders_female,
        leaders_female_ethnic_minority,
        pool_total,
        pool_female,
        pool_female_trained
    from source

)

select * from renamed
