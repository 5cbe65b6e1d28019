{#- Whether a unit (a relation with valid_from, valid_to) is active on a date: a unit is expected to
    report for a period when it is active at the period's end (a commune merged before then is not). -#}
{% macro unit_active_on(units, date_expression) -%}
    {{ units }}.valid_from <= {{ date_expression }}
    and ({{ units }}.valid_to is null or {{ units }}.valid_to >= {{ date_expression }})
{%- endmacro %}
