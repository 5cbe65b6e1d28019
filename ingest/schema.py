"""DDL of the `raw` schema: the contract between the loader and dbt's sources.

Raw tables keep every accepted file's rows (lineage: file_sha256 + source_row); which file's content is
current is decided by `raw.submissions.status` and applied in dbt staging, so history is never lost.
"""

import re

RAW_DDL = """
create schema if not exists raw;

create table if not exists raw.submissions (
    file_sha256     varchar not null,
    file_name       varchar not null,
    received_at     timestamptz not null,
    unit_code       varchar,
    unit_name       varchar,
    report_type     varchar,
    report_year     integer,
    report_date     date,
    form_version    varchar,
    prepared_by     varchar,
    status          varchar not null,
    error_count     integer not null,
    loaded_at       timestamptz not null,
    primary key (file_sha256, file_name)
);

create table if not exists raw.ingest_errors (
    file_sha256     varchar not null,
    file_name       varchar not null,
    sheet           varchar,
    cell            varchar,
    code            varchar not null,
    message_vi      varchar not null
);

create table if not exists raw.activities (
    file_sha256                     varchar not null,
    source_row                      integer not null,
    item_no                         varchar,
    activity_type_code              varchar not null,
    programme_code                  varchar not null,
    activity_name                   varchar,
    activity_date                   date,
    delivery_mode_code              varchar,
    quantity                        integer not null,
    participants_total              integer,
    participants_female             integer,
    participants_male               integer,
    participants_ethnic_minority    integer,
    budget_vnd                      bigint
);

create table if not exists raw.gbv_cases (
    file_sha256                 varchar not null,
    source_row                  integer not null,
    case_type_code              varchar not null,
    cases_detected              integer,
    cases_handled               integer,
    victims_female              integer,
    victims_male                integer,
    victims_children            integer,
    victims_supported           integer,
    perpetrators_counselled     integer,
    note                        varchar,
    perpetrators_detected       integer             -- optional on the form (None: the file lacks the column)
);
-- warehouses created before perpetrators_detected existed
alter table raw.gbv_cases add column if not exists perpetrators_detected integer;

create table if not exists raw.leadership (
    file_sha256                         varchar not null,
    source_row                          integer not null,
    position_group_code                 varchar not null,
    leaders_total                       integer,
    leaders_female                      integer,
    leaders_female_ethnic_minority      integer,
    pool_total                          integer,
    pool_female                         integer,
    pool_female_trained                 integer
);

create table if not exists raw.indicators (
    file_sha256     varchar not null,
    source_row      integer not null,
    indicator_code  varchar not null,
    value_text      varchar,
    value_number    double,
    value_date      date
);

create table if not exists raw.task_status (
    file_sha256     varchar not null,
    source_row      integer not null,
    task_code       varchar not null,
    status_code     varchar,
    result_text     varchar
);

-- Totals rows typed by the unit ("Tổng cộng"): not data, kept so the expectations can compare them.
create table if not exists raw.reported_totals (
    file_sha256     varchar not null,
    sheet           varchar not null,
    source_row      integer not null,
    column_name     varchar not null,
    reported_value  double
);

-- The province plan's task appendix (`bdg plan import`), replaced per province and plan year.
create table if not exists raw.plan_tasks (
    province_code       varchar not null,
    plan_year           integer not null,
    task_code           varchar not null,
    section_code        varchar not null,
    section_title       varchar,
    group_title         varchar,
    task_text           varchar not null,
    lead_text           varchar,
    partner_text        varchar,
    timeline_text       varchar,
    due_date            date,
    source_file         varchar not null,
    source_row          integer not null,
    imported_at         timestamptz not null,
    primary key (province_code, plan_year, task_code)
);

create table if not exists raw.plan_task_agencies (
    province_code   varchar not null,
    plan_year       integer not null,
    task_code       varchar not null,
    role            varchar not null,   -- lead | partner
    agency_text     varchar not null,   -- as written in the plan
    unit_group      varchar,            -- SO_NGANH, COMMUNE, TW, DOAN_THE, UNIT (one named unit) or null
    unit_code       varchar             -- the named unit, when resolved
);

create table if not exists raw.plan_task_targets (
    province_code   varchar not null,
    plan_year       integer not null,
    task_code       varchar not null,
    target_value    double not null,
    target_unit     varchar not null,   -- what is counted: "cuộc", "tin, bài", "nơi tạm lánh"
    target_period   varchar not null,   -- per year, quarter or month
    target_text     varchar not null
);

-- Reference data of the deployment (from --reference DIR), replaced on every load.
create table if not exists raw.ref_units (
    unit_code               varchar primary key,
    unit_name               varchar not null,
    unit_kind               varchar not null,
    province_code           varchar not null,
    is_state_agency         boolean not null,
    is_ethnic_minority_area boolean not null,
    valid_from              date not null,
    valid_to                date,
    successor_code          varchar
);

create table if not exists raw.ref_reporting_calendar (
    province_code   varchar not null,
    report_year     integer not null,
    report_type     varchar not null,
    period_start    date not null,
    period_end      date not null,
    due_date        date not null,
    grace_days      integer not null,
    primary key (province_code, report_year, report_type)
);

-- Each inbox file's hash as last computed, with the size and modification time it had then: a re-run
-- hashes again only the files whose size or time changed (as rsync's and git's quick checks do).
create table if not exists raw.inbox_files (
    file_path       varchar primary key,   -- absolute
    file_size       bigint not null,
    modified_ns     bigint not null,
    file_sha256     varchar not null
);

-- Files the system failed on (the database refused them, the parser raised): not recorded as received,
-- so the next run reads them again; kept here for engineers. No value of the file is stored.
create table if not exists raw.ingest_failures (
    file_sha256     varchar not null,
    file_name       varchar not null,
    failed_at       timestamptz not null,
    reason          varchar not null
);

-- Which reference files were loaded, and when: loading the same files again is skipped.
create table if not exists raw.ref_loads (
    fingerprint     varchar not null,   -- SHA-256 over the reference files' paths and bytes
    loaded_at       timestamptz not null
);

create table if not exists raw.ref_targets (
    target_code     varchar primary key,
    target_name_vi  varchar not null,
    unit_group      varchar,
    metric          varchar not null,
    target_value    double not null,
    interim_value   double,
    interim_year    integer,
    target_year     integer not null,
    legal_source    varchar not null,
    file_line       integer,            -- line in targets.csv: the order the report prints targets in
    objective_code  varchar,            -- the National Strategy objective (seed strategy_objectives)
    strategy_indicator varchar,         -- 'Mục tiêu 3, chỉ tiêu 3'
    direction       varchar,            -- floor | ceiling
    value_source    varchar,            -- form | reference_file
    unit_vi         varchar
);
-- warehouses created before these columns existed
alter table raw.ref_targets add column if not exists file_line integer;
alter table raw.ref_targets add column if not exists objective_code varchar;
alter table raw.ref_targets add column if not exists strategy_indicator varchar;
alter table raw.ref_targets add column if not exists direction varchar;
alter table raw.ref_targets add column if not exists value_source varchar;
alter table raw.ref_targets add column if not exists unit_vi varchar;

-- The yearly file of Strategy indicators the form does not collect (source `strategy_values`,
-- `_reference/chi_tieu_chien_luoc_*.xlsx`), replaced with the reference data.
create table if not exists raw.ref_strategy_values (
    file_sha256     varchar not null,
    source_row      integer not null,
    file_name       varchar not null,
    province_code   varchar not null,
    target_code     varchar not null,
    indicator_name  varchar,
    report_year     integer not null,
    value           double not null,
    data_provider   varchar,
    note            varchar
);
"""


