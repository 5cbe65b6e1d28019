{#- Helpers of rpt_ministry_annual and rpt_provenance. -#}

{#- The key of one figure of the ministry report, shared by rpt_ministry_annual and rpt_provenance:
    'province|year|type|table|row|column', e.g. '24|2026|NAM|BIEU_1|programme.CHIEN_LUOC|activities'. -#}
{% macro ministry_figure_key(relation) -%}
    concat_ws(
        '|',
        {{ relation }}.province_code,
        cast({{ relation }}.report_year as varchar),
        {{ relation }}.report_type,
        {{ relation }}.table_code,
        {{ relation }}.row_code,
        {{ relation }}.column_code
    )
{%- endmacro %}

{#- The cell frame columns of rpt_ministry_annual's `cells` CTE, taken from a CTE built on it. -#}
{% macro ministry_cell_columns(relation) -%}
    {%- set names = [
        'province_code', 'report_year', 'report_type', 'table_code', 'row_code', 'row_label_vi',
        'row_order', 'row_unit_of_measure', 'column_code', 'column_label_vi', 'column_unit_of_measure',
        'column_order'
    ] -%}
    {%- for name in names %}
        {{ relation }}.{{ name }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
