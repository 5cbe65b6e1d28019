-- Biểu 6 of the report to Bộ Nội vụ: each target of the plan against what the period's reports show,
-- per province and for the whole warehouse ({{ warehouse_scope() }}). Figures Biểu 2–4 already print are
-- read from rpt_ministry_annual (Biểu 3's total row for the planning pool and ethnic-minority women
-- leaders); the measures only Biểu 6 prints (communication sessions per unit, news items in every
-- quarter) are computed here, over the report's period. The model description gives each definition.
with

ministry_figures as (select * from {{ ref('rpt_ministry_annual') }}),

units as (

    -- each unit counts in its province and in the whole warehouse
    {{ scoped_to_province_and_warehouse(ref('dim_units')) }}

),

targets as (select * from {{ ref('stg_raw__targets') }}),

-- The periods the report can print: those rpt_ministry_annual holds (started by the as-of date).
periods as (

    select distinct
        province_code,
        report_year,
        report_type,
        has_previous_period
    from ministry_figures

),

period_targets as (

    -- the target value that applies in the report's year (the interim milestone up to its year)
    select
        periods.province_code,
        periods.report_year,
        periods.report_type,
        periods.has_previous_period,
        targets.target_code,
        targets.target_name_vi,
        targets.legal_source,
        targets.sort_order,
        cast({{ target_for_year('targets', 'periods.report_year') }} as double) as target_value
    from periods
    cross join targets

),

cell_values as (

    select
        province_code,
        report_year,
        report_type,
        table_code || '|' || row_code || '|' || column_code as cell,
        value
    from ministry_figures
    where
        -- the GBV rates stand on Biểu 2's acts of violence (row `violence`)
        (
            table_code = 'BIEU_2'
            and row_code = 'violence'
            and column_code in ('support_rate', 'counselling_rate', 'support_target', 'counselling_target')
        )
        or (
            table_code = 'BIEU_3'
            and row_code in ('state_agency', 'commune')
            and column_code in (
                'share_of_reporting', 'target_share', 'units_with_female_key_leader', 'units_reporting'
            )
        )
        or (
            table_code = 'BIEU_3'
            and row_code = 'total'
            and column_code in (
                'pool_female_share', 'pool_female_trained_share', 'units_in_ethnic_minority_area',
                'units_with_em_female_leader', 'em_female_leader_share'
            )
        )
        or (
            table_code = 'BIEU_4'
            and row_code in ('BAN_VSTBPN_KIEN_TOAN', 'XA_CO_NOI_TAM_LANH')
            and column_code in ('value', 'units_reporting', 'share')
        )

),

