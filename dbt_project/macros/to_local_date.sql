{#- Calendar date of a timestamptz in Asia/Ho_Chi_Minh: all reporting dates are judged locally,
    so a file received at 00:20 (+07:00) on 1 December counts as received on 1 December. -#}
{% macro to_local_date(column_name) -%}
    cast(({{ column_name }} at time zone 'Asia/Ho_Chi_Minh') as date)
{%- endmacro %}
