-- Every target of the plan per province and year: the value measured from the annual reports (or, for
-- the Strategy's indicators the form does not collect, entered in the yearly reference file) against
-- the target that applies, the Strategy's path to the target (its trajectory) in that year, and the
-- year's yardstick every report judges the year by (year_target, is_year_target_met).
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

reference_values as (

    -- the yearly file gives shares in % (32.5): the targets hold them as fractions
    select
        strategy_values.province_code,
        strategy_values.report_year,
        strategy_values.target_code,
        strategy_values.file_name,
        strategy_values.data_provider,
        strategy_values.note,
        case
            when targets.unit_vi = '%' then strategy_values.value_as_entered / 100
            else strategy_values.value_as_entered
        end as measured_value
    from {{ ref('stg_raw__strategy_values') }} as strategy_values
    inner join targets
        on
            strategy_values.target_code = targets.target_code
            and targets.value_source = 'reference_file'

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

    -- a year is measured once its annual period has started by the as-of date: from the form's
    -- measures, or from the yearly reference file for the targets taken from it
    select
        spine.province_code,
        spine.target_code,
        spine.report_year,
        measures.numerator,
        measures.denominator,
        reference_values.file_name as data_file_name,
        reference_values.data_provider,
        reference_values.note as data_note,
        case
            when targets.value_source = 'reference_file' then reference_values.measured_value
            else measures.measured_value
        end as measured_value
    from spine
    inner join targets
        on spine.target_code = targets.target_code
    left join annual_periods
        on
            {{ same_province_year('spine', 'annual_periods') }}
            and annual_periods.period_start <= {{ as_of_date() }}
    left join {{ ref('int_target_measures_aggregated_to_province_years') }} as measures
        on
            {{ same_province_year('annual_periods', 'measures') }}
            and spine.target_code = measures.target_code
    left join reference_values
        on
            {{ same_province_year('annual_periods', 'reference_values') }}
            and spine.target_code = reference_values.target_code

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
        targets.objective_code,
        targets.strategy_indicator,
        targets.direction,
        targets.value_source,
        targets.unit_vi,
        targets.sort_order,
        target_documents.legal_document_codes,
        targets.target_value,
        targets.interim_value,
        targets.interim_year,
        targets.target_year,
        {{ target_for_year('targets', 'measured.report_year') }} as applicable_target,
        baselines.baseline_year,
        baselines.baseline_value,
        -- The Strategy's path: (baseline) → (interim_year, interim_value) → (target_year, target_value),
        -- straight between milestones. From the interim milestone on it needs no measured value; before
        -- it (or without one) it starts from the earliest year on record.
        case
            when measured.report_year >= targets.target_year then targets.target_value
            when targets.interim_value is not null and measured.report_year >= targets.interim_year
                then
                    targets.interim_value
                    + (targets.target_value - targets.interim_value)
                    * (measured.report_year - targets.interim_year)
                    / (targets.target_year - targets.interim_year)
            when baselines.baseline_year is null or measured.report_year < baselines.baseline_year then null
            when targets.interim_value is not null
                then
                    baselines.baseline_value
                    + (targets.interim_value - baselines.baseline_value)
                    * (measured.report_year - baselines.baseline_year)
                    / (targets.interim_year - baselines.baseline_year)
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

yardsticks as (

    -- What the year is judged against: the path, except in the baseline year before any milestone, where
    -- a path drawn from the year's own value is no yardstick: there the target that applies in the year
    select
        *,
        coalesce(
            case
                when
                    report_year > baseline_year
                    or report_year >= target_year
                    or (interim_value is not null and report_year >= interim_year)
                    then trajectory_value
            end,
            applicable_target
        ) as year_target
    from evaluated

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
        objective_code,
        strategy_indicator,
        direction,
        value_source,
        unit_vi,
        cast(sort_order as integer) as target_order,
        numerator,
        denominator,
        measured_value as value,  -- noqa: RF04
        data_file_name,
        data_provider,
        data_note,
        -- the target of the year; the final one and the interim milestone follow
        cast(applicable_target as double) as target_value,
        cast(target_value as double) as final_target_value,
        cast(interim_value as double) as interim_value,
        cast(interim_year as integer) as interim_year,
        cast(target_year as integer) as target_year,
        -- a floor is met at or above the target, a ceiling (sex ratio at birth, …) at or below it
        case
            when direction = 'ceiling' then measured_value <= applicable_target
            else measured_value >= applicable_target
        end as is_met,
        cast(baseline_year as integer) as baseline_year,
        baseline_value,
        -- rounded: the line's arithmetic leaves float noise (0.6375000000000001)
        cast(round(trajectory_value, 9) as double) as trajectory_value,
        case
            when direction = 'ceiling' then measured_value <= trajectory_value
            else measured_value >= trajectory_value
        end as is_on_track,
        cast(round(year_target, 9) as double) as year_target,
        case
            when direction = 'ceiling' then measured_value <= year_target
            else measured_value >= year_target
        end as is_year_target_met,
        {{ as_of_date() }} as as_of_date
    from yardsticks

)

select * from final
