with

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
        {{ unit_group('units.is_state_agency', 'unit_kinds.is_commune') }} as unit_group,
        units.valid_from,
        units.valid_to,
        units.successor_code,
        successors.current_unit_code,
        successors.successor_depth,
        units.valid_to is null as is_active
    from {{ ref('stg_raw__units') }} as units
    left join {{ ref('unit_kinds') }} as unit_kinds
        on units.unit_kind = unit_kinds.unit_kind_code
    left join {{ ref('int_units_resolved_to_successors') }} as successors
        on units.unit_code = successors.unit_code

)

select * from final
