-- The tables of the report to Bộ Nội vụ as one long table: one row per figure (table cell), for each
-- province and for the whole warehouse ({{ warehouse_scope() }}: every province's units together, the
-- figures `bdg report` prints).
with

province_periods as (

    select * from {{ ref('dim_periods') }}
    where period_start <= {{ as_of_date() }}

),

periods as (

    select
        province_code,
        report_year,
        report_type
    from province_periods
    union all
    select distinct
        {{ warehouse_scope() }} as province_code,
        report_year,
        report_type
    from province_periods

),

units as (

    -- each unit counts in its province and in the whole warehouse
    {{ scoped_to_province_and_warehouse(ref('dim_units')) }}

),

activities as (select * from {{ ref('fct_activities') }}),

gbv_cases as (select * from {{ ref('fct_gbv_cases') }}),

indicators as (select * from {{ ref('fct_indicators') }}),

current_submissions as (select * from {{ ref('int_submissions_filtered_to_current') }}),

unit_leadership as (

    {{ scoped_to_province_and_warehouse(ref('int_leadership_aggregated_to_unit_periods')) }}
    where unit_group in ('state_agency', 'commune')

),

reporting_status as (

    {{ scoped_to_province_and_warehouse(ref('rpt_reporting_status')) }}

),

targets as (select * from {{ ref('stg_raw__targets') }}),

-- The value each year is judged against (rpt_targets.year_target), per province and for the whole
-- warehouse
year_targets as (

    {{ year_targets() }}

),

indicator_types as (

    select * from {{ ref('indicator_types') }}
    -- the decision date is not a figure
    where value_kind != 'date'

),

-- Rows of every table: vocabulary codes (each gets a row, zero when nothing was reported) and the
-- fixed rows (totals, groups, rates).
report_rows as (

    select
        'BIEU_1' as table_code,
        'programme.' || programme_code as row_code,
        'Chương trình: ' || programme_name_vi as row_label_vi,
        cast(null as varchar) as unit_of_measure,
        100 + sort_order as row_order
    from {{ ref('programmes') }}
    union all
    select
        'BIEU_1' as table_code,
        'activity_type.' || activity_type_code as row_code,
        'Loại hoạt động: ' || activity_type_name_vi as row_label_vi,
        cast(null as varchar) as unit_of_measure,
        200 + sort_order as row_order
    from {{ ref('activity_types') }}
    union all
    select
        'BIEU_2' as table_code,
        'case_type.' || case_type_code as row_code,
        case_type_name_vi as row_label_vi,
        cast(null as varchar) as unit_of_measure,
        -- steps of 10 leave room for the violence subtotal of ministry_report_rows (after MUA_BAN_NGUOI: 145)
        100 + 10 * sort_order as row_order
    from {{ ref('case_types') }}
    union all
    select
        'BIEU_5' as table_code,
        'status.' || status_code as row_code,
        status_name_vi as row_label_vi,
        cast(null as varchar) as unit_of_measure,
        100 + sort_order as row_order
    from {{ ref('reporting_statuses') }}
    union all
    select
        'BIEU_4' as table_code,
        indicator_code as row_code,
        report_label_vi as row_label_vi,
        unit_of_measure,
        -- steps of 10 leave room for the derived rows of ministry_report_rows (XA_CO_NOI_TAM_LANH: 145)
        100 + 10 * sort_order as row_order
    from indicator_types
    union all
    select
        table_code,
        row_code,
        row_label_vi,
        unit_of_measure,
        sort_order as row_order
    from {{ ref('ministry_report_rows') }}

),

-- One cell per period, row and column of its table: the frame the figures are joined to.
cells as (

    select
        periods.province_code,
        periods.report_year,
        periods.report_type,
        report_rows.table_code,
        report_rows.row_code,
        report_rows.row_label_vi,
        report_rows.row_order,
        report_rows.unit_of_measure as row_unit_of_measure,
        report_columns.column_code,
        report_columns.column_label_vi,
        report_columns.unit_of_measure as column_unit_of_measure,
        report_columns.sort_order as column_order
    from periods
    cross join report_rows
    inner join {{ ref('ministry_report_columns') }} as report_columns
        on report_rows.table_code = report_columns.table_code

),

