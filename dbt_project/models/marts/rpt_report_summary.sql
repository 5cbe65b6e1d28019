-- The summary sheet (Tổng hợp) of the report to Bộ Nội vụ: each item is a cell of rpt_ministry_annual
-- (ministry_report_summary_items says which), with the same period of the previous year and the change
-- (the cell's own, rpt_ministry_annual compares every cell), and the target it is assessed against.
with

ministry_figures as (select * from {{ ref('rpt_ministry_annual') }}),

periods as (

    select distinct
        province_code,
        report_year,
        report_type,
        has_previous_period
    from ministry_figures

),

period_items as (

    -- Biểu 3 is the year's annual table, also in the 6-month report (as the report prints Biểu 3)
    select
        periods.*,
        summary_items.*,
        case
            when summary_items.table_code = 'BIEU_3' then 'NAM'
            else periods.report_type
        end as source_report_type
    from periods
    cross join {{ ref('ministry_report_summary_items') }} as summary_items

),

item_values as (

    select
        period_items.province_code,
        period_items.report_year,
        period_items.report_type,
        period_items.item_code,
        period_items.sort_order,
        period_items.section_code,
        period_items.section_label_vi,
        period_items.item_label_vi,
        period_items.value_format,
        case
            when period_items.added_column_code is null then value_cells.value
            else value_cells.value + added_cells.value
        end as item_value,
        -- the summary's period is compared when it had an accepted report the year before (a Biểu 3
        -- item reads the annual cell, compared with the previous annual period)
        case
            when not period_items.has_previous_period then null
            when period_items.added_column_code is null then value_cells.previous_value
            else value_cells.previous_value + added_cells.previous_value
        end as previous_value,
        case
            when not period_items.has_previous_period then null
            when period_items.added_column_code is null then value_cells.change
            else value_cells.change + added_cells.change
        end as item_change,
        target_cells.value as target_value
    from period_items
    left join ministry_figures as value_cells
        on
            {{ summary_item_cell('period_items', 'value_cells', 'column_code') }}
    left join ministry_figures as added_cells
        on
            {{ summary_item_cell('period_items', 'added_cells', 'added_column_code') }}
    left join ministry_figures as target_cells
        on
            {{ summary_item_cell('period_items', 'target_cells', 'target_column_code') }}

),

final as (

    select
        item_values.province_code,
        cast(item_values.report_year as integer) as report_year,
        item_values.report_type,
        item_values.item_code,
        cast(item_values.sort_order as integer) as item_order,
        item_values.section_code,
        item_values.section_label_vi,
        item_values.item_label_vi,
        item_values.value_format,
        cast(item_values.item_value as double) as value,  -- noqa: RF04
        cast(item_values.previous_value as double) as previous_value,
        cast(item_values.item_change as double) as change,  -- noqa: RF04
        cast(item_values.target_value as double) as target_value,
        -- every target is a floor
        item_values.item_value >= item_values.target_value as is_met,
        {{ as_of_date() }} as as_of_date
    from item_values

)

select * from final
