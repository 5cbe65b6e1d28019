-- Current content only: rows of the file that is currently loaded for its unit and period.
{{ current_content('stg_raw__activities', [
    'activity_type_code',
    'programme_code',
    'activity_name',
    'activity_date',
    'delivery_mode_code',
    'quantity',
    'participants_total',
    'participants_female',
    'participants_male',
    'participants_ethnic_minority',
    'budget_vnd',
]) }}