-- BIEU_1: activities by programme and by type (count = sum of quantity).
activity_rows as (

    select
        units.province_code,
        activities.report_year,
        activities.report_type,
        activities.programme_code,
        activities.activity_type_code,
        activities.quantity,
        activities.participants_total,
        activities.participants_female,
        activities.participants_male,
        activities.participants_ethnic_minority,
        activities.budget_vnd
    from activities
    inner join units
        on activities.unit_code = units.unit_code

),

activity_rows_by_report_row as (

    select
        *,
        'programme.' || programme_code as row_code
    from activity_rows
    union all
    select
        *,
        'activity_type.' || activity_type_code as row_code
    from activity_rows
    union all
    select
        *,
        'total' as row_code
    from activity_rows

),

activity_sums as (

    -- unreported codes stay out here and become zeros in the cells
    select
        province_code,
        report_year,
        report_type,
        row_code,
        sum(quantity) as activities,
        sum(participants_total) as participants_total,
        sum(participants_female) as participants_female,
        sum(participants_male) as participants_male,
        sum(participants_ethnic_minority) as participants_ethnic_minority,
        sum(budget_vnd) as budget_vnd
    from activity_rows_by_report_row
    group by province_code, report_year, report_type, row_code

),

activity_figures as (

    select
        cells.*,
        cast(coalesce(
            {{ column_named_by_code('cells.column_code', 'activity_sums', [
                'activities', 'participants_total', 'participants_female', 'participants_male',
                'participants_ethnic_minority', 'budget_vnd'
            ]) }},
            0
        ) as double) as value  -- noqa: RF04
    from cells
    left join activity_sums
        on
            {{ same_province_period('cells', 'activity_sums') }}
            and cells.row_code = activity_sums.row_code
    where cells.table_code = 'BIEU_1'

),

-- BIEU_2: gender-based violence by case type; the acts of violence (case_types.is_violence) summed on
-- their own row, which alone carries the support and counselling rates of NQ 28/NQ-CP (macro
-- gbv_rate_terms); the grand total adds the violations and carries counts only.
gbv_rows_by_report_row as (

    select
        units.province_code,
        gbv_cases.report_year,
        gbv_cases.report_type,
        report_row.row_code,
        case_types.is_violence,
        gbv_cases.cases_detected,
        gbv_cases.cases_handled,
        gbv_cases.victims_female,
        gbv_cases.victims_male,
        gbv_cases.victims_children,
        gbv_cases.victims_supported,
        gbv_cases.perpetrators_detected,
        gbv_cases.perpetrators_counselled
    from gbv_cases
    inner join units
        on gbv_cases.unit_code = units.unit_code
    left join {{ ref('case_types') }} as case_types
        on gbv_cases.case_type_code = case_types.case_type_code
    cross join
        unnest(
            {{ gbv_report_rows('gbv_cases.case_type_code', 'case_types.is_violence') }}
        ) as report_row (row_code)

),

gbv_sums as (

    select
        province_code,
        report_year,
        report_type,
        row_code,
        coalesce(sum(cases_detected), 0) as cases_detected,
        coalesce(sum(cases_handled), 0) as cases_handled,
        coalesce(sum(victims_female), 0) as victims_female,
        coalesce(sum(victims_male), 0) as victims_male,
        coalesce(sum(victims_children), 0) as victims_children,
        coalesce(sum(victims_supported), 0) as victims_supported,
        -- null when no row of the row_code carries the (optional) column
        sum(perpetrators_detected) as perpetrators_detected,
        coalesce(sum(perpetrators_counselled), 0) as perpetrators_counselled,
        {{ gbv_rate_terms() }}
    from gbv_rows_by_report_row
    group by province_code, report_year, report_type, row_code

),

