-- Where each figure of rpt_ministry_annual comes from: the submitted rows it was computed from.
with

periods as (

    select * from {{ ref('dim_periods') }}
    where period_start <= {{ as_of_date() }}

),

units as (select * from {{ ref('dim_units') }}),

activities as (select * from {{ ref('fct_activities') }}),

gbv_cases as (select * from {{ ref('fct_gbv_cases') }}),

leadership as (select * from {{ ref('fct_leadership') }}),

indicators as (

    select * from {{ ref('fct_indicators') }}
    where indicator_code != 'NGAY_KIEN_TOAN'

),

unit_leadership as (

    select * from {{ ref('int_leadership_aggregated_to_unit_periods') }}
    where
        unit_group in ('state_agency', 'commune')
        and is_reporting

),

current_submissions as (select * from {{ ref('int_submissions_filtered_to_current') }}),

activity_contributions as (

    select
        units.province_code,
        activities.report_year,
        activities.report_type,
        'BIEU_1' as table_code,
        report_row.row_code,
        report_column.column_code,
        activities.unit_code,
        activities.file_sha256,
        'HoatDong' as sheet_name,
        activities.source_row,
        cast(case report_column.column_code
            when 'activities' then activities.quantity
            when 'participants_total' then activities.participants_total
            when 'participants_female' then activities.participants_female
            when 'participants_male' then activities.participants_male
            when 'participants_ethnic_minority' then activities.participants_ethnic_minority
            when 'budget_vnd' then activities.budget_vnd
        end as double) as contributed_value
    from activities
    inner join units
        on activities.unit_code = units.unit_code
    cross join
        unnest([
            'programme.' || activities.programme_code,
            'activity_type.' || activities.activity_type_code,
            'total'
        ]) as report_row (row_code)
    cross join unnest([
        'activities',
        'participants_total',
        'participants_female',
        'participants_male',
        'participants_ethnic_minority',
        'budget_vnd'
    ]) as report_column (column_code)

),

gbv_contributions as (

    -- the rates of Biểu 2 are on its violence row only, from the rows of their numerator and
    -- denominator (macro gbv_rate_terms): the counselling rate from the rows carrying perpetrators_detected
    select
        units.province_code,
        gbv_cases.report_year,
        gbv_cases.report_type,
        'BIEU_2' as table_code,
        report_row.row_code,
        report_column.column_code,
        gbv_cases.unit_code,
        gbv_cases.file_sha256,
        'VuViec' as sheet_name,
        gbv_cases.source_row,
        cast({{ column_named_by_code('report_column.column_code', 'gbv_cases', [
            'cases_detected', 'cases_handled', 'victims_female', 'victims_male', 'victims_children',
            'victims_supported', 'perpetrators_detected', 'perpetrators_counselled'
        ]) }} as double) as contributed_value,
        case report_column.column_code
            when 'support_rate'
                then
                    report_row.row_code = 'violence'
                    and coalesce(
                        gbv_cases.victims_supported, gbv_cases.victims_female, gbv_cases.victims_male
                    ) is not null
            when 'counselling_rate'
                then report_row.row_code = 'violence' and gbv_cases.perpetrators_detected is not null
            else true
        end as is_rate_input
    from gbv_cases
    inner join units
        on gbv_cases.unit_code = units.unit_code
    left join {{ ref('case_types') }} as case_types
        on gbv_cases.case_type_code = case_types.case_type_code
    cross join
        unnest(
            {{ gbv_report_rows('gbv_cases.case_type_code', 'case_types.is_violence') }}
        ) as report_row (row_code)
    cross join unnest([
        'cases_detected',
        'cases_handled',
        'victims_female',
        'victims_male',
        'victims_children',
        'victims_supported',
        'perpetrators_detected',
        'perpetrators_counselled',
        'support_rate',
        'counselling_rate'
    ]) as report_column (column_code)

),

leadership_contributions as (

    -- the leadership report that counts for each expected unit (see rpt_leadership_targets)
    select
        unit_leadership.province_code,
        unit_leadership.report_year,
        unit_leadership.report_type,
        'BIEU_3' as table_code,
        report_row.row_code,
        report_column.column_code,
        unit_leadership.unit_code,
        leadership.file_sha256,
        'LanhDao' as sheet_name,
        leadership.source_row,
        -- a unit counts once: its first row carries its 1 (or its 0), its other rows 0; leaders are
        -- counted from the row of their position group
        cast(case
            when report_column.column_code in ('key_leaders_total', 'department_leaders_total')
                then leadership.leaders_total
            when report_column.column_code in ('key_leaders_female', 'department_leaders_female')
                then leadership.leaders_female
            when report_column.column_code not in ('units_reporting', 'units_with_female_key_leader')
                then null
            when
                row_number() over (
                    partition by
                        unit_leadership.unit_code,
                        unit_leadership.report_year,
                        unit_leadership.report_type,
                        report_row.row_code,
                        report_column.column_code
                    order by leadership.source_row
                ) > 1
                then 0
            when report_column.column_code = 'units_reporting' or unit_leadership.has_female_key_leader
                then 1
            else 0
        end as double) as contributed_value
    from unit_leadership
    inner join leadership
        on unit_leadership.file_sha256 = leadership.file_sha256
    cross join
        unnest(
            [unit_leadership.unit_group, 'total']
            || case when unit_leadership.is_ethnic_minority_area then ['ethnic_minority_area'] else [] end
        ) as report_row (row_code)
    cross join
        unnest([
            'units_reporting',
            'units_with_female_key_leader',
            'share_of_reporting',
            'is_met',
            'pool_female_share',
            'pool_female_trained_share',
            'units_in_ethnic_minority_area',
            'units_with_em_female_leader',
            'em_female_leader_share',
            'key_leaders_total',
            'key_leaders_female',
            'key_leaders_female_share',
            'department_leaders_total',
            'department_leaders_female',
            'department_leaders_female_share'
        ]) as report_column (column_code)
    where
        case
            -- key-leader figures are read from the CHU_CHOT row
            when report_column.column_code in ('units_with_female_key_leader', 'share_of_reporting', 'is_met')
                then
                    leadership.position_group_code = 'CHU_CHOT'
                    and not (
                        report_column.column_code = 'is_met'
                        and report_row.row_code in ('total', 'ethnic_minority_area')
                    )
            when report_column.column_code like 'key_leaders_%'
                then leadership.position_group_code = 'CHU_CHOT'
            when report_column.column_code like 'department_leaders_%'
                then leadership.position_group_code = 'CAP_PHONG'
            when
                report_column.column_code in (
                    'units_in_ethnic_minority_area', 'units_with_em_female_leader', 'em_female_leader_share'
                )
                then unit_leadership.is_ethnic_minority_area
            else true
        end

),

