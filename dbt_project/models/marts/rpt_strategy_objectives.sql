-- The National Strategy on Gender Equality (NQ 28/NQ-CP) as the report presents it: each indicator of
-- the province's year under the objective it serves, with its value, where the value comes from, the
-- Strategy's path for the year and the attainment judged against that path.
with

targets as (select * from {{ ref('rpt_targets') }}),

objectives as (select * from {{ ref('strategy_objectives') }}),

final as (

    select
        targets.province_code,
        targets.report_year,
        targets.target_code,
        targets.objective_code,
        objectives.objective_title_vi,
        objectives.objective_area_vi,
        cast(objectives.sort_order as integer) as objective_order,
        targets.target_order,
        targets.target_name_vi as indicator_name_vi,
        targets.strategy_indicator,
        targets.unit_vi,
        targets.direction,
        targets.value_source,
        targets.value,
        case
            when targets.value is null then null
            when targets.value_source = 'reference_file' then 'tệp số liệu năm ' || targets.report_year
            else 'biểu mẫu BDG-1'
        end as data_source_vi,
        targets.data_file_name,
        targets.data_provider,
        targets.data_note,
        targets.target_value,
        targets.final_target_value,
        targets.target_year,
        targets.interim_value,
        targets.interim_year,
        targets.trajectory_value,
        -- attainment is judged against the Strategy's path in the year (against the year's target
        -- where there is no path: a value always starts one, so only a hand-made targets.csv lacks it)
        case
            when targets.value is null then 'CHUA_CO_SO_LIEU'
            when coalesce(targets.is_on_track, targets.is_met) then 'DAT'
            else 'CHUA_DAT'
        end as attainment_code,
        case
            when targets.value is null then 'chưa có số liệu'
            when coalesce(targets.is_on_track, targets.is_met) then 'đạt'
            else 'chưa đạt'
        end as attainment_vi,
        targets.legal_source,
        targets.as_of_date
    from targets
    left join objectives
        on targets.objective_code = objectives.objective_code

)

select * from final
