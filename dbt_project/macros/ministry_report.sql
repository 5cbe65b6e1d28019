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

{#- The pseudo province code of the whole warehouse: the figures of every province's units together
    (what `bdg report` prints; for a one-province warehouse, that province's figures). -#}
{% macro warehouse_scope() -%}
    'TOAN_QUOC'
{%- endmacro %}

{#- Every row of `relation` twice: under its own province_code and under warehouse_scope(), so one
    group-by by province_code gives each province's figures and the whole warehouse's. A `where` may
    follow: it filters both. -#}
{% macro scoped_to_province_and_warehouse(relation) -%}
    select * from (
        select * from {{ relation }}
        union all by name
        select * replace ({{ warehouse_scope() }} as province_code) from {{ relation }}
    )
{%- endmacro %}

{#- A non-negative number as the report prints a target: at most one decimal, rounded half up, a zero
    decimal dropped, Vietnamese separators (2 → '2', 65.5 → '65,5', 1234 → '1.234'), as
    report.formatting.number(value, 1, strip_zeros=True). The decimal cast drops float noise first. -#}
{% macro vi_number_text(value) -%}
    {%- set rounded = 'round(cast(' ~ value ~ ' as decimal(38, 9)), 1)' -%}
    (
        replace(format('{:,}', cast(trunc({{ rounded }}) as bigint)), ',', '.')
        || case
            when {{ rounded }} != trunc({{ rounded }})
                then ',' || cast(cast({{ rounded }} * 10 as bigint) % 10 as varchar)
            else ''
        end
    )
{%- endmacro %}

{#- The level of a share target as printed: '≥ 75%', '≥ 65,5%'; a 100% target reads '100%'; '' when
    there is no target. -#}
{% macro vi_share_level_text(value) -%}
    case
        when {{ value }} is null then ''
        when {{ value }} >= 1 then {{ vi_number_text('cast(' ~ value ~ ' as decimal(38, 9)) * 100') }} || '%'
        else '≥ ' || {{ vi_number_text('cast(' ~ value ~ ' as decimal(38, 9)) * 100') }} || '%'
    end
{%- endmacro %}

{#- Join condition of rpt_report_summary: the figure of rpt_ministry_annual (`figures`) in the cell a
    summary item (`items`, with source_report_type) reads from its column `column_code_column`
    (column_code, added_column_code or target_column_code). -#}
{% macro summary_item_cell(items, figures, column_code_column) -%}
    {{ items }}.province_code = {{ figures }}.province_code
    and {{ items }}.report_year = {{ figures }}.report_year
    and {{ items }}.source_report_type = {{ figures }}.report_type
    and {{ items }}.table_code = {{ figures }}.table_code
    and {{ items }}.row_code = {{ figures }}.row_code
    and {{ items }}.{{ column_code_column }} = {{ figures }}.column_code
{%- endmacro %}

{#- The value of a cell whose column_code is the name of a column of `relation`:
    case <code_column> when 'a' then <relation>.a … end, null for any other code. With `if_null`, a
    null value reads as it (a count nothing was reported for is 0). -#}
{% macro column_named_by_code(code_column, relation, column_names, if_null=none) -%}
    case {{ code_column }}
        {%- for name in column_names %}
            {%- if if_null is none %}
        when '{{ name }}' then {{ relation }}.{{ name }}
            {%- else %}
        when '{{ name }}' then coalesce({{ relation }}.{{ name }}, {{ if_null }})
            {%- endif %}
        {%- endfor %}
    end
{%- endmacro %}
