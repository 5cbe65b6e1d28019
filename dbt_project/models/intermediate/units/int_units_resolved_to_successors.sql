-- Follows successor_code chains (A merged into B, B later into C) to the unit that exists today, so a
-- report about today's units can roll a merged unit's history up to its successor.
with recursive

units as (select * from {{ ref('stg_raw__units') }}),

successor_chains (unit_code, current_unit_code, successor_depth) as (

    select
        unit_code,
        unit_code as current_unit_code,
        0 as successor_depth
    from units

    union all

    select
        successor_chains.unit_code,
        units.successor_code,
        successor_chains.successor_depth + 1
    from successor_chains
    inner join units
        on successor_chains.current_unit_code = units.unit_code
    -- the depth bound stops a (malformed) cycle in the registry from recursing forever
    where
        units.successor_code is not null
        and successor_chains.successor_depth < 20

),

resolved as (

    select
        unit_code,
        current_unit_code,
        cast(successor_depth as integer) as successor_depth
    from successor_chains
    qualify row_number() over (partition by unit_code order by successor_depth desc) = 1

)

select * from resolved
