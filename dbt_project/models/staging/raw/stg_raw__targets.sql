with

source as (

    select * from {{ source('raw', 'ref_targets') }}

),

renamed as (

    select
        target_code,
        target_name_vi,
        unit_group,
        metric,
        target_value,
        interim_value,
        interim_year,
        target_year,
        legal_source
    from source

)

select * from renamed
