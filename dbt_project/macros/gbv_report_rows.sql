{#- The Biểu 2 rows a gbv_cases row counts in: its case type's row, the grand total, and, for an act of
    violence (`is_violence`, case_types seed), the violence row that carries the rates. One rule for
    Biểu 2 (rpt_ministry_annual) and its provenance (rpt_provenance). Use as
    `cross join unnest({{ gbv_report_rows('gbv_cases.case_type_code', 'case_types.is_violence') }}) as
    report_row (row_code)`. -#}
{% macro gbv_report_rows(case_type_code, is_violence) -%}
    ['case_type.' || {{ case_type_code }}, 'total']
    || case when {{ is_violence }} then ['violence'] else [] end
{%- endmacro %}
