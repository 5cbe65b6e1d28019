with

units as (

    select * from {{ ref('stg_raw__units') }}

),

unit_kinds as (

    select * from {{ ref('unit_kinds') }}

),

final as (

    select
        units.unit_code,
        units.unit_name,
        units.unit_kind,
        unit_kinds.unit_kind_name_vi,
        units.province_code,
        units.is_state_agency,
        units.is_ethnic_minority_area,
        coalesce(unit_kinds.is_commune, false) as is_commune,
        case
            when units.is_state_agency then 'state_agency'
            when coalesce(unit_kinds.is_commune, false) then 'commune'
            else 'other'
        end as unit_group,
        units.valid_from,
        units.valid_to,
        units.successor_code
    from units
    left join unit_kinds
        on units.unit_kind = unit_kinds.unit_kind_code

)

select * from final
