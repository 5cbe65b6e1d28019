with

source as (select * from {{ source('raw', 'ref_targets') }}),

renamed as (

    select
        target_code,
        target_name_vi,
        unit_group,
        metric,
        target_value,
        interim_value,
        interim_year,
        target_year,
        legal_source,
        objective_code,
        strategy_indicator,
        -- a targets.csv written before these columns: every target a floor measured from the form
        coalesce(direction, 'floor') as direction,
        coalesce(value_source, 'form') as value_source,
        unit_vi,
        -- the order of targets.csv: the order the report prints the targets in
        cast(row_number() over (order by file_line, target_code) as integer) as sort_order
    from source

)

select * from renamed
