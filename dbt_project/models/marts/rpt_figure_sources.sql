-- Each additive figure of rpt_ministry_annual with the files it is made of: the rows of rpt_provenance
-- added up per file, for each province and for the whole warehouse (the workbook's Nguồn số liệu sheet).
with

provenance as (

    -- rates, shares and the other non-additive figures carry no contribution
    select * from {{ ref('rpt_provenance') }}
    where contributed_value is not null

),

figures as (select * from {{ ref('rpt_ministry_annual') }}),

current_submissions as (select * from {{ ref('int_submissions_filtered_to_current') }}),

units as (select * from {{ ref('dim_units') }}),

scoped_provenance as (

    {{ scoped_to_province_and_warehouse('provenance') }}

),

contributions_by_file as (

    select
        {{ ministry_figure_key('scoped_provenance') }} as figure_key,
        scoped_provenance.province_code,
        scoped_provenance.report_year,
        scoped_provenance.report_type,
        scoped_provenance.table_code,
        scoped_provenance.row_code,
        scoped_provenance.column_code,
        scoped_provenance.file_sha256,
        scoped_provenance.unit_code,
        scoped_provenance.sheet_name,
        any_value(scoped_provenance.file_name) as file_name,
        sum(scoped_provenance.contributed_value) as contributed_value,
        array_to_string(list_sort(list(distinct scoped_provenance.source_row)), ', ') as source_rows
    from scoped_provenance
    -- figure_key is made of the grouped columns
    group by all

),

final as (

    select
        contributions_by_file.figure_key,
        contributions_by_file.province_code,
        contributions_by_file.report_year,
        contributions_by_file.report_type,
        contributions_by_file.table_code,
        contributions_by_file.row_code,
        contributions_by_file.column_code,
        figures.row_order,
        figures.column_order,
        contributions_by_file.file_sha256,
        contributions_by_file.file_name,
        current_submissions.received_at,
        contributions_by_file.unit_code,
        units.unit_name,
        contributions_by_file.sheet_name,
        contributions_by_file.source_rows,
        cast(contributions_by_file.contributed_value as bigint) as contribution
    from contributions_by_file
    inner join figures
        on contributions_by_file.figure_key = figures.figure_key
    left join current_submissions
        on contributions_by_file.file_sha256 = current_submissions.file_sha256
    left join units
        on contributions_by_file.unit_code = units.unit_code
    where contributions_by_file.contributed_value != 0

)

select * from final
