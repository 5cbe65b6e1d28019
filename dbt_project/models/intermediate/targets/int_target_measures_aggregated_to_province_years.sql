-- What each target measures, per province and year, from the current annual (NAM) reports.
with

calendar as (

    select * from {{ ref('stg_raw__reporting_calendar') }}
    where report_type = 'NAM'

),

units as (select * from {{ ref('stg_raw__units') }}),

unit_kinds as (select * from {{ ref('unit_kinds') }}),

current_submissions as (

    select * from {{ ref('int_submissions_filtered_to_current') }}
    where report_type = 'NAM'

),

activities as (select * from {{ ref('stg_raw__activities') }}),

gbv_cases as (select * from {{ ref('stg_raw__gbv_cases') }}),

indicators as (select * from {{ ref('stg_raw__indicators') }}),

unit_leadership as (

    select * from {{ ref('int_leadership_aggregated_to_unit_periods') }}
    where report_type = 'NAM'

),

annual_reports as (

    select
        current_submissions.file_sha256,
        current_submissions.unit_code,
        current_submissions.report_year,
        units.province_code,
        coalesce(unit_kinds.is_commune, false) as is_commune
    from current_submissions
    inner join units
        on current_submissions.unit_code = units.unit_code
    left join unit_kinds
        on units.unit_kind = unit_kinds.unit_kind_code

),

report_counts as (

    select
        province_code,
        report_year,
        count(distinct unit_code) as units_reporting,
        count(distinct unit_code) filter (where is_commune) as communes_reporting
    from annual_reports
    group by province_code, report_year

),

activity_sums as (

    select
        annual_reports.province_code,
        annual_reports.report_year,
        sum(activities.quantity) filter (
            where activities.activity_type_code = 'TRUYEN_THONG'
        ) as communication_sessions,
        sum(activities.quantity) filter (
            where activities.activity_type_code = 'TIN_BAI' and annual_reports.is_commune
        ) as commune_news_items
    from activities
    inner join annual_reports
        on activities.file_sha256 = annual_reports.file_sha256
    group by annual_reports.province_code, annual_reports.report_year

),

gbv_sums as (

    select
        annual_reports.province_code,
        annual_reports.report_year,
        sum(gbv_cases.victims_supported) as victims_supported,
        sum(coalesce(gbv_cases.victims_female, 0) + coalesce(gbv_cases.victims_male, 0)) as victims,
        sum(gbv_cases.perpetrators_counselled) as perpetrators_counselled,
        sum(gbv_cases.cases_detected) as cases_detected
    from gbv_cases
    inner join annual_reports
        on gbv_cases.file_sha256 = annual_reports.file_sha256
    group by annual_reports.province_code, annual_reports.report_year

),

indicator_sums as (

    select
        annual_reports.province_code,
        annual_reports.report_year,
        sum(indicators.value_number) filter (
            where indicators.indicator_code = 'SO_NOI_TAM_LANH' and annual_reports.is_commune
        ) as commune_shelters,
        count(distinct annual_reports.unit_code) filter (
            where indicators.indicator_code = 'BAN_VSTBPN_KIEN_TOAN' and indicators.value_text = 'CO'
        ) as units_ban_consolidated
    from indicators
    inner join annual_reports
        on indicators.file_sha256 = annual_reports.file_sha256
    group by annual_reports.province_code, annual_reports.report_year

),

leadership_sums as (

    select
        province_code,
        report_year,
        count(*) filter (where unit_group = 'state_agency' and is_reporting) as state_agencies_reporting,
        count(*) filter (
            where unit_group = 'state_agency' and has_female_key_leader
        ) as state_agencies_with_female_key_leader,
        count(*) filter (where unit_group = 'commune' and is_reporting) as communes_reporting,
        count(*) filter (
            where unit_group = 'commune' and has_female_key_leader
        ) as communes_with_female_key_leader,
        count(*) filter (where is_ethnic_minority_area and is_reporting) as em_area_units_reporting,
        count(*) filter (
            where is_ethnic_minority_area and has_em_female_leader
        ) as em_area_units_with_em_female_leader,
        sum(pool_total) as pool_total,
        sum(pool_female) as pool_female,
        sum(pool_female_trained) as pool_female_trained
    from unit_leadership
    group by province_code, report_year

),

