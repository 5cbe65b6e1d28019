-- Tháng hành động vì bình đẳng giới: activities carried out 15/11–15/12, per province and type.
with

activities_in_window as (

    select
        activities.*,
        units.province_code,
        year(activities.activity_date) as campaign_year
    from {{ ref('fct_activities') }} as activities
    inner join {{ ref('dim_units') }} as units
        on activities.unit_code = units.unit_code
    where
        (month(activities.activity_date) = 11 and day(activities.activity_date) >= 15)
        or (month(activities.activity_date) = 12 and day(activities.activity_date) <= 15)

),

selected_reports as (

    -- the window falls in both the 6-month and the annual report of the next year (both start on
    -- 15/11): count each unit's activities from one report only, its annual report when it has one
    select
        unit_code,
        campaign_year,
        file_sha256
    from activities_in_window
    qualify row_number() over (
        partition by unit_code, campaign_year
        order by case report_type when 'NAM' then 1 else 2 end, report_year desc
    ) = 1

),

selected_activities as (

    select activities_in_window.*
    from activities_in_window
    inner join selected_reports
        on
            activities_in_window.file_sha256 = selected_reports.file_sha256
            and activities_in_window.campaign_year = selected_reports.campaign_year

),

aggregated as (

    select
        province_code,
        campaign_year,
        activity_type_code,
        count(distinct unit_code) as units_reporting,
        count(*) as activity_rows,
        sum(quantity) as activities,
        coalesce(
            sum(quantity) filter (where programme_code = 'THANG_HANH_DONG'), 0
        ) as activities_in_programme,
        coalesce(sum(participants_total), 0) as participants_total,
        coalesce(sum(participants_female), 0) as participants_female,
        coalesce(sum(participants_male), 0) as participants_male,
        coalesce(sum(participants_ethnic_minority), 0) as participants_ethnic_minority,
        coalesce(sum(budget_vnd), 0) as budget_vnd
    from selected_activities
    group by province_code, campaign_year, activity_type_code

),

final as (

    select
        aggregated.province_code,
        cast(aggregated.campaign_year as integer) as campaign_year,
        aggregated.activity_type_code,
        activity_types.activity_type_name_vi,
        make_date(cast(aggregated.campaign_year as integer), 11, 15) as campaign_start_date,
        make_date(cast(aggregated.campaign_year as integer), 12, 15) as campaign_end_date,
        cast(aggregated.units_reporting as integer) as units_reporting,
        cast(aggregated.activity_rows as integer) as activity_rows,
        cast(aggregated.activities as bigint) as activities,
        cast(aggregated.activities_in_programme as bigint) as activities_in_programme,
        cast(aggregated.participants_total as bigint) as participants_total,
        cast(aggregated.participants_female as bigint) as participants_female,
        cast(aggregated.participants_male as bigint) as participants_male,
        cast(aggregated.participants_ethnic_minority as bigint) as participants_ethnic_minority,
        cast(aggregated.budget_vnd as bigint) as budget_vnd
    from aggregated
    left join {{ ref('activity_types') }} as activity_types
        on aggregated.activity_type_code = activity_types.activity_type_code

)

select * from final
