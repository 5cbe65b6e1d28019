-- Current content only: rows of the file that is currently loaded for its unit and period.
{{ current_content('stg_raw__indicators', [
    'indicator_code',
    'value_text',
    'value_number',
    'value_date',
]) }}