gbv_measured as (

    select
        cells.*,
        gbv_sums.cases_detected,
        gbv_sums.cases_handled,
        gbv_sums.victims_female,
        gbv_sums.victims_male,
        gbv_sums.victims_children,
        gbv_sums.victims_supported,
        gbv_sums.perpetrators_detected,
        gbv_sums.perpetrators_counselled,
        cast(gbv_sums.violence_victims_supported as double)
        / nullif(gbv_sums.violence_victims, 0) as support_rate,
        cast(gbv_sums.violence_perpetrators_counselled as double)
        / nullif(gbv_sums.violence_perpetrators_detected, 0) as counselling_rate,
        -- share of the violence cases detected whose rows carry perpetrators_detected
        cast(coalesce(gbv_sums.violence_cases_with_perpetrators_detected, 0) as double)
        / nullif(gbv_sums.violence_cases_detected, 0) as counselling_coverage,
        coalesce(
            support_targets.year_target,
            {{ target_value_in_year('GBV_VICTIMS_SUPPORTED', 'cells.report_year') }}
        ) as support_target,
        support_targets.final_target_value as support_final_target,
        coalesce(
            counselling_targets.year_target,
            {{ target_value_in_year('PERPETRATORS_COUNSELLED', 'cells.report_year') }}
        ) as counselling_target,
        counselling_targets.final_target_value as counselling_final_target
    from cells
    left join gbv_sums
        on
            {{ same_province_period('cells', 'gbv_sums') }}
            and cells.row_code = gbv_sums.row_code
    left join year_targets as support_targets
        on
            {{ same_province_year('cells', 'support_targets') }}
            and support_targets.target_code = 'GBV_VICTIMS_SUPPORTED'
    left join year_targets as counselling_targets
        on
            {{ same_province_year('cells', 'counselling_targets') }}
            and counselling_targets.target_code = 'PERPETRATORS_COUNSELLED'
    where cells.table_code = 'BIEU_2'

),

gbv_figures as (

    select
        {{ ministry_cell_columns('gbv_measured') }},
        cast(
            case
                when
                    gbv_measured.column_code in (
                        'cases_detected', 'cases_handled', 'victims_female', 'victims_male',
                        'victims_children', 'victims_supported', 'perpetrators_counselled'
                    )
                    then {{ column_named_by_code('gbv_measured.column_code', 'gbv_measured', [
                        'cases_detected', 'cases_handled', 'victims_female', 'victims_male',
                        'victims_children', 'victims_supported', 'perpetrators_counselled'
                    ], if_null=0) }}
                -- null when no row carries the optional column
                when gbv_measured.column_code = 'perpetrators_detected'
                    then gbv_measured.perpetrators_detected
                -- rates, their coverage, targets and attainment: on the violence row only
                when gbv_measured.row_code != 'violence' then null
                -- attainment is judged against the report year's value (rpt_targets.year_target)
                when gbv_measured.column_code = 'support_is_met'
                    then cast(gbv_measured.support_rate >= gbv_measured.support_target as integer)
                when gbv_measured.column_code = 'counselling_is_met'
                    then cast(gbv_measured.counselling_rate >= gbv_measured.counselling_target as integer)
                else {{ column_named_by_code('gbv_measured.column_code', 'gbv_measured', [
                    'support_rate', 'support_target', 'support_final_target', 'counselling_rate',
                    'counselling_coverage', 'counselling_target', 'counselling_final_target'
                ]) }}
            end
            as double
        ) as value  -- noqa: RF04
    from gbv_measured

),

