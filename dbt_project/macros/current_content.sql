{% macro current_content(staging_model, columns) -%}
{#- A fact holds the current content only: the rows of the file currently loaded for its unit and
    period (int_submissions_filtered_to_current), under that file's unit and period, with their lineage
    (file_sha256, source_row). One rule for every fact model: rows of superseded, duplicate or
    rejected files never appear. -#}
with

source_rows as (

    select * from {{ ref(staging_model) }}

),

current_submissions as (

    select * from {{ ref('int_submissions_filtered_to_current') }}

),

final as (

    select
        current_submissions.unit_code,
        current_submissions.report_year,
        current_submissions.report_type,
        {%- for column in columns %}
        source_rows.{{ column }},
        {%- endfor %}
        source_rows.file_sha256,
        source_rows.source_row
    from source_rows
    inner join current_submissions
        on source_rows.file_sha256 = current_submissions.file_sha256

)

select * from final
{%- endmacro %}
