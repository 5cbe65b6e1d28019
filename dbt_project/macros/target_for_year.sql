{#- The value of a target (a relation with target_value, interim_value, interim_year) that applies in
    a year: the interim milestone up to its interim year (the 2025 values of NQ 28/NQ-CP), the final
    target after it. -#}
{% macro target_for_year(target_relation, year_column) -%}
    case
        when {{ target_relation }}.interim_value is not null and {{ year_column }} <= {{ target_relation }}.interim_year
            then {{ target_relation }}.interim_value
        else {{ target_relation }}.target_value
    end
{%- endmacro %}

{#- The value of the target `target_code` that applies in a year, as a scalar subquery on
    `targets_relation` (the model's CTE on stg_raw__targets): null when there is no such target. -#}
{% macro target_value_in_year(target_code, year_column, targets_relation='targets') -%}
    (
        select {{ target_for_year('applying_target', year_column) }}
        from {{ targets_relation }} as applying_target
        where applying_target.target_code = '{{ target_code }}'
    )
{%- endmacro %}

{#- The value each year is judged against (rpt_targets.year_target: the Strategy's path in the year,
    else the target that applies in it), with the target of the year, the final target and its year,
    per province and for the whole warehouse ({{ warehouse_scope() }}): the whole warehouse takes its
    province's when it holds one province; with several (a path is drawn per province), the target
    that applies in the year. A relation: `from ({{ year_targets() }}) as year_targets`. -#}
{% macro year_targets() -%}
    select
        province_code,
        target_code,
        report_year,
        target_value,
        final_target_value,
        target_year,
        year_target
    from {{ ref('rpt_targets') }}
    union all
    select
        {{ warehouse_scope() }} as province_code,
        target_code,
        report_year,
        any_value(target_value) as target_value,
        any_value(final_target_value) as final_target_value,
        any_value(target_year) as target_year,
        case
            when count(distinct province_code) = 1 then any_value(year_target) else any_value(target_value)
        end as year_target
    from {{ ref('rpt_targets') }}
    group by target_code, report_year
{%- endmacro %}