-- BIEU_3: women in leadership by unit group, against the targets (see rpt_leadership_targets), and the
-- units of ethnic-minority areas on a row of their own; the share of women among key leaders
-- (CHU_CHOT) and among department-level leaders (CAP_PHONG) of the reporting units.
leadership_rows_by_report_row as (

    select
        unit_leadership.*,
        report_row.row_code
    from unit_leadership
    cross join
        unnest(
            [unit_leadership.unit_group, 'total']
            || case when unit_leadership.is_ethnic_minority_area then ['ethnic_minority_area'] else [] end
        ) as report_row (row_code)

),

leadership_sums as (

    select
        province_code,
        report_year,
        report_type,
        row_code,
        count(*) as units_expected,
        count(*) filter (where is_reporting) as units_reporting,
        count(*) filter (where has_female_key_leader) as units_with_female_key_leader,
        count(*) filter (where is_reporting and is_ethnic_minority_area) as units_in_ethnic_minority_area,
        count(*) filter (where is_ethnic_minority_area and has_em_female_leader)
            as units_with_em_female_leader,
        sum(key_leaders_total) as key_leaders_total,
        sum(key_leaders_female) as key_leaders_female,
        sum(department_leaders_total) as department_leaders_total,
        sum(department_leaders_female) as department_leaders_female,
        sum(pool_total) as pool_total,
        sum(pool_female) as pool_female,
        sum(pool_female_trained) as pool_female_trained
    from leadership_rows_by_report_row
    group by province_code, report_year, report_type, row_code

),

leadership_measured as (

    select
        cells.*,
        coalesce(leadership_sums.units_expected, 0) as units_expected,
        coalesce(leadership_sums.units_reporting, 0) as units_reporting,
        coalesce(leadership_sums.units_with_female_key_leader, 0) as units_with_female_key_leader,
        coalesce(leadership_sums.units_in_ethnic_minority_area, 0) as units_in_ethnic_minority_area,
        coalesce(leadership_sums.units_with_em_female_leader, 0) as units_with_em_female_leader,
        coalesce(leadership_sums.key_leaders_total, 0) as key_leaders_total,
        coalesce(leadership_sums.key_leaders_female, 0) as key_leaders_female,
        coalesce(leadership_sums.department_leaders_total, 0) as department_leaders_total,
        coalesce(leadership_sums.department_leaders_female, 0) as department_leaders_female,
        cast(leadership_sums.units_with_female_key_leader as double)
        / nullif(leadership_sums.units_reporting, 0) as share_of_reporting,
        cast(leadership_sums.key_leaders_female as double)
        / nullif(leadership_sums.key_leaders_total, 0) as key_leaders_female_share,
        cast(leadership_sums.department_leaders_female as double)
        / nullif(leadership_sums.department_leaders_total, 0) as department_leaders_female_share,
        cast(leadership_sums.pool_female as double)
        / nullif(leadership_sums.pool_total, 0) as pool_female_share,
        cast(leadership_sums.pool_female_trained as double)
        / nullif(leadership_sums.pool_female, 0) as pool_female_trained_share,
        cast(leadership_sums.units_with_em_female_leader as double)
        / nullif(leadership_sums.units_in_ethnic_minority_area, 0) as em_female_leader_share,
        -- the total and ethnic-minority rows mix two groups with different targets: no key-leader target
        -- there; the report year's value (rpt_targets.year_target) and the final target
        case
            when cells.row_code = 'state_agency'
                then coalesce(
                    key_leader_targets.year_target,
                    {{ target_value_in_year('FEMALE_KEY_LEADER_STATE', 'cells.report_year') }}
                )
            when cells.row_code = 'commune'
                then coalesce(
                    key_leader_targets.year_target,
                    {{ target_value_in_year('FEMALE_KEY_LEADER_COMMUNE', 'cells.report_year') }}
                )
        end as target_share,
        key_leader_targets.final_target_value as final_target_share,
        {{ target_value_in_year('POOL_FEMALE_SHARE', 'cells.report_year') }} as pool_female_target,
        {{ target_value_in_year('POOL_FEMALE_TRAINED', 'cells.report_year') }} as pool_female_trained_target
    from cells
    left join leadership_sums
        on
            {{ same_province_period('cells', 'leadership_sums') }}
            and cells.row_code = leadership_sums.row_code
    left join year_targets as key_leader_targets
        on
            {{ same_province_year('cells', 'key_leader_targets') }}
            and key_leader_targets.target_code = case cells.row_code
                when 'state_agency' then 'FEMALE_KEY_LEADER_STATE'
                when 'commune' then 'FEMALE_KEY_LEADER_COMMUNE'
            end
    where cells.table_code = 'BIEU_3'

),

