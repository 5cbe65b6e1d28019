{% macro period_quarters(province_periods) -%}
{#- The quarters of every reporting period, per province and for the whole warehouse
    ({{ warehouse_scope() }}, whose period runs from its provinces' earliest start to their latest
    end). Quarters are counted from the period's start (15/11), not the calendar: quarter I is
    15/11–14/02, so the 6-month report covers quarters I and II exactly; a day past the 28th is taken
    as the 28th, so every quarter starts on a real day. One row per scope × period × quarter:
    province_code, report_year, report_type, quarter_number (1–4), quarter_code (I–IV),
    quarter_start, quarter_end. -#}
select
    quarter_starts.province_code,
    quarter_starts.report_year,
    quarter_starts.report_type,
    quarter_starts.quarter_number,
    quarter_starts.quarter_code,
    quarter_starts.quarter_start,
    least(
        cast(quarter_starts.next_quarter_start - interval 1 day as date), quarter_starts.period_end
    ) as quarter_end
from (
    select
        scoped_periods.province_code,
        scoped_periods.report_year,
        scoped_periods.report_type,
        scoped_periods.period_end,
        quarter_numbers.quarter_number,
        quarter_numbers.quarter_code,
        make_date(
            year(date_trunc('month', scoped_periods.period_start) + to_months(3 * (quarter_numbers.quarter_number - 1))),
            month(date_trunc('month', scoped_periods.period_start) + to_months(3 * (quarter_numbers.quarter_number - 1))),
            least(day(scoped_periods.period_start), 28)
        ) as quarter_start,
        make_date(
            year(date_trunc('month', scoped_periods.period_start) + to_months(3 * quarter_numbers.quarter_number)),
            month(date_trunc('month', scoped_periods.period_start) + to_months(3 * quarter_numbers.quarter_number)),
            least(day(scoped_periods.period_start), 28)
        ) as next_quarter_start
    from (
        select province_code, report_year, report_type, period_start, period_end
        from {{ province_periods }}
        union all
        select
            {{ warehouse_scope() }} as province_code,
            report_year,
            report_type,
            min(period_start) as period_start,
            max(period_end) as period_end
        from {{ province_periods }}
        group by report_year, report_type
    ) as scoped_periods
    cross join (values (1, 'I'), (2, 'II'), (3, 'III'), (4, 'IV')) as quarter_numbers (quarter_number, quarter_code)
) as quarter_starts
where quarter_starts.quarter_start <= quarter_starts.period_end
{%- endmacro %}
