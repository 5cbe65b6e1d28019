with

source as (select * from {{ source('raw', 'activities') }}),

renamed as (

    select
        file_sha256,
        source_row,
        item_no,
        activity_type_code,
        programme_code,
        activity_name,
        activity_date,
        delivery_mode_code,
        quantity,
        participants_total,
        participants_female,
        participants_male,
        participants_ethnic_minority,
        budget_vnd
    from source

)

select * from renamed