leadership_figures as (

    select
        {{ ministry_cell_columns('leadership_measured') }},
        cast(
            case
                when leadership_measured.column_code = 'is_met'
                    then cast(
                        leadership_measured.share_of_reporting >= leadership_measured.target_share as integer
                    )
                else {{ column_named_by_code('leadership_measured.column_code', 'leadership_measured', [
                    'units_expected', 'units_reporting', 'units_with_female_key_leader', 'share_of_reporting',
                    'target_share', 'final_target_share', 'key_leaders_total', 'key_leaders_female',
                    'key_leaders_female_share', 'department_leaders_total', 'department_leaders_female',
                    'department_leaders_female_share', 'pool_female_share', 'pool_female_target',
                    'pool_female_trained_share', 'pool_female_trained_target', 'units_in_ethnic_minority_area',
                    'units_with_em_female_leader', 'em_female_leader_share'
                ]) }}
            end
            as double
        ) as value  -- noqa: RF04
    from leadership_measured

),

-- BIEU_5: reporting status counts and rates, over all expected units.
status_counts as (

    select
        province_code,
        report_year,
        report_type,
        count(*) as units_expected,
        count(*) filter (where status = 'on_time') as units_on_time,
        count(*) filter (where status in ('on_time', 'late')) as units_received,
        count(*) filter (where status = 'late') as units_late,
        count(*) filter (where status = 'rejected') as units_rejected,
        count(*) filter (where status = 'missing') as units_missing,
        count(*) filter (where status = 'pending') as units_pending
    from reporting_status
    group by province_code, report_year, report_type

),

status_measured as (

    select
        cells.*,
        coalesce(status_counts.units_expected, 0) as units_expected,
        coalesce(
            case cells.row_code
                when 'status.on_time' then status_counts.units_on_time
                when 'status.late' then status_counts.units_late
                when 'status.rejected' then status_counts.units_rejected
                when 'status.missing' then status_counts.units_missing
                when 'status.pending' then status_counts.units_pending
                when 'total' then status_counts.units_expected
                when 'reporting_rate' then status_counts.units_received
                when 'on_time_rate' then status_counts.units_on_time
            end,
            0
        ) as units
    from cells
    left join status_counts
        on
            {{ same_province_period('cells', 'status_counts') }}
    where cells.table_code = 'BIEU_5'

),

status_figures as (

    select
        {{ ministry_cell_columns('status_measured') }},
        cast(
            case status_measured.column_code
                when 'units' then status_measured.units
                when
                    'share'
                    then cast(status_measured.units as double) / nullif(status_measured.units_expected, 0)
            end
            as double
        ) as value  -- noqa: RF04
    from status_measured

),

-- BIEU_4: institutional indicators, and news items per quarter per commune. What the report prints:
-- a unit reports an indicator when its current report has the indicator's row; shelters are counted
-- for communes only (QĐ 625/QĐ-TTg sets them per commune), and XA_CO_NOI_TAM_LANH counts the communes
-- with at least one.
indicator_rows as (

    select
        units.province_code,
        indicators.report_year,
        indicators.report_type,
        indicators.indicator_code,
        indicators.unit_code,
        indicators.value_text,
        indicators.value_number
    from indicators
    inner join units
        on indicators.unit_code = units.unit_code
    where indicators.indicator_code != 'SO_NOI_TAM_LANH' or units.is_commune

),

