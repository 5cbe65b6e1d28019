{#- Use custom schemas as-is (staging, intermediate, marts, reference) instead of dbt's
    default "<target schema>_<custom schema>": the schema names are part of the warehouse contract. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
