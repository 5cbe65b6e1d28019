-- Every additive figure of the ministry report equals the sum of the values its provenance rows
-- contribute, and no non-zero count lacks provenance (activities, cases, Biểu 3 units reporting and with
-- a female key leader, Biểu 4 results and units reporting). A figure of the whole warehouse adds up the
-- contributions of every province.
with

figures as (

    select * from {{ ref('rpt_ministry_annual') }}

),

provenance as (

    select * from {{ ref('rpt_provenance') }}
    where contributed_value is not null

),

scoped_provenance as (

    select
        figure_key,
        contributed_value
    from provenance
    union all
    select
        {{ ministry_figure_key('warehouse_rows') }} as figure_key,
        warehouse_rows.contributed_value
    from (select * replace ({{ warehouse_scope() }} as province_code) from provenance) as warehouse_rows

),

contributions as (

    select
        figure_key,
        sum(contributed_value) as contributed_total
    from scoped_provenance
    group by figure_key

),

mismatches as (

    select
        figures.figure_key,
        figures.value,
        contributions.contributed_total
    from figures
    left join contributions
        on figures.figure_key = contributions.figure_key
    where
        (contributions.figure_key is not null and abs(figures.value - contributions.contributed_total) > 1e-6)
        or (
            contributions.figure_key is null
            and figures.value != 0
            and (
                figures.table_code = 'BIEU_1'
                or (
                    figures.table_code = 'BIEU_2'
                    and figures.column_code not in (
                        'support_rate', 'counselling_rate', 'counselling_coverage', 'support_target',
                        'counselling_target', 'support_final_target', 'counselling_final_target',
                        'support_is_met', 'counselling_is_met'
                    )
                )
                or (
                    figures.table_code = 'BIEU_3'
                    and figures.column_code in (
                        'units_reporting', 'units_with_female_key_leader', 'key_leaders_total',
                        'key_leaders_female', 'department_leaders_total', 'department_leaders_female'
                    )
                )
                or (
                    figures.table_code = 'BIEU_4'
                    and figures.column_code in ('value', 'units_reporting')
                    and figures.row_code != 'TIN_BAI_MOI_QUY_MOI_XA'
                )
            )
        )

)

select * from mismatches