indicator_rows as (

    -- the rows of Biểu 4 each indicator row feeds: shelters count for communes only, and a commune's
    -- shelter row also tells whether it has at least one shelter (XA_CO_NOI_TAM_LANH)
    select
        indicators.*,
        units.province_code,
        report_row.row_code,
        -- NTM criterion 6.5 applies to rural communes only: the units answering CO or KHONG report it
        indicators.indicator_code != 'DAT_NTM_6_5' or indicators.value_text in ('CO', 'KHONG') as is_reporting
    from indicators
    inner join units
        on indicators.unit_code = units.unit_code
    cross join
        unnest(
            case
                when indicators.indicator_code = 'SO_NOI_TAM_LANH'
                    then ['SO_NOI_TAM_LANH', 'XA_CO_NOI_TAM_LANH']
                else [indicators.indicator_code]
            end
        ) as report_row (row_code)
    where indicators.indicator_code != 'SO_NOI_TAM_LANH' or units.is_commune

),

indicator_contributions as (

    select
        indicator_rows.province_code,
        indicator_rows.report_year,
        indicator_rows.report_type,
        'BIEU_4' as table_code,
        indicator_rows.row_code,
        report_column.column_code,
        indicator_rows.unit_code,
        indicator_rows.file_sha256,
        'ChiTieu' as sheet_name,
        indicator_rows.source_row,
        cast(case
            -- a unit reporting counts once: its first row carries its 1, its other rows 0
            when report_column.column_code = 'units_reporting'
                then case
                    when
                        indicator_rows.is_reporting
                        and row_number() over (
                            partition by
                                indicator_rows.unit_code,
                                indicator_rows.report_year,
                                indicator_rows.report_type,
                                indicator_rows.row_code,
                                report_column.column_code,
                                indicator_rows.is_reporting
                            order by indicator_rows.source_row
                        ) = 1
                        then 1
                    else 0
                end
            -- categories and shelters per commune count the rows answering yes
            when indicator_rows.row_code in ('BAN_VSTBPN_KIEN_TOAN', 'DAT_NTM_6_5')
                then case when indicator_rows.value_text = 'CO' then 1 else 0 end
            when indicator_rows.row_code = 'XA_CO_NOI_TAM_LANH'
                then case when indicator_rows.value_number >= 1 then 1 else 0 end
            else indicator_rows.value_number
        end as double) as contributed_value
    from indicator_rows
    cross join unnest(['value', 'units_reporting']) as report_column (column_code)

),

news_contributions as (

    -- news items per quarter per commune: a ratio, so its rows carry no additive value
    select
        units.province_code,
        activities.report_year,
        activities.report_type,
        'BIEU_4' as table_code,
        'TIN_BAI_MOI_QUY_MOI_XA' as row_code,
        'value' as column_code,
        activities.unit_code,
        activities.file_sha256,
        'HoatDong' as sheet_name,
        activities.source_row,
        cast(null as double) as contributed_value
    from activities
    inner join units
        on activities.unit_code = units.unit_code
    where
        units.is_commune
        and activities.activity_type_code = 'TIN_BAI'

),

contributions as (

    select * exclude (is_rate_input) from gbv_contributions
    where
        is_rate_input
        and (column_code in ('support_rate', 'counselling_rate') or contributed_value is not null)
    union all
    select * from activity_contributions
    where contributed_value is not null
    union all
    select * from leadership_contributions
    union all
    select * from indicator_contributions
    union all
    select * from news_contributions

),

final as (

    select
        {{ ministry_figure_key('contributions') }} as figure_key,
        contributions.province_code,
        contributions.report_year,
        contributions.report_type,
        contributions.table_code,
        contributions.row_code,
        contributions.column_code,
        contributions.file_sha256,
        current_submissions.file_name,
        contributions.unit_code,
        contributions.sheet_name,
        contributions.source_row,
        contributions.contributed_value
    from contributions
    inner join periods
        on
            {{ same_province_period('contributions', 'periods') }}
    left join current_submissions
        on contributions.file_sha256 = current_submissions.file_sha256

)

select * from final
