-- Biểu 4 (second table): news items (Tin, bài) of the reporting communes per quarter of the period,
-- against the target of ≥ 4 per commune per quarter; per province and for the whole warehouse.
with

province_periods as (select * from {{ ref('dim_periods') }}),

targets as (

    select * from {{ ref('stg_raw__targets') }}
    where target_code = 'NEWS_ITEMS_PER_QUARTER_COMMUNE'

),

commune_quarters as (select * from {{ ref('int_news_items_aggregated_to_commune_quarters') }}),

quarters as (

    -- every quarter, also those no commune reported in
    {{ period_quarters('province_periods') }}

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
            {{ same_province_period('targeted_quarters', 'commune_quarters') }}
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
