-- The national roll-up for Bộ Nội vụ: each province's key figures and the nation's ({{ warehouse_scope() }}),
-- side by side. Nothing is measured again here: Biểu 1, 2 and 5 cells are read from rpt_ministry_annual,
-- target attainment from rpt_plan_targets (Biểu 6), both of which already hold every province and the
-- whole warehouse, its rates computed from the summed counts. This model only picks, names and orders.
with

ministry_figures as (select * from {{ ref('rpt_ministry_annual') }}),

plan_targets as (select * from {{ ref('rpt_plan_targets') }}),

figure_groups (figure_group_code, figure_group_order, figure_group_label_vi) as (

    values
    ('BAO_CAO', 1, 'Tình hình nộp báo cáo'),
    ('HOAT_DONG', 2, 'Hoạt động truyền thông, tập huấn về bình đẳng giới'),
    ('BAO_LUC', 3, 'Bạo lực trên cơ sở giới'),
    ('CHI_TIEU', 4, 'Kết quả thực hiện các chỉ tiêu')

),

-- The cells of the ministry tables printed in the roll-up ('table|row|column' of rpt_ministry_annual).
key_figures (figure_group_code, figure_code, figure_order, figure_label_vi, value_kind, cell) as (

    values
    ('BAO_CAO', 'UNITS_EXPECTED', 1, 'Số đơn vị phải báo cáo', 'count', 'BIEU_5|total|units'),
    ('BAO_CAO', 'UNITS_ON_TIME', 2, 'Số đơn vị nộp đúng hạn', 'count', 'BIEU_5|status.on_time|units'),
    ('BAO_CAO', 'UNITS_LATE', 3, 'Số đơn vị nộp muộn', 'count', 'BIEU_5|status.late|units'),
    ('BAO_CAO', 'UNITS_REJECTED', 4, 'Số đơn vị bị từ chối', 'count', 'BIEU_5|status.rejected|units'),
    ('BAO_CAO', 'UNITS_MISSING', 5, 'Số đơn vị chưa nộp (quá hạn)', 'count', 'BIEU_5|status.missing|units'),
    ('BAO_CAO', 'UNITS_PENDING', 6, 'Số đơn vị chưa đến hạn', 'count', 'BIEU_5|status.pending|units'),
    ('BAO_CAO', 'UNITS_RECEIVED', 7, 'Số đơn vị đã nộp', 'count', 'BIEU_5|reporting_rate|units'),
    ('BAO_CAO', 'REPORTING_RATE', 8, 'Tỷ lệ đơn vị đã nộp', 'share', 'BIEU_5|reporting_rate|share'),
    ('BAO_CAO', 'ON_TIME_RATE', 9, 'Tỷ lệ đơn vị nộp đúng hạn', 'share', 'BIEU_5|on_time_rate|share'),
    ('HOAT_DONG', 'ACTIVITIES', 1, 'Số hoạt động', 'count', 'BIEU_1|total|activities'),
    ('HOAT_DONG', 'PARTICIPANTS_TOTAL', 2, 'Lượt người tham gia', 'count', 'BIEU_1|total|participants_total'),
    (
        'HOAT_DONG', 'PARTICIPANTS_FEMALE', 3, 'Lượt người tham gia là nữ', 'count',
        'BIEU_1|total|participants_female'
    ),
    (
        'HOAT_DONG', 'PARTICIPANTS_MALE', 4, 'Lượt người tham gia là nam', 'count',
        'BIEU_1|total|participants_male'
    ),
    (
        'HOAT_DONG', 'PARTICIPANTS_ETHNIC_MINORITY', 5, 'Lượt người dân tộc thiểu số tham gia', 'count',
        'BIEU_1|total|participants_ethnic_minority'
    ),
    ('HOAT_DONG', 'BUDGET_VND', 6, 'Kinh phí (đồng)', 'amount', 'BIEU_1|total|budget_vnd'),
    ('BAO_LUC', 'CASES_DETECTED', 1, 'Số vụ việc phát hiện', 'count', 'BIEU_2|total|cases_detected'),
    ('BAO_LUC', 'CASES_HANDLED', 2, 'Số vụ việc đã xử lý', 'count', 'BIEU_2|total|cases_handled'),
    ('BAO_LUC', 'VICTIMS_FEMALE', 3, 'Nạn nhân nữ', 'count', 'BIEU_2|total|victims_female'),
    ('BAO_LUC', 'VICTIMS_MALE', 4, 'Nạn nhân nam', 'count', 'BIEU_2|total|victims_male'),
    ('BAO_LUC', 'VICTIMS_CHILDREN', 5, 'Trong đó nạn nhân trẻ em', 'count', 'BIEU_2|total|victims_children'),
    ('BAO_LUC', 'VICTIMS_SUPPORTED', 6, 'Nạn nhân được hỗ trợ', 'count', 'BIEU_2|total|victims_supported'),
    (
        'BAO_LUC', 'PERPETRATORS_COUNSELLED_COUNT', 7, 'Người gây bạo lực được tư vấn', 'count',
        'BIEU_2|total|perpetrators_counselled'
    ),
    -- the acts of violence (Biểu 2's violence row): the parts of NQ 28/NQ-CP's two rates
    (
        'BAO_LUC', 'VIOLENCE_CASES_DETECTED', 8, 'Hành vi bạo lực trên cơ sở giới: số vụ phát hiện', 'count',
        'BIEU_2|violence|cases_detected'
    ),
    (
        'BAO_LUC', 'VIOLENCE_VICTIMS_FEMALE', 9, 'Hành vi bạo lực trên cơ sở giới: nạn nhân nữ', 'count',
        'BIEU_2|violence|victims_female'
    ),
    (
        'BAO_LUC', 'VIOLENCE_VICTIMS_MALE', 10, 'Hành vi bạo lực trên cơ sở giới: nạn nhân nam', 'count',
        'BIEU_2|violence|victims_male'
    ),
    (
        'BAO_LUC', 'VIOLENCE_VICTIMS_SUPPORTED', 11, 'Hành vi bạo lực trên cơ sở giới: nạn nhân được hỗ trợ',
        'count', 'BIEU_2|violence|victims_supported'
    ),
    (
        'BAO_LUC', 'PERPETRATORS_DETECTED', 12,
        'Hành vi bạo lực trên cơ sở giới: người gây bạo lực được phát hiện', 'count',
        'BIEU_2|violence|perpetrators_detected'
    ),
    (
        'BAO_LUC', 'VIOLENCE_PERPETRATORS_COUNSELLED', 13,
        'Hành vi bạo lực trên cơ sở giới: người gây bạo lực được tư vấn', 'count',
        'BIEU_2|violence|perpetrators_counselled'
    )

),

-- A share's numerator and denominator: counts of the same table, so the nation's share is theirs summed.
key_figure_parts (figure_code, numerator_cell, denominator_cell) as (

    values
    ('REPORTING_RATE', 'BIEU_5|reporting_rate|units', 'BIEU_5|total|units'),
    ('ON_TIME_RATE', 'BIEU_5|on_time_rate|units', 'BIEU_5|total|units')

),

ministry_cells as (

    select
        province_code,
        report_year,
        report_type,
        table_code || '|' || row_code || '|' || column_code as cell,
        value,
        as_of_date
    from ministry_figures
    where table_code in ('BIEU_1', 'BIEU_2', 'BIEU_5')

),

key_figure_values as (

    select
        ministry_cells.province_code,
        ministry_cells.report_year,
        ministry_cells.report_type,
        key_figures.figure_group_code,
        key_figures.figure_code,
        key_figures.figure_order,
        key_figures.figure_label_vi,
        key_figures.value_kind,
        key_figures.value_kind in ('count', 'amount') as is_additive,
        ministry_cells.value,
        numerators.value as numerator,
        denominators.value as denominator,
        cast(null as double) as target_value,
        cast(null as varchar) as target_level_vi,
        cast(null as boolean) as is_met,
        ministry_cells.as_of_date
    from ministry_cells
    inner join key_figures
        on ministry_cells.cell = key_figures.cell
    left join key_figure_parts
        on key_figures.figure_code = key_figure_parts.figure_code
    left join ministry_cells as numerators
        on
            {{ same_province_period('ministry_cells', 'numerators') }}
            and key_figure_parts.numerator_cell = numerators.cell
    left join ministry_cells as denominators
        on
            {{ same_province_period('ministry_cells', 'denominators') }}
            and key_figure_parts.denominator_cell = denominators.cell

),

-- Biểu 6 as it stands: result against the goal, met or not; units met / assessed for the targets about units.
target_values as (

    select
        province_code,
        report_year,
        report_type,
        'CHI_TIEU' as figure_group_code,
        target_code as figure_code,
        target_order as figure_order,
        target_name_vi as figure_label_vi,
        'share' as value_kind,
        false as is_additive,
        result as value,  -- noqa: RF04
        cast(units_met as double) as numerator,
        cast(units_assessed as double) as denominator,
        goal as target_value,
        target_level_vi,
        is_met,
        as_of_date
    from plan_targets

),

-- Which provinces are behind: how many of Biểu 6's assessed targets each one has not met.
targets_not_met as (

    select
        province_code,
        report_year,
        report_type,
        'CHI_TIEU' as figure_group_code,
        'TARGETS_NOT_MET' as figure_code,
        -- after every target
        999 as figure_order,
        'Số chỉ tiêu chưa đạt' as figure_label_vi,
        'count' as value_kind,
        -- the nation's count is of its own targets, not the provinces' summed
        false as is_additive,
        cast(count(*) filter (where not is_met) as double) as value,  -- noqa: RF04
        cast(null as double) as numerator,
        cast(count(is_met) as double) as denominator,
        cast(null as double) as target_value,
        cast(null as varchar) as target_level_vi,
        cast(null as boolean) as is_met,
        any_value(as_of_date) as as_of_date
    from plan_targets
    group by province_code, report_year, report_type

),

figures as (

    select * from key_figure_values
    union all by name
    select * from target_values
    union all by name
    select * from targets_not_met

),

final as (

    select
        figures.province_code,
        figures.province_code = {{ warehouse_scope() }} as is_nation,
        cast(figures.report_year as integer) as report_year,
        figures.report_type,
        figures.figure_group_code,
        figure_groups.figure_group_label_vi,
        figures.figure_code,
        cast(figure_groups.figure_group_order * 1000 + figures.figure_order as integer) as figure_order,
        figures.figure_label_vi,
        figures.value_kind,
        figures.is_additive,
        cast(figures.value as double) as value,  -- noqa: RF04
        cast(figures.numerator as double) as numerator,
        cast(figures.denominator as double) as denominator,
        cast(figures.target_value as double) as target_value,
        figures.target_level_vi,
        figures.is_met,
        figures.as_of_date
    from figures
    inner join figure_groups
        on figures.figure_group_code = figure_groups.figure_group_code

)

select * from final
