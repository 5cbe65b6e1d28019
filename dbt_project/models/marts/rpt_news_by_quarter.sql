-- Biểu 4 (second table): news items (Tin, bài) of the reporting communes per quarter of the period,
-- against the target of ≥ 4 per commune per quarter; per province and for the whole warehouse.
with

province_periods as (

    select * from {{ ref('dim_periods') }}

),

units as (

    -- each unit counts in its province and in the whole warehouse ({{ warehouse_scope() }})
    {{ scoped_to_province_and_warehouse(ref('dim_units')) }}
    where is_commune

),

current_submissions as (

    select * from {{ ref('int_submissions_filtered_to_current') }}

),

news as (

    select * from {{ ref('fct_activities') }}
    where activity_type_code = 'TIN_BAI' and activity_date is not null

),

targets as (

    select * from {{ ref('stg_raw__targets') }}
    where target_code = 'NEWS_ITEMS_PER_QUARTER_COMMUNE'

),

quarters as (

    {{ period_quarters('province_periods') }}

),

reporting_communes as (

    select distinct
        units.province_code,
        current_submissions.report_year,
        current_submissions.report_type,
        current_submissions.unit_code
    from current_submissions
    inner join units
        on current_submissions.unit_code = units.unit_code

),

commune_quarters as (

    -- every reporting commune in every quarter, with its news items there (zero when none)
    select
        quarters.province_code,
        quarters.report_year,
        quarters.report_type,
        quarters.quarter_number,
        reporting_communes.unit_code,
        coalesce(sum(coalesce(news.quantity, 0)), 0) as news_items
    from quarters
    inner join reporting_communes
        on
            quarters.province_code = reporting_communes.province_code
            and quarters.report_year = reporting_communes.report_year
            and quarters.report_type = reporting_communes.report_type
    left join news
        on
            reporting_communes.unit_code = news.unit_code
            and quarters.report_year = news.report_year
            and quarters.report_type = news.report_type
            and news.activity_date between quarters.quarter_start and quarters.quarter_end
    group by all

),

targeted_quarters as (

    select
        quarters.*,
        {{ target_for_year('targets', 'quarters.report_year') }} as target_per_commune
    from quarters
    left join targets
        on true

),

measured as (

    select
        targeted_quarters.province_code,
        targeted_quarters.report_year,
        targeted_quarters.report_type,
        targeted_quarters.quarter_number,
        targeted_quarters.quarter_code,
        targeted_quarters.quarter_start,
        targeted_quarters.quarter_end,
        targeted_quarters.target_per_commune,
        count(commune_quarters.unit_code) as communes_reporting,
        coalesce(sum(commune_quarters.news_items), 0) as news_items,
        count(commune_quarters.unit_code) filter (
            where commune_quarters.news_items >= targeted_quarters.target_per_commune
        ) as communes_met
    from targeted_quarters
    left join commune_quarters
        on
            targeted_quarters.province_code = commune_quarters.province_code
            and targeted_quarters.report_year = commune_quarters.report_year
            and targeted_quarters.report_type = commune_quarters.report_type
            and targeted_quarters.quarter_number = commune_quarters.quarter_number
    group by all

),

final as (

    select
        province_code,
        cast(report_year as integer) as report_year,
        report_type,
        cast(quarter_number as integer) as quarter_number,
        quarter_code,
        quarter_start,
        quarter_end,
        'Quý ' || quarter_code || ' (' || strftime(quarter_start, '%d/%m/%Y') || ' – '
        || strftime(quarter_end, '%d/%m/%Y') || ')' as quarter_label_vi,
        cast(communes_reporting as integer) as communes_reporting,
        cast(news_items as bigint) as news_items,
        cast(news_items as double) / nullif(communes_reporting, 0) as news_per_commune,
        -- without a target nothing is met or missed
        case when target_per_commune is not null then cast(communes_met as integer) end as communes_met,
        case
            when target_per_commune is not null
                then cast(communes_met as double) / nullif(communes_reporting, 0)
        end as share_met,
        cast(target_per_commune as double) as target_per_commune
    from measured

)

select * from final
