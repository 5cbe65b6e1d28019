-- Share of units with a female key leader, per unit group and year, against the NQ 28/NQ-CP targets.
with

units as (

    select * from {{ ref('dim_units') }}
    where unit_group in ('state_agency', 'commune')

),

annual_periods as (

    -- a year is reported once its annual (NAM) period has started
    select * from {{ ref('dim_periods') }}
    where
        report_type = 'NAM'
        and period_start <= {{ as_of_date() }}

),

leadership as (

    select * from {{ ref('fct_leadership') }}

),

targets as (

    select * from {{ ref('stg_raw__targets') }}

),

group_targets (unit_group, target_code) as (

    values
    ('state_agency', 'FEMALE_KEY_LEADER_STATE'),
    ('commune', 'FEMALE_KEY_LEADER_COMMUNE')

),

expected_units as (

    -- expected for the year: active at the end of the year's NAM period
    select
        units.unit_code,
        units.unit_group,
        annual_periods.report_year
    from units
    inner join annual_periods
        on
            units.province_code = annual_periods.province_code
            and units.valid_from <= annual_periods.period_end
            and (units.valid_to is null or units.valid_to >= annual_periods.period_end)

),

leadership_reports as (

    select
        unit_code,
        report_year,
        report_type,
        bool_or(position_group_code = 'CHU_CHOT' and leaders_female >= 1) as has_female_key_leader,
        sum(pool_total) as pool_total,
        sum(pool_female) as pool_female,
        sum(pool_female_trained) as pool_female_trained
    from leadership
    group by unit_code, report_year, report_type

),

leadership_reports_selected as (

    -- the annual report when the unit has one, else its 6-month report
    select * from leadership_reports
    qualify row_number() over (
        partition by unit_code, report_year
        order by case report_type when 'NAM' then 1 else 2 end
    ) = 1

),

unit_results as (

    select
        expected_units.unit_group,
        expected_units.report_year,
        expected_units.unit_code,
        leadership_reports_selected.unit_code is not null as is_reporting,
        coalesce(leadership_reports_selected.has_female_key_leader, false) as has_female_key_leader,
        leadership_reports_selected.pool_total,
        leadership_reports_selected.pool_female,
        leadership_reports_selected.pool_female_trained
    from expected_units
    left join leadership_reports_selected
        on
            expected_units.unit_code = leadership_reports_selected.unit_code
            and expected_units.report_year = leadership_reports_selected.report_year

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

    select
        aggregated.*,
        case
            when aggregated.units_reporting > 0
                then cast(aggregated.units_with_female_key_leader as double) / aggregated.units_reporting
        end as share_of_reporting,
        -- the interim milestone applies up to its year (e.g. 60% by 2025), the final target after it
        case
            when targets.interim_value is not null and aggregated.report_year <= targets.interim_year
                then targets.interim_value
            else targets.target_value
        end as target_share
    from aggregated
    left join targets
        on aggregated.target_code = targets.target_code

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
        case
            when pool_total > 0 then cast(pool_female as double) / pool_total
        end as pool_female_share,
        case
            when pool_female > 0 then cast(pool_female_trained as double) / pool_female
        end as pool_female_trained_share
    from measured

)

select * from final
