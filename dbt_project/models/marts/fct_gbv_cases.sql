-- Current content only: rows of the file that is currently loaded for its unit and period.
{{ current_content('stg_raw__gbv_cases', [
    'case_type_code',
    'cases_detected',
    'cases_handled',
    'victims_female',
    'victims_male',
    'victims_children',
    'victims_supported',
    'perpetrators_counselled',
    'perpetrators_detected',
]) }}