indicator_rows_by_report_row as (

    select
        *,
        indicator_code as row_code
    from indicator_rows
    union all
    select
        *,
        'XA_CO_NOI_TAM_LANH' as row_code
    from indicator_rows
    where indicator_code = 'SO_NOI_TAM_LANH'

),

indicator_sums as (

    select
        province_code,
        report_year,
        report_type,
        row_code,
        case
            -- categories count the units answering `CO`
            when row_code in ('BAN_VSTBPN_KIEN_TOAN', 'DAT_NTM_6_5')
                then count(*) filter (where value_text = 'CO')
            when row_code = 'XA_CO_NOI_TAM_LANH'
                then count(*) filter (where coalesce(value_number, 0) >= 1)
            else sum(value_number)
        end as indicator_value,
        case
            -- NTM criterion 6.5 applies to rural communes only: those answering `CO` or `KHONG`
            when row_code = 'DAT_NTM_6_5'
                then count(distinct unit_code) filter (where value_text in ('CO', 'KHONG'))
            else count(distinct unit_code)
        end as units_reporting
    from indicator_rows_by_report_row
    group by province_code, report_year, report_type, row_code

),

commune_reports as (

    select
        units.province_code,
        current_submissions.report_year,
        current_submissions.report_type,
        count(distinct current_submissions.unit_code) as communes_reporting
    from current_submissions
    inner join units
        on current_submissions.unit_code = units.unit_code
    where units.is_commune
    group by units.province_code, current_submissions.report_year, current_submissions.report_type

),

commune_news_items as (

    select
        units.province_code,
        activities.report_year,
        activities.report_type,
        sum(activities.quantity) as news_items
    from activities
    inner join units
        on activities.unit_code = units.unit_code
    where
        units.is_commune
        and activities.activity_type_code = 'TIN_BAI'
    group by units.province_code, activities.report_year, activities.report_type

),

news_per_quarter as (

    -- the 6-month report covers two quarters, the annual report four
    select
        commune_reports.province_code,
        commune_reports.report_year,
        commune_reports.report_type,
        'TIN_BAI_MOI_QUY_MOI_XA' as row_code,
        cast(coalesce(commune_news_items.news_items, 0) as double)
        / (commune_reports.communes_reporting * case commune_reports.report_type when '6T' then 2 else 4 end)
            as indicator_value,
        commune_reports.communes_reporting as units_reporting
    from commune_reports
    left join commune_news_items
        on
            {{ same_province_period('commune_reports', 'commune_news_items') }}

),

institutional_sums as (

    select * from indicator_sums
    union all
    select * from news_per_quarter

),

institutional_measured as (

    select
        cells.*,
        case
            when cells.row_code = 'TIN_BAI_MOI_QUY_MOI_XA' then institutional_sums.indicator_value
            else coalesce(institutional_sums.indicator_value, 0)
        end as indicator_value,
        coalesce(institutional_sums.units_reporting, 0) as units_reporting,
        case
            when cells.row_code in ('BAN_VSTBPN_KIEN_TOAN', 'XA_CO_NOI_TAM_LANH', 'DAT_NTM_6_5')
                then
                    cast(institutional_sums.indicator_value as double)
                    / nullif(institutional_sums.units_reporting, 0)
        end as indicator_share,
        -- the report year's value (rpt_targets.year_target), the final target and its year
        case
            when cells.row_code = 'BAN_VSTBPN_KIEN_TOAN'
                then coalesce(
                    ban_targets.year_target,
                    {{ target_value_in_year('BAN_VSTBPN_CONSOLIDATED', 'cells.report_year') }}
                )
            -- the target is at least one shelter in every commune: 100% of the communes
            when cells.row_code = 'XA_CO_NOI_TAM_LANH' and shelter_target.target_code is not null
                then 1.0
        end as indicator_target,
        case
            when cells.row_code = 'BAN_VSTBPN_KIEN_TOAN' then ban_target.target_value
            when cells.row_code = 'XA_CO_NOI_TAM_LANH' and shelter_target.target_code is not null
                then 1.0
        end as indicator_final_target,
        case
            when cells.row_code = 'BAN_VSTBPN_KIEN_TOAN' then ban_target.target_year
            when cells.row_code = 'XA_CO_NOI_TAM_LANH' then shelter_target.target_year
        end as indicator_target_year
    from cells
    left join institutional_sums
        on
            {{ same_province_period('cells', 'institutional_sums') }}
            and cells.row_code = institutional_sums.row_code
    left join year_targets as ban_targets
        on
            {{ same_province_year('cells', 'ban_targets') }}
            and ban_targets.target_code = 'BAN_VSTBPN_CONSOLIDATED'
    left join targets as ban_target
        on ban_target.target_code = 'BAN_VSTBPN_CONSOLIDATED'
    left join targets as shelter_target
        on shelter_target.target_code = 'SHELTER_PER_COMMUNE'
    where cells.table_code = 'BIEU_4'

),

