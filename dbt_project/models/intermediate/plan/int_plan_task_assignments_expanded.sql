-- A task names agencies ("Các sở, ban, ngành", "UBND các xã, phường", "Sở Nội vụ"); here each becomes
-- the units it means: every active unit of the group in the plan's province, or the named unit.
with

agencies as (

    select * from {{ ref('stg_plan__task_agencies') }}
    where agency_unit_group is not null

),

units as (select * from {{ ref('dim_units') }}),

unit_members as (

    select
        agencies.province_code,
        agencies.plan_year,
        agencies.task_code,
        agencies.agency_role,
        agencies.agency_text,
        units.unit_code
    from agencies
    inner join units
        on
            agencies.province_code = units.province_code
            and {{ unit_active_on('units', 'make_date(agencies.plan_year, 12, 31)') }}
            and (
                (agencies.agency_unit_group = 'UNIT' and agencies.unit_code = units.unit_code)
                or (agencies.agency_unit_group = 'COMMUNE' and units.is_commune)
                or (
                    agencies.agency_unit_group in ('SO_NGANH', 'TW', 'DOAN_THE')
                    and agencies.agency_unit_group = units.unit_kind
                )
            )

),

final as (

    -- a unit named twice for a task (as a group member and by name) is assigned once per role
    select
        province_code,
        plan_year,
        task_code,
        unit_code,
        agency_role,
        min(agency_text) as agency_text
    from unit_members
    group by province_code, plan_year, task_code, unit_code, agency_role

)

select * from final
