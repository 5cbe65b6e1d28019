-- DHIS2 reporting rates per province (and for the whole warehouse), unit kind and period, judged at
-- the as-of date.
with

reporting_status as (

    -- each unit counts in its province and in the whole warehouse ({{ warehouse_scope() }})
    {{ scoped_to_province_and_warehouse(ref('rpt_reporting_status')) }}

),

unit_kinds as (select * from {{ ref('unit_kinds') }}),

counted as (

    select
        province_code,
        unit_kind,
        report_year,
        report_type,
        as_of_date,
        count(*) as units_expected,
        count(*) filter (where status in ('on_time', 'late')) as units_received,
        count(*) filter (where status = 'on_time') as units_on_time,
        count(*) filter (where status = 'late') as units_late,
        count(*) filter (where status = 'rejected') as units_rejected,
        count(*) filter (where status = 'missing') as units_missing,
        count(*) filter (where status = 'pending') as units_pending,
        sum(resubmission_count) as resubmissions
    from reporting_status
    group by province_code, unit_kind, report_year, report_type, as_of_date

),

final as (

    select
        counted.province_code,
        counted.unit_kind,
        unit_kinds.unit_kind_name_vi,
        counted.report_year,
        counted.report_type,
        cast(counted.units_expected as integer) as units_expected,
        cast(counted.units_received as integer) as units_received,
        cast(counted.units_on_time as integer) as units_on_time,
        cast(counted.units_late as integer) as units_late,
        cast(counted.units_rejected as integer) as units_rejected,
        cast(counted.units_missing as integer) as units_missing,
        cast(counted.units_pending as integer) as units_pending,
        cast(counted.resubmissions as integer) as resubmissions,
        -- over all expected units, pending ones included (DHIS2: expected reports of the period)
        cast(counted.units_received as double) / counted.units_expected as reporting_rate,
        cast(counted.units_on_time as double) / counted.units_expected as on_time_rate,
        counted.as_of_date
    from counted
    left join unit_kinds
        on counted.unit_kind = unit_kinds.unit_kind_code

)

select * from final
