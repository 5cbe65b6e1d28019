-- Rejected files that name no registered unit, each tied to the unit it most likely came from.
with

rejected_submissions as (

    select * from {{ ref('stg_raw__submissions') }}
    where status = 'rejected'

),

units as (select * from {{ ref('stg_raw__units') }}),

unit_kinds as (select * from {{ ref('unit_kinds') }}),

unattributed_files as (

    -- the file names no code (unreadable) or a code the registry does not hold
    select
        rejected_submissions.file_sha256,
        rejected_submissions.file_name,
        rejected_submissions.unit_code as reported_unit_code,
        rejected_submissions.reported_unit_name,
        regexp_replace(rejected_submissions.file_name, '\.[[:alnum:]]+$', '') as file_stem
    from rejected_submissions
    left join units
        on rejected_submissions.unit_code = units.unit_code
    where units.unit_code is null

),

texts as (

    -- every text a match reads: file names, reported unit names, unit names and kind words
    select file_stem as original_text from unattributed_files
    union
    select reported_unit_name as original_text from unattributed_files
    union
    select unit_name as original_text from units
    union
    select unit_kind_name_vi as original_text from unit_kinds

),

texts_folded as (

    -- 'Báo cáo BĐG_xaQuếLâm' → 'bao cao bdg xa que lam': đ → d, no accents, camelCase split, lower
    -- case, any run of other characters → one space
    select
        original_text,
        trim(regexp_replace(
            lower(regexp_replace(
                strip_accents(replace(replace(original_text, 'Đ', 'D'), 'đ', 'd')),
                '([a-z])([A-Z])', '\1 \2', 'g'
            )),
            '[^a-z0-9]+', ' ', 'g'
        )) as folded_text
    from texts
    where original_text is not null

),

units_named as (

    -- a unit's distinctive name: its folded name without 'ubnd' and, for a commune, its kind word
    -- ('UBND xã Xuân Thịnh' → 'xuan thinh', kind word 'xa'); a name of one word is too common to match
    select
        units.unit_code,
        kind_folded.folded_text as kind_word,
        regexp_replace(
            regexp_replace(name_folded.folded_text, '^ubnd ', ''),
            '^' || coalesce(kind_folded.folded_text || ' ', ''),
            ''
        ) as distinctive_name
    from units
    inner join texts_folded as name_folded
        on units.unit_name = name_folded.original_text
    left join unit_kinds
        on units.unit_kind = unit_kinds.unit_kind_code and unit_kinds.is_commune
    left join texts_folded as kind_folded
        on unit_kinds.unit_kind_name_vi = kind_folded.original_text

),

files_folded as (

    -- padded with spaces, so a name is looked for as whole words
    select
        unattributed_files.file_sha256,
        unattributed_files.file_name,
        ' ' || stem_folded.folded_text || ' ' as file_words,
        ' ' || coalesce(reported_folded.folded_text, '') || ' ' as reported_name_words
    from unattributed_files
    left join texts_folded as stem_folded
        on unattributed_files.file_stem = stem_folded.original_text
    left join texts_folded as reported_folded
        on unattributed_files.reported_unit_name = reported_folded.original_text

),

reported_code_candidates as (

    -- the code the file reports, read without punctuation or case: '24XA023' is '24-XA023'
    select
        unattributed_files.file_sha256,
        unattributed_files.file_name,
        units.unit_code,
        'reported_code' as match_method,
        1 as method_rank,
        0 as name_length,
        false as has_kind_word
    from unattributed_files
    inner join units
        on
            regexp_replace(upper(unattributed_files.reported_unit_code), '[^A-Z0-9]', '', 'g')
            = regexp_replace(upper(units.unit_code), '[^A-Z0-9]', '', 'g')

),

file_name_code_candidates as (

    -- a unit code written in the file name ('BDG-1_24-XA017_2026.xlsx', also '24XA017', '24_XA017')
    select
        unattributed_files.file_sha256,
        unattributed_files.file_name,
        units.unit_code,
        'file_name_code' as match_method,
        2 as method_rank,
        0 as name_length,
        false as has_kind_word
    from unattributed_files
    inner join units
        on regexp_matches(
            upper(unattributed_files.file_stem),
            '(^|[^A-Z0-9])'
            || regexp_replace(upper(units.unit_code), '[^A-Z0-9]+', '[^A-Z0-9]?', 'g')
            || '([^A-Z0-9]|$)'
        )

),

name_candidates as (

    -- the unit's distinctive name, as whole words, in the file name or the unit name the file reports
    select
        files_folded.file_sha256,
        files_folded.file_name,
        units_named.unit_code,
        'unit_name' as match_method,
        3 as method_rank,
        length(units_named.distinctive_name) as name_length,
        coalesce(
            contains(
                files_folded.file_words || files_folded.reported_name_words,
                ' ' || units_named.kind_word || ' ' || units_named.distinctive_name || ' '
            ),
            false
        ) as has_kind_word
    from files_folded
    inner join units_named
        on
            contains(files_folded.file_words, ' ' || units_named.distinctive_name || ' ')
            or contains(files_folded.reported_name_words, ' ' || units_named.distinctive_name || ' ')
    where len(string_split(units_named.distinctive_name, ' ')) >= 2

),

candidates as (

    select * from reported_code_candidates
    union all
    select * from file_name_code_candidates
    union all
    select * from name_candidates

),

best_candidates as (

    -- a code before a name; among names the longest, then the one written with its kind word
    -- ('xã Văn Nguyên' before 'phường Vân Nguyên')
    select
        file_sha256,
        file_name,
        unit_code,
        match_method
    from candidates
    qualify rank() over (
        partition by file_sha256, file_name
        order by method_rank asc, name_length desc, has_kind_word desc
    ) = 1

),

matches as (

    -- a tie between units is no match
    select
        file_sha256,
        file_name,
        min(unit_code) as unit_code,
        min(match_method) as match_method
    from best_candidates
    group by file_sha256, file_name
    having count(distinct unit_code) = 1

),

final as (

    select
        unattributed_files.file_sha256,
        unattributed_files.file_name,
        unattributed_files.reported_unit_code,
        unattributed_files.reported_unit_name,
        matches.unit_code as likely_unit_code,
        units.unit_name as likely_unit_name,
        units.province_code as likely_province_code,
        matches.match_method as likely_match_method
    from unattributed_files
    left join matches
        on
            unattributed_files.file_sha256 = matches.file_sha256
            and unattributed_files.file_name = matches.file_name
    left join units
        on matches.unit_code = units.unit_code

)

select * from final
