{#- The date at which reporting status is judged, as a SQL date expression.
    var as_of_date ('YYYY-MM-DD') when given, else today in Asia/Ho_Chi_Minh, so re-running a past
    as-of date reproduces the past. -#}
{% macro as_of_date() -%}
    {%- set value = var('as_of_date', none) -%}
    {%- if value is none or value | string | trim == '' -%}
        cast((current_timestamp at time zone 'Asia/Ho_Chi_Minh') as date)
    {%- else -%}
        {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value | string | trim) -%}
            {{ exceptions.raise_compiler_error("var as_of_date must be 'YYYY-MM-DD', got '" ~ value ~ "'") }}
        {%- endif -%}
        cast('{{ value | string | trim }}' as date)
    {%- endif -%}
{%- endmacro %}