institutional_figures as (

    select
        {{ ministry_cell_columns('institutional_measured') }},
        cast(
            case institutional_measured.column_code
                when 'value' then institutional_measured.indicator_value
                when 'units_reporting' then institutional_measured.units_reporting
                when 'share' then institutional_measured.indicator_share
                when 'target' then institutional_measured.indicator_target
                when 'final_target' then institutional_measured.indicator_final_target
                when 'target_year' then institutional_measured.indicator_target_year
                when 'is_met'
                    then cast(
                        institutional_measured.indicator_share
                        >= institutional_measured.indicator_target as integer
                    )
            end
            as double
        ) as value  -- noqa: RF04
    from institutional_measured

),

figures as (

    select * from activity_figures
    union all by name
    select * from gbv_figures
    union all by name
    select * from leadership_figures
    union all by name
    select * from status_figures
    union all by name
    select * from institutional_figures

),

-- The same period of the previous year is compared once at least one expected unit had an accepted
-- report in it (Biểu 5's units received); before that its cells are zeros nobody reported.
reported_periods as (

    select
        province_code,
        report_year,
        report_type
    from status_counts
    where units_received > 0

),

final as (

    select
        figures.province_code,
        figures.report_year,
        figures.report_type,
        figures.table_code,
        figures.row_code,
        figures.column_code,
        {{ ministry_figure_key('figures') }} as figure_key,
        report_tables.table_title_vi,
        figures.row_label_vi,
        figures.column_label_vi,
        figures.row_label_vi || ' — ' || figures.column_label_vi as label_vi,
        figures.value,
        -- the same cell in the same period of the previous year (cùng kỳ năm trước), and the change
        -- (for a rate, the difference of the two fractions: percentage points / 100)
        previous_figures.value as previous_value,
        figures.value - previous_figures.value as change,  -- noqa: RF04
        previous_periods.report_year is not null as has_previous_period,
        coalesce(figures.column_unit_of_measure, figures.row_unit_of_measure) as unit_of_measure,
        cast(figures.row_order as integer) as row_order,
        cast(figures.column_order as integer) as column_order,
        {{ as_of_date() }} as as_of_date
    from figures
    inner join {{ ref('ministry_report_tables') }} as report_tables
        on figures.table_code = report_tables.table_code
    left join reported_periods as previous_periods
        on
            figures.province_code = previous_periods.province_code
            and figures.report_year - 1 = previous_periods.report_year
            and figures.report_type = previous_periods.report_type
    left join figures as previous_figures
        on
            {{ same_province_period('previous_periods', 'previous_figures') }}
            and figures.table_code = previous_figures.table_code
            and figures.row_code = previous_figures.row_code
            and figures.column_code = previous_figures.column_code

)

select * from final
