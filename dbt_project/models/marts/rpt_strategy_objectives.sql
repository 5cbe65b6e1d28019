-- The National Strategy on Gender Equality (NQ 28/NQ-CP) as the report presents it: each indicator of
-- the province's year under the objective it serves, with its value, where the value comes from, the
-- value the year is judged against (rpt_targets.year_target) and the attainment. A target Biểu 6 prints
-- (rpt_plan_targets, the annual report) takes Biểu 6's result, yardstick and verdict, so the two never
-- disagree; the per-unit targets (≥ 2 sessions a unit, ≥ 4 news items a commune a quarter, ≥ 1 shelter
-- a commune) are there the share of units meeting them, against every unit.
with

targets as (select * from {{ ref('rpt_targets') }}),

objectives as (select * from {{ ref('strategy_objectives') }}),

annual_plan_targets as (

    select * from {{ ref('rpt_plan_targets') }}
    where report_type = 'NAM'

),

indicators as (

    select
        targets.*,
        annual_plan_targets.target_code is not null as is_in_plan_table,
        -- a per-unit target: Biểu 6 measures the share of units meeting its level
        coalesce(annual_plan_targets.is_per_unit, false) as is_per_unit,
        annual_plan_targets.result as plan_result,
        annual_plan_targets.goal as plan_goal,
        annual_plan_targets.is_met as plan_is_met,
        annual_plan_targets.target_level_vi as plan_target_level_vi
    from targets
    left join annual_plan_targets
        on
            targets.province_code = annual_plan_targets.province_code
            and targets.report_year = annual_plan_targets.report_year
            and targets.target_code = annual_plan_targets.target_code

),

judged as (

    select
        *,
        case when is_in_plan_table then plan_result else value end as judged_value,
        -- the year's yardstick (rpt_targets.year_target: the Strategy's path, else the year's target)
        case when is_in_plan_table then plan_goal else year_target end as year_value,
        case when is_in_plan_table then plan_is_met else is_year_target_met end as is_attained
    from indicators

),

final as (

    select
        judged.province_code,
        judged.report_year,
        judged.target_code,
        judged.objective_code,
        objectives.objective_title_vi,
        objectives.objective_area_vi,
        cast(objectives.sort_order as integer) as objective_order,
        judged.target_order,
        case
            when judged.is_per_unit
                then
                    'Tỷ lệ ' || case when judged.unit_group = 'commune' then 'xã, phường' else 'đơn vị' end
                    || ' đạt ' || judged.plan_target_level_vi || ': '
                    || lower(left(judged.target_name_vi, 1)) || substr(judged.target_name_vi, 2)
            else judged.target_name_vi
        end as indicator_name_vi,
        judged.strategy_indicator,
        case when judged.is_per_unit then '%' else judged.unit_vi end as unit_vi,
        judged.direction,
        judged.value_source,
        judged.judged_value as value,  -- noqa: RF04
        case
            when judged.judged_value is null then null
            when judged.value_source = 'reference_file' then 'tệp số liệu năm ' || judged.report_year
            else 'biểu mẫu BDG-1'
        end as data_source_vi,
        judged.data_file_name,
        judged.data_provider,
        judged.data_note,
        cast(case when judged.is_per_unit then 1 else judged.target_value end as double) as target_value,
        cast(
            case when judged.is_per_unit then 1 else judged.final_target_value end as double
        ) as final_target_value,
        judged.target_year,
        case when judged.is_per_unit then null else judged.interim_value end as interim_value,
        judged.interim_year,
        judged.year_value as year_target,
        case
            when judged.judged_value is null then 'CHUA_CO_SO_LIEU'
            when judged.is_attained then 'DAT'
            else 'CHUA_DAT'
        end as attainment_code,
        case
            when judged.judged_value is null then 'chưa có số liệu'
            when judged.is_attained then 'đạt'
            else 'chưa đạt'
        end as attainment_vi,
        judged.legal_source,
        judged.as_of_date
    from judged
    left join objectives
        on judged.objective_code = objectives.objective_code

)

select * from final
