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
