-- What each target measures, per province and year, from the current annual (NAM) reports.
with

calendar as (

    select * from {{ ref('stg_raw__reporting_calendar') }}
    where report_type = 'NAM'

),

current_submissions as (

    select * from {{ ref('int_submissions_filtered_to_current') }}
    where report_type = 'NAM'

),

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
    inner join {{ ref('stg_raw__units') }} as units
        on current_submissions.unit_code = units.unit_code
    left join {{ ref('unit_kinds') }} as unit_kinds
        on units.unit_kind = unit_kinds.unit_kind_code

),

-- What each file holds towards the targets, one row per file: the province's sums then come from one
-- join of its annual reports to these.
gbv_by_file as (

    -- the rates of NQ 28/NQ-CP count acts of violence only (see macro gbv_rate_terms)
    select
        gbv_cases.file_sha256,
        {{ gbv_rate_terms('case_types.is_violence') }}
    from {{ ref('stg_raw__gbv_cases') }} as gbv_cases
    inner join {{ ref('case_types') }} as case_types
        on gbv_cases.case_type_code = case_types.case_type_code
    group by gbv_cases.file_sha256

),

indicators_by_file as (

    select
        file_sha256,
        bool_or(indicator_code = 'BAN_VSTBPN_KIEN_TOAN' and value_text = 'CO') as is_ban_consolidated
    from {{ ref('stg_raw__indicators') }}
    group by file_sha256

),

report_sums as (

    select
        annual_reports.province_code,
        annual_reports.report_year,
        count(distinct annual_reports.unit_code) as units_reporting,
        sum(gbv_by_file.violence_victims_supported) as victims_supported,
        sum(gbv_by_file.violence_victims) as victims,
        sum(gbv_by_file.violence_perpetrators_counselled) as perpetrators_counselled,
        sum(gbv_by_file.violence_perpetrators_detected) as perpetrators_detected,
        count(distinct annual_reports.unit_code) filter (
            where indicators_by_file.is_ban_consolidated
        ) as units_ban_consolidated
    from annual_reports
    left join gbv_by_file
        on annual_reports.file_sha256 = gbv_by_file.file_sha256
    left join indicators_by_file
        on annual_reports.file_sha256 = indicators_by_file.file_sha256
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
        coalesce(report_sums.units_reporting, 0) as units_reporting,
        report_sums.victims_supported,
        report_sums.victims,
        report_sums.perpetrators_counselled,
        report_sums.perpetrators_detected,
        report_sums.units_ban_consolidated,
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
    left join report_sums
        on
            {{ same_province_year('calendar', 'report_sums') }}
    left join leadership_sums
        on
            {{ same_province_year('calendar', 'leadership_sums') }}

),

-- Each target as a ratio of two figures of the province's year.
measures as (

    select
        province_years.province_code,
        province_years.report_year,
        measure.target_code,
        measure.numerator,
        measure.denominator
    from province_years
    cross join lateral (
        values
        (
            'FEMALE_KEY_LEADER_STATE',
            province_years.state_agencies_with_female_key_leader,
            province_years.state_agencies_reporting
        ),
        (
            'FEMALE_KEY_LEADER_COMMUNE',
            province_years.communes_with_female_key_leader,
            province_years.communes_reporting_leadership
        ),
        ('POOL_FEMALE_SHARE', province_years.pool_female, province_years.pool_total),
        ('POOL_FEMALE_TRAINED', province_years.pool_female_trained, province_years.pool_female),
        (
            'EM_FEMALE_LEADER',
            province_years.em_area_units_with_em_female_leader,
            province_years.em_area_units_reporting
        ),
        (
            'BAN_VSTBPN_CONSOLIDATED',
            coalesce(province_years.units_ban_consolidated, 0),
            province_years.units_reporting
        ),
        ('GBV_VICTIMS_SUPPORTED', province_years.victims_supported, province_years.victims),
        -- over the rows that carry perpetrators_detected; unmeasured when none does
        (
            'PERPETRATORS_COUNSELLED',
            province_years.perpetrators_counselled,
            province_years.perpetrators_detected
        )
    ) as measure (target_code, numerator, denominator)

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
