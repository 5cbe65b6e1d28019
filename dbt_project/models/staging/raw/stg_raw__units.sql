with

source as (select * from {{ source('raw', 'ref_units') }}),

renamed as (

    select
        unit_code,
        unit_name,
        unit_kind,
        province_code,
        is_state_agency,
        is_ethnic_minority_area,
        valid_from,
        valid_to,
        successor_code
    from source

)

select * from renamed
