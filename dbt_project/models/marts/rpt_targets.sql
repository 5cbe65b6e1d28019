-- Every target of the plan per province and year: measured value against the target that applies,
-- and a straight-line trajectory from the earliest year on record to the target year.
with

targets as (select * from {{ ref('stg_raw__targets') }}),

target_documents as (

    -- targets.csv names its sources in words ('Nghị quyết số 28/NQ-CP; …'): find the documents cited
    select
        targets.target_code,
        string_agg(
            legal_documents.legal_document_code, ', ' order by legal_documents.legal_document_code
        ) as legal_document_codes
    from targets
    inner join {{ ref('legal_documents') }} as legal_documents
        on contains(targets.legal_source, legal_documents.document_number)
    group by targets.target_code

),

annual_periods as (

    select * from {{ ref('dim_periods') }}
    where report_type = 'NAM'

),

province_spans as (

    select
        province_code,
        min(report_year) as first_year,
        max(report_year) as last_year
    from annual_periods
    group by province_code

),

spine as (

    -- every year from the province's first calendar year to the target year (or the last calendar
    -- year, when later), so the trajectory can be drawn to 2030
    select
        province_spans.province_code,
        targets.target_code,
        cast(unnest(generate_series(
            province_spans.first_year,
            greatest(targets.target_year, province_spans.last_year)
        )) as integer) as report_year
    from province_spans
    cross join targets

),

measured as (

    -- a year is measured once its annual period has started by the as-of date
    select
        spine.province_code,
        spine.target_code,
        spine.report_year,
        measures.numerator,
        measures.denominator,
        measures.measured_value
    from spine
    left join annual_periods
        on
            {{ same_province_year('spine', 'annual_periods') }}
            and annual_periods.period_start <= {{ as_of_date() }}
    left join {{ ref('int_target_measures_aggregated_to_province_years') }} as measures
        on
            {{ same_province_year('annual_periods', 'measures') }}
            and spine.target_code = measures.target_code

),

baselines as (

    -- the earliest year on record: the first year with a measured value
    select
        province_code,
        target_code,
        report_year as baseline_year,
        measured_value as baseline_value
    from measured
    where measured_value is not null
    qualify row_number() over (partition by province_code, target_code order by report_year) = 1

),

evaluated as (

    select
        measured.*,
        targets.target_name_vi,
        targets.unit_group,
        targets.metric,
        targets.legal_source,
        target_documents.legal_document_codes,
        targets.target_value,
        targets.interim_value,
        targets.interim_year,
        targets.target_year,
        {{ target_for_year('targets', 'measured.report_year') }} as applicable_target,
        baselines.baseline_year,
        baselines.baseline_value,
        case
            when baselines.baseline_year is null or measured.report_year < baselines.baseline_year then null
            when measured.report_year >= targets.target_year then targets.target_value
            else
                baselines.baseline_value
                + (targets.target_value - baselines.baseline_value)
                * (measured.report_year - baselines.baseline_year)
                / (targets.target_year - baselines.baseline_year)
        end as trajectory_value
    from measured
    inner join targets
        on measured.target_code = targets.target_code
    left join baselines
        on
            measured.province_code = baselines.province_code
            and measured.target_code = baselines.target_code
    left join target_documents
        on measured.target_code = target_documents.target_code

),

final as (

    select
        province_code,
        target_code,
        report_year,
        target_name_vi,
        unit_group,
        metric,
        legal_source,
        legal_document_codes,
        numerator,
        denominator,
        measured_value as value,  -- noqa: RF04
        -- the target of the year; the final one and the interim milestone follow
        cast(applicable_target as double) as target_value,
        cast(target_value as double) as final_target_value,
        cast(interim_value as double) as interim_value,
        cast(interim_year as integer) as interim_year,
        cast(target_year as integer) as target_year,
        -- every target is a floor
        measured_value >= applicable_target as is_met,
        cast(baseline_year as integer) as baseline_year,
        baseline_value,
        cast(trajectory_value as double) as trajectory_value,
        measured_value >= trajectory_value as is_on_track,
        {{ as_of_date() }} as as_of_date
    from evaluated

)

select * from final
