-- News items (Tin, bài) of every reporting commune in every quarter of the period, per province and for
-- the whole warehouse ({{ warehouse_scope() }}). Biểu 4's quarters table and Biểu 6's news target read it.
with

province_periods as (select * from {{ ref('dim_periods') }}),

communes as (

    -- each commune counts in its province and in the whole warehouse
    {{ scoped_to_province_and_warehouse(ref('dim_units')) }}
    where is_commune

),

current_submissions as (select * from {{ ref('int_submissions_filtered_to_current') }}),

news as (

    select * from {{ ref('fct_activities') }}
    where activity_type_code = 'TIN_BAI' and activity_date is not null

),

quarters as (

    {{ period_quarters('province_periods') }}

),

reporting_communes as (

    select distinct
        communes.province_code,
        current_submissions.report_year,
        current_submissions.report_type,
        current_submissions.unit_code
    from current_submissions
    inner join communes
        on current_submissions.unit_code = communes.unit_code

),

final as (

    -- zero items in a quarter without news
    select
        quarters.province_code,
        quarters.report_year,
        quarters.report_type,
        quarters.quarter_number,
        quarters.quarter_code,
        quarters.quarter_start,
        quarters.quarter_end,
        reporting_communes.unit_code,
        coalesce(sum(news.quantity), 0) as news_items
    from quarters
    inner join reporting_communes
        on
            {{ same_province_period('quarters', 'reporting_communes') }}
    left join news
        on
            reporting_communes.unit_code = news.unit_code
            and quarters.report_year = news.report_year
            and quarters.report_type = news.report_type
            and news.activity_date between quarters.quarter_start and quarters.quarter_end
    group by all

)

select * from final