def create_raw_schema(con) -> None:
    """Create the raw schema's tables where missing. A DuckLake has no key constraints: there the keys
    above are kept by the loader (a file recorded once: `ingest.load`; one writer per province), and two
    writers creating the tables at once conflict, so the creation is retried."""
    from ingest.warehouse import connection_is_lake, retry_conflicts

    if not connection_is_lake(con):
        con.execute(RAW_DDL)
        return
    ddl = re.sub(r",\s*\n\s*primary key \([^)]*\)", "", RAW_DDL).replace(" primary key,", ",")
    retry_conflicts(lambda: con.execute(f"begin; {ddl}; commit"), con)


DATA_TABLES = ("activities", "gbv_cases", "leadership", "indicators", "task_status", "reported_totals")


def raw_table_columns() -> dict[str, list[str]]:
    """Each raw table's columns in declared order, read from `RAW_DDL` itself (asking a database's
    information_schema costs a few hundredths of a second on every start). One column per line:
    `name type …`; constraint lines (`primary key (…)`) and comments are not columns."""
    tables: dict[str, list[str]] = {}
    for table, body in re.findall(r"create table if not exists raw\.(\w+) \((.*?)\n\);", RAW_DDL, re.S):
        lines = (line.strip() for line in body.splitlines())
        tables[table] = [line.split()[0] for line in lines if line and not line.startswith(("--", "primary key"))]
    return tables
