-- The reporting calendar, with the last day a report counts as on time. The enforced contract in
-- dim_periods.yml fixes the columns.
select
    *,  -- noqa: AM04
    cast(due_date + grace_days as date) as deadline_date
from {{ ref('stg_raw__reporting_calendar') }}
