-- Per expected unit and period, the leadership report that counts for it and what it says.
with

expected_unit_periods as (

    -- a unit is expected when it is active at the period's end (a commune merged before then is not)
    select
        units.unit_code,
        units.unit_kind,
        units.province_code,
        units.is_ethnic_minority_area,
        {{ unit_group('units.is_state_agency', 'unit_kinds.is_commune') }} as unit_group,
        calendar.report_year,
        calendar.report_type,
        calendar.period_start,
        calendar.period_end
    from {{ ref('stg_raw__units') }} as units
    inner join {{ ref('stg_raw__reporting_calendar') }} as calendar
        on
            units.province_code = calendar.province_code
            and {{ unit_active_on('units', 'calendar.period_end') }}
    left join {{ ref('unit_kinds') }} as unit_kinds
        on units.unit_kind = unit_kinds.unit_kind_code

),

leadership_by_file as (

    select
        file_sha256,
        bool_or(position_group_code = 'CHU_CHOT' and leaders_female >= 1) as has_female_key_leader,
        bool_or(leaders_female_ethnic_minority >= 1) as has_em_female_leader,
        sum(leaders_total) as leaders_total,
        sum(leaders_female) as leaders_female,
        -- key leaders (lãnh đạo chủ chốt) and department-level leaders (lãnh đạo cấp phòng)
        sum(leaders_total) filter (where position_group_code = 'CHU_CHOT') as key_leaders_total,
        sum(leaders_female) filter (where position_group_code = 'CHU_CHOT') as key_leaders_female,
        sum(leaders_total) filter (where position_group_code = 'CAP_PHONG') as department_leaders_total,
        sum(leaders_female) filter (where position_group_code = 'CAP_PHONG') as department_leaders_female,
        sum(pool_total) as pool_total,
        sum(pool_female) as pool_female,
        sum(pool_female_trained) as pool_female_trained
    from {{ ref('stg_raw__leadership') }}
    group by file_sha256

),

candidate_reports as (

    -- the annual period counts the annual report, else the 6-month report of the same year (it is
    -- the latest the unit sent); the 6-month period counts the 6-month report only
    select
        expected_unit_periods.unit_code,
        expected_unit_periods.report_year,
        expected_unit_periods.report_type,
        current_submissions.file_sha256,
        current_submissions.report_type as source_report_type
    from expected_unit_periods
    inner join {{ ref('int_submissions_filtered_to_current') }} as current_submissions
        on
            expected_unit_periods.unit_code = current_submissions.unit_code
            and expected_unit_periods.report_year = current_submissions.report_year
            and (
                expected_unit_periods.report_type = current_submissions.report_type
                or (expected_unit_periods.report_type = 'NAM' and current_submissions.report_type = '6T')
            )
    inner join leadership_by_file
        on current_submissions.file_sha256 = leadership_by_file.file_sha256
    qualify row_number() over (
        partition by
            expected_unit_periods.unit_code,
            expected_unit_periods.report_year,
            expected_unit_periods.report_type
        order by case current_submissions.report_type when 'NAM' then 1 else 2 end
    ) = 1

),

final as (

    select
        expected_unit_periods.unit_code,
        expected_unit_periods.unit_kind,
        expected_unit_periods.unit_group,
        expected_unit_periods.province_code,
        expected_unit_periods.is_ethnic_minority_area,
        expected_unit_periods.report_year,
        expected_unit_periods.report_type,
        expected_unit_periods.period_start,
        expected_unit_periods.period_end,
        candidate_reports.file_sha256,
        candidate_reports.source_report_type,
        candidate_reports.file_sha256 is not null as is_reporting,
        coalesce(leadership_by_file.has_female_key_leader, false) as has_female_key_leader,
        coalesce(leadership_by_file.has_em_female_leader, false) as has_em_female_leader,
        leadership_by_file.leaders_total,
        leadership_by_file.leaders_female,
        leadership_by_file.key_leaders_total,
        leadership_by_file.key_leaders_female,
        leadership_by_file.department_leaders_total,
        leadership_by_file.department_leaders_female,
        leadership_by_file.pool_total,
        leadership_by_file.pool_female,
        leadership_by_file.pool_female_trained
    from expected_unit_periods
    left join candidate_reports
        on
            {{ same_unit_period('expected_unit_periods', 'candidate_reports') }}
    left join leadership_by_file
        on candidate_reports.file_sha256 = leadership_by_file.file_sha256

)

select * from final
