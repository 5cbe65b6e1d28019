{#- Join conditions for "the same period": the rows of two relations that belong to the same province
    (or the same unit) and the same reporting period (report_year, report_type). -#}

{% macro same_province_period(left, right) -%}
    {{ left }}.province_code = {{ right }}.province_code
    and {{ left }}.report_year = {{ right }}.report_year
    and {{ left }}.report_type = {{ right }}.report_type
{%- endmacro %}

{% macro same_unit_period(left, right) -%}
    {{ left }}.unit_code = {{ right }}.unit_code
    and {{ left }}.report_year = {{ right }}.report_year
    and {{ left }}.report_type = {{ right }}.report_type
{%- endmacro %}

{#- The same province and year (the annual figures of rpt_targets and its intermediate model). -#}
{% macro same_province_year(left, right) -%}
    {{ left }}.province_code = {{ right }}.province_code
    and {{ left }}.report_year = {{ right }}.report_year
{%- endmacro %}

{#- The same task of a province's plan of a year. -#}
{% macro same_plan_task(left, right) -%}
    {{ left }}.province_code = {{ right }}.province_code
    and {{ left }}.plan_year = {{ right }}.plan_year
    and {{ left }}.task_code = {{ right }}.task_code
{%- endmacro %}
