-- Women in leadership per unit group and year (the whole warehouse) against the NQ 28/NQ-CP and
-- QĐ 2282/QĐ-TTg targets.
with

annual_periods as (

    -- a year is reported once its annual (NAM) period has started
    select * from {{ ref('dim_periods') }}
    where
        report_type = 'NAM'
        and period_start <= {{ as_of_date() }}

),

unit_leadership as (

    -- expected units of the two target groups, with the leadership report that counts for the year
    select * from {{ ref('int_leadership_aggregated_to_unit_periods') }}
    where
        report_type = 'NAM'
        and unit_group in ('state_agency', 'commune')

),

targets as (select * from {{ ref('stg_raw__targets') }}),

-- the key-leader targets are judged against the year's value as Biểu 3 judges them (rpt_targets)
year_targets as (

    select * from ({{ year_targets() }})
    where province_code = {{ warehouse_scope() }}

),

group_targets (unit_group, target_code) as (

    values
    ('state_agency', 'FEMALE_KEY_LEADER_STATE'),
    ('commune', 'FEMALE_KEY_LEADER_COMMUNE')

),

unit_results as (

    select unit_leadership.*
    from unit_leadership
    inner join annual_periods
        on
            {{ same_province_year('unit_leadership', 'annual_periods') }}

),

report_years as (

    select distinct report_year from annual_periods

),

group_years as (

    -- both groups every year, even when no unit of a group is expected
    select
        group_targets.unit_group,
        group_targets.target_code,
        report_years.report_year
    from group_targets
    cross join report_years

),

aggregated as (

    select
        group_years.unit_group,
        group_years.target_code,
        group_years.report_year,
        count(unit_results.unit_code) as units_expected,
        count(unit_results.unit_code) filter (where unit_results.is_reporting) as units_reporting,
        count(unit_results.unit_code) filter (
            where unit_results.has_female_key_leader
        ) as units_with_female_key_leader,
        count(unit_results.unit_code) filter (
            where unit_results.is_reporting and unit_results.is_ethnic_minority_area
        ) as units_in_ethnic_minority_area,
        count(unit_results.unit_code) filter (
            where unit_results.is_ethnic_minority_area and unit_results.has_em_female_leader
        ) as units_with_em_female_leader,
        sum(unit_results.pool_total) as pool_total,
        sum(unit_results.pool_female) as pool_female,
        sum(unit_results.pool_female_trained) as pool_female_trained
    from group_years
    left join unit_results
        on
            group_years.unit_group = unit_results.unit_group
            and group_years.report_year = unit_results.report_year
    group by group_years.unit_group, group_years.target_code, group_years.report_year

),

measured as (

    -- the key-leader share against the year's value (rpt_targets.year_target); the planning pool and
    -- ethnic-minority leaders against the target that applies in the year, as Biểu 3 prints them
    select
        aggregated.*,
        key_leader_targets.year_target as target_share,
        {{ target_value_in_year('POOL_FEMALE_SHARE', 'aggregated.report_year') }} as pool_female_target,
        {{ target_value_in_year('POOL_FEMALE_TRAINED', 'aggregated.report_year') }}
            as pool_female_trained_target,
        {{ target_value_in_year('EM_FEMALE_LEADER', 'aggregated.report_year') }} as em_female_leader_target,
        case
            when aggregated.units_reporting > 0
                then cast(aggregated.units_with_female_key_leader as double) / aggregated.units_reporting
        end as share_of_reporting,
        case
            when aggregated.pool_total > 0 then cast(aggregated.pool_female as double) / aggregated.pool_total
        end as pool_female_share,
        case
            when aggregated.pool_female > 0
                then cast(aggregated.pool_female_trained as double) / aggregated.pool_female
        end as pool_female_trained_share,
        case
            when aggregated.units_in_ethnic_minority_area > 0
                then
                    cast(aggregated.units_with_em_female_leader as double)
                    / aggregated.units_in_ethnic_minority_area
        end as em_female_leader_share
    from aggregated
    left join year_targets as key_leader_targets
        on
            aggregated.target_code = key_leader_targets.target_code
            and aggregated.report_year = key_leader_targets.report_year

),

final as (

    select
        unit_group,
        report_year,
        cast(units_expected as integer) as units_expected,
        cast(units_reporting as integer) as units_reporting,
        cast(units_with_female_key_leader as integer) as units_with_female_key_leader,
        share_of_reporting,
        cast(target_share as double) as target_share,
        share_of_reporting >= target_share as is_met,
        pool_female_share,
        pool_female_trained_share,
        cast(pool_female_target as double) as pool_female_target,
        pool_female_share >= pool_female_target as is_pool_female_met,
        cast(pool_female_trained_target as double) as pool_female_trained_target,
        pool_female_trained_share >= pool_female_trained_target as is_pool_female_trained_met,
        cast(units_in_ethnic_minority_area as integer) as units_in_ethnic_minority_area,
        cast(units_with_em_female_leader as integer) as units_with_em_female_leader,
        em_female_leader_share,
        cast(em_female_leader_target as double) as em_female_leader_target,
        em_female_leader_share >= em_female_leader_target as is_em_female_leader_met
    from measured

)

select * from final
