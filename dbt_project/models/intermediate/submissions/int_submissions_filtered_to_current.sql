-- The files whose content is current: status 'loaded'. The same bytes sent under another name are
-- recorded as 'duplicate' rows with the same file_sha256; keep exactly one row per sha so facts joined
-- on file_sha256 never double count.
with

submissions as (

    select * from {{ ref('stg_raw__submissions') }}
    where status = 'loaded'

),

deduplicated as (

    select
        file_sha256,
        file_name,
        unit_code,
        report_year,
        report_type,
        received_at
    from submissions
    qualify row_number() over (
        partition by file_sha256
        order by received_at, file_name
    ) = 1

)

select * from deduplicated