province_years as (

    select
        calendar.province_code,
        calendar.report_year,
        coalesce(report_counts.units_reporting, 0) as units_reporting,
        coalesce(report_counts.communes_reporting, 0) as communes_reporting,
        activity_sums.communication_sessions,
        activity_sums.commune_news_items,
        gbv_sums.victims_supported,
        gbv_sums.victims,
        gbv_sums.perpetrators_counselled,
        gbv_sums.cases_detected,
        indicator_sums.commune_shelters,
        indicator_sums.units_ban_consolidated,
        leadership_sums.state_agencies_reporting,
        leadership_sums.state_agencies_with_female_key_leader,
        leadership_sums.communes_reporting as communes_reporting_leadership,
        leadership_sums.communes_with_female_key_leader,
        leadership_sums.em_area_units_reporting,
        leadership_sums.em_area_units_with_em_female_leader,
        leadership_sums.pool_total,
        leadership_sums.pool_female,
        leadership_sums.pool_female_trained
    from calendar
    left join report_counts
        on
            calendar.province_code = report_counts.province_code
            and calendar.report_year = report_counts.report_year
    left join activity_sums
        on
            calendar.province_code = activity_sums.province_code
            and calendar.report_year = activity_sums.report_year
    left join gbv_sums
        on
            calendar.province_code = gbv_sums.province_code
            and calendar.report_year = gbv_sums.report_year
    left join indicator_sums
        on
            calendar.province_code = indicator_sums.province_code
            and calendar.report_year = indicator_sums.report_year
    left join leadership_sums
        on
            calendar.province_code = leadership_sums.province_code
            and calendar.report_year = leadership_sums.report_year

),

measures (province_code, report_year, target_code, numerator, denominator) as (

    select
        province_code,
        report_year,
        'FEMALE_KEY_LEADER_STATE',
        state_agencies_with_female_key_leader,
        state_agencies_reporting
    from province_years
    union all
    select
        province_code,
        report_year,
        'FEMALE_KEY_LEADER_COMMUNE',
        communes_with_female_key_leader,
        communes_reporting_leadership
    from province_years
    union all
    select
        province_code,
        report_year,
        'POOL_FEMALE_SHARE',
        pool_female,
        pool_total
    from province_years
    union all
    select
        province_code,
        report_year,
        'POOL_FEMALE_TRAINED',
        pool_female_trained,
        pool_female
    from province_years
    union all
    select
        province_code,
        report_year,
        'EM_FEMALE_LEADER',
        em_area_units_with_em_female_leader,
        em_area_units_reporting
    from province_years
    union all
    select
        province_code,
        report_year,
        'COMM_SESSIONS_PER_UNIT',
        coalesce(communication_sessions, 0),
        units_reporting
    from province_years
    union all
    -- the annual report covers four quarters
    select
        province_code,
        report_year,
        'NEWS_ITEMS_PER_QUARTER_COMMUNE',
        coalesce(commune_news_items, 0),
        communes_reporting * 4
    from province_years
    union all
    select
        province_code,
        report_year,
        'SHELTER_PER_COMMUNE',
        coalesce(commune_shelters, 0),
        communes_reporting
    from province_years
    union all
    select
        province_code,
        report_year,
        'BAN_VSTBPN_CONSOLIDATED',
        coalesce(units_ban_consolidated, 0),
        units_reporting
    from province_years
    union all
    select
        province_code,
        report_year,
        'GBV_VICTIMS_SUPPORTED',
        victims_supported,
        victims
    from province_years
    union all
    -- the form does not count perpetrators: one per detected case
    select
        province_code,
        report_year,
        'PERPETRATORS_COUNSELLED',
        perpetrators_counselled,
        cases_detected
    from province_years

),

final as (

    select
        province_code,
        report_year,
        target_code,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        case
            when denominator > 0 then cast(numerator as double) / denominator
        end as measured_value
    from measures

)

select * from final
