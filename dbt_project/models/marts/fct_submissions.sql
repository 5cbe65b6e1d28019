-- Every file received, as recorded at load; the header fields the form states (unit name, report date,
-- form version, preparer) stay in staging. The enforced contract in fct_submissions.yml fixes the
-- columns.
select * exclude (reported_unit_name, report_date, form_version, prepared_by)  -- noqa: AM04
from {{ ref('stg_raw__submissions') }}