cells as (

    -- one row per period with the cells Biểu 6 reuses; Biểu 3 is the year's (annual) table, also in the
    -- 6-month report, as the report prints it
    select
        periods.province_code,
        periods.report_year,
        periods.report_type,
        any_value(cell_values.value) filter (
            where cell_values.cell = 'BIEU_2|violence|support_rate'
        ) as support_rate,
        any_value(cell_values.value) filter (
            where cell_values.cell = 'BIEU_2|violence|counselling_rate'
        ) as counselling_rate,
        any_value(cell_values.value) filter (
            where cell_values.cell = 'BIEU_2|violence|support_target'
        ) as support_target,
        any_value(cell_values.value) filter (
            where cell_values.cell = 'BIEU_2|violence|counselling_target'
        ) as counselling_target,
        any_value(annual_values.value) filter (
            where annual_values.cell = 'BIEU_3|state_agency|share_of_reporting'
        ) as state_share,
        any_value(annual_values.value) filter (
            where annual_values.cell = 'BIEU_3|state_agency|target_share'
        ) as state_target,
        any_value(annual_values.value) filter (
            where annual_values.cell = 'BIEU_3|state_agency|units_with_female_key_leader'
        ) as state_met,
        any_value(annual_values.value) filter (
            where annual_values.cell = 'BIEU_3|state_agency|units_reporting'
        ) as state_assessed,
        any_value(annual_values.value) filter (
            where annual_values.cell = 'BIEU_3|commune|share_of_reporting'
        ) as commune_share,
        any_value(annual_values.value) filter (
            where annual_values.cell = 'BIEU_3|commune|target_share'
        ) as commune_target,
        any_value(annual_values.value) filter (
            where annual_values.cell = 'BIEU_3|commune|units_with_female_key_leader'
        ) as commune_met,
        any_value(annual_values.value) filter (
            where annual_values.cell = 'BIEU_3|commune|units_reporting'
        ) as commune_assessed,
        any_value(annual_values.value) filter (
            where annual_values.cell = 'BIEU_3|total|pool_female_share'
        ) as pool_share,
        any_value(annual_values.value) filter (
            where annual_values.cell = 'BIEU_3|total|pool_female_trained_share'
        ) as pool_trained_share,
        any_value(annual_values.value) filter (
            where annual_values.cell = 'BIEU_3|total|units_with_em_female_leader'
        ) as em_met,
        any_value(annual_values.value) filter (
            where annual_values.cell = 'BIEU_3|total|units_in_ethnic_minority_area'
        ) as em_assessed,
        any_value(annual_values.value) filter (
            where annual_values.cell = 'BIEU_3|total|em_female_leader_share'
        ) as em_share,
        any_value(cell_values.value) filter (
            where cell_values.cell = 'BIEU_4|BAN_VSTBPN_KIEN_TOAN|share'
        ) as ban_share,
        any_value(cell_values.value) filter (
            where cell_values.cell = 'BIEU_4|BAN_VSTBPN_KIEN_TOAN|value'
        ) as ban_met,
        any_value(cell_values.value) filter (
            where cell_values.cell = 'BIEU_4|BAN_VSTBPN_KIEN_TOAN|units_reporting'
        ) as ban_assessed,
        any_value(cell_values.value) filter (
            where cell_values.cell = 'BIEU_4|XA_CO_NOI_TAM_LANH|share'
        ) as shelter_share,
        any_value(cell_values.value) filter (
            where cell_values.cell = 'BIEU_4|XA_CO_NOI_TAM_LANH|value'
        ) as shelter_met,
        any_value(cell_values.value) filter (
            where cell_values.cell = 'BIEU_4|XA_CO_NOI_TAM_LANH|units_reporting'
        ) as shelter_assessed
    from periods
    left join cell_values
        on
            {{ same_province_period('periods', 'cell_values') }}
            and cell_values.cell not like 'BIEU_3|%'
    left join cell_values as annual_values
        on
            {{ same_province_year('periods', 'annual_values') }}
            and annual_values.report_type = 'NAM'
            and annual_values.cell like 'BIEU_3|%'
    group by periods.province_code, periods.report_year, periods.report_type

),

-- Units with a current report in the period, and the communication sessions (TRUYEN_THONG) each held.
reporting_units as (

    select distinct
        units.province_code,
        current_submissions.report_year,
        current_submissions.report_type,
        current_submissions.unit_code
    from {{ ref('int_submissions_filtered_to_current') }} as current_submissions
    inner join units
        on current_submissions.unit_code = units.unit_code

),

unit_sessions as (

    select
        unit_code,
        report_year,
        report_type,
        coalesce(sum(quantity), 0) as sessions
    from {{ ref('fct_activities') }}
    where activity_type_code = 'TRUYEN_THONG'
    group by unit_code, report_year, report_type

),

session_counts as (

    select
        reporting_units.province_code,
        reporting_units.report_year,
        reporting_units.report_type,
        count(*) as units_assessed,
        count(*) filter (
            where coalesce(unit_sessions.sessions, 0) >= session_targets.target_value
        ) as units_met
    from reporting_units
    inner join period_targets as session_targets
        on
            {{ same_province_period('reporting_units', 'session_targets') }}
            and session_targets.target_code = 'COMM_SESSIONS_PER_UNIT'
    left join unit_sessions
        on
            {{ same_unit_period('reporting_units', 'unit_sessions') }}
    group by reporting_units.province_code, reporting_units.report_year, reporting_units.report_type

),

