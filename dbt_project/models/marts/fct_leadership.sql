-- Current content only: rows of the file that is currently loaded for its unit and period.
{{ current_content('stg_raw__leadership', [
    'position_group_code',
    'leaders_total',
    'leaders_female',
    'leaders_female_ethnic_minority',
    'pool_total',
    'pool_female',
    'pool_female_trained',
]) }}