-- A commune meets the news target when its weakest quarter of the period does (the quarters and their
-- news items as Biểu 4 counts them).
commune_weakest_quarters as (

    select
        province_code,
        report_year,
        report_type,
        unit_code,
        min(news_items) as news_items
    from {{ ref('int_news_items_aggregated_to_commune_quarters') }}
    group by province_code, report_year, report_type, unit_code

),

news_counts as (

    select
        commune_weakest_quarters.province_code,
        commune_weakest_quarters.report_year,
        commune_weakest_quarters.report_type,
        count(*) as units_assessed,
        count(*) filter (where commune_weakest_quarters.news_items >= news_targets.target_value) as units_met
    from commune_weakest_quarters
    inner join period_targets as news_targets
        on
            {{ same_province_period('commune_weakest_quarters', 'news_targets') }}
            and news_targets.target_code = 'NEWS_ITEMS_PER_QUARTER_COMMUNE'
    group by
        commune_weakest_quarters.province_code,
        commune_weakest_quarters.report_year,
        commune_weakest_quarters.report_type

),

-- Every target Biểu 6 knows, measured: units met / assessed where the target is about units, the
-- result and the goal it is held against (1 = every unit, for the per-unit targets).
{#- Where a target about units finds its counts: <prefix>met and <prefix>assessed. #}
{#- The targets that set a level for each unit (≥ 2 sessions a unit, …): their result is the share of
    units reaching the level, held against every unit. #}
{%- set per_unit_targets = [
    'COMM_SESSIONS_PER_UNIT', 'NEWS_ITEMS_PER_QUARTER_COMMUNE', 'SHELTER_PER_COMMUNE'
] %}
{%- set per_unit_list -%}
    ({% for code in per_unit_targets %}'{{ code }}'{{ ', ' if not loop.last }}{% endfor %})
{%- endset %}
{%- set unit_count_columns = {
    'FEMALE_KEY_LEADER_STATE': 'cells.state_',
    'FEMALE_KEY_LEADER_COMMUNE': 'cells.commune_',
    'EM_FEMALE_LEADER': 'cells.em_',
    'COMM_SESSIONS_PER_UNIT': 'session_counts.units_',
    'NEWS_ITEMS_PER_QUARTER_COMMUNE': 'news_counts.units_',
    'SHELTER_PER_COMMUNE': 'cells.shelter_',
    'BAN_VSTBPN_CONSOLIDATED': 'cells.ban_',
} %}
measured as (

    select
        period_targets.*,
        {%- for counted in ['met', 'assessed'] %}
            case period_targets.target_code
                {%- for target_code, columns in unit_count_columns.items() %}
                    when '{{ target_code }}' then coalesce({{ columns }}{{ counted }}, 0)
                {%- endfor %}
            end as units_{{ counted }},
        {%- endfor %}
        case period_targets.target_code
            when 'FEMALE_KEY_LEADER_STATE' then cells.state_share
            when 'FEMALE_KEY_LEADER_COMMUNE' then cells.commune_share
            when 'POOL_FEMALE_SHARE' then cells.pool_share
            when 'POOL_FEMALE_TRAINED' then cells.pool_trained_share
            when 'EM_FEMALE_LEADER' then cells.em_share
            when 'COMM_SESSIONS_PER_UNIT'
                then cast(session_counts.units_met as double) / nullif(session_counts.units_assessed, 0)
            when 'NEWS_ITEMS_PER_QUARTER_COMMUNE'
                then cast(news_counts.units_met as double) / nullif(news_counts.units_assessed, 0)
            when 'SHELTER_PER_COMMUNE' then cells.shelter_share
            when 'BAN_VSTBPN_CONSOLIDATED' then cells.ban_share
            when 'GBV_VICTIMS_SUPPORTED' then cells.support_rate
            when 'PERPETRATORS_COUNSELLED' then cells.counselling_rate
        end as result,
        case
            -- Biểu 3's target for the group (the year's; null when the annual period has not started)
            when period_targets.target_code = 'FEMALE_KEY_LEADER_STATE' then cells.state_target
            when period_targets.target_code = 'FEMALE_KEY_LEADER_COMMUNE' then cells.commune_target
            -- Biểu 2's: the report year's value (trajectory, else the year's target)
            when period_targets.target_code = 'GBV_VICTIMS_SUPPORTED'
                then coalesce(cells.support_target, period_targets.target_value)
            when period_targets.target_code = 'PERPETRATORS_COUNSELLED'
                then coalesce(cells.counselling_target, period_targets.target_value)
            -- the target is per unit: every unit is to meet it
            when period_targets.target_code in {{ per_unit_list }}
                then 1.0
            else period_targets.target_value
        end as goal,
        case period_targets.target_code
            when 'COMM_SESSIONS_PER_UNIT'
                then '≥ ' || {{ vi_number_text('period_targets.target_value') }} || ' cuộc/đơn vị/năm'
            when 'NEWS_ITEMS_PER_QUARTER_COMMUNE'
                then '≥ ' || {{ vi_number_text('period_targets.target_value') }} || ' tin, bài/xã/quý'
            when 'SHELTER_PER_COMMUNE'
                then '≥ ' || {{ vi_number_text('period_targets.target_value') }} || ' nơi/xã'
            else {{ vi_share_level_text('period_targets.target_value') }}
        end as target_level_vi
    from period_targets
    inner join cells
        on
            {{ same_province_period('period_targets', 'cells') }}
    left join session_counts
        on
            {{ same_province_period('period_targets', 'session_counts') }}
    left join news_counts
        on
            {{ same_province_period('period_targets', 'news_counts') }}
    -- a target Biểu 6 does not know how to measure is not printed
    where period_targets.target_code in (
        'FEMALE_KEY_LEADER_STATE', 'FEMALE_KEY_LEADER_COMMUNE', 'POOL_FEMALE_SHARE', 'POOL_FEMALE_TRAINED',
        'EM_FEMALE_LEADER', 'COMM_SESSIONS_PER_UNIT', 'NEWS_ITEMS_PER_QUARTER_COMMUNE', 'SHELTER_PER_COMMUNE',
        'BAN_VSTBPN_CONSOLIDATED', 'GBV_VICTIMS_SUPPORTED', 'PERPETRATORS_COUNSELLED'
    )

),

final as (

    select
        measured.province_code,
        cast(measured.report_year as integer) as report_year,
        measured.report_type,
        measured.target_code,
        cast(measured.sort_order as integer) as target_order,
        measured.target_name_vi,
        measured.legal_source,
        measured.target_level_vi,
        measured.target_code in {{ per_unit_list }}
            as is_per_unit,
        cast(measured.units_met as integer) as units_met,
        cast(measured.units_assessed as integer) as units_assessed,
        cast(measured.result as double) as result,
        cast(measured.goal as double) as goal,
        cast(measured.result as double) / nullif(measured.goal, 0) as attainment,
        -- every target is a floor
        measured.result >= measured.goal as is_met,
        -- the same target in the same period of the previous year, once that period had an accepted
        -- report (rpt_ministry_annual's has_previous_period), and the change (a difference of fractions)
        cast(previous_measured.result as double) as previous_result,
        cast(measured.result - previous_measured.result as double) as result_change,
        {{ as_of_date() }} as as_of_date
    from measured
    left join measured as previous_measured
        on
            measured.has_previous_period
            and measured.province_code = previous_measured.province_code
            and measured.report_year - 1 = previous_measured.report_year
            and measured.report_type = previous_measured.report_type
            and measured.target_code = previous_measured.target_code

)

select * from final
